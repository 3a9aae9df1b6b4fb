"""Status marks resolved through the printed legend, on the Katrineholm corpus PDF."""
from __future__ import annotations

import pytest

from extract.rules.base import base_rules
from extract.records.status import blocks_to_legend, is_status_mark, marks_to_status, resolve_mark, text_to_label_runs
from models.layout import Mark
from models.segments import Block

KATRINEHOLM = "katrineholm-halvtidsuppfoljning-2019-2022.pdf"
SCALE_BY_HEADER = {"Resultatmål": ("result_goal", "result_goals"), "Uppdrag": ("assignment", "assignments")}


@pytest.fixture(scope="module")
def segmented(segmented_pdf):
    return segmented_pdf(KATRINEHOLM)


@pytest.fixture(scope="module")
def rules():
    return base_rules().status


@pytest.fixture(scope="module")
def legend(segmented, rules):
    return blocks_to_legend(segmented.blocks, rules, "doc")


@pytest.fixture(scope="module")
def rows_with_gold(segmented, gold):
    """(scale, row, gold record) for every goal-table row, in document order."""
    records = gold(KATRINEHOLM)
    pending = {key: iter(records[key]) for _, key in SCALE_BY_HEADER.values()}
    out = []
    for block in segmented.blocks:
        if block.kind == "table" and block.table.header[0] in SCALE_BY_HEADER:
            scale, key = SCALE_BY_HEADER[block.table.header[0]]
            out += [(scale, row, next(pending[key])) for row in block.table.rows]
    assert len(out) == 51 + 150
    return out


def test_status_printed_legend_read(legend, gold):
    expected = [{k: e[k] for k in ("scale", "symbol", "color", "status", "label")} for e in gold(KATRINEHOLM)["status_legend"]]
    got = [{k: getattr(e, k) for k in ("scale", "symbol", "color", "status", "label")} for e in legend]
    assert got == expected
    assert {e.source for e in legend} == {"document"}


def test_status_no_legend_when_none_printed(segmented, rules):
    without = [b for b in segmented.blocks if not (b.kind == "line" and b.marks)]
    assert blocks_to_legend(without, rules, "doc") == []


def test_status_legend_only_for_the_scale_printed(segmented, rules):
    result_only = [b for b in segmented.blocks if not (b.kind == "line" and b.marks and b.marks[0].kind == "glyph")]
    legend = blocks_to_legend(result_only, rules, "doc")
    assert {e.scale: e.source for e in legend} == {"result_goal": "document"}


@pytest.mark.parametrize("kind", ["vector", "image", "glyph", "symbol_glyph"])
def test_status_each_mark_kind_resolves_to_gold(kind, rows_with_gold, legend, rules):
    rows = [(scale, row, record) for scale, row, record in rows_with_gold
            if record["mark"] and record["mark"]["kind"] == kind]
    assert len(rows) >= 7
    for scale, row, record in rows:
        resolved, unmatched = marks_to_status(row.marks, scale, legend, rules)
        assert unmatched is None
        assert resolved == (record["status"], record["mark"].get("glyph") or record["mark"]["shape"],
                            record["mark"]["color"]), record["title"]


def test_status_symbol_font_glyphs_resolve_by_colour_alone(rows_with_gold, legend, rules):
    marks = [row.marks[0] for _, row, record in rows_with_gold if record["mark"] and record["mark"]["kind"] == "symbol_glyph"]
    assert {m.shape for m in marks} == {"other"}
    assert all(0xE000 <= ord(m.glyph) <= 0xF8FF for m in marks)
    assert {resolve_mark(m, "assignment", legend, rules)[0] for m in marks} >= {"done", "ongoing"}


def test_status_row_without_mark_is_none(rows_with_gold, legend, rules):
    unmarked = [(scale, row) for scale, row, record in rows_with_gold if record["status"] is None]
    assert len(unmarked) == 2
    for scale, row in unmarked:
        assert marks_to_status(row.marks, scale, legend, rules) == (None, None)


def test_status_unmatched_mark_is_none_and_reported(legend, rules):
    blue = Mark(kind="vector", shape="circle", bbox=(0, 0, 6, 6), color="#2040ff")
    assert resolve_mark(blue, "result_goal", legend, rules) is None
    assert marks_to_status([blue], "result_goal", legend, rules) == (None, blue)


def test_status_black_bullets_are_not_status_marks(legend, rules):
    cid = Mark(kind="symbol_glyph", shape="other", bbox=(0, 0, 4, 4), color="#000000", glyph="(cid:127)")
    dark = Mark(kind="glyph", shape="circle", bbox=(0, 0, 4, 4), color="#1a1a1a", glyph="●")
    assert not is_status_mark(cid, "assignment", legend, rules)
    assert not is_status_mark(dark, "result_goal", legend, rules)
    assert marks_to_status([cid, dark], "assignment", legend, rules) == (None, None)


def test_status_same_colour_means_different_status_per_scale(legend, rules):
    green = Mark(kind="image", shape="circle", bbox=(0, 0, 6, 6), color="#01984c")
    assert resolve_mark(green, "result_goal", legend, rules)[0] == "achieved"
    assert resolve_mark(green, "assignment", legend, rules)[0] == "done"


def test_status_colour_beyond_threshold_does_not_match(legend, rules):
    far = Mark(kind="vector", shape="circle", bbox=(0, 0, 6, 6), color="#60c090")
    near = Mark(kind="vector", shape="circle", bbox=(0, 0, 6, 6), color="#10a050")
    assert resolve_mark(far, "result_goal", legend, rules.model_copy(update={"color_distance": 20})) is None
    assert resolve_mark(near, "result_goal", legend, rules.model_copy(update={"color_distance": 20}))[0] == "achieved"


def test_status_legend_line_with_several_marks_pairs_by_position(rules):
    def circle(x: float, color: str) -> Mark:
        return Mark(kind="vector", shape="circle", bbox=(x, 100, x + 6, 106), color=color)

    line = Block(kind="line", page_no=3, bbox=(70, 98, 400, 108), text="Uppnås eller överträffas Uppnås delvis Uppnås inte",
                 marks=[circle(330, "#d62e21"), circle(62, "#00994d"), circle(200, "#ffbf00")])
    legend = [e for e in blocks_to_legend([line], rules, "doc") if e.source == "document"]
    assert [(e.label, e.color) for e in legend] == [("Uppnås eller överträffas", "#00994d"),
                                                    ("Uppnås delvis", "#ffbf00"), ("Uppnås inte", "#d62e21")]


def test_status_legend_mark_ending_its_line_labels_the_line_under_it(rules):
    def circle(x: float, color: str) -> Mark:
        return Mark(kind="image", shape="circle", bbox=(x, 100, x + 7, 107), color=color)

    line = Block(kind="line", page_no=2, bbox=(58, 98, 196, 110), text="Helt uppnått Delvis uppfyllt",
                 marks=[circle(48, "#2e8b57"), circle(125, "#f2c200"), circle(206, "#c0392b")])
    under = Block(kind="line", page_no=2, bbox=(48, 111, 104, 123), text="Inte uppnått")
    legend = [e for e in blocks_to_legend([line, under], rules, "doc") if e.source == "document"]
    assert [(e.label, e.status, e.color) for e in legend] == [
        ("Helt uppnått", "achieved", "#2e8b57"), ("Delvis uppfyllt", "partially_achieved", "#f2c200"),
        ("Inte uppnått", "not_achieved", "#c0392b")]
    # A line under a legend whose marks all have their labels beside them is no label.
    closed = line.model_copy(update={"marks": line.marks[:2]})
    assert len(blocks_to_legend([closed, under], rules, "doc")) == 2


def test_status_prose_with_a_label_is_not_legend(rules):
    line = Block(kind="line", page_no=5, bbox=(70, 98, 400, 108), text="Uppnås delvis 16 av målen",
                 marks=[Mark(kind="vector", shape="circle", bbox=(62, 100, 68, 106), color="#ffbf00")])
    assert blocks_to_legend([line], rules, "doc") == []


def test_status_legend_in_unlisted_wording_cut_into_its_labels(rules):
    runs = text_to_label_runs("Helt uppnått Målet är delvis uppnått Ej uppfyllt", 3, rules)
    assert [(label, scale, status) for _, label, scale, status in runs] == [
        ("Helt uppnått", "result_goal", "achieved"), ("Målet är delvis uppnått", "result_goal", "partially_achieved"),
        ("Ej uppfyllt", "result_goal", "not_achieved")]
    # Prose is no legend, and a line that cuts two ways is not read.
    assert text_to_label_runs("Uppnås delvis 16 av målen", 1, rules) is None
    assert text_to_label_runs(" ".join(["Pågår"] * 24), 10, rules) is None


@pytest.mark.parametrize("item, expected", [
    ("Genomföra en förstudie om barn och ungas delaktighet Pågående",
     ("Genomföra en förstudie om barn och ungas delaktighet", "ongoing")),
    ("Bygga ut cykelvägar Ej påbörjad", ("Bygga ut cykelvägar", "not_started")),
    ("Samordna insatserna för gemensamma lokaler - Inte påbörjat",
     ("Samordna insatserna för gemensamma lokaler", "not_started")),
    ("Arbetet med planen är pågående", ("Arbetet med planen är pågående", None)),
    ("Ta fram en plan för Klart Sverige", ("Ta fram en plan för Klart Sverige", None)),
    ("Utreda möjligheten till en ny simhall", ("Utreda möjligheten till en ny simhall", None)),
])
def test_status_word_closing_an_item_whose_dash_ocr_lost(item, expected):
    """An uppdrag item closes with its status after a dash; a scan may lose the dash ('... delaktighet
    Pågående'). A status closing the item, capitalised after a word in lower case, is still its status;
    a status word in lower case, or one with words after it, is part of the title."""
    from extract.records.readers.narrative import NarrativeRules, item_to_title_status

    rules = base_rules()
    narrative = NarrativeRules.model_validate(rules.readers["narrative"])
    assert item_to_title_status(item, narrative, rules.status) == expected
