"""A batch's hold on the warehouse: kept between documents, let go for whoever waits."""
from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from extract.warehouse.connection import WarehouseError, connect
from extract.warehouse.writer import Warehouse
from tests.conftest import hold_lock

PLANS = str(Path(sys.executable).parent / "plans")


def opens_elsewhere(db: Path) -> bool:
    """Whether another process, as any DuckDB client would, can open the warehouse right now."""
    code = f"import duckdb; duckdb.connect({str(db)!r}, read_only=True).close()"
    return subprocess.run([sys.executable, "-c", code], capture_output=True).returncode == 0


def test_writer_holds_the_warehouse_between_turns_until_its_hold_ends(tmp_path):
    """After a turn the warehouse stays open (no checkpoint per document), and is let go once the hold
    is over even though the batch has not ended, so other programs get in during a long run."""
    db = tmp_path / "plans.duckdb"
    warehouse = Warehouse(db, hold_seconds=2.0)
    try:
        with warehouse.turn() as con:
            con.execute("CREATE TABLE note (n INTEGER)")
        with warehouse.turn() as con:
            con.execute("INSERT INTO note VALUES (1)")
        assert not opens_elsewhere(db)
        deadline = time.monotonic() + 10
        while not opens_elsewhere(db):
            assert time.monotonic() < deadline, "the warehouse was never let go"
            time.sleep(0.2)
        with warehouse.turn() as con:  # opened again for the next document
            assert con.execute("SELECT count(*) FROM note").fetchone() == (1,)
    finally:
        warehouse.close()
    assert opens_elsewhere(db)


def test_writer_lets_go_at_once_for_a_waiting_plans_reader(tmp_path):
    """`plans query` started while a batch holds the warehouse (with an hour's hold) marks that it
    waits and answers within seconds, not after the hold or its own lock timeout."""
    db = tmp_path / "plans.duckdb"
    warehouse = Warehouse(db, hold_seconds=3600)
    try:
        with warehouse.turn():
            pass
        assert not opens_elsewhere(db)
        started = time.perf_counter()
        query = subprocess.run([PLANS, "query", "SELECT count(*) AS n FROM document", "--db", str(db),
                                "--lock-timeout", "60", "--format", "csv"], capture_output=True, text=True)
        waited = time.perf_counter() - started
    finally:
        warehouse.close()
    assert query.returncode == 0, query.stderr
    assert query.stdout == "n\n0\n"
    assert waited < 15
    assert not list(tmp_path.glob(".plans.duckdb.waiting-*")), "the reader left its mark behind"


def test_writer_close_lets_go_and_turn_failure_lets_go(tmp_path):
    """A turn that fails lets go of the warehouse at once; closing the writer lets go for good."""
    db = tmp_path / "plans.duckdb"
    connect(db).close()
    warehouse = Warehouse(db, hold_seconds=3600)
    with pytest.raises(RuntimeError):
        with warehouse.turn():
            raise RuntimeError("a document that could not be written")
    assert opens_elsewhere(db)
    with warehouse.turn():
        pass
    assert not opens_elsewhere(db)
    warehouse.close()
    assert opens_elsewhere(db)


def test_writer_second_writer_gets_in_between_turns(tmp_path):
    """Another batch waiting for the warehouse is let in between the holder's documents."""
    db = tmp_path / "plans.duckdb"
    with Warehouse(db, hold_seconds=3600) as warehouse:
        with warehouse.turn():
            pass
        code = ("import sys; from extract.warehouse.connection import connect_waiting; "
                f"connect_waiting({str(db)!r}, lock_timeout=60).close()")
        started = time.perf_counter()
        other = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        assert other.returncode == 0, other.stderr
        assert time.perf_counter() - started < 15
        with warehouse.turn() as con:
            assert con.execute("SELECT count(*) FROM municipality").fetchone()[0] > 0


def test_writer_failed_lock_wait_is_a_warehouse_error(tmp_path):
    db = tmp_path / "plans.duckdb"
    holder = hold_lock(db, 30)
    try:
        warehouse = Warehouse(db, lock_timeout=0.5)
        with pytest.raises(WarehouseError, match="in use by another plans process"):
            with warehouse.turn():
                pass
        warehouse.close()
    finally:
        holder.kill()
        holder.wait()


def test_writer_waiting_reader_gets_in_between_loads_queued_back_to_back(tmp_path):
    """Documents loaded one after another with no pause between turns (a queue of parsed documents)
    still let a waiting reader in after the document being written, not after the queue."""
    import threading

    db = tmp_path / "plans.duckdb"
    warehouse = Warehouse(db, hold_seconds=3600)
    done = threading.Event()

    def load_back_to_back() -> None:
        for _ in range(80):  # about 4 s of turns, each writing for 50 ms
            with warehouse.turn() as con:
                con.execute("SELECT count(*) FROM document").fetchone()
                time.sleep(0.05)
        done.set()

    loader = threading.Thread(target=load_back_to_back)
    with warehouse.turn():
        pass
    loader.start()
    try:
        time.sleep(0.5)
        code = ("import time; from extract.warehouse.connection import connect_waiting; t = time.perf_counter(); "
                f"connect_waiting({str(db)!r}, lock_timeout=60, read_only=True).close(); "
                "print(time.perf_counter() - t)")
        reader = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        finished_first = done.is_set()
    finally:
        loader.join()
        warehouse.close()
    assert reader.returncode == 0, reader.stderr
    assert not finished_first, "the reader got in only after every load"
    assert float(reader.stdout.split()[-1]) < 2.0
