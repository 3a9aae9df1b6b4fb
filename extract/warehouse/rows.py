"""Rows as the commands print them: one set of formats for every command that prints rows, the same
as sqlite-utils and datasette offer (a table for people; CSV, a JSON array or newline-delimited JSON
for programs). Lists are JSON arrays in CSV, as in `export`; NULL is an empty CSV field and a JSON
null."""
from __future__ import annotations

import csv
import io
import json
import re
from typing import Any, Literal

RowFormat = Literal["table", "csv", "json", "nl"]
ROW_FORMATS: tuple[RowFormat, ...] = ("table", "csv", "json", "nl")
NULL = "NULL"
"""How a table shows a missing value, told apart from an empty text."""
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
"""Characters that drive a terminal or reorder what it shows: C0 and C1 controls but tab and newline
(escape sequences start with them) and the bidirectional overrides."""


def printable(text: str) -> str:
    """Text from a document made safe to print: each control character as a `\\uXXXX` escape, which in
    JSON output is the same character again."""
    return _CONTROLS.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _json_default(value: Any) -> Any:
    return str(value)


def _csv_value(value: Any) -> Any:
    """Lists (and mappings) as JSON; other values as they are."""
    if isinstance(value, (list, tuple, dict)):
        return json.dumps(value, ensure_ascii=False, default=_json_default)
    return value


def rows_to_csv(columns: list[str], rows: list[tuple[Any, ...]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows([_csv_value(v) for v in row] for row in rows)
    return buffer.getvalue()


def rows_to_json(columns: list[str], rows: list[tuple[Any, ...]]) -> str:
    """A JSON array of objects; dates, decimals and the like as their text."""
    return json.dumps([dict(zip(columns, row)) for row in rows], ensure_ascii=False, indent=2,
                      default=_json_default)


def rows_to_nl(columns: list[str], rows: list[tuple[Any, ...]]) -> str:
    """One JSON object a line (newline-delimited JSON)."""
    return "".join(json.dumps(dict(zip(columns, row)), ensure_ascii=False, default=_json_default) + "\n"
                   for row in rows)


def cell_text(value: Any) -> str:
    """A value as a table cell: NULL for a missing value, lists as JSON, control characters escaped."""
    return NULL if value is None else printable(str(_csv_value(value)))


def rows_to_text(columns: list[str], rows: list[tuple[Any, ...]], fmt: RowFormat) -> str:
    """The rows in a machine format (csv, json, nl), printable; a table is drawn by the caller."""
    return printable({"csv": rows_to_csv, "json": rows_to_json, "nl": rows_to_nl}[fmt](columns, rows))
