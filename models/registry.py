"""Every record type and warehouse table, declared once.

A record type is a pydantic model (models/records.py) plus what the rest of the tool needs to know
about it: its table and key, the field that names a record, the status scale its `status` is on,
the fields theme coding and search read, and how a list of them is ordered. The warehouse schema,
the Arrow rows, the CLI summary, the comparison views, the search index, the report and the
evaluator all derive from these declarations, so adding a record type is one entry here plus the
reader that finds it.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import get_args

from pydantic import BaseModel

from models.records import (Activity, Assessment, Assignment, Document, Goal, Indicator, IndicatorValue,
                            Municipality, Page, ResultGoal, StatusLegendEntry, StatusScale, Theme)
from models.runs import Failure, Run


@dataclass(frozen=True)
class TableSpec:
    """A warehouse table made from a model: one column per field (a `provenance` field adds bbox and
    raw_text; a list of another table's model becomes that table's rows)."""

    name: str
    model: type[BaseModel]
    key: tuple[str, ...] = ()
    """Primary key columns; empty for tables without one."""
    unique: tuple[str, ...] = ()
    """Further columns whose values are unique."""
    register: bool = False
    """Rows from the register in rules/ (every kommun), written when the warehouse is opened and kept
    current there; a document's own copy of its row is not loaded."""


@dataclass(frozen=True)
class RecordType(TableSpec):
    """A kind of record found in documents."""

    field: str = ""
    """Its list in RecordSet, and its key in gold files."""
    label: str = ""
    """Plural, in the words of the CLI and the report."""
    title: str = "title"
    """The field that names one record (what gold records are matched by)."""
    scale: StatusScale | None = None
    """The status scale of its `status` field, where the document marks one."""
    theme_head: tuple[str, ...] = ()
    """Fields theme coding weighs as the title (joined with '. '); empty: not coded."""
    theme_body: tuple[str, ...] = ()
    """Fields theme coding reads as body text."""
    search: tuple[str, ...] = ()
    """Fields the full-text index holds (joined by line breaks); empty: not searched."""
    order: tuple[str, ...] = ("page_no", "title")
    """How a list of them is ordered in the report."""
    summary: bool = False
    """A column of the per-document summary `plans extract` prints."""
    compared: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """Fields the evaluator compares on records matched to gold, by check name (a list field is
    compared as a set)."""

    @property
    def id_field(self) -> str | None:
        return self.key[0] if len(self.key) == 1 else None

    @property
    def coded(self) -> bool:
        return bool(self.theme_head)

    @property
    def under_goal(self) -> bool:
        """Hangs under a goal (a goal_id field), as result goals, uppdrag, indicators and activities do."""
        return "goal_id" in self.model.model_fields and self.id_field != "goal_id"


RECORD_TYPES: tuple[RecordType, ...] = (
    RecordType("goal", Goal, key=("goal_id",), field="goals", label="goals",
               theme_head=("title",), search=("title", "short_label"), order=("page_no", "number", "title"),
               summary=True, compared=(("fields", ("level", "number", "short_label")),)),
    RecordType("result_goal", ResultGoal, key=("result_goal_id",), field="result_goals", label="result goals",
               scale="result_goal", theme_head=("title",), theme_body=("comment",), search=("title", "comment"),
               summary=True, compared=(("comment", ("comment",)), ("committees", ("committees",)))),
    RecordType("assignment", Assignment, key=("assignment_id",), field="assignments", label="uppdrag",
               scale="assignment", theme_head=("title",), theme_body=("comment",), search=("title", "comment"),
               summary=True, compared=(("comment", ("comment",)),)),
    RecordType("indicator", Indicator, key=("indicator_id",), field="indicators", label="indicators",
               title="name", theme_head=("group_name", "name"), search=("group_name", "name", "target"),
               order=("page_no", "group_name", "name"), summary=True,
               compared=(("fields", ("group_name", "unit", "target", "direction")),)),
    RecordType("activity", Activity, key=("activity_id",), field="activities", label="activities",
               theme_head=("title",), theme_body=("purpose",), search=("title", "purpose", "strategy", "focus_area"),
               order=("page_no", "number", "title"), summary=True,
               compared=(("fields", ("responsible", "performer", "strategy", "focus_area")),)),
    RecordType("assessment", Assessment, field="assessments", label="assessments", title="question",
               order=("page_no", "question"), compared=(("answer", ("answer",)),)),
    RecordType("status_legend", StatusLegendEntry, field="status_legend", label="legend entries", title="label",
               order=("scale", "status"), compared=(("fields", ("status", "color")),)),
)
"""In report order: goals first, then what hangs under them."""

RECORD_TYPES_BY_NAME = {record_type.name: record_type for record_type in RECORD_TYPES}
CODED_TYPES = tuple(t for t in RECORD_TYPES if t.coded)
MARKED_TYPES = tuple(t for t in RECORD_TYPES if t.scale)
"""Record types with a status scale, one per scale."""

TABLE_SPECS: tuple[TableSpec, ...] = (
    TableSpec("municipality", Municipality, key=("code",), register=True),
    TableSpec("document", Document, key=("document_id",), unique=("sha256",)),
    TableSpec("page", Page, key=("document_id", "page_no")),
    *RECORD_TYPES[:4],
    TableSpec("indicator_value", IndicatorValue, key=("indicator_id", "period")),
    *RECORD_TYPES[4:],
    TableSpec("theme", Theme, key=("record_id", "scheme", "code")),
    TableSpec("run", Run, key=("run_id",)),
    TableSpec("failure", Failure),
)
"""Every warehouse table, in the order they are created."""

if {t.scale for t in MARKED_TYPES} != set(get_args(StatusScale)):
    raise AssertionError("every status scale needs exactly one record type that carries it")
