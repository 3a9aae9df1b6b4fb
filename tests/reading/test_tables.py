"""Tables ruled only between rows: columns from where the header cells start."""
from __future__ import annotations

from reportlab.pdfgen import canvas

from extract.reading.read import read_document

HEADER = ("Nyckeltal", "Utfall 2020", "Utfall 2021", "Utfall 2022", "Målvärde")
ROWS = (("Väntetid till särskilt boende", "71", "85", "21", "30"),
        ("Koldioxidutsläpp (ton)", "3 047", "3 587", "460", "Öka"))


def _row_ruled_table(path, columns: tuple[float, ...]) -> None:
    pdf = canvas.Canvas(str(path), pagesize=(595, 842))
    pdf.setFont("Helvetica", 10)
    for y in (700, 680, 660, 640):
        pdf.line(50, y, 545, y)
    for y, row in ((686, HEADER), (666, ROWS[0]), (646, ROWS[1])):
        for x, text in zip(columns, row):
            pdf.drawString(x, y, text)
    pdf.save()


def test_tables_header_cells_set_close_together_split_where_the_body_columns_start(tmp_path):
    """'Utfall 2020 Utfall 2021' leaves less than a word space between header cells; the values under
    them start where each header cell starts, which tells the columns apart."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    columns = [55.0, 230.0]
    for text in HEADER[1:-1]:  # each header cell 4 pt after the one before: less than the column gap
        columns.append(columns[-1] + stringWidth(text, "Helvetica", 10) + 4)
    path = tmp_path / "table.pdf"
    _row_ruled_table(path, tuple(columns))
    (table,) = read_document(path).pages[0].tables
    assert table.rows() == [list(HEADER), *map(list, ROWS)]


def test_tables_header_cells_far_apart_need_no_body(tmp_path):
    path = tmp_path / "table.pdf"
    _row_ruled_table(path, (55, 230, 310, 390, 470))
    (table,) = read_document(path).pages[0].tables
    assert table.rows()[0] == list(HEADER) and table.n_cols == 5


def test_tables_a_band_repeating_the_header_starts_the_next_table(tmp_path):
    """Two tables ruled between rows set right under each other, their headers in the body's weight
    (as a scan's pixels may read them): the band that repeats the first header's words heads a table
    of its own, rather than being read as one more row of the first."""
    path = tmp_path / "touching.pdf"
    pdf = canvas.Canvas(str(path), pagesize=(595, 842))
    pdf.setFont("Helvetica", 10)
    rows = (("Nämndmål", "Kommentar/analys", "Status"), ("Fler ska cykla", "Resorna ökade", "Pågår"),
            ("Uppdrag", "Kommentar/analys", "Status"), ("Utreda en ny simhall", "Utredningen pågår", "Klart"))
    for i in range(len(rows) + 1):
        pdf.line(50, 700 - 20 * i, 545, 700 - 20 * i)
    for i, row in enumerate(rows):
        for x, text in zip((55, 230, 470), row):
            pdf.drawString(x, 686 - 20 * i, text)
    pdf.save()
    tables = read_document(path).pages[0].tables
    assert [t.rows()[0][0] for t in tables] == ["Nämndmål", "Uppdrag"]


def test_tables_a_heading_between_two_tables_ends_the_first_when_one_header_word_reads_large(tmp_path):
    """The header's size is the size most of its text has: one word read large (a lone 'Mått' whose
    x-height OCR misjudged) must not lift the bar so high that the heading between two tables of one
    width passes for a row of the first."""
    path = tmp_path / "two.pdf"
    pdf = canvas.Canvas(str(path), pagesize=(595, 842))
    for y in (700, 680, 660, 640, 560, 540, 520):
        pdf.line(50, y, 545, y)
    for top, first in ((686, "Mått"), (546, "Mått")):
        pdf.setFont("Helvetica", 14)
        pdf.drawString(55, top, first)
        pdf.setFont("Helvetica", 10)
        for x, text in zip((230, 390), ("Utfall 2021", "Målvärde")):
            pdf.drawString(x, top, text)
    pdf.setFont("Helvetica", 10)
    for top, row in ((666, ("Väntetid till särskilt boende", "71", "30")), (646, ("Koldioxidutsläpp", "3 047", "Öka")),
                     (526, ("Antal nya bostäder", "152", "416"))):
        for x, text in zip((55, 230, 390), row):
            pdf.drawString(x, top, text)
    pdf.setFont("Helvetica-Bold", 16)
    pdf.drawString(55, 600, "2. Ekonomi i balans")
    pdf.save()
    tables = read_document(path).pages[0].tables
    assert [[row[0] for row in t.rows()] for t in tables] == [["Mått", "Väntetid till särskilt boende", "Koldioxidutsläpp"],
                                                              ["Mått", "Antal nya bostäder"]]
