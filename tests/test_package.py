"""The built wheel is the tool: installed into a fresh virtual environment, `plans` reads a corpus PDF
from a folder that has nothing of the checkout in it."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from tests.conftest import GOLD_DIR, ROOT

pytestmark = pytest.mark.slow  # builds a wheel and a virtual environment

SOURCES = ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md", "extract", "models", "rules")
RUNTIME_DATA = ("extract/warehouse/codebook.yaml", "extract/report/report.css", "extract/report/behaviour.js")
PDF = "ange-verksamhetsrapport-2023.pdf"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """Built from a copy of the distributed sources, so nothing else in the checkout can leak in."""
    src = tmp_path_factory.mktemp("src")
    for name in SOURCES:
        copy = shutil.copytree if (ROOT / name).is_dir() else shutil.copy
        copy(ROOT / name, src / name, *([shutil.ignore_patterns("__pycache__")] if copy is shutil.copytree else []))
    dist = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
                    "-w", str(dist), str(src)], check=True, capture_output=True)
    (built,) = dist.glob("*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> Path:
    """A fresh virtual environment with the wheel installed; the dependencies (not this project) come
    from the test environment's site-packages through a path file, whose own path files, the checkout's
    editable hook among them, Python does not run."""
    venv = tmp_path_factory.mktemp("venv")
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, capture_output=True)
    python = venv / "bin" / "python"
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                          check=True, capture_output=True, text=True).stdout.strip()
    (Path(site) / "test_dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    subprocess.run([str(python), "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(wheel)],
                   check=True, capture_output=True)
    return venv


def test_package_wheel_carries_every_rule_file_and_runtime_data(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    rules = {f"extract/rules/data/{p.relative_to(ROOT / 'rules').as_posix()}"
             for p in (ROOT / "rules").rglob("*.yaml")}
    assert rules and rules <= names, sorted(rules - names)
    assert set(RUNTIME_DATA) <= names, sorted(set(RUNTIME_DATA) - names)


def test_package_installed_plans_extracts_a_corpus_pdf_from_an_unrelated_folder(installed, corpus_pdfs,
                                                                                tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    shutil.copy(corpus_pdfs[PDF], elsewhere / PDF)
    plans = str(installed / "bin" / "plans")
    where = subprocess.run([str(installed / "bin" / "python"), "-c",
                            "import extract, extract.rules as r; print(extract.__file__); print(r.RULES_DIR)"],
                           cwd=elsewhere, check=True, capture_output=True, text=True).stdout.split()
    assert all(Path(p).is_relative_to(installed) for p in where), where

    run = subprocess.run([plans, "extract", PDF, "--db", "plans.duckdb"], cwd=elsewhere,
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    counts = subprocess.run([plans, "query", "--db", "plans.duckdb", "--json",
                             "SELECT (SELECT count(*) FROM goal) AS goals, (SELECT count(*) FROM activity) AS activities"],
                            cwd=elsewhere, check=True, capture_output=True, text=True).stdout
    gold = json.loads((GOLD_DIR / PDF.replace(".pdf", ".json")).read_text())
    assert json.loads(counts) == [{"goals": len(gold["goals"]), "activities": len(gold["activities"])}]
