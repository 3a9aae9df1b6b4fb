"""What crosses from a parser back to the run: an Extraction, a FileFailure, or a page done; and the
per-file task that produces them, with an in-process time limit for runs without workers."""
from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from extract.defaults import DOCUMENT_TIMEOUT
from extract.errors import PlansError, ReadError
from extract.pipeline import OnPage, PipelineSettings, extract_file
from models import Extraction

ERROR_CODES = (
    "missing", "not_a_file", "empty", "not_pdf", "unsupported", "not_utf8", "truncated", "broken", "encrypted",
    "zero_pages", "too_many_pages", "page_too_large", "unreadable", "timeout", "worker_crashed",
    "extraction_failed", "load_failed", "internal",
)
"""Stable names of the ways a file can fail, as stored in failure.error_code."""

DEFAULT_TIMEOUT = DOCUMENT_TIMEOUT


@dataclass(frozen=True)
class FileFailure:
    """Why one file produced no records: a stable code and one line naming the file and what to do."""

    error_code: str
    message: str


@dataclass(frozen=True)
class PageDone:
    """A page through the pipeline, sent by a worker ahead of its file's outcome so progress can count pages."""

    page_no: int
    pages: int | None


Outcome = Extraction | FileFailure
Task = Callable[[str, PipelineSettings, OnPage | None], Outcome]
OnFilePage = Callable[[Path, int, int | None], None]
"""Told (file, page number, pages in the file) as each page of a file is done."""


def path_to_outcome(path: str, settings: PipelineSettings, on_page: OnPage | None = None) -> Outcome:
    """The per-file work a worker does: the whole extraction chain, every failure turned into a FileFailure
    so that nothing but plain data crosses the process (or network) boundary."""
    try:
        return extract_file(Path(path), settings, on_page)
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

    def run(self, paths: list[Path], on_page: OnFilePage | None = None) -> Iterator[tuple[Path, Outcome]]:
        """Each path with its outcome, in the order they finish; `on_page` hears of pages as they are done
        where the executor can tell."""


def timeout_failure(path: Path, timeout: float) -> FileFailure:
    return FileFailure("timeout", f"{path}: not finished within {timeout:g} s, stopped; raise --timeout if the "
                       "file is just long, or check that it opens")


class _TimeUp(BaseException):
    """Raised by the alarm in the middle of a file; a BaseException, so no `except Exception` swallows it."""


def _time_up(signum, frame) -> None:
    raise _TimeUp


def outcome_within(task: Task, path: Path, settings: PipelineSettings, on_page: OnPage | None,
                   timeout: float | None) -> Outcome:
    """The task's outcome in this process, stopped by an alarm signal after `timeout` seconds. The alarm
    lands between Python steps: a C call that never returns is beyond it (worker processes are not)."""
    if not timeout or threading.current_thread() is not threading.main_thread():
        return task(str(path), settings, on_page)
    previous = signal.signal(signal.SIGALRM, _time_up)
    try:
        try:
            signal.setitimer(signal.ITIMER_REAL, timeout)
            return task(str(path), settings, on_page)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
    except _TimeUp:
        return timeout_failure(path, timeout)
    finally:
        signal.signal(signal.SIGALRM, previous)

