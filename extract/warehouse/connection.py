"""Opening the warehouse: the one place a connection is made, the schema brought up to date as it
opens, and a wait while another process holds DuckDB's lock, announced to the holder."""
from __future__ import annotations

import os
import threading
import time
from pathlib import Path
from typing import Any

import duckdb

from extract.errors import PlansError
from extract.rules.register import kommun_register
from extract.warehouse.schema import BACKFILLS, TABLES, TABLES_BY_NAME, Table
from extract.warehouse.views import create_views

EXTENSION_DIR_NAME = ".duckdb_extensions"
STAGING = "staging_rows"


class WarehouseError(PlansError):
    """The warehouse cannot be opened, or a document could not be written to it."""


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


RETRY_MAX_SECONDS = 0.25
"""The longest pause between two tries for the lock: a reader polling the warehouse (a script, a
dashboard) holds it only for moments, and a writer trying seldom would miss them."""
WAITING_FRESH_SECONDS = 5.0
"""A waiting mark not renewed for this long was left by a process that is gone."""


def _waiting_prefix(db_path: Path) -> str:
    return f".{db_path.name}.waiting-"


def waiting_mark(db_path: Path) -> Path:
    """The file by which this process tells a writer holding the warehouse that it waits for it
    (beside the warehouse, one per process and thread, removed once the wait ends)."""
    return db_path.parent / f"{_waiting_prefix(db_path)}{os.getpid()}-{threading.get_ident()}"


def others_waiting(db_path: Path) -> bool:
    """Whether another process (a command, another batch) has marked, within the last few seconds, that
    it waits for the warehouse."""
    prefix, own, now = _waiting_prefix(db_path), f"{_waiting_prefix(db_path)}{os.getpid()}-", time.time()
    try:
        with os.scandir(db_path.parent) as entries:
            return any(e.name.startswith(prefix) and not e.name.startswith(own)
                       and now - e.stat().st_mtime < WAITING_FRESH_SECONDS for e in entries)
    except OSError:
        return False


def connect_waiting(db_path: Path, lock_timeout: float = 30.0, read_only: bool = False,
                    schema: bool = True, stop: threading.Event | None = None) -> duckdb.DuckDBPyConnection:
    """A connection, waiting (with backoff) while another process holds the warehouse's lock.

    DuckDB lets one process write a file at a time (or several read it) and refuses the rest outright;
    waiting turns two overlapping batches into two consecutive ones, and lets a query run between the
    documents a batch loads, instead of failing either. While it waits it keeps a mark beside the
    warehouse (`waiting_mark`), renewed at every try, which tells a batch holding the warehouse
    between its documents to let go of it. A wait ends early once `stop` is set.
    """
    db_path = Path(db_path)
    deadline = time.monotonic() + lock_timeout
    delay = 0.05
    mark = waiting_mark(db_path)
    try:
        while True:
            try:
                return connect(db_path, read_only=read_only, schema=schema)
            except WarehouseError as error:
                if not isinstance(error.__context__, duckdb.Error) or not is_lock_conflict(error.__context__):
                    raise
                if time.monotonic() >= deadline:
                    raise WarehouseError(f"warehouse {db_path} is in use by another plans process; try again when "
                                         f"it finishes (waited {lock_timeout:g} s; see --lock-timeout)") from None
            try:
                mark.touch()
            except OSError:
                pass  # a folder this process cannot write to: it waits unannounced
            pause = min(delay, max(deadline - time.monotonic(), 0.0))
            if stop is None:
                time.sleep(pause)
            elif stop.wait(pause):
                raise WarehouseError(f"warehouse {db_path}: stopped while waiting for another plans process")
            delay = min(delay * 2, RETRY_MAX_SECONDS)
    finally:
        mark.unlink(missing_ok=True)


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
