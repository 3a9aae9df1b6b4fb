"""The report's filter bar, heatmap cells and records table, clicked in headless Chromium: what is
visible after each action is what the warehouse holds for that choice."""
from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import duckdb
import pytest
from PIL import Image

from extract.report.builder import ReportBuilder
from extract.report.data import RECORD_KINDS, ReportData
from models.registry import RECORD_TYPES_BY_NAME
from tests.report.conftest import chromium

pytestmark = pytest.mark.slow  # the report's warehouse is extracted from corpus PDFs


@pytest.fixture(scope="module")
def page(report):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium(), args=["--no-sandbox", "--disable-gpu"])
        tab = browser.new_page(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
        errors: list[str] = []
        tab.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        tab.on("pageerror", lambda error: errors.append(str(error)))
        tab.goto(report.resolve().as_uri())
        tab.errors = errors
        yield tab
        browser.close()


@pytest.fixture(autouse=True)
def cleared(page):
    page.click("#filters button[type=reset]")
    yield
    assert page.errors == [] and page.get_attribute("html", "data-report-errors") is None, page.errors


def records(warehouse, where: str = "true") -> set[str]:
    """Ids of goals and of every record kind the report lists, joined to their document."""
    kinds = ("goal", *RECORD_KINDS)
    union = " UNION ALL ".join(f"SELECT {RECORD_TYPES_BY_NAME[k].id_field} AS id, document_id, "
                               f"{'status' if 'status' in RECORD_TYPES_BY_NAME[k].model.model_fields else 'NULL'} "
                               f"AS status FROM {k}" for k in kinds)
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return {r[0] for r in con.execute(f"SELECT r.id FROM ({union}) r JOIN document d USING (document_id) "
                                          f"WHERE {where}").fetchall()}
    finally:
        con.close()


def shown_ids(page) -> set[str]:
    return set(page.eval_on_selector_all("#records tbody tr:not([hidden])", "rows => rows.map(r => r.dataset.id)"))


def test_filters_municipality_narrows_table_and_goal_trees(page, warehouse):
    assert shown_ids(page) == records(warehouse)
    page.select_option("select[name=m]", label="Köping")
    assert shown_ids(page) == records(warehouse, "d.municipality_code = '1983'")
    visible = page.eval_on_selector_all("section.municipality:not([hidden])", "s => s.map(x => x.id)")
    assert visible == ["m-1983"]
    assert page.locator("li.rec:visible").count() > 0
    koping = records(warehouse, "d.municipality_code = '1983'")
    assert page.text_content("#shown") == f"{len(koping)} of {len(records(warehouse))} records"


def test_filters_status_and_text_combine(page, warehouse):
    page.select_option("select[name=s]", "ongoing")
    ongoing = records(warehouse, "r.status = 'ongoing'")
    assert ongoing and shown_ids(page) == ongoing
    assert all(s == "ongoing" for s in page.eval_on_selector_all(
        "li.rec:not([hidden])", "items => items.filter(i => i.offsetParent).map(i => i.dataset.s)"))
    title = page.text_content("#records tbody tr:not([hidden]) td.title")
    word = max(title.split(), key=len)
    page.fill("input[name=q]", word.upper())
    page.keyboard.press("Enter")  # the form never submits: a submit would be blocked and recorded as an error
    found = shown_ids(page)
    assert found and found < ongoing
    assert all(word.lower() in t.lower() for t in page.eval_on_selector_all(
        "#records tbody tr:not([hidden])", "rows => rows.map(r => r.textContent)"))
    page.select_option("select[name=s]", "none")
    unmarked = records(warehouse, "r.status IS NULL AND r.id IN (SELECT goal_id FROM goal UNION ALL "
                       "SELECT result_goal_id FROM result_goal UNION ALL SELECT assignment_id FROM assignment)")
    assert shown_ids(page) <= unmarked


def test_filters_heatmap_cell_opens_its_records(page, warehouse):
    cell = page.locator("table.heat button").first
    municipality, theme, count = cell.get_attribute("data-open-m"), cell.get_attribute("data-open-t"), cell.text_content()
    cell.click()
    assert page.input_value("select[name=m]") == municipality and page.input_value("select[name=t]") == theme
    scheme, code = theme.split(":")
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        coded = {r[0] for r in con.execute("SELECT record_id FROM theme WHERE scheme = ? AND code = ?",
                                           [scheme, code]).fetchall()}
    finally:
        con.close()
    expected = records(warehouse, f"d.municipality_code = '{municipality}'") & coded
    assert shown_ids(page) == expected and len(expected) == int(count)


def test_filters_csv_download_holds_the_rows_shown(page, warehouse, tmp_path):
    page.select_option("select[name=m]", label="Katrineholm")
    page.select_option("select[name=s]", "done")
    with page.expect_download() as download:
        page.click("#download-csv")
    path = tmp_path / "records.csv"
    download.value.save_as(path)
    rows = list(csv.DictReader(path.open(encoding="utf-8", newline="")))
    assert rows and {r["record_id"] for r in rows} == shown_ids(page)
    assert {r["record_id"] for r in rows} == records(warehouse, "d.municipality_code = '0483' AND r.status = 'done'")
    assert all(r["municipality"] == "Katrineholm" and r["status"] == "done" and r["title"] for r in rows)
    assert all(r["source_file"].endswith("katrineholm-halvtidsuppfoljning-2019-2022.pdf") for r in rows)


def test_filters_screenshot_shows_the_bar_over_a_narrowed_page(page, tmp_path):
    page.select_option("select[name=m]", label="Ånge")
    page.locator("#records").scroll_into_view_if_needed()
    shot = tmp_path / "filtered.png"
    page.screenshot(path=str(shot))
    image = Image.open(shot).convert("RGB")
    bar = page.locator("#filters").bounding_box()
    assert bar["y"] >= 0 and bar["height"] > 30, "the filter bar is not on screen after scrolling"
    assert len(image.crop((int(bar["x"]), int(bar["y"]), int(bar["x"] + bar["width"]),
                           int(bar["y"] + bar["height"]))).getcolors(1 << 16)) > 20, "the filter bar is blank"


def test_filters_documents_with_one_title_are_told_apart_by_file_name():
    documents = [{"document_id": i, "title": "Årsredovisning 2023", "source_file": f"in/{name}",
                  "municipality_code": "0483"} for i, name in (("a", "ar-2023.pdf"), ("b", "ar-2023-rev.pdf"))]
    documents.append({"document_id": "c", "title": "Budget 2024", "source_file": "in/budget.pdf",
                      "municipality_code": "0483"})
    data = ReportData(municipalities=[], documents=documents, goals=[], records={k: [] for k in RECORD_KINDS},
                      values={}, legend=[], themes=[])
    builder = ReportBuilder(data, Path("."), dt.datetime(2026, 1, 1))
    assert [builder.document_label(i) for i in "abc"] == [
        "Årsredovisning 2023 (ar-2023.pdf)", "Årsredovisning 2023 (ar-2023-rev.pdf)", "Budget 2024"]
