"""The warehouse: schema contract, idempotent loads, atomic replacement, rollback, bulk Arrow inserts."""
from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import duckdb
import pytest

from extract.pipeline import extract_file
from extract.warehouse.connection import connect, load_fts
from extract.warehouse.load import load_extraction, load_extractions
from models.records import (
    Activity, Assessment, Assignment, Document, Extraction, Goal, Indicator, IndicatorValue, Municipality, Page,
    Provenance, ResultGoal, StatusLegendEntry, stable_id,
)

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ROOT / "corpus" / "sources"

CONTRACT = {
    "municipality": ["code", "name", "county"],
    "document": ["document_id", "municipality_code", "title", "doc_type", "period_start", "period_end",
                 "source_file", "sha256", "pages", "extractor_version", "extracted_at", "version",
                 "decided_date", "decided_by", "diarienummer", "rules_version", "source_path"],
    "page": ["document_id", "page_no", "raw_text", "text", "source", "quality", "municipality_code", "raw_quality"],
    "goal": ["goal_id", "document_id", "parent_goal_id", "level", "number", "title", "short_label", "page_no",
             "bbox", "raw_text", "status"],
    "result_goal": ["result_goal_id", "document_id", "goal_id", "title", "committees", "status", "status_symbol",
                    "status_color", "comment", "page_no", "bbox", "raw_text"],
    "assignment": ["assignment_id", "document_id", "goal_id", "title", "status", "status_symbol", "status_color",
                   "comment", "page_no", "bbox", "raw_text"],
    "indicator": ["indicator_id", "document_id", "goal_id", "group_name", "name", "unit", "target", "direction",
                  "page_no", "bbox", "raw_text"],
    "indicator_value": ["indicator_id", "period", "value", "year"],
    "activity": ["activity_id", "document_id", "goal_id", "number", "title", "strategy", "focus_area", "purpose",
                 "responsible", "performer", "page_no", "bbox", "raw_text"],
    "status_legend": ["document_id", "scale", "symbol", "color", "status", "label", "source"],
    "assessment": ["document_id", "question", "answer", "page_no", "bbox", "raw_text"],
    "theme": ["document_id", "record_type", "record_id", "scheme", "code", "label", "score", "matched_terms"],
    "run": ["run_id", "started_at", "finished_at", "files", "loaded", "skipped", "failed", "extractor_version"],
    "failure": ["run_id", "source_file", "error_code", "message"],
}
TYPED = {
    ("document", "document_id"): "VARCHAR", ("document", "period_start"): "DATE", ("document", "period_end"): "DATE",
    ("document", "sha256"): "VARCHAR", ("document", "pages"): "INTEGER", ("document", "extracted_at"): "TIMESTAMP",
    ("document", "decided_date"): "DATE", ("page", "page_no"): "INTEGER", ("page", "quality"): "DOUBLE",
    ("goal", "bbox"): "DOUBLE[]", ("result_goal", "committees"): "VARCHAR[]", ("result_goal", "bbox"): "DOUBLE[]",
    ("indicator_value", "value"): "DOUBLE", ("indicator_value", "year"): "INTEGER", ("activity", "number"): "INTEGER", ("municipality", "code"): "VARCHAR",
}


def make_extraction(source_file: str = "corpus/pdf/katrineholm.pdf", version: str = "v1", n_goals: int = 3,
                    n_values: int = 3, code: str = "0483", name: str = "Katrineholm",
                    doc_id: str | None = None) -> Extraction:
    """A small but complete extraction; `version` changes the content and so the sha256."""
    sha = hashlib.sha256(f"{source_file}|{version}".encode()).hexdigest()
    doc_id = doc_id or sha[:16]

    def prov(page: int, text: str) -> Provenance:
        return Provenance(sha256=sha, page_no=page, bbox=(10.0, 20.0 + page, 300.0, 40.5), raw_text=text)

    goals = [Goal(goal_id=stable_id(doc_id, "goal", i), document_id=doc_id, level="overarching", number=str(i),
                  title=f"Mål {i} {version}", page_no=1, provenance=prov(1, f"{i}. Mål {i}"))
             for i in range(1, n_goals + 1)]
    first = goals[0].goal_id
    indicator_id = stable_id(doc_id, "indicator", 1)
    return Extraction(
        municipality=Municipality(code=code, name=name, county="Södermanlands län"),
        document=Document(document_id=doc_id, municipality_code=code, title=f"Kommunplan {version}",
                          doc_type="halvtidsuppföljning", period_start=dt.date(2019, 1, 1),
                          period_end=dt.date(2022, 12, 31), source_file=source_file, sha256=sha, pages=2,
                          extractor_version="0.1.0", extracted_at=dt.datetime(2024, 5, 1, 12, 0, 0),
                          diarienummer="KS/2024:1"),
        pages=[Page(document_id=doc_id, page_no=n, raw_text=f"sida {n}", text=f"sida {n}", source="text_layer",
                    quality=0.9) for n in (1, 2)],
        goals=goals,
        result_goals=[ResultGoal(result_goal_id=stable_id(doc_id, "rg", 1), document_id=doc_id, goal_id=first,
                                 title="Invånarantalet ska öka", committees=["KS", "BMN"], status="achieved",
                                 status_symbol="circle", status_color="#00994d", page_no=2,
                                 provenance=prov(2, "Invånarantalet ska öka KS, BMN"))],
        assignments=[Assignment(assignment_id=stable_id(doc_id, "as", 1), document_id=doc_id, goal_id=first,
                                title="Sommarjobb", status="done", page_no=2, provenance=prov(2, "Sommarjobb"))],
        indicators=[Indicator(indicator_id=indicator_id, document_id=doc_id, goal_id=first, name="Andel nöjda",
                              unit="%", direction="increase", page_no=2, provenance=prov(2, "Andel nöjda 50,6"),
                              values=[IndicatorValue(indicator_id=indicator_id, period=str(2000 + y),
                                                     value=None if y == 0 else 50.0 + y) for y in range(n_values)])],
        activities=[Activity(activity_id=stable_id(doc_id, "act", 1), document_id=doc_id, goal_id=first, number=1,
                             title="Medborgardialog", responsible="KLF", page_no=2,
                             provenance=prov(2, "1 Medborgardialog"))],
        status_legend=[StatusLegendEntry(document_id=doc_id, scale="result_goal", symbol="circle", color="#00994d",
                                         status="achieved", label="Uppnås")],
        assessments=[Assessment(document_id=doc_id, question="Nås målen?", answer="ja", page_no=1)],
    )


def dump(db_path: Path) -> dict[str, list[tuple]]:
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        return {table: con.execute(f"SELECT * FROM {table} ORDER BY ALL").fetchall() for table in CONTRACT}
    finally:
        con.close()


def test_load_schema_has_exactly_the_contract_tables_and_columns(tmp_path):
    db = tmp_path / "sub" / "plans.duckdb"
    connect(db).close()
    con = duckdb.connect(str(db), read_only=True)
    rows = con.execute("SELECT table_name, column_name, data_type FROM information_schema.columns "
                       "WHERE table_schema = 'main' AND table_name IN (SELECT table_name FROM "
                       "information_schema.tables WHERE table_type = 'BASE TABLE') "
                       "ORDER BY table_name, ordinal_position").fetchall()
    con.close()
    columns: dict[str, list[str]] = {}
    for table, column, _ in rows:
        columns.setdefault(table, []).append(column)
    assert columns == CONTRACT
    types = {(t, c): dtype for t, c, dtype in rows}
    assert {key: types[key] for key in TYPED} == TYPED


def test_load_schema_creation_is_idempotent(tmp_path):
    db = tmp_path / "plans.duckdb"
    load_extractions([make_extraction()], db)
    before = dump(db)
    connect(db).close()
    assert dump(db) == before


def test_load_same_extraction_twice_leaves_identical_tables(tmp_path):
    db = tmp_path / "plans.duckdb"
    extraction = make_extraction()
    first = load_extractions([extraction], db)
    after_first = dump(db)
    second = load_extractions([extraction], db)
    assert [d.status for d in first.documents] == ["loaded"]
    assert [d.status for d in second.documents] == ["unchanged"]
    assert second.rows_inserted == 0
    assert dump(db) == after_first
    assert len(after_first["indicator_value"]) == 3 and len(after_first["goal"]) == 3


def test_load_changed_file_replaces_its_rows_and_leaves_others(tmp_path):
    db = tmp_path / "plans.duckdb"
    old = make_extraction("a.pdf", "v1", n_goals=3, n_values=4)
    other = make_extraction("b.pdf", "v1", code="1983", name="Köping")
    load_extractions([old, other], db)
    other_id = other.document.document_id
    other_before = {t: [r for r in rows if other_id in r or _belongs(r, other)] for t, rows in dump(db).items()}

    new = make_extraction("a.pdf", "v2", n_goals=2, n_values=2)
    report = load_extractions([new], db)
    assert [d.status for d in report.documents] == ["replaced"]

    after = dump(db)
    old_id = old.document.document_id
    assert all(old_id not in row for rows in after.values() for row in rows)
    old_indicator = old.indicators[0].indicator_id
    assert all(row[0] != old_indicator for row in after["indicator_value"])
    assert [r[7] for r in after["document"] if r[6] == "a.pdf"] == [new.document.sha256]
    assert sorted(r[5] for r in after["goal"] if r[1] == new.document.document_id) == ["Mål 1 v2", "Mål 2 v2"]
    assert len([r for r in after["indicator_value"] if r[0] == new.indicators[0].indicator_id]) == 2
    other_after = {t: [r for r in rows if other_id in r or _belongs(r, other)] for t, rows in after.items()}
    assert other_after == other_before


def test_load_changed_file_with_the_same_record_ids_replaces_them(tmp_path):
    db = tmp_path / "plans.duckdb"
    load_extractions([make_extraction("a.pdf", "v1", doc_id="fixed")], db)
    report = load_extractions([make_extraction("a.pdf", "v2", doc_id="fixed")], db)
    assert [d.status for d in report.documents] == ["replaced"]
    after = dump(db)
    assert sorted(r[5] for r in after["goal"]) == ["Mål 1 v2", "Mål 2 v2", "Mål 3 v2"]
    assert len(after["document"]) == 1 and len(after["indicator_value"]) == 3


def _belongs(row: tuple, extraction: Extraction) -> bool:
    return row[0] in {i.indicator_id for i in extraction.indicators} or row[0] == extraction.municipality.code


def test_load_failing_replacement_rolls_back_and_keeps_the_old_rows(tmp_path):
    db = tmp_path / "plans.duckdb"
    load_extractions([make_extraction("a.pdf", "v1"), make_extraction("b.pdf", "v1")], db)
    before = dump(db)
    bad = make_extraction("a.pdf", "v2")
    bad_goal = bad.result_goals[0]
    bad.result_goals[0] = ResultGoal.model_construct(**{**dict(bad_goal), "status": "half_done"})
    report = load_extractions([bad], db)
    assert [d.status for d in report.documents] == ["failed"]
    assert "a.pdf" in report.documents[0].error and "CHECK" in report.documents[0].error
    assert dump(db) == before


def test_load_failing_new_document_leaves_nothing_and_later_documents_load(tmp_path):
    db = tmp_path / "plans.duckdb"
    load_extractions([make_extraction("a.pdf", "v1")], db)
    before = dump(db)
    bad = make_extraction("c.pdf", "v1")
    bad.assignments[0] = Assignment.model_construct(**{**dict(bad.assignments[0]), "status": "finished"})
    good = make_extraction("d.pdf", "v1")
    report = load_extractions([bad, good], db)
    assert [d.status for d in report.documents] == ["failed", "loaded"]
    after = dump(db)
    assert all(bad.document.document_id not in row for rows in after.values() for row in rows)
    assert len(after["document"]) == len(before["document"]) + 1


def test_load_provenance_fills_page_bbox_and_raw_text(tmp_path):
    db = tmp_path / "plans.duckdb"
    extraction = make_extraction()
    load_extractions([extraction], db)
    con = connect(db, read_only=True)
    row = con.execute("SELECT page_no, bbox, raw_text, committees, status FROM result_goal").fetchone()
    values = con.execute("SELECT period, value FROM indicator_value ORDER BY period").fetchall()
    con.close()
    assert row == (2, [10.0, 22.0, 300.0, 40.5], "Invånarantalet ska öka KS, BMN", ["KS", "BMN"], "achieved")
    assert values == [("2000", None), ("2001", 51.0), ("2002", 52.0)]


def test_load_municipality_table_is_the_register(tmp_path):
    """Every kommun once, as the register has it, whatever name a document's extraction carries and
    however often the warehouse is opened."""
    db = tmp_path / "plans.duckdb"
    load_extractions([make_extraction("a.pdf", name="Katrineholm")], db)
    load_extractions([make_extraction("b.pdf", name="Katrineholms kommun")], db)
    rows = dump(db)["municipality"]
    assert len(rows) == 290 and len({code for code, _, _ in rows}) == 290
    assert ("0483", "Katrineholm", "Södermanlands län") in rows and ("2584", "Kiruna", "Norrbottens län") in rows


def test_load_timezone_aware_extraction_time_is_stored_as_utc(tmp_path):
    db = tmp_path / "plans.duckdb"
    extraction = make_extraction()
    extraction.document.extracted_at = dt.datetime(2024, 5, 1, 14, 0, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    load_extractions([extraction], db)
    assert dump(db)["document"][0][10] == dt.datetime(2024, 5, 1, 12, 0)


class CountingConnection:
    """A DuckDB connection that counts transactions and the statements run in them."""

    def __init__(self, con: duckdb.DuckDBPyConnection):
        self.con = con
        self.calls: list[str] = []

    def begin(self):
        self.calls.append("BEGIN")
        return self.con.begin()

    def commit(self):
        self.calls.append("COMMIT")
        return self.con.commit()

    def rollback(self):
        self.calls.append("ROLLBACK")
        return self.con.rollback()

    def execute(self, sql, *args):
        self.calls.append(sql.split(None, 3)[2] if sql.startswith("INSERT INTO") else sql.split(None, 1)[0])
        return self.con.execute(sql, *args)

    def __getattr__(self, name):
        return getattr(self.con, name)


def test_load_arrow_path_inserts_10k_indicator_values_in_one_statement_and_one_transaction(tmp_path):
    db = tmp_path / "plans.duckdb"
    extraction = make_extraction("big.pdf", n_values=10_000)
    con = connect(db)
    load_extraction(con, make_extraction("other.pdf"))
    counting = CountingConnection(con)
    outcome, inserted = load_extraction(counting, extraction)
    con.close()
    assert outcome.status == "loaded"
    rows = dump(db)
    values = {period: value for indicator_id, period, value, _year in rows["indicator_value"]
              if indicator_id == extraction.indicators[0].indicator_id}
    assert values == {v.period: v.value for v in extraction.indicators[0].values} and len(values) == 10_000
    assert inserted == 10_012  # the values, 2 pages, 3 goals and one row in each other table but theme and municipality
    assert len(rows["document"]) == 2
    assert counting.calls.count("BEGIN") == 1 and counting.calls.count("COMMIT") == 1
    assert "ROLLBACK" not in counting.calls
    assert counting.calls.count("indicator_value") == 1
    assert counting.calls[0] == "BEGIN" and counting.calls[-1] == "COMMIT"


def test_load_many_documents_one_transaction_each(tmp_path):
    db = tmp_path / "plans.duckdb"
    extractions = [make_extraction(f"doc{n}.pdf", n_values=50) for n in range(5)]
    con = connect(db)
    counting = CountingConnection(con)
    statuses = [load_extraction(counting, extraction)[0].status for extraction in extractions]
    con.close()
    assert statuses == ["loaded"] * 5
    assert counting.calls.count("BEGIN") == counting.calls.count("COMMIT") == 5
    assert counting.calls.count("indicator_value") == 5
    rows = dump(db)
    assert len(rows["document"]) == 5 and len(rows["indicator_value"]) == 5 * 50


def test_load_fts_extension_loads_offline_with_extensions_under_the_db_folder(tmp_path):
    db = tmp_path / "wh" / "plans.duckdb"
    con = connect(db)
    load_fts(con)
    loaded = con.execute("SELECT loaded FROM duckdb_extensions() WHERE extension_name = 'fts'").fetchone()
    directory = con.execute("SELECT current_setting('extension_directory')").fetchone()[0]
    con.close()
    assert loaded == (True,)
    assert Path(directory).parent == db.parent


def test_load_missing_warehouse_read_only_names_the_command_to_run(tmp_path):
    from extract.errors import PlansError
    with pytest.raises(PlansError, match="no warehouse at .*; run 'plans extract corpus/pdf' first"):
        connect(tmp_path / "none.duckdb", read_only=True)
    assert not (tmp_path / "none.duckdb").exists()


@pytest.mark.slow
def test_load_real_source_texts_one_document_each(tmp_path):
    db = tmp_path / "plans.duckdb"
    files = sorted(SOURCES.glob("*.txt"))
    report = load_extractions([extract_file(path) for path in files], db)
    assert [d.status for d in report.documents] == ["loaded"] * len(files)
    tables = dump(db)
    assert len(tables["document"]) == len(files)
    assert {row[7] for row in tables["document"]} == {hashlib.sha256(p.read_bytes()).hexdigest() for p in files}


def test_load_indicator_values_carry_their_year_for_joins_with_kolada(tmp_path):
    """A period printed as a year is also an INTEGER year (Kolada's and SCB's key beside the kommun
    code); another period keeps its text and has no year."""
    extraction = make_extraction(n_values=2)
    indicator = extraction.indicators[0]
    indicator.values.append(IndicatorValue(indicator_id=indicator.indicator_id, period="2023/24", value=1.0))
    db = tmp_path / "kolada.duckdb"
    load_extractions([extraction], db)
    con = duckdb.connect(str(db), read_only=True)
    rows = con.execute("SELECT period, year FROM indicator_value ORDER BY period").fetchall()
    kind = con.execute("SELECT data_type FROM information_schema.columns WHERE table_name = 'indicator_value' "
                       "AND column_name = 'year'").fetchone()
    con.close()
    assert rows == [("2000", 2000), ("2001", 2001), ("2023/24", None)]
    assert kind == ("INTEGER",)
    old = duckdb.connect(str(db))  # a warehouse made before the column: it gains it, filled from its rows
    old.execute("ALTER TABLE indicator_value DROP COLUMN year")
    old.close()
    connect(db).close()
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT period, year FROM indicator_value ORDER BY period").fetchall() == rows
    con.close()
