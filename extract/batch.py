"""Batch runs: many files parsed in parallel, loaded through one writer, skipping what is already loaded.

Parsing happens in worker processes or on a Dask cluster (extract.executors); only this process
writes to the warehouse, one document per transaction, so DuckDB's single-writer rule holds and a
file that fails leaves the warehouse exactly as it was. Every run and every failed file is recorded in
the `run` and `failure` tables.
"""
from __future__ import annotations

import datetime as dt
import time
import uuid
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import duckdb

from extract import __version__
from extract.errors import ReadError, path_to_text
from extract.executors import (
    DEFAULT_TIMEOUT,
    ERROR_CODES,
    DaskExecutor,
    Executor,
    FileFailure,
    LocalExecutor,
    OnFilePage,
    Outcome,
    path_to_outcome,
)
from extract.reading.read import check_regular_file, file_to_sha256, path_to_media, path_to_source_file
from extract.rules import rules_hash
from extract.warehouse.connection import WarehouseError
from extract.warehouse.load import (
    DocumentLoad,
    count_run,
    extraction_to_counts,
    finish_run,
    load_extraction,
    loaded_sha256s,
    record_failure,
    start_run,
)
from extract.warehouse.search import build_search_index, search_index_is_current
from extract.warehouse.writer import Warehouse

__all__ = ["DEFAULT_TIMEOUT", "ERROR_CODES", "BatchReport", "DaskExecutor", "FileResult", "LocalExecutor",
           "path_to_outcome", "run_batch"]

FileStatus = Literal["loaded", "replaced", "unchanged", "skipped", "failed"]


@dataclass
class FileResult:
    path: Path
    status: FileStatus
    load: DocumentLoad | None = None
    error_code: str | None = None
    message: str | None = None
    municipality: str = "-"
    doc_type: str = "-"
    notices: list[str] = field(default_factory=list)


@dataclass
class BatchReport:
    run_id: str
    results: list[FileResult] = field(default_factory=list)
    seconds: float = 0.0

    def count(self, *statuses: FileStatus) -> int:
        return sum(1 for r in self.results if r.status in statuses)

    @property
    def loaded(self) -> int:
        return self.count("loaded", "replaced")

    @property
    def skipped(self) -> int:
        return self.count("skipped", "unchanged")

    @property
    def failed(self) -> list[FileResult]:
        return [r for r in self.results if r.status == "failed"]


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def _load_outcome(con: duckdb.DuckDBPyConnection, path: Path, outcome: Outcome) -> FileResult:
    if isinstance(outcome, FileFailure):
        return FileResult(path, "failed", error_code=outcome.error_code, message=outcome.message)
    # The worker may run elsewhere (another folder, another machine): name the file as this process sees it.
    outcome.document.source_file = path_to_source_file(path)
    outcome.document.source_path = path_to_text(Path(path).resolve().as_posix())
    municipality = outcome.municipality.name if outcome.municipality else (outcome.document.municipality_code or "-")
    try:
        load, _ = load_extraction(con, outcome)
    except WarehouseError as error:
        return FileResult(path, "failed", error_code="load_failed", message=error.message, municipality=municipality,
                          doc_type=outcome.document.doc_type,
                          load=DocumentLoad(source_file=outcome.document.source_file, sha256=outcome.document.sha256,
                                            status="failed", counts=extraction_to_counts(outcome)))
    return FileResult(path, load.status, load=load, municipality=municipality, doc_type=outcome.document.doc_type,
                      notices=list(outcome.notices))


def _load_beside(outcomes: Iterable[tuple[Path, Outcome]], load: Callable[[Path, Outcome], None],
                 warehouse: Warehouse) -> None:
    """Each document loaded in a thread of its own while the next is parsed: DuckDB lets go of the
    interpreter while it writes and checkpoints, so a load costs the run little beside a parse. One
    document waits at most; a failed load stops the run as it would in turn. Stopped (Ctrl-C), the
    run lets a load under way finish and one waiting for the warehouse's lock give up."""
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="plans-load") as loader:
        loading: Future | None = None
        try:
            for path, outcome in outcomes:
                if loading is not None:
                    loading.result()
                loading = loader.submit(load, path, outcome)
            if loading is not None:
                loading.result()
        except BaseException:
            warehouse.stop.set()
            raise


def run_batch(files: Iterable[Path], warehouse: Warehouse | duckdb.DuckDBPyConnection, executor: Executor,
              on_result: Callable[[FileResult], None] | None = None,
              on_page: OnFilePage | None = None) -> BatchReport:
    """Parse the files not yet loaded by this extractor and these rules, load each as it arrives, record the run.

    Files are told apart by content (sha256), so an unchanged file is skipped without being opened by
    the parser, however it is named; a file whose content changed, or that was loaded by another
    extractor or rules version, is parsed again and replaces its old rows in one transaction. The
    search index is brought up to date before the run ends. Given a `Warehouse`, the run writes in its
    turns (anyone who waits gets in between documents) and lets go of it as it ends; given an open
    connection, it uses that one.
    `on_result` hears of each file as it settles, `on_page` of each page as it is done (where the
    executor can tell).
    """
    turn = warehouse.turn if isinstance(warehouse, Warehouse) else lambda: nullcontext(warehouse)
    files = list(files)
    started = time.perf_counter()
    report = BatchReport(run_id=uuid.uuid4().hex[:16])
    with turn() as con:
        start_run(con, report.run_id, _now(), len(files), __version__)
        done = loaded_sha256s(con, __version__, rules_hash(executor.settings.rules_dir))

    def settle(result: FileResult, con: duckdb.DuckDBPyConnection | None = None) -> None:
        report.results.append(result)
        if result.status == "failed":
            with nullcontext(con) if con is not None else turn() as failures:
                record_failure(failures, report.run_id, path_to_source_file(result.path), result.error_code,
                               result.message)
                count_run(failures, report.run_id, report.loaded, report.skipped, len(report.failed))
        elif con is not None:  # a document was just loaded on this connection
            count_run(con, report.run_id, report.loaded, report.skipped, len(report.failed))
        if on_result is not None:
            on_result(result)

    to_parse: list[Path] = []
    first: dict[str, Path] = {}
    for path in files:
        try:
            check_regular_file(path)  # before hashing: a pipe or a device would block or never end
            sha256 = file_to_sha256(path)
        except ReadError as error:
            settle(FileResult(path, "failed", error_code=error.code, message=error.message))
            continue
        except OSError as error:
            settle(FileResult(path, "failed", error_code="unreadable",
                              message=f"{path_to_text(path)}: cannot be read ({error.strerror}); check its permissions"))
            continue
        if sha256 in done:
            settle(FileResult(path, "skipped"))
            continue
        if sha256 in first:  # the same bytes under another name: parsed once, loaded under the first name
            settle(FileResult(path, "skipped", message=f"{path_to_text(path)}: same content as "
                                                       f"{path_to_text(first[sha256])}, which this run reads"))
            continue
        first[sha256] = path
        try:
            path_to_media(path)  # a file that is no PDF fails here at once, before any worker starts
        except ReadError as error:
            settle(FileResult(path, "failed", error_code=error.code, message=error.message))
            continue
        to_parse.append(path)

    def load(path: Path, outcome: Outcome) -> None:
        with turn() as con:
            settle(_load_outcome(con, path, outcome), con)

    if isinstance(warehouse, Warehouse):
        try:
            _load_beside(executor.run(to_parse, on_page), load, warehouse)
            _finish(turn, report)
        finally:
            warehouse.close()
    else:  # a connection the caller holds stays in the caller's thread
        for path, outcome in executor.run(to_parse, on_page):
            load(path, outcome)
        _finish(turn, report)
    report.seconds = time.perf_counter() - started
    return report


def _finish(turn: Callable, report: BatchReport) -> None:
    with turn() as con:
        finish_run(con, report.run_id, _now(), report.loaded, report.skipped, len(report.failed))
        if report.loaded and not search_index_is_current(con):
            build_search_index(con)  # before the run ends, so `search` only reads
