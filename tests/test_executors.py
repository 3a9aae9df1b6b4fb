"""Executors: a run that needs one worker parses in this process, tells each page, and keeps its time limit."""
from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from extract.executors import FileFailure, LocalExecutor, path_to_outcome
from extract.pipeline import PipelineSettings
from models import Extraction
from tests.conftest import process_is_running

ANGE = "ange-verksamhetsrapport-2023.pdf"
LIDKOPING = "lidkoping-utvecklingsmedel-webbsida.pdf"


def _pages_told(executor: LocalExecutor, paths: list[Path]) -> tuple[dict[Path, object], list[tuple]]:
    told: list[tuple] = []
    outcomes = dict(executor.run(paths, lambda path, page_no, pages: told.append((path.name, page_no, pages))))
    return outcomes, told


def test_executors_one_file_parses_in_this_process_and_tells_each_page(corpus_pdfs):
    pids: list[int] = []

    def task(path: str, settings: PipelineSettings, on_page=None):
        pids.append(os.getpid())
        return path_to_outcome(path, settings, on_page)

    executor = LocalExecutor(jobs=2, task=task, in_process=True)
    outcomes, told = _pages_told(executor, [corpus_pdfs[ANGE]])

    assert pids == [os.getpid()]
    assert isinstance(outcomes[corpus_pdfs[ANGE]], Extraction)
    assert told == [(ANGE, 1, 3), (ANGE, 2, 3), (ANGE, 3, 3)]


def test_executors_in_process_time_limit_stops_the_file_and_the_next_one_runs(corpus_pdfs):
    def task(path: str, settings: PipelineSettings, on_page=None):
        if Path(path).name == ANGE:
            time.sleep(60)
        return path_to_outcome(path, settings, on_page)

    before = signal.getsignal(signal.SIGALRM)
    executor = LocalExecutor(jobs=1, task=task, timeout=0.5, in_process=True)
    started = time.monotonic()
    outcomes = dict(executor.run([corpus_pdfs[ANGE], corpus_pdfs[LIDKOPING]]))

    failure = outcomes[corpus_pdfs[ANGE]]
    assert isinstance(failure, FileFailure) and failure.error_code == "timeout"
    assert ANGE in failure.message and "--timeout" in failure.message
    assert isinstance(outcomes[corpus_pdfs[LIDKOPING]], Extraction)
    assert time.monotonic() - started < 30
    assert signal.getsignal(signal.SIGALRM) == before
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


@pytest.mark.slow
def test_executors_workers_tell_each_page_before_the_outcome(corpus_pdfs):
    executor = LocalExecutor(jobs=2, in_process=True)
    outcomes, told = _pages_told(executor, [corpus_pdfs[ANGE], corpus_pdfs[LIDKOPING]])

    assert all(isinstance(o, Extraction) for o in outcomes.values())
    assert sorted(told) == [(ANGE, 1, 3), (ANGE, 2, 3), (ANGE, 3, 3), (LIDKOPING, 1, 2), (LIDKOPING, 2, 2)]


def task_that_works_forever(path: str, settings: PipelineSettings, on_page=None):
    """A file that keeps its worker busy without a page boundary (one enormous page)."""
    Path(f"{path}.pid").write_text(str(os.getpid()))
    while True:
        time.sleep(0.05)


@pytest.mark.slow  # starts a parent with two workers and kills it
def test_executors_workers_end_when_their_parent_is_killed(tmp_path):
    """kill -9 leaves the parent no chance to stop its workers: each watches a pipe only the parent
    holds and ends its process group when the pipe closes, instead of finishing a file nobody loads."""
    import subprocess
    import sys

    paths = [tmp_path / "a.pdf", tmp_path / "b.pdf"]
    parent = subprocess.Popen(
        [sys.executable, "-c",
         "import sys\nfrom pathlib import Path\nfrom extract.executors import LocalExecutor\n"
         "from tests.test_executors import task_that_works_forever\n"
         "executor = LocalExecutor(jobs=2, task=task_that_works_forever, timeout=None)\n"
         "for _ in executor.run([Path(p) for p in sys.argv[1:]]):\n    pass\n", *map(str, paths)],
        cwd=Path(__file__).resolve().parents[1])
    try:
        deadline = time.monotonic() + 120
        while not all(Path(f"{p}.pid").exists() for p in paths):
            assert time.monotonic() < deadline and parent.poll() is None, "the workers never started"
            time.sleep(0.1)
        workers = [int(Path(f"{p}.pid").read_text()) for p in paths]
        assert all(process_is_running(pid) for pid in workers)
        parent.kill()
        parent.wait()
        deadline = time.monotonic() + 20
        while any(process_is_running(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not any(process_is_running(pid) for pid in workers), "a worker outlived its killed parent"
    finally:
        parent.kill()
        for pid_file in tmp_path.glob("*.pid"):
            try:
                os.kill(int(pid_file.read_text()), signal.SIGKILL)
            except ProcessLookupError:
                pass
