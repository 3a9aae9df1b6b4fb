"""Ånge's verksamhetsrapport: period, numbered activities, Ja/Nej check boxes, goals not started."""
from __future__ import annotations

import datetime as dt

import pytest

from extract.reading.read import read_document
from extract.records.extraction import segments_to_extraction
from extract.text.repair import repair_document
from extract.records.segment import layout_to_segments

ANGE = "ange-verksamhetsrapport-2023.pdf"
PLACEHOLDER = "Klicka eller tryck här för att ange text."
RUNNING_HEADER = "Olof Bäckman"


@pytest.fixture(scope="module")
def layout(corpus_pdfs):
    return read_document(corpus_pdfs[ANGE])


@pytest.fixture(scope="module")
def segmented(layout):
    return layout_to_segments(layout)


@pytest.fixture(scope="module")
def ange(segmented):
    return segments_to_extraction(segmented)


@pytest.fixture(scope="module")
def ange_gold(gold):
    return gold(ANGE)


def record_texts(extraction) -> list[str]:
    texts = []
    for record in [*extraction.goals, *extraction.activities, *extraction.assessments]:
        texts.append(getattr(record, "title", None) or getattr(record, "question", ""))
        if record.provenance and record.provenance.raw_text:
            texts.append(record.provenance.raw_text)
    return texts


def with_blocks(segmented, change):
    """The document with some blocks replaced: `change(index, block)` returns the new block or None to drop it."""
    blocks = [new for i, b in enumerate(segmented.blocks) if (new := change(i, b)) is not None]
    return segmented.model_copy(update={"blocks": blocks})


def test_records_activity_report_period_from_report_line(ange, ange_gold):
    assert ange.document.period_start == dt.date.fromisoformat(ange_gold["document"]["period_start"])
    assert ange.document.period_end == dt.date.fromisoformat(ange_gold["document"]["period_end"])


def test_records_activity_report_numbered_activities_as_gold(ange, ange_gold):
    got = [(a.number, a.title, a.page_no, a.goal_id) for a in ange.activities]
    assert got == [(a["number"], a["title"], a["page"], None) for a in ange_gold["activities"]]


def test_records_activity_report_activity_runs_over_page_break_without_header(ange, layout):
    assert all(RUNNING_HEADER in page.raw_text for page in layout.pages)
    second = ange.activities[1]
    assert "civilsamhällesorganisationer" in second.title  # the item's text on page 2
    assert not any(RUNNING_HEADER in text or "Kommunstyrelsen" in text for text in record_texts(ange))


def test_records_activity_report_assessments_from_ticked_boxes(ange, ange_gold):
    got = [(a.question, a.answer, a.page_no) for a in ange.assessments]
    assert got == [(a["question"], a["answer"], a["page"]) for a in ange_gold["assessments"]]


def test_records_activity_report_answer_follows_the_box_not_the_text(segmented):
    def untick_first(index, block):
        if not any(m.kind == "checkbox" for m in block.marks) or block.page_no != 1:
            return block
        return block.model_copy(update={"marks": [m.model_copy(update={"checked": False}) for m in block.marks]})

    def swap_second(index, block):
        if not any(m.kind == "checkbox" for m in block.marks) or block.page_no != 2:
            return block
        return block.model_copy(update={"marks": [m.model_copy(update={"checked": not m.checked})
                                                  for m in block.marks]})

    unticked = segments_to_extraction(with_blocks(segmented, untick_first))
    assert [a.answer for a in unticked.assessments] == [None, "nej"]
    swapped = segments_to_extraction(with_blocks(segmented, swap_second))
    assert [a.answer for a in swapped.assessments] == ["ja", "ja"]


def test_records_activity_report_goals_reported_not_started(ange, ange_gold):
    got = [(g.level, g.number, g.title, g.status, g.page_no) for g in ange.goals]
    assert got == [(g["level"], g["number"], g["title"], g["status"], g["page"]) for g in ange_gold["goals"]]


def test_records_activity_report_template_prompt_is_an_empty_field(ange, layout, segmented):
    assert PLACEHOLDER in layout.pages[0].raw_text
    assert not any(PLACEHOLDER in text for text in record_texts(ange))

    def prompt_as_fourth(index, block):
        if block.text.startswith("4. "):
            return block.model_copy(update={"text": f"4. {PLACEHOLDER}", "raw_text": f"4. {PLACEHOLDER}"})
        if block.page_no == 2 and block.text in {"Datum för utbildningar inom kommunikation, HR, ekonomi och kansliet är",
                                                 "framtagna. Denna aktivitet kopplas främst mot hållbar vardag och hållbar",
                                                 "kompetens."}:
            return None
        return block

    unfilled = segments_to_extraction(with_blocks(segmented, prompt_as_fourth))
    assert [a.number for a in unfilled.activities] == [1, 2, 3]


def test_records_activity_report_unchanged_by_repair(ange, layout):
    repaired = segments_to_extraction(layout_to_segments(layout, repair_document(layout)))
    assert [a.title for a in repaired.activities] == [a.title for a in ange.activities]
    assert [g.title for g in repaired.goals] == [g.title for g in ange.goals]
    assert [(a.question, a.answer) for a in repaired.assessments] == [(a.question, a.answer) for a in ange.assessments]
