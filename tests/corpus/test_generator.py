"""The committed generated reports are what the generator writes: every range's gold equals the gold
its seed composes now, so the reports and their gold cannot drift from the generator's code."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from corpus.generator.compose import seed_to_report
from corpus.generator.ranges import RANGES

GENERATED = Path(__file__).resolve().parents[2] / "corpus" / "generated"


@pytest.mark.parametrize("range_name", sorted(RANGES))
def test_generator_committed_gold_is_what_the_seeds_compose(range_name):
    gold_dir, pdf_dir = GENERATED / range_name / "gold", GENERATED / range_name / "pdf"
    names = set()
    for seed in RANGES[range_name]:
        report = seed_to_report(seed, range_name)
        names.add(report.name)
        committed = json.loads((gold_dir / f"{report.name}.json").read_text(encoding="utf-8"))
        assert committed == json.loads(json.dumps(report.gold)), report.name
        assert (pdf_dir / f"{report.name}.pdf").stat().st_size > 1000
    assert {p.stem for p in gold_dir.glob("*.json")} == names == {p.stem for p in pdf_dir.glob("*.pdf")}


def test_generator_every_renderer_in_every_range():
    for range_name, seeds in RANGES.items():
        renderers = {seed_to_report(seed, range_name).setup.renderer for seed in seeds}
        assert renderers == {"reportlab", "chromium", "libreoffice"}, range_name


def _gold(name: str) -> dict:
    return json.loads((GENERATED / "dev" / "gold" / f"{name}.json").read_text(encoding="utf-8"))


def test_generator_scan_grey_copy_loses_statuses_shown_by_colour_alone():
    from corpus.generator.scan import gold_to_scanned, seed_to_setup

    colour, grey = seed_to_setup(10, 0), seed_to_setup(10, 3)
    assert not colour.grey and grey.grey and abs(grey.angle) <= 0.7
    table = _gold("dev-0010-status-tables-chromium")
    assert gold_to_scanned(table, colour) == table
    greyed = gold_to_scanned(table, grey)
    assert greyed["status_legend"] == [] and all(r["status"] is None for r in greyed["result_goals"])
    assert [r["title"] for r in greyed["result_goals"]] == [r["title"] for r in table["result_goals"]]
    narrative = _gold("dev-0015-narrative-reportlab")
    kept = gold_to_scanned(narrative, grey)
    assert [r["status"] for r in kept["result_goals"]] == [r["status"] for r in narrative["result_goals"]]
