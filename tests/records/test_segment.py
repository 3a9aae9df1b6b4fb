"""The segment stage on corpus PDFs: furniture left out, tables stitched over page breaks, and pages
taken one at a time (the streaming entry point equals the whole-document one)."""
from __future__ import annotations

from collections import Counter

import pytest

from extract.reading.read import iter_pages, open_layout, read_document
from extract.text.repair import repair_page
from extract.records.segment import layout_to_segments, pages_to_segments

KATRINEHOLM = "katrineholm-halvtidsuppfoljning-2019-2022.pdf"
KOPING = "koping-handlingsplan-2023-malomrade-1.pdf"
ANGE = "ange-verksamhetsrapport-2023.pdf"


def _band_lines(layout) -> Counter:
    """How many pages print each line in the top or bottom tenth of the page."""
    seen: Counter = Counter()
    for page in layout.pages:
        seen.update({line.text for line in page.lines if line.bbox and (
            line.bbox[3] <= page.height * 0.1 or line.bbox[1] >= page.height * 0.9)})
    return seen


@pytest.mark.parametrize("pdf_name", [KATRINEHOLM, KOPING])
def test_segment_leaves_running_header_out(corpus_pdfs, segmented_pdf, pdf_name):
    segmented = segmented_pdf(pdf_name)
    header, pages = _band_lines(read_document(corpus_pdfs[pdf_name])).most_common(1)[0]
    assert pages >= 10  # the document does print a running header
    assert not [b for b in segmented.blocks if header in (b.text, b.raw_text)]


def test_segment_leaves_page_numbers_out(segmented_pdf):
    blocks = segmented_pdf(KOPING).blocks
    assert not [b for b in blocks if b.raw_text.startswith("Sida ") and " av " in b.raw_text]


def test_segment_stitches_table_over_page_break(segmented_pdf):
    tables = [b.table for b in segmented_pdf(KATRINEHOLM).blocks if b.kind == "table"]
    spanning = [t for t in tables if len({row.page_no for row in t.rows}) > 1]
    assert spanning
    for table in spanning:  # the header a continuation repeats is dropped, not kept as a body row
        assert [row.cells for row in table.rows].count(table.header) == 0


@pytest.mark.parametrize("pdf_name", [KOPING, ANGE])
def test_segment_streaming_equals_whole_document(corpus_pdfs, pdf_name):
    path = corpus_pdfs[pdf_name]
    layout = read_document(path)
    whole = layout_to_segments(layout, layout.model_copy(update={"pages": [repair_page(p) for p in layout.pages]}))
    with open_layout(path) as (document, pages):
        streamed = pages_to_segments(document, ((page, repair_page(page)) for page in pages))
    assert streamed.blocks == whole.blocks
    assert streamed.texts == whole.texts
    assert streamed.layout.sha256 == layout.sha256 and streamed.layout.title == layout.title


def test_segment_keeps_page_facts_not_layout(corpus_pdfs, segmented_pdf):
    """The segmented document keeps what records need of a page; its lines, cells and marks live on
    only in the blocks, so they are not held twice."""
    segmented = segmented_pdf(ANGE)
    read = list(iter_pages(corpus_pdfs[ANGE]))
    assert [(p.page_no, p.source, p.raw_text) for p in segmented.layout.pages] == \
        [(p.page_no, p.source, p.raw_text) for p in read]
    assert any(p.lines for p in read) and any(p.marks for p in read)
    assert not any(p.lines or p.tables or p.marks for p in segmented.layout.pages)
    assert sum(len(b.marks) for b in segmented.blocks) + sum(
        len(r.marks) for b in segmented.blocks if b.table for r in b.table.rows) == sum(len(p.marks) for p in read)


def test_segment_marks_on_a_line_split_in_two_stay_beside_their_own_labels():
    """A legend OCR read as two lines on one height ('● Slutfört ● Påbörjat' and '● Ej startat'): each
    mark goes to the nearer line, so every label keeps its mark."""
    from models import LayoutDocument, LayoutPage, Mark, TextLine

    lines = [TextLine(text="Förklaring", bbox=(57, 230, 160, 241), size=11.0, bold=True),
             TextLine(text="Slutfört Påbörjat", bbox=(70, 267, 181, 281), size=11.0),
             TextLine(text="Ej startat", bbox=(208, 270, 257, 280), size=11.0)]
    marks = [Mark(kind="image", shape="circle", bbox=(x, 271, x + 9, 279), color=color)
             for x, color in ((57, "#4caf50"), (124, "#ffc107"), (195, "#e53935"))]
    page = LayoutPage(page_no=1, source="ocr", raw_text="", lines=lines, marks=marks, width=595, height=842)
    layout = LayoutDocument(source_file="legend.pdf", sha256="0" * 64, media="pdf", pages=[page])

    blocks = {block.text: [m.color for m in block.marks] for block in layout_to_segments(layout).blocks
              if block.kind == "line"}

    assert blocks["Slutfört Påbörjat"] == ["#4caf50", "#ffc107"]
    assert blocks["Ej startat"] == ["#e53935"]


def _line(text: str, size: float, top: float):
    from models import TextLine

    return TextLine(text=text, size=size, bbox=(60.0, top, 60.0 + 6 * len(text), top + size))


def _titles(cover: list, body: list) -> list[str]:
    """The section titles of a two-page report: a cover page and a page of body."""
    from models import LayoutDocument, LayoutPage

    pages = [LayoutPage(page_no=n, source="text_layer", raw_text="\n".join(l.text for l in lines), lines=lines,
                        height=842.0, width=595.0) for n, lines in ((1, cover), (2, body))]
    layout = LayoutDocument(source_file="short.pdf", sha256="ab" * 32, media="pdf", pages=pages)
    titles = []

    def walk(sections):
        for section in sections:
            titles.append(section.title)
            walk(section.children)

    walk(layout_to_segments(layout).sections)
    return titles


def test_segment_headings_of_a_short_report_told_from_its_one_paragraph():
    """A report that is mostly tables has little prose: its cover lines and headings, one line each,
    outweigh the one paragraph by characters; lines that stand alone count for less than lines that
    run on, so the headings are headings and the paragraph is body."""
    cover = [_line("Uppsalas kommun", 15, 100), _line("Årsredovisning 2022", 26, 130),
             _line("Antagen av kommunfullmäktige", 15, 170)]
    body = [_line("Inledning", 15, 80),
            _line("Rapporten beskriver hur verksamheten har utvecklats under perioden och hur", 10, 100),
            _line("långt arbetet med målen har kommit.", 10, 112),
            _line("Mål 1: Hållbar samhällsbyggnad och bostäder för alla", 15, 150),
            _line("Mål 2: Ekonomi i balans", 15, 300), _line("Mål 3: Jämlika livsvillkor och inkludering", 15, 450)]
    titles = _titles(cover, body)
    assert {"Inledning", "Mål 1: Hållbar samhällsbyggnad och bostäder för alla", "Mål 2: Ekonomi i balans",
            "Mål 3: Jämlika livsvillkor och inkludering"} <= set(titles)
    assert not [t for t in titles if t.startswith("Rapporten")]


def test_segment_a_lone_line_longer_than_any_heading_is_prose():
    """A report whose one paragraph fits on one line: standing alone, it would count for less than the
    cover lines and headings of one size, which would then pass for the body; a line of more words
    than a heading holds is prose all the same, so the headings stay headings."""
    cover = [_line("Nässjö kommun", 15, 100), _line("Mål och budget 2021", 26, 130),
             _line("Kommunstyrelsen", 15, 170)]
    body = [_line("Inledning", 15, 80),
            _line("Kommunfullmäktige har beslutat om mål för verksamheten. I denna rapport följs målen upp "
                  "och bedöms.", 9.5, 100),
            _line("Mål 1: En effektiv och attraktiv organisation", 15, 150), _line("Mål 2: Ekonomi i balans", 15, 300)]
    titles = _titles(cover, body)
    assert {"Inledning", "Mål 1: En effektiv och attraktiv organisation", "Mål 2: Ekonomi i balans"} <= set(titles)
    assert not [t for t in titles if t.startswith("Kommunfullmäktige")]
