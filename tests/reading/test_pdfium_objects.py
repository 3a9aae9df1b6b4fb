"""PDFium's reading of a page gives the objects pdfminer's gives, and the same records."""
from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium
import pytest

from extract.pipeline import PipelineSettings, extract_file
from extract.reading.marks import color_to_hex
from extract.reading.pdfium_objects import pdfium_page_objects
from extract.reading.read import ReadSettings

GENERATED = Path(__file__).resolve().parents[2] / "corpus" / "generated" / "dev" / "pdf"
GENERATED_FILES = ("dev-0000-activities-reportlab.pdf", "dev-0010-status-tables-chromium.pdf",
                   "dev-0031-status-tables-chromium.pdf", "dev-0029-status-tables-libreoffice.pdf",
                   "dev-0006-status-tables-reportlab.pdf", "dev-0005-indicators-libreoffice.pdf")
X_TOLERANCE = 1.5
"""PDFium places characters from rounded glyph widths: up to about a point off at a long line's end."""
Y_TOLERANCE = 0.05
CID = re.compile(r"\(cid:\d+\)")
"""A glyph pdfminer has no Unicode for (reportlab's bullet), which PDFium may know ('•')."""


def _letters(chars: list[dict]) -> list[tuple[str, dict | None]]:
    """The characters that are not spaces, in reading order, as (letter, char); a ligature ('ﬂ', one
    character to pdfminer, two to PDFium) as its letters and a glyph pdfminer cannot name as '?',
    with no box to compare."""
    ordered = sorted((c for c in chars if c["text"].strip()), key=lambda c: (round(c["top"]), c["x0"]))
    out: list[tuple[str, dict | None]] = []
    for c in ordered:
        if CID.fullmatch(c["text"]):
            out.append(("?", None))  # its width too is unknown to pdfminer: 0
            continue
        letters = unicodedata.normalize("NFKC", c["text"])
        out.extend([(letters, c)] if len(letters) == 1 else [(letter, None) for letter in letters])
    return out


def _compare_page(plumber_page, objects: dict) -> int:
    expected, got = plumber_page.objects, objects
    theirs, mine = _letters(expected.get("char", [])), _letters(got.get("char", []))
    assert len(mine) == len(theirs)
    assert [b if a == "?" else a for (a, _), (b, _) in zip(theirs, mine)] == [b for b, _ in mine]
    ligature_parts = {id(b) for (_, a), (_, b) in zip(theirs, mine) if a is None}
    for (_, a), (_, b) in zip(theirs, mine):
        if a is None or id(b) in ligature_parts:
            continue
        assert abs(a["x0"] - b["x0"]) < X_TOLERANCE and abs(a["x1"] - b["x1"]) < X_TOLERANCE, (a, b)
        assert abs(a["top"] - b["top"]) < Y_TOLERANCE and abs(a["bottom"] - b["bottom"]) < Y_TOLERANCE, (a, b)
        assert abs(a["size"] - b["size"]) < Y_TOLERANCE
        assert a["fontname"] == b["fontname"]
        assert color_to_hex(a["non_stroking_color"]) == color_to_hex(b["non_stroking_color"])
    for kind in ("line", "rect", "curve"):
        box = lambda o: (round(o["top"], 1), round(o["x0"], 1))  # noqa: E731
        a_objs, b_objs = sorted(expected.get(kind, []), key=box), sorted(got.get(kind, []), key=box)
        assert len(a_objs) == len(b_objs), kind
        for a, b in zip(a_objs, b_objs):
            assert max(abs(a[k] - b[k]) for k in ("x0", "x1", "top", "bottom")) < Y_TOLERANCE, (a, b)
            assert (a["fill"], a["stroke"]) == (b["fill"], b["stroke"])
            for color in ("non_stroking_color", "stroking_color"):
                if a[color] is not None:
                    assert color_to_hex(a[color]) == color_to_hex(b[color]), (a, b)
    return len(mine)


def _paths(corpus_pdfs) -> list[Path]:
    return [corpus_pdfs["koping-handlingsplan-2023-malomrade-1.pdf"], corpus_pdfs["ange-verksamhetsrapport-2023.pdf"],
            corpus_pdfs["lidkoping-utvecklingsmedel-webbsida.pdf"], *(GENERATED / name for name in GENERATED_FILES)]


def test_pdfium_objects_equal_pdfminers(corpus_pdfs):
    """Letters, boxes, sizes, fonts and colours, and every line, rectangle and curve with its fill,
    stroke and colours, on text pages of the corpus and of reports from reportlab, Chromium and
    LibreOffice."""
    read = letters = 0
    for path in _paths(corpus_pdfs):
        document = pdfium.PdfDocument(str(path))
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                objects = pdfium_page_objects(document, page)
                if objects is not None:
                    letters += _compare_page(page, objects)
                    read += 1
        document.close()
    assert read >= 20 and letters > 10_000


def test_pdfium_objects_leave_image_pages_to_pdfminer(corpus_pdfs):
    """A page holding an image (a scan, a logo, an icon) is not read by PDFium: pdfminer reads it,
    as PDFium's image objects are not pdfminer's."""
    path = corpus_pdfs["ostersund-budget-2024-bildskanning.pdf"]
    document = pdfium.PdfDocument(str(path))
    with pdfplumber.open(path) as pdf:
        assert all(page.images for page in pdf.pages)
        assert [pdfium_page_objects(document, page) for page in pdf.pages] == [None] * len(pdf.pages)


def test_pdfium_objects_leave_rotated_pages_to_pdfminer(tmp_path):
    from reportlab.pdfgen import canvas

    path = tmp_path / "rotated.pdf"
    drawing = canvas.Canvas(str(path))
    drawing.setPageRotation(90)
    drawing.drawString(100, 700, "Mål 1: Ett tryggt samhälle")
    drawing.showPage()
    drawing.setPageRotation(0)
    drawing.drawString(100, 700, "Mål 2: En god miljö")
    drawing.showPage()
    drawing.save()
    document = pdfium.PdfDocument(str(path))
    with pdfplumber.open(path) as pdf:
        rotated, upright = (pdfium_page_objects(document, page) for page in pdf.pages)
    assert rotated is None and "".join(c["text"] for c in upright["char"]) == "Mål 2: En god miljö"


def _records(extraction) -> dict:
    """Every record with its provenance but for the box, which may move by a fraction of a point."""
    return {name: [r.model_dump(exclude={"provenance": {"bbox": True}}) for r in getattr(extraction, name)]
            for name in ("goals", "result_goals", "assignments", "indicators", "activities", "status_legend")}


@pytest.mark.slow
@pytest.mark.parametrize("name", ["koping-handlingsplan-2023-malomrade-1.pdf", "katrineholm-halvtidsuppfoljning-2019-2022.pdf",
                                  *GENERATED_FILES])
def test_read_pdfium_and_pdfminer_give_the_same_records(corpus_pdfs, name):
    path = GENERATED / name if name in GENERATED_FILES else corpus_pdfs[name]
    with_pdfium = extract_file(path)
    with_pdfminer = extract_file(path, PipelineSettings(read=ReadSettings(pdfium_objects=False)))
    assert _records(with_pdfium) == _records(with_pdfminer)
    assert sum(map(len, _records(with_pdfium).values())) > 0
