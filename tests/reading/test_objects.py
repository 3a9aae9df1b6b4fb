"""The faster char and table steps of the read stage give exactly what pdfplumber gives."""
from __future__ import annotations

import pdfplumber
import pytest

from extract.reading.objects import install_fast_chars, table_to_cell_texts
from extract.reading.read import ReadSettings

FILES = (pytest.param("katrineholm-halvtidsuppfoljning-2019-2022.pdf", marks=pytest.mark.slow),
         "koping-handlingsplan-2023-malomrade-1.pdf", "ostersund-budget-2024.pdf", "ange-verksamhetsrapport-2023.pdf")


@pytest.mark.parametrize("name", FILES)
def test_objects_fast_chars_equal_pdfplumber(corpus_pdfs, name):
    path = corpus_pdfs[name]
    chars = 0
    with pdfplumber.open(path) as stock, pdfplumber.open(path) as fast:
        for a, b in zip(stock.pages, fast.pages):
            expected, got = a.chars, install_fast_chars(b).chars
            assert [list(c.items()) for c in got] == [list(c.items()) for c in expected]
            chars += len(got)
    assert chars > 0


@pytest.mark.parametrize("name", FILES[:2])
def test_objects_table_texts_equal_pdfplumber(corpus_pdfs, name):
    path = corpus_pdfs[name]
    settings = ReadSettings()
    tables = 0
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            for table in page.find_tables(settings.table_settings()):
                kwargs = {"x_tolerance": settings.x_tolerance, "y_tolerance": settings.y_tolerance}
                assert table_to_cell_texts(table, **kwargs) == table.extract(**kwargs)
                tables += 1
    assert tables > 0
