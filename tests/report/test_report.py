"""The HTML report: self-contained, loads in headless Chromium without errors, shows charts and marks."""
from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

import duckdb
import pytest
from click.testing import CliRunner
from PIL import Image

from extract.cli import main
from extract.report import warehouse_to_html
from tests.report.conftest import CHROMIUM_FLAGS, REPORT_PDFS, chromium

STATUS_COLOURS = {"achieved/done": (0x00, 0x99, 0x4D), "partially/ongoing": (0xFF, 0xBF, 0x00),
                  "not achieved/not done": (0xD6, 0x2E, 0x21)}
pytestmark = pytest.mark.slow  # the module's warehouse is extracted from corpus PDFs


def run_chromium(*args: str) -> subprocess.CompletedProcess:
    with tempfile.TemporaryDirectory(prefix="chromium-") as profile:
        return subprocess.run([chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args],
                              capture_output=True, text=True, timeout=60)


def load_in_chromium(page: Path) -> tuple[str, list[str]]:
    """The DOM after the page's scripts ran, and the console messages Chromium logged for the page."""
    run = run_chromium("--enable-logging=stderr", "--v=0", "--dump-dom", page.resolve().as_uri())
    assert run.returncode == 0, run.stderr[-2000:]
    return run.stdout, [line for line in run.stderr.splitlines() if ":CONSOLE" in line]


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.refs: list[tuple[str, str, dict[str, str]]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in ("src", "href", "xlink:href", "action", "poster", "data"):
            if attrs.get(name):
                self.refs.append((tag, attrs[name], attrs))


def test_report_references_nothing_outside_the_file_but_its_source_pdfs(report):
    html = report.read_text(encoding="utf-8")
    parser = Links()
    parser.feed(html)
    external = [ref for _, ref, _ in parser.refs if re.match(r"(?i)(https?:|//|ftp:)", ref)]
    assert external == []
    assert not re.search(r"(?i)url\(\s*['\"]?(https?:|//)", html)
    assert not re.search(r"(?i)@import", html)
    sources = [(ref, attrs) for tag, ref, attrs in parser.refs if tag == "a" and "src" in attrs.get("class", "")]
    files = {Path(unquote(ref.split("#")[0])) for ref, _ in sources}
    assert {p.name for p in files} == set(REPORT_PDFS)
    assert all((report.parent / p).resolve().is_file() for p in files)


def test_report_links_every_record_to_its_document_page(report, warehouse):
    html = report.read_text(encoding="utf-8")
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        records = con.execute("""
            WITH rows AS (
                SELECT title, page_no, document_id FROM result_goal
                UNION ALL SELECT title, page_no, document_id FROM assignment
                UNION ALL SELECT title, page_no, document_id FROM activity
                UNION ALL SELECT name, page_no, document_id FROM indicator
                UNION ALL SELECT title, page_no, document_id FROM goal)
            SELECT r.title, r.page_no, d.source_file FROM rows r JOIN document d USING (document_id)""").fetchall()
    finally:
        con.close()
    assert len(records) > 200
    page_links = re.findall(r'<a class="src" href="([^"]+)#page=(\d+)"', html)
    assert len(page_links) >= len(records)
    linked = {(Path(unquote(href)).name, int(page)) for href, page in page_links}
    assert {(Path(source).name, page) for _, page, source in records} <= linked


def test_report_marks_katrineholm_result_goals_in_their_status_colour(report, warehouse):
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        colour, page = con.execute("SELECT status_color, page_no FROM result_goal "
                                   "WHERE title = 'Förbättrat företagsklimat'").fetchone()
    finally:
        con.close()
    items = re.findall(r'<li class="rec result_goal"[^>]*>.*?</li>', report.read_text(encoding="utf-8"), re.S)
    item = next((i for i in items if "Förbättrat företagsklimat" in i), None)
    assert item, "Katrineholm's result goal 'Förbättrat företagsklimat' is missing from the tree"
    assert f'class="mark" style="--c:{colour}"' in item
    assert re.search(rf'href="[^"]*katrineholm-halvtidsuppfoljning-2019-2022\.pdf#page={page}"', item)


def test_report_loads_in_chromium_without_console_errors_and_draws_the_charts(report):
    dom, console = load_in_chromium(report)
    assert console == [], console
    root = re.search(r"<html[^>]*>", dom).group(0)
    assert "data-report-errors" not in root, root
    ready = re.search(r'data-report-ready="(\d+)"', dom)
    assert ready and int(ready.group(1)) >= 3, "the report's script did not run or drew fewer than 3 charts"
    assert len(re.findall(r'<svg class="chart"', dom)) >= 3
    assert len(re.findall(r"<rect ", dom)) > 20


def test_report_error_capture_sees_a_script_error_and_a_blocked_fetch(report, tmp_path):
    broken = tmp_path / "broken.html"
    broken.write_text(report.read_text(encoding="utf-8").replace(
        "</main>", '</main><img src="https://example.org/x.png"><script>notDefined();</script>'), encoding="utf-8")
    dom, console = load_in_chromium(broken)
    errors = re.search(r'data-report-errors="([^"]*)"', dom)
    assert errors and "notDefined" in errors.group(1) and "example.org" in errors.group(1)
    assert any("notDefined" in line for line in console)


def test_report_screenshot_shows_charts_in_the_status_colours(report):
    shot = report.parent / "report.png"
    run = run_chromium(f"--screenshot={shot}", "--window-size=1400,2000", report.resolve().as_uri())
    assert run.returncode == 0 and shot.exists(), run.stderr[-2000:]
    image = Image.open(shot).convert("RGB")
    assert image.size == (1400, 2000)
    colours = image.getcolors(maxcolors=1 << 20)
    assert len(colours) > 500, "the screenshot is nearly blank"
    counts = {rgb: n for n, rgb in colours}
    for name, rgb in STATUS_COLOURS.items():
        assert counts.get(rgb, 0) > 200, f"no {name} bars in the screenshot"


def test_report_without_theme_coding_says_so(warehouse, tmp_path):
    copy = tmp_path / "plans.duckdb"
    shutil.copy(warehouse, copy)
    con = duckdb.connect(str(copy))
    try:
        assert con.execute("SELECT count(*) FROM theme").fetchone()[0] > 0
        assert "No theme coding loaded" not in warehouse_to_html(con, tmp_path)
        con.execute("DELETE FROM theme")
        assert "No theme coding loaded" in warehouse_to_html(con, tmp_path)
        con.execute("DROP TABLE theme CASCADE")
        html = warehouse_to_html(con, tmp_path)
    finally:
        con.close()
    assert "No theme coding loaded" in html
    assert 'class="chip' not in html


def test_report_written_from_another_folder_links_to_files_that_exist(warehouse, tmp_path, monkeypatch):
    """Documents carry their absolute path as well as the path given, so a report written anywhere
    links to the PDFs themselves."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    out = tmp_path / "reports" / "report.html"
    result = CliRunner().invoke(main, ["report", "--db", str(warehouse), "--out", str(out)])
    assert result.exit_code == 0, result.output
    hrefs = set(re.findall(r'<a class="src" href="([^"#]+)#page=\d+"', out.read_text(encoding="utf-8")))
    assert {Path(unquote(h)).name for h in hrefs} == set(REPORT_PDFS)
    assert all((out.parent / unquote(h)).resolve().is_file() for h in hrefs)
