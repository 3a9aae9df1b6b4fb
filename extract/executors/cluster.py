"""The per-file task on an existing Dask distributed cluster."""
from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from extract.errors import PlansError
from extract.executors.outcome import (
    DEFAULT_TIMEOUT,
    FileFailure,
    OnFilePage,
    Outcome,
    Task,
    path_to_outcome,
    timeout_failure,
)
from extract.pipeline import PipelineSettings

DASK_POLL_SECONDS = 1.0
"""How often a Dask batch asks the scheduler which files are running, to enforce the time limit."""


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

    def run(self, paths: list[Path], on_page: OnFilePage | None = None) -> Iterator[tuple[Path, Outcome]]:
        """`on_page` is not told: the cluster's workers report files, not pages."""
        try:
            from distributed import Client
        except ImportError:
            raise PlansError("--executor dask needs the dask extra: pip install 'municipal-plans[dask]'") from None
        try:
            client = Client(self.scheduler, timeout="10s")
        except (OSError, TimeoutError) as error:
            raise PlansError(f"cannot reach the Dask scheduler at {self.scheduler}: {error}; check --scheduler")
        try:
            futures = {client.submit(self.task, str(path.resolve()), self.settings, None, pure=False): path
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
            yield futures[future], timeout_failure(futures[future], self.timeout)
