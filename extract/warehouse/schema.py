"""The warehouse schema, derived from the table declarations in models.registry: each model field is a
column (a `provenance` field adds bbox and raw_text), typed from its annotation, and a `status` field
whose type lists its values gets a CHECK on them. Both the DDL and the Arrow staging schema come
from the same column list, so the two cannot disagree.

Table and column names are a public contract (queries, exports and evaluations use them): fields are
only ever appended to a model, and a warehouse made by an older version gains them as NULL columns.
"""
from __future__ import annotations

import datetime as dt
import types
from dataclasses import dataclass
from typing import Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel

from models.layout import BBox
from models.records import YEAR, Provenance
from models.registry import TABLE_SPECS, TableSpec

def _arrow_type(sql_type: str):
    """The Arrow type of a DuckDB column type (pyarrow loaded only by the commands that write)."""
    import pyarrow as pa

    element = {"VARCHAR": pa.string, "INTEGER": pa.int32, "DOUBLE": pa.float64, "BOOLEAN": pa.bool_,
               "DATE": pa.date32, "TIMESTAMP": lambda: pa.timestamp("us")}
    if sql_type.endswith("[]"):
        return pa.list_(element[sql_type[:-2]]())
    return element[sql_type]()


_SCALARS = ((bool, "BOOLEAN"), (int, "INTEGER"), (float, "DOUBLE"), (str, "VARCHAR"),
            (dt.datetime, "TIMESTAMP"), (dt.date, "DATE"))
"""Python type → DuckDB type; datetime before date, which it subclasses."""
PROVENANCE_COLUMNS = (("bbox", "DOUBLE[]"), ("raw_text", "VARCHAR"))
"""What a `provenance` field adds beside the record's own page_no."""


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[tuple[str, str], ...]
    """(name, DuckDB type) in table order."""
    constraints: tuple[str, ...] = ()
    spec: TableSpec | None = None

    @property
    def column_names(self) -> list[str]:
        return [name for name, _ in self.columns]

    def to_ddl(self) -> str:
        body = [f"{name} {sql_type}" for name, sql_type in self.columns] + list(self.constraints)
        return f"CREATE TABLE IF NOT EXISTS {self.name} (\n    " + ",\n    ".join(body) + "\n)"

    def to_arrow_schema(self):
        import pyarrow as pa

        return pa.schema([(name, _arrow_type(sql_type)) for name, sql_type in self.columns])


def _without_none(annotation: Any) -> Any:
    if get_origin(annotation) in (Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        return args[0] if len(args) == 1 else annotation
    return annotation


def annotation_to_sql(annotation: Any) -> str | None:
    """A field's DuckDB type; None for a field that is no column (a list of records of another table)."""
    annotation = _without_none(annotation)
    if annotation == BBox:
        return "DOUBLE[]"
    origin = get_origin(annotation)
    if origin is Literal:
        return "VARCHAR"
    if origin is list:
        item = _without_none(get_args(annotation)[0])
        if isinstance(item, type) and issubclass(item, BaseModel):
            return None
        return f"{annotation_to_sql(item)}[]"
    for python_type, sql_type in _SCALARS:
        if isinstance(annotation, type) and issubclass(annotation, python_type):
            return sql_type
    raise TypeError(f"no warehouse column type for {annotation!r}")


def status_values(model: type[BaseModel]) -> tuple[str, ...]:
    """The values a model's `status` field may take (its Literal), or none."""
    info = model.model_fields.get("status")
    annotation = _without_none(info.annotation) if info else None
    return get_args(annotation) if get_origin(annotation) is Literal else ()


def _in_vocabulary(column: str, values: tuple[str, ...]) -> str:
    listed = ", ".join(f"'{v}'" for v in values)
    return f"CHECK ({column} IS NULL OR {column} IN ({listed}))"


def spec_to_table(spec: TableSpec) -> Table:
    columns: list[tuple[str, str]] = []
    constraints = [f"PRIMARY KEY ({', '.join(spec.key)})"] if spec.key else []
    constraints += [f"UNIQUE ({column})" for column in spec.unique]
    for name, info in spec.model.model_fields.items():
        if _without_none(info.annotation) is Provenance:
            columns.extend(PROVENANCE_COLUMNS)
            continue
        sql_type = annotation_to_sql(info.annotation)
        if sql_type is None:
            continue
        columns.append((name, sql_type))
        if name == "status" and status_values(spec.model):
            constraints.append(_in_vocabulary(name, status_values(spec.model)))
    return Table(spec.name, tuple(columns), tuple(constraints), spec)


TABLES: tuple[Table, ...] = tuple(spec_to_table(spec) for spec in TABLE_SPECS)
TABLES_BY_NAME = {table.name: table for table in TABLES}

DOCUMENT_TABLES = tuple(t.name for t in TABLES if "document_id" in t.column_names and t.name != "document")
"""Tables whose rows belong to one document through a document_id column (document itself aside)."""


def _child_tables() -> tuple[tuple[str, str, str], ...]:
    """(child, parent, id column) for records held inside another record (an indicator's values): their
    rows belong to a document through the parent's id."""
    by_model = {t.spec.model: t for t in TABLES if t.spec is not None}
    found = []
    for parent in TABLES:
        if parent.spec is None or parent.name not in DOCUMENT_TABLES:
            continue
        for info in parent.spec.model.model_fields.values():
            item = get_args(info.annotation)[0] if get_origin(info.annotation) is list else None
            child = by_model.get(item)
            if child is not None and parent.spec.key and parent.spec.key[0] in child.column_names:
                found.append((child.name, parent.name, parent.spec.key[0]))
    return tuple(found)


CHILD_TABLES = _child_tables()


BACKFILLS = {
    ("indicator_value", "year"): "UPDATE indicator_value SET year = CAST(trim(period) AS INTEGER) "
                                 f"WHERE year IS NULL AND regexp_full_match(trim(period), '{YEAR.pattern}')",
}
"""Columns derived from others (the model fills them for new rows), filled in an older warehouse's rows
when the column is added."""
