"""Hostile and odd inputs, each built here by a small generator: a batch loads every good file, writes one
failure row per bad entry with its reason, and prints no traceback."""
from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from extract.cli import main
from tests.conftest import pdf_with_objects

ROOT = Path(__file__).resolve().parents[1]
GOOD = ROOT / "corpus" / "sources" / "ange-verksamhetsrapport-verksamhetsutveckling-2023.txt"
LATIN1_NAME = os.fsdecode(b"\xc5rsredovisning.txt")  # 'Årsredovisning.txt' as an old Windows share writes it


def run(*args: str):
    return CliRunner().invoke(main, list(args), env={"PLANS_DB": None})


def rows(db: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def no_traceback(result) -> None:
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output


@pytest.fixture
def odd_folder(tmp_path) -> Path:
    """A folder as a shared drive may hold it: a good file under a Latin-1 name, a link to nowhere, two
    loops of links, a named pipe, a link to a device."""
    folder = tmp_path / "share"
    folder.mkdir()
    shutil.copy(GOOD, folder / LATIN1_NAME)
    (folder / "dangling.txt").symlink_to(folder / "nowhere.txt")
    (folder / "loop.pdf").symlink_to(folder / "loop.pdf")
    (folder / "a.pdf").symlink_to(folder / "b.pdf")
    (folder / "b.pdf").symlink_to(folder / "a.pdf")
    os.mkfifo(folder / "pipe.pdf")
    (folder / "zero.pdf").symlink_to("/dev/zero")
    return folder


def test_batch_odd_folder_loads_the_good_file_and_records_every_bad_entry(odd_folder, tmp_path):
    db = tmp_path / "plans.duckdb"
    result = run("extract", str(odd_folder), "--db", str(db))
    no_traceback(result)
    assert result.exit_code == 1
    (source_file,) = rows(db, "SELECT source_file FROM document")[0]
    assert source_file.endswith("\\xc5rsredovisning.txt")
    failures = dict(rows(db, "SELECT regexp_extract(source_file, '[^/]+$'), error_code FROM failure"))
    assert failures == {"dangling.txt": "missing", "loop.pdf": "not_a_file", "a.pdf": "not_a_file",
                        "b.pdf": "not_a_file", "pipe.pdf": "not_a_file", "zero.pdf": "not_a_file"}
    ((loaded, failed, finished),) = rows(db, "SELECT loaded, failed, finished_at IS NOT NULL FROM run")
    assert (loaded, failed, finished) == (1, 6, True)
    assert "a named pipe, not a regular file" in result.output and "a device, not a regular file" in result.output


def test_batch_fifo_argument_is_refused_at_once_and_the_file_beside_it_loads(tmp_path):
    os.mkfifo(tmp_path / "pipe.pdf")
    shutil.copy(GOOD, tmp_path / "good.txt")
    db = tmp_path / "plans.duckdb"
    started = time.monotonic()
    result = run("extract", str(tmp_path / "pipe.pdf"), str(tmp_path / "good.txt"), "--db", str(db))
    assert time.monotonic() - started < 30  # hashing the pipe would wait for a writer for ever
    no_traceback(result)
    assert result.exit_code == 1 and "pipe.pdf: a named pipe" in result.output
    assert rows(db, "SELECT count(*) FROM document") == [(1,)]


def test_batch_missing_argument_is_a_failure_row_not_a_usage_error(tmp_path):
    shutil.copy(GOOD, tmp_path / "good.txt")
    db = tmp_path / "plans.duckdb"
    result = run("extract", str(tmp_path / "typo.pdf"), str(tmp_path / "good.txt"), "--db", str(db))
    no_traceback(result)
    assert result.exit_code == 1 and "typo.pdf: no such file; check the path" in result.output
    assert rows(db, "SELECT count(*) FROM document") == [(1,)]
    assert rows(db, "SELECT error_code FROM failure") == [("missing",)]


def test_batch_same_content_twice_is_parsed_once(tmp_path):
    for name in ("first.txt", "copy.txt"):
        shutil.copy(GOOD, tmp_path / name)
    db = tmp_path / "plans.duckdb"
    result = run("extract", str(tmp_path / "copy.txt"), str(tmp_path / "first.txt"), "--db", str(db))
    no_traceback(result)
    assert result.exit_code == 0
    assert "first.txt: same content as" in result.output and "1 new or changed" in result.output
    assert [Path(r[0]).name for r in rows(db, "SELECT source_file FROM document")] == ["copy.txt"]


def test_cli_summary_shows_a_file_name_as_it_is_not_as_markup(tmp_path):
    name = "[bold red]x.txt"
    shutil.copy(GOOD, tmp_path / name)
    result = run("extract", str(tmp_path / name), "--db", str(tmp_path / "plans.duckdb"))
    assert result.exit_code == 0, result.output
    assert name in result.output


@pytest.mark.parametrize("fmt", ["table", "csv", "json", "nl"])
def test_cli_query_escapes_control_characters_from_the_warehouse(tmp_path, fmt):
    shutil.copy(GOOD, tmp_path / "good.txt")
    db = tmp_path / "plans.duckdb"
    assert run("extract", str(tmp_path / "good.txt"), "--db", str(db)).exit_code == 0
    result = run("query", "--db", str(db), "--format", fmt,
                 "SELECT chr(27) || '[2J' || chr(155) || 'x' || chr(8238) || 'y' AS hostile")
    assert result.exit_code == 0, result.output
    assert not any(ch in result.output for ch in "\x1b\x9b\u202e")
    assert "\\u001b[2J\\u009bx\\u202ey" in result.output


def test_cli_text_escapes_control_characters_from_a_document(tmp_path):
    hostile = tmp_path / "hostile.txt"
    hostile.write_text("Mål 1\n\x1b]0;owned\x07 Trygg kommun \u202eevil\n", encoding="utf-8")
    result = run("text", str(hostile))
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.output and "\x07" not in result.output and "\u202e" not in result.output
    assert "\\u001b]0;owned\\u0007" in result.output


def test_batch_born_digital_pdf_with_a_1200_letter_word_loads(tmp_path):
    """A run of letters hyphenated at a line end used to overflow the repair's candidate search (joined
    words are repaired on every page), failing the document as internal."""
    import random

    from reportlab.pdfgen import canvas

    rng = random.Random(3)
    word = "".join(rng.choice("abcdefghijklmnopqrstuvwxyzåäö") for _ in range(1200))
    path = tmp_path / "long-word.pdf"
    pdf = canvas.Canvas(str(path), pagesize=(7000, 300))
    pdf.setFont("Helvetica", 10)
    pdf.drawString(40, 250, "Verksamhetsplan 2024")
    pdf.drawString(40, 200, f"Mål 1: Trygg kommun {word}-")  # split at the line end, as a hyphenated word
    pdf.drawString(40, 186, "ord för alla")
    pdf.save()
    db = tmp_path / "plans.duckdb"
    started = time.monotonic()
    result = run("extract", str(path), "--db", str(db))
    assert time.monotonic() - started < 60
    no_traceback(result)
    assert result.exit_code == 0, result.output
    assert rows(db, "SELECT count(*) FROM document") == [(1,)]
    assert word in rows(db, "SELECT string_agg(text, ' ') FROM page")[0][0]


def pdf_of_empty_pages(n: int) -> bytes:
    """A valid PDF of n empty pages, written in one pass (a 300,000-page one in under a second)."""
    kids = b" ".join(b"%d 0 R" % (i + 4) for i in range(n))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % n,
               b"<< /Length 0 >>\nstream\n\nendstream"]
    objects += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R >>"] * n
    return pdf_with_objects(objects)


def test_read_page_limit_is_checked_before_any_page_is_built(tmp_path, monkeypatch):
    """pdfminer builds every page object before the count is known (a 300,000-page file: 52 s and
    1.8 GB); the count now comes from the page tree first, and the parser is never opened."""
    import pdfplumber

    from extract.errors import ReadError
    from extract.reading.read import ReadSettings, open_layout

    path = tmp_path / "many.pdf"
    path.write_bytes(pdf_of_empty_pages(20_000))

    def must_not_parse(*args, **kwargs):
        raise AssertionError("the PDF was parsed before its page count was checked")

    monkeypatch.setattr(pdfplumber, "open", must_not_parse)
    with pytest.raises(ReadError) as refused:
        with open_layout(path, ReadSettings(max_pages=100)):
            pass
    assert refused.value.code == "too_many_pages" and "20000 pages" in refused.value.message
    assert "--max-pages" in refused.value.message


def test_batch_page_limit_applies_to_text_files(tmp_path):
    path = tmp_path / "form-feeds.txt"
    path.write_text("Mål 1: Trygg kommun\n\f" * 201, encoding="utf-8")
    db = tmp_path / "plans.duckdb"
    result = run("extract", str(path), "--max-pages", "100", "--db", str(db))
    no_traceback(result)
    assert result.exit_code == 1 and "more than the limit of 100" in result.output
    assert rows(db, "SELECT error_code FROM failure") == [("too_many_pages",)]
    assert rows(db, "SELECT count(*) FROM document") == [(0,)]


@pytest.mark.slow  # OCR of a page
def test_batch_encrypted_scan_loads_with_password(corpus_pdfs, tmp_path):
    import pypdfium2 as pdfium
    from reportlab.lib.pdfencrypt import StandardEncryption
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    source = pdfium.PdfDocument(str(corpus_pdfs["ostersund-budget-2024-bildskanning.pdf"]))
    width, height = source[0].get_size()
    image = source[0].render(scale=200 / 72).to_pil().convert("RGB")
    path = tmp_path / "encrypted-scan.pdf"
    pdf = canvas.Canvas(str(path), pagesize=(width, height), encrypt=StandardEncryption("hemligt", canModify=0))
    pdf.drawImage(ImageReader(image), 0, 0, width, height)
    pdf.save()
    db = tmp_path / "plans.duckdb"
    refused = run("extract", str(path), "--db", str(db))
    assert refused.exit_code == 1 and "pass its password (--password)" in refused.output
    loaded = run("extract", str(path), "--password", "hemligt", "--db", str(db))
    assert loaded.exit_code == 0, loaded.output
    ((source_kind, text),) = rows(db, "SELECT source, text FROM page")
    assert source_kind == "ocr" and "Kommunövergripande mål" in text


def pdf_with_image(side: int, width_pt: float) -> bytes:
    """One page drawing a side x side grey image (zeros, so it compresses to under 1 MB) width_pt wide."""
    import zlib

    compressor = zlib.compressobj(9)
    row = bytes(side)
    data = b"".join(compressor.compress(row) for _ in range(side)) + compressor.flush()
    content = b"q %.1f 0 0 %.1f 100 700 cm /Im0 Do Q" % (width_pt, width_pt)
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
               b"/Resources << /XObject << /Im0 5 0 R >> >> >>",
               b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
               b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray "
               b"/BitsPerComponent 8 /Filter /FlateDecode /Length %d >>\nstream\n" % (side, side, len(data))
               + data + b"\nendstream"]
    return pdf_with_objects(objects)


@pytest.mark.slow  # builds and reads a 900-megapixel image
def test_batch_image_bomb_stays_under_two_gigabytes(tmp_path):
    """A 30000 x 30000 image drawn 10 points wide, where a mark icon would be, took a process to 8 GB
    (decoded, then converted to RGB and RGBA); over the pixel budget it is sampled from the page as
    PDFium renders it, downsampled."""
    import json
    import subprocess
    import sys

    path = tmp_path / "bomb.pdf"
    path.write_bytes(pdf_with_image(30_000, 10))
    assert path.stat().st_size < 2_000_000
    plans = str(Path(sys.executable).with_name("plans"))
    probe = ("import json, resource, subprocess, sys\n"
             "run = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
             "print(json.dumps([run.returncode, run.stdout + run.stderr, "
             "resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss]))")
    measured = subprocess.run([sys.executable, "-c", probe, plans, "extract", str(path), "--db",
                               str(tmp_path / "plans.duckdb")], capture_output=True, text=True, timeout=600)
    returncode, output, peak_kb = json.loads(measured.stdout)
    assert returncode == 0 and "Traceback" not in output, output
    assert peak_kb < 2 * 1024 * 1024, f"peak {peak_kb / 1024:.0f} MB"


@pytest.mark.parametrize("statement", ["COPY (SELECT 1) TO '{out}'", "SELECT * FROM read_text('{secret}')",
                                       "SELECT * FROM read_csv('{secret}')", "ATTACH '{other}' AS other (READ_ONLY)",
                                       "SET enable_external_access = true"])
def test_cli_query_safe_mode_reads_the_warehouse_and_no_other_file(tmp_path, statement):
    shutil.copy(GOOD, tmp_path / "good.txt")
    db = tmp_path / "plans.duckdb"
    assert run("extract", str(tmp_path / "good.txt"), "--db", str(db)).exit_code == 0
    secret, out = tmp_path / "secret.csv", tmp_path / "written.csv"
    secret.write_text("password\nhunter2\n")
    other = tmp_path / "other.duckdb"
    duckdb.connect(str(other)).close()
    sql = statement.format(out=out, secret=secret, other=other)
    unsafe = run("query", "--db", str(db), sql)
    assert unsafe.exit_code == 0 or statement.startswith("SET"), unsafe.output  # what --safe is for
    out.unlink(missing_ok=True)
    safe = run("query", "--safe", "--db", str(db), sql)
    assert safe.exit_code == 1 and safe.output.count("\n") == 1 and "hunter2" not in safe.output, safe.output
    assert not out.exists()
    assert run("query", "--safe", "--db", str(db), "SELECT count(*) AS n FROM document", "--csv").output == "n\n1\n"


def _in_session(session: int) -> list[int]:
    """Running processes of a session (workers keep their parent's session, whatever their group)."""
    from tests.conftest import process_is_running

    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[4]) == session and process_is_running(int(stat.parent.name)):
            found.append(int(stat.parent.name))
    return found


@pytest.mark.slow  # the corpus (OCR of a scan included) beside every hostile input, in worker processes
def test_cli_mixed_batch_loads_every_good_file_and_one_failure_row_per_bad_one(corpus_pdfs, tmp_path):
    import subprocess
    import sys

    from tests.test_batch import make_bad_inputs, make_odd_good_inputs, reportlab_pdf

    expected = make_bad_inputs(tmp_path / "bad", corpus_pdfs["ange-verksamhetsrapport-2023.pdf"])
    for worker_fault in ("hang.pdf", "crash.pdf"):  # need a fault-injecting task; tests/test_batch.py has them
        (tmp_path / "bad" / worker_fault).unlink()
        del expected[worker_fault]
    reportlab_pdf(tmp_path / "bad" / "many-pages.pdf", pages=41)
    (tmp_path / "bad" / "form-feeds.txt").write_text("Mål 1: Trygg kommun\n\f" * 41, encoding="utf-8")
    odd = make_odd_good_inputs(tmp_path / "odd", ROOT / "corpus" / "sources" / "koping-handlingsplan-2023-malomrade-1.txt")
    corpus = sorted({p.parent for p in corpus_pdfs.values()})
    db = tmp_path / "plans.duckdb"
    plans = str(Path(sys.executable).with_name("plans"))
    batch = subprocess.Popen([plans, "extract", *map(str, corpus), str(tmp_path / "bad"), str(tmp_path / "odd"),
                              "--db", str(db), "--jobs", "2", "--max-pages", "40"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    out, err = batch.communicate(timeout=1200)
    assert batch.returncode == 1, err
    assert "Traceback" not in out + err
    assert _in_session(batch.pid) == [], "processes of the run left running after it returned"
    failures = rows(db, "SELECT regexp_extract(source_file, '[^/]+$'), error_code FROM failure")
    assert dict(failures) == expected and len(failures) == len(expected)
    loaded = {Path(r[0]).name for r in rows(db, "SELECT source_file FROM document")}
    assert loaded == {p.name for p in corpus_pdfs.values()} | {os.fsencode(p.name).decode("utf-8", "backslashreplace")
                                                               for p in odd}
