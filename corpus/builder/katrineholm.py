"""Katrineholm: Halvtidsuppföljning kommunplan 2019-2022, rebuilt as a PDF with its gold records.

The source text (corpus/sources/katrineholm-halvtidsuppfoljning-kommunplan-2019-2022.txt) keeps every
row but lost most status marks, so the statuses are assigned by a fixed, documented rule:

* Seed: ``random.Random("katrineholm-halvtidsuppfoljning-2019-2022")``; rows are visited in document
  order, result goals first, then assignments, and the generator is only drawn from where a row has
  no surviving mark.
* Result goals: the source shows none of their colours (a blank or a lost ♦ ◆ ● glyph), so every
  result goal draws achieved 0.45 / partially_achieved 0.40 / not_achieved 0.15.
* Assignments: a surviving mark decides (✓ ✅ done, ▶ ongoing, ▬ — ■ not_started, 🔍 not_done).
  A blank mark whose comment starts with "Ej påbörja" is not_started; any other blank draws
  done 0.50 / ongoing 0.45 / not_done 0.05.
* No mark at all: after the statuses, ``rng.choice`` picks one result goal and one assignment among
  the rows whose source mark was blank; they print no mark and their gold status is null.

Marks vary by section so that every kind a real report uses exists in the corpus: result goals are
filled vector circles, except under goal 6 (Hållbar miljö) where they are embedded PNG circles;
assignments are coloured DejaVu glyphs (✓ ▶ ▬ ✗), except under goal 7 (Attraktiv arbetsgivare &
effektiv organisation) where they come from "PlanSymbols", a copy of DejaVu Sans built at build time
whose glyphs sit at private-use code points like Wingdings (U+F0FC ✓, U+F0E8 ▶, U+F0A7 ▬, U+F0FB ✗).
Pages in the gold are the pages the rows and headings are drawn on, recorded while the PDF is built.
"""
from __future__ import annotations

import random
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

from PIL import Image as PILImage, ImageDraw
from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import CondPageBreak, Flowable, PageBreak, Paragraph, Spacer, Table, TableStyle
from reportlab.platypus.tableofcontents import TableOfContents

from corpus.builder import common

NAME = "katrineholm-halvtidsuppfoljning-2019-2022"
SOURCE = common.SOURCES / "katrineholm-halvtidsuppfoljning-kommunplan-2019-2022.txt"
TITLE = "Halvtidsuppföljning kommunplan 2019-2022"
SEED = "katrineholm-halvtidsuppfoljning-2019-2022"
RESULT_WEIGHTS = {"achieved": 0.45, "partially_achieved": 0.40, "not_achieved": 0.15}
ASSIGNMENT_WEIGHTS = {"done": 0.50, "ongoing": 0.45, "not_done": 0.05}
IMAGE_GOAL = "6"
SYMBOL_FONT_GOAL = "7"
EXPECTED = (51, 150)

GOAL_TITLES = [
    "Tillväxt, fler jobb & ökad egen försörjning",
    "Attraktiva boende- & livsmiljöer",
    "En stark & trygg skola för bättre kunskaper",
    "Trygg vård & omsorg",
    "Ett rikt kultur- idrotts- & fritidsliv",
    "Hållbar miljö",
    "Attraktiv arbetsgivare & effektiv organisation",
]

SOURCE_ASSIGNMENT_MARKS = {"✓": "done", "✅": "done", "▶": "ongoing", "▬": "not_started", "—": "not_started",
                           "■": "not_started", "🔍": "not_done"}
SOURCE_LOST_MARKS = "♦◆●"

RESULT_COLOURS = {"achieved": "#00994d", "partially_achieved": "#ffbf00", "not_achieved": "#d62e21"}
RESULT_LABELS = {"achieved": "Uppnås eller överträffas", "partially_achieved": "Uppnås delvis",
                 "not_achieved": "Uppnås inte"}
# status: (shape, DejaVu glyph, private-use glyph, colour, label), in the order the legend prints them.
ASSIGNMENT_GLYPHS = {
    "not_started": ("bar", "▬", "\uf0a7", "#808080", "Ej påbörjat"),
    "ongoing": ("triangle_right", "▶", "\uf0e8", "#ffbf00", "Pågår"),
    "done": ("check", "✓", "\uf0fc", "#00994d", "Genomfört"),
    "not_done": ("cross", "✗", "\uf0fb", "#d62e21", "Ej genomfört"),
}
SYMBOL_FONT = "PlanSymbols"

BODY_SIZE = 10
CELL_SIZE = 8.5
MARK_RADIUS = 3.2
BLUE_HEX = "#005c9e"


@dataclass
class Row:
    goal: str
    title: str
    comment_items: list[str]
    source_mark: str
    committees: list[str] = field(default_factory=list)
    status: str | None = None
    mark: dict | None = None
    page: int | None = None


@dataclass
class Goal:
    number: str
    title: str
    result_goals: list[Row] = field(default_factory=list)
    assignments: list[Row] = field(default_factory=list)
    page: int | None = None


# ---------------------------------------------------------------- parsing

_TAG = re.compile(r"</?p>|<ul[^>]*>|</ul>|</?li>")
_COMMITTEES = re.compile(r"\s+((?:[A-ZÅÄÖ]{2,6}, )*[A-ZÅÄÖ]{2,6})$")
_GLUED = re.compile(r"(\S*?[a-zåäö0-9%)])(?=[A-ZÅÄÖ][a-zåäö ])")
_NO_SPLIT_AFTER = {"kvarteret", "omvandla", "rena", "exempel", "annat", "gällande", "med", "i", "av", "till", "på", "för", "och", "genom", "vid", "hos", "från", "mot", "om",
                   "samt", "inom", "under", "bland", "mellan", "efter", "kring", "utmed", "längs", "via", "som",
                   "den", "det", "de", "en", "ett", "att", "är", "har", "the", "projektet", "ny", "nya"}


def text_to_plain(text: str) -> str:
    return " ".join(re.sub(r"</?i>", "", text).split())


def comment_to_items(cell: str) -> list[str]:
    """Bullet items of a comment cell; where the converter dropped the bullets, split at sentence starts."""
    text = _TAG.sub("", cell).strip().rstrip("\ufffd").strip()
    if "•" in text:
        return [" ".join(item.split()) for item in text.split("•") if item.strip()]
    text = _GLUED.sub(lambda m: m.group(0) if m.group(1)[0].isupper() else m.group(1) + "\n", text)
    text = re.sub(r"(\.|</i>)(?=[A-ZÅÄÖ][a-zåäö])", "\\1\n", text)
    items, current = [], []
    for word in text.replace("\n", " \n ").split(" "):
        if word == "\n":
            items.append(current)
            current = []
            continue
        if not word:
            continue
        previous = current[-1] if current else ""
        if (previous and re.match(r"[A-ZÅÄÖ][a-zåäö]", word) and re.search(r"[a-zåäö0-9%)\"]$", previous)
                and (previous[0].islower() or previous[0].isdigit()) and previous.lower() not in _NO_SPLIT_AFTER):
            items.append(current)
            current = []
        current.append(word)
    items.append(current)
    return [" ".join(item) for item in items if item]


def cell_to_mark_title(cell: str) -> tuple[str, str]:
    text = _TAG.sub("", cell).strip()
    if text and (text[0] in SOURCE_ASSIGNMENT_MARKS or text[0] in SOURCE_LOST_MARKS):
        return text[0], " ".join(text[1:].split())
    return "", " ".join(text.split())


def source_to_intro_and_goals(text: str) -> tuple[list[str], list[Goal]]:
    """The intro's lines and the goals with their rows, read from the converter's text."""
    lines = text.split("\n")
    intro_start = lines.index("Inledning")
    body_start = lines.index("Bedömning av mål och uppdrag")
    goals: list[Goal] = []
    mode = None
    pending_titles: list[str] | None = None
    pending_comments: list[str] | None = None
    for line in lines[body_start + 1:]:
        stripped = line.strip()
        if stripped in GOAL_TITLES:
            goals.append(Goal(str(len(goals) + 1), stripped))
        elif stripped == "Bedömning av resultatmål":
            mode = "result"
        elif stripped == "Uppföljning av uppdrag":
            mode = "assignment"
        elif line.startswith(("Resultatmål\t", "Uppdrag\t")) or not stripped:
            continue
        elif stripped == "Uppdrag":
            pending_titles, pending_comments = [], None
        elif stripped == "Kommentar halvtid":
            pending_comments = []
        elif stripped.startswith("- ") and pending_titles is not None:
            (pending_titles if pending_comments is None else pending_comments).append(stripped[2:])
        elif "\t" in line:
            mark_title, comment = line.split("\t", 1)
            mark, title = cell_to_mark_title(mark_title)
            row = Row(goals[-1].number, title, comment_to_items(comment), mark)
            if mode == "result":
                found = _COMMITTEES.search(title)
                row.title = title[:found.start()].strip()
                row.committees = found.group(1).split(", ")
                goals[-1].result_goals.append(row)
            else:
                goals[-1].assignments.append(row)
        else:
            raise ValueError(f"katrineholm: unexpected source line {line[:80]!r}")
    if pending_titles:
        mark, title = cell_to_mark_title(pending_titles[0])
        goals[1].assignments.append(Row("2", title, [" ".join(c.split()) for c in pending_comments], mark))
    return lines[intro_start:body_start], goals


# ---------------------------------------------------------------- statuses and marks

def goals_to_statuses(goals: list[Goal]) -> None:
    """Assign statuses and marks by the seeded rule in the module docstring."""
    rng = random.Random(SEED)
    results = [row for goal in goals for row in goal.result_goals]
    assignments = [row for goal in goals for row in goal.assignments]
    for row in results:
        row.status = rng.choices(list(RESULT_WEIGHTS), weights=list(RESULT_WEIGHTS.values()))[0]
    for row in assignments:
        if row.source_mark in SOURCE_ASSIGNMENT_MARKS:
            row.status = SOURCE_ASSIGNMENT_MARKS[row.source_mark]
        elif row.comment_items and row.comment_items[0].startswith("Ej påbörja"):
            row.status = "not_started"
        else:
            row.status = rng.choices(list(ASSIGNMENT_WEIGHTS), weights=list(ASSIGNMENT_WEIGHTS.values()))[0]
    for rows in (results, assignments):
        rng.choice([row for row in rows if row.source_mark == ""]).status = None
    for row in results:
        kind = "image" if row.goal == IMAGE_GOAL else "vector"
        row.mark = row.status and {"kind": kind, "shape": "circle", "color": RESULT_COLOURS[row.status]}
    for row in assignments:
        if row.status is None:
            continue
        shape, glyph, pua, colour, _ = ASSIGNMENT_GLYPHS[row.status]
        symbol = row.goal == SYMBOL_FONT_GOAL
        row.mark = {"kind": "symbol_glyph" if symbol else "glyph", "shape": shape, "color": colour,
                    "glyph": pua if symbol else glyph}


# ---------------------------------------------------------------- fonts and images

def symbol_font_to_path(folder: Path) -> Path:
    """DejaVu Sans with its ✓ ▶ ▬ ✗ glyphs also mapped at private-use code points, renamed PlanSymbols."""
    from fontTools.ttLib import TTFont as FontToolsFont

    font = FontToolsFont(str(common.font_path("DejaVuSans.ttf")), recalcTimestamp=False)
    best = font.getBestCmap()
    extra = {ord(pua): best[ord(glyph)] for _, glyph, pua, _, _ in ASSIGNMENT_GLYPHS.values()}
    for table in font["cmap"].tables:
        if table.isUnicode():
            table.cmap.update(extra)
    for record in font["name"].names:
        if record.nameID in (1, 3, 4, 6, 16):
            record.string = SYMBOL_FONT
    path = folder / f"{SYMBOL_FONT}.ttf"
    font.save(str(path))
    return path


def circle_png_to_path(folder: Path, colour: str) -> Path:
    """A small anti-aliased filled circle on white, drawn large and scaled down (deterministic)."""
    big = PILImage.new("RGB", (96, 96), "white")
    ImageDraw.Draw(big).ellipse((4, 4, 91, 91), fill=colour)
    path = folder / f"circle-{colour.lstrip('#')}.png"
    big.resize((24, 24), PILImage.LANCZOS).save(path, optimize=False)
    return path


# ---------------------------------------------------------------- flowables

class PageAnchor(Flowable):
    """Zero-size flowable that records the page its row is drawn on."""

    def __init__(self, row: Row | Goal | None = None):
        super().__init__()
        self.row = row

    def wrap(self, available_width, available_height):
        return 0, 0

    def draw(self):
        if self.row is not None:
            self.row.page = self.canv.getPageNumber()


class CircleMark(PageAnchor):
    """A status circle sized to sit on the first text line of its cell: vector, or an embedded PNG."""

    def __init__(self, colour: str, row: Row | None = None, image: ImageReader | None = None, size: float = CELL_SIZE):
        super().__init__(row)
        self.colour, self.image, self.size = colour, image, size

    def wrap(self, available_width, available_height):
        return 2 * MARK_RADIUS + 1, self.size * 1.25

    def draw(self):
        super().draw()
        centre_y = self.size * 1.25 - 0.72 * self.size
        if self.image is not None:
            self.canv.drawImage(self.image, 0.5, centre_y - MARK_RADIUS, 2 * MARK_RADIUS, 2 * MARK_RADIUS)
        else:
            self.canv.setFillColor(colors.HexColor(self.colour))
            self.canv.circle(MARK_RADIUS + 0.5, centre_y, MARK_RADIUS, stroke=0, fill=1)


class Heading(Paragraph):
    """A heading that lands in the table of contents at `toc_level` (None: not listed)."""

    def __init__(self, text: str, style, toc_level: int | None = None, goal: Goal | None = None):
        super().__init__(escape(text), style)
        self.toc_text, self.toc_level, self.goal = text, toc_level, goal


# ---------------------------------------------------------------- rendering

def styles() -> dict:
    s = common.style
    blue = colors.HexColor(BLUE_HEX)
    return {
        "body": s("body", size=BODY_SIZE, leading=14, space_after=6),
        "h1": s("h1", "Sans-Bold", 17, space_before=10, space_after=8, color=blue),
        "h2": s("h2", "Sans-Bold", 13, space_before=10, space_after=6, color=blue),
        "h3": s("h3", "Sans-Bold", 11, space_before=8, space_after=4),
        "cover": s("cover", "Sans-Bold", 28, leading=36, space_after=14, color=blue),
        "cover_sub": s("cover_sub", "Sans", 13, space_after=4),
        "toc_title": s("toc_title", "Sans-Bold", 17, space_after=12, color=blue),
        "cell": s("cell", size=CELL_SIZE, leading=CELL_SIZE * 1.25, space_after=0),
        "head": s("head", "Sans-Bold", CELL_SIZE, leading=CELL_SIZE * 1.25, space_after=0, color=colors.white),
        "bullet": s("bullet", size=CELL_SIZE, leading=CELL_SIZE * 1.25, space_after=1.5, leftIndent=8,
                    bulletIndent=0, bulletFontName="Sans", bulletFontSize=CELL_SIZE),
        "legend": s("legend", size=BODY_SIZE, leading=13, space_after=0),
    }


def markup(text: str) -> str:
    """Escape XML specials but keep the source's <i> italics."""
    return escape(text).replace("&lt;i&gt;", "<i>").replace("&lt;/i&gt;", "</i>")


def glyph_markup(status: str, symbol: bool) -> str:
    _, glyph, pua, colour, _ = ASSIGNMENT_GLYPHS[status]
    font = SYMBOL_FONT if symbol else "Sans"
    return f'<font name="{font}" color="{colour}">{pua if symbol else glyph}</font>'


def table_style(header_span: bool) -> TableStyle:
    rule = colors.HexColor("#7f7f7f")
    commands = [
        ("BOX", (0, 0), (-1, -1), 0.5, rule),
        ("LINEBELOW", (0, 0), (-1, -1), 0.5, rule),
        ("LINEAFTER", (-2, 0), (-2, -1), 0.5, rule),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor(BLUE_HEX)),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
    ]
    if header_span:
        commands += [("SPAN", (0, 0), (1, 0)), ("RIGHTPADDING", (0, 1), (0, -1), 0),
                     ("LEFTPADDING", (1, 1), (1, -1), 2)]
    return TableStyle(commands)


def comment_cell(items: list[str], st: dict) -> list:
    return [Paragraph(markup(item), st["bullet"], bulletText="•") for item in items]


def result_table(goal: Goal, st: dict, images: dict[str, ImageReader]) -> Table:
    width = common.PAGE_W - 2 * common.MARGIN
    data = [[Paragraph("Resultatmål", st["head"]), "", Paragraph("Resultat och genomförda åtgärder", st["head"])]]
    for row in goal.result_goals:
        if row.status is None:
            mark = PageAnchor(row)
        else:
            colour = RESULT_COLOURS[row.status]
            mark = CircleMark(colour, row, images[colour] if row.goal == IMAGE_GOAL else None)
        title = Paragraph(f"{markup(row.title)} {', '.join(row.committees)}", st["cell"])
        data.append([mark, title, comment_cell(row.comment_items, st)])
    return Table(data, colWidths=[12, width * 0.40 - 12, width * 0.60], repeatRows=1, style=table_style(True))


def assignment_table(goal: Goal, st: dict) -> Table:
    width = common.PAGE_W - 2 * common.MARGIN
    data = [[Paragraph("Uppdrag", st["head"]), Paragraph("Kommentar halvtid", st["head"])]]
    for row in goal.assignments:
        mark = "" if row.status is None else glyph_markup(row.status, row.goal == SYMBOL_FONT_GOAL) + " "
        title = Paragraph(mark + markup(row.title), st["cell"])
        data.append([[PageAnchor(row), title], comment_cell(row.comment_items, st)])
    return Table(data, colWidths=[width * 0.42, width * 0.58], repeatRows=1, style=table_style(False))


def legend_table(scale: str, st: dict) -> Table:
    rows = []
    if scale == "result_goal":
        for status, label in RESULT_LABELS.items():
            rows.append([CircleMark(RESULT_COLOURS[status], size=BODY_SIZE), Paragraph(label, st["legend"])])
    else:
        for status, (_, _, _, _, label) in ASSIGNMENT_GLYPHS.items():
            rows.append([Paragraph(glyph_markup(status, False), st["legend"]), Paragraph(label, st["legend"])])
    table = Table(rows, colWidths=[16, 200], hAlign="LEFT")
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 6),
                               ("TOPPADDING", (0, 0), (-1, -1), 1), ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]))
    return table


def status_chart(counts: list[tuple[str, str, int]]) -> Drawing:
    """Horizontal bars of the status counts, one coloured rectangle per status."""
    width, bar_h, gap, label_w = 440, 12, 6, 150
    height = len(counts) * (bar_h + gap) + gap
    drawing = Drawing(width, height)
    longest = max(count for _, _, count in counts) or 1
    for i, (label, colour, count) in enumerate(counts):
        y = height - (i + 1) * (bar_h + gap)
        length = (width - label_w - 40) * count / longest
        drawing.add(String(0, y + 3, label, fontName="Sans", fontSize=9))
        drawing.add(Rect(label_w, y, length, bar_h, fillColor=colors.HexColor(colour), strokeColor=None))
        drawing.add(String(label_w + length + 4, y + 3, str(count), fontName="Sans", fontSize=9))
    return drawing


def intro_to_flowables(lines: list[str], goals: list[Goal], st: dict) -> list:
    headings = {"Inledning": ("h1", 0), "Uppföljning av kommunplanen": ("h2", 1),
                "Hur har halvtidsuppföljningen gjorts?": ("h2", 1), "Resultatmål": ("h3", None),
                "Uppdrag": ("h3", None), "Samlad bild av läget i halvtid": ("h1", 0),
                "Resultatmålen": ("h2", 1), "Uppdragen": ("h2", 1)}
    results = [row for goal in goals for row in goal.result_goals]
    assignments = [row for goal in goals for row in goal.assignments]
    charts = {
        "resultatmålen fördelar": [(RESULT_LABELS[s], RESULT_COLOURS[s], sum(r.status == s for r in results))
                                   for s in RESULT_LABELS],
        "uppdragen fördelar": [(label, colour, sum(r.status == s for r in assignments))
                               for s, (_, _, _, colour, label) in ASSIGNMENT_GLYPHS.items()],
    }
    flowables: list = []
    for line in lines:
        text = line.strip()
        if not text or text.startswith("- "):
            continue
        if text in headings:
            level, toc_level = headings[text]
            if level == "h1" and flowables:
                flowables.append(CondPageBreak(120 * mm if text.startswith("Samlad") else 60 * mm))
            flowables.append(Heading(text, st[level], toc_level))
            continue
        flowables.append(Paragraph(markup(text), st["body"]))
        if text.startswith("Följande symboler"):
            flowables.append(legend_table("result_goal" if "resultatmålen" in text else "assignment", st))
            flowables.append(Spacer(1, 6))
        for key, counts in charts.items():
            if key in text:
                flowables += [status_chart(counts), Spacer(1, 8)]
    return flowables


def goals_to_flowables(goals: list[Goal], st: dict, images: dict[str, ImageReader]) -> list:
    flowables: list = [PageBreak(), Heading("Bedömning av mål och uppdrag", st["h1"], 0),
                       Paragraph(markup("Nedan följer bedömningen av resultatmål och uppdrag för vart och ett av "
                                        "de sju övergripande målen."), st["body"])]
    for goal in goals:
        if goal.number != "1":
            flowables.append(CondPageBreak(90 * mm))
        flowables += [Heading(goal.title, st["h2"], 1, goal), Heading("Bedömning av resultatmål", st["h3"]),
                      result_table(goal, st, images), Spacer(1, 6), CondPageBreak(45 * mm),
                      Heading("Uppföljning av uppdrag", st["h3"]), assignment_table(goal, st), Spacer(1, 10)]
    return flowables


def on_page(canvas, doc) -> None:
    canvas.saveState()
    if doc.page == 1:
        canvas.setFillColor(colors.HexColor(BLUE_HEX))
        canvas.rect(0, common.PAGE_H - 60 * mm, common.PAGE_W, 60 * mm, stroke=0, fill=1)
        canvas.setFillColor(colors.white)
        canvas.setFont("Sans-Bold", 20)
        canvas.drawString(common.MARGIN, common.PAGE_H - 35 * mm, "Katrineholms kommun")
    else:
        canvas.setFont("Sans", 8)
        canvas.setFillColor(colors.HexColor("#404040"))
        top = common.PAGE_H - 12 * mm
        canvas.drawString(common.MARGIN, top, TITLE)
        canvas.drawRightString(common.PAGE_W - common.MARGIN, top, "Katrineholms kommun")
        canvas.setStrokeColor(colors.HexColor(BLUE_HEX))
        canvas.setLineWidth(0.6)
        canvas.line(common.MARGIN, top - 3, common.PAGE_W - common.MARGIN, top - 3)
        canvas.drawCentredString(common.PAGE_W / 2, 10 * mm, str(doc.page))
    canvas.restoreState()


def render_pdf(path: Path, intro: list[str], goals: list[Goal], folder: Path) -> int:
    common.register_fonts()
    pdfmetrics.registerFontFamily("Sans", normal="Sans", bold="Sans-Bold", italic="Sans-Oblique",
                                  boldItalic="Sans-Bold")
    pdfmetrics.registerFont(TTFont(SYMBOL_FONT, str(symbol_font_to_path(folder))))
    images = {colour: ImageReader(str(circle_png_to_path(folder, colour))) for colour in RESULT_COLOURS.values()}
    doc = common.report_template(path, TITLE, "Katrineholms kommun", on_page,
                                 margins=(common.MARGIN, common.MARGIN, 22 * mm, 20 * mm))
    st = styles()
    toc = TableOfContents(dotsMinLevel=0)
    toc.levelStyles = [common.style("toc0", "Sans-Bold", 10.5, space_before=4, space_after=2),
                       common.style("toc1", "Sans", 10, leftIndent=14, space_after=1)]

    def after_flowable(flowable) -> None:
        if isinstance(flowable, Heading):
            if flowable.goal is not None:
                flowable.goal.page = doc.page
            if flowable.toc_level is not None:
                doc.notify("TOCEntry", (flowable.toc_level, escape(flowable.toc_text), doc.page))

    doc.afterFlowable = after_flowable
    story = [Spacer(1, 70 * mm), Paragraph("Halvtids­uppföljning<br/>kommunplan 2019-2022", st["cover"]),
             Paragraph("Attraktion och livskvalitet – Kommunplan 2019-2022", st["cover_sub"]),
             Paragraph("Kommunledningsförvaltningen 2021-05-19", st["cover_sub"]), PageBreak(),
             Paragraph("Innehållsförteckning", st["toc_title"]), toc, PageBreak()]
    story += intro_to_flowables(intro, goals, st) + goals_to_flowables(goals, st, images)
    doc.multiBuild(story)
    return doc.page


# ---------------------------------------------------------------- gold

def goals_to_gold(goals: list[Goal], file_name: str) -> dict:
    def comment(row: Row) -> str:
        return " • ".join(text_to_plain(item) for item in row.comment_items)

    return {
        "document": {"file": file_name, "municipality_code": "0483", "doc_type": "halvtidsuppföljning",
                     "title": TITLE, "period_start": "2019-01-01", "period_end": "2022-12-31",
                     "version": None, "decided_date": None, "decided_by": None, "diarienummer": None,
                     "is_plan": True},
        "goals": [{"key": f"g{g.number}", "level": "overarching", "number": g.number, "title": g.title,
                   "short_label": None, "parent": None, "page": g.page} for g in goals],
        "result_goals": [{"goal": f"g{r.goal}", "title": text_to_plain(r.title), "committees": r.committees,
                          "status": r.status, "mark": r.mark, "comment": comment(r), "page": r.page}
                         for g in goals for r in g.result_goals],
        "assignments": [{"goal": f"g{r.goal}", "title": text_to_plain(r.title), "status": r.status,
                         "mark": r.mark, "comment": comment(r), "page": r.page}
                        for g in goals for r in g.assignments],
        "indicators": [],
        "activities": [],
        "status_legend": (
            [{"scale": "result_goal", "symbol": "circle", "color": RESULT_COLOURS[s], "status": s,
              "label": RESULT_LABELS[s]} for s in RESULT_LABELS]
            + [{"scale": "assignment", "symbol": glyph, "color": colour, "status": s, "label": label}
               for s, (_, glyph, _, colour, label) in ASSIGNMENT_GLYPHS.items()]),
        "assessments": [],
    }


def build() -> list[Path]:
    intro, goals = source_to_intro_and_goals(SOURCE.read_text(encoding="utf-8"))
    counts = (sum(len(g.result_goals) for g in goals), sum(len(g.assignments) for g in goals))
    if len(goals) != 7 or counts != EXPECTED:
        raise ValueError(f"katrineholm: parsed {len(goals)} goals and {counts} rows, expected 7 and {EXPECTED}")
    goals_to_statuses(goals)
    common.PDF_DIR.mkdir(parents=True, exist_ok=True)
    pdf = common.PDF_DIR / f"{NAME}.pdf"
    with tempfile.TemporaryDirectory() as folder:
        render_pdf(pdf, intro, goals, Path(folder))
    missing = [r.title for g in goals for r in g.result_goals + g.assignments if r.page is None]
    if missing or any(g.page is None for g in goals):
        raise ValueError(f"katrineholm: no page recorded for {missing[:3]}")
    return [pdf, common.write_gold(NAME, goals_to_gold(goals, pdf.name))]
