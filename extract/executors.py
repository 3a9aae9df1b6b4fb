"""Where files are parsed: worker processes on this machine, or an existing Dask cluster.

A worker is a process of its own rather than a pool slot: a document that hangs past the time limit
is ended by killing its worker, and a worker that dies (a crash in a C library, the OOM killer) costs
only the file it was reading. Workers are recycled after a number of files so memory stays bounded.
Nothing but plain data crosses the process (or network) boundary: an Extraction, or a FileFailure.
"""
from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import wait
from pathlib import Path
from typing import Protocol

from extract.defaults import DOCUMENT_TIMEOUT
from extract.errors import PlansError, ReadError
from extract.pipeline import PipelineSettings, extract_file
from models import Extraction

ERROR_CODES = (
    "missing", "not_a_file", "empty", "not_pdf", "unsupported", "not_utf8", "truncated", "broken", "encrypted",
    "zero_pages", "too_many_pages", "page_too_large", "unreadable", "timeout", "worker_crashed",
    "extraction_failed", "load_failed", "internal",
)
"""Stable names of the ways a file can fail, as stored in failure.error_code."""

DEFAULT_TIMEOUT = DOCUMENT_TIMEOUT
DASK_POLL_SECONDS = 1.0
"""How often a Dask batch asks the scheduler which files are running, to enforce the time limit."""
FILES_PER_WORKER = 50


@dataclass(frozen=True)
class FileFailure:
    """Why one file produced no records: a stable code and one line naming the file and what to do."""

    error_code: str
    message: str


Outcome = Extraction | FileFailure
Task = Callable[[str, PipelineSettings], Outcome]


def path_to_outcome(path: str, settings: PipelineSettings) -> Outcome:
    """The per-file work a worker does: the whole extraction chain, every failure turned into a FileFailure
    so that nothing but plain data crosses the process (or network) boundary."""
    try:
        return extract_file(Path(path), settings)
    except ReadError as error:
        return FileFailure(error.code, error.message)
    except PlansError as error:
        return FileFailure(getattr(error, "code", "extraction_failed"), error.message)
    except Exception as error:  # a bug on one file must not cost the others
        return FileFailure("internal", f"{path}: internal error ({type(error).__name__}: {error}); "
                                       "please report it with this file")


class Executor(Protocol):
    settings: PipelineSettings
    """What every file is extracted with (its rules folder decides which loaded files are current)."""

    def run(self, paths: list[Path]) -> Iterator[tuple[Path, Outcome]]:
        """Each path with its outcome, in the order they finish."""


def _worker_main(conn, task: Task, settings: PipelineSettings, cwd: str) -> None:
    os.chdir(cwd)
    os.setpgid(0, 0)  # a group of its own, so a stopped worker's OCR processes are stopped with it
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle; it ends the workers
    logging.getLogger("pdfminer").setLevel(logging.ERROR)  # its repair warnings would bury the one-line failures
    _serve(conn, task, settings)


def _serve(conn, task: Task, settings: PipelineSettings) -> None:
    while True:
        try:
            path = conn.recv()
        except EOFError:
            return
        if path is None:
            return
        outcome = task(path, settings)
        try:
            conn.send(outcome)
        except Exception as error:  # an extraction that cannot be pickled is a bug, not a lost worker
            conn.send(FileFailure("internal", f"{path}: internal error (result not transferable: {error}); "
                                              "please report it with this file"))


@dataclass
class _Worker:
    process: multiprocessing.process.BaseProcess
    conn: object
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
    """Worker processes on this machine, one file at a time each, with a per-file time limit."""

    jobs: int
    settings: PipelineSettings = field(default_factory=PipelineSettings)
    timeout: float | None = DEFAULT_TIMEOUT
    task: Task = path_to_outcome
    files_per_worker: int = FILES_PER_WORKER

    def __post_init__(self) -> None:
        # forkserver: workers fork from a clean process that has the pipeline imported once, so they start
        # fast and inherit neither the parent's DuckDB connection nor its threads (the progress bar).
        self._context = multiprocessing.get_context("forkserver")
        self._context.set_forkserver_preload(["extract.executors", "extract.warm"])
        # Tesseract processes per worker: all workers together start about one per core, not jobs x cores.
        ocr_jobs = max(1, (os.cpu_count() or 1) // max(self.jobs, 1))
        self.worker_settings = self.settings.model_copy(
            update={"ocr": self.settings.ocr.model_copy(update={"jobs": ocr_jobs})})

    def _start_worker(self) -> _Worker:
        parent_end, child_end = self._context.Pipe()
        process = self._context.Process(target=_worker_main, args=(child_end, self.task, self.worker_settings,
                                                                        os.getcwd()),
                                        daemon=False)  # the OCR stage starts processes of its own
        process.start()
        child_end.close()
        return _Worker(process, parent_end)

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

    def _assign(self, worker: _Worker, path: Path) -> None:
        worker.path = path
        worker.deadline = time.monotonic() + self.timeout if self.timeout else float("inf")
        worker.conn.send(str(path))

    def run(self, paths: list[Path]) -> Iterator[tuple[Path, Outcome]]:
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

    def _collect(self, worker: _Worker) -> tuple[Path, Outcome, bool] | None:
        """The worker's outcome if it has one (a result, a crash or a timeout); None while it is still working."""
        path = worker.path
        try:
            if worker.conn.poll():
                worker.done += 1
                return path, worker.conn.recv(), True
        except (EOFError, OSError):
            pass
        if not worker.process.is_alive() or worker.process.exitcode is not None:
            worker.process.join()
            self._kill_group(worker)  # whatever the dead worker had started
            worker.conn.close()
            return path, FileFailure("worker_crashed", f"{path}: the worker reading it died "
                                     f"({_exit_description(worker.process.exitcode)}); the rest of the batch went "
                                     "on; please report it with this file"), False
        if time.monotonic() >= worker.deadline:
            self._stop_worker(worker, kill=True)
            return path, FileFailure("timeout", f"{path}: not finished within {self.timeout:g} s, stopped; raise "
                                     "--timeout if the file is just long, or check that it opens"), False
        return None


@dataclass
class DaskExecutor:
    """The same per-file task on an existing Dask distributed cluster; workers must see the same paths.

    A file's time limit counts from when the scheduler reports its task running; past it the task is
    cancelled and its worker restarted through its nanny (a thread cannot be stopped any other way),
    so a hanging file costs one restart, not a worker for good."""

    scheduler: str
    settings: PipelineSettings = field(default_factory=PipelineSettings)
    timeout: float | None = DEFAULT_TIMEOUT
    task: Task = path_to_outcome
    poll_seconds: float = DASK_POLL_SECONDS

    def run(self, paths: list[Path]) -> Iterator[tuple[Path, Outcome]]:
        try:
            from distributed import Client
        except ImportError:
            raise PlansError("--executor dask needs the dask extra: pip install 'municipal-plans[dask]'") from None
        try:
            client = Client(self.scheduler, timeout="10s")
        except (OSError, TimeoutError) as error:
            raise PlansError(f"cannot reach the Dask scheduler at {self.scheduler}: {error}; check --scheduler")
        try:
            futures = {client.submit(self.task, str(path.resolve()), self.settings, pure=False): path
                       for path in paths}
            yield from self._collect(client, futures)
        finally:
            client.close()

    def _collect(self, client, futures: dict) -> Iterator[tuple[Path, Outcome]]:
        from distributed import wait as dask_wait

        running_since: dict[str, float] = {}
        left = set(futures)
        while left:
            try:
                dask_wait(list(left), timeout=self.poll_seconds if self.timeout else None,
                          return_when="FIRST_COMPLETED")
            except TimeoutError:  # nothing finished in this poll: time to look for overdue files
                pass
            for future in [f for f in left if f.done()]:
                left.discard(future)
                yield futures[future], self._outcome(futures[future], future)
            if self.timeout and left:
                yield from self._stop_overdue(client, futures, left, running_since)

    @staticmethod
    def _outcome(path: Path, future) -> Outcome:
        try:
            return future.result()
        except Exception as error:  # KilledWorker and the like: the file's failure, not the run's
            return FileFailure("worker_crashed", f"{path}: the Dask worker reading it failed "
                               f"({type(error).__name__}: {error}); please report it with this file")

    def _stop_overdue(self, client, futures: dict, left: set, running_since: dict[str, float]):
        now = time.monotonic()
        on_worker = {key: worker for worker, keys in client.processing().items() for key in keys}
        for future in list(left):
            if future.key not in on_worker:  # queued, or moved after a restart: its clock starts again
                running_since.pop(future.key, None)
                continue
            started = running_since.setdefault(future.key, now)
            if now - started < self.timeout:
                continue
            left.discard(future)
            client.cancel([future], force=True)
            try:
                client.restart_workers([on_worker[future.key]], raise_for_error=False)
            except Exception:  # a worker without a nanny cannot be restarted; its thread runs on unattended
                pass
            path = futures[future]
            yield path, FileFailure("timeout", f"{path}: not finished within {self.timeout:g} s, stopped; raise "
                                    "--timeout if the file is just long, or check that it opens")
