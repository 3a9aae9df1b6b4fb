"""Accuracy of the warehouse against the gold records in `corpus/gold/`.

Both sides are brought into the warehouse's own row shape (`gold_to_rows` turns a gold file into the
rows a perfect extraction would load), then each record type is matched one-to-one by its title:
exact after whitespace normalisation first, then fuzzy (rapidfuzz ratio at a stated threshold) for
the rest, best-scoring pairs first. Precision and recall count the matches; checks on the matched
pairs measure what the title match cannot: statuses, the goal a record hangs under, indicator values.

Zero-division convention: with nothing found, precision is 1.0 (no false positives); with nothing to
find, recall is 1.0 (nothing missed). A type absent from both sides thus scores 1.0 everywhere.
"""
from __future__ import annotations

import datetime as dt
import json
import math
import unicodedata
from pathlib import Path
from typing import Any, Callable

from pydantic import BaseModel, ConfigDict, Field, ValidationError, computed_field
from rapidfuzz import fuzz

from extract.errors import PlansError
from extract.warehouse.load import connect
from models.records import stable_id

RECORD_TYPES = ("goals", "result_goals", "assignments", "indicators", "activities", "assessments", "status_legend")
"""Record types in report order, named as in the gold files."""

TABLE_OF = {
    "goals": "goal", "result_goals": "result_goal", "assignments": "assignment", "indicators": "indicator",
    "activities": "activity", "assessments": "assessment", "status_legend": "status_legend",
}
DEFAULT_FUZZY_THRESHOLD = 95.0
DOCUMENT_FIELDS = ("municipality_code", "doc_type", "title", "period_start", "period_end", "version",
                   "decided_date", "decided_by", "diarienummer")
ACTIVITY_FIELDS = ("responsible", "performer", "strategy", "focus_area")
INDICATOR_FIELDS = ("group_name", "unit", "target", "direction")
GOAL_FIELDS = ("level", "number", "short_label")
LEGEND_FIELDS = ("status", "color")
MAX_LISTED = 50
"""Misses, inventions and check failures listed per document and type (the JSON report carries them)."""


class EvalError(PlansError):
    """The gold folder or a gold file cannot be used."""


def normalise(text: Any) -> str | None:
    """NFC, whitespace collapsed and stripped: the form titles and fields are compared in.

    An empty field is no field: "" and None both come out as None.
    """
    if text is None:
        return None
    return " ".join(unicodedata.normalize("NFC", str(text)).split()) or None


# --- the gold side ---------------------------------------------------------------------------

class _Gold(BaseModel):
    model_config = ConfigDict(extra="allow")


class GoldDocumentInfo(_Gold):
    file: str
    is_plan: bool = True


class GoldFile(_Gold):
    """The parts of a gold file the evaluator relies on; other keys pass through untouched."""

    document: GoldDocumentInfo
    goals: list[dict[str, Any]] = []
    result_goals: list[dict[str, Any]] = []
    assignments: list[dict[str, Any]] = []
    indicators: list[dict[str, Any]] = []
    activities: list[dict[str, Any]] = []
    status_legend: list[dict[str, Any]] = []
    assessments: list[dict[str, Any]] = []


def read_gold(path: Path) -> GoldFile:
    try:
        return GoldFile.model_validate(json.loads(path.read_text(encoding="utf-8")))
    except json.JSONDecodeError as error:
        raise EvalError(f"{path}: not valid JSON: {error}") from None
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise EvalError(f"{path}: {where}: {first['msg']}") from None


def gold_dir_to_files(gold_dir: Path) -> list[tuple[Path, GoldFile]]:
    gold_dir = Path(gold_dir)
    if not gold_dir.is_dir():
        raise EvalError(f"no gold folder at {gold_dir}")
    paths = sorted(gold_dir.glob("*.json"))
    if not paths:
        raise EvalError(f"no gold files (*.json) in {gold_dir}")
    return [(path, read_gold(path)) for path in paths]


def _date(text: str, where: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise EvalError(f"{where}: not a date (YYYY-MM-DD): {text!r}") from None


def gold_to_rows(gold: GoldFile | dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """The warehouse rows (table → row dicts) a perfect extraction of the gold's document would load.

    Ids are derived from the file name and the record's position, so they are stable. Gold marks map
    to `status_symbol` (the glyph, else the shape) and `status_color`.
    """
    if isinstance(gold, dict):
        gold = GoldFile.model_validate(gold)
    info = gold.document.model_dump()
    file = info["file"]
    document_id = stable_id("gold", file)
    document = {name: info.get(name) for name in DOCUMENT_FIELDS}
    for name in ("period_start", "period_end", "decided_date"):
        if isinstance(document[name], str):
            document[name] = _date(document[name], f"{file}: document.{name}")
    document.update(document_id=document_id, source_file=file, sha256=stable_id("gold-sha", file),
                    pages=max([r.get("page") or 0 for kind in RECORD_TYPES for r in getattr(gold, kind)] or [0]))
    goal_ids = {g["key"]: stable_id(file, "goal", g["key"]) for g in gold.goals}

    def goal_id_of(key: str | None) -> str | None:
        if key is None:
            return None
        if key not in goal_ids:
            raise EvalError(f"{file}: a record refers to goal {key!r}, which the gold file does not define")
        return goal_ids[key]

    def mark_columns(record: dict[str, Any]) -> dict[str, Any]:
        mark = record.get("mark") or {}
        return {"status_symbol": mark.get("glyph") or mark.get("shape"), "status_color": mark.get("color")}

    rows: dict[str, list[dict[str, Any]]] = {"document": [document]}
    rows["goal"] = [
        {"goal_id": goal_ids[g["key"]], "document_id": document_id, "parent_goal_id": goal_id_of(g.get("parent")),
         "level": g.get("level"), "number": g.get("number"), "title": g["title"],
         "short_label": g.get("short_label"), "page_no": g.get("page")}
        for g in gold.goals
    ]
    rows["result_goal"] = [
        {"result_goal_id": stable_id(file, "result_goal", i), "document_id": document_id,
         "goal_id": goal_id_of(r.get("goal")), "title": r["title"], "committees": r.get("committees") or [],
         "status": r.get("status"), **mark_columns(r), "comment": r.get("comment"), "page_no": r.get("page")}
        for i, r in enumerate(gold.result_goals)
    ]
    rows["assignment"] = [
        {"assignment_id": stable_id(file, "assignment", i), "document_id": document_id,
         "goal_id": goal_id_of(r.get("goal")), "title": r["title"], "status": r.get("status"), **mark_columns(r),
         "comment": r.get("comment"), "page_no": r.get("page")}
        for i, r in enumerate(gold.assignments)
    ]
    rows["indicator"], rows["indicator_value"] = [], []
    for i, r in enumerate(gold.indicators):
        indicator_id = stable_id(file, "indicator", i)
        rows["indicator"].append(
            {"indicator_id": indicator_id, "document_id": document_id, "goal_id": goal_id_of(r.get("goal")),
             "group_name": r.get("group"), "name": r["name"], "unit": r.get("unit"), "target": r.get("target"),
             "direction": r.get("direction"), "page_no": r.get("page")})
        rows["indicator_value"].extend(
            {"indicator_id": indicator_id, "period": str(period), "value": value}
            for period, value in (r.get("values") or {}).items())
    rows["activity"] = [
        {"activity_id": stable_id(file, "activity", i), "document_id": document_id,
         "goal_id": goal_id_of(r.get("goal")), "number": r.get("number"), "title": r["title"],
         **{name: r.get(name) for name in ("strategy", "focus_area", "purpose", "responsible", "performer")},
         "page_no": r.get("page")}
        for i, r in enumerate(gold.activities)
    ]
    rows["status_legend"] = [
        {"document_id": document_id, **{name: r.get(name) for name in ("scale", "symbol", "color", "status", "label")},
         "source": "document"}
        for r in gold.status_legend
    ]
    rows["assessment"] = [
        {"document_id": document_id, "question": r["question"], "answer": r.get("answer"), "page_no": r.get("page")}
        for r in gold.assessments
    ]
    return rows


# --- the warehouse side ----------------------------------------------------------------------

def _fetch_dicts(con, sql: str, params: list[Any]) -> list[dict[str, Any]]:
    result = con.execute(sql, params)
    columns = [d[0] for d in result.description]
    return [dict(zip(columns, row)) for row in result.fetchall()]


def warehouse_to_rows(con, document_ids: list[str]) -> dict[str, list[dict[str, Any]]]:
    """Rows of the given documents from every record table the warehouse has (a missing table is empty)."""
    present = {row[0] for row in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    rows: dict[str, list[dict[str, Any]]] = {}
    marks = ", ".join("?" for _ in document_ids) or "NULL"
    for table in ("document", *TABLE_OF.values()):
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


# --- scores ----------------------------------------------------------------------------------

def _ratio(numerator: int, denominator: int) -> float:
    return numerator / denominator if denominator else 1.0


class TypeScore(BaseModel):
    """Matching counts of one record type; `missed` are gold titles not found, `invented` warehouse
    titles with no gold record."""

    gold: int = 0
    found: int = 0
    matched: int = 0
    fuzzy: int = 0
    """Matches made by the fuzzy pass (already in `matched`)."""
    missed: list[str] = []
    invented: list[str] = []

    @computed_field
    @property
    def precision(self) -> float:
        return _ratio(self.matched, self.found)

    @computed_field
    @property
    def recall(self) -> float:
        return _ratio(self.matched, self.gold)

    @computed_field
    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def plus(self, other: TypeScore) -> TypeScore:
        return TypeScore(gold=self.gold + other.gold, found=self.found + other.found,
                         matched=self.matched + other.matched, fuzzy=self.fuzzy + other.fuzzy)


class CheckScore(BaseModel):
    """A check over matched pairs: how many of `total` were right; `failures` says which were not."""

    correct: int = 0
    total: int = 0
    failures: list[str] = []

    @computed_field
    @property
    def accuracy(self) -> float:
        return _ratio(self.correct, self.total)

    def add(self, ok: bool, failure: str) -> None:
        self.total += 1
        if ok:
            self.correct += 1
        elif len(self.failures) < MAX_LISTED:
            self.failures.append(failure)

    def plus(self, other: CheckScore) -> CheckScore:
        return CheckScore(correct=self.correct + other.correct, total=self.total + other.total)


CHECK_DESCRIPTIONS = {
    "document.fields": "document metadata (" + ", ".join(DOCUMENT_FIELDS) + ") equal",
    "goals.parent": "the parent goal's title equals the gold parent's",
    "goals.fields": "level, number, short_label equal",
    "*.goal": "the title of the goal the record hangs under equals the gold's",
    "*.status": "status equal, on gold rows with a mark (gold status not null)",
    "*.no_mark": "warehouse status is NULL where the gold prints no mark; failures are guessed statuses",
    "*.comment": "comment equal after whitespace normalisation",
    "result_goals.committees": "committee sets equal",
    "indicators.values": "every gold period/value pair equal (None = NULL, rounded to 6 decimals); "
                         "a warehouse period the gold lacks counts as wrong",
    "indicators.fields": "group, unit, target, direction equal",
    "activities.fields": "responsible, performer, strategy, focus_area equal (each field counts)",
    "assessments.answer": "the ticked answer equal",
    "status_legend.fields": "status and colour equal",
}


class DocumentEval(BaseModel):
    file: str
    is_plan: bool
    in_warehouse: bool
    """False when no warehouse document has this source file name: every gold record is then missed."""
    types: dict[str, TypeScore]
    checks: dict[str, CheckScore]

    @computed_field
    @property
    def guessed_statuses(self) -> int:
        return sum(c.total - c.correct for name, c in self.checks.items() if name.endswith(".no_mark"))


def _sum_types(scores: list[TypeScore]) -> TypeScore:
    total = TypeScore()
    for score in scores:
        total = total.plus(score)
    return total


def _sum_checks(scores: list[CheckScore]) -> CheckScore:
    total = CheckScore()
    for score in scores:
        total = total.plus(score)
    return total


class EvalReport(BaseModel):
    db_path: str
    gold_dir: str
    fuzzy_threshold: float
    documents: list[DocumentEval]
    unevaluated: list[str] = []
    """Warehouse source files with no gold file (not counted)."""

    @computed_field
    @property
    def missing_documents(self) -> list[str]:
        return [d.file for d in self.documents if not d.in_warehouse]

    @computed_field
    @property
    def totals(self) -> dict[str, TypeScore]:
        """Micro-averaged per record type: counts summed over documents, then P/R/F1."""
        return {kind: _sum_types([d.types[kind] for d in self.documents]) for kind in RECORD_TYPES}

    @computed_field
    @property
    def overall(self) -> TypeScore:
        return _sum_types(list(self.totals.values()))

    @computed_field
    @property
    def check_totals(self) -> dict[str, CheckScore]:
        names = sorted({name for d in self.documents for name in d.checks}, key=_check_order)
        return {name: _sum_checks([d.checks[name] for d in self.documents if name in d.checks]) for name in names}

    @computed_field
    @property
    def guessed_statuses(self) -> int:
        """Matched records with a warehouse status where the gold prints no mark (must be 0)."""
        return sum(d.guessed_statuses for d in self.documents)

    def to_json(self) -> str:
        return self.model_dump_json(indent=2)

    def to_table(self) -> str:
        """Plain-text report: per-document scores, checks, totals (fixed-width, for terminals and READMEs)."""
        return "\n".join(_render(self, _text_table))

    def to_markdown(self) -> str:
        return "\n".join(_render(self, _markdown_table))


# --- matching --------------------------------------------------------------------------------

class _Item(BaseModel):
    key: str
    context: str | None
    row: dict[str, Any]
    values: dict[str, float | None] = Field(default_factory=dict)


def _items(rows: dict[str, list[dict[str, Any]]], kind: str) -> list[_Item]:
    """Records of one type with their match key and context (the title of the goal they hang under)."""
    goal_titles = {g["goal_id"]: normalise(g["title"]) for g in rows.get("goal", [])}
    values: dict[str, dict[str, float | None]] = {}
    for v in rows.get("indicator_value", []):
        values.setdefault(v["indicator_id"], {})[str(v["period"])] = v["value"]
    items = []
    for row in rows.get(TABLE_OF[kind], []):
        if kind == "goals":
            key, context = row["title"], goal_titles.get(row.get("parent_goal_id"))
        elif kind == "indicators":
            key, context = row["name"], goal_titles.get(row.get("goal_id"))
        elif kind == "assessments":
            key, context = row["question"], None
        elif kind == "status_legend":
            key, context = row["label"], row.get("scale")
        else:
            key, context = row["title"], goal_titles.get(row.get("goal_id"))
        items.append(_Item(key=normalise(key) or "", context=context, row=row,
                           values=values.get(row.get("indicator_id"), {}) if kind == "indicators" else {}))
    return items


def match_items(gold: list[_Item], found: list[_Item], threshold: float) -> tuple[list[tuple[int, int]], int]:
    """One-to-one pairs (gold index, found index): exact key with equal context, exact key, then fuzzy.

    The fuzzy pass takes candidate pairs with rapidfuzz ratio ≥ threshold best-first (ties: equal
    context first, then order), which is optimal whenever no two candidates compete for one record.
    Returns the pairs and how many came from the fuzzy pass.
    """
    pairs: list[tuple[int, int]] = []
    free_gold, free_found = set(range(len(gold))), set(range(len(found)))

    def exact_pass(same_context: bool) -> None:
        by_key: dict[str, list[int]] = {}
        for j in sorted(free_found):
            by_key.setdefault(found[j].key, []).append(j)
        for i in sorted(free_gold):
            candidates = [j for j in by_key.get(gold[i].key, []) if j in free_found
                          and (not same_context or found[j].context == gold[i].context)]
            if candidates:
                pairs.append((i, candidates[0]))
                free_gold.discard(i)
                free_found.discard(candidates[0])

    exact_pass(same_context=True)
    exact_pass(same_context=False)
    candidates = []
    for i in free_gold:
        for j in free_found:
            score = fuzz.ratio(gold[i].key, found[j].key, score_cutoff=threshold)
            if score >= threshold and score > 0:
                candidates.append((-score, gold[i].context != found[j].context, i, j))
    fuzzy = 0
    for _, _, i, j in sorted(candidates):
        if i in free_gold and j in free_found:
            pairs.append((i, j))
            free_gold.discard(i)
            free_found.discard(j)
            fuzzy += 1
    return sorted(pairs), fuzzy


def _same(a: Any, b: Any) -> bool:
    return normalise(a) == normalise(b)


def _same_value(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, float) and math.isnan(a) or isinstance(b, float) and math.isnan(b):
        return False
    return round(float(a), 6) == round(float(b), 6)


def _short(text: str | None, width: int = 60) -> str:
    text = text or ""
    return text if len(text) <= width else text[: width - 1] + "…"


def _check_pair(kind: str, g: _Item, w: _Item, checks: dict[str, CheckScore]) -> None:
    """Run the checks for one matched pair of the given type."""

    def check(name: str, ok: bool, detail: str) -> None:
        checks.setdefault(f"{kind}.{name}", CheckScore()).add(ok, f"{_short(g.key)}: {detail}")

    gr, wr = g.row, w.row
    if kind == "goals":
        check("parent", g.context == w.context, f"parent {w.context!r}, gold {g.context!r}")
        for name in GOAL_FIELDS:
            check("fields", _same(gr.get(name), wr.get(name)), f"{name} {wr.get(name)!r}, gold {gr.get(name)!r}")
    if kind in ("result_goals", "assignments", "indicators", "activities"):
        check("goal", g.context == w.context, f"under {w.context!r}, gold {g.context!r}")
    if kind in ("result_goals", "assignments"):
        if gr.get("status") is not None:
            check("status", gr["status"] == wr.get("status"), f"status {wr.get('status')!r}, gold {gr['status']!r}")
        else:
            check("no_mark", wr.get("status") is None, f"status {wr.get('status')!r} where no mark is printed")
        check("comment", _same(gr.get("comment"), wr.get("comment")),
              f"comment {_short(normalise(wr.get('comment')))!r}")
    if kind == "result_goals":
        gold_set, found_set = set(gr.get("committees") or []), set(wr.get("committees") or [])
        check("committees", gold_set == found_set, f"committees {sorted(found_set)}, gold {sorted(gold_set)}")
    if kind == "indicators":
        for period in sorted(set(g.values) | set(w.values)):
            ok = period in g.values and period in w.values and _same_value(g.values[period], w.values[period])
            found_value, gold_value = w.values.get(period, "absent"), g.values.get(period, "absent")
            check("values", ok, f"{period}: {found_value!r}, gold {gold_value!r}")
        for name in INDICATOR_FIELDS:
            check("fields", _same(gr.get(name), wr.get(name)), f"{name} {wr.get(name)!r}, gold {gr.get(name)!r}")
    if kind == "activities":
        for name in ACTIVITY_FIELDS:
            check("fields", _same(gr.get(name), wr.get(name)),
                  f"{name} {_short(normalise(wr.get(name)))!r}, gold {_short(normalise(gr.get(name)))!r}")
    if kind == "assessments":
        check("answer", gr.get("answer") == wr.get("answer"), f"answer {wr.get('answer')!r}, gold {gr.get('answer')!r}")
    if kind == "status_legend":
        for name in LEGEND_FIELDS:
            check("fields", _same(gr.get(name), wr.get(name)), f"{name} {wr.get(name)!r}, gold {gr.get(name)!r}")


def _check_order(name: str) -> tuple[int, str]:
    kind = name.split(".")[0]
    return (RECORD_TYPES.index(kind) + 1 if kind in RECORD_TYPES else 0, name)


def rows_to_document_eval(file: str, is_plan: bool, gold: dict[str, list[dict[str, Any]]],
                          found: dict[str, list[dict[str, Any]]], threshold: float) -> DocumentEval:
    """Scores of one document: the gold's rows against the warehouse's rows for the same file."""
    types: dict[str, TypeScore] = {}
    checks: dict[str, CheckScore] = {}
    in_warehouse = bool(found.get("document"))
    if in_warehouse and gold.get("document"):
        gold_doc, found_doc = gold["document"][0], found["document"][0]
        for name in DOCUMENT_FIELDS:
            a, b = gold_doc.get(name), found_doc.get(name)
            checks.setdefault("document.fields", CheckScore()).add(
                _same(a, b), f"{name}: {normalise(b)!r}, gold {normalise(a)!r}")
    for kind in RECORD_TYPES:
        gold_items, found_items = _items(gold, kind), _items(found, kind)
        pairs, fuzzy = match_items(gold_items, found_items, threshold)
        matched_gold, matched_found = {i for i, _ in pairs}, {j for _, j in pairs}
        types[kind] = TypeScore(
            gold=len(gold_items), found=len(found_items), matched=len(pairs), fuzzy=fuzzy,
            missed=[_short(gold_items[i].key, 100) for i in range(len(gold_items))
                    if i not in matched_gold][:MAX_LISTED],
            invented=[_short(found_items[j].key, 100) for j in range(len(found_items))
                      if j not in matched_found][:MAX_LISTED])
        for i, j in pairs:
            _check_pair(kind, gold_items[i], found_items[j], checks)
    return DocumentEval(file=file, is_plan=is_plan, in_warehouse=in_warehouse, types=types,
                        checks=dict(sorted(checks.items(), key=lambda item: _check_order(item[0]))))


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


# --- rendering -------------------------------------------------------------------------------

def _num(value: float) -> str:
    """Three decimals, truncated, so that 0.9996 never shows as a perfect 1.000."""
    return f"{math.floor(value * 1000 + 1e-9) / 1000:.3f}"


def _text_table(headers: list[str], rows: list[list[str]], right: set[int]) -> list[str]:
    widths = [max(len(str(c)) for c in column) for column in zip(headers, *rows)]

    def line(cells: list[str]) -> str:
        padded = (c.rjust(w) if k in right else c.ljust(w) for k, (c, w) in enumerate(zip(cells, widths)))
        return "  ".join(padded).rstrip()

    return [line(headers), line(["-" * w for w in widths]), *(line(r) for r in rows)]


def _markdown_table(headers: list[str], rows: list[list[str]], right: set[int]) -> list[str]:
    rule = ["---:" if k in right else "---" for k in range(len(headers))]
    return ["| " + " | ".join(cells) + " |" for cells in (headers, rule, *rows)]


def _type_cells(score: TypeScore) -> list[str]:
    """Counts and scores; a ratio with nothing to divide by shows as '-' (the JSON carries the convention's 1.0)."""
    return [str(score.gold), str(score.found), str(score.matched), str(score.fuzzy),
            _num(score.precision) if score.found else "-", _num(score.recall) if score.gold else "-",
            _num(score.f1) if score.found or score.gold else "-"]


def _render(report: EvalReport, table: Callable[[list[str], list[list[str]], set[int]], list[str]]) -> list[str]:
    markdown = table is _markdown_table
    heading = (lambda text: f"**{text}**") if markdown else (lambda text: text)
    type_headers = ["gold", "found", "matched", "fuzzy", "precision", "recall", "F1"]
    out = [f"Accuracy of {report.db_path} against {report.gold_dir}: titles matched after whitespace "
           f"normalisation, then fuzzily at rapidfuzz ratio ≥ {report.fuzzy_threshold:g}.", ""]

    rows = []
    for d in report.documents:
        name = d.file if d.in_warehouse else f"{d.file} (not in warehouse)"
        if not d.is_plan:
            name += " (not a plan)"
        shown = [k for k in RECORD_TYPES if d.types[k].gold or d.types[k].found]
        rows.extend([name if n == 0 else "", kind, *_type_cells(d.types[kind])] for n, kind in enumerate(shown))
        if not shown:
            rows.append([name, "(none)", *_type_cells(_sum_types(list(d.types.values())))])
    out += [heading("Records per document"), ""]
    out += table(["document", "records", *type_headers], rows, set(range(2, 9)))

    rows = []
    for d in report.documents:
        for n, (name, check) in enumerate(d.checks.items()):
            rows.append([d.file if n == 0 else "", name, str(check.correct), str(check.total), _num(check.accuracy)])
    if rows:
        out += ["", heading("Checks on matched records"), ""]
        out += table(["document", "check", "correct", "total", "accuracy"], rows, {2, 3, 4})

    rows = [[kind, *_type_cells(score)] for kind, score in report.totals.items()]
    rows.append(["overall", *_type_cells(report.overall)])
    out += ["", heading("Totals, micro-averaged over documents"), ""]
    out += table(["records", *type_headers], rows, set(range(1, 8)))
    rows = [[name, str(c.correct), str(c.total), _num(c.accuracy)] for name, c in report.check_totals.items()]
    if rows:
        out += [""]
        out += table(["check", "correct", "total", "accuracy"], rows, {1, 2, 3})

    out += ["", "'-': nothing found (precision) or nothing to find (recall). Checks run on matched records only.",
            f"Statuses where no mark is printed (guessed): {report.guessed_statuses}"]
    if report.missing_documents:
        out.append("Missing from the warehouse (all their records count as false negatives): "
                   + ", ".join(report.missing_documents))
    if report.unevaluated:
        out.append("In the warehouse without a gold file (not evaluated): " + ", ".join(report.unevaluated))
    return out
