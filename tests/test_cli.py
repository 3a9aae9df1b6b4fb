"""The `plans` command: help, one-line errors with exit 1, query formats, export round trip, real extracts."""
from __future__ import annotations

import csv
import hashlib
import io
import json
import sys
from pathlib import Path

import duckdb
import pypdfium2
import pytest
from click.testing import CliRunner

from extract.cli import main
from extract.warehouse.load import load_extractions

sys.path.insert(0, str(Path(__file__).parent / "warehouse"))
from test_load import CONTRACT, make_extraction  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "corpus" / "sources"
PDFS = sorted((ROOT / "corpus" / "pdf").glob("*.pdf"))


def run(*args: str):
    return CliRunner().invoke(main, list(args), env={"PLANS_DB": None})


HEAVY = ("pdfplumber", "pypdfium2", "spacy", "cv2", "tesserocr", "wordfreq", "extract.pipeline")


@pytest.mark.parametrize("argv", [["--help"], ["extract", "--help"], ["query", "--help"], ["eval", "--help"]])
def test_cli_help_loads_no_readers_or_language_data(argv):
    """Help is printed from the command line's own module: no PDF reader, OCR engine, language data or
    warehouse driver is imported for it (each command imports what it uses when it runs)."""
    import subprocess

    code = (f"import sys\nfrom extract.cli import main\ntry:\n    main({argv!r})\nexcept SystemExit:\n    pass\n"
            f"print(sorted(m for m in {HEAVY + ('duckdb',)!r} if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert done.stdout.strip().splitlines()[-1] == "[]", done.stdout[-300:]


@pytest.fixture
def warehouse(tmp_path) -> Path:
    db = tmp_path / "plans.duckdb"
    load_extractions([make_extraction("a.pdf"), make_extraction("b.pdf", code="1983", name="Köping")], db)
    return db


@pytest.mark.parametrize("command", [[], ["extract"], ["query"], ["export"], ["eval"]])
def test_cli_help_exits_zero_with_an_example(command):
    result = run(*command, "--help")
    assert result.exit_code == 0, result.output
    assert "Usage: " in result.output
    if command:
        assert "Example:" in result.output and f"plans {command[0]} " in result.output


def test_cli_query_on_missing_warehouse_is_one_line_exit_1(tmp_path):
    db = tmp_path / "none.duckdb"
    result = run("query", "select 1", "--db", str(db))
    assert result.exit_code == 1
    assert result.stderr == f"plans: no warehouse at {db}; run 'plans extract corpus/pdf' first\n"
    assert "Traceback" not in result.output
    assert not db.exists()


def test_cli_query_bad_sql_is_one_line_exit_1(warehouse):
    result = run("query", "selec * from document", "--db", str(warehouse))
    assert result.exit_code == 1
    assert result.stderr.startswith("plans: query failed: Parser Error: syntax error")
    assert result.stderr.count("\n") == 1
    assert "Traceback" not in result.output


def test_cli_query_cannot_write_to_the_warehouse(warehouse):
    result = run("query", "delete from document", "--db", str(warehouse))
    assert result.exit_code == 1 and result.stderr.startswith("plans: query failed: ")
    assert len(duckdb.connect(str(warehouse), read_only=True).execute("select * from document").fetchall()) == 2


def test_cli_extract_missing_path_names_it(tmp_path):
    missing = tmp_path / "no-such-plan.pdf"
    result = run("extract", str(missing), "--db", str(tmp_path / "plans.duckdb"))
    assert result.exit_code != 0
    assert str(missing) in result.stderr
    assert "Traceback" not in result.output


def test_cli_extract_without_paths_is_a_usage_error(tmp_path):
    assert run("extract", "--db", str(tmp_path / "p.duckdb")).exit_code == 2


def test_cli_query_csv_output(warehouse):
    result = run("query", "select code, name from municipality where code in (select municipality_code from "
                 "document) order by code", "--db", str(warehouse), "--format", "csv")
    assert result.exit_code == 0, result.output
    assert list(csv.reader(io.StringIO(result.stdout))) == [["code", "name"], ["0483", "Katrineholm"],
                                                            ["1983", "Köping"]]


def test_cli_query_json_output(warehouse):
    result = run("query", "select source_file, pages, period_start, extracted_at from document order by 1",
                 "--db", str(warehouse), "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert rows[0] == {"source_file": "a.pdf", "pages": 2, "period_start": "2019-01-01",
                       "extracted_at": "2024-05-01 12:00:00"}
    assert [r["source_file"] for r in rows] == ["a.pdf", "b.pdf"]


def test_cli_query_table_output_shows_columns_and_row_count(warehouse):
    result = run("query", "select code, name from municipality where county = 'Västmanlands län' order by code",
                 "--db", str(warehouse))
    assert result.exit_code == 0, result.output
    assert "code" in result.stdout and "Köping" in result.stdout and "Kiruna" not in result.stdout
    assert "10 rows" in result.stdout


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_cli_export_round_trips_every_table(warehouse, tmp_path, fmt):
    out = tmp_path / "export"
    result = run("export", "--format", fmt, str(out), "--db", str(warehouse))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == sorted([f"{t}.{fmt}" for t in CONTRACT]
                                                           + ["CITATION.cff", "codebook.md", "datapackage.json",
                                                              "manifest.json", "views"])
    import frictionless

    assert frictionless.validate(out / "datapackage.json").valid
    source = duckdb.connect(str(warehouse), read_only=True)
    fresh = duckdb.connect()
    reader = "read_parquet" if fmt == "parquet" else "read_csv_auto"
    for table in CONTRACT:
        expected = source.execute(f"select count(*) from {table}").fetchone()[0]
        loaded = fresh.execute(f"select count(*) from {reader}('{out / (table + '.' + fmt)}')").fetchone()[0]
        assert loaded == expected, table
    if fmt == "parquet":
        bbox = fresh.execute(f"select bbox from read_parquet('{out}/goal.parquet') limit 1").fetchone()[0]
        assert bbox == [10.0, 21.0, 300.0, 40.5]


@pytest.mark.slow
def test_cli_extract_source_texts_then_query_pages_per_municipality(tmp_path):
    db = tmp_path / "plans.duckdb"
    result = run("extract", str(SOURCES), "--db", str(db))
    assert result.exit_code == 0, result.output
    files = sorted(SOURCES.glob("*.txt"))
    for path in files:
        assert path.name in result.stdout
    assert result.stdout.count("loaded") == len(files)

    query = ("select d.municipality_code, count(*) from page join document d using (document_id) "
             "group by 1 order by 1")
    result = run("query", query, "--db", str(db), "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.stdout)))[1:]
    assert {code for code, _ in rows} >= {"0483", "1983", "2260", "2380"}
    assert sum(int(n) for _, n in rows) >= len(files)

    again = run("extract", str(SOURCES), "--db", str(db))
    assert again.exit_code == 0
    assert f"0 new or changed, {len(files)} skipped as unchanged, 0 failed" in again.stdout


@pytest.mark.slow
def test_cli_extract_reports_failed_file_and_exits_1(tmp_path):
    good = tmp_path / "in" / "plan.txt"
    good.parent.mkdir()
    good.write_text((SOURCES / "koping-handlingsplan-2023-malomrade-1.txt").read_text(encoding="utf-8"),
                    encoding="utf-8")
    broken = tmp_path / "in" / "broken.pdf"
    broken.write_bytes(b"this is not a pdf")
    db = tmp_path / "plans.duckdb"
    result = run("extract", str(good.parent), "--db", str(db))
    assert result.exit_code == 1
    assert "failed" in result.stdout and "loaded" in result.stdout
    failure_lines = [line for line in result.stderr.splitlines() if line.startswith("plans: ")]
    assert len(failure_lines) == 1 and "broken.pdf" in failure_lines[0]
    assert "Traceback" not in result.output
    docs = duckdb.connect(str(db), read_only=True).execute("select source_file from document").fetchall()
    assert docs == [(str(good),)]


@pytest.mark.slow
@pytest.mark.parametrize("pdf", PDFS, ids=[p.stem for p in PDFS])
def test_cli_extract_corpus_pdf_loads_every_page(tmp_path, pdf):
    db = tmp_path / "plans.duckdb"
    result = run("extract", str(pdf), "--db", str(db))
    assert result.exit_code == 0, result.output
    con = duckdb.connect(str(db), read_only=True)
    sha, pages = con.execute("select sha256, pages from document").fetchone()
    page_rows = con.execute("select count(*) from page").fetchone()[0]
    assert sha == hashlib.sha256(pdf.read_bytes()).hexdigest()
    assert pages == page_rows == len(pypdfium2.PdfDocument(str(pdf)))


@pytest.mark.slow
def test_cli_text_prints_repaired_text_and_raw_text_on_request():
    source = Path(__file__).resolve().parents[1] / "corpus" / "sources" / "ostersund-budget-2024-kommunovergripande-mal-ocr.txt"
    repaired = CliRunner().invoke(main, ["text", str(source)])
    raw = CliRunner().invoke(main, ["text", str(source), "--raw"])
    assert repaired.exit_code == 0 and raw.exit_code == 0
    assert "── page 1 (text_file) ──" in repaired.output
    assert "I Östersunds kommun har en hållbar tillväxt där alla känner sig delaktiga" in repaired.output
    assert "I Ostersunds kommun har en héllbar tillvaxt dér alla kanner sig delaktiga" in raw.output


def test_cli_text_names_a_missing_file_in_one_line():
    result = CliRunner().invoke(main, ["text", "no-such-file.pdf"])
    assert result.exit_code == 1
    assert result.output.strip().count("\n") == 0 and "no-such-file.pdf" in result.output
    assert "Traceback" not in result.output


def test_cli_output_into_a_closed_pipe_ends_quietly():
    """`plans text FILE | head -1`: the reader stops early; no 'Broken pipe' line, exit status 0."""
    import subprocess

    pdf = Path(__file__).resolve().parents[1] / "corpus" / "pdf" / "katrineholm-halvtidsuppfoljning-2019-2022.pdf"
    process = subprocess.Popen([sys.executable, "-c", "from extract.cli import main; main()", "text", str(pdf)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout.readline().startswith(b"\xe2\x94\x80\xe2\x94\x80 page 1")
    process.stdout.close()
    stderr = process.stderr.read()
    assert process.wait(timeout=120) == 0
    assert b"Broken pipe" not in stderr and b"Traceback" not in stderr


def test_cli_interrupt_during_a_warehouse_query_is_an_interrupt(tmp_path, monkeypatch):
    """DuckDB turns Ctrl-C during a query into RuntimeError('Query interrupted') raised from the
    KeyboardInterrupt: the command still ends with its one line and exit 130, no traceback."""
    import extract.batch

    def interrupted(*args, **kwargs):
        raise RuntimeError("Query interrupted") from KeyboardInterrupt()

    monkeypatch.setattr(extract.batch, "run_batch", interrupted)
    result = run("extract", str(PDFS[0]), "--db", str(tmp_path / "plans.duckdb"), "--jobs", "1")
    assert result.exit_code == 130
    assert result.stderr.strip().splitlines()[-1].startswith("plans: interrupted")
    assert "Traceback" not in result.output


def test_cli_version_names_the_tool_and_its_version():
    from extract import __version__

    result = run("--version")
    assert result.exit_code == 0
    assert result.stdout == f"plans {__version__}\n"


ROW_COMMANDS = [["query", "select code, name from municipality order by code limit 3"], ["tables"], ["schema", "goal"],
                ["search", "mål"]]


@pytest.mark.parametrize("command", ROW_COMMANDS, ids=lambda c: c[0])
@pytest.mark.parametrize("flags", [["--csv"], ["--format", "csv"], ["--json"], ["--format", "json"], ["--nl"],
                                   ["--format", "nl"]], ids=" ".join)
def test_cli_every_command_that_prints_rows_takes_the_same_formats(warehouse, command, flags):
    result = run(*command, "--db", str(warehouse), *flags)
    assert result.exit_code == 0, result.output
    fmt = flags[-1].lstrip("-")
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(result.stdout)))
    elif fmt == "json":
        rows = json.loads(result.stdout)
    else:
        rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert rows and all(isinstance(row, dict) and len(row) >= 2 for row in rows)
    table = run(*command, "--db", str(warehouse))
    assert table.exit_code == 0 and "┃" in table.stdout


def test_cli_query_reads_sql_from_stdin_and_shows_null_and_lists(warehouse):
    sql = "select null as missing, '' as empty, ['KS', 'BMN'] as committees"
    result = CliRunner().invoke(main, ["query", "-", "--db", str(warehouse)], input=sql, env={"PLANS_DB": None})
    assert result.exit_code == 0, result.output
    assert "NULL" in result.stdout and '["KS", "BMN"]' in result.stdout
    as_csv = CliRunner().invoke(main, ["query", "-", "--db", str(warehouse), "--csv"], input=sql,
                                env={"PLANS_DB": None})
    assert list(csv.reader(io.StringIO(as_csv.stdout))) == [["missing", "empty", "committees"],
                                                            ["", "", '["KS", "BMN"]']]


def test_cli_query_error_keeps_duckdbs_hint_on_its_one_line(warehouse):
    result = run("query", "select * from goals", "--db", str(warehouse))
    assert result.exit_code == 1
    assert result.stderr.startswith("plans: query failed: Catalog Error: Table with name goals does not exist!")
    assert 'Did you mean "goal"' in result.stderr and result.stderr.count("\n") == 1


def test_cli_tables_and_schema_describe_the_warehouse(warehouse):
    tables = {row["name"]: row for row in json.loads(run("tables", "--db", str(warehouse), "--json").stdout)}
    assert tables["document"] == {"name": "document", "kind": "table", "rows": 2}
    assert any(row["kind"] == "view" for row in tables.values())
    columns = json.loads(run("schema", "goal", "--db", str(warehouse), "--json").stdout)
    assert {"goal_id", "title"} <= {c["column"] for c in columns} and {c["table"] for c in columns} == {"goal"}
    missing = run("schema", "goals", "--db", str(warehouse))
    assert missing.exit_code == 1 and missing.stderr == "plans: no table or view named 'goals'; list them with `plans tables`\n"


def test_cli_query_prints_time_zone_values(tmp_path):
    """DuckDB hands TIMESTAMP WITH TIME ZONE values (now(), read_text's last_modified) to Python through pytz."""
    db = tmp_path / "plans.duckdb"
    duckdb.connect(str(db)).close()
    result = run("query", "--db", str(db), "--csv", "SELECT now() IS NOT NULL AS ok, typeof(now()) AS t")
    assert result.exit_code == 0, result.output
    assert result.output == "ok,t\nTrue,TIMESTAMP WITH TIME ZONE\n"
