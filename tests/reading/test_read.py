"""Read stage on the corpus PDFs and text sources, and its errors for bad input."""
from __future__ import annotations

import re
import unicodedata
from collections import Counter

import pytest
from pdfminer.psparser import LIT

from extract.errors import PlansError, ReadError
from extract.reading.marks import MarkSettings, color_to_hex
from extract.reading.read import ReadSettings, iter_pages, read_document
from models.layout import LayoutDocument
from tests.conftest import CORPUS_PDFS, SOURCES_DIR

KATRINEHOLM = "katrineholm-halvtidsuppfoljning-2019-2022.pdf"
KOPING = "koping-handlingsplan-2023-malomrade-1.pdf"
OSTERSUND = "ostersund-budget-2024.pdf"
OSTERSUND_SCAN = "ostersund-budget-2024-bildskanning.pdf"
ANGE = "ange-verksamhetsrapport-2023.pdf"
LIDKOPING = "lidkoping-utvecklingsmedel-webbsida.pdf"
SWEDISH = re.compile(r"[åäöÅÄÖ]")


@pytest.fixture(scope="module")
def layouts(corpus_pdfs):
    """Each corpus PDF read once per test module."""
    cache: dict[str, LayoutDocument] = {}

    def get(name: str) -> LayoutDocument:
        if name not in cache:
            cache[name] = read_document(corpus_pdfs[name])
        return cache[name]
    return get


def gold_texts(gold: dict) -> list[tuple[int, str]]:
    """(page, opening words) of the gold records that print a title or name: the page is where a record
    starts, so only its first words are sure to be on it."""
    texts = []
    for key in ("goals", "result_goals", "assignments", "activities", "indicators"):
        for record in gold[key]:
            text = record.get("title") or record.get("name")
            if text and record.get("page"):
                texts.append((record["page"], " ".join(text.split()[:8])))
    return texts


def words_of(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.casefold()))


@pytest.mark.parametrize("name", [n for n in CORPUS_PDFS if n not in (OSTERSUND, OSTERSUND_SCAN)])
def test_read_swedish_words_of_gold_records_on_their_page(name, layouts, gold):
    doc, expected = layouts(name), gold(name)
    assert doc.media == "pdf" and len(doc.sha256) == 64
    texts = gold_texts(expected) or [(1, expected["document"]["title"])]
    checked = 0
    for page_no, text in texts:
        page_words = words_of(doc.pages[page_no - 1].raw_text)
        for word in words_of(text):
            if SWEDISH.search(word):
                assert word in page_words, f"{word!r} of {text!r} not on page {page_no}"
                checked += 1
    assert checked > 0


@pytest.mark.parametrize("name", CORPUS_PDFS)
def test_read_page_sources(name, layouts):
    doc = layouts(name)
    sources = {p.source for p in doc.pages}
    if name == OSTERSUND:
        assert sources == {"ocr_layer"} and all(p.has_image and p.raw_text.strip() for p in doc.pages)
    elif name == OSTERSUND_SCAN:
        assert sources == {"image_only"} and all(p.has_image and not p.raw_text.strip() for p in doc.pages)
    else:
        assert sources == {"text_layer"} and not any(p.has_image for p in doc.pages)


@pytest.mark.parametrize("name", CORPUS_PDFS)
def test_read_title_from_metadata(name, layouts):
    assert layouts(name).title


def mark_key(kind: str, shape: str, color: str | None, glyph: str | None) -> tuple:
    # Gold names directed triangles ("triangle_right"); the layout model has one "triangle".
    return kind, shape.split("_")[0], color, glyph


def test_read_katrineholm_marks_match_gold(layouts, gold):
    expected = gold(KATRINEHOLM)
    want = Counter(mark_key(r["mark"]["kind"], r["mark"]["shape"], r["mark"]["color"], r["mark"].get("glyph"))
                   for key in ("result_goals", "assignments") for r in expected[key] if r["mark"])
    got = Counter(mark_key(m.kind, m.shape, m.color, m.glyph)
                  for p in layouts(KATRINEHOLM).pages for m in p.marks)
    for key in list(want):
        if key[0] == "symbol_glyph":  # the shape of a private-use glyph is unknown without a font map
            want[key[:1] + ("other",) + key[2:]] += want.pop(key)
    kinds = {key[0] for key in got}
    assert {"vector", "image", "glyph", "symbol_glyph"} <= kinds
    assert not want - got, f"marks in the gold but not read: {want - got}"
    extra = got - want
    assert sum(extra.values()) <= len(expected["status_legend"]), f"marks beyond rows and legend: {extra}"


def test_read_katrineholm_marks_on_gold_pages(layouts, gold):
    pages = layouts(KATRINEHOLM).pages
    for record in gold(KATRINEHOLM)["result_goals"]:
        if record["mark"]:
            colors = {m.color for m in pages[record["page"] - 1].marks if m.kind == record["mark"]["kind"]}
            assert record["mark"]["color"] in colors, record["title"]


def test_read_symbol_shapes_come_from_settings(corpus_pdfs):
    settings = ReadSettings(marks=MarkSettings(symbol_shapes={"PlanSymbols": {"\uf0fc": "check"}}))
    marks = [m for page in iter_pages(corpus_pdfs[KATRINEHOLM], settings) for m in page.marks
             if m.kind == "symbol_glyph"]
    assert {m.shape for m in marks if m.glyph == "\uf0fc"} == {"check"}
    assert {m.shape for m in marks if m.glyph != "\uf0fc"} == {"other"}
    assert all(m.font == "PlanSymbols" for m in marks)


def test_read_ange_check_boxes(layouts):
    boxes = [m for p in layouts(ANGE).pages for m in p.marks if m.kind == "checkbox"]
    assert len(boxes) == 4
    assert sum(bool(m.checked) for m in boxes) == 2


@pytest.mark.parametrize("name", [KATRINEHOLM, KOPING])
def test_read_tables_found(name, layouts, gold):
    doc = layouts(name)
    tables = [t for p in doc.pages for t in p.tables]
    assert tables and any(t.n_rows >= 2 and t.n_cols >= 2 for t in tables)
    cell_text = " ".join(" ".join(c.text.split()) for t in tables for c in t.cells)
    records = gold(name)["result_goals"] or gold(name)["indicators"]
    found = [r for r in records if " ".join((r.get("title") or r["name"]).split()) in cell_text]
    assert len(found) >= len(records) * 0.9
    assert any("\n" in c.text for t in tables for c in t.cells), "multi-line cells are joined by newlines"


def test_read_lines_carry_font_and_colour(layouts):
    lines = [line for p in layouts(KATRINEHOLM).pages for line in p.lines]
    assert all(line.bbox and line.font and line.size and line.color for line in lines)
    assert any(line.bold for line in lines) and not all(line.bold for line in lines)
    assert any(line.text.startswith("• ") for p in layouts(KOPING).pages for line in p.lines) or \
        not any("•" in p.raw_text for p in layouts(KOPING).pages)


def test_read_lidkoping_has_no_marks_or_tables(layouts):
    doc = layouts(LIDKOPING)
    assert not any(p.marks for p in doc.pages) and doc.pages[0].raw_text.strip()


@pytest.mark.parametrize("path", sorted(SOURCES_DIR.glob("*.txt")), ids=lambda p: p.stem)
def test_read_text_sources(path):
    doc = read_document(path)
    text = path.read_text(encoding="utf-8")
    assert doc.media == "text" and doc.title is None
    assert len(doc.pages) == text.count("\f") + 1
    assert all(p.source == "text_file" and not p.marks and not p.tables for p in doc.pages)
    joined = "\f".join(p.raw_text for p in doc.pages)
    assert joined == unicodedata.normalize("NFC", text)
    assert [line.text for p in doc.pages for line in p.lines] == [
        line for line in unicodedata.normalize("NFC", text).replace("\f", "\n").splitlines() if line.strip()]
    assert all(line.bbox is None for p in doc.pages for line in p.lines)


def test_read_text_file_pages_split_on_form_feed(tmp_path):
    path = tmp_path / "two.md"
    path.write_text("Sida ett\n\fSida tva\u030a\n", encoding="utf-8")
    pages = read_document(path).pages
    assert [p.page_no for p in pages] == [1, 2] and pages[1].lines[0].text == "Sida två"


def test_read_iter_pages_equals_read_document(corpus_pdfs, layouts):
    assert list(iter_pages(corpus_pdfs[KOPING])) == layouts(KOPING).pages


def test_read_error_missing_file(tmp_path):
    with pytest.raises(ReadError, match=r"missing\.pdf: no such file"):
        read_document(tmp_path / "missing.pdf")


def test_read_error_not_a_pdf(tmp_path):
    path = tmp_path / "x.pdf"
    path.write_bytes(b"PK\x03\x04 a zip archive")
    with pytest.raises(ReadError) as info:
        read_document(path)
    assert info.value.message == f"{path}: not a PDF (starts with 'PK'); pass a .pdf, .txt or .md file"
    assert isinstance(info.value, PlansError)


def test_read_error_unsupported_suffix(tmp_path):
    path = tmp_path / "plan.docx"
    path.write_bytes(b"PK\x03\x04")
    with pytest.raises(ReadError, match=r"unsupported file type '\.docx'"):
        read_document(path)


def test_read_error_truncated_pdf(tmp_path, corpus_pdfs):
    data = corpus_pdfs[KOPING].read_bytes()
    path = tmp_path / "truncated.pdf"
    path.write_bytes(data[: len(data) // 3])
    with pytest.raises(ReadError, match=r"truncated\.pdf: .*broken or truncated PDF"):
        read_document(path)


def test_read_error_random_bytes_behind_pdf_header(tmp_path):
    path = tmp_path / "random.pdf"
    path.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 40)
    with pytest.raises(ReadError, match=r"random\.pdf: broken or truncated PDF"):
        read_document(path)


def test_read_error_encrypted_pdf(tmp_path):
    from reportlab.lib.pdfencrypt import StandardEncryption
    from reportlab.pdfgen import canvas

    path = tmp_path / "locked.pdf"
    pdf = canvas.Canvas(str(path), encrypt=StandardEncryption("secret", canModify=0))
    pdf.drawString(100, 700, "hemlig")
    pdf.save()
    with pytest.raises(ReadError, match=r"locked\.pdf: the PDF is encrypted; pass its password"):
        read_document(path)
    assert "hemlig" in read_document(path, ReadSettings(password="secret")).pages[0].raw_text


def test_read_error_zero_pages(tmp_path):
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"]
    body, offsets = b"%PDF-1.4\n", []
    for number, obj in enumerate(objects, start=1):
        offsets.append(len(body))
        body += b"%d 0 obj\n" % number + obj + b"\nendobj\n"
    xref = len(body)
    body += b"xref\n0 3\n0000000000 65535 f \n" + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    body += b"trailer\n<< /Size 3 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % xref
    path = tmp_path / "empty.pdf"
    path.write_bytes(body)
    with pytest.raises(ReadError, match=r"empty\.pdf: the PDF has no pages"):
        read_document(path)


@pytest.mark.parametrize("value, expected", [
    ((0.0, 0.6, 0.302), "#00994d"),
    ((0.5,), "#808080"),
    (0, "#000000"),
    ((0.0, 0.0, 0.0, 1.0), "#000000"),
    ((0.0, 0.25, 1.0, 0.0), "#ffbf00"),
    ((0, 153, 77), "#00994d"),
    (LIT("Separation"), None),
    ((LIT("P0"),), None),
    (None, None),
])
def test_read_colors_normalised(value, expected):
    assert color_to_hex(value) == expected


def test_read_settings_forbid_unknown_names():
    with pytest.raises(ValueError):
        ReadSettings(x_tolerence=2)
    assert ReadSettings().x_tolerance == 1.5


def without_accents(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFD", text) if not unicodedata.combining(ch))


def test_read_ostersund_ocr_layer_kept_as_printed(layouts, gold):
    """The OCR layer lost its diacritics; reading returns it as it is (repair comes later)."""
    pages = layouts(OSTERSUND).pages
    for goal in gold(OSTERSUND)["goals"]:
        longest = max(words_of(without_accents(" ".join(goal["title"].split()[:4]))), key=len)
        assert longest in words_of(pages[goal["page"] - 1].raw_text), goal["title"]


def test_read_marks_the_corpus_lacks(tmp_path):
    """Diamonds, JPEG pictures, ballot-box characters and chart bars, drawn on a throwaway page."""
    from PIL import Image, ImageDraw
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    from corpus.builder.common import font_path

    pdfmetrics.registerFont(TTFont("ReadTestSans", str(font_path("DejaVuSans.ttf"))))
    jpeg = tmp_path / "dot.jpg"
    picture = Image.new("RGB", (40, 40), "white")
    ImageDraw.Draw(picture).ellipse((2, 2, 37, 37), fill=(214, 46, 33))
    picture.save(jpeg, quality=95)
    path = tmp_path / "marks.pdf"
    pdf = canvas.Canvas(str(path), pagesize=(300, 300))
    pdf.setFillColorRGB(1, 0.75, 0)
    diamond = pdf.beginPath()
    for x, y in ((20, 290), (25, 285), (20, 280), (15, 285)):
        (diamond.moveTo if x == 20 and y == 290 else diamond.lineTo)(x, y)
    diamond.close()
    pdf.drawPath(diamond, stroke=0, fill=1)
    pdf.drawImage(str(jpeg), 40, 280, 10, 10)
    pdf.setFont("ReadTestSans", 10)
    pdf.setFillColorRGB(0, 0, 0)
    pdf.drawString(60, 280, "☒ Ja ☐ Nej")
    pdf.setFillColorRGB(0.84, 0.18, 0.13)
    pdf.rect(20, 200, 9, 12, stroke=0, fill=1)
    pdf.rect(20, 185, 16, 12, stroke=0, fill=1)
    pdf.save()
    marks = read_document(path).pages[0].marks
    by_kind = Counter((m.kind, m.shape, m.color, m.checked) for m in marks)
    assert by_kind == Counter({("vector", "diamond", "#ffbf00", None): 1,
                               ("checkbox", "box", "#000000", True): 1,
                               ("checkbox", "box", "#000000", False): 1,
                               ("image", "circle", "#d62e21", None): 1})
