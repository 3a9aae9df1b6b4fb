"""The goal_tables family on the Katrineholm follow-up, and on a fifth municipality added by rules only."""
from __future__ import annotations

import shutil
from collections import Counter

import pytest

from extract.reading.read import read_document
from extract.records.extraction import segments_to_extraction
from extract.rules import RULES_DIR
from extract.records.segment import layout_to_segments
from flen_report import ACTION_COLOURS, GOALS, RESULT_COLOURS, build
from models.segments import Section


def by_goal(extraction, records):
    numbers = {g.goal_id: g.number for g in extraction.goals}
    return [(numbers[r.goal_id], r.title) for r in records]


def gold_by_goal(gold, key):
    numbers = {g["key"]: g["number"] for g in gold["goals"]}
    return [(numbers[r["goal"]], r["title"]) for r in gold[key]]


def test_goal_tables_seven_goals_as_gold(katrineholm, katrineholm_gold):
    assert [(g.number, g.title, g.page_no, g.level) for g in katrineholm.goals] == [
        (g["number"], g["title"], g["page"], g["level"]) for g in katrineholm_gold["goals"]]


def test_goal_tables_counts_and_no_notices(katrineholm):
    assert (len(katrineholm.goals), len(katrineholm.result_goals), len(katrineholm.assignments)) == (7, 51, 150)
    assert katrineholm.notices == []


@pytest.mark.parametrize("kind", ["result_goals", "assignments"])
def test_goal_tables_rows_under_right_goal(katrineholm, katrineholm_gold, kind):
    assert by_goal(katrineholm, getattr(katrineholm, kind)) == gold_by_goal(katrineholm_gold, kind)


@pytest.mark.parametrize("kind", ["result_goals", "assignments"])
def test_goal_tables_status_equals_gold(katrineholm, katrineholm_gold, kind):
    got = [(r.status, r.status_symbol, r.status_color) for r in getattr(katrineholm, kind)]
    want = [(r["status"], r["mark"] and (r["mark"].get("glyph") or r["mark"]["shape"]), r["mark"] and r["mark"]["color"])
            for r in katrineholm_gold[kind]]
    assert got == want
    assert sum(s is None for s, _, _ in got) == 1


def test_goal_tables_committees_equal_gold(katrineholm, katrineholm_gold):
    assert [r.committees for r in katrineholm.result_goals] == [r["committees"] for r in katrineholm_gold["result_goals"]]
    assert Counter(c for r in katrineholm.result_goals for c in r.committees)["KS"] > 20


@pytest.mark.parametrize("kind", ["result_goals", "assignments"])
def test_goal_tables_comments_and_pages_equal_gold(katrineholm, katrineholm_gold, kind):
    assert [(r.comment, r.page_no) for r in getattr(katrineholm, kind)] == [
        (r["comment"], r["page"]) for r in katrineholm_gold[kind]]


def test_goal_tables_ids_stable_and_provenance(katrineholm, katrineholm_segments):
    again = segments_to_extraction(katrineholm_segments)
    assert [r.result_goal_id for r in again.result_goals] == [r.result_goal_id for r in katrineholm.result_goals]
    assert len({a.assignment_id for a in katrineholm.assignments}) == 150
    first = katrineholm.result_goals[0]
    assert first.provenance.bbox and first.provenance.page_no == 6
    assert first.provenance.raw_text.startswith("Invånarantalet ska öka") and "KS," in first.provenance.raw_text


def test_goal_tables_printed_legend(katrineholm):
    assert len(katrineholm.status_legend) == 7
    assert {e.source for e in katrineholm.status_legend} == {"document"}


def test_goal_tables_no_status_from_colour_without_a_printed_legend(katrineholm_segments):
    stripped = katrineholm_segments.model_copy(
        update={"blocks": [b for b in katrineholm_segments.blocks if not (b.kind == "line" and b.marks)]})
    extraction = segments_to_extraction(stripped)
    assert extraction.status_legend == []
    assert extraction.result_goals and all(r.status is None for r in extraction.result_goals)
    said = [n for n in extraction.notices if "prints no legend" in n]
    assert len([n for n in said if "result_goal rows" in n]) == 1 and len(said) <= 2


def _drop_first_result_row(section: Section) -> tuple[Section, bool]:
    blocks, dropped = [], False
    for block in section.blocks:
        if not dropped and block.kind == "table" and block.table.header[0] == "Resultatmål":
            block = block.model_copy(update={"table": block.table.model_copy(update={"rows": block.table.rows[1:]})})
            dropped = True
        blocks.append(block)
    children = []
    for child in section.children:
        if not dropped:
            child, dropped = _drop_first_result_row(child)
        children.append(child)
    return section.model_copy(update={"blocks": blocks, "children": children}), dropped


def test_goal_tables_totals_warning_when_row_missing(katrineholm_segments):
    sections, dropped = [], False
    for section in katrineholm_segments.sections:
        if not dropped:
            section, dropped = _drop_first_result_row(section)
        sections.append(section)
    extraction = segments_to_extraction(katrineholm_segments.model_copy(update={"sections": sections}))
    assert len(extraction.result_goals) == 50
    warnings = [n for n in extraction.notices if "states 51 result_goal" in n]
    assert len(warnings) == 1 and "50 were extracted (1 missing)" in warnings[0]
    assert not any("assignment" in n for n in extraction.notices)


FLEN_RULES = """\
# Flen: årsredovisning with nämndernas mål and åtgärder per kommunfullmäktige goal.
municipality: "0482"
documents:
  - family: goal_tables
    doc_types: [årsredovisning]
    committees: [KS, BUN, SN, SBN, FBAB]
    tables:
      - scale: result_goal
        headers: ["Mål för nämnderna"]
      - scale: assignment
        headers: ["Åtgärd"]
    table_section_patterns: ["^nämndernas mål$", "^åtgärder$"]
    totals:
      - {scale: result_goal, pattern: "sammanlagt redovisas (?P<count>\\\\d+) mål"}
      - {scale: assignment, pattern: "och (?P<count>\\\\d+) åtgärder"}
    legend_labels:
      result_goal:
        - {label: "Målet är uppfyllt", status: achieved}
        - {label: "Målet är delvis uppfyllt", status: partially_achieved}
        - {label: "Målet är inte uppfyllt", status: not_achieved}
      assignment:
        - {label: "Klar", status: done}
        - {label: "Påbörjad", status: ongoing}
        - {label: "Ej startad", status: not_started}
"""


def flen_rules(root, with_rules_file: bool):
    """A rules dir of the project's rules without their municipality files (Flen, like every kommun,
    is in the register already), and, where asked, Flen's own file."""
    rules = root / "rules"
    shutil.copytree(RULES_DIR, rules, ignore=shutil.ignore_patterns("municipalities"))
    (rules / "municipalities").mkdir()
    if with_rules_file:
        (rules / "municipalities" / "flen.yaml").write_text(FLEN_RULES, encoding="utf-8")
    return rules


@pytest.fixture(scope="module")
def flen_segments(tmp_path_factory):
    pdf = build(tmp_path_factory.mktemp("flen") / "flen-arsredovisning-2023.pdf")
    return layout_to_segments(read_document(pdf))


def _records(extraction) -> list:
    numbers = {g.goal_id: g.number for g in extraction.goals}
    return ([(g.number, g.title) for g in extraction.goals]
            + [(numbers[r.goal_id], r.title, r.committees, r.status, r.comment) for r in extraction.result_goals]
            + [(numbers[a.goal_id], a.title, a.status, a.comment) for a in extraction.assignments]
            + [(e.scale, e.status, e.color, e.symbol, e.label) for e in extraction.status_legend])


def test_goal_tables_fifth_municipality_read_without_a_rules_file(flen_segments, tmp_path):
    """Other headers ('Mål för nämnderna', 'Åtgärd'), a caption under every goal, other legend wording:
    read by structure, the same records as its rules file gives."""
    bare = segments_to_extraction(flen_segments, rules_dir=flen_rules(tmp_path / "bare", with_rules_file=False))
    ruled = segments_to_extraction(flen_segments, rules_dir=flen_rules(tmp_path / "ruled", with_rules_file=True))
    assert bare.municipality.code == "0482" and bare.document.doc_type == "årsredovisning"
    assert len(bare.result_goals) == 4 and len(bare.assignments) == 4
    assert _records(bare) == _records(ruled)
    assert len(bare.notices) == 1 and "read by the goal_tables reader" in bare.notices[0]


def test_goal_tables_fifth_municipality_by_rules_only(flen_segments, tmp_path):
    extraction = segments_to_extraction(flen_segments, rules_dir=flen_rules(tmp_path, with_rules_file=True))
    assert [(g.number, g.title) for g in extraction.goals] == [("1", "Ekonomi i balans"),
                                                               ("2", "Trygg och hälsosam uppväxt")]
    numbers = {g.goal_id: g.number for g in extraction.goals}
    want_results = [(str(n), t, c, s, " • ".join(items)) for n, (_, results, _) in enumerate(GOALS, 1)
                    for t, c, s, items in results]
    assert [(numbers[r.goal_id], r.title, r.committees, r.status, r.comment)
            for r in extraction.result_goals] == want_results
    want_actions = [(str(n), t, s) for n, (_, _, actions) in enumerate(GOALS, 1) for t, s, _ in actions]
    assert [(numbers[a.goal_id], a.title, a.status) for a in extraction.assignments] == want_actions
    assert [(e.scale, e.status, e.color, e.symbol) for e in extraction.status_legend] == (
        [("result_goal", s, c, "circle") for s, c in RESULT_COLOURS.items()]
        + [("assignment", s, c, "square") for s, c in ACTION_COLOURS.items()])
    assert {e.source for e in extraction.status_legend} == {"document"}
    assert extraction.notices == []
