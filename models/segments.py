"""The segment stage's output: the document as a section tree of blocks, with tables stitched
across page breaks and each status mark attached to the row or line it belongs to."""
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

from models.layout import BBox, LayoutDocument, Mark


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Row(_Frozen):
    """One body row of a table. Cells hold repaired text; marks are those drawn inside the row."""

    page_no: int
    bbox: BBox | None = None
    cells: list[str]
    raw_cells: list[str]
    marks: list[Mark] = []


class StitchedTable(_Frozen):
    """A table as the reader sees it: one header, all body rows, even when it runs over pages
    (the repeated header rows are dropped)."""

    header: list[str]
    rows: list[Row]
    page_no: int
    bbox: BBox | None = None


BlockKind = Literal["heading", "line", "table"]


class Block(_Frozen):
    kind: BlockKind
    page_no: int
    bbox: BBox | None = None
    text: str = ""
    raw_text: str = ""
    size: float | None = None
    bold: bool = False
    color: str | None = None
    level: int | None = None
    """Heading level (1 is the top); None for lines and tables."""
    marks: list[Mark] = []
    """Marks on the same line (a legend entry, a check box beside its label)."""
    table: StitchedTable | None = None


class Section(_Frozen):
    title: str
    level: int
    """1 for the largest headings; deeper levels nest inside."""
    page_no: int
    bbox: BBox | None = None
    blocks: list[Block] = []
    children: list[Section] = []

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()


class SegmentedDocument(_Frozen):
    layout: LayoutDocument
    texts: dict[int, str]
    """Repaired text per page number (equal to the raw text where repair changes nothing)."""
    blocks: list[Block] = []
    """Every block in reading order, running headers, footers, page numbers and the table of
    contents left out."""
    sections: list[Section] = []
    """The heading tree over `blocks`; text before the first heading sits in a level-0 section."""

    def all_sections(self):
        for section in self.sections:
            yield from section.walk()
