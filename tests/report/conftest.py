"""The report's warehouse (three corpus PDFs), the report written from it, and headless Chromium."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from extract.cli import main
from extract.pipeline import extract_file
from extract.warehouse.load import load_extractions

REPORT_PDFS = (
    "katrineholm-halvtidsuppfoljning-2019-2022.pdf",
    "koping-handlingsplan-2023-malomrade-1.pdf",
    "ange-verksamhetsrapport-2023.pdf",
)
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--hide-scrollbars")


@pytest.fixture(scope="session")
def warehouse(corpus_pdfs, tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("report") / "plans.duckdb"
    load_extractions((extract_file(corpus_pdfs[name]) for name in REPORT_PDFS), db)
    return db


@pytest.fixture(scope="session")
def report(warehouse) -> Path:
    out = warehouse.parent / "out" / "report.html"
    result = CliRunner().invoke(main, ["report", "--db", str(warehouse), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


def chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        pytest.fail("headless Chromium is needed to test the report: apt-get install -y chromium")
    return path
