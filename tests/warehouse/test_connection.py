"""Opening the warehouse: waiting for another process's lock, and giving up when the run stops."""
from __future__ import annotations

import threading
import time

import pytest

from extract.warehouse.connection import WarehouseError, connect, connect_waiting
from tests.conftest import hold_lock


def test_connection_wait_for_the_lock_ends_once_the_run_is_stopped(tmp_path):
    """A load waiting for a lock another process holds gives up as soon as the run is stopped (Ctrl-C),
    rather than at the end of its lock timeout."""
    db = tmp_path / "plans.duckdb"
    connect(db).close()
    holder = hold_lock(db, 60)
    try:
        stop = threading.Event()
        threading.Timer(0.5, stop.set).start()
        started = time.perf_counter()
        with pytest.raises(WarehouseError, match="stopped while waiting"):
            connect_waiting(db, lock_timeout=60, stop=stop)
        assert time.perf_counter() - started < 3
    finally:
        holder.kill()
        holder.wait()
