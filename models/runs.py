"""What the warehouse records about its own batches: one row per run, one per file that failed."""
from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict


class Run(BaseModel):
    model_config = ConfigDict(extra="forbid")

    run_id: str
    started_at: dt.datetime
    finished_at: dt.datetime | None = None
    files: int
    loaded: int = 0
    skipped: int = 0
    failed: int = 0
    extractor_version: str


class Failure(BaseModel):
    model_config = ConfigDict(extra="forbid")

    run_id: str
    source_file: str
    error_code: str
    """A stable name for the kind of failure (extract.batch.ERROR_CODES)."""
    message: str
