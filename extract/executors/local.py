"""Worker processes on this machine (or, for a run that needs only one, this process).

A worker is a process of its own rather than a pool slot: a document that hangs past the time limit
is ended by killing its worker, and a worker that dies (a crash in a C library, the OOM killer) costs
only the file it was reading. Workers are recycled after a number of files so memory stays bounded.
"""
from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import wait
from pathlib import Path

from extract.executors.outcome import (
    DEFAULT_TIMEOUT,
    FileFailure,
    OnFilePage,
    Outcome,
    PageDone,
    Task,
    outcome_within,
    path_to_outcome,
    timeout_failure,
)
from extract.pipeline import PipelineSettings

FILES_PER_WORKER = 50


def _worker_main(conn, alive, task: Task, settings: PipelineSettings, cwd: str) -> None:
    os.chdir(cwd)
    os.setpgid(0, 0)  # a group of its own, so a stopped worker's OCR processes are stopped with it
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle; it ends the workers
    logging.getLogger("pdfminer").setLevel(logging.ERROR)  # its repair warnings would bury the one-line failures
    threading.Thread(target=_end_with_parent, args=(alive,), daemon=True).start()
    _serve(conn, task, settings)


def _end_with_parent(alive) -> None:
    """Block on a pipe only the parent writes to (it never does): its end of file means the parent is
    gone, killed with -9 as well, so the worker and its group end at once instead of finishing a file
    nobody will load."""
    try:
        alive.recv()
    except (EOFError, OSError):
        pass
    try:
        os.killpg(0, signal.SIGKILL)
    finally:
        os._exit(1)


def _serve(conn, task: Task, settings: PipelineSettings) -> None:
    def on_page(page_no: int, pages: int | None) -> None:
        conn.send(PageDone(page_no, pages))

    while True:
        try:
            path = conn.recv()
        except EOFError:
            return
        if path is None:
            return
        outcome = task(path, settings, on_page)
        try:
            conn.send(outcome)
        except Exception as error:  # an extraction that cannot be pickled is a bug, not a lost worker
            conn.send(FileFailure("internal", f"{path}: internal error (result not transferable: {error}); "
                                              "please report it with this file"))


@dataclass
class _Worker:
    process: multiprocessing.process.BaseProcess
    conn: object
    alive: object
    """The parent's end of the worker's watchdog pipe, closed only once the worker has ended."""
    path: Path | None = None
    deadline: float = float("inf")
    done: int = 0


def _exit_description(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        try:
            return f"killed by signal {signal.Signals(-exitcode).name}"
        except ValueError:
            return f"killed by signal {-exitcode}"
    return f"exit status {exitcode}"


@dataclass
class LocalExecutor:
    """Worker processes on this machine, one file at a time each, with a per-file time limit.

    With `in_process`, a run that would use one worker (one file to parse, or jobs=1) parses in this
    process instead: no worker to start and warm up, every core for the file's OCR; a crash in a C
    library then ends the run rather than one file."""

    jobs: int
    settings: PipelineSettings = field(default_factory=PipelineSettings)
    timeout: float | None = DEFAULT_TIMEOUT
    task: Task = path_to_outcome
    files_per_worker: int = FILES_PER_WORKER
    in_process: bool = False

    def __post_init__(self) -> None:
        # forkserver: workers fork from a clean process that has the pipeline imported once, so they start
        # fast and inherit neither the parent's DuckDB connection nor its threads (the progress bar).
        self._context = multiprocessing.get_context("forkserver")
        self._context.set_forkserver_preload(["extract.executors.local", "extract.warm"])
        self._on_page: OnFilePage | None = None
        # Tesseract threads per worker: all workers together run about one per core, not jobs x cores.
        ocr_jobs = max(1, (os.cpu_count() or 1) // max(self.jobs, 1))
        self.worker_settings = self.settings.model_copy(
            update={"ocr": self.settings.ocr.model_copy(update={"jobs": ocr_jobs})})

    def _start_worker(self) -> _Worker:
        parent_end, child_end = self._context.Pipe()
        alive_reader, alive_writer = self._context.Pipe(duplex=False)
        process = self._context.Process(target=_worker_main, args=(child_end, alive_reader, self.task,
                                                                        self.worker_settings, os.getcwd()),
                                        daemon=False)  # the OCR stage starts processes of its own
        process.start()
        child_end.close()
        alive_reader.close()
        return _Worker(process, parent_end, alive_writer)

    @staticmethod
    def _kill_group(worker: _Worker) -> None:
        try:
            os.killpg(worker.process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        worker.process.kill()

    def _stop_worker(self, worker: _Worker, kill: bool) -> None:
        if kill:
            self._kill_group(worker)
        else:
            try:
                worker.conn.send(None)
            except OSError:
                worker.process.kill()
        worker.process.join(timeout=5)
        if worker.process.is_alive():
            self._kill_group(worker)
            worker.process.join()
        worker.conn.close()
        worker.alive.close()

    def _assign(self, worker: _Worker, path: Path) -> None:
        worker.path = path
        worker.deadline = time.monotonic() + self.timeout if self.timeout else float("inf")
        worker.conn.send(str(path))

    def run(self, paths: list[Path], on_page: OnFilePage | None = None) -> Iterator[tuple[Path, Outcome]]:
        if self.in_process and (self.jobs == 1 or len(paths) == 1):
            yield from self._run_here(paths, on_page)
            return
        self._on_page = on_page
        pending = deque(paths)
        idle: list[_Worker] = []
        busy: list[_Worker] = []
        try:
            while pending or busy:
                while pending and len(busy) < self.jobs:
                    worker = idle.pop() if idle else self._start_worker()
                    self._assign(worker, pending.popleft())
                    busy.append(worker)
                next_deadline = min(w.deadline for w in busy)
                wait_for = None if next_deadline == float("inf") else max(next_deadline - time.monotonic(), 0)
                wait([w.conn for w in busy] + [w.process.sentinel for w in busy], timeout=wait_for)
                for worker in list(busy):
                    finished = self._collect(worker)
                    if finished is None:
                        continue
                    busy.remove(worker)
                    path, outcome, alive = finished
                    worker.path, worker.deadline = None, float("inf")
                    if alive and worker.done < self.files_per_worker:
                        idle.append(worker)
                    elif alive:
                        self._stop_worker(worker, kill=False)
                    yield path, outcome
        finally:
            for worker in idle:
                self._stop_worker(worker, kill=False)
            for worker in busy:
                self._stop_worker(worker, kill=True)

    def _run_here(self, paths: list[Path], on_page: OnFilePage | None) -> Iterator[tuple[Path, Outcome]]:
        logging.getLogger("pdfminer").setLevel(logging.ERROR)
        for path in paths:
            told = (lambda page_no, pages, path=path: on_page(path, page_no, pages)) if on_page else None
            yield path, outcome_within(self.task, path, self.settings, told, self.timeout)

    def _collect(self, worker: _Worker) -> tuple[Path, Outcome, bool] | None:
        """The worker's outcome if it has one (a result, a crash or a timeout); None while it is still working.
        Page messages that came ahead of it go to the run's `on_page`."""
        path = worker.path
        try:
            while worker.conn.poll():
                message = worker.conn.recv()
                if isinstance(message, PageDone):
                    if self._on_page is not None:
                        self._on_page(path, message.page_no, message.pages)
                    continue
                worker.done += 1
                return path, message, True
        except (EOFError, OSError):
            pass
        if not worker.process.is_alive() or worker.process.exitcode is not None:
            worker.process.join()
            self._kill_group(worker)  # whatever the dead worker had started
            worker.conn.close()
            worker.alive.close()
            return path, FileFailure("worker_crashed", f"{path}: the worker reading it died "
                                     f"({_exit_description(worker.process.exitcode)}); the rest of the batch went "
                                     "on; please report it with this file"), False
        if time.monotonic() >= worker.deadline:
            self._stop_worker(worker, kill=True)
            return path, timeout_failure(path, self.timeout), False
        return None
