"""Action-plan family on Köping's Handlingsplan 2023: every record against the gold file."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from extract.records.continuation import stitch_tables
from extract.records.families import Context
from extract.records.segment import SegmentSettings
from extract.rules.base import base_rules
from extract.records.families.action_plan import ActionPlanRules, action_plan_to_records
from extract.records.readers.indicator_table import cell_to_value
from extract.pipeline import extract_file
from extract.records.extraction import family_defaults, municipality_rules, segments_to_extraction
from extract.rules import RulesError, merge, validate
from models.segments import StitchedTable

PDF = "koping-handlingsplan-2023-malomrade-1.pdf"


@pytest.fixture(scope="module")
def segmented(segmented_pdf):
    return segmented_pdf(PDF)


@pytest.fixture(scope="module")
def extraction(segmented):
    return segments_to_extraction(segmented)


def koping_rules() -> ActionPlanRules:
    return municipality_rules()["1983"][0][1]


@pytest.fixture(scope="module")
def expected(gold):
    return gold(PDF)


@pytest.fixture(scope="module")
def gold_goal_titles(expected):
    """Gold goal keys to titles, so goal links compare by title."""
    return {goal["key"]: goal["title"] for goal in expected["goals"]}


@pytest.fixture(scope="module")
def goal_titles(extraction):
    return {goal.goal_id: goal.title for goal in extraction.goals}


def test_action_plan_metadata_equals_gold(extraction, expected):
    document, want = extraction.document, expected["document"]
    assert extraction.municipality.code == want["municipality_code"]
    assert document.doc_type == want["doc_type"]
    assert document.version == want["version"]
    assert document.decided_date == dt.date.fromisoformat(want["decided_date"])
    assert document.decided_by == want["decided_by"]
    assert document.diarienummer == want["diarienummer"]
    assert document.period_start == dt.date.fromisoformat(want["period_start"])
    assert document.period_end == dt.date.fromisoformat(want["period_end"])


def test_action_plan_goals_equal_gold(extraction, expected, gold_goal_titles, goal_titles):
    got = [(g.level, g.number, g.title, goal_titles.get(g.parent_goal_id), g.page_no) for g in extraction.goals]
    want = [(g["level"], g["number"], g["title"], gold_goal_titles.get(g["parent"]), g["page"])
            for g in expected["goals"]]
    assert got == want


def test_action_plan_delmal_links_to_goals_without_duplicates(extraction, goal_titles):
    assert len({g.title for g in extraction.goals}) == len(extraction.goals)
    linked = {goal_titles[i.goal_id] for i in extraction.indicators}
    assert linked == {g.title for g in extraction.goals if g.level == "goal"}


def test_action_plan_indicators_equal_gold(extraction, expected, gold_goal_titles, goal_titles):
    got = [(goal_titles.get(i.goal_id), i.group_name, i.name, i.unit, i.target, i.direction,
            {v.period: v.value for v in i.values}, i.page_no) for i in extraction.indicators]
    want = [(gold_goal_titles[i["goal"]], i["group"], i["name"], i["unit"], i["target"], i["direction"],
             i["values"], i["page"]) for i in expected["indicators"]]
    assert len(got) == 18
    assert got == want


def test_action_plan_dash_is_missing_not_zero(extraction):
    values = [v for i in extraction.indicators for v in i.values]
    missing = [v for v in values if v.value is None]
    assert len(missing) == 9 and {v.period for v in missing} == {"2022"}
    assert not any(v.value == 0 for v in values)
    assert all(v.indicator_id == i.indicator_id for i in extraction.indicators for v in i.values)


def test_action_plan_activities_equal_gold(extraction, expected, gold_goal_titles, goal_titles):
    got = [(goal_titles.get(a.goal_id), a.number, a.title, a.strategy, a.focus_area, a.purpose,
            a.responsible, a.performer, a.page_no) for a in extraction.activities]
    want = [(gold_goal_titles[a["goal"]], a["number"], a["title"], a["strategy"], a["focus_area"],
             a["purpose"], a["responsible"], a["performer"], a["page"]) for a in expected["activities"]]
    assert len(got) == 15
    for got_row, want_row in zip(got, want):
        assert got_row == want_row


def test_action_plan_extracts_nothing_outside_gold(extraction, expected):
    assert len(extraction.goals) == len(expected["goals"])
    assert len(extraction.indicators) == len(expected["indicators"])
    assert len(extraction.activities) == len(expected["activities"])
    assert extraction.result_goals == extraction.assignments == []
    assert extraction.status_legend == extraction.assessments == []


def test_action_plan_unnumbered_activity_table_is_dropped_with_reason(extraction):
    dropped = [n for n in extraction.notices if "activities.header" in n]
    assert len(dropped) == 1
    assert "p.15" in dropped[0] and "Inga aktiviteter" in dropped[0]


def test_action_plan_records_carry_provenance_and_stable_ids(extraction):
    records = [*extraction.goals, *extraction.indicators, *extraction.activities]
    ids = [r.goal_id for r in extraction.goals] + [r.indicator_id for r in extraction.indicators] + \
        [r.activity_id for r in extraction.activities]
    assert len(set(ids)) == len(ids)
    assert all(r.document_id == extraction.document.document_id for r in records)
    assert all(r.provenance.sha256 == extraction.document.sha256 for r in records)
    assert all(r.provenance.page_no == r.page_no and r.provenance.bbox and r.provenance.raw_text
               for r in records)


def test_action_plan_koping_rules_select_the_family():
    entries = municipality_rules()["1983"]
    assert [(entry.family, entry.doc_types) for entry, _ in entries] == [("action_plan", ["handlingsplan"])]
    assert isinstance(entries[0][1], ActionPlanRules)


def test_action_plan_rules_reject_unknown_keys_naming_the_path():
    data = merge(family_defaults("action_plan"), {"indicators": {"colums": {}}})
    with pytest.raises(RulesError, match=r"koping\.yaml: indicators\.colums"):
        validate(data, ActionPlanRules, "koping.yaml")


def test_action_plan_value_cells_read_decimal_comma_and_missing():
    rules = validate(family_defaults("action_plan"), ActionPlanRules, "action_plan.yaml").indicators
    assert cell_to_value("50,6", rules) == (True, 50.6)
    assert cell_to_value("1 234,5", rules) == (True, 1234.5)
    assert cell_to_value("-", rules) == (True, None)
    assert cell_to_value("n/a", rules) == (False, None)


def test_action_plan_pipeline_extract_file_gives_the_same_records(extraction, corpus_pdfs):
    """The whole chain from the PDF: same rows, same stable ids, every page kept."""
    again = extract_file(corpus_pdfs[PDF])
    assert Path(again.document.source_file).name == PDF
    assert again.document.model_dump(exclude={"extracted_at"}) == \
        extraction.document.model_dump(exclude={"extracted_at"})
    assert [p.page_no for p in again.pages] == list(range(1, again.document.pages + 1))
    assert again.goals == extraction.goals
    assert again.indicators == extraction.indicators
    assert again.activities == extraction.activities
    assert again.notices == extraction.notices


def _split_first_indicator_table(segmented, keep_header: bool):
    """The document's blocks as the segmenter cuts them before stitching: the first indicator table's
    page-7 rows as a second table, with the repeated header or with none."""
    blocks = list(segmented.blocks)
    at = next(i for i, b in enumerate(blocks) if b.kind == "table" and b.table.header[:2] == ["Mål", "Indikator"])
    table = blocks[at].table
    first = [r for r in table.rows if r.page_no == table.rows[0].page_no]
    rest = table.rows[len(first):]
    assert rest and rest[0].cells[0] == ""
    header, rows = (table.header, rest) if keep_header else (rest[0].cells, rest[1:])
    continued = StitchedTable(header=header, rows=rows, page_no=rest[0].page_no, bbox=rest[0].bbox)
    blocks[at:at + 1] = [
        blocks[at].model_copy(update={"table": table.model_copy(update={"rows": first})}),
        blocks[at].model_copy(update={"page_no": rest[0].page_no, "bbox": rest[0].bbox, "table": continued}),
    ]
    return blocks


@pytest.mark.parametrize("keep_header", [True, False])
def test_action_plan_indicator_table_split_over_pages_is_stitched_by_segment(segmented, extraction, keep_header):
    """The family reads tables as the segment stage stitches them: a continuation with its header
    repeated, or without one after a table that ran into the page's foot, gives the same indicators."""
    split = _split_first_indicator_table(segmented, keep_header)
    heights = {page.page_no: page.height for page in segmented.layout.pages}
    settings = SegmentSettings()
    stitched = stitch_tables(split, base_rules().segment.table_stitching, heights, settings.furniture_band,
                             settings.table_tolerance)
    assert len(stitched) == len(split) - 1
    context = Context(document_id=extraction.document.document_id, sha256=extraction.document.sha256,
                      source_file=PDF)
    found = action_plan_to_records(segmented.model_copy(update={"blocks": stitched}), koping_rules(), context)

    def rows(indicators):
        return [(i.goal_id, i.group_name, i.name, i.target, [(v.period, v.value) for v in i.values], i.page_no)
                for i in indicators]
    assert rows(found.indicators) == rows(extraction.indicators)
