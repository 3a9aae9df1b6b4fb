"""Theme coding measured against the hand-coded sample in corpus/gold/themes.csv."""
from __future__ import annotations

import json

import pytest

from extract.evaluation.themes import (
    GOLD_CSV,
    evaluate_gold_themes,
    evaluate_themes,
    gold_json_to_extraction,
    read_theme_gold,
    themes_to_coded,
)
from extract.records.themes import records_to_themes
from models.registry import CODED_TYPES

GOLD_DIR = GOLD_CSV.parent
TARGET_MACRO_F1 = 0.80


def write_gold(tmp_path, rows: list[tuple[str, str, str, str, str]]):
    path = tmp_path / "themes.csv"
    path.write_text("municipality_code,record_type,title,scheme,codes\n"
                    + "".join(",".join(row) + "\n" for row in rows), encoding="utf-8")
    return path


def test_evaluate_themes_gold_json_becomes_an_extraction_with_every_coded_record():
    path = GOLD_DIR / "koping-handlingsplan-2023-malomrade-1.json"
    gold = json.loads(path.read_text(encoding="utf-8"))
    extraction = gold_json_to_extraction(path)
    assert extraction.document.municipality_code == gold["document"]["municipality_code"] == "1983"
    assert extraction.document.doc_type == gold["document"]["doc_type"]
    for record_type in CODED_TYPES:
        assert len(getattr(extraction, record_type.field)) == len(gold[record_type.field]), record_type.name


def test_evaluate_themes_codes_every_record_type_from_gold():
    extraction = gold_json_to_extraction(GOLD_DIR / "koping-handlingsplan-2023-malomrade-1.json")
    themes = records_to_themes(extraction)
    assert {t.record_type for t in themes} == {"goal", "indicator", "activity"}
    alcohol = [t for t in themes if t.scheme == "cap" and t.code == "3" and "alkohol" in t.matched_terms]
    assert alcohol and all(t.label == "Health" and t.score >= 2 for t in alcohol)


def test_evaluate_themes_macro_f1_averages_per_code_f1(tmp_path):
    gold_csv = write_gold(tmp_path, [
        ("0483", "goal", "Fler jobb", "cap", "5"),
        ("0483", "goal", "Bättre skolor", "cap", "6"),
        ("0483", "goal", "Trygg vård", "cap", "3;6"),
    ])
    coded = {("0483", "goal", "Fler jobb"): {"cap": {"5"}},
             ("0483", "goal", "Bättre skolor"): {"cap": {"6", "7"}},
             ("0483", "goal", "Trygg vård"): {"cap": {"3"}}}
    score = evaluate_themes(coded, gold_csv).schemes["cap"]
    assert score.records == 3
    assert score.per_code == {"3": 1.0, "5": 1.0, "6": pytest.approx(2 / 3), "7": 0.0}
    assert score.macro_f1 == pytest.approx((1 + 1 + 2 / 3 + 0) / 4)
    assert score.micro_f1 == pytest.approx(2 * 3 / (2 * 3 + 1 + 1))


def test_evaluate_themes_missing_record_counts_as_coded_to_nothing(tmp_path):
    gold_csv = write_gold(tmp_path, [("0483", "goal", "Fler jobb", "cap", "5"),
                                     ("0483", "goal", "Bättre skolor", "cap", "6")])
    report = evaluate_themes({("0483", "goal", "Fler jobb"): {"cap": {"5"}}}, gold_csv)
    assert report.missing == [("0483", "goal", "Bättre skolor")]
    assert report.schemes["cap"].per_code == {"5": 1.0, "6": 0.0}
    assert "missing: 1 hand-coded records not found" in report.to_table()


def test_evaluate_themes_perfect_coding_of_the_sample_scores_one():
    gold = read_theme_gold()
    report = evaluate_themes(gold)
    assert not report.missing
    assert all(s.macro_f1 == 1.0 and s.micro_f1 == 1.0 for s in report.schemes.values())


def test_evaluate_themes_keys_records_as_the_sample_does():
    extraction = gold_json_to_extraction(GOLD_DIR / "ostersund-budget-2024.json")
    coded = themes_to_coded(extraction, records_to_themes(extraction))
    assert set(coded) <= set(read_theme_gold())
    assert len(coded) == len(extraction.goals) == 8


def test_evaluate_themes_macro_f1_on_hand_coded_sample():
    report = evaluate_gold_themes(GOLD_DIR, GOLD_CSV)
    assert not report.missing
    assert all(s.records >= 120 for s in report.schemes.values())
    for scheme in ("cap", "sdg"):
        assert report.schemes[scheme].macro_f1 >= TARGET_MACRO_F1, report.to_table()
