"""Benchmark: the whole pipeline beside pdfplumber's own parse of the same pages, in the same run.

`make bench` (or `python scripts/bench.py [--n 60] [--jobs 2] [--out output/bench]`) prints:
pages per second of read → repair → segment → records → load and of pdfplumber's parse (open, then per
page extract_words, find_tables and extract each table: nothing else) on the corpus's born-digital
PDFs and on a scaled corpus the builder renders, with their ratio, single process and with --jobs
worker processes; start-up as whole processes (help, a search, a rejected non-PDF, and `plans extract`
against a plain pdfplumber script on the same files, file by file and, for the steady state, the
scaled corpus in one run); seconds per OCR page on the two Östersund scans; rows per second into DuckDB; peak
memory of a worker against document length; and the time of a re-run of `plans extract` with nothing
changed. Timings are wall clock, best of the repeats, with CPU time beside them because other work on
the machine slows both sides alike only in CPU time.
"""
from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pdfplumber  # noqa: E402

from extract.warehouse.load import load_extractions  # noqa: E402
from extract.pipeline import extract_file  # noqa: E402
from extract.reading.read import ReadSettings, read_document  # noqa: E402

CORPUS = ROOT / "corpus" / "pdf"
PLANS = Path(sys.executable).with_name("plans")


def plumber_parse(path: Path) -> int:
    """pdfplumber's own parse: words and tables, with the read stage's tolerances; pages parsed."""
    s = ReadSettings()
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_words(x_tolerance=s.x_tolerance, y_tolerance=s.y_tolerance)
            for table in page.find_tables(s.table_settings()):
                table.extract(x_tolerance=s.x_tolerance, y_tolerance=s.y_tolerance)
            page.close()
        return len(pdf.pages)


def timed(fn):
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def page_count(path: Path) -> int:
    with pdfplumber.open(path) as pdf:
        return len(pdf.pages)


def single_process(files: list[Path], pages: int, repeats: int, db: Path) -> dict:
    """Both sides in this process, file by file: pdfplumber's parse of a file, then the pipeline's
    extraction of the same file, each file's best of `repeats` kept on both sides, so that a slow
    spell of a shared machine falls on one attempt rather than on one side; then the load of all
    extractions, best of `repeats`. The pipeline's figure includes the load."""
    plumber = {f: (1e9, 1e9) for f in files}
    extract = {f: (1e9, 1e9) for f in files}
    extractions: dict[Path, object] = {}
    for _ in range(repeats):
        for f in files:
            _, wall, cpu = timed(lambda: plumber_parse(f))
            plumber[f] = min(plumber[f], (wall, cpu))
            extractions[f], wall, cpu = timed(lambda: extract_file(f))
            extract[f] = min(extract[f], (wall, cpu))
    best_load, rows = 1e9, 0
    for _ in range(repeats):
        db.unlink(missing_ok=True)
        report, load_wall, _ = timed(lambda: load_extractions([extractions[f] for f in files], db))
        best_load, rows = min(best_load, load_wall), report.rows_inserted
    plumber_wall, plumber_cpu = (sum(v[i] for v in plumber.values()) for i in (0, 1))
    pipe_wall = sum(v[0] for v in extract.values()) + best_load
    pipe_cpu = sum(v[1] for v in extract.values()) + best_load
    return {"pages": pages, "plumber_pps": pages / plumber_wall, "pipeline_pps": pages / pipe_wall,
            "ratio_wall": plumber_wall / pipe_wall, "ratio_cpu": plumber_cpu / pipe_cpu,
            "rows": rows, "rows_per_s": rows / best_load, "load_s": best_load}


def _extract_for_pool(path: Path):
    return extract_file(path)


def parallel(files: list[Path], pages: int, jobs: int, db: Path) -> dict:
    """Both sides over `jobs` worker processes; the pipeline's extractions come back to this process and
    are loaded here, as a batch does."""
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(jobs) as pool:
        pool.map(plumber_parse, files[:jobs])  # workers warm
        _, plumber_wall, _ = timed(lambda: pool.map(plumber_parse, files, chunksize=1))
    with ctx.Pool(jobs) as pool:
        pool.map(_extract_for_pool, files[:jobs])
        extractions, extract_wall, _ = timed(lambda: pool.map(_extract_for_pool, files, chunksize=1))
    db.unlink(missing_ok=True)
    _, load_wall, _ = timed(lambda: load_extractions(extractions, db))
    pipe = extract_wall + load_wall
    return {"plumber_pps": pages / plumber_wall, "pipeline_pps": pages / pipe, "ratio_wall": plumber_wall / pipe}


def ocr_figures(files: list[Path]) -> list[dict]:
    out = []
    for path in files:
        layout = read_document(path)
        ocr_pages = sum(p.source in ("image_only", "ocr_layer") for p in layout.pages)
        _, wall, _ = timed(lambda: extract_file(path))
        out.append({"file": path.name, "pages": len(layout.pages), "ocr_pages": ocr_pages,
                    "seconds": wall, "s_per_page": wall / max(ocr_pages, 1)})
    return out


def scan_figures(out: Path, jobs: int) -> list[str]:
    """Seconds per scanned page for one document (the corpus report, scanned, with the default jobs: it
    runs in the plans process with every core on its OCR) and for a batch (the scanned development
    set), start-up included."""
    from corpus.generator.scan import build

    lines = []
    for name, batch_jobs in (("corpus", None), ("dev", jobs)):
        folder = build(name, out / "scans") / "pdf"
        files = sorted(folder.glob("*.pdf"))
        pages = sum(page_count(p) for p in files)
        db = out / f"scans-{name}.duckdb"
        db.unlink(missing_ok=True)
        seconds, line = plans_extract(folder, db, batch_jobs)
        what = "one document" if len(files) == 1 else f"a batch of {len(files)}"
        lines.append(f"  {what}, {pages} pages, --jobs {batch_jobs or 'default'}: {seconds:.1f} s, "
                     f"{seconds / pages:.2f} s per scanned page - {line}")
    return lines


MEMORY_PROBE = """
import json, resource, sys, tracemalloc
from pathlib import Path
from extract.pipeline import extract_file

def rss_kb(field):
    for line in open("/proc/self/status"):
        if line.startswith(field + ":"):
            return int(line.split()[1])

extract_file(Path(sys.argv[1]))
before = rss_kb("VmRSS")
try:
    open("/proc/self/clear_refs", "w").write("5")  # peak RSS from here on: this document's
    peak_field = "VmHWM"
except OSError:
    peak_field = None
tracemalloc.start()
extraction = extract_file(Path(sys.argv[2]))
peak_py = tracemalloc.get_traced_memory()[1]
tracemalloc.stop()
peak = rss_kb(peak_field) if peak_field else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"before_kb": before, "peak_kb": peak, "python_peak_kb": peak_py // 1024,
                  "pages": extraction.document.pages}))
"""


def memory_figures(warm_file: Path, files: list[Path]) -> list[dict]:
    """Each document in a fresh worker-like process, after a warm-up on a small one: RSS before the
    document, peak RSS while it is extracted (Linux resets the peak through /proc/self/clear_refs), and
    the peak of Python allocations during the document."""
    out = []
    for path in files:
        proc = subprocess.run([sys.executable, "-c", MEMORY_PROBE, str(warm_file), str(path)], cwd=ROOT,
                              capture_output=True, text=True, check=True)
        out.append({"file": path.name, **json.loads(proc.stdout.strip().splitlines()[-1])})
    return out


def plans_extract(folder: Path, db: Path, jobs: int | None) -> tuple[float, str]:
    wall = time.perf_counter()
    proc = subprocess.run([str(PLANS), "extract", str(folder), "--db", str(db), *(["--jobs", str(jobs)] if jobs else [])],
                          cwd=ROOT, capture_output=True, text=True)
    seconds = time.perf_counter() - wall
    lines = [line for line in proc.stdout.splitlines() if line.startswith("run ")]
    if proc.returncode not in (0, 1):
        return seconds, f"failed ({proc.returncode}): {proc.stderr.strip()[-200:]}"
    return seconds, lines[-1] if lines else proc.stdout.strip()[-200:]


PLUMBER_SCRIPT = """
import sys, pdfplumber
for name in sys.argv[1:]:
    with pdfplumber.open(name) as pdf:
        for page in pdf.pages:
            page.extract_words()
            page.find_tables()
"""
"""The plain pdfplumber script `plans extract` is measured against: open, words and tables per page."""


def process_seconds(argv: list[str]) -> float:
    wall = time.perf_counter()
    subprocess.run(argv, cwd=ROOT, capture_output=True)
    return time.perf_counter() - wall


def median_seconds(argv: list[str], runs: int = 5) -> float:
    return sorted(process_seconds(argv) for _ in range(runs))[runs // 2]


def plans_against_plumber(out: Path, files: list[Path], jobs: int, runs: int) -> tuple[float, float]:
    """Median seconds of `plans extract --jobs N` (into a fresh warehouse) and of the plain pdfplumber
    script on the same files, whole processes run in turn, so drifts of the machine's speed hit both."""
    plans_runs, plumber_runs = [], []
    for _ in range(runs):
        scratch = out / "paired-extract.duckdb"
        scratch.unlink(missing_ok=True)
        plans_runs.append(process_seconds([str(PLANS), "extract", *map(str, files), "--db", str(scratch),
                                           "--jobs", str(jobs)]))
        plumber_runs.append(process_seconds([sys.executable, "-c", PLUMBER_SCRIPT, *map(str, files)]))
    return sorted(plans_runs)[runs // 2], sorted(plumber_runs)[runs // 2]


def startup_figures(out: Path, digital: list[Path], runs: int = 5) -> list[str]:
    """Whole processes, start-up included, median of `runs`: help, a search, a rejected non-PDF, and
    `plans extract --jobs 1` against the plain pdfplumber script on the same born-digital PDFs."""
    db = out / "startup.duckdb"
    db.unlink(missing_ok=True)
    subprocess.run([str(PLANS), "extract", *map(str, digital), "--db", str(db)], cwd=ROOT, capture_output=True)
    bad = out / "not-a-pdf.pdf"
    bad.write_text("not a PDF", encoding="utf-8")
    lines = [f"  plans --help: {median_seconds([str(PLANS), '--help'], runs):.2f} s",
             f"  plans search on the corpus warehouse: "
             f"{median_seconds([str(PLANS), 'search', 'psykisk ohälsa', '--db', str(db)], runs):.2f} s",
             f"  a non-PDF rejected: {median_seconds([str(PLANS), 'extract', str(bad), '--db', str(db)], runs):.2f} s"]
    for files, what in [(digital, f"the {len(digital)} born-digital reports")] + [([f], f.name) for f in digital]:
        pages = sum(page_count(f) for f in files)
        plans_s, plumber_s = plans_against_plumber(out, files, 1, runs)
        lines.append(f"  {what}, {pages} pages: plans extract {plans_s:.2f} s, pdfplumber script {plumber_s:.2f} s, "
                     f"rate ratio {plumber_s / plans_s:.2f}")
    return lines


def steady_state_figures(out: Path, files: list[Path], jobs: int, runs: int = 3) -> list[str]:
    """Many documents in one run, whole processes in turn (median of `runs`): `plans extract` with one
    job and with `jobs`, against the plain pdfplumber script on the same files in a fresh process."""
    pages = sum(page_count(f) for f in files)
    lines = []
    for job_count in sorted({1, jobs}):
        plans_s, plumber_s = plans_against_plumber(out, files, job_count, runs)
        lines.append(f"  {len(files)} documents, {pages} pages, --jobs {job_count}: plans extract {plans_s:.1f} s "
                     f"({pages / plans_s:.1f} pages/s), pdfplumber script {plumber_s:.1f} s ({pages / plumber_s:.1f} "
                     f"pages/s), rate ratio {plumber_s / plans_s:.2f}")
    return lines


def show_ratio(name: str, r: dict) -> None:
    print(f"  {name}: pipeline {r['pipeline_pps']:.1f} pages/s, pdfplumber parse {r['plumber_pps']:.1f} pages/s, "
          f"ratio {r['ratio_wall']:.2f}" + (f" (CPU time {r['ratio_cpu']:.2f})" if "ratio_cpu" in r else ""))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=60, help="documents in the scaled corpus")
    parser.add_argument("--jobs", type=int, default=2, help="worker processes for the parallel figures (0: skip)")
    parser.add_argument("--out", type=Path, default=ROOT / "output" / "bench")
    parser.add_argument("--repeats", type=int, default=3, help="repeats on the corpus (best is kept)")
    parser.add_argument("--no-ocr", action="store_true", help="skip the OCR figures")
    args = parser.parse_args()
    from corpus.builder.scaled import build_long, build_scaled

    args.out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}, pdfplumber {pdfplumber.__version__}")

    pdfs = sorted(CORPUS.glob("*.pdf"))
    layouts = {p: read_document(p) for p in pdfs}
    scans = [p for p, d in layouts.items() if any(pg.source != "text_layer" for pg in d.pages)]
    digital = [p for p in pdfs if p not in scans]
    digital_pages = sum(len(layouts[p].pages) for p in digital)
    extract_file(digital[0])  # lexicon, rules and spaCy loaded before any timing

    if PLANS.exists():
        print("\nstart-up, whole processes (median of 5):")
        for line in startup_figures(args.out, digital):
            print(line)

    print(f"\ncorpus, born-digital: {len(digital)} PDFs, {digital_pages} pages")
    corpus = single_process(digital, digital_pages, args.repeats, args.out / "corpus.duckdb")
    show_ratio("single process", corpus)
    print(f"  load: {corpus['rows']} rows into DuckDB in {corpus['load_s']:.2f} s, "
          f"{corpus['rows_per_s']:.0f} rows/s")
    if args.jobs > 1:
        show_ratio(f"--jobs {args.jobs}", parallel(digital, digital_pages, args.jobs, args.out / "corpus-par.duckdb"))

    if not args.no_ocr and scans:
        print(f"\nOCR: {len(scans)} scanned PDFs (Tesseract, pages side by side on the cores)")
        for r in ocr_figures(scans):
            print(f"  {r['file']}: {r['pages']} pages, {r['ocr_pages']} scanned, {r['seconds']:.1f} s, "
                  f"{r['s_per_page']:.2f} s per OCR page")
        if PLANS.exists():
            print("\nscanned copies (200 dpi colour scans, image only), whole `plans extract` processes:")
            for line in scan_figures(args.out, max(args.jobs, 1)):
                print(line)

    scaled_dir = args.out / f"scaled-{args.n}"
    t = time.perf_counter()
    scaled = build_scaled(scaled_dir, args.n)
    scaled_pages = sum(page_count(p) for p in scaled)
    print(f"\nscaled corpus: {len(scaled)} PDFs, {scaled_pages} pages in {scaled_dir} "
          f"(rendered or found in {time.perf_counter() - t:.0f} s)")
    big = single_process(scaled, scaled_pages, 1, args.out / "scaled.duckdb")
    show_ratio("single process", big)
    print(f"  load: {big['rows']} rows into DuckDB in {big['load_s']:.2f} s, {big['rows_per_s']:.0f} rows/s")
    if args.jobs > 1:
        show_ratio(f"--jobs {args.jobs}", parallel(scaled, scaled_pages, args.jobs, args.out / "scaled-par.duckdb"))

    if PLANS.exists():
        print("\nsteady state, whole processes (median of 3): the scaled corpus in one run")
        for line in steady_state_figures(args.out, scaled, max(args.jobs, 1)):
            print(line)

    long_doc = build_long(args.out)
    by_length = [CORPUS / "ange-verksamhetsrapport-2023.pdf", CORPUS / "katrineholm-halvtidsuppfoljning-2019-2022.pdf",
                 long_doc]
    print("\nmemory of one worker by document length (fresh process, warmed on a 2-page document):")
    for r in memory_figures(CORPUS / "lidkoping-utvecklingsmedel-webbsida.pdf", by_length):
        print(f"  {r['pages']:>4} pages: peak RSS {r['peak_kb'] / 1024:.0f} MB (before the document "
              f"{r['before_kb'] / 1024:.0f} MB), Python allocations peak {r['python_peak_kb'] / 1024:.1f} MB")

    if PLANS.exists():
        jobs = max(args.jobs, 1)
        print(f"\nplans extract --jobs {jobs}: first run, then a re-run with nothing changed")
        for name, folder in (("corpus", CORPUS), ("scaled", scaled_dir)):
            db = args.out / f"rerun-{name}.duckdb"
            db.unlink(missing_ok=True)
            first, line = plans_extract(folder, db, jobs)
            pages = sum(len(layouts[p].pages) for p in pdfs) if name == "corpus" else scaled_pages
            print(f"  {name} first run: {first:.1f} s ({pages / first:.1f} pages/s with OCR) - {line}")
            again, line = plans_extract(folder, db, jobs)
            print(f"  {name} re-run: {again:.2f} s - {line}")
    print(f"\nbench took {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
