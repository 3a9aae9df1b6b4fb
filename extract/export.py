"""Export every warehouse table to Parquet or CSV files, one file per table (DuckDB COPY)."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any, Literal

import duckdb

from extract.load import WarehouseError, first_line
from extract.schema import TABLES

ExportFormat = Literal["parquet", "csv"]
_COPY_OPTIONS = {"parquet": "FORMAT parquet", "csv": "FORMAT csv, HEADER true"}


def warehouse_to_files(con: duckdb.DuckDBPyConnection, out_dir: Path, fmt: ExportFormat) -> list[Path]:
    """Write OUTDIR/<table>.<fmt> for every table and return the paths written."""
    out_dir = Path(out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WarehouseError(f"cannot create {out_dir}: {exc.strerror}") from None
    written = []
    for table in TABLES:
        path = out_dir / f"{table.name}.{fmt}"
        quoted = str(path).replace("'", "''")
        try:
            con.execute(f"COPY {table.name} TO '{quoted}' ({_COPY_OPTIONS[fmt]})")
        except duckdb.Error as exc:
            raise WarehouseError(f"export of {table.name} to {path} failed: {first_line(exc)}") from None
        written.append(path)
    return written


def rows_to_csv(columns: list[str], rows: list[tuple[Any, ...]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return buffer.getvalue()


def rows_to_json(columns: list[str], rows: list[tuple[Any, ...]]) -> str:
    """A JSON array of objects; dates, decimals and the like as their text."""
    return json.dumps([dict(zip(columns, row)) for row in rows], ensure_ascii=False, indent=2, default=str)
