"""Indicator tables in other words than the corpus's: 'Nyckeltal' names, bare years and 'Utfall' years
as periods, 'Målvärde' targets, units in parentheses, '..' as missing, thin-space thousands and trend
arrows, in a verksamhetsplan of a kommun that has no rules file; each indicator under the goal heading
above its table."""
from __future__ import annotations

import pytest

from extract.pipeline import extract_file
from generated_pdf import ruled_table, styles, write_pdf

TABLES = [
    ("Trygg och god äldreomsorg", [
        ("Nöjdhet med hemtjänsten (%)", ["88", "91 ↑", "Öka"], {"2022": 88.0, "2023": 91.0}, "%", "increase"),
        ("Väntetid till särskilt boende (dagar)", ["64", "..", "Minska"], {"2022": 64.0, "2023": None}, "dagar",
         "decrease"),
    ]),
    ("Ekonomi i balans", [
        ("Nettokostnad per invånare (kr)", ["52\u2009340", "54\u2009105", "Högst 55 000"],
         {"2022": 52340.0, "2023": 54105.0}, "kr", None),
        ("Soliditet", ["41,5", "42,0 →", "Minst 40"], {"2022": 41.5, "2023": 42.0}, None, None),
    ]),
]


def build(path):
    from reportlab.platypus import Paragraph, Spacer

    sheet = styles()
    story = [Paragraph("Verksamhetsplan 2024", sheet["Title"]), Paragraph("Växjö kommun", sheet["Normal"])]
    for goal, rows in TABLES:
        data = [["Nyckeltal", "2022", "Utfall 2023", "Målvärde"]]
        data += [[Paragraph(name, sheet["Normal"]), *cells] for name, cells, *_ in rows]
        story += [Paragraph(goal, sheet["Heading1"]), ruled_table(data, [220, 70, 80, 110]), Spacer(1, 12)]
    return write_pdf(path, story, "Verksamhetsplan 2024 Växjö kommun")


@pytest.fixture(scope="module")
def extraction(tmp_path_factory):
    return extract_file(build(tmp_path_factory.mktemp("vaxjo") / "vaxjo-verksamhetsplan-2024.pdf"))


def test_indicator_tables_of_a_kommun_without_rules_are_read_by_structure(extraction):
    assert (extraction.municipality.code, extraction.document.doc_type) == ("0780", "verksamhetsplan")
    assert any("read by the goal_tables reader" in n for n in extraction.notices)
    expected = [(goal, name, values, unit, direction)
                for goal, rows in TABLES for name, _, values, unit, direction in rows]
    goals = {g.goal_id: g.title for g in extraction.goals}
    assert [(goals[i.goal_id], i.name, {v.period: v.value for v in i.values}, i.unit, i.direction)
            for i in extraction.indicators] == expected


def test_indicator_tables_missing_is_none_never_zero(extraction):
    waiting = next(i for i in extraction.indicators if i.name.startswith("Väntetid"))
    assert [(v.period, v.value) for v in waiting.values] == [("2022", 64.0), ("2023", None)]
