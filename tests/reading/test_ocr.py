"""OCR: Tesseract's Swedish model on the image-only Östersund scan, and a clear message without it."""
from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
import reportlab
from PIL import Image, ImageDraw, ImageFont

from extract.reading import ocr
from extract.reading.ocr import OcrUnavailable, choose_text, ocr_pages
from extract.text.quality import text_to_quality
from extract.evaluation.repair import RAW

SCAN = "ostersund-budget-2024-bildskanning.pdf"


@pytest.mark.slow
def test_ocr_scan_page_reads_swedish_marks(corpus_pdfs):
    pages = ocr_pages(corpus_pdfs[SCAN], [2], jobs=1)
    text = pages[2]
    assert len(re.findall("[åäöÅÄÖ]", text)) > 50
    assert "Östersunds kommun har en hållbar tillväxt" in " ".join(text.split())
    assert text_to_quality(text).score > 0.9


def test_ocr_missing_tesseract_raises_with_install_hint(monkeypatch, tmp_path, corpus_pdfs):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(OcrUnavailable, match="apt-get install tesseract-ocr tesseract-ocr-swe"):
        ocr_pages(corpus_pdfs[SCAN], [1])


def test_ocr_missing_language_model_raises(monkeypatch, corpus_pdfs):
    monkeypatch.setattr(ocr, "_installed_languages", lambda binary: frozenset({"eng", "osd"}))
    with pytest.raises(OcrUnavailable, match="swe"):
        ocr_pages(corpus_pdfs[SCAN], [1])


def test_ocr_choose_text_keeps_the_better():
    garbled = RAW.read_text(encoding="utf-8")[:3000]
    clean = "Östersunds kommun har en hållbar tillväxt där alla känner sig delaktiga. " * 10
    assert choose_text(garbled, clean) == (clean, "ocr")
    assert choose_text(clean, garbled, "text_layer") == (clean, "text_layer")
    assert choose_text("", clean) == (clean, "ocr")


def test_ocr_part_of_a_page_read_on_its_own_gets_the_second_reading_too():
    """Words read again inside one box (a line that runs over two cells, ink OCR passed over) are
    checked for a misread symbol as the page's words are: a wrapped '(%)' read '(960)' in a cell had
    kept the misreading and the indicator its wrong name."""
    font = ImageFont.truetype(str(Path(reportlab.__file__).parent / "fonts" / "Vera.ttf"), 40)
    image = Image.new("L", (900, 120), 255)
    ImageDraw.Draw(image).text((20, 30), "Andel energi 74,0", font=font, fill=0)
    reader = ocr.word_reader(ocr.OcrSettings(second_opinion="energi", second_symbols="%"))
    asked = []

    def read_alone(image, box, dpi, lang=None, single_char=False):
        asked.append((box, lang))
        return "(%)", 90.0

    reader.read_alone = read_alone
    words = reader.read_block(np.array(image), (0, 0, 900, 120), 200)
    assert [w.text for w in words] == ["Andel", "(%)", "74,0"]
    assert [lang for _, lang in asked] == ["eng"]
