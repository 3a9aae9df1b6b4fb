"""Load stage: write Extractions into the DuckDB warehouse, one document per transaction.

A document is identified by its sha256: loading the same file again changes nothing, and a file
whose content changed (same source_file, new sha256) has its old rows replaced atomically. Rows go
in through Arrow tables (register + INSERT ... SELECT), which is orders of magnitude faster than
row-by-row inserts.
"""
from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Literal, get_args

import duckdb
from pydantic import BaseModel

from extract.warehouse.connection import (
    WarehouseError,
    connect,
    first_line,
    insert_rows,
)
from extract.warehouse.schema import (
    CHILD_TABLES,
    DOCUMENT_TABLES,
    TABLES,
    TABLES_BY_NAME,
    Table,
)
from models.records import Extraction
from models.registry import RECORD_TYPES, TABLE_SPECS

LoadStatus = Literal["loaded", "unchanged", "replaced", "failed"]

TABLE_OF_MODEL = {spec.model: spec.name for spec in TABLE_SPECS}


@dataclass
class DocumentLoad:
    source_file: str
    sha256: str | None
    status: LoadStatus
    municipality_code: str | None = None
    counts: dict[str, int] = field(default_factory=dict)
    """Records per kind in the extraction (pages, goals, ...), whatever the status."""
    error: str | None = None


@dataclass
class LoadReport:
    documents: list[DocumentLoad] = field(default_factory=list)
    rows_inserted: int = 0
    seconds: float = 0.0

    def count(self, status: LoadStatus) -> int:
        return sum(1 for d in self.documents if d.status == status)

    @property
    def failed(self) -> list[DocumentLoad]:
        return [d for d in self.documents if d.status == "failed"]


def loaded_sha256s(con: duckdb.DuckDBPyConnection, extractor_version: str, rules_version: str | None) -> set[str]:
    """Contents already in the warehouse as this extractor and these rules would load them."""
    rows = con.execute("SELECT sha256 FROM document WHERE extractor_version = ? AND rules_version IS NOT DISTINCT "
                       "FROM ?", [extractor_version, rules_version]).fetchall()
    return {r[0] for r in rows}


def start_run(con: duckdb.DuckDBPyConnection, run_id: str, started_at: dt.datetime, files: int,
              extractor_version: str) -> None:
    con.execute("INSERT INTO run (run_id, started_at, files, loaded, skipped, failed, extractor_version) "
                "VALUES (?, ?, ?, 0, 0, 0, ?)", [run_id, _utc_naive(started_at), files, extractor_version])


def count_run(con: duckdb.DuckDBPyConnection, run_id: str, loaded: int, skipped: int, failed: int) -> None:
    """The run's counts so far, so a run that is killed still says what it had loaded."""
    con.execute("UPDATE run SET loaded = ?, skipped = ?, failed = ? WHERE run_id = ?",
                [loaded, skipped, failed, run_id])


def finish_run(con: duckdb.DuckDBPyConnection, run_id: str, finished_at: dt.datetime, loaded: int, skipped: int,
               failed: int) -> None:
    count_run(con, run_id, loaded, skipped, failed)
    con.execute("UPDATE run SET finished_at = ? WHERE run_id = ?", [_utc_naive(finished_at), run_id])


def record_failure(con: duckdb.DuckDBPyConnection, run_id: str, source_file: str, error_code: str,
                   message: str) -> None:
    con.execute("INSERT INTO failure VALUES (?, ?, ?, ?)", [run_id, source_file, error_code, message])


def _utc_naive(value: dt.datetime | None) -> dt.datetime | None:
    if value is None or value.tzinfo is None:
        return value
    return value.astimezone(dt.timezone.utc).replace(tzinfo=None)


def _record_row(record: Any, table: Table) -> dict[str, Any]:
    """Columns by name from the record; provenance columns from its `provenance`."""
    fields = record.__dict__
    row = {name: fields.get(name) for name in table.column_names}
    provenance = fields.get("provenance")
    if provenance is not None:
        if provenance.page_no is not None:
            row["page_no"] = provenance.page_no
        if "bbox" in row:
            row["bbox"] = list(provenance.bbox) if provenance.bbox is not None else None
        if "raw_text" in row:
            row["raw_text"] = provenance.raw_text
    return row


def _models_of(annotation: Any) -> type | None:
    """The model a field holds (alone, optional or in a list)."""
    if isinstance(annotation, type) and annotation in TABLE_OF_MODEL:
        return annotation
    return next((model for model in map(_models_of, get_args(annotation)) if model is not None), None)


def _records_to_rows(records: list[BaseModel], rows: dict[str, list[dict[str, Any]]]) -> None:
    """Each record's row in its table, and the rows of the records it holds (an indicator's values)."""
    if not records:
        return
    model = type(records[0])
    table = TABLES_BY_NAME[TABLE_OF_MODEL[model]]
    rows[table.name].extend(_record_row(record, table) for record in records)
    for name, info in model.model_fields.items():
        if name not in table.column_names and _models_of(info.annotation) is not None:
            _records_to_rows([child for record in records for child in getattr(record, name)], rows)


def extraction_to_rows(extraction: Extraction) -> dict[str, list[dict[str, Any]]]:
    """One list of row dicts per table a document loads: every field of the extraction that holds records
    of a table (document, pages, each record type, themes), nested records included; register tables
    (municipality) are written from the register when the warehouse opens, not per document."""
    rows: dict[str, list[dict[str, Any]]] = {table.name: [] for table in TABLES}
    for name, info in type(extraction).model_fields.items():
        if _models_of(info.annotation) is None:
            continue
        value = getattr(extraction, name)
        _records_to_rows(value if isinstance(value, list) else [value] if value is not None else [], rows)
    for row in rows["document"]:
        row["extracted_at"] = _utc_naive(row["extracted_at"])
    loaded = {t.name for t in TABLES if t.spec is not None and not t.spec.register} - {"run", "failure"}
    return {name: table_rows for name, table_rows in rows.items() if name in loaded}


def extraction_to_counts(extraction: Extraction) -> dict[str, int]:
    """Pages and the records of each type the CLI summarises."""
    return {"pages": len(extraction.pages),
            **{t.field: len(getattr(extraction, t.field)) for t in RECORD_TYPES if t.summary}}


def _delete_documents(con: duckdb.DuckDBPyConnection, document_ids: list[str]) -> None:
    import pyarrow as pa

    ids = pa.table({"document_id": pa.array(document_ids, pa.string())})
    con.register("old_documents", ids)
    try:
        for child, parent, id_column in CHILD_TABLES:
            con.execute(f"DELETE FROM {child} WHERE {id_column} IN (SELECT {id_column} FROM {parent} "
                        "WHERE document_id IN (SELECT document_id FROM old_documents))")
        for name in DOCUMENT_TABLES:
            con.execute(f"DELETE FROM {name} WHERE document_id IN (SELECT document_id FROM old_documents)")
        con.execute("DELETE FROM document WHERE document_id IN (SELECT document_id FROM old_documents)")
    finally:
        con.unregister("old_documents")


def load_extraction(con: duckdb.DuckDBPyConnection, extraction: Extraction) -> tuple[DocumentLoad, int]:
    """Write one document in one transaction; on any failure roll back and raise WarehouseError.

    Returns the outcome and the number of rows inserted.
    """
    from pyarrow import ArrowException

    document = extraction.document
    outcome = DocumentLoad(source_file=document.source_file, sha256=document.sha256, status="loaded",
                           municipality_code=document.municipality_code, counts=extraction_to_counts(extraction))
    con.begin()
    try:
        if con.execute("SELECT 1 FROM document WHERE sha256 = ? AND extractor_version = ? AND rules_version IS NOT "
                       "DISTINCT FROM ?", [document.sha256, document.extractor_version,
                                           document.rules_version]).fetchone():
            con.rollback()
            outcome.status = "unchanged"
            return outcome, 0
        old = [r[0] for r in con.execute("SELECT document_id FROM document WHERE source_file = ? OR sha256 = ?",
                                         [document.source_file, document.sha256]).fetchall()]
        if old:
            _delete_documents(con, old)
            outcome.status = "replaced"
        inserted = 0
        for name, rows in extraction_to_rows(extraction).items():
            inserted += insert_rows(con, TABLES_BY_NAME[name], rows)
        con.commit()
    except (duckdb.Error, ArrowException, TypeError, ValueError) as exc:
        con.rollback()
        raise WarehouseError(f"{document.source_file}: not loaded: {first_line(exc)}") from None
    return outcome, inserted


def load_extractions(extractions: Iterable[Extraction], db_path: Path) -> LoadReport:
    """Load every extraction; a failed document is reported and leaves the warehouse as it was."""
    report = LoadReport()
    started = time.perf_counter()
    con = connect(db_path)
    try:
        for extraction in extractions:
            try:
                outcome, inserted = load_extraction(con, extraction)
            except WarehouseError as exc:
                outcome, inserted = DocumentLoad(
                    source_file=extraction.document.source_file, sha256=extraction.document.sha256,
                    status="failed", municipality_code=extraction.document.municipality_code,
                    counts=extraction_to_counts(extraction), error=exc.message), 0
            report.documents.append(outcome)
            report.rows_inserted += inserted
    finally:
        con.close()
    report.seconds = time.perf_counter() - started
    return report
