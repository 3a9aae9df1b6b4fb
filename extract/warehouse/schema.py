"""The warehouse schema: one column list per table, from which both the DDL and the Arrow staging
schema are made, so the two cannot disagree.

Table and column names are a public contract (queries, exports and evaluations use them).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import get_args

import pyarrow as pa

from models.records import AssignmentStatus, ResultStatus

_ARROW = {
    "VARCHAR": pa.string(),
    "INTEGER": pa.int32(),
    "DOUBLE": pa.float64(),
    "DATE": pa.date32(),
    "TIMESTAMP": pa.timestamp("us"),
    "DOUBLE[]": pa.list_(pa.float64()),
    "VARCHAR[]": pa.list_(pa.string()),
}


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[tuple[str, str], ...]
    """(name, DuckDB type) in table order."""
    constraints: tuple[str, ...] = ()

    @property
    def column_names(self) -> list[str]:
        return [name for name, _ in self.columns]

    def to_ddl(self) -> str:
        body = [f"{name} {sql_type}" for name, sql_type in self.columns] + list(self.constraints)
        return f"CREATE TABLE IF NOT EXISTS {self.name} (\n    " + ",\n    ".join(body) + "\n)"

    def to_arrow_schema(self) -> pa.Schema:
        return pa.schema([(name, _ARROW[sql_type]) for name, sql_type in self.columns])


def _in_vocabulary(column: str, values: tuple[str, ...]) -> str:
    listed = ", ".join(f"'{v}'" for v in values)
    return f"CHECK ({column} IS NULL OR {column} IN ({listed}))"


def _provenance() -> tuple[tuple[str, str], ...]:
    return (("page_no", "INTEGER"), ("bbox", "DOUBLE[]"), ("raw_text", "VARCHAR"))


V, I, D = "VARCHAR", "INTEGER", "DOUBLE"

TABLES: tuple[Table, ...] = (
    Table("municipality", (("code", V), ("name", V), ("county", V)), ("PRIMARY KEY (code)",)),
    Table(
        "document",
        (
            ("document_id", V), ("municipality_code", V), ("title", V), ("doc_type", V),
            ("period_start", "DATE"), ("period_end", "DATE"), ("source_file", V), ("sha256", V),
            ("pages", I), ("extractor_version", V), ("extracted_at", "TIMESTAMP"), ("version", V),
            ("decided_date", "DATE"), ("decided_by", V), ("diarienummer", V), ("rules_version", V),
        ),
        ("PRIMARY KEY (document_id)", "UNIQUE (sha256)"),
    ),
    Table(
        "page",
        (("document_id", V), ("page_no", I), ("raw_text", V), ("text", V), ("source", V), ("quality", D),
         ("municipality_code", V), ("raw_quality", D)),
        ("PRIMARY KEY (document_id, page_no)",),
    ),
    Table(
        "goal",
        (
            ("goal_id", V), ("document_id", V), ("parent_goal_id", V), ("level", V), ("number", V),
            ("title", V), ("short_label", V), *_provenance(), ("status", V),
        ),
        ("PRIMARY KEY (goal_id)", _in_vocabulary("status", get_args(AssignmentStatus))),
    ),
    Table(
        "result_goal",
        (
            ("result_goal_id", V), ("document_id", V), ("goal_id", V), ("title", V),
            ("committees", "VARCHAR[]"), ("status", V), ("status_symbol", V), ("status_color", V),
            ("comment", V), *_provenance(),
        ),
        ("PRIMARY KEY (result_goal_id)", _in_vocabulary("status", get_args(ResultStatus))),
    ),
    Table(
        "assignment",
        (
            ("assignment_id", V), ("document_id", V), ("goal_id", V), ("title", V), ("status", V),
            ("status_symbol", V), ("status_color", V), ("comment", V), *_provenance(),
        ),
        ("PRIMARY KEY (assignment_id)", _in_vocabulary("status", get_args(AssignmentStatus))),
    ),
    Table(
        "indicator",
        (
            ("indicator_id", V), ("document_id", V), ("goal_id", V), ("group_name", V), ("name", V),
            ("unit", V), ("target", V), ("direction", V), *_provenance(),
        ),
        ("PRIMARY KEY (indicator_id)",),
    ),
    Table(
        "indicator_value",
        (("indicator_id", V), ("period", V), ("value", D)),
        ("PRIMARY KEY (indicator_id, period)",),
    ),
    Table(
        "activity",
        (
            ("activity_id", V), ("document_id", V), ("goal_id", V), ("number", I), ("title", V),
            ("strategy", V), ("focus_area", V), ("purpose", V), ("responsible", V), ("performer", V),
            *_provenance(),
        ),
        ("PRIMARY KEY (activity_id)",),
    ),
    Table(
        "status_legend",
        (("document_id", V), ("scale", V), ("symbol", V), ("color", V), ("status", V), ("label", V), ("source", V)),
    ),
    Table("assessment", (("document_id", V), ("question", V), ("answer", V), ("page_no", I))),
    Table(
        "theme",
        (("document_id", V), ("record_type", V), ("record_id", V), ("scheme", V), ("code", V), ("label", V),
         ("score", D), ("matched_terms", "VARCHAR[]")),
        ("PRIMARY KEY (record_id, scheme, code)",),
    ),
    Table(
        "run",
        (("run_id", V), ("started_at", "TIMESTAMP"), ("finished_at", "TIMESTAMP"), ("files", I), ("loaded", I),
         ("skipped", I), ("failed", I), ("extractor_version", V)),
        ("PRIMARY KEY (run_id)",),
    ),
    Table("failure", (("run_id", V), ("source_file", V), ("error_code", V), ("message", V))),
)

TABLES_BY_NAME = {table.name: table for table in TABLES}

DOCUMENT_TABLES = tuple(t.name for t in TABLES if "document_id" in t.column_names and t.name != "document")
"""Tables whose rows belong to one document through a document_id column (document itself aside)."""
