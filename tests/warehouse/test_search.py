"""Search: lemmatised Swedish full-text search over records and repaired page text, on real corpus PDFs."""
from __future__ import annotations

import shutil

import pdfplumber
import pytest
from click.testing import CliRunner

from extract.cli import main
from extract.pipeline import extract_file
from extract.warehouse.connection import connect
from extract.warehouse.load import load_extractions
from extract.warehouse.search import (
    SearchError, build_search_index, connect_for_search, search, search_index_is_current, texts_to_lemmas,
)

PDFS = ("katrineholm-halvtidsuppfoljning-2019-2022.pdf", "koping-handlingsplan-2023-malomrade-1.pdf",
        "ostersund-budget-2024.pdf")
HEALTH_GOAL = "Förbättrad hälsa för kommunens medarbetare"
pytestmark = pytest.mark.slow  # the module's warehouse is extracted from corpus PDFs


@pytest.fixture(scope="module")
def warehouse(corpus_pdfs, tmp_path_factory):
    db = tmp_path_factory.mktemp("search") / "plans.duckdb"
    report = load_extractions((extract_file(corpus_pdfs[name]) for name in PDFS), db)
    assert report.count("loaded") == len(PDFS), [d.error for d in report.documents]
    con = connect(db)
    build_search_index(con)
    con.close()
    return db


@pytest.fixture
def con(warehouse):
    con = connect(warehouse, read_only=True)
    yield con
    con.close()


def test_search_sjukfranvaro_kvinnor_finds_katrineholm_employee_health_goal(con):
    hits = search(con, "sjukfrånvaro kvinnor", limit=3)
    top = [(h.municipality, h.kind, h.title) for h in hits]
    assert ("Katrineholm", "result_goal", HEALTH_GOAL) in top
    hit = next(h for h in hits if h.title == HEALTH_GOAL)
    assert "sjukfrånvaron för både kvinnor och män" in hit.snippet
    assert hit.source_file.endswith("katrineholm-halvtidsuppfoljning-2019-2022.pdf") and hit.page_no == 25


def test_search_psykisk_ohalsa_ungdomar_finds_koping_and_ostersund_through_repaired_text(con, corpus_pdfs):
    hits = search(con, "psykisk ohälsa ungdomar", limit=10)
    assert any(h.municipality == "Köping" for h in hits[:3])
    ostersund = [h for h in hits if h.municipality == "Östersund" and h.kind == "page"]
    assert ostersund, [(h.municipality, h.kind) for h in hits]
    page_no = ostersund[0].page_no
    with pdfplumber.open(corpus_pdfs["ostersund-budget-2024.pdf"]) as pdf:
        printed = pdf.pages[page_no - 1].extract_text()
    assert "psykisk ohélsa" in printed and "psykisk ohälsa" not in printed
    assert "psykisk ohälsa" in ostersund[0].snippet


def test_search_inflected_forms_meet_on_one_lemma():
    assert texts_to_lemmas(["Sjukfrånvaron kvinnor ungdomarnas", "sjukfrånvaro kvinna ungdom"]) == \
        ["sjukfrånvaro kvinna ungdom"] * 2


def test_search_definite_form_query_finds_the_same_goal(con):
    assert search(con, "sjukfrånvaron", limit=5)[0].record_id == search(con, "sjukfrånvaro", limit=5)[0].record_id


def test_search_municipality_filter_by_name_or_code(con):
    by_name = search(con, "psykisk ohälsa ungdomar", municipality="köping", limit=20)
    by_code = search(con, "psykisk ohälsa ungdomar", municipality="1983", limit=20)
    assert by_name and {h.municipality for h in by_name} == {"Köping"}
    assert [h.record_id for h in by_name] == [h.record_id for h in by_code]
    with pytest.raises(SearchError, match="Katrineholm \\(0483\\)"):
        search(con, "hälsa", municipality="Atlantis")
    assert search(con, "hälsa", municipality="Stockholm") == []


def test_search_query_without_words_fails(con):
    with pytest.raises(SearchError, match="nothing to search for"):
        search(con, " -- ! ")


def test_search_index_rebuilt_when_documents_change(warehouse, tmp_path):
    db = tmp_path / "copy.duckdb"
    shutil.copy(warehouse, db)
    con = connect(db)
    assert search_index_is_current(con)
    con.execute("DELETE FROM result_goal WHERE title = ?", [HEALTH_GOAL])
    con.execute("UPDATE document SET extracted_at = extracted_at + INTERVAL 1 SECOND")
    assert not search_index_is_current(con)
    con.close()
    built = []
    con = connect_for_search(db, on_build=built.append)
    try:
        assert built and search_index_is_current(con)
        assert HEALTH_GOAL not in [h.title for h in search(con, "sjukfrånvaro kvinnor", limit=20)]
    finally:
        con.close()


def test_search_cli_prints_ranked_hits_with_document_and_page(warehouse):
    result = CliRunner().invoke(main, ["search", "sjukfrånvaro kvinnor", "--limit", "3", "--db", str(warehouse)])
    assert result.exit_code == 0, result.output
    assert HEALTH_GOAL in result.stdout and "katrineholm-halvtidsuppfoljning-2019-2022.pdf" in result.stdout
    assert "3 hits" in result.stdout


def test_search_cli_unknown_municipality_is_one_line_error(warehouse):
    result = CliRunner().invoke(main, ["search", "hälsa", "-m", "Atlantis", "--db", str(warehouse)])
    assert result.exit_code == 1
    assert result.stderr.startswith("plans: no municipality 'Atlantis'") and "Traceback" not in result.output
    assert "Köping (1983)" in result.stderr and "Stockholm" not in result.stderr


def test_search_cli_kommun_without_documents_finds_nothing(warehouse):
    """Every kommun is in the register; one whose documents are not loaded has no hits, not an error."""
    result = CliRunner().invoke(main, ["search", "hälsa", "-m", "Stockholm", "--db", str(warehouse)])
    assert result.exit_code == 0, result.output
    assert "0 hits" in result.stdout


def test_search_index_is_built_by_extract_so_search_only_reads(corpus_pdfs, tmp_path):
    """`plans extract` leaves the index current: the next `plans search` opens the warehouse read-only
    and builds nothing (so it also works while another process holds the warehouse for writing)."""
    db = tmp_path / "plans.duckdb"
    pdf = corpus_pdfs["koping-handlingsplan-2023-malomrade-1.pdf"]
    result = CliRunner().invoke(main, ["extract", str(pdf), "--db", str(db), "--jobs", "1"])
    assert result.exit_code == 0, result.output
    con = connect(db, read_only=True)
    try:
        assert search_index_is_current(con)
    finally:
        con.close()
    result = CliRunner().invoke(main, ["search", "trygghet", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "indexed" not in result.stderr and "hit" in result.stdout
