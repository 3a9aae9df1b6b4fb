"""Reports drawn with reportlab: vector marks as drawn circles and squares, icons as PNG images, cell
colours as table backgrounds, one or two frames a page, portrait or landscape."""
from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import (BaseDocTemplate, Flowable, Frame, PageBreak as RLPageBreak, PageTemplate,
                                Paragraph as RLParagraph, Spacer, Table as RLTable, TableStyle)

from corpus.builder.common import register_fonts, style
from corpus.generator.blocks import Bullets, Cell, Heading, Legend, Mark, PageBreak, Paragraph, Report, Table
from corpus.generator.icons import icon_path

FONTS = {"sans": ("Sans", "Sans-Bold"), "serif": ("Serif", "Serif-Bold"),
         "condensed": ("Condensed", "Condensed-Bold")}
MARK_SIZE = 8


class MarkShape(Flowable):
    """A vector mark: a filled circle or square."""

    def __init__(self, mark: Mark, size: float = MARK_SIZE):
        super().__init__()
        self.mark, self.size = mark, size
        self.width = self.height = size

    def draw(self) -> None:
        self.canv.setFillColor(colors.HexColor(self.mark.color))
        self.canv.setStrokeColor(colors.HexColor(self.mark.color))
        if self.mark.shape == "circle":
            self.canv.circle(self.size / 2, self.size / 2, self.size / 2, stroke=0, fill=1)
        else:
            self.canv.rect(0, 0, self.size, self.size, stroke=0, fill=1)


class MarkedLine(Flowable):
    """One line of text runs with vector marks between them: [(mark or None, text, bold)]."""

    def __init__(self, parts: list[tuple[Mark | None, str, bool]], fonts: tuple[str, str], size: float):
        super().__init__()
        self.parts, self.fonts, self.size = parts, fonts, size
        self.height = size * 1.5

    def wrap(self, available_width, available_height):
        self.width = available_width
        return available_width, self.height

    def draw(self) -> None:
        x = 0.0
        for mark, text, bold in self.parts:
            if mark is not None:
                self.canv.saveState()
                self.canv.translate(x, self.size * 0.3)
                MarkShape(mark, self.size * 0.8).drawOn(self.canv, 0, 0)
                self.canv.restoreState()
                x += self.size * 0.8 + 4
            if text:
                font = self.fonts[1] if bold else self.fonts[0]
                self.canv.setFillColor(colors.black)
                self.canv.setFont(font, self.size)
                self.canv.drawString(x, self.size * 0.3, text)
                x += self.canv.stringWidth(text, font, self.size) + 6


def _inline_mark(mark: Mark, size: float) -> str:
    if mark.carrier == "glyph":
        return f'<font color="{mark.color}">{mark.glyph}</font>'
    return f'<img src="{icon_path(mark)}" width="{size * 0.8}" height="{size * 0.8}" valign="middle"/>'


class Renderer:
    def __init__(self, report: Report):
        self.report = report
        setup = report.setup
        register_fonts()
        self.fonts = FONTS[setup.font]
        size = setup.size
        regular, bold = self.fonts
        self.body = style("body", regular, size)
        # Words too long for a cell run over its edge instead of being cut without a hyphen.
        cell_size = min(size - 1, 8.5)
        self.cell = style("cell", regular, cell_size, space_after=0, splitLongWords=0)
        self.cell_bold = style("cellb", bold, cell_size, space_after=0, splitLongWords=0)
        self.h1 = style("h1", bold, size + 5, space_before=10, space_after=6)
        self.h2 = style("h2", bold, size + 2, space_before=6, space_after=3)
        self.bullet = style("bullet", regular, size, leftIndent=12, bulletIndent=2)
        self.cover_title = style("cover", bold, 26, leading=32, space_after=10)
        self.cover_line = style("coverline", regular, 14, space_after=8)

    def paragraph(self, block: Paragraph) -> Flowable:
        if block.mark is not None and block.mark.carrier == "vector":
            return MarkedLine([(None, block.lead or "", True), (block.mark, block.text, False)],
                              self.fonts, self.body.fontSize)
        parts = []
        if block.lead:
            parts.append(f"<b>{escape(block.lead)}</b>")
        if block.mark is not None:
            parts.append(_inline_mark(block.mark, self.body.fontSize))
        if block.text:
            parts.append(escape(block.text))
        return RLParagraph(" ".join(parts), self.body)

    def legend(self, block: Legend) -> list[Flowable]:
        out: list[Flowable] = []
        if block.title:
            out.append(RLParagraph(f"<b>{escape(block.title)}</b>", self.body))
        lines = [block.entries] if block.inline else [[entry] for entry in block.entries]
        for line in lines:
            if line[0][0].carrier == "vector":
                out.append(MarkedLine([(mark, label, False) for mark, label in line], self.fonts, self.body.fontSize))
            else:
                out.append(RLParagraph("&nbsp;&nbsp;&nbsp;".join(
                    f"{_inline_mark(mark, self.body.fontSize)} {escape(label)}" for mark, label in line), self.body))
        return out

    def table(self, block: Table, width: float) -> Flowable:
        data = [[RLParagraph(escape(h), self.cell_bold) for h in block.header]]
        commands = [("VALIGN", (0, 0), (-1, -1), "TOP"), ("LINEBELOW", (0, 0), (-1, -1), 0.5, colors.grey),
                    ("LINEABOVE", (0, 0), (-1, 0), 0.5, colors.grey)]
        if block.grid:
            commands.append(("GRID", (0, 0), (-1, -1), 0.5, colors.grey))
        for r, row in enumerate(block.rows, start=1):
            out = []
            for c, cell in enumerate(row):
                out.append(self.cell_content(cell))
                if cell.mark is not None and cell.mark.carrier == "cell":
                    commands.append(("BACKGROUND", (c, r), (c, r), colors.HexColor(cell.mark.color)))
            data.append(out)
        table = RLTable(data, colWidths=[w * width for w in block.widths], repeatRows=1)
        table.setStyle(TableStyle(commands))
        return table

    def cell_content(self, cell: Cell):
        if cell.mark is None or cell.mark.carrier == "cell":
            return RLParagraph(escape(cell.text), self.cell_bold if cell.bold else self.cell)
        if cell.mark.carrier == "vector":
            return MarkShape(cell.mark)
        return RLParagraph(_inline_mark(cell.mark, self.cell.fontSize + 2), self.cell)

    def story(self, width: float) -> list[Flowable]:
        story: list[Flowable] = [Spacer(1, 60 * mm)]
        cover = self.report.cover
        story.append(RLParagraph(escape(cover[0]), self.cover_line))
        story.append(RLParagraph(escape(self.report.title), self.cover_title))
        story.extend(RLParagraph(escape(line), self.cover_line) for line in cover[2:])
        story.append(RLPageBreak())
        for block in self.report.blocks:
            if isinstance(block, Heading):
                story.append(RLParagraph(escape(block.text), self.h1 if block.level == 1 else self.h2))
            elif isinstance(block, Paragraph):
                story.append(self.paragraph(block))
            elif isinstance(block, Bullets):
                story.extend(RLParagraph(escape(item), self.bullet, bulletText="•") for item in block.items)
            elif isinstance(block, Table):
                story.append(self.table(block, width))
                story.append(Spacer(1, 6))
            elif isinstance(block, Legend):
                story.extend(self.legend(block))
            elif isinstance(block, PageBreak):
                story.append(RLPageBreak())
        return story

    def write(self, path: Path) -> None:
        setup = self.report.setup
        page_w, page_h = landscape(A4) if setup.landscape else A4
        margin = 20 * mm
        doc = BaseDocTemplate(str(path), pagesize=(page_w, page_h), title=self.report.title,
                              author=self.report.cover[0], creator="report generator",
                              leftMargin=margin, rightMargin=margin, topMargin=margin, bottomMargin=margin)
        gap = 8 * mm
        inner = page_w - 2 * margin
        width = (inner - gap) / 2 if setup.columns == 2 else inner
        frames = [Frame(margin + i * (width + gap), margin, width, page_h - 2 * margin, id=f"col{i}",
                        leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
                  for i in range(setup.columns)]

        def on_page(canvas, doc_) -> None:
            canvas.setFont(self.fonts[0], 8)
            if setup.header_text and doc_.page > 1:
                canvas.drawString(margin, page_h - margin / 2, setup.header_text)
            canvas.drawRightString(page_w - margin, margin / 2, str(doc_.page))

        doc.addPageTemplates([PageTemplate(id="page", frames=frames, onPage=on_page)])
        doc.build(self.story(width))


def render(report: Report, path: Path) -> None:
    Renderer(report).write(path)
