"""OCR: Tesseract's Swedish model on the image-only Östersund scan, and a clear message without it."""
from __future__ import annotations

import re

import pytest

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
