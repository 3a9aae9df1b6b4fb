"""Generated reports of kommuner without rules files (corpus/generated/dev): each reader and each status
carrier on a report it was not written for, scored against the gold the generator wrote.

Reports are picked by what the generator chose for them (the first one-column report of each kind, of
each carrier), not by how well they read."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from extract.evaluation.records import evaluate_warehouse
from extract.pipeline import extract_file
from extract.warehouse.load import load_extractions

DEV = Path(__file__).resolve().parents[2] / "corpus" / "generated" / "dev"
GOLDS = {path: json.loads(path.read_text(encoding="utf-8")) for path in sorted((DEV / "gold").glob("*.json"))}


def _first(**wanted) -> Path:
    return next(path for path, gold in GOLDS.items()
                if all(gold["generator"][key] == value for key, value in wanted.items()) and
                gold["generator"]["columns"] == 1)


def _evaluate(gold_paths: list[Path], tmp_path: Path):
    gold_dir = tmp_path / "gold"
    gold_dir.mkdir()
    for path in gold_paths:
        shutil.copy(path, gold_dir / path.name)
    extractions = [extract_file(DEV / "pdf" / f"{path.stem}.pdf") for path in gold_paths]
    load_extractions(extractions, tmp_path / "plans.duckdb")
    return extractions, evaluate_warehouse(tmp_path / "plans.duckdb", gold_dir)


def _assert_exact(report) -> None:
    for document in report.documents:
        for kind, score in document.types.items():
            assert (score.missed, score.invented) == ([], []), f"{document.file} {kind}"
        for name, check in document.checks.items():
            assert check.correct == check.total, f"{document.file} {name}: {check.failures[:3]}"


@pytest.mark.parametrize("kind", ["status_tables", "narrative", "indicators", "activities"])
def test_generated_each_reader_reads_a_kommun_without_rules(kind, tmp_path):
    extractions, report = _evaluate([_first(kind=kind)], tmp_path)
    assert any("which no rules file names a reader for" in notice for notice in extractions[0].notices)
    assert sum(score.gold for score in report.documents[0].types.values()) >= 5
    _assert_exact(report)


@pytest.mark.parametrize("carrier", ["vector", "glyph", "icon", "cell", "word", "bracket"])
def test_generated_each_status_carrier_gives_the_printed_status(carrier, tmp_path):
    _, report = _evaluate([_first(kind="status_tables", carrier=carrier)], tmp_path)
    checks = report.documents[0].checks
    assert checks["result_goals.status"].total >= 2
    _assert_exact(report)


@pytest.mark.parametrize("renderer", ["reportlab", "chromium", "libreoffice"])
def test_generated_each_renderer(renderer, tmp_path):
    _, report = _evaluate([_first(renderer=renderer, kind="status_tables")], tmp_path)
    _assert_exact(report)


@pytest.mark.slow
def test_generated_dev_range_scores(tmp_path):
    """The whole development range: every record type F1 ≥ 0.95, no status where none is printed, the
    kommun and the document type right for every report."""
    extractions, report = _evaluate(list(GOLDS), tmp_path)
    for kind, score in report.totals.items():
        assert score.f1 >= 0.95, f"{kind}: F1 {score.f1:.3f}"
    assert report.guessed_statuses == 0
    by_file = {Path(e.document.source_file).name: e for e in extractions}
    for gold in GOLDS.values():
        document = by_file[gold["document"]["file"]].document
        assert (document.municipality_code, document.doc_type) == (gold["document"]["municipality_code"],
                                                                   gold["document"]["doc_type"])
