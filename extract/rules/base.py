"""Document-level rules from rules/_base.yaml: municipalities, document types, periods."""
from __future__ import annotations

import re
from functools import cached_property, lru_cache
from typing import Any, Literal
from pathlib import Path

from pydantic import Field, field_validator, model_validator

from extract.rules import RULES_DIR, Regex, RuleModel, load_model, regex_with
from models.records import StatusScale


PeriodPattern = regex_with("start")


class PeriodRule(RuleModel):
    """A period pattern whose months the document names by a word ('Tertialrapport 1' is January to
    April) rather than in the text."""

    pattern: PeriodPattern
    start_month: int | None = Field(None, ge=1, le=12)
    end_month: int | None = Field(None, ge=1, le=12)


class MunicipalityNames(RuleModel):
    """How documents name their kommun (the names are in rules/kommuner.yaml)."""

    after: list[str]
    """Words after a name that make it the kommun's ('kommun', 'stad')."""
    before: list[str] = []
    """Words before a name that make it the kommun's ('Region Gotland')."""
    county_after: list[str] = []
    """Words after a name that make it the county's ('Kalmar län'): not a mention of the kommun."""
    named_weight: float = Field(3.0, ge=1)
    """A name in one of the kommun's forms counts as this many plain mentions."""
    head_weight: float = Field(2.0, ge=1)
    """A mention on the first lines of page 1 (cover, running header) counts this many times."""
    ocr_max_cost: float = Field(0.6, ge=0)
    """OCR misreadings of å, ä and ö in rules/repair.yaml up to this cost are spellings of a name too."""


class DocTypeRule(RuleModel):
    doc_type: str
    patterns: list[Regex]


class BaseRules(RuleModel):
    municipality_names: MunicipalityNames
    doc_types: list[DocTypeRule]
    periods: list[PeriodPattern | PeriodRule]
    month_names: dict[str, int] = {}
    """Month names (lower case) to numbers, for periods given as months ('januari–augusti 2024')."""
    lookahead_pages: int = 3
    doc_type_lines: int = 12
    segment: "SegmentRules"
    status: "StatusRules" = Field(default_factory=lambda: StatusRules())
    readers: dict[str, dict[str, Any]] = {}
    """The shared readers' rules by field name, layered under every family whose rules model has a
    field of that name; each family's model validates them."""




class HeadingPattern(RuleModel):
    pattern: Regex
    level: int


class HeadingContinuation(RuleModel):
    """When the blocks under a title continue it (a title wrapped over lines): same page, a size close
    to the block before, and a gap in the given range below it."""

    opens: Regex | None = None
    """A block whose text matches this opens a title whatever its kind; unset: headings open titles."""
    joins: list[Literal["heading", "line"]] = ["heading"]
    """Kinds of block that may continue a title."""
    weight: Literal["same", "bold", "any"] = "same"
    """A continuation is as bold as the block before it, bold, or either."""
    size_tolerance: float = Field(0.0, ge=0)
    gap_unit: Literal["points", "size"] = "points"
    """Gaps in points, or as a share of the font size."""
    gap_min: float = 0.0
    """Negative: boxes may overlap (OCR boxes include descenders)."""
    gap_max: float = Field(6.0, ge=0)
    measure_from: Literal["previous", "opener"] = "previous"
    """The gap is measured from the block right above, or from the title's first block."""
    skip_marked: bool = False
    """A line carrying marks (check boxes) never continues a title."""
    ocr_left_edge_tolerance: float | None = None
    """On OCR'd pages, where sizes measured from pixels vary with the letters, a continuation must also
    start within this many points of the opener's left edge (None: no such check)."""
    ocr_size_tolerance: float | None = None
    """On OCR'd pages, the size tolerance instead of `size_tolerance` (None: the same)."""


class TableStitching(RuleModel):
    """When a table at the top of a page continues the last table of the page before."""

    without_header_needs_bottom: bool = True
    """A continuation that does not repeat the header row counts only when the first part ran into
    the page's bottom band; false: whenever the column counts agree."""


class SegmentRules(RuleModel):
    page_number_patterns: list[Regex]
    toc_patterns: list[Regex]
    heading_patterns: list[HeadingPattern] = []
    heading_continuation: HeadingContinuation = HeadingContinuation()
    table_stitching: TableStitching = TableStitching()


class SegmentOverrides(RuleModel):
    """What a document family changes in how its documents are segmented."""

    heading_continuation: HeadingContinuation | None = None
    table_stitching: TableStitching | None = None


HEX_COLOR = re.compile(r"^#[0-9a-f]{6}$")


class LegendLabel(RuleModel):
    label: str
    status: str


class StatusPhrase(RuleModel):
    pattern: Regex
    """Matched against the whole status text, case-folded, spaces collapsed, end punctuation removed."""
    status: str


class DefaultLegendEntry(RuleModel):
    scale: StatusScale
    symbol: str
    """A glyph character, or a shape name for drawn marks."""
    color: str
    """A name from `status.colors` or '#rrggbb'."""
    status: str
    label: str


class StatusRules(RuleModel):
    """How statuses are read: the words of printed legends and status columns, the grammar of status
    wordings, and the colours the report draws scales in."""

    vocabularies: dict[StatusScale, list[str]] = {}
    labels: dict[StatusScale, list[LegendLabel]] = {}
    """Legend labels as documents print them, per scale; a printed legend entry is a mark beside one."""
    colors: dict[str, str] = {}
    default_legend: list[DefaultLegendEntry] = []
    """The colours and labels the report draws a scale in where no document printed a legend for it;
    never used to read a mark."""
    words: dict[StatusScale, list[LegendLabel]] = {}
    """Status words a row may carry instead of a mark: alone in a status column, or in brackets
    closing the title ('(Pågår)'); matched whole, case-insensitively."""
    phrases: dict[StatusScale, list[StatusPhrase]] = {}
    """Wordings no list holds, by their grammar ('Målet är helt uppnått', 'Ej påbörjad'); the first
    pattern that matches the whole text gives the status. Labels and words are tried first."""
    column_headers: list[str] = []
    """Headers of a table column that holds status words ('Status', 'Bedömning')."""
    color_distance: float = 80.0
    """Largest RGB distance (0..441) at which a mark's colour still matches a legend colour."""
    near_black_distance: float = 60.0
    """A mark this close to black, and in no legend colour, is a text bullet, not a status."""

    @cached_property
    def readings(self) -> dict[str, tuple[dict[str, str], list[tuple[re.Pattern[str], str]]]]:
        """Per scale: each word and label in its compared form (spacing collapsed, case-folded) with
        its status, the first listed winning; and the phrases compiled. A legend line is read in many
        cuts, so these are built once rather than per reading."""
        out = {}
        for scale in self.vocabularies:
            exact: dict[str, str] = {}
            for entry in (*self.words.get(scale, []), *self.labels.get(scale, [])):
                exact.setdefault(" ".join(entry.label.split()).casefold(), entry.status)
            out[scale] = (exact, [(re.compile(p.pattern), p.status) for p in self.phrases.get(scale, [])])
        return out

    @field_validator("colors")
    @classmethod
    def _hex(cls, colors: dict[str, str]) -> dict[str, str]:
        for name, value in colors.items():
            if not HEX_COLOR.match(value):
                raise ValueError(f"colour {name}: expected '#rrggbb', got {value!r}")
        return colors

    @model_validator(mode="after")
    def _known_statuses(self) -> "StatusRules":
        for scale, labels in self.labels.items():
            for label in labels:
                if label.status not in self.vocabularies.get(scale, []):
                    raise ValueError(f"labels.{scale}: status {label.status!r} not in vocabularies.{scale}")
        for scale, words in self.words.items():
            for word in words:
                if word.status not in self.vocabularies.get(scale, []):
                    raise ValueError(f"words.{scale}: status {word.status!r} not in vocabularies.{scale}")
        for scale, phrases in self.phrases.items():
            for phrase in phrases:
                if phrase.status not in self.vocabularies.get(scale, []):
                    raise ValueError(f"phrases.{scale}: status {phrase.status!r} not in vocabularies.{scale}")
        for entry in self.default_legend:
            if entry.status not in self.vocabularies.get(entry.scale, []):
                raise ValueError(f"default_legend: status {entry.status!r} not in vocabularies.{entry.scale}")
            if entry.color not in self.colors and not HEX_COLOR.match(entry.color):
                raise ValueError(f"default_legend: colour {entry.color!r} is neither a name in colors nor '#rrggbb'")
        return self

    def color_hex(self, color: str) -> str:
        return self.colors.get(color, color)


BaseRules.model_rebuild()


@lru_cache(maxsize=None)
def base_rules(rules_dir: Path = RULES_DIR) -> BaseRules:
    return load_model(BaseRules, "_base.yaml", rules_dir=rules_dir)
