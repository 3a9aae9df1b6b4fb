"""Batch runs: parallel and incremental, one failure row per bad file, nothing lost, one writer at a time."""
from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from extract import __version__
from extract.batch import ERROR_CODES, DaskExecutor, LocalExecutor, path_to_outcome, run_batch
from extract.cli import main
from extract.pipeline import PipelineSettings
from extract.reading.read import ReadSettings
from extract.rules import rules_hash
from extract.warehouse.connection import WarehouseError, connect, connect_waiting
from extract.warehouse.schema import TABLES
from extract.warehouse.writer import Warehouse
from tests.conftest import hold_lock, pdf_with_objects, process_is_running

ROOT = Path(__file__).resolve().parents[1]
ANGE = "ange-verksamhetsrapport-2023.pdf"
LIDKOPING = "lidkoping-utvecklingsmedel-webbsida.pdf"
KOPING_TEXT = ROOT / "corpus" / "sources" / "koping-handlingsplan-2023-malomrade-1.txt"
PLANS = str(Path(sys.executable).parent / "plans")
RUN_TABLES = ("run", "failure")
pytestmark = pytest.mark.slow  # every test runs a batch through worker processes or a Dask cluster


def task_with_faults(path: str, settings: PipelineSettings, on_page=None):
    """The real per-file task, except that files named hang* never finish and crash* kill their worker."""
    name = Path(path).name
    if name.startswith("hang"):
        time.sleep(3600)
    if name.startswith("crash"):
        os.kill(os.getpid(), signal.SIGSEGV)
    return path_to_outcome(path, settings)


def task_that_must_not_run(path: str, settings: PipelineSettings, on_page=None):
    os._exit(99)


def dump(db: Path) -> dict[str, list[tuple]]:
    """Every warehouse table but the run log, in a stable order, without the extraction time."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {t.name: con.execute(f"SELECT * EXCLUDE (extracted_at) FROM {t.name} ORDER BY ALL" if t.name == "document"
                                    else f"SELECT * FROM {t.name} ORDER BY ALL").fetchall()
                for t in TABLES if t.name not in RUN_TABLES}
    finally:
        con.close()


def cli(*args: str):
    return CliRunner().invoke(main, list(args), env={"PLANS_DB": None})


def reportlab_pdf(path: Path, pages: int = 1, size: tuple[float, float] = (595, 842), password: str | None = None):
    from reportlab.lib.pdfencrypt import StandardEncryption
    from reportlab.pdfgen import canvas

    encrypt = StandardEncryption(password, canModify=0) if password else None
    pdf = canvas.Canvas(str(path), pagesize=size, encrypt=encrypt)
    for number in range(pages):
        pdf.drawString(100, 700, f"Sida {number + 1}")
        pdf.showPage()
    pdf.save()
    return path


@pytest.fixture
def good_files(tmp_path, corpus_pdfs) -> list[Path]:
    folder = tmp_path / "good"
    folder.mkdir()
    for source in (corpus_pdfs[ANGE], corpus_pdfs[LIDKOPING], KOPING_TEXT):
        shutil.copy(source, folder / source.name)
    return sorted(folder.iterdir())


def make_bad_inputs(folder: Path, ange: Path) -> dict[str, str]:
    """Every kind of bad input the batch must survive, by file name, with the failure code it must get."""
    folder.mkdir(exist_ok=True)
    data = ange.read_bytes()
    (folder / "truncated.pdf").write_bytes(data[: len(data) // 2])
    reportlab_pdf(folder / "encrypted.pdf", password="secret")
    (folder / "empty.pdf").write_bytes(b"")
    (folder / "not-a-pdf.pdf").write_bytes(b"PK\x03\x04 a zip archive, not a plan")
    (folder / "random.pdf").write_bytes(b"%PDF-1.7\n" + os.urandom(20_000) + b"\n%%EOF\n")
    (folder / "zero-pages.pdf").write_bytes(pdf_with_objects(
        [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"]))
    reportlab_pdf(folder / "many-pages.pdf", pages=6)
    reportlab_pdf(folder / "huge-page.pdf", size=(20_000, 20_000))
    (folder / "hang.pdf").write_bytes(data + b"\n% a copy that never finishes\n")
    (folder / "crash.pdf").write_bytes(data + b"\n% a copy whose worker dies\n")
    os.mkfifo(folder / "pipe.pdf")
    (folder / "zero.pdf").symlink_to("/dev/zero")
    (folder / "dangling.pdf").symlink_to(folder / "nowhere.pdf")
    (folder / "loop.pdf").symlink_to(folder / "loop.pdf")
    (folder / "form-feeds.txt").write_text("Mål 1: Trygg kommun\n\f" * 6, encoding="utf-8")
    return {"truncated.pdf": "truncated", "encrypted.pdf": "encrypted", "empty.pdf": "empty",
            "not-a-pdf.pdf": "not_pdf", "random.pdf": "broken", "zero-pages.pdf": "zero_pages",
            "many-pages.pdf": "too_many_pages", "huge-page.pdf": "page_too_large", "hang.pdf": "timeout",
            "crash.pdf": "worker_crashed", "pipe.pdf": "not_a_file", "zero.pdf": "not_a_file",
            "dangling.pdf": "missing", "loop.pdf": "not_a_file", "form-feeds.txt": "too_many_pages"}


def make_odd_good_inputs(folder: Path, koping_text: Path) -> list[Path]:
    """Files that look hostile but are readable and must load: a name that is not UTF-8, a 1,200-letter
    word hyphenated at a line end, a 900-megapixel picture where a mark would be."""
    from reportlab.pdfgen import canvas

    from tests.test_hostile_inputs import pdf_with_image

    folder.mkdir()
    latin1 = folder / os.fsdecode(b"\xc5rsplan.txt")
    latin1.write_bytes(koping_text.read_bytes() + b"\n")
    long_word = folder / "long-word.pdf"
    pdf = canvas.Canvas(str(long_word), pagesize=(7000, 300))
    pdf.drawString(40, 250, "Verksamhetsplan 2024")
    pdf.drawString(40, 200, "Mål 1: Trygg kommun " + "abcdefghijklmnopqrstuvwxyzåäö" * 41 + "-")
    pdf.drawString(40, 186, "ord för alla")
    pdf.save()
    bomb = folder / "bomb.pdf"
    bomb.write_bytes(pdf_with_image(30_000, 10))
    return [latin1, long_word, bomb]


def test_batch_bad_inputs_fail_one_row_each_and_leave_the_good_files_loaded(tmp_path, good_files, corpus_pdfs):
    expected = make_bad_inputs(tmp_path / "bad", corpus_pdfs[ANGE])
    bad_files = sorted((tmp_path / "bad").iterdir())
    good_files = good_files + make_odd_good_inputs(tmp_path / "odd", KOPING_TEXT)
    executor = LocalExecutor(jobs=2, settings=PipelineSettings(read=ReadSettings(max_pages=5)), timeout=8, task=task_with_faults)
    db = tmp_path / "mixed.duckdb"
    con = connect(db)
    report = run_batch(good_files + bad_files, con, executor)
    left = [pid for pid in _workers_of(os.getpid()) if process_is_running(pid)
            and not re.search(rb"forkserver|resource_tracker", Path(f"/proc/{pid}/cmdline").read_bytes())]
    assert left == [], "worker processes left running after the run returned"
    failures = con.execute("SELECT source_file, error_code, message, run_id FROM failure").fetchall()
    run = con.execute("SELECT files, loaded, skipped, failed, extractor_version, finished_at IS NOT NULL "
                      "FROM run").fetchall()
    con.close()

    assert {Path(f).name: code for f, code, _, _ in failures} == expected
    assert len(failures) == len(expected)
    assert {run_id for *_, run_id in failures} == {report.run_id}
    for source_file, code, message, _ in failures:
        assert code in ERROR_CODES
        assert Path(source_file).name in message and "\n" not in message
        assert any(hint in message for hint in ("pass", "raise", "re-", "report", "check", "split")), message
    assert run == [(len(good_files) + len(bad_files), len(good_files), 0, len(bad_files), __version__, True)]
    assert {r.path.name for r in report.results if r.status == "loaded"} == {p.name for p in good_files}

    alone = tmp_path / "alone.duckdb"
    con = connect(alone)
    run_batch(good_files, con, LocalExecutor(jobs=2))
    con.close()
    assert dump(db) == dump(alone)
    assert len(dump(db)["document"]) == len(good_files)


class RecordingExecutor:
    """An executor that notes which paths it is handed before passing them on."""

    def __init__(self, inner):
        self.inner = inner
        self.settings = inner.settings
        self.handed: list[list[Path]] = []

    def run(self, paths, on_page=None):
        self.handed.append(list(paths))
        yield from self.inner.run(paths, on_page)


def test_batch_file_that_is_no_pdf_fails_before_any_worker_starts(tmp_path):
    """A file whose bytes are no PDF, or that is empty, fails in the parent with its one-line reason and
    is never handed to a worker (whose task would kill it, a different failure, if it ran)."""
    (tmp_path / "notes.pdf").write_text("not a pdf at all", encoding="utf-8")
    (tmp_path / "empty.pdf").write_bytes(b"")
    files = [tmp_path / "notes.pdf", tmp_path / "empty.pdf"]
    con = connect(tmp_path / "plans.duckdb")
    executor = RecordingExecutor(LocalExecutor(jobs=1, task=task_that_must_not_run))
    report = run_batch(files, con, executor)
    rows = con.execute("SELECT error_code FROM failure ORDER BY source_file").fetchall()
    con.close()
    assert executor.handed == [[]]
    assert [(r.status, r.error_code) for r in report.results] == [("failed", "not_pdf"), ("failed", "empty")]
    assert "not a PDF" in report.results[0].message and rows == [("empty",), ("not_pdf",)]


def test_batch_unchanged_rerun_skips_every_file_without_parsing_it(tmp_path, good_files):
    """The rerun hands no file to its executor, whose task would kill the worker (a failure row) if it ran."""
    db = tmp_path / "plans.duckdb"
    con = connect(db)
    first = RecordingExecutor(LocalExecutor(jobs=2))
    run_batch(good_files, con, first)
    rerun = RecordingExecutor(LocalExecutor(jobs=2, task=task_that_must_not_run))
    report = run_batch(good_files, con, rerun)
    runs = con.execute("SELECT loaded, skipped, failed FROM run ORDER BY started_at").fetchall()
    failures = con.execute("SELECT count(*) FROM failure").fetchone()
    con.close()
    assert first.handed == [good_files]
    assert rerun.handed == [[]]
    assert [r.status for r in report.results] == ["skipped"] * len(good_files)
    assert runs == [(len(good_files), 0, 0), (0, len(good_files), 0)]
    assert failures == (0,)


def test_batch_changed_rules_version_extracts_again(tmp_path, good_files):
    db = tmp_path / "plans.duckdb"
    con = connect(db)
    run_batch(good_files, con, LocalExecutor(jobs=2))
    con.close()
    first = dump(db)
    con = duckdb.connect(str(db))
    con.execute("UPDATE document SET rules_version = 'older-rules'")
    con.close()

    con = connect(db)
    report = run_batch(good_files, con, LocalExecutor(jobs=2))
    versions = con.execute("SELECT DISTINCT rules_version FROM document").fetchall()
    con.close()
    assert [r.status for r in report.results] == ["replaced"] * len(good_files)
    assert versions == [(rules_hash(),)]
    assert dump(db) == first


def test_batch_cli_exit_status_0_1_2(tmp_path, good_files):
    db = str(tmp_path / "plans.duckdb")
    ok = cli("extract", *map(str, good_files), "--db", db, "--jobs", "2")
    assert ok.exit_code == 0, ok.output
    assert f"{len(good_files)} new or changed, 0 skipped" in ok.stdout

    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"not a pdf at all")
    some_failed = cli("extract", str(broken), *map(str, good_files), "--db", db, "--jobs", "2")
    assert some_failed.exit_code == 1
    assert f"{len(good_files)} skipped" in some_failed.stdout
    assert [line for line in some_failed.stderr.splitlines() if line.strip()] == [f"plans: {broken}: not a PDF (starts with 'not '); "
                                               "pass a .pdf, .txt or .md file"]

    empty_folder = tmp_path / "nothing"
    empty_folder.mkdir()
    for usage in (["--jobs", "0", str(good_files[0])], ["--executor", "dask", str(good_files[0])],
                  [str(empty_folder)], ["--max-pages", "none", str(good_files[0])]):
        result = cli("extract", *usage, "--db", db)
        assert result.exit_code == 2, (usage, result.output)
        assert "Traceback" not in result.output
    missing = cli("extract", str(tmp_path / "missing.pdf"), "--db", db)  # a failure row, as for a bad file
    assert missing.exit_code == 1 and "missing.pdf: no such file; check the path" in missing.stderr


def test_batch_encrypted_pdf_loads_with_its_password(tmp_path):
    locked = reportlab_pdf(tmp_path / "locked.pdf", password="secret")
    db = str(tmp_path / "plans.duckdb")
    without = cli("extract", str(locked), "--db", db, "--jobs", "1")
    assert without.exit_code == 1 and "encrypted; pass its password" in without.stderr
    with_password = cli("extract", str(locked), "--db", db, "--jobs", "1", "--password", "secret")
    assert with_password.exit_code == 0, with_password.output
    con = duckdb.connect(db, read_only=True)
    assert con.execute("SELECT count(*) FROM document").fetchone() == (1,)
    assert con.execute("SELECT error_code FROM failure").fetchall() == [("encrypted",)]


def test_batch_second_writer_waits_for_the_lock_then_loads(tmp_path, good_files):
    db = tmp_path / "plans.duckdb"
    connect(db).close()
    holder = hold_lock(db, 3)
    started = time.perf_counter()
    result = cli("extract", str(good_files[0]), "--db", str(db), "--jobs", "1", "--lock-timeout", "60")
    waited = time.perf_counter() - started
    holder.wait()
    assert result.exit_code == 0, result.output
    assert waited >= 2
    assert duckdb.connect(str(db), read_only=True).execute("SELECT count(*) FROM document").fetchone() == (1,)


def test_batch_query_waits_for_the_lock_then_answers(tmp_path):
    db = tmp_path / "plans.duckdb"
    connect(db).close()
    holder = hold_lock(db, 3)
    started = time.perf_counter()
    result = cli("query", "SELECT count(*) AS n FROM document", "--db", str(db), "--lock-timeout", "60",
                 "--format", "csv")
    waited = time.perf_counter() - started
    holder.wait()
    assert result.exit_code == 0, result.output
    assert result.stdout == "n\n0\n" and waited >= 2


def test_batch_readers_get_in_between_the_documents_of_a_run(tmp_path, good_files):
    """While `plans extract` runs, the warehouse is let go between documents at least every few seconds:
    a DuckDB client that tries every 50 ms opens it before the run ends (with the lock held for the
    whole run, none could until the end), and reads a consistent warehouse each time."""
    db = tmp_path / "plans.duckdb"
    connect(db).close()
    files = distinct_copies(good_files, tmp_path / "copies", 10)
    run = subprocess.Popen([PLANS, "extract", *map(str, files), "--db", str(db), "--jobs", "1"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    reads_during_run = []
    try:
        while run.poll() is None:
            try:
                con = duckdb.connect(str(db), read_only=True)
            except duckdb.Error:
                time.sleep(0.05)
                continue
            try:
                if run.poll() is None:
                    reads_during_run.append(con.execute("SELECT count(*) FROM document").fetchone()[0])
            finally:
                con.close()
            time.sleep(0.05)
    finally:
        run.wait(timeout=300)
    assert run.returncode == 0
    assert reads_during_run and all(n <= len(files) for n in reads_during_run)
    assert reads_during_run == sorted(reads_during_run)


def test_batch_plans_query_during_a_run_answers_within_a_document_load(tmp_path, good_files):
    """`plans query` started while a long `plans extract` runs is let in as soon as the document being
    written is in: every query answers in seconds (its own start-up and one load at most), again
    and again during the run, each time from a consistent warehouse whose count only grows."""
    db = tmp_path / "plans.duckdb"
    connect(db).close()
    files = distinct_copies(good_files, tmp_path / "copies", 10)
    run = subprocess.Popen([PLANS, "extract", *map(str, files), "--db", str(db), "--jobs", "1"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    answers, slowest = [], 0.0
    try:
        while run.poll() is None and not _documents_loaded(db):
            time.sleep(0.1)
        while run.poll() is None:
            started = time.perf_counter()
            query = subprocess.run([PLANS, "query", "SELECT count(*) AS n FROM document", "--db", str(db),
                                    "--lock-timeout", "60", "--format", "csv"], capture_output=True, text=True)
            slowest = max(slowest, time.perf_counter() - started)
            assert query.returncode == 0, query.stderr
            if run.poll() is None:
                answers.append(int(query.stdout.split()[-1]))
    finally:
        run.wait(timeout=300)
    assert run.returncode == 0
    assert len(answers) >= 2 and answers == sorted(answers) and answers[-1] <= len(files)
    assert slowest < 8


def _documents_loaded(db: Path) -> int:
    """Documents in the warehouse, asked as a plans command asks (a running extract lets it in between
    documents); 0 while it cannot get in."""
    try:
        con = connect_waiting(db, lock_timeout=2.0, read_only=True)
    except WarehouseError:
        return 0
    try:
        return con.execute("SELECT count(*) FROM document").fetchone()[0]
    finally:
        con.close()


def distinct_copies(files: list[Path], folder: Path, rounds: int) -> list[Path]:
    """The files `rounds` times over, each copy with other bytes (a comment after the end of a PDF, a
    blank line after a text), since the same content twice in a run is parsed once."""
    folder.mkdir()
    copies = []
    for n in range(rounds):
        for source in files:
            copy = folder / f"{n}-{source.name}"
            copy.write_bytes(source.read_bytes() + (b"\n%% copy %d\n" % n if source.suffix == ".pdf" else b"\n" * (n + 1)))
            copies.append(copy)
    return copies


def _workers_of(pid: int) -> list[int]:
    """Processes whose parent is `pid`, or whose parent's parent is (workers fork from a server)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[0] not in ("Z", "X"):
            children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM, signal.SIGKILL])
def test_batch_interrupted_run_stops_at_once_and_keeps_whole_documents(tmp_path, good_files, signum):
    """Ctrl-C, or a scheduler's SIGTERM, in the middle of a run: one line, exit 130 within seconds, no
    worker left behind, and every document in the warehouse complete (its pages with it). After kill -9
    no worker is left either, and the run's row counts what it had loaded."""
    db = tmp_path / "plans.duckdb"
    connect(db).close()
    files = distinct_copies(good_files, tmp_path / "copies", 10)
    run = subprocess.Popen([PLANS, "extract", *map(str, files), "--db", str(db), "--jobs", "2"],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                           preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    while run.poll() is None and not _documents_loaded(db):  # signal once the run is loading
        time.sleep(0.2)
    assert run.poll() is None, "the run ended before it could be interrupted"
    workers = _workers_of(run.pid)
    sent = time.perf_counter()
    run.send_signal(signum)
    _, err = run.communicate(timeout=60)
    stopped = time.perf_counter() - sent
    if signum == signal.SIGKILL:
        assert run.returncode == -signal.SIGKILL
    else:
        assert run.returncode == 130, err
        assert err.strip().splitlines()[-1].startswith("plans: interrupted") and "Traceback" not in err
    assert stopped < 10
    deadline = time.monotonic() + 20
    while any(map(process_is_running, workers)) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert workers and not any(map(process_is_running, workers)), "processes left running after the run was stopped"
    con = duckdb.connect(str(db), read_only=True)
    try:
        incomplete = con.execute("SELECT count(*) FROM document d WHERE NOT EXISTS "
                                 "(SELECT 1 FROM page p WHERE p.document_id = d.document_id)").fetchone()
        loaded, documents = con.execute("SELECT (SELECT loaded FROM run), (SELECT count(*) FROM document)").fetchone()
    finally:
        con.close()
    assert incomplete == (0,)
    assert documents > 0 and loaded == documents


def test_batch_second_writer_stops_with_a_clear_message_past_the_lock_timeout(tmp_path, good_files):
    db = tmp_path / "plans.duckdb"
    connect(db).close()
    holder = hold_lock(db, 30)
    try:
        result = cli("extract", str(good_files[0]), "--db", str(db), "--lock-timeout", "1")
    finally:
        holder.kill()
        holder.wait()
    assert result.exit_code == 1
    assert result.stderr == (f"plans: warehouse {db} is in use by another plans process; try again when it "
                             "finishes (waited 1 s; see --lock-timeout)\n")
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT count(*) FROM document").fetchone() == (0,)
    assert con.execute("SELECT count(*) FROM run").fetchone() == (0,)


def test_batch_two_plans_processes_on_one_warehouse_both_finish_and_load_once(tmp_path, good_files):
    db = tmp_path / "plans.duckdb"
    text = next(p for p in good_files if p.suffix == ".txt")
    runs = [subprocess.Popen([PLANS, "extract", str(text), "--db", str(db), "--jobs", "1", "--lock-timeout", "120"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp_path)
            for _ in range(2)]
    outputs = [run.communicate(timeout=180) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT count(*) FROM document").fetchone() == (1,)
    assert sorted(con.execute("SELECT loaded, skipped, failed FROM run").fetchall()) == [(0, 1, 0), (1, 0, 0)]


def test_batch_dask_cluster_fills_the_warehouse_as_a_local_run_does(tmp_path, good_files):
    import distributed

    local_db, dask_db = tmp_path / "local.duckdb", tmp_path / "dask.duckdb"
    local = cli("extract", *map(str, good_files), "--db", str(local_db), "--jobs", "2")
    assert local.exit_code == 0, local.output
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None) as cluster:
        result = cli("extract", *map(str, good_files), "--db", str(dask_db), "--executor", "dask",
                     "--scheduler", cluster.scheduler_address)
    assert result.exit_code == 0, result.output
    assert dump(dask_db) == dump(local_db)
    assert len(dump(dask_db)["document"]) == len(good_files)


def _give_up(signum, frame):
    raise AssertionError("the Dask batch did not stop the hanging file")


def test_batch_dask_hanging_file_times_out_and_its_worker_is_restarted(tmp_path, good_files, corpus_pdfs):
    import distributed

    signal.signal(signal.SIGALRM, _give_up)
    signal.alarm(300)  # a broken time limit fails here instead of waiting out the hour-long file

    hang = tmp_path / "late" / "hang.pdf"
    hang.parent.mkdir()
    hang.write_bytes(corpus_pdfs[ANGE].read_bytes() + b"\n% a copy that never finishes\n")
    local_db, dask_db = tmp_path / "local.duckdb", tmp_path / "dask.duckdb"
    assert cli("extract", *map(str, good_files), "--db", str(local_db), "--jobs", "2").exit_code == 0
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        executor = DaskExecutor(cluster.scheduler_address, timeout=20, task=task_with_faults, poll_seconds=0.5)
        con = connect(dask_db)
        try:
            report = run_batch([*good_files, hang], con, executor)
        finally:
            con.close()
        with distributed.Client(cluster.scheduler_address) as client:
            client.wait_for_workers(1, timeout=60)
            assert client.submit(sum, [1, 2], pure=False).result(timeout=60) == 3  # the restarted worker serves
    signal.alarm(0)
    assert [(r.path.name, r.error_code) for r in report.failed] == [("hang.pdf", "timeout")]
    assert report.loaded == len(good_files)
    assert dump(dask_db) == dump(local_db)


def test_batch_each_document_is_loaded_beside_the_parse_of_the_next(tmp_path):
    """Loads run in a thread of their own, in order, while the next document is parsed (the first load
    waits to see the second parse begin: loaded in turn, it would wait in vain); a failed load stops
    the run with its own error, and the stop reaches a load still waiting for the lock."""
    from extract.batch import _load_beside

    parsing_next, loads = threading.Event(), []

    def outcomes():
        for n in range(3):
            if n == 1:
                parsing_next.set()
            yield Path(f"{n}.pdf"), n

    def load(path, n):
        if n == 0:
            assert parsing_next.wait(5), "the first document was loaded before the next one was parsed"
        loads.append((n, threading.current_thread().name))

    _load_beside(outcomes(), load, Warehouse(tmp_path / "plans.duckdb"))
    assert [n for n, _ in loads] == [0, 1, 2] and all(name.startswith("plans-load") for _, name in loads)

    warehouse = Warehouse(tmp_path / "plans.duckdb")

    def failing(path, n):
        raise WarehouseError(f"cannot write {path}")

    with pytest.raises(WarehouseError, match="cannot write 0.pdf"):
        _load_beside(((Path(f"{n}.pdf"), n) for n in range(3)), failing, warehouse)
    assert warehouse.stop.is_set()
