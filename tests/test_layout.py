"""Package layout: the extraction chain stands without the warehouse, the evaluation and the report."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
HEAVY = "m == 'duckdb' or m.startswith(('extract.evaluation', 'extract.warehouse', 'extract.report'))"


def imported_after(module: str) -> list[str]:
    """The heavy modules a fresh interpreter has loaded after importing `module`."""
    code = f"import json, sys, {module}; print(json.dumps(sorted(m for m in sys.modules if {HEAVY})))"
    run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120,
                         check=False)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


@pytest.mark.parametrize("module", ["extract.pipeline", "extract.records.extraction", "extract.reading.read",
                                    "extract.text.repair", "extract.rules.base"])
def test_layout_extraction_chain_imports_no_duckdb_evaluation_warehouse_or_report(module):
    assert imported_after(module) == []


def test_layout_check_sees_the_heavy_packages():
    """The probe itself finds duckdb and the warehouse when they are imported."""
    found = imported_after("extract.warehouse.load")
    assert "duckdb" in found and "extract.warehouse.load" in found
