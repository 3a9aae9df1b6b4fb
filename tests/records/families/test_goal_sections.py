"""Goal sections of a kommun without rules: the goal hierarchy the heading levels print, and the
readers a goal heading has under it (an indicator table under a målområde, status tables under its
mål)."""
from __future__ import annotations

from pathlib import Path

import pytest

from corpus.generator.blocks import Cell, Heading, Report, Setup, Table
from corpus.generator.render_reportlab import render
from extract.pipeline import extract_file


@pytest.fixture(scope="module")
def extraction(tmp_path_factory):
    blocks = [Heading(1, "Målområde 1: Hållbar tillväxt"),
              Table(["Nyckeltal", "2022", "2023"], [[Cell("Antal nya företag"), Cell("120"), Cell("134")]],
                    [0.6, 0.2, 0.2]),
              Heading(2, "Fler jobb i kommunen"),
              Table(["Resultatmål", "Status"], [[Cell("Arbetslösheten ska minska"), Cell("Delvis uppnått")],
                                                [Cell("Fler ska starta företag"), Cell("Uppnått")]], [0.7, 0.3]),
              Heading(2, "Bostäder för alla"),
              Table(["Resultatmål", "Status"], [[Cell("Fler bostäder ska byggas"), Cell("Ej uppnått")]], [0.7, 0.3])]
    report = Report(name="tanum", title="Årsredovisning 2023", cover=["Tanums kommun", "Årsredovisning 2023"],
                    blocks=blocks, setup=Setup(renderer="reportlab", font="serif", size=10, landscape=False,
                                               columns=1, header_text=None))
    path = tmp_path_factory.mktemp("sections") / "tanum-arsredovisning-2023.pdf"
    render(report, path)
    return extract_file(path)


def test_goal_sections_hierarchy_from_heading_levels(extraction):
    titles = {g.goal_id: g.title for g in extraction.goals}
    assert [(g.title, titles.get(g.parent_goal_id)) for g in extraction.goals] == [
        ("Målområde 1: Hållbar tillväxt", None), ("Fler jobb i kommunen", "Målområde 1: Hållbar tillväxt"),
        ("Bostäder för alla", "Målområde 1: Hållbar tillväxt")]


def test_goal_sections_each_reader_under_its_goal(extraction):
    titles = {g.goal_id: g.title for g in extraction.goals}
    assert [(titles[i.goal_id], i.name) for i in extraction.indicators] == [
        ("Målområde 1: Hållbar tillväxt", "Antal nya företag")]
    assert [(titles[r.goal_id], r.title, r.status) for r in extraction.result_goals] == [
        ("Fler jobb i kommunen", "Arbetslösheten ska minska", "partially_achieved"),
        ("Fler jobb i kommunen", "Fler ska starta företag", "achieved"),
        ("Bostäder för alla", "Fler bostäder ska byggas", "not_achieved")]
