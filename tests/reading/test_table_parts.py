"""Tables set one right under the other, sharing a rule, are read as the tables they are."""
from __future__ import annotations

from reportlab.pdfgen import canvas

from extract.reading.read import read_document

GOALS = (("Nämndmål", "Ansvar", "Kommentar/analys", "Status"),
         ("Kulturlivet ska vara tillgängligt", "KFN", "En arbetsgrupp har tillsatts", "Pågår"),
         ("Fler resor med kollektivtrafik", "TN", "Resorna ökade under året", "Klart"))
ASSIGNMENTS = (("Uppdrag", "Kommentar/analys", "Status"),
               ("Samordna insatserna för unga", "Enkäten besvarades av fler än väntat", "Pågår"),
               ("Se över riktlinjerna för bidrag", "Arbetet har påbörjats", "Ej påbörjad"))


def _grid(pdf, top: float, columns: tuple[float, ...], rows, height: float = 20) -> float:
    """A fully ruled table from `top` down; returns its bottom."""
    bottom = top - height * len(rows)
    for i in range(len(rows) + 1):
        pdf.line(columns[0], top - i * height, columns[-1], top - i * height)
    for x in columns:
        pdf.line(x, top, x, bottom)
    for i, row in enumerate(rows):
        for x, text in zip(columns, row):
            pdf.drawString(x + 3, top - i * height - 14, text)
    return bottom


def _page(path, second_columns: tuple[float, ...], second_rows=ASSIGNMENTS) -> None:
    pdf = canvas.Canvas(str(path), pagesize=(842, 595))
    pdf.setFont("Helvetica", 9)
    bottom = _grid(pdf, 500, (50, 250, 320, 620, 790), GOALS)
    _grid(pdf, bottom, second_columns, second_rows)
    pdf.save()


def test_table_parts_stacked_tables_with_their_own_columns_are_two(tmp_path):
    """A goal table of four columns with an assignment table of three right under it (one rule
    between them): pdfplumber's grid has the union of their columns; the reader cuts it where the
    rows stop sharing column boundaries."""
    path = tmp_path / "stacked.pdf"
    _page(path, (50, 330, 680, 790))
    goals, assignments = read_document(path).pages[0].tables
    assert goals.rows() == [list(row) for row in GOALS]
    assert assignments.rows() == [list(row) for row in ASSIGNMENTS]


def test_table_parts_a_row_spanning_columns_stays_in_its_table(tmp_path):
    """A row under the table that keeps some of its column boundaries (a note over two columns) is
    part of it: only rows sharing no boundary start a new table."""
    path = tmp_path / "one.pdf"
    _page(path, (50, 250, 620, 790), (("Summa", "2 mål", "Följs upp i bokslutet"),))
    (table,) = read_document(path).pages[0].tables
    assert table.n_rows == 4 and table.rows()[0] == list(GOALS[0])
