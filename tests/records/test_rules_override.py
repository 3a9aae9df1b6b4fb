"""The README's worked example of a rules override: a report in words no default holds gets no records
and says so; the README's file for its kommun gives it its records."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from corpus.generator.blocks import Cell, Heading, Legend, Mark, Report, Setup, Table
from corpus.generator.render_reportlab import render
from extract.pipeline import PipelineSettings, extract_file
from extract.rules import RULES_DIR

README = Path(__file__).resolve().parents[2] / "README.md"
COLOURS = {"achieved": "#1a7f37", "partially_achieved": "#e3a008", "not_achieved": "#b42318"}
LABELS = {"achieved": "Enligt plan", "partially_achieved": "Viss avvikelse", "not_achieved": "Stor avvikelse"}
GOALS = [("Ekonomi i balans", [("Resultatet ska vara minst två procent", "achieved"),
                               ("Investeringarna ska självfinansieras", "not_achieved")]),
         ("Trygg uppväxt", [("Fler elever ska klara kunskapskraven", "partially_achieved"),
                            ("Barngrupperna ska bli mindre", None)])]


def _readme_rules() -> str:
    """The yaml block of the README's section 'A report no reader recognises'."""
    section = README.read_text(encoding="utf-8").split("## A report no reader recognises", 1)[1]
    return re.search(r"```yaml\n(.*?)```", section, re.DOTALL).group(1)


@pytest.fixture(scope="module")
def pdf(tmp_path_factory) -> Path:
    blocks: list = [Legend("Teckenförklaring", [(Mark("vector", COLOURS[s]), LABELS[s]) for s in COLOURS], True)]
    for number, (goal, rows) in enumerate(GOALS, start=1):
        blocks.append(Heading(1, f"{number}. {goal}"))
        cells = [[Cell(title), Cell("Kommentar."), Cell(mark=Mark("vector", COLOURS[status]) if status else None)]
                 for title, status in rows]
        blocks.append(Table(["Kommunfullmäktiges mål", "Kommentar", "Läge"], cells, [0.5, 0.35, 0.15]))
    report = Report(name="flen", title="Årsredovisning 2024", cover=["Flens kommun", "Årsredovisning 2024"],
                    blocks=blocks, setup=Setup(renderer="reportlab", font="sans", size=10, landscape=False,
                                               columns=1, header_text=None))
    path = tmp_path_factory.mktemp("override") / "flen-arsredovisning-2024.pdf"
    render(report, path)
    return path


def _rules(root: Path, with_file: bool) -> Path:
    rules = root / "rules"
    shutil.copytree(RULES_DIR, rules, ignore=shutil.ignore_patterns("municipalities"))
    (rules / "municipalities").mkdir()
    if with_file:
        (rules / "municipalities" / "flen.yaml").write_text(_readme_rules(), encoding="utf-8")
    return rules


def test_rules_override_without_the_file_no_records_and_a_pointer(pdf, tmp_path):
    extraction = extract_file(pdf, PipelineSettings(rules_dir=_rules(tmp_path, with_file=False)))
    assert extraction.municipality.code == "0482" and extraction.result_goals == []
    assert any("no records extracted" in n and "A report no reader recognises" in n for n in extraction.notices)


def test_rules_override_the_readme_file_gives_the_records(pdf, tmp_path):
    extraction = extract_file(pdf, PipelineSettings(rules_dir=_rules(tmp_path, with_file=True)))
    assert [(g.number, g.title) for g in extraction.goals] == [("1", "Ekonomi i balans"), ("2", "Trygg uppväxt")]
    assert [(r.title, r.status) for r in extraction.result_goals] == [row for _, rows in GOALS for row in rows]
