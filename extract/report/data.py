"""The warehouse rows the report shows, read in one pass and grouped for rendering.

Which record types the report lists, their titles and their queries all follow models/registry.py,
so a record type added there appears in the report without a change here.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import duckdb

from models.registry import CODED_TYPES, RECORD_TYPES, RECORD_TYPES_BY_NAME, RecordType

RECORD_KINDS = tuple(t.name for t in RECORD_TYPES if t.under_goal)
"""The record types listed under their goal, in registry order."""
KIND_TITLES = {t.name: t.label[:1].upper() + t.label[1:] for t in RECORD_TYPES}


@dataclass
class ReportData:
    """The warehouse rows the report shows, grouped for rendering."""

    municipalities: list[dict[str, Any]]
    documents: list[dict[str, Any]]
    goals: list[dict[str, Any]]
    records: dict[str, list[dict[str, Any]]]
    """Kind (one of RECORD_KINDS) → rows, each with a uniform `id` and `title`."""
    values: dict[str, list[dict[str, Any]]]
    legend: list[dict[str, Any]]
    themes: list[dict[str, Any]]
    pages: dict[str, int] = field(default_factory=dict)


def _rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[dict[str, Any]]:
    result = con.execute(sql)
    columns = [d[0] for d in result.description]
    return [dict(zip(columns, row)) for row in result.fetchall()]


def _has_table(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    return bool(con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [name]).fetchone()[0])


def _records_sql(record_type: RecordType) -> str:
    """Every record of a type, its key as `id` and its naming field as `title` whatever the type calls them."""
    title = f", {record_type.title} AS title" if record_type.title != "title" else ""
    return (f"SELECT {record_type.id_field} AS id{title}, * FROM {record_type.name} "
            f"ORDER BY {', '.join(record_type.order)}")


def _themes_sql() -> str:
    """Theme codes with the document of the record they code, whatever its type."""
    records = " UNION ALL ".join(f"SELECT {t.id_field} AS record_id, document_id FROM {t.name}" for t in CODED_TYPES)
    return (f"WITH records AS ({records}) "
            "SELECT t.record_type, t.record_id, t.scheme, t.code, t.label, t.score, r.document_id "
            "FROM theme t JOIN records r USING (record_id) ORDER BY t.scheme, t.record_id, t.score DESC")


def warehouse_to_data(con: duckdb.DuckDBPyConnection) -> ReportData:
    values: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in _rows(con, "SELECT * FROM indicator_value ORDER BY indicator_id, period"):
        values[row["indicator_id"]].append(row)
    return ReportData(
        municipalities=_rows(con, "SELECT * FROM municipality ORDER BY name"),
        documents=_rows(con, "SELECT * FROM document ORDER BY source_file"),
        goals=_rows(con, _records_sql(RECORD_TYPES_BY_NAME["goal"])),
        records={kind: _rows(con, _records_sql(RECORD_TYPES_BY_NAME[kind])) for kind in RECORD_KINDS},
        values=dict(values),
        legend=_rows(con, "SELECT * FROM status_legend"),
        themes=_rows(con, _themes_sql()) if _has_table(con, "theme") else [],
        pages={r["document_id"]: r["n"] for r in _rows(con, "SELECT document_id, count(*) AS n FROM page GROUP BY 1")},
    )
