"""Shared page furniture for the corpus builders: fonts with å ä ö, A4 templates, status colours.

Builds are deterministic: reportlab's invariant mode fixes dates and ids, so the same sources give
byte-identical PDFs.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Callable

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

rl_config.invariant = 1

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ROOT / "corpus" / "sources"
PDF_DIR = ROOT / "corpus" / "pdf"
GOLD_DIR = ROOT / "corpus" / "gold"

FONT_DIRS = [Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu")]
FONTS = {
    "Sans": "DejaVuSans.ttf",
    "Sans-Bold": "DejaVuSans-Bold.ttf",
    "Sans-Oblique": "DejaVuSans-Oblique.ttf",
    "Serif": "DejaVuSerif.ttf",
    "Serif-Bold": "DejaVuSerif-Bold.ttf",
    "Condensed": "DejaVuSansCondensed.ttf",
    "Condensed-Bold": "DejaVuSansCondensed-Bold.ttf",
}

PAGE_W, PAGE_H = A4
MARGIN = 20 * mm

# Status colours as the reports print them (RGB 0..1).
GREEN = colors.Color(0.0, 0.6, 0.3)
YELLOW = colors.Color(1.0, 0.75, 0.0)
RED = colors.Color(0.84, 0.18, 0.13)
GREY = colors.Color(0.5, 0.5, 0.5)
BLUE = colors.Color(0.0, 0.36, 0.62)


def font_path(file_name: str) -> Path:
    for folder in FONT_DIRS:
        if (folder / file_name).exists():
            return folder / file_name
    raise SystemExit(f"corpus: font {file_name} not found; install it: apt-get install fonts-dejavu-core")


def register_fonts() -> None:
    for name, file_name in FONTS.items():
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(name, str(font_path(file_name))))


def style(name: str, font: str = "Sans", size: float = 10, leading: float | None = None,
          space_before: float = 0, space_after: float = 4, color=colors.black, **kw) -> ParagraphStyle:
    return ParagraphStyle(name, fontName=font, fontSize=size, leading=leading or size * 1.3,
                          spaceBefore=space_before, spaceAfter=space_after, textColor=color,
                          alignment=kw.pop("alignment", TA_LEFT), **kw)


PageDecorator = Callable[[object, object], None]
"""onPage(canvas, doc): draws running headers, footers and page numbers."""


def report_template(path: Path, title: str, author: str, on_page: PageDecorator | None = None,
                    margins: tuple[float, float, float, float] = (MARGIN, MARGIN, MARGIN, MARGIN),
                    ) -> BaseDocTemplate:
    """An A4 document with one full-width frame and a page decorator for running furniture."""
    register_fonts()
    left, right, top, bottom = margins
    doc = BaseDocTemplate(str(path), pagesize=A4, title=title, author=author, creator="corpus builder",
                          leftMargin=left, rightMargin=right, topMargin=top, bottomMargin=bottom)
    frame = Frame(left, bottom, PAGE_W - left - right, PAGE_H - top - bottom, id="body",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=on_page or (lambda c, d: None))])
    return doc


def write_gold(name: str, gold: dict) -> Path:
    GOLD_DIR.mkdir(parents=True, exist_ok=True)
    path = GOLD_DIR / f"{name}.json"
    path.write_text(json.dumps(gold, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return path
