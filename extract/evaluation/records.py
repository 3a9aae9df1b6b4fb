"""Accuracy of the warehouse against the gold records in `corpus/gold/`.

Both sides are brought into the warehouse's own row shape (the gold by `gold.gold_to_rows`, the
warehouse by `warehouse_to_rows`), then each record type is matched one-to-one by its title
(`matching`). Precision and recall count the matches (`scores`); checks on the matched pairs
(`checks`) measure what the title match cannot: statuses, the goal a record hangs under, indicator
values.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from extract.evaluation.checks import check_document, check_pair, shorten
from extract.evaluation.gold import EvalError, gold_dir_to_files, gold_to_rows
from extract.evaluation.matching import DEFAULT_FUZZY_THRESHOLD, match_items, rows_to_items
from extract.evaluation.scores import MAX_LISTED, CheckScore, DocumentEval, EvalReport, TypeScore, check_order
from extract.warehouse.connection import connect
from models.registry import RECORD_TYPES


def _fetch_dicts(con, sql: str, params: list[Any]) -> list[dict[str, Any]]:
    result = con.execute(sql, params)
    columns = [d[0] for d in result.description]
    return [dict(zip(columns, row)) for row in result.fetchall()]


def warehouse_to_rows(con, document_ids: list[str]) -> dict[str, list[dict[str, Any]]]:
    """Rows of the given documents from every record table the warehouse has (a missing table is empty)."""
    present = {row[0] for row in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    rows: dict[str, list[dict[str, Any]]] = {}
    marks = ", ".join("?" for _ in document_ids) or "NULL"
    for table in ("document", *(t.name for t in RECORD_TYPES)):
        rows[table] = (_fetch_dicts(con, f"SELECT * FROM {table} WHERE document_id IN ({marks})", document_ids)
                       if table in present and document_ids else [])
    indicator_ids = [r["indicator_id"] for r in rows["indicator"]]
    if "indicator_value" in present and indicator_ids:
        marks = ", ".join("?" for _ in indicator_ids)
        rows["indicator_value"] = _fetch_dicts(
            con, f"SELECT indicator_id, period, value FROM indicator_value WHERE indicator_id IN ({marks})",
            indicator_ids)
    else:
        rows["indicator_value"] = []
    return rows


def rows_to_document_eval(file: str, is_plan: bool, gold: dict[str, list[dict[str, Any]]],
                          found: dict[str, list[dict[str, Any]]], threshold: float) -> DocumentEval:
    """Scores of one document: the gold's rows against the warehouse's rows for the same file."""
    types: dict[str, TypeScore] = {}
    checks: dict[str, CheckScore] = {}
    in_warehouse = bool(found.get("document"))
    if in_warehouse and gold.get("document"):
        check_document(gold["document"][0], found["document"][0], checks)
    for record_type in RECORD_TYPES:
        kind = record_type.field
        gold_items, found_items = rows_to_items(gold, record_type), rows_to_items(found, record_type)
        pairs, fuzzy = match_items(gold_items, found_items, threshold)
        matched_gold, matched_found = {i for i, _ in pairs}, {j for _, j in pairs}
        types[kind] = TypeScore(
            gold=len(gold_items), found=len(found_items), matched=len(pairs), fuzzy=fuzzy,
            missed=[shorten(gold_items[i].key, 100) for i in range(len(gold_items))
                    if i not in matched_gold][:MAX_LISTED],
            invented=[shorten(found_items[j].key, 100) for j in range(len(found_items))
                      if j not in matched_found][:MAX_LISTED])
        for i, j in pairs:
            check_pair(record_type, gold_items[i], found_items[j], checks)
    return DocumentEval(file=file, is_plan=is_plan, in_warehouse=in_warehouse, types=types,
                        checks=dict(sorted(checks.items(), key=lambda item: check_order(item[0]))))


def evaluate_warehouse(db_path: Path, gold_dir: Path,
                       fuzzy_threshold: float = DEFAULT_FUZZY_THRESHOLD) -> EvalReport:
    """Compare the warehouse at `db_path` (opened read-only) with every gold file in `gold_dir`.

    A gold document is found in the warehouse by file name: the base name of `document.source_file`
    equals the gold's `document.file`.
    """
    if not 0 <= fuzzy_threshold <= 100:
        raise EvalError(f"fuzzy threshold must be between 0 and 100, not {fuzzy_threshold}")
    golds = gold_dir_to_files(gold_dir)
    con = connect(Path(db_path), read_only=True)
    try:
        by_name: dict[str, list[str]] = {}
        for document_id, source_file in con.execute("SELECT document_id, source_file FROM document").fetchall():
            by_name.setdefault(Path(source_file or "").name, []).append(document_id)
        documents = []
        for _, gold in golds:
            file = gold.document.file
            found = warehouse_to_rows(con, by_name.get(file, []))
            documents.append(rows_to_document_eval(file, gold.document.is_plan, gold_to_rows(gold), found,
                                                   fuzzy_threshold))
    finally:
        con.close()
    gold_names = {gold.document.file for _, gold in golds}
    return EvalReport(db_path=str(db_path), gold_dir=str(gold_dir), fuzzy_threshold=fuzzy_threshold,
                      documents=documents, unevaluated=sorted(set(by_name) - gold_names))
