"""Documents that are no plan or follow-up, or hold no goals, give no records, and say so: a press
release naming a plan in its text, a budget's tables of figures."""
from __future__ import annotations

import pytest

from corpus.generator.blocks import Cell, Heading, Paragraph, Report, Setup, Table
from corpus.generator.render_reportlab import render
from extract.pipeline import extract_file
from models.registry import RECORD_TYPES


def _extract(tmp_path, title: str, blocks):
    report = Report(name="x", title=title, cover=["Ronneby kommun", title], blocks=blocks,
                    setup=Setup(renderer="reportlab", font="sans", size=10, landscape=False, columns=1,
                                header_text=None))
    path = tmp_path / "x.pdf"
    render(report, path)
    return extract_file(path)


def _records(extraction) -> int:
    return sum(len(getattr(extraction, t.field)) for t in RECORD_TYPES)


def test_precision_press_release_gives_no_records(tmp_path):
    blocks = [Heading(1, "Ny simhall i centrum"),
              Paragraph("Kommunfullmäktige beslutade i går om en ny simhall. Beslutet följer årsredovisningen "
                        "och verksamhetsplanen, där målet är att fler ska röra på sig."),
              Paragraph("Uppdrag: Ta fram en plan för simhallen – Pågår")]
    extraction = _extract(tmp_path, "Pressmeddelande", blocks)
    assert _records(extraction) == 0
    assert any("no records extracted" in n for n in extraction.notices)


@pytest.mark.parametrize("first_header", ["Verksamhet", "Mnkr"])
def test_precision_budget_tables_give_no_records(first_header, tmp_path):
    rows = [[Cell("Kommunstyrelsen"), Cell("120,4"), Cell("125,0")], [Cell("Socialnämnden"), Cell("310,2"), Cell("322,8")]]
    blocks = [Heading(1, "Driftbudget per nämnd"), Table([first_header, "Budget 2024", "Budget 2025"], rows,
                                                          [0.5, 0.25, 0.25])]
    extraction = _extract(tmp_path, "Budget 2025", blocks)
    assert extraction.document.doc_type == "budget"
    assert _records(extraction) == 0
    assert any("no records extracted" in n for n in extraction.notices)
