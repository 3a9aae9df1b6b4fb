"""Document metadata: municipality, document type, period and title from the first pages."""
from __future__ import annotations

import datetime as dt

import pytest

from extract import __version__
from extract.reading.read import read_document
from extract.records.document import (
    layout_to_document,
    layout_to_title,
    text_to_doc_type,
)
from extract.records.segment import layout_to_segments
from extract.rules import rules_hash
from extract.rules.base import base_rules
from models import LayoutDocument, LayoutPage, TextLine

SHA = "ab" * 32
WHEN = dt.datetime(2024, 5, 1, 12, 0)


def page(page_no: int, *lines: str | tuple[str, float]) -> LayoutPage:
    """A page of text lines; a (text, size) pair gives the line a font size."""
    text_lines = [TextLine(text=line) if isinstance(line, str) else TextLine(text=line[0], size=line[1])
                  for line in lines]
    return LayoutPage(page_no=page_no, source="text_layer", raw_text="\n".join(line.text for line in text_lines),
                      lines=text_lines)


def layout(*pages: LayoutPage, title: str | None = None) -> LayoutDocument:
    return LayoutDocument(source_file="corpus/pdf/test.pdf", sha256=SHA, media="pdf", pages=list(pages), title=title)


def document_of(*pages: LayoutPage, title: str | None = None):
    return layout_to_document(layout(*pages, title=title), base_rules(), extracted_at=WHEN)


# --- municipality ---------------------------------------------------------------------------------
def test_document_municipality_from_the_most_mentioned_name():
    municipality, document = document_of(
        page(1, "Köpings kommun", "Samverkan med Östersunds kommun", "Köping växer", "Kopings kommun"))
    assert (municipality.code, municipality.name, municipality.county) == ("1983", "Köping", "Västmanlands län")
    assert document.municipality_code == "1983"


def test_document_municipality_none_without_a_name():
    municipality, document = document_of(page(1, "Kommunplan 2019–2022", "En kommun utan namn"))
    assert municipality is None and document.municipality_code is None


def test_document_municipality_only_from_the_lookahead_pages():
    rules = base_rules()
    filler = [page(n, f"Sida {n}") for n in range(1, rules.lookahead_pages + 1)]
    municipality, _ = document_of(*filler, page(rules.lookahead_pages + 1, "Katrineholms kommun"))
    assert municipality is None
    municipality, _ = document_of(*filler[:-1], page(rules.lookahead_pages, "Katrineholms kommun"))
    assert municipality is not None and municipality.code == "0483"


# --- document type --------------------------------------------------------------------------------
@pytest.mark.parametrize(("head", "doc_type"), [
    ("Verksamhetsrapport för verksamhetsutveckling", "verksamhetsrapport"),
    ("Halvtidsuppföljning kommunplan 2019-2022", "halvtidsuppföljning"),
    ("HALVTIDS-UPPFOLJNING", "halvtidsuppföljning"),
    ("Delårsrapport augusti", "delårsrapport"),
    ("Årsredovisning 2023", "årsredovisning"),
    ("Handlingsplan 2023 – Målområde 1", "handlingsplan"),
    ("Budget 2024", "budget"),
    ("Kommunplan 2023–2026", "kommunplan"),
    ("Budgeten för året", "other"),
    ("Protokoll från kommunstyrelsen", "other"),
    ("Startsida / Kommun och politik / Handlingsplan 2023", "other"),
    ("Tertialrapport 1 2024", "tertialrapport"),
    ("Delarsrapport januari-augusti 2024", "delårsrapport"),
    ("Verksamhetsberättelse 2023 för kultur- och fritidsnämnden", "verksamhetsberättelse"),
    ("Mål och budget 2024–2026", "mål och budget"),
    ("Mål- och budget 2025", "mål och budget"),
    ("Nämndplan 2024 Socialnämnden", "nämndplan"),
    ("Verksamhetsplan 2024", "verksamhetsplan"),
    ("Uppföljning av mål och verksamhet 2023", "uppföljning"),
    ("Arsredovisning 2022", "årsredovisning"),
    ("Pressmeddelande: ny förskola invigd", "other"),
])
def test_document_doc_type_from_the_first_matching_rule(head, doc_type):
    assert text_to_doc_type(head, base_rules()) == doc_type


def test_document_doc_type_from_the_head_of_page_one_only():
    rules = base_rules()
    body = [f"Rad {n} om verksamheten" for n in range(rules.doc_type_lines)]
    _, late = document_of(page(1, "Kommunstyrelsen", *body, "Handlingsplan 2023 nämns här"))
    assert late.doc_type == "other"
    _, second_page = document_of(page(1, "Kommunstyrelsen"), page(2, "Handlingsplan 2023"))
    assert second_page.doc_type == "other"
    _, early = document_of(page(1, *body[: rules.doc_type_lines - 1], "Handlingsplan 2023"))
    assert early.doc_type == "handlingsplan"


def test_document_doc_type_from_the_pdf_title():
    _, document = document_of(page(1, "Kommunstyrelsen"), title="Delårsrapport 2023")
    assert document.doc_type == "delårsrapport"


# --- period ---------------------------------------------------------------------------------------
def test_document_period_from_years():
    _, document = document_of(page(1, "Halvtidsuppföljning", "kommunplan 2019–2022"))
    assert (document.period_start, document.period_end) == (dt.date(2019, 1, 1), dt.date(2022, 12, 31))


def test_document_period_from_iso_dates():
    _, document = document_of(page(1, "Verksamhetsrapport"),
                              page(2, "Rapporten avser perioden 2023-01-01 – 2023-05-31 och kommunplan 2019-2022"))
    assert (document.period_start, document.period_end) == (dt.date(2023, 1, 1), dt.date(2023, 5, 31))


def test_document_period_of_one_year_runs_through_it():
    _, document = document_of(page(1, "Kommunstyrelsen"), title="Handlingsplan 2023")
    assert (document.period_start, document.period_end) == (dt.date(2023, 1, 1), dt.date(2023, 12, 31))


def test_document_period_none_without_a_pattern_match():
    _, document = document_of(page(1, "Verksamhetsrapport", "Året 2023 gick bra"))
    assert (document.period_start, document.period_end) == (None, None)


# --- title ----------------------------------------------------------------------------------------
def test_document_title_from_the_pdf_title_first():
    doc = layout(page(1, ("Stor rubrik", 30.0)), title="  Budget 2024 \n")
    assert layout_to_title(doc) == "Budget 2024"


def test_document_title_else_the_largest_line_of_page_one():
    doc = layout(page(1, ("KÖPINGS KOMMUN", 12.0), (" Handlingsplan 2023 ", 30.0), ("  ", 40.0), ("Brödtext", 9.0)),
                 page(2, ("Större på sidan två", 60.0)))
    assert layout_to_title(doc) == "Handlingsplan 2023"


def _at(text: str, size: float, top: float) -> TextLine:
    return TextLine(text=text, size=size, bbox=(60.0, top, 300.0, top + size))


@pytest.mark.parametrize("first, second, title", [
    ("Verksamhetspla", "n 2024", "Verksamhetsplan 2024"),  # the wrap broke the word, no hyphen
    ("Verksamhets-", "plan 2024", "Verksamhetsplan 2024"),
    ("Kommunstyrelsens", "verksamhetsplan 2024", "Kommunstyrelsens verksamhetsplan 2024"),
    ("Kultur- och fritids-", "nämndens mål 2024", "Kultur- och fritidsnämndens mål 2024"),
])
def test_document_title_keeps_the_lines_a_long_title_wraps_onto(first, second, title):
    lines = [_at("Storfors kommun", 14.8, 229), _at(first, 27.2, 257), _at(second, 26.2, 290),
             _at("Kommunstyrelsen", 14.3, 329), _at("Verksamhetsplan för 2025", 27.0, 420)]
    doc = layout(LayoutPage(page_no=1, source="ocr", raw_text="", lines=lines))
    assert layout_to_title(doc) == title
    if "verksamhetsplan" in title.lower():
        assert document_of(*doc.pages)[1].doc_type == "verksamhetsplan"


def test_document_title_without_sizes_is_the_first_line():
    doc = layout(page(1, "   ", "Verksamhetsrapport", "Kommunstyrelsen"))
    assert layout_to_title(doc) == "Verksamhetsrapport"


def test_document_title_none_without_text():
    assert layout_to_title(layout()) is None
    assert layout_to_title(layout(page(1, " "))) is None


# --- the document row -----------------------------------------------------------------------------
def test_document_row_carries_the_file_facts():
    municipality, document = document_of(page(1, ("Ånge kommun", 20.0), "Verksamhetsrapport"), page(2, "Text"))
    assert municipality.code == "2260"
    assert document.document_id == SHA[:16] and document.sha256 == SHA
    assert document.source_file == "corpus/pdf/test.pdf" and document.pages == 2
    assert document.title == "Ånge kommun" and document.doc_type == "verksamhetsrapport"
    assert document.extracted_at == WHEN and document.extractor_version == __version__
    assert document.rules_version == rules_hash()


def test_document_empty_layout_has_no_facts():
    municipality, document = document_of()
    assert municipality is None
    assert (document.title, document.doc_type, document.pages, document.period_start) == (None, "other", 0, None)


# --- real corpus PDFs -----------------------------------------------------------------------------
BORN_DIGITAL = ("ange-verksamhetsrapport-2023.pdf",
                pytest.param("katrineholm-halvtidsuppfoljning-2019-2022.pdf", marks=pytest.mark.slow),
                "koping-handlingsplan-2023-malomrade-1.pdf", "ostersund-budget-2024.pdf",
                "lidkoping-utvecklingsmedel-webbsida.pdf")


@pytest.mark.parametrize("name", BORN_DIGITAL)
def test_document_corpus_pdf_matches_its_gold_document(name, segmented_pdf, gold):
    expected = gold(name)["document"]
    municipality, document = layout_to_document(segmented_pdf(name).layout, base_rules())
    assert municipality is not None and municipality.code == expected["municipality_code"]
    found = {key: getattr(document, key) for key in ("municipality_code", "doc_type", "title")}
    found.update(period_start=document.period_start and document.period_start.isoformat(),
                 period_end=document.period_end and document.period_end.isoformat())
    assert found == {key: expected[key] for key in found}


def test_document_corpus_pdf_without_its_title_metadata_uses_the_largest_line(corpus_pdfs, gold):
    """The read layout stripped of its metadata title; segmenting frees the lines but keeps that title."""
    name = "koping-handlingsplan-2023-malomrade-1.pdf"
    expected = gold(name)["document"]
    untitled = read_document(corpus_pdfs[name]).model_copy(update={"title": None})
    _, document = layout_to_document(untitled, base_rules())
    assert document.title == "Handlingsplan 2023" and expected["title"].startswith(document.title)
    assert (document.doc_type, str(document.period_start), str(document.period_end)) == (
        expected["doc_type"], expected["period_start"], expected["period_end"])
    segmented = layout_to_segments(untitled)
    assert all(not page.lines for page in segmented.layout.pages)
    assert layout_to_document(segmented.layout, base_rules())[1].title == "Handlingsplan 2023"
