"""Layouts the reader meets in the wild, drawn with the report generator's reportlab renderer: tables
ruled only between rows, cells filled with a status colour, pages set in two columns."""
from __future__ import annotations

from pathlib import Path

import pytest

from corpus.generator.blocks import Cell, Heading, Mark, Paragraph, Report, Setup, Table
from corpus.generator.render_reportlab import render
from extract.reading.read import read_document

GREEN, RED = "#00994d", "#d62e21"
PROSE = ("Kommunen har under året arbetat vidare med målen och följt upp dem i varje nämnd. "
         "Resultaten redovisas här tillsammans med en bedömning av hur långt arbetet har kommit. ") * 3


def _pdf(tmp_path: Path, blocks, columns: int = 1) -> Path:
    report = Report(name="t", title="Årsredovisning 2024", cover=["Växjö kommun", "Årsredovisning 2024"],
                    blocks=blocks, setup=Setup(renderer="reportlab", font="sans", size=10, landscape=False,
                                               columns=columns, header_text=None))
    path = tmp_path / "report.pdf"
    render(report, path)
    return path


@pytest.fixture(scope="module")
def status_table_pdf(tmp_path_factory):
    rows = [[Cell("Fler ska cykla till jobbet"), Cell("Andelen ökade."), Cell(mark=Mark("cell", GREEN, "square"))],
            [Cell("Kommunens utsläpp ska minska"), Cell("Utsläppen ökade."), Cell(mark=Mark("cell", RED, "square"))],
            [Cell("Alla ska ha en bostad"), Cell("Ingen bedömning."), Cell()]]
    blocks = [Heading(1, "Mål 1: Hållbar kommun"), Table(["Resultatmål", "Kommentar", "Status"], rows,
                                                         [0.5, 0.35, 0.15], grid=False)]
    return read_document(_pdf(tmp_path_factory.mktemp("rows"), blocks))


def test_layout_table_ruled_between_rows_only_is_found_with_its_columns(status_table_pdf):
    page = status_table_pdf.pages[1]
    assert len(page.tables) == 1
    rows = page.tables[0].rows()
    assert rows[0] == ["Resultatmål", "Kommentar", "Status"]
    assert [row[0] for row in rows[1:]] == ["Fler ska cykla till jobbet", "Kommunens utsläpp ska minska",
                                            "Alla ska ha en bostad"]


def test_layout_cell_fill_is_a_mark_of_its_colour(status_table_pdf):
    fills = [m for m in status_table_pdf.pages[1].marks if m.kind == "fill"]
    assert [m.color for m in sorted(fills, key=lambda m: m.bbox[1])] == [GREEN, RED]


def test_layout_two_columns_read_column_by_column(tmp_path):
    blocks = [Heading(1, "Inledning"), Paragraph("VÄNSTER " + PROSE * 2), Paragraph("MITTEN " + PROSE * 2),
              Paragraph("HÖGER " + PROSE * 2), Paragraph("SIST " + PROSE * 2)]
    page = read_document(_pdf(tmp_path, blocks, columns=2)).pages[1]
    assert page.regions, "two columns not found"
    text = " ".join(line.text for line in page.lines)
    order = [text.index(word) for word in ("VÄNSTER", "MITTEN", "HÖGER", "SIST")]
    assert order == sorted(order)
    left_edge = min(line.bbox[0] for line in page.lines)
    assert any(line.bbox[0] > page.width / 2 for line in page.lines) and left_edge < page.width / 4


def test_layout_one_column_prose_is_not_split(tmp_path):
    page = read_document(_pdf(tmp_path, [Heading(1, "Inledning"), Paragraph(PROSE * 3)])).pages[1]
    assert page.regions == []
