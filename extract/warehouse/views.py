"""Comparison views: the questions researchers ask across municipalities, kept as SQL in the warehouse so
every client (plans query, DuckDB's own CLI, R, pandas, the export) answers them the same way.

Views read only the tables of extract.warehouse.schema; they are replaced whenever the schema is created, so a
warehouse always carries the current definitions.
"""
from __future__ import annotations

import duckdb

from models.registry import CODED_TYPES, MARKED_TYPES

_RECORDS = "\n    UNION ALL ".join(
    f"SELECT '{t.name}' AS record_type, {t.id_field} AS record_id, document_id, {t.title} AS title, page_no "
    f"FROM {t.name}" for t in CODED_TYPES)
"""Every coded record with its title and page."""
_MARKS = "\n            UNION ALL ".join(
    f"SELECT document_id, '{t.scale}' AS scale, status FROM {t.name}" for t in MARKED_TYPES)
"""Every record on a status scale with its status."""

VIEWS: dict[str, str] = {
    "v_status_share": f"""
        WITH marks AS (
            {_MARKS}
        ), counted AS (
            SELECT document_id, scale, coalesce(status, 'no mark') AS status, count(*) AS records
            FROM marks GROUP BY ALL
        )
        SELECT d.municipality_code, m.name AS municipality, c.document_id, d.source_file, c.scale, c.status,
               c.records, round(c.records / sum(c.records) OVER (PARTITION BY c.document_id, c.scale), 4) AS share
        FROM counted c
        JOIN document d USING (document_id)
        LEFT JOIN municipality m ON m.code = d.municipality_code
        ORDER BY municipality, d.source_file, c.scale, c.records DESC, c.status
    """,
    "v_theme_coverage": """
        SELECT d.municipality_code, m.name AS municipality, t.scheme, t.code, t.label,
               count(DISTINCT t.record_id) AS records, count(DISTINCT t.document_id) AS documents
        FROM theme t
        JOIN document d USING (document_id)
        LEFT JOIN municipality m ON m.code = d.municipality_code
        GROUP BY ALL
        ORDER BY t.scheme, municipality, records DESC, t.code
    """,
    "v_goals_by_theme": f"""
        WITH records AS ({_RECORDS})
        SELECT t.scheme, t.code, t.label, d.municipality_code, m.name AS municipality, t.record_type,
               t.record_id, r.title, t.score, d.source_file, r.page_no
        FROM theme t
        JOIN records r ON r.record_type = t.record_type AND r.record_id = t.record_id
        JOIN document d ON d.document_id = r.document_id
        LEFT JOIN municipality m ON m.code = d.municipality_code
        ORDER BY t.scheme, t.code, municipality, t.record_type, t.score DESC, r.title
    """,
    "v_indicator_latest": """
        WITH ranked AS (
            SELECT indicator_id, period, value,
                   row_number() OVER (PARTITION BY indicator_id ORDER BY period DESC) AS recency
            FROM indicator_value WHERE value IS NOT NULL
        )
        SELECT d.municipality_code, m.name AS municipality, i.indicator_id, i.name, i.unit, i.direction, i.target,
               latest.period AS latest_period, latest.value AS latest_value,
               previous.period AS previous_period, previous.value AS previous_value,
               round(latest.value - previous.value, 4) AS change,
               d.source_file, i.page_no
        FROM indicator i
        JOIN document d USING (document_id)
        LEFT JOIN municipality m ON m.code = d.municipality_code
        LEFT JOIN ranked latest ON latest.indicator_id = i.indicator_id AND latest.recency = 1
        LEFT JOIN ranked previous ON previous.indicator_id = i.indicator_id AND previous.recency = 2
        ORDER BY municipality, i.group_name, i.name
    """,
}
"""View name → SELECT. Column meanings are in extract/codebook.yaml."""


def create_views(con: duckdb.DuckDBPyConnection) -> None:
    for name, select in VIEWS.items():
        con.execute(f"CREATE OR REPLACE VIEW {name} AS {select}")


def ensure_views(con: duckdb.DuckDBPyConnection) -> None:
    """Views for a read-only connection to a warehouse made before some view existed: the missing
    ones are created as temporary views of this connection."""
    present = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables "
                                         "WHERE table_type = 'VIEW'").fetchall()}
    for name, select in VIEWS.items():
        if name not in present:
            con.execute(f"CREATE OR REPLACE TEMP VIEW {name} AS {select}")
