"""Records the pipeline extracts, one model per warehouse table.

Every record that comes from a document carries its provenance: the document's sha256, the page,
the box on the page where known, and the raw text it was read from. Ids are derived from content
(see `stable_id`), so extracting the same file twice yields the same rows.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from models.layout import BBox, PageSource

YEAR = re.compile(r"(19|20)\d{2}")
"""A period that is a calendar year."""

ResultStatus = Literal["achieved", "partially_achieved", "not_achieved"]
AssignmentStatus = Literal["done", "ongoing", "not_started", "not_done"]
StatusScale = Literal["result_goal", "assignment"]
GoalLevel = Literal[
    "overarching",  # övergripande mål / kommunövergripande mål / målområde
    "development",  # utvecklingsmål
    "goal",  # mål under a development goal
    "sub_goal",  # delmål
    "reported",  # a goal reported on in a follow-up (e.g. "målet ... har inte påbörjats")
]


def stable_id(*parts: object) -> str:
    """A 16-hex id from the parts that identify a record inside its document."""
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()
    return digest[:16]


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Provenance(_Record):
    sha256: str
    page_no: int | None = None
    bbox: BBox | None = None
    raw_text: str | None = None


class Municipality(_Record):
    code: str = Field(pattern=r"^\d{4}$")
    name: str
    county: str


class Document(_Record):
    document_id: str
    municipality_code: str | None
    title: str | None
    doc_type: str
    """One of the document types of rules/_base.yaml, or 'other'."""
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    source_file: str
    sha256: str
    pages: int
    extractor_version: str
    extracted_at: dt.datetime
    # Plan metadata where the document prints it (Köping's field table and the like).
    version: str | None = None
    decided_date: dt.date | None = None
    decided_by: str | None = None
    diarienummer: str | None = None
    rules_version: str | None = None
    """Digest of the rule files the document was extracted with (extract.rules.rules_hash)."""
    source_path: str | None = None
    """The file's absolute path when it was loaded, so links to it resolve from any folder
    (`source_file` is the path as given, relative to the folder the extract ran in)."""


class Page(_Record):
    document_id: str
    page_no: int
    raw_text: str
    text: str
    source: PageSource
    quality: float | None = None
    """How Swedish-looking the repaired text is, 0..1: low means do not trust this page's records."""
    municipality_code: str | None = None
    raw_quality: float | None = None
    """The same score for the raw text: low means the input was garbled (and repair worked on it)."""


class Goal(_Record):
    goal_id: str
    document_id: str
    parent_goal_id: str | None = None
    level: GoalLevel
    number: str | None = None
    title: str
    short_label: str | None = None
    page_no: int | None = None
    provenance: Provenance
    status: AssignmentStatus | None = None
    """Where the document reports on the goal itself (e.g. 'not started'); None otherwise."""


class ResultGoal(_Record):
    result_goal_id: str
    document_id: str
    goal_id: str | None
    title: str
    committees: list[str] = []
    status: ResultStatus | None = None
    status_symbol: str | None = None
    status_color: str | None = None
    comment: str | None = None
    page_no: int | None = None
    provenance: Provenance


class Assignment(_Record):
    assignment_id: str
    document_id: str
    goal_id: str | None
    title: str
    status: AssignmentStatus | None = None
    status_symbol: str | None = None
    status_color: str | None = None
    comment: str | None = None
    page_no: int | None = None
    provenance: Provenance


class IndicatorValue(_Record):
    indicator_id: str
    period: str
    value: float | None
    """None where the document prints '-' (missing, not zero)."""
    year: int | None = None
    """The period as a year where it is one ('2023'), so values join Kolada's and SCB's by year."""

    @model_validator(mode="after")
    def _year_from_period(self) -> "IndicatorValue":
        if self.year is None and YEAR.fullmatch(self.period.strip()):
            self.year = int(self.period.strip())
        return self


class Indicator(_Record):
    indicator_id: str
    document_id: str
    goal_id: str | None
    group_name: str | None = None
    name: str
    unit: str | None = None
    target: str | None = None
    direction: Literal["increase", "decrease"] | None = None
    page_no: int | None = None
    values: list[IndicatorValue] = []
    provenance: Provenance


class Activity(_Record):
    activity_id: str
    document_id: str
    goal_id: str | None
    number: int | None = None
    title: str
    strategy: str | None = None
    focus_area: str | None = None
    purpose: str | None = None
    responsible: str | None = None
    performer: str | None = None
    page_no: int | None = None
    provenance: Provenance


class StatusLegendEntry(_Record):
    document_id: str
    scale: StatusScale
    symbol: str | None = None
    color: str | None = None
    status: str
    label: str
    source: Literal["document", "default"] = "document"


class Assessment(_Record):
    document_id: str
    question: str
    answer: Literal["ja", "nej"] | None
    """The ticked box's label; None when no box is ticked."""
    page_no: int | None = None
    provenance: Provenance | None = None


class Theme(_Record):
    """A record coded to a topic of a codebook (CAP major topics, Agenda 2030 goals)."""

    document_id: str
    record_type: str
    """The name of a coded record type (models.registry.CODED_TYPES)."""
    record_id: str
    scheme: str
    code: str
    label: str
    score: float
    matched_terms: list[str] = []


class RecordSet(_Record):
    """The records found in one document, with one-line notices for the user."""

    goals: list[Goal] = []
    result_goals: list[ResultGoal] = []
    assignments: list[Assignment] = []
    indicators: list[Indicator] = []
    activities: list[Activity] = []
    status_legend: list[StatusLegendEntry] = []
    assessments: list[Assessment] = []
    themes: list[Theme] = []
    notices: list[str] = []
    """One-line notices for the user (e.g. 'not a plan: no records')."""


class Extraction(RecordSet):
    """Everything extracted from one document: the unit the load stage writes in one transaction."""

    municipality: Municipality | None
    document: Document
    pages: list[Page]
