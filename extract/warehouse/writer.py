"""The warehouse as a batch writes to it: held between documents, let go for whoever waits.

Closing a DuckDB file checkpoints it, and a checkpoint writes the tables' key indexes out whole, so
its cost grows with the warehouse (in the scaled corpus 42 ms a close after 30 documents, 210 ms after
180): a batch that closed the warehouse after every document paid that for every document. A batch
therefore keeps the warehouse open from one document to the next, and lets go of it while no
document is being written:
- as soon as the document being written is in when another process marks that it waits
  (`connection.connect_waiting` does: `plans query`, `search`, `report`, `export` and a second batch),
  so that it gets in within one document's load;
- at the latest once it has held the warehouse `hold_seconds`, or HOLD_SHARE times as long as its
  last checkpoint took if that is longer, so that other programs get in between documents too and
  checkpoints take a bounded share of the run.
"""
from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from extract.warehouse.connection import WarehouseError, connect_waiting, first_line, others_waiting

HOLD_SECONDS = 2.0
HOLD_SHARE = 20.0
"""Held at least this many times as long as the last checkpoint took: checkpoints then take at most
one part in twenty of a long run."""
GIVE_WAY_SECONDS = 2.0
"""The longest a batch gives way before opening again to another process that marked it waits."""
WATCH_SECONDS = 0.05
"""How often the holder looks for a mark that someone waits."""


class Warehouse:
    """A warehouse file a batch writes to in turns (`turn`), held between turns as the module says,
    and let go for good by `close` (or leaving a `with` block)."""

    def __init__(self, path: Path, lock_timeout: float = 30.0, hold_seconds: float = HOLD_SECONDS) -> None:
        self.path = Path(path)
        self.lock_timeout = lock_timeout
        self.hold_seconds = hold_seconds
        self.stop = threading.Event()
        """Set when the run is stopped: a turn still waiting for the lock gives up."""
        self._lock = threading.Lock()
        self._closed = threading.Event()
        self._con: duckdb.DuckDBPyConnection | None = None
        self._opened_at = 0.0
        self._hold = hold_seconds
        self._schema_done = False
        self._failure: WarehouseError | None = None
        self._watcher: threading.Thread | None = None

    @contextmanager
    def turn(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """The open warehouse for one document's writes (opened, or waited for, if let go); a turn
        that fails lets go of it."""
        with self._lock:
            self._raise_failure()
            if self._con is None:
                self._give_way()
                self._con = connect_waiting(self.path, self.lock_timeout, schema=not self._schema_done,
                                            stop=self.stop)
                self._schema_done = True
                self._opened_at = time.monotonic()
                self._start_watching()
            try:
                yield self._con
            except BaseException:
                self._let_go()
                raise
            if self._should_let_go():  # loads queued back to back leave the watcher no gap
                self._let_go()

    def close(self) -> None:
        """Let go of the warehouse for good; raises WarehouseError if its last checkpoint failed."""
        self._closed.set()
        with self._lock:
            self._let_go()
        if self._watcher is not None:
            self._watcher.join()
        self._raise_failure()

    def __enter__(self) -> Warehouse:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def _start_watching(self) -> None:
        if self._watcher is None and not self._closed.is_set():
            self._watcher = threading.Thread(target=self._watch, name="plans-warehouse", daemon=True)
            self._watcher.start()

    def _watch(self) -> None:
        while not self._closed.wait(WATCH_SECONDS):
            if not self._lock.acquire(blocking=False):
                continue  # a document is being written
            try:
                if self._should_let_go():
                    self._let_go()
            finally:
                self._lock.release()

    def _give_way(self) -> None:
        """Before opening again, wait while another process marks that it waits: it tries a few times
        a second, and the moment after a let-go would otherwise go to this batch's next document."""
        deadline = time.monotonic() + GIVE_WAY_SECONDS
        while others_waiting(self.path) and time.monotonic() < deadline and not self.stop.is_set():
            time.sleep(WATCH_SECONDS)

    def _should_let_go(self) -> bool:
        return self._con is not None and (time.monotonic() - self._opened_at >= self._hold
                                          or others_waiting(self.path))

    def _let_go(self) -> None:
        con, self._con = self._con, None
        if con is None:
            return
        started = time.monotonic()
        try:
            con.close()
        except duckdb.Error as exc:  # its writes are committed to the log; the next open replays them
            self._failure = self._failure or WarehouseError(f"warehouse {self.path}: {first_line(exc)}")
        self._hold = max(self.hold_seconds, HOLD_SHARE * (time.monotonic() - started))

    def _raise_failure(self) -> None:
        if self._failure is not None:
            failure, self._failure = self._failure, None
            raise failure
