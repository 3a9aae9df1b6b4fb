"""What a generated report is made of, independent of the renderer that draws it."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Carrier = Literal["vector", "glyph", "icon", "cell", "word", "bracket"]
COLOUR_CARRIERS = ("vector", "glyph", "icon", "cell")
"""Carriers whose meaning only a printed legend gives."""


@dataclass
class Mark:
    carrier: Carrier
    color: str
    """#rrggbb."""
    shape: Literal["circle", "square"] = "circle"
    glyph: str | None = None


@dataclass
class Cell:
    text: str = ""
    mark: Mark | None = None
    bold: bool = False


@dataclass
class Heading:
    level: int
    text: str


@dataclass
class Paragraph:
    text: str
    lead: str | None = None
    """A bold run at the start of the paragraph (a run-in title or a label such as 'Bedömning:')."""
    mark: Mark | None = None
    """A mark printed between the lead and the text."""


@dataclass
class Bullets:
    items: list[str]


@dataclass
class Table:
    header: list[str]
    rows: list[list[Cell]]
    widths: list[float]
    """Fractions of the text width."""
    grid: bool = True
    """Lines around every cell, else only between rows."""


@dataclass
class Legend:
    title: str | None
    entries: list[tuple[Mark, str]]
    inline: bool
    """All entries on one line, else one line each."""


@dataclass
class PageBreak:
    pass


Block = Heading | Paragraph | Bullets | Table | Legend | PageBreak


@dataclass
class Setup:
    renderer: Literal["reportlab", "chromium", "libreoffice"]
    font: Literal["sans", "serif", "condensed"]
    size: float
    landscape: bool
    columns: int
    header_text: str | None


@dataclass
class Report:
    name: str
    title: str
    cover: list[str]
    blocks: list[Block]
    setup: Setup
    gold: dict = field(default_factory=dict)
