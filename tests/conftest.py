"""Shared fixtures: the corpus PDFs and their gold, built on demand when a PDF is missing."""
from __future__ import annotations

import importlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
PDF_DIR = CORPUS / "pdf"
GOLD_DIR = CORPUS / "gold"
SOURCES_DIR = CORPUS / "sources"

CORPUS_PDFS = (
    "katrineholm-halvtidsuppfoljning-2019-2022.pdf",
    "koping-handlingsplan-2023-malomrade-1.pdf",
    "ostersund-budget-2024.pdf",
    "ostersund-budget-2024-bildskanning.pdf",
    "ange-verksamhetsrapport-2023.pdf",
    "lidkoping-utvecklingsmedel-webbsida.pdf",
)


def pdf_with_objects(objects: list[bytes]) -> bytes:
    """A PDF of the given objects (numbered from 1, the first the catalog) with its cross-reference
    table, written in one pass so that hundreds of thousands of objects take under a second."""
    parts, offsets, size = [b"%PDF-1.4\n"], [], 9
    for number, obj in enumerate(objects, start=1):
        chunk = b"%d 0 obj\n" % number + obj + b"\nendobj\n"
        offsets.append(size)
        parts.append(chunk)
        size += len(chunk)
    parts.append(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    parts.append(b"".join(b"%010d 00000 n \n" % o for o in offsets))
    parts.append(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, size))
    return b"".join(parts)


def process_is_running(pid: int) -> bool:
    """Whether the process runs (a zombie has ended; only its exit status waits to be collected)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


def hold_lock(db: Path, seconds: float) -> subprocess.Popen:
    """Another process holding the warehouse open for writing, as a running `plans extract` does."""
    code = (f"import duckdb, sys, time; con = duckdb.connect({str(db)!r}); print('held', flush=True); "
            f"time.sleep({seconds}); con.close()")
    holder = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "held"
    return holder


def builder_names(missing: list[str]) -> list[str]:
    """Builder module names for the missing PDFs: the municipality before the first dash."""
    return sorted({name.split("-", 1)[0] for name in missing})


def build_with_modules(names: list[str]) -> None:
    """Fallback when corpus/builder has no __main__: call build() of each builder module."""
    for path in sorted((CORPUS / "builder").glob("*.py")):
        if path.stem.startswith("_") or path.stem not in names:
            continue
        module = importlib.import_module(f"corpus.builder.{path.stem}")
        if hasattr(module, "build"):
            module.build()


class CorpusPdfs(dict):
    """PDF paths by file name; looking up one that is still missing fails the test with the build log."""

    def __init__(self, paths: dict[str, Path], logs: dict[str, str]):
        super().__init__(paths)
        self.logs = logs

    def __getitem__(self, name: str) -> Path:
        path = super().__getitem__(name)
        if not path.exists():
            log = self.logs.get(builder_names([name])[0], "")
            pytest.fail(f"corpus PDF {name} missing after `python -m corpus.builder`: {log}")
        return path


@pytest.fixture(scope="session")
def corpus_pdfs() -> CorpusPdfs:
    """Every corpus PDF by file name; missing ones are built first, one builder at a time, so a broken
    builder fails only the tests of its own PDFs."""
    missing = [name for name in CORPUS_PDFS if not (PDF_DIR / name).exists()]
    logs = {}
    for name in builder_names(missing):
        if (CORPUS / "builder" / "__main__.py").exists():
            run = subprocess.run([sys.executable, "-m", "corpus.builder", name], cwd=ROOT,
                                 capture_output=True, text=True)
            logs[name] = f"exit {run.returncode}: {run.stderr.strip().splitlines()[-1:] or run.stdout}"
        else:
            build_with_modules([name])
    return CorpusPdfs({name: PDF_DIR / name for name in CORPUS_PDFS}, logs)


@pytest.fixture(scope="session")
def gold():
    """Gold records of a corpus PDF, by PDF file name."""
    def load(pdf_name: str) -> dict:
        return json.loads((GOLD_DIR / pdf_name.replace(".pdf", ".json")).read_text(encoding="utf-8"))
    return load


@pytest.fixture(scope="session")
def segmented_pdf(corpus_pdfs):
    """A corpus PDF read and segmented (raw text, no repair), once per test session."""
    from extract.reading.read import read_document
    from extract.records.segment import layout_to_segments

    cache: dict[str, object] = {}

    def segment(pdf_name: str):
        if pdf_name not in cache:
            cache[pdf_name] = layout_to_segments(read_document(corpus_pdfs[pdf_name]))
        return cache[pdf_name]
    return segment
