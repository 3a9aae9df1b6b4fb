"""Titles wrapped over lines and tables continued over pages: decided once, in the segment stage, by
rules a family may override."""
from __future__ import annotations

import re

import pytest

from extract.records.continuation import join_continuations, stitch, stitch_tables
from extract.records.extraction import municipality_rules
from extract.rules import RulesError, validate
from extract.rules.base import HeadingContinuation, TableStitching, base_rules
from extract.records.families.numbered_goals import NumberedGoalsRules
from models.layout import Mark
from models.segments import Block, Row, StitchedTable


def line(text, top, kind="line", size=11.0, bold=False, x0=50.0, page=1, marks=()):
    return Block(kind=kind, page_no=page, bbox=(x0, top, 500.0, top + size), text=text, raw_text=text,
                 size=size, bold=bold, level=1 if kind == "heading" else None, marks=list(marks))


def texts(blocks):
    return [b.text for b in blocks]


def test_continuation_base_rule_joins_headings_of_one_style_only():
    rule = base_rules().segment.heading_continuation
    blocks = [line("Attraktiva boende-", 100, "heading", 14, True), line("& livsmiljöer", 116, "heading", 14, True),
              line("Brödtext här", 140, "line", 11)]
    joined = join_continuations(blocks, rule)
    assert texts(joined) == ["Attraktiva boende- & livsmiljöer", "Brödtext här"]
    assert joined[0].raw_text == "Attraktiva boende-\n& livsmiljöer"
    assert joined[0].bbox == (50.0, 100, 500.0, 130)


def test_continuation_stops_at_a_heading_pattern_and_at_another_size():
    rule = base_rules().segment.heading_continuation
    stops = [re.compile(h.pattern) for h in base_rules().segment.heading_patterns]
    blocks = [line("Mål för verksamheten", 100, "heading", 14, True), line("1.2 Nästa mål", 116, "heading", 14, True),
              line("Mindre rubrik", 132, "heading", 12, True)]
    assert texts(join_continuations(blocks, rule, stops)) == texts(blocks)


def test_continuation_family_rule_skips_marked_lines_and_weighs_from_the_opener():
    rule = HeadingContinuation(joins=["line"], weight="bold", size_tolerance=0.1, gap_unit="size", gap_max=0.6,
                               measure_from="opener")
    blocks = [line("Strategi: Fokus på att öka engagemang", 100, "heading", 11, True),
              line("med kommunmedlemmar", 112, bold=True), line("tredje raden", 124, bold=True)]
    assert texts(join_continuations(blocks, rule)) == ["Strategi: Fokus på att öka engagemang med kommunmedlemmar",
                                                       "tredje raden"]
    box = Mark(kind="checkbox", shape="box", bbox=(50, 112, 58, 120), checked=True)
    marked = HeadingContinuation(joins=["line"], weight="same", size_tolerance=0.1, gap_unit="size", gap_max=0.6,
                                 skip_marked=True)
    blocks = [line("Bedömning", 100, "heading", 11, True), line("Ja Nej", 112, bold=True, marks=[box])]
    assert texts(join_continuations(blocks, marked)) == ["Bedömning", "Ja Nej"]


def test_continuation_on_ocr_pages_follows_the_left_edge_not_the_size():
    rule = HeadingContinuation(opens=r"^(?P<number>1\.\d)\s+(?P<title>\S.*)$", joins=["heading", "line"], weight="any",
                               size_tolerance=0.3, gap_unit="size", gap_min=-0.25, gap_max=0.8,
                               ocr_left_edge_tolerance=4.0, ocr_size_tolerance=4.0)
    blocks = [line("1.1 Östersunds kommun har en hållbar", 100, size=13.0), line("tillväxt", 112, size=15.5)]
    assert len(join_continuations(blocks, rule, ocr_pages=frozenset({1}))) == 1
    assert len(join_continuations(blocks, rule)) == 2
    shifted = [blocks[0], line("tillväxt", 112, size=13.0, x0=90.0)]
    assert len(join_continuations(shifted, rule, ocr_pages=frozenset({1}))) == 2


def test_continuation_base_rule_on_a_scanned_page_joins_a_heading_read_a_point_apart():
    """Sizes measured from pixels: a wrapped heading's second line reads a point larger than its first;
    a sub-heading two points smaller stays a heading of its own."""
    rule = base_rules().segment.heading_continuation
    blocks = [line("Delaktighet, demokrati och", 128, "heading", 14.6, True), line("öppenhet", 146, "heading", 15.6, True)]
    assert texts(join_continuations(blocks, rule, ocr_pages=frozenset({1}))) == ["Delaktighet, demokrati och öppenhet"]
    assert len(join_continuations(blocks, rule)) == 2  # in a text layer sizes are exact
    smaller = [blocks[0], line("Resultatmål", 146, "heading", 12.6, True)]
    assert len(join_continuations(smaller, rule, ocr_pages=frozenset({1}))) == 2


def test_continuation_on_a_scanned_page_joins_heading_lines_whose_weight_pixels_read_apart():
    """A wrapped heading whose first line the pixels read regular and whose last word bold is one
    heading on a scan (its last word had become a result goal of its own); in a text layer weights are
    exact, and a body line under a heading never joins it."""
    rule = base_rules().segment.heading_continuation
    blocks = [line("Andelen förnybar energi i kommunens verksamheter ska ligga över rikets", 100, "heading", 12.0),
              line("genomsnitt", 114, "heading", 12.0, True)]
    assert texts(join_continuations(blocks, rule, ocr_pages=frozenset({1}))) == [
        "Andelen förnybar energi i kommunens verksamheter ska ligga över rikets genomsnitt"]
    assert len(join_continuations(blocks, rule)) == 2
    body = [line("Uppdrag", 100, "heading", 12.0, True), line("Utveckla arbetet med solceller", 114, "line", 12.0)]
    assert len(join_continuations(body, rule, ocr_pages=frozenset({1}))) == 2


def _table(header, rows, page, top, bottom):
    table = StitchedTable(header=header, rows=[Row(page_no=page, cells=r, raw_cells=r) for r in rows], page_no=page,
                          bbox=(50, top, 500, bottom))
    return Block(kind="table", page_no=page, bbox=table.bbox, table=table)


def test_stitching_needs_the_header_again_or_a_table_that_ran_to_the_foot():
    rule = TableStitching()
    first = _table(["Mål", "Indikator"], [["A", "B"]], 1, 500, 600)
    repeated = _table(["Mål", "Indikator"], [["C", "D"]], 2, 60, 100)
    bare = _table(["C", "D"], [["E", "F"]], 2, 60, 100)
    assert [r.cells for r in stitch(first, repeated, False, rule).table.rows] == [["A", "B"], ["C", "D"]]
    assert stitch(first, bare, False, rule) is None
    assert [r.cells for r in stitch(first, bare, True, rule).table.rows] == [["A", "B"], ["C", "D"], ["E", "F"]]
    assert stitch(first, bare, False, TableStitching(without_header_needs_bottom=False)) is not None
    foot = _table(["Mål", "Indikator"], [["A", "B"]], 1, 500, 800)
    heights = {1: 842.0, 2: 842.0}
    assert len(stitch_tables([foot, bare], rule, heights, 0.1, 2.0)) == 1
    assert len(stitch_tables([first, bare], rule, heights, 0.1, 2.0)) == 2


def test_stitching_joins_a_row_cut_by_the_page_break():
    rule = TableStitching()
    header = ["Uppdrag", "Kommentar"]
    first = _table(header, [["Bygga ut cykelvägar", "Arbetet har"]], 1, 500, 800)
    # The rest of the comment goes on in lower case from a cell that ends mid-sentence.
    rest = _table(header, [["", "påbörjats."], ["Införa e-arkiv", "Klart."]], 2, 60, 120)
    rows = stitch(first, rest, True, rule).table.rows
    assert [r.cells for r in rows] == [["Bygga ut cykelvägar", "Arbetet har\npåbörjats."], ["Införa e-arkiv", "Klart."]]
    # A first row that starts afresh is a row of its own.
    fresh = _table(header, [["Införa e-arkiv", "Klart."]], 2, 60, 100)
    ended = _table(header, [["Bygga ut cykelvägar", "Arbetet är klart."]], 1, 500, 800)
    assert len(stitch(ended, fresh, True, rule).table.rows) == 2


def test_stitching_joins_a_unit_in_brackets_cut_from_an_indicator_name():
    header = ["Nyckeltal", "Utfall 2019", "Utfall 2020"]
    first = _table(header, [["Antal besök på biblioteken per invånare", "4,2", "5,2"]], 1, 500, 800)
    rest = _table(header, [["(antal)", "", ""], ["Andel ekologiska livsmedel (%)", "39,1", "30,8"]], 2, 60, 120)
    rows = stitch(first, rest, True, TableStitching()).table.rows
    assert [r.cells[0] for r in rows] == ["Antal besök på biblioteken per invånare\n(antal)",
                                          "Andel ekologiska livsmedel (%)"]


def test_continuation_family_overrides_are_validated_and_opened_by_the_heading_pattern():
    numbered = next(r for entries in municipality_rules().values() for _, r in entries
                    if r.family == "numbered_goals")
    assert numbered.segment.heading_continuation.opens == numbered.heading_pattern
    data = numbered.model_dump(exclude={"segment"}) | {"segment": {"heading_continuation": {"gap_maximum": 1}}}
    with pytest.raises(RulesError, match=r"segment\.heading_continuation\.gap_maximum"):
        validate(data, NumberedGoalsRules, "numbered_goals.yaml")
