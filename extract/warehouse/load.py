"""Load stage: write Extractions into the DuckDB warehouse, one document per transaction.

A document is identified by its sha256: loading the same file again changes nothing, and a file
whose content changed (same source_file, new sha256) has its old rows replaced atomically. Rows go
in through Arrow tables (register + INSERT ... SELECT), which is orders of magnitude faster than
row-by-row inserts.
"""
from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Literal, get_args

import duckdb
from pydantic import BaseModel

from extract.errors import PlansError
from extract.rules.register import kommun_register
from extract.warehouse.schema import (
    BACKFILLS,
    CHILD_TABLES,
    DOCUMENT_TABLES,
    TABLES,
    TABLES_BY_NAME,
    Table,
)
from extract.warehouse.views import create_views
from models.records import Extraction
from models.registry import RECORD_TYPES, TABLE_SPECS

LoadStatus = Literal["loaded", "unchanged", "replaced", "failed"]

EXTENSION_DIR_NAME = ".duckdb_extensions"
STAGING = "staging_rows"
TABLE_OF_MODEL = {spec.model: spec.name for spec in TABLE_SPECS}


class WarehouseError(PlansError):
    """The warehouse cannot be opened, or a document could not be written to it."""


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


def first_line(error: BaseException) -> str:
    """The error's first line, with DuckDB's hint ('Did you mean "goal"?') kept on it: one line."""
    lines = [line.strip() for line in str(error).strip().splitlines() if line.strip()]
    if not lines:
        return type(error).__name__
    return " ".join([lines[0], *(line for line in lines[1:] if line.startswith("Did you mean"))])


def connect(db_path: Path, read_only: bool = False, schema: bool = True) -> duckdb.DuckDBPyConnection:
    """The one place the warehouse is opened; a writable connection also creates (or brings up to
    date) the schema, unless `schema` is False because this process already did.

    Extensions are never fetched or auto-loaded: the machine may be offline, and a failed install
    must not leave files outside the warehouse's folder.
    """
    db_path = Path(db_path)
    if read_only and not db_path.exists():
        raise WarehouseError(f"no warehouse at {db_path}; run 'plans extract corpus/pdf' first")
    if not read_only:
        db_path.parent.mkdir(parents=True, exist_ok=True)
    config = {
        "extension_directory": str(db_path.parent / EXTENSION_DIR_NAME),
        "autoinstall_known_extensions": False,
        "autoload_known_extensions": False,
    }
    try:
        con = duckdb.connect(str(db_path), read_only=read_only, config=config)
        if not read_only and schema:
            create_schema(con)
    except duckdb.Error as exc:
        raise WarehouseError(f"cannot open warehouse {db_path}: {first_line(exc)}") from None
    return con


def table_columns(con: duckdb.DuckDBPyConnection, name: str) -> set[str]:
    """The columns a table of this warehouse has now (an older warehouse may lack declared ones)."""
    return {row[0] for row in con.execute("SELECT column_name FROM information_schema.columns WHERE "
                                          "table_schema = 'main' AND table_name = ?", [name]).fetchall()}


def create_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create missing tables, and add columns declared since an older warehouse was made (columns are
    only ever appended, so an old warehouse keeps its rows and gains the new columns as NULL, or as
    what its rows already say where a column is derived from them: BACKFILLS)."""
    for table in TABLES:
        con.execute(table.to_ddl())
        present = table_columns(con, table.name)
        for name, sql_type in table.columns:
            if name not in present:
                con.execute(f"ALTER TABLE {table.name} ADD COLUMN {name} {sql_type}")
                if (table.name, name) in BACKFILLS:
                    con.execute(BACKFILLS[table.name, name])
    create_views(con)
    seed_municipalities(con)


def seed_municipalities(con: duckdb.DuckDBPyConnection) -> None:
    """Every kommun of the register, so that any document, and any Kolada or SCB table, joins on its code
    whether or not a document of that kommun is loaded yet."""
    table = TABLES_BY_NAME["municipality"]
    rows = [m.model_dump() for m in kommun_register().to_municipalities()]
    columns = table.column_names
    present = set(con.execute(f"SELECT {', '.join(columns)} FROM {table.name}").fetchall())
    if present != {tuple(row[c] for c in columns) for row in rows}:  # only when the register changed
        insert_rows(con, table, rows, _on_conflict(table))


def is_lock_conflict(exc: duckdb.Error) -> bool:
    return "Conflicting lock" in str(exc) or "Could not set lock" in str(exc)


def connect_waiting(db_path: Path, lock_timeout: float = 30.0, read_only: bool = False,
                    schema: bool = True) -> duckdb.DuckDBPyConnection:
    """A connection, waiting (with backoff) while another process holds the warehouse's lock.

    DuckDB lets one process write a file at a time (or several read it) and refuses the rest outright;
    waiting turns two overlapping batches into two consecutive ones, and lets a query run between the
    documents a batch loads, instead of failing either.
    """
    deadline = time.monotonic() + lock_timeout
    delay = 0.05
    while True:
        try:
            return connect(db_path, read_only=read_only, schema=schema)
        except WarehouseError as error:
            if not isinstance(error.__context__, duckdb.Error) or not is_lock_conflict(error.__context__):
                raise
            if time.monotonic() >= deadline:
                raise WarehouseError(f"warehouse {db_path} is in use by another plans process; try again when it "
                                     f"finishes (waited {lock_timeout:g} s; see --lock-timeout)") from None
        time.sleep(min(delay, max(deadline - time.monotonic(), 0.0)))
        delay = min(delay * 2, 1.0)


@dataclass(frozen=True)
class Warehouse:
    """A warehouse file a batch writes to in short turns: each turn opens it (waiting up to
    `lock_timeout` for readers or another writer) and closes it, so `plans query`, `search`, `report`
    and `export` can read between the documents of a long run."""

    path: Path
    lock_timeout: float = 30.0
    opened: list[bool] = field(default_factory=list, compare=False)
    """Whether a turn has already brought the schema up to date (then later turns skip it)."""

    @contextmanager
    def turn(self) -> Iterator[duckdb.DuckDBPyConnection]:
        con = connect_waiting(self.path, self.lock_timeout, schema=not self.opened)
        self.opened[:] = [True]
        try:
            yield con
        finally:
            con.close()


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


def fts_extension_path() -> Path:
    """The full-text-search extension shipped by the duckdb-extension-fts package (no network)."""
    try:
        import duckdb_extension_fts
    except ImportError:
        raise WarehouseError("full-text search needs the duckdb-extension-fts package: pip install "
                             f"duckdb-extension-fts=={duckdb.__version__}") from None
    path = (Path(duckdb_extension_fts.__file__).parent / "extensions" / f"v{duckdb.__version__}"
            / "fts.duckdb_extension")
    if not path.exists():
        raise WarehouseError(f"no fts extension for duckdb {duckdb.__version__} at {path}; install "
                             f"duckdb-extension-fts=={duckdb.__version__}")
    return path


def load_fts(con: duckdb.DuckDBPyConnection) -> None:
    try:
        con.execute(f"LOAD '{fts_extension_path()}'")
    except duckdb.Error as exc:
        raise WarehouseError(f"cannot load full-text search: {first_line(exc)}") from None


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


def _on_conflict(table: Table) -> str:
    """For register rows (a kommun): opening the warehouse again brings them up to date."""
    if table.spec is None or not table.spec.register:
        return ""
    others = [c for c in table.column_names if c not in table.spec.key]
    return (f"ON CONFLICT ({', '.join(table.spec.key)}) DO UPDATE SET "
            + ", ".join(f"{c} = excluded.{c}" for c in others))


def insert_rows(con: duckdb.DuckDBPyConnection, table: Table, rows: list[dict[str, Any]],
                on_conflict: str = "") -> int:
    """Insert through an Arrow table typed from the schema, so empty and all-NULL columns keep their types."""
    if not rows:
        return 0
    import pyarrow as pa  # here: a command that only reads the warehouse need not load Arrow

    staged = pa.Table.from_pylist(rows, schema=table.to_arrow_schema())
    columns = ", ".join(table.column_names)
    con.register(STAGING, staged)
    try:
        con.execute(f"INSERT INTO {table.name} ({columns}) SELECT {columns} FROM {STAGING} {on_conflict}")
    finally:
        con.unregister(STAGING)
    return len(rows)


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
