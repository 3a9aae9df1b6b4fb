"""What the generated-report tests share: reportlab styles in DejaVu (å, ä, ö), a ruled table, and a
PDF written from a story."""
from __future__ import annotations

from pathlib import Path

FONTS = "/usr/share/fonts/truetype/dejavu"


def styles():
    """reportlab's sample styles with Title and Heading1 in DejaVu Bold and Normal in DejaVu."""
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    pdfmetrics.registerFont(TTFont("DejaVu", f"{FONTS}/DejaVuSans.ttf"))
    pdfmetrics.registerFont(TTFont("DejaVu-Bold", f"{FONTS}/DejaVuSans-Bold.ttf"))
    sheet = getSampleStyleSheet()
    for name in ("Title", "Heading1", "Normal"):
        sheet[name].fontName = "DejaVu-Bold" if name != "Normal" else "DejaVu"
    return sheet


def ruled_table(rows: list[list], widths: list[float], **style):
    """A table with every cell ruled (the read stage finds tables by their lines)."""
    from reportlab.lib import colors
    from reportlab.platypus import Table, TableStyle

    commands = [("GRID", (0, 0), (-1, -1), 0.5, colors.grey), ("FONTNAME", (0, 0), (-1, -1), "DejaVu")]
    commands += [(name.upper(), (0, 0), (-1, -1), value) for name, value in style.items()]
    return Table(rows, colWidths=widths, style=TableStyle(commands))


def write_pdf(path: Path, story: list, title: str) -> Path:
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import SimpleDocTemplate

    SimpleDocTemplate(str(path), pagesize=A4, title=title).build(story)
    return path
