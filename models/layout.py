"""What the read stage sees on a page: text lines, tables and coloured marks, with their boxes.

Coordinates are pdfplumber's: points from the top-left corner of the page (x0, top, x1, bottom).
A plain-text input has no geometry: its boxes are None and each line is one TextLine.
"""
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

BBox = tuple[float, float, float, float]
"""(x0, top, x1, bottom) in PDF points from the page's top-left corner."""

PageSource = Literal["text_layer", "ocr_layer", "image_only", "text_file", "ocr"]
"""Where a page's text came from: a born-digital text layer, an invisible OCR layer under a scan,
no text at all (an image-only scan), a plain-text export, or our own OCR run."""

MarkKind = Literal["vector", "glyph", "symbol_glyph", "image", "checkbox", "fill"]
"""`fill`: a table cell filled with a colour."""
MarkShape = Literal["circle", "square", "diamond", "triangle", "check", "cross", "bar", "box", "other"]


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TextLine(_Frozen):
    text: str
    bbox: BBox | None = None
    font: str | None = None
    size: float | None = None
    bold: bool = False
    color: str | None = None
    """Fill colour of the line's first character as '#rrggbb'; None for plain-text input."""


class Cell(_Frozen):
    row: int
    col: int
    text: str
    bbox: BBox | None = None


class Table(_Frozen):
    bbox: BBox | None = None
    n_rows: int
    n_cols: int
    cells: list[Cell]

    def rows(self) -> list[list[str]]:
        grid = [["" for _ in range(self.n_cols)] for _ in range(self.n_rows)]
        for cell in self.cells:
            grid[cell.row][cell.col] = cell.text
        return grid


class Mark(_Frozen):
    """A status mark or check box as drawn on the page, before any legend gives it a meaning."""

    kind: MarkKind
    shape: MarkShape
    bbox: BBox
    color: str | None = None
    """'#rrggbb' of the mark's fill (sampled from the pixels for images)."""
    glyph: str | None = None
    """The character for glyph marks, as extracted (may be a private-use char or '(cid:N)')."""
    font: str | None = None
    checked: bool | None = None
    """For check boxes: whether a tick or cross is drawn inside. None for other marks."""


class LayoutPage(_Frozen):
    page_no: int
    """1-based."""
    width: float | None = None
    height: float | None = None
    source: PageSource
    raw_text: str
    """The page's text as the input carries it (text layer, OCR layer or text file), reading order."""
    lines: list[TextLine] = []
    tables: list[Table] = []
    marks: list[Mark] = []
    has_image: bool = False
    """True when a (near) full-page image is present: the page is a scan."""
    regions: list[BBox] = []
    """Reading order of a page set in columns: its regions (bands across the page, then each column
    left to right); empty for a page read top to bottom."""


class LayoutDocument(_Frozen):
    source_file: str
    source_path: str | None = None
    """The file's absolute path."""
    sha256: str
    media: Literal["pdf", "text"]
    pages: list[LayoutPage]
    page_count: int | None = None
    """Pages in the file, known before they are read (the streaming form has `pages` empty)."""
    title: str | None = None
    """The PDF's metadata title where it has one; once segmented, else the largest text on the first page."""

    @property
    def document_id(self) -> str:
        return self.sha256[:16]
