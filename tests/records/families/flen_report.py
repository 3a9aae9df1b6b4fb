"""A small Flen årsredovisning in the goal-tables style, drawn with reportlab for the rules-only test:
other committees, other table headers and legend wording, other mark colours and shapes."""
from __future__ import annotations

from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

RESULT_COLOURS = {"achieved": "#1a7f37", "partially_achieved": "#e3a008", "not_achieved": "#b42318"}
RESULT_LABELS = {"achieved": "Målet är uppfyllt", "partially_achieved": "Målet är delvis uppfyllt",
                 "not_achieved": "Målet är inte uppfyllt"}
ACTION_COLOURS = {"done": "#1f5fbf", "ongoing": "#f07c00", "not_started": "#9a9a9a"}
ACTION_LABELS = {"done": "Klar", "ongoing": "Påbörjad", "not_started": "Ej startad"}

GOALS = [
    ("Ekonomi i balans", [
        ("Resultatet ska uppgå till minst två procent av skatteintäkterna", ["KS", "BUN"], "achieved",
         ["Resultatet blev 2,4 procent", "Alla nämnder höll budget"]),
        ("Investeringarna ska finansieras med egna medel", ["KS", "FBAB"], "not_achieved", ["Lån togs upp"]),
    ], [
        ("Införa en ny budgetprocess", "done", ["Processen beslutades i juni"]),
        ("Se över lokalbehovet i alla förvaltningar", "ongoing", ["Inventering pågår"]),
    ]),
    ("Trygg och hälsosam uppväxt", [
        ("Fler elever ska vara behöriga till gymnasiet", ["BUN", "SN"], "partially_achieved",
         ["Behörigheten ökade för flickor", "Oförändrad för pojkar"]),
        ("Minskad psykisk ohälsa bland unga", ["SN"], None, ["Mätningen görs vartannat år"]),
    ], [
        ("Bygga en ny förskola i Malmköping", "not_started", ["Planeras till 2025"]),
        ("Utveckla samarbetet mellan skola och socialtjänst", None, ["Ingen bedömning i år"]),
    ]),
]

BODY = ParagraphStyle("body", fontName="Helvetica", fontSize=10, leading=14, spaceAfter=6)
CELL = ParagraphStyle("cell", fontName="Helvetica", fontSize=8.5, leading=10.5)
HEAD = ParagraphStyle("head", fontName="Helvetica-Bold", fontSize=8.5, leading=10.5, textColor=colors.white)
H1 = ParagraphStyle("h1", fontName="Helvetica-Bold", fontSize=18, leading=22, spaceBefore=10, spaceAfter=8)
H2 = ParagraphStyle("h2", fontName="Helvetica-Bold", fontSize=14, leading=18, spaceBefore=10, spaceAfter=6)
H3 = ParagraphStyle("h3", fontName="Helvetica-Bold", fontSize=11.5, leading=14, spaceBefore=8, spaceAfter=4)


class Mark(Flowable):
    """A filled circle or square beside its cell's first line."""

    def __init__(self, colour: str, shape: str):
        super().__init__()
        self.colour, self.shape = colour, shape

    def wrap(self, available_width, available_height):
        return 8, 10

    def draw(self):
        self.canv.setFillColor(colors.HexColor(self.colour))
        if self.shape == "circle":
            self.canv.circle(3.5, 5, 3.2, stroke=0, fill=1)
        else:
            self.canv.rect(0.5, 2, 6.2, 6.2, stroke=0, fill=1)


def legend(colours: dict, labels: dict, shape: str) -> Table:
    """All of a scale's entries on one line: mark, label, mark, label, ..."""
    cells = []
    for status, colour in colours.items():
        cells += [Mark(colour, shape), Paragraph(labels[status], BODY)]
    widths = [12, 130] * len(colours)
    return Table([cells], colWidths=widths, hAlign="LEFT",
                 style=TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 2)]))


def goal_table(header: list[str], rows: list[tuple]) -> Table:
    grid = colors.HexColor("#7f7f7f")
    data = [[Paragraph(header[0], HEAD), "", Paragraph(header[1], HEAD)]] + rows
    style = TableStyle([("BOX", (0, 0), (-1, -1), 0.5, grid), ("LINEBELOW", (0, 0), (-1, -1), 0.5, grid),
                        ("LINEAFTER", (1, 0), (1, -1), 0.5, grid), ("SPAN", (0, 0), (1, 0)),
                        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#3b5b2d")),
                        ("VALIGN", (0, 0), (-1, -1), "TOP")])
    return Table(data, colWidths=[14, 200, 260], repeatRows=1, style=style)


def comment(items: list[str]) -> list:
    return [Paragraph(item, CELL, bulletText="•") for item in items]


def build(path: Path) -> Path:
    story = [Paragraph("Flens kommun", H2), Paragraph("Årsredovisning 2023", H1),
             Paragraph("Målrapport för kommunfullmäktiges mål i Flens kommun.", BODY),
             Paragraph("Inledning", H1)]
    story += [Paragraph("Kommunfullmäktige har beslutat om mål för mandatperioden. Varje nämnd följer upp "
                        "sina mål och åtgärder i årsredovisningen. " * 3, BODY)]
    story += [Paragraph("Så här läser du bedömningen", H2),
              Paragraph("Målen bedöms med följande symboler:", BODY),
              legend(RESULT_COLOURS, RESULT_LABELS, "circle"),
              Paragraph("Åtgärderna bedöms med följande symboler:", BODY),
              legend(ACTION_COLOURS, ACTION_LABELS, "square"),
              Paragraph("Sammanlagt redovisas 4 mål och 4 åtgärder i rapporten.", BODY)]
    story.append(Paragraph("Mål och åtgärder", H1))
    for number, (title, results, actions) in enumerate(GOALS, start=1):
        story += [Paragraph(f"{number}. {title}", H2), Paragraph("Nämndernas mål", H3)]
        rows = [[Mark(RESULT_COLOURS[status], "circle") if status else "",
                 Paragraph(f"{text} {', '.join(committees)}", CELL), comment(items)]
                for text, committees, status, items in results]
        story += [goal_table(["Mål för nämnderna", "Analys"], rows), Spacer(1, 8), Paragraph("Åtgärder", H3)]
        rows = [[Mark(ACTION_COLOURS[status], "square") if status else "", Paragraph(text, CELL), comment(items)]
                for text, status, items in actions]
        story += [goal_table(["Åtgärd", "Kommentar"], rows), Spacer(1, 8)]
    SimpleDocTemplate(str(path), pagesize=A4, title="Årsredovisning 2023 Flens kommun").build(story)
    return path
