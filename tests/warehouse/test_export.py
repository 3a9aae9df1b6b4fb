"""Citable export and comparison views: Parquet/CSV per table that round-trip, codebook.md, manifest.json."""
from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from extract.cli import main
from extract.warehouse.export import read_codebook
from extract.pipeline import extract_file
from extract.warehouse.connection import connect
from extract.warehouse.load import load_extractions
from extract.rules import rules_hash
from extract.warehouse.schema import TABLES
from extract.warehouse.views import VIEWS
from tests.conftest import ROOT

CFF_SCHEMA = Path(__file__).parent / "data" / "citation-file-format-1.2.0.schema.json"

PDFS = ("katrineholm-halvtidsuppfoljning-2019-2022.pdf", "koping-handlingsplan-2023-malomrade-1.pdf")
pytestmark = pytest.mark.slow  # the module's warehouse is extracted from corpus PDFs


@pytest.fixture(scope="module")
def warehouse(corpus_pdfs, tmp_path_factory):
    db = tmp_path_factory.mktemp("export") / "plans.duckdb"
    report = load_extractions((extract_file(corpus_pdfs[name]) for name in PDFS), db)
    assert report.count("loaded") == len(PDFS), [d.error for d in report.documents]
    return db


@pytest.fixture(scope="module")
def exported(warehouse, tmp_path_factory):
    out = tmp_path_factory.mktemp("out") / "export"
    result = CliRunner().invoke(main, ["export", "--format", "both", str(out), "--db", str(warehouse),
                                       "--author", "A. Researcher", "--author", "B. Researcher"])
    assert result.exit_code == 0, result.output
    return out


def count(con, sql: str) -> int:
    return con.execute(sql).fetchone()[0]


def test_export_parquet_round_trips_into_a_fresh_duckdb(warehouse, exported):
    source = duckdb.connect(str(warehouse), read_only=True)
    fresh = duckdb.connect()
    manifest = json.loads((exported / "manifest.json").read_text(encoding="utf-8"))
    for table in TABLES:
        fresh.execute(f"CREATE TABLE {table.name} AS SELECT * FROM read_parquet('{exported / table.name}.parquet')")
        expected = count(source, f"SELECT count(*) FROM {table.name}")
        assert count(fresh, f"SELECT count(*) FROM {table.name}") == expected == manifest["row_counts"][table.name]
        assert [r[0] for r in fresh.execute(f"DESCRIBE {table.name}").fetchall()] == table.column_names
    assert manifest["row_counts"]["result_goal"] == 51 and manifest["row_counts"]["theme"] > 0
    assert count(fresh, "SELECT count(*) FROM theme WHERE len(matched_terms) > 0") == manifest["row_counts"]["theme"]


def test_export_csv_and_views_have_the_rows_of_the_warehouse(warehouse, exported):
    source = duckdb.connect(str(warehouse), read_only=True)
    fresh = duckdb.connect()
    for table in TABLES:
        assert count(fresh, f"SELECT count(*) FROM read_csv_auto('{exported / table.name}.csv')") == \
            count(source, f"SELECT count(*) FROM {table.name}"), table.name
    for view in VIEWS:
        expected = count(source, f"SELECT count(*) FROM {view}")
        assert expected > 0, view
        for fmt, reader in (("parquet", "read_parquet"), ("csv", "read_csv_auto")):
            assert count(fresh, f"SELECT count(*) FROM {reader}('{exported}/views/{view}.{fmt}')") == expected


def test_export_manifest_pins_inputs_versions_and_files(corpus_pdfs, exported):
    manifest = json.loads((exported / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["rules_version"] == rules_hash() and manifest["duckdb_version"] == duckdb.__version__
    assert manifest["extractor_version"] and manifest["exported_at"]
    import hashlib

    import pdfplumber
    import spacy

    tools = manifest["tool_versions"]
    assert tools["pdfplumber"] == pdfplumber.__version__ and tools["spacy"] == spacy.__version__
    assert tools["duckdb"] == duckdb.__version__ and tools["tesseract"] and tools["tesseract"][0].isdigit()
    listing = "".join(f"{f['path']}\t{f['sha256']}\n" for f in sorted(manifest["files"], key=lambda f: f["path"]))
    assert manifest["dataset_sha256"] == hashlib.sha256(listing.encode("utf-8")).hexdigest()
    inputs = {i["source_file"].rsplit("/", 1)[-1]: i for i in manifest["inputs"]}
    assert set(inputs) == set(PDFS)
    for name in PDFS:
        assert inputs[name]["sha256"] == hashlib.sha256(corpus_pdfs[name].read_bytes()).hexdigest()
    assert inputs["katrineholm-halvtidsuppfoljning-2019-2022.pdf"]["pages"] == 28
    listed = {f["path"]: f for f in manifest["files"]}
    assert "codebook.md" in listed and "views/v_status_share.parquet" in listed and "theme.csv" in listed
    for path, entry in listed.items():
        assert hashlib.sha256((exported / path).read_bytes()).hexdigest() == entry["sha256"], path


def test_export_codebook_lists_every_column_with_type_and_meaning(exported):
    codebook = (exported / "codebook.md").read_text(encoding="utf-8")
    assert "NOT DESCRIBED" not in codebook
    sections = dict(re.findall(r"^### `(\w+)`[^\n]*\n(.*?)(?=^### |^## |\Z)", codebook, flags=re.S | re.M))
    for table in TABLES:
        for name, sql_type in table.columns:
            assert f"| `{name}` | {sql_type} |" in sections[table.name], (table.name, name)
    for view in VIEWS:
        assert view in sections
    for status in ("achieved", "partially_achieved", "not_achieved", "done", "ongoing", "not_started", "not_done"):
        assert f"`{status}`" in codebook
    assert "Uppnås delvis" in codebook
    assert "### `cap`" in codebook and "### `sdg`" in codebook and "| 13 |" in codebook


def test_export_codebook_data_describes_exactly_the_declared_columns():
    book = read_codebook()
    assert set(book["tables"]) == {t.name for t in TABLES}
    for table in TABLES:
        assert set(book["tables"][table.name]["columns"]) == set(table.column_names), table.name
    assert set(book["views"]) == set(VIEWS)


def test_export_views_status_share_matches_the_records(warehouse):
    con = connect(warehouse, read_only=True)
    shares = con.execute("SELECT document_id, scale, round(sum(share), 3), sum(records) FROM v_status_share "
                         "GROUP BY ALL").fetchall()
    assert {round(s, 3) for _, _, s, _ in shares} == {1.0}
    assert {(scale, n) for _, scale, _, n in shares} == {("result_goal", 51), ("assignment", 150)}
    done = count(con, "SELECT records FROM v_status_share WHERE municipality = 'Katrineholm' "
                      "AND scale = 'assignment' AND status = 'done'")
    assert done == count(con, "SELECT count(*) FROM assignment WHERE status = 'done'")


def test_export_views_theme_and_indicator_views_keep_provenance(warehouse):
    con = connect(warehouse, read_only=True)
    assert count(con, "SELECT count(*) FROM v_goals_by_theme") == count(con, "SELECT count(*) FROM theme")
    assert count(con, "SELECT count(*) FROM v_goals_by_theme WHERE title IS NULL OR page_no IS NULL "
                      "OR source_file IS NULL") == 0
    coverage = count(con, "SELECT sum(records) FROM v_theme_coverage")
    assert coverage == count(con, "SELECT count(*) FROM (SELECT DISTINCT record_id, scheme, code FROM theme)")
    latest = con.execute("SELECT latest_period, latest_value, previous_value, change FROM v_indicator_latest "
                         "WHERE name = 'Andel invånare 16–84 år med bra självskattat hälsotillstånd (%) *'").fetchone()
    assert latest == ("2022", 72.0, 66.0, 6.0)
    assert count(con, "SELECT count(*) FROM v_indicator_latest") == count(con, "SELECT count(*) FROM indicator")
    assert count(con, "SELECT count(*) FROM v_indicator_latest WHERE latest_value IS NULL") == 0


def test_export_datapackage_validates_with_frictionless(exported):
    import frictionless

    package = json.loads((exported / "datapackage.json").read_text(encoding="utf-8"))
    report = frictionless.validate(exported / "datapackage.json")
    assert report.valid, report.flatten(["taskName", "rowNumber", "fieldName", "message"])[:5]
    resources = {r["name"]: r for r in package["resources"]}
    goal = resources["goal"]["schema"]
    assert goal["primaryKey"] == ["goal_id"]
    assert {"fields": "document_id", "reference": {"resource": "document", "fields": "document_id"}} \
        in goal["foreignKeys"]
    types = {f["name"]: f["type"] for f in goal["fields"]}
    assert types["bbox"] == "array" and types["page_no"] == "integer" and types["title"] == "string"
    assert all(f.get("description") for r in package["resources"] if "/" not in r["path"] for f in r["schema"]["fields"])
    manifest = json.loads((exported / "manifest.json").read_text(encoding="utf-8"))
    assert {r["path"] for r in package["resources"]} == {f["path"] for f in manifest["files"]} - {"codebook.md"}
    assert package["version"] == manifest["dataset_sha256"][:12]


def test_export_datapackage_catches_a_changed_file_and_a_broken_reference(exported, tmp_path):
    import frictionless

    copy = tmp_path / "export"
    shutil.copytree(exported, copy)
    (copy / "goal.parquet").write_bytes((copy / "goal.parquet").read_bytes()[:-1] + b"!")
    goal_csv = (copy / "goal.csv").read_text(encoding="utf-8").splitlines()
    goal_csv[1] = re.sub(r",[0-9a-f]{16},", ",0000000000000000,", goal_csv[1], count=1)
    (copy / "goal.csv").write_text("\n".join(goal_csv) + "\n", encoding="utf-8")
    report = frictionless.validate(copy / "datapackage.json")
    errors = {(task.name, error.type) for task in report.tasks for error in task.errors}
    assert ("goal-parquet", "hash-count") in errors
    assert ("goal", "foreign-key") in errors


def test_export_csv_lists_and_timestamps_read_back_as_json_and_iso(exported):
    import csv

    rows = list(csv.DictReader((exported / "result_goal.csv").open(encoding="utf-8")))
    committees = [json.loads(r["committees"]) for r in rows if r["committees"]]
    assert committees and all(isinstance(c, list) and all(isinstance(x, str) for x in c) for c in committees)
    assert all(len(json.loads(r["bbox"])) == 4 for r in rows)
    extracted = [r["extracted_at"] for r in csv.DictReader((exported / "document.csv").open(encoding="utf-8"))]
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?", t) for t in extracted), extracted


@pytest.mark.parametrize("where", ["export", "repository"])
def test_export_citation_fits_the_citation_file_format_schema(exported, where):
    import jsonschema
    import yaml

    cff = yaml.safe_load(((exported if where == "export" else ROOT) / "CITATION.cff").read_text(encoding="utf-8"))
    cff = json.loads(json.dumps(cff, default=str))  # YAML dates as the strings the schema expects
    jsonschema.validate(cff, json.loads(CFF_SCHEMA.read_text(encoding="utf-8")))
    if where == "export":
        manifest = json.loads((exported / "manifest.json").read_text(encoding="utf-8"))
        assert cff["type"] == "dataset" and cff["authors"] == [{"name": "A. Researcher"}, {"name": "B. Researcher"}]
        assert cff["identifiers"][0]["value"] == f"sha256:{manifest['dataset_sha256']}"
        listed = {d["path"]: d["sha256"] for d in manifest["descriptors"]}
        for name in ("datapackage.json", "CITATION.cff"):
            assert hashlib.sha256((exported / name).read_bytes()).hexdigest() == listed[name]
