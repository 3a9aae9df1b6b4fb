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
