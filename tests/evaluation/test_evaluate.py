"""The evaluator against small hand-made warehouses, and against the real gold files."""
from __future__ import annotations

import copy
import json
from pathlib import Path

import duckdb
import pytest

from extract.evaluation.render import report_to_markdown, report_to_text
from extract.evaluation.gold import EvalError, gold_to_rows
from extract.evaluation.records import evaluate_warehouse
from extract.evaluation.scores import EvalReport
from extract.warehouse.connection import insert_rows
from extract.warehouse.schema import TABLES_BY_NAME

GOLD_DIR = Path(__file__).resolve().parents[2] / "corpus" / "gold"

GOLD = {
    "document": {
        "file": "testby-uppfoljning-2023.pdf", "municipality_code": "0483", "doc_type": "halvtidsuppföljning",
        "title": "Uppföljning 2023", "period_start": "2023-01-01", "period_end": "2023-12-31",
        "version": None, "decided_date": None, "decided_by": None, "diarienummer": None, "is_plan": True,
    },
    "goals": [
        {"key": "g1", "level": "overarching", "number": "1", "title": "Tillväxt och fler jobb",
         "short_label": None, "parent": None, "page": 2},
        {"key": "g2", "level": "overarching", "number": "2", "title": "Trygghet i hela kommunen",
         "short_label": None, "parent": None, "page": 3},
    ],
    "result_goals": [
        {"goal": "g1", "title": "Invånarantalet ska öka", "committees": ["KS", "BMN"], "status": "achieved",
         "mark": {"kind": "vector", "shape": "circle", "color": "#00994d"}, "comment": "Ökade med 205", "page": 2},
        {"goal": "g2", "title": "Andelen trygga invånare ska öka", "committees": ["KS"],
         "status": "partially_achieved", "mark": {"kind": "image", "shape": "circle", "color": "#ffbf00"},
         "comment": None, "page": 3},
        {"goal": "g2", "title": "Brotten i centrum ska minska", "committees": [], "status": None, "mark": None,
         "comment": None, "page": 3},
    ],
    "assignments": [
        {"goal": "g1", "title": "Garantera sommarjobb för alla ungdomar", "status": "done",
         "mark": {"kind": "glyph", "shape": "check", "color": "#00994d", "glyph": "✓"}, "comment": None, "page": 2},
        {"goal": "g2", "title": "Utveckla den trygghetsskapande samverkan", "status": "ongoing",
         "mark": {"kind": "glyph", "shape": "triangle_right", "color": "#ffbf00", "glyph": "▶"}, "comment": None,
         "page": 3},
    ],
    "indicators": [
        {"goal": "g2", "group": "KOST", "name": "Andel unga som lider av övervikt (%)", "unit": "%",
         "target": "Indikatorn ska minska", "direction": "decrease", "values": {"2020": 16.7, "2022": None},
         "page": 4},
    ],
    "activities": [
        {"goal": "g1", "number": 1, "title": "Förstudie E-förslag", "strategy": "Fokus på dialog",
         "focus_area": None,
         "purpose": "Syfte: dialog", "responsible": "Kommunledningsförvaltningen", "performer": "Kansliavdelningen",
         "page": 5},
    ],
    "status_legend": [
        {"scale": "result_goal", "symbol": "circle", "color": "#00994d", "status": "achieved",
         "label": "Uppnås eller överträffas"},
    ],
    "assessments": [{"question": "Bedömning om verksamhetens mål kommer nås", "answer": "ja", "page": 1}],
}


def write_gold(gold_dir: Path, *golds: dict) -> Path:
    gold_dir.mkdir(exist_ok=True)
    for gold in golds:
        name = Path(gold["document"]["file"]).with_suffix(".json").name
        (gold_dir / name).write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
    return gold_dir


def write_warehouse(db_path: Path, *row_sets: dict[str, list[dict]]) -> Path:
    """Create the tables the rows need (warehouse DDL) and insert them, as a load would."""
    con = duckdb.connect(str(db_path))
    try:
        for rows in row_sets:
            for table, table_rows in rows.items():
                con.execute(TABLES_BY_NAME[table].to_ddl())
                insert_rows(con, TABLES_BY_NAME[table], [_full_row(table, r) for r in table_rows])
    finally:
        con.close()
    return db_path


def _full_row(table: str, row: dict) -> dict:
    return {name: row.get(name) for name in TABLES_BY_NAME[table].column_names}


def warehouse_rows(gold: dict = GOLD) -> dict[str, list[dict]]:
    """What a perfect extraction of `gold` loads, with the source file given as a path."""
    rows = gold_to_rows(copy.deepcopy(gold))
    rows["document"][0]["source_file"] = "corpus/pdf/" + gold["document"]["file"]
    return rows


def evaluate(tmp_path: Path, rows: dict, gold: dict = GOLD, **options) -> EvalReport:
    db = write_warehouse(tmp_path / "plans.duckdb", rows)
    return evaluate_warehouse(db, write_gold(tmp_path / "gold", gold), **options)


def only(report: EvalReport):
    assert len(report.documents) == 1
    return report.documents[0]


def test_evaluate_perfect_match_scores_one(tmp_path):
    report = evaluate(tmp_path, warehouse_rows())
    doc = only(report)
    assert doc.in_warehouse
    for kind, score in report.totals.items():
        assert (score.precision, score.recall, score.f1) == (1.0, 1.0, 1.0), kind
    assert report.overall.gold == 2 + 3 + 2 + 1 + 1 + 1 + 1
    assert all(check.accuracy == 1.0 for check in report.check_totals.values())
    assert report.check_totals["indicators.values"].total == 2
    assert report.check_totals["result_goals.status"].total == 2
    assert report.guessed_statuses == 0


def test_evaluate_missing_record_lowers_recall(tmp_path):
    rows = warehouse_rows()
    rows["assignment"].pop()
    score = only(evaluate(tmp_path, rows)).types["assignments"]
    assert (score.gold, score.found, score.matched) == (2, 1, 1)
    assert score.precision == 1.0 and score.recall == 0.5
    assert score.missed == ["Utveckla den trygghetsskapande samverkan"]


def test_evaluate_invented_record_lowers_precision(tmp_path):
    rows = warehouse_rows()
    rows["result_goal"].append({**rows["result_goal"][0], "result_goal_id": "invented", "title": "Sidfot sida 3"})
    score = only(evaluate(tmp_path, rows)).types["result_goals"]
    assert score.precision == pytest.approx(3 / 4) and score.recall == 1.0
    assert score.invented == ["Sidfot sida 3"]


def test_evaluate_wrong_status_lowers_status_accuracy(tmp_path):
    rows = warehouse_rows()
    rows["assignment"][1]["status"] = "done"
    report = evaluate(tmp_path, rows)
    check = report.check_totals["assignments.status"]
    assert (check.correct, check.total) == (1, 2)
    assert only(report).checks["assignments.status"].failures == [
        "Utveckla den trygghetsskapande samverkan: status 'done', gold 'ongoing'"]
    assert report.totals["assignments"].f1 == 1.0


def test_evaluate_status_where_no_mark_is_printed_counts_as_guessed(tmp_path):
    rows = warehouse_rows()
    rows["result_goal"][2]["status"] = "not_achieved"
    report = evaluate(tmp_path, rows)
    assert report.guessed_statuses == 1
    assert report.check_totals["result_goals.status"].accuracy == 1.0
    assert "Statuses where no mark is printed (guessed): 1" in report_to_text(report)


def test_evaluate_fuzzy_matching_catches_one_ocr_letter_at_90_not_100(tmp_path):
    rows = warehouse_rows()
    rows["assignment"][0]["title"] = "Garantera sommarjobb för alla ungdomer"
    loose = evaluate(tmp_path, rows, fuzzy_threshold=90)
    strict = evaluate_warehouse(tmp_path / "plans.duckdb", tmp_path / "gold", fuzzy_threshold=100)
    assert loose.totals["assignments"].f1 == 1.0 and loose.totals["assignments"].fuzzy == 1
    assert loose.check_totals["assignments.status"].accuracy == 1.0
    assert strict.totals["assignments"].recall == 0.5 and strict.totals["assignments"].precision == 0.5
    assert "ratio ≥ 90" in report_to_text(loose) and "ratio ≥ 100" in report_to_text(strict)


def test_evaluate_non_plan_document_records_are_false_positives(tmp_path):
    gold = copy.deepcopy(GOLD)
    gold["document"].update(file="lidkoping-webbsida.pdf", doc_type="other", is_plan=False)
    for kind in ("goals", "result_goals", "assignments", "indicators", "activities", "status_legend", "assessments"):
        gold[kind] = []
    rows = warehouse_rows(gold)
    invented = gold_to_rows(GOLD)
    document_id = rows["document"][0]["document_id"]
    for table in ("goal", "result_goal"):
        rows[table] = [{**r, "document_id": document_id} for r in invented[table]]
    report = evaluate(tmp_path, rows, gold=gold)
    doc = only(report)
    assert not doc.is_plan
    assert doc.types["goals"].found == 2 and doc.types["goals"].precision == 0.0
    assert doc.types["result_goals"].found == 3 and doc.types["result_goals"].f1 == 0.0
    assert report.overall.matched == 0 and report.overall.found == 5
    assert "(not a plan)" in report_to_text(report)


def test_evaluate_document_missing_from_warehouse_misses_every_record(tmp_path):
    other = copy.deepcopy(GOLD)
    other["document"]["file"] = "another-report.pdf"
    db = write_warehouse(tmp_path / "plans.duckdb", warehouse_rows(other))
    report = evaluate_warehouse(db, write_gold(tmp_path / "gold", GOLD))
    assert report.missing_documents == ["testby-uppfoljning-2023.pdf"]
    assert report.unevaluated == ["another-report.pdf"]
    assert report.overall.recall == 0.0 and report.overall.gold == 11
    assert "Missing from the warehouse" in report_to_text(report)


def test_evaluate_missing_value_stored_as_zero_is_wrong(tmp_path):
    rows = warehouse_rows()
    for value in rows["indicator_value"]:
        if value["value"] is None:
            value["value"] = 0.0
    check = evaluate(tmp_path, rows).check_totals["indicators.values"]
    assert (check.correct, check.total) == (1, 2)


def test_evaluate_record_under_the_wrong_goal_lowers_link_accuracy(tmp_path):
    rows = warehouse_rows()
    rows["assignment"][1]["goal_id"] = rows["goal"][0]["goal_id"]
    report = evaluate(tmp_path, rows)
    assert report.check_totals["assignments.goal"].correct == 1
    assert report.totals["assignments"].f1 == 1.0


def test_evaluate_committees_compared_as_sets(tmp_path):
    rows = warehouse_rows()
    rows["result_goal"][0]["committees"] = ["BMN", "KS"]
    rows["result_goal"][1]["committees"] = ["KS", "VON"]
    check = evaluate(tmp_path, rows).check_totals["result_goals.committees"]
    assert (check.correct, check.total) == (2, 3)


def test_evaluate_report_renders_text_markdown_and_json(tmp_path):
    report = evaluate(tmp_path, warehouse_rows())
    text, markdown = report_to_text(report), report_to_markdown(report)
    assert "testby-uppfoljning-2023.pdf" in text and "overall" in text
    assert "| document | records | gold |" in markdown
    data = json.loads(report.to_json())
    assert data["totals"]["assignments"]["f1"] == 1.0 and data["fuzzy_threshold"] == 95


def test_evaluate_bad_gold_file_names_the_file(tmp_path):
    db = write_warehouse(tmp_path / "plans.duckdb", warehouse_rows())
    gold_dir = tmp_path / "gold"
    gold_dir.mkdir()
    (gold_dir / "broken.json").write_text('{"document": {}}', encoding="utf-8")
    with pytest.raises(EvalError, match=r"broken\.json: document\.file"):
        evaluate_warehouse(db, gold_dir)


def test_evaluate_gold_files_loaded_as_warehouse_score_one(tmp_path):
    """The real gold, loaded as a perfect extraction would load it, agrees with itself: the evaluator
    and the gold format fit together."""
    paths = sorted(GOLD_DIR.glob("*.json"))
    assert len(paths) >= 6
    golds = [json.loads(p.read_text(encoding="utf-8")) for p in paths]
    db = write_warehouse(tmp_path / "plans.duckdb", *(warehouse_rows(g) for g in golds))
    report = evaluate_warehouse(db, GOLD_DIR)
    assert report.missing_documents == [] and report.unevaluated == []
    for kind, score in report.totals.items():
        assert score.gold > 0 and score.f1 == 1.0, kind
    assert all(check.accuracy == 1.0 for check in report.check_totals.values())
    assert report.guessed_statuses == 0
    katrineholm = next(d for d in report.documents if d.file.startswith("katrineholm"))
    assert (katrineholm.types["result_goals"].gold, katrineholm.types["assignments"].gold) == (51, 150)


def test_evaluate_cli_prints_report_and_one_line_errors(tmp_path):
    from click.testing import CliRunner

    from extract.cli import main

    db = write_warehouse(tmp_path / "plans.duckdb", warehouse_rows())
    gold_dir = write_gold(tmp_path / "gold", GOLD)
    runner = CliRunner()
    result = runner.invoke(main, ["eval", "--gold", str(gold_dir), "--db", str(db), "--fuzzy-threshold", "90"])
    assert result.exit_code == 0, result.output
    assert "ratio ≥ 90" in result.output and "overall" in result.output
    result = runner.invoke(main, ["eval", "--gold", str(gold_dir), "--db", str(db), "--json"])
    assert json.loads(result.output)["overall"]["f1"] == 1.0
    result = runner.invoke(main, ["eval", "--gold", str(tmp_path / "nowhere"), "--db", str(db)])
    assert result.exit_code == 1 and result.output.strip() == f"plans: no gold folder at {tmp_path / 'nowhere'}"
