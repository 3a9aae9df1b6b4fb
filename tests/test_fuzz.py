"""Fuzzing: any text through the text stages, mutated corpus PDFs through the batch runner.

Any text must come out as an extraction (never an exception) and noise must not turn into records;
any mutation of a real PDF must end either in records or in one clean failure row.
"""
from __future__ import annotations

import itertools
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extract.batch import ERROR_CODES, LocalExecutor, run_batch
from extract.pipeline import extract_file
from extract.warehouse.connection import connect
from extract.reading.read import file_to_sha256

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "corpus" / "sources"
ANGE = ROOT / "corpus" / "pdf" / "ange-verksamhetsrapport-2023.pdf"
RECORD_KINDS = ("goals", "result_goals", "assignments", "indicators", "activities")
SOURCE_LINES = sorted({line for path in SOURCES.glob("*.txt")
                       for line in path.read_text(encoding="utf-8").splitlines() if line.strip()})


def text_to_extraction(text: str):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.txt"
        path.write_text(text, encoding="utf-8")
        return extract_file(path)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=2000))
def test_fuzz_text_any_text_extracts_and_invents_no_records(text):
    extraction = text_to_extraction(text)
    assert extraction.document.pages >= 1
    assert {kind: len(getattr(extraction, kind)) for kind in RECORD_KINDS} == dict.fromkeys(RECORD_KINDS, 0)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.sampled_from(SOURCE_LINES), st.text(max_size=80)), max_size=60),
       st.sampled_from(["\n", "\n\n", "\f"]))
def test_fuzz_text_shuffled_plan_lines_and_noise_never_raise(lines, separator):
    extraction = text_to_extraction(separator.join(lines))
    for goal in extraction.goals:
        assert goal.title.strip()
    assert extraction.document.pages == max(1, separator.join(lines).count("\f") + 1)


@st.composite
def mutated_pdf(draw, data: bytes) -> bytes:
    """A real PDF with bytes flipped, cut short, or a stretch of itself spliced in elsewhere."""
    size = len(data)
    kind = draw(st.sampled_from(["flip", "truncate", "splice"]))
    if kind == "flip":
        mutated = bytearray(data)
        for offset, value in draw(st.lists(st.tuples(st.integers(0, size - 1), st.integers(0, 255)),
                                           min_size=1, max_size=40)):
            mutated[offset] = value
        return bytes(mutated)
    if kind == "truncate":
        return data[: draw(st.integers(0, size - 1))]
    start = draw(st.integers(0, size - 1))
    stretch = data[start: start + draw(st.integers(1, 4096))]
    at = draw(st.integers(0, size))
    return data[:at] + stretch + data[at + draw(st.integers(0, 4096)):]


@pytest.fixture(scope="module")
def fuzz_warehouse(tmp_path_factory):
    folder = tmp_path_factory.mktemp("fuzz")
    con = connect(folder / "plans.duckdb")
    yield folder, con
    con.close()


_names = itertools.count()


@pytest.mark.slow
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(pdf=mutated_pdf(ANGE.read_bytes()))
def test_fuzz_mutated_pdf_ends_in_records_or_one_clean_failure_row(fuzz_warehouse, pdf):
    folder, con = fuzz_warehouse
    path = folder / f"mutant-{next(_names)}.pdf"
    path.write_bytes(pdf)
    report = run_batch([path], con, LocalExecutor(jobs=1, timeout=30))
    (result,) = report.results
    failures = con.execute("SELECT error_code, message FROM failure WHERE run_id = ?", [report.run_id]).fetchall()
    if result.status == "failed":
        assert len(failures) == 1
        code, message = failures[0]
        assert code in ERROR_CODES and code not in ("internal", "worker_crashed"), message
        assert path.name in message and "\n" not in message
        assert con.execute("SELECT count(*) FROM document WHERE source_file LIKE ?",
                           [f"%{path.name}"]).fetchone() == (0,)
    else:
        assert failures == []
        assert result.status in ("loaded", "replaced", "unchanged", "skipped")
        pages = con.execute("SELECT count(*) FROM page JOIN document USING (document_id) WHERE sha256 = ?",
                            [file_to_sha256(path)]).fetchone()[0]
        assert pages >= 1

