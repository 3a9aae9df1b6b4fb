"""Where files are parsed: worker processes on this machine, this process, or an existing Dask cluster.

Nothing but plain data crosses the process (or network) boundary: an Extraction, a FileFailure, or
word that a page is done.
"""
from extract.executors.cluster import DASK_POLL_SECONDS, DaskExecutor
from extract.executors.local import FILES_PER_WORKER, LocalExecutor
from extract.executors.outcome import (
    DEFAULT_TIMEOUT,
    ERROR_CODES,
    Executor,
    FileFailure,
    OnFilePage,
    Outcome,
    PageDone,
    Task,
    outcome_within,
    path_to_outcome,
)

__all__ = ["DASK_POLL_SECONDS", "DEFAULT_TIMEOUT", "ERROR_CODES", "FILES_PER_WORKER", "DaskExecutor", "Executor",
           "FileFailure", "LocalExecutor", "OnFilePage", "Outcome", "PageDone", "Task", "outcome_within",
           "path_to_outcome"]
