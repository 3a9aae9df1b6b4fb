"""The `plans` command: a thin layer that parses arguments, calls the library and reports.

Expected failures (PlansError, DuckDB errors, OS errors) become one line on stderr, `plans: <message>`,
and exit status 1; usage errors keep click's status 2. No traceback reaches the user.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from extract.defaults import DOCUMENT_TIMEOUT, FUZZY_THRESHOLD, LOCK_TIMEOUT, MAX_PAGES
from extract.errors import PlansError, path_to_text
from extract.warehouse.rows import printable

# Each command imports what it uses when it runs: `plans --help` and `plans query` never load the
# PDF readers, the OCR engine or the language data.

lock_option = click.option(
    "--lock-timeout", type=click.FloatRange(min=0), default=LOCK_TIMEOUT, show_default=True,
    help="Seconds to wait while another plans process holds the warehouse (an extract lets go of it for a "
         "waiting command as soon as the document it is writing is in).",
)
db_option = click.option(
    "--db", type=click.Path(path_type=Path, dir_okay=False), default=Path("output/plans.duckdb"),
    show_default=True, envvar="PLANS_DB", help="Warehouse file (env PLANS_DB).",
)



def output_options(command):
    """The output choices of every command that prints rows, as sqlite-utils has them: --format, or
    the shortcuts --csv, --json and --nl."""
    from extract.warehouse.rows import ROW_FORMATS

    for decorator in reversed((
        click.option("--format", "fmt", type=click.Choice(ROW_FORMATS), default="table", show_default=True,
                     help="table for reading; csv, json (an array) or nl (one JSON object a line) for programs."),
        click.option("--csv", "fmt", flag_value="csv", help="Same as --format csv."),
        click.option("--json", "fmt", flag_value="json", help="Same as --format json."),
        click.option("--nl", "fmt", flag_value="nl", help="Same as --format nl."),
    )):
        command = decorator(command)
    return command


def print_rows(columns: list[str], rows: list[tuple], fmt: str, caption: str | None = None) -> None:
    """Rows as a table (NULL shown as NULL) or in a machine format."""
    from extract.warehouse.rows import cell_text, rows_to_text

    if fmt != "table":
        click.echo(rows_to_text(columns, rows, fmt), nl=False)
        return
    from rich.table import Table

    table = Table(*columns, caption=caption or f"{len(rows)} row{'s' if len(rows) != 1 else ''}")
    for row in rows:
        table.add_row(*(cell_text(v) for v in row))
    _wide_console().print(table, markup=False, highlight=False)


THEME_GOLD = "themes.csv"


def fail(message: str) -> None:
    click.echo(f"plans: {message}", err=True)
    raise click.exceptions.Exit(1)


def _interrupted() -> None:
    """Ctrl-C (or SIGTERM from a scheduler): busy workers are killed on the way out and each document is
    loaded in one transaction (rolled back when its connection closes), so what was loaded stays and
    nothing is half-loaded."""
    click.echo("plans: interrupted; documents already loaded are kept, run the same command again to finish",
               err=True)
    raise click.exceptions.Exit(130) from None


class PlansGroup(click.Group):
    """Turns the library's expected failures into one line and exit status 1."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            _interrupted()
        except BrokenPipeError:
            # The reader of our output stopped reading (`plans text FILE | head`): nothing to report.
            # Python would still try to flush stdout at exit and fail again, so point it at devnull.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise click.exceptions.Exit(0) from None
        except PlansError as error:
            fail(error.message)
        except OSError as error:
            fail(f"{error.filename}: {error.strerror}" if error.filename else str(error))
        except Exception as error:
            if isinstance(error.__cause__, KeyboardInterrupt):
                _interrupted()  # DuckDB turns an interrupt during a query into "Query interrupted"
            duckdb = sys.modules.get("duckdb")  # a DuckDB error can only come once DuckDB is loaded
            if duckdb is None or not isinstance(error, duckdb.Error):
                raise
            from extract.warehouse.connection import first_line

            fail(first_line(error))


@click.group(cls=PlansGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="municipal-plans", prog_name="plans", message="%(prog)s %(version)s")
def main() -> None:
    """Turn municipal plans and follow-ups (PDF) into typed records in a DuckDB warehouse."""


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@db_option
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Worker processes parsing in parallel  [default: all cores]")
@click.option("--password", default=None, help="Password of encrypted PDFs (unencrypted ones ignore it).")
@click.option("--max-pages", type=click.IntRange(min=1), default=MAX_PAGES, show_default=True,
              help="A PDF with more pages fails (too_many_pages) without being read.")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=DOCUMENT_TIMEOUT, show_default=True,
              help="Seconds one document may take; past that its worker is stopped and the file fails (timeout).")
@lock_option
@click.option("--executor", type=click.Choice(["local", "dask"]), default="local", show_default=True,
              help="Parse in local worker processes or on an existing Dask cluster (extra: plans[dask]).")
@click.option("--scheduler", default=None, help="Dask scheduler address, e.g. tcp://10.0.0.5:8786 (--executor dask).")
def extract(paths: tuple[Path, ...], db: Path, jobs: int | None, password: str | None, max_pages: int,
            timeout: float, lock_timeout: float, executor: str, scheduler: str | None) -> None:
    """Extract records from PDF/text files or folders and load them into the warehouse.

    Files already loaded (same content, extractor and rules) are skipped without being parsed; each
    run and each failed file is recorded in the run and failure tables. Exit status: 0 when every file
    was loaded or skipped, 1 when some failed, 2 on a usage error.

    \b
    Example:
      plans extract corpus/pdf --db output/plans.duckdb --jobs 2
    """
    import signal

    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    from extract.batch import run_batch
    from extract.executors import DaskExecutor, LocalExecutor
    from extract.pipeline import PipelineSettings, expand_paths
    from extract.reading.read import ReadSettings
    from extract.warehouse.load import DocumentLoad
    from extract.warehouse.writer import Warehouse

    signal.signal(signal.SIGTERM, _interrupt)  # a scheduler's or `timeout`'s stop ends the run as Ctrl-C does
    if executor == "dask" and not scheduler:
        raise click.UsageError("--executor dask needs --scheduler ADDRESS")
    if scheduler and executor != "dask":
        raise click.UsageError("--scheduler is for --executor dask")
    files = expand_paths(paths)
    if not files:
        raise click.UsageError(f"no .pdf, .txt or .md files in {', '.join(map(str, paths))}")
    settings = PipelineSettings(read=ReadSettings(password=password, max_pages=max_pages))
    runner = (DaskExecutor(scheduler, settings, timeout=timeout) if executor == "dask"
              else LocalExecutor(jobs=jobs or os.cpu_count() or 1, settings=settings, timeout=timeout,
                                 in_process=True))
    warehouse = Warehouse(db, lock_timeout)
    with warehouse.turn():
        pass  # the warehouse opens (or its lock times out) before the progress bar takes the terminal
    progress = Progress(TextColumn("[bold]{task.fields[unit]:>5}"), BarColumn(), MofNCompleteColumn(),
                        TimeElapsedColumn(), TextColumn("{task.description}", markup=False),
                        console=Console(stderr=True), transient=True)
    with progress:
        file_bar = progress.add_task("", total=len(files), unit="files")
        page_bar = progress.add_task("", total=None, unit="pages")
        begun: set[Path] = set()

        def on_page(path: Path, page_no: int, pages: int | None) -> None:
            if path not in begun:  # the page total grows as files open
                begun.add(path)
                total = (progress.tasks[page_bar].total or 0) + (pages or 0)
                progress.update(page_bar, total=total or None)
            progress.update(page_bar, advance=1, description=f"{path_to_text(path.name)} page {page_no}/{pages or '?'}")

        report = run_batch(files, warehouse, runner, on_page=on_page,
                           on_result=lambda r: progress.update(file_bar, advance=1,
                                                               description=path_to_text(r.path.name)))
    parsed = [r for r in report.results if r.status != "skipped"]
    if parsed:
        _print_summary([(r.path, r.municipality, r.doc_type, r.load or DocumentLoad(str(r.path), None, "failed"))
                        for r in parsed], [n for r in parsed for n in r.notices], db)
    click.echo(f"run {report.run_id}: {len(files)} files, {report.loaded} new or changed, {report.skipped} skipped "
               f"as unchanged, {len(report.failed)} failed, {report.seconds:.1f} s")
    for result in report.results:
        if result.message and result.status in ("failed", "skipped"):
            click.echo(f"plans: {printable(result.message)}", err=True)
    if report.failed:
        raise click.exceptions.Exit(1)


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def _wide_console():
    """A terminal's own width; piped or captured output gets room enough not to truncate file names."""
    from rich.console import Console

    console = Console()
    return console if console.is_terminal else Console(width=max(console.width, 200))


_STATUS_STYLE = {"loaded": "green", "replaced": "cyan", "unchanged": "dim", "failed": "bold red"}


def _print_summary(outcomes: list[tuple], notices: list[str], db: Path) -> None:
    """One row per document parsed: (path, municipality, document type, its DocumentLoad)."""
    from rich.table import Table
    from rich.text import Text

    from models.registry import RECORD_TYPES

    table = Table(title=f"Records per document → {db}", title_justify="left")
    names = [Text(printable(path_to_text(path.name))) for path, *_ in outcomes]  # never read as markup
    table.add_column("document", no_wrap=True, min_width=max((len(name) for name in names), default=8))
    table.add_column("municipality")
    table.add_column("type")
    summarised = [t for t in RECORD_TYPES if t.summary]
    for heading in ("pages", *(t.label for t in summarised)):
        table.add_column(heading, justify="right")
    table.add_column("status")
    kinds = ("pages", *(t.field for t in summarised))
    for name, (_, municipality, doc_type, load) in zip(names, outcomes):
        counts = [str(load.counts[k]) if k in load.counts else "-" for k in kinds]
        style = _STATUS_STYLE[load.status]
        table.add_row(name, Text(municipality), Text(doc_type), *counts, f"[{style}]{load.status}[/]")
    console = _wide_console()
    console.print(table)
    for notice in notices:
        console.print(f"notice: {notice}", highlight=False, markup=False)


@main.command()
@click.argument("sql")
@db_option
@lock_option
@output_options
@click.option("--safe", is_flag=True, envvar="PLANS_SAFE_QUERY",
              help="No file or network access from the SQL (COPY ... TO, read_csv, ATTACH, INSTALL): for a "
                   "warehouse shared with people who must not read or write the machine's files "
                   "(env PLANS_SAFE_QUERY=1).")
def query(sql: str, db: Path, lock_timeout: float, fmt: str, safe: bool) -> None:
    """Run one SQL statement against the warehouse (read-only) and print the result; SQL '-' reads the
    statement from standard input. The warehouse is read-only, but DuckDB's SQL can read and write
    any file this account can (COPY ... TO, read_text, read_csv); --safe turns that off.

    \b
    Example:
      plans query "select municipality_code, count(*) from page group by 1" --csv
      echo "select * from goal limit 5" | plans query - --json
    """
    if sql == "-":
        sql = sys.stdin.read()
    columns, rows = _run_sql(db, lock_timeout, sql, safe=safe)
    print_rows(columns, rows, fmt)


def _run_sql(db: Path, lock_timeout: float, sql: str, parameters: list | None = None,
             safe: bool = False) -> tuple[list[str], list[tuple]]:
    import duckdb

    from extract.warehouse.connection import connect_waiting, first_line

    con = connect_waiting(db, lock_timeout, read_only=True)
    try:
        if safe:  # locked, so the statement cannot turn it back on
            con.execute("SET enable_external_access = false")
            con.execute("SET lock_configuration = true")
        result = con.execute(sql, parameters or [])
        columns = [d[0] for d in result.description] if result.description else []
        return columns, result.fetchall() if columns else []
    except duckdb.Error as error:
        raise PlansError(f"query failed: {first_line(error)}") from None
    finally:
        con.close()


@main.command()
@db_option
@lock_option
@output_options
def tables(db: Path, lock_timeout: float, fmt: str) -> None:
    """List the warehouse's tables and views with their row counts.

    \b
    Example:
      plans tables
    """
    from extract.warehouse.connection import connect_waiting

    con = connect_waiting(db, lock_timeout, read_only=True)
    try:
        names = con.execute("SELECT table_name, table_type FROM information_schema.tables "
                            "WHERE table_schema = 'main' ORDER BY table_type, table_name").fetchall()
        rows = [(name, "view" if kind == "VIEW" else "table",
                 con.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]) for name, kind in names]
    finally:
        con.close()
    print_rows(["name", "kind", "rows"], rows, fmt)


@main.command()
@click.argument("table", required=False)
@db_option
@lock_option
@output_options
def schema(table: str | None, db: Path, lock_timeout: float, fmt: str) -> None:
    """Show the columns of every table and view, or of one, with their types.

    \b
    Example:
      plans schema goal
    """
    sql = ("SELECT table_name AS \"table\", column_name AS \"column\", data_type AS type, is_nullable = 'YES' AS nullable "
           "FROM information_schema.columns WHERE table_schema = 'main'"
           + (" AND table_name = ?" if table else "") + " ORDER BY table_name, ordinal_position")
    columns, rows = _run_sql(db, lock_timeout, sql, [table] if table else None)
    if table and not rows:
        raise PlansError(f"no table or view named {table!r}; list them with `plans tables`")
    print_rows(columns, rows, fmt)


@main.command()
@click.argument("query_text", metavar="QUERY")
@click.option("--municipality", "-m", default=None, help="Only this municipality (code or name).")
@click.option("--limit", "-n", type=click.IntRange(min=1), default=10, show_default=True, help="Hits to show.")
@db_option
@lock_option
@output_options
def search(query_text: str, municipality: str | None, limit: int, db: Path, lock_timeout: float, fmt: str) -> None:
    """Full-text search of record titles, comments and page text, ranked by BM25 on Swedish lemmas
    (so "sjukfrånvaro kvinnor" also finds "sjukfrånvaron för både kvinnor och män").

    The index is (re)built on first use after each load.

    \b
    Example:
      plans search "psykisk ohälsa ungdomar" --municipality Köping
    """
    from rich.table import Table

    from extract.warehouse.search import connect_for_search
    from extract.warehouse.search import search as search_warehouse

    con = connect_for_search(db, lock_timeout=lock_timeout,
                             on_build=lambda rows: click.echo(f"indexed {rows} records and pages", err=True))
    try:
        hits = search_warehouse(con, query_text, municipality=municipality, limit=limit)
    finally:
        con.close()
    if fmt != "table":
        from dataclasses import fields

        from extract.warehouse.search import SearchHit

        print_rows([f.name for f in fields(SearchHit)], [tuple(vars(h).values()) for h in hits], fmt)
        return
    table = Table("score", "municipality", "document", "page", "kind", "title / text",
                  caption=f"{len(hits)} hit{'s' if len(hits) != 1 else ''}")
    for hit in hits:
        text = (hit.snippet if not hit.title else hit.title if hit.snippet == hit.title
                else f"{hit.title}\n  … {hit.snippet}")
        table.add_row(f"{hit.score:.2f}", hit.municipality or hit.municipality_code or "",
                      printable(Path(hit.source_file).name), "" if hit.page_no is None else str(hit.page_no),
                      hit.kind, printable(text))
    _wide_console().print(table, markup=False, highlight=False)


@main.command()
@click.argument("outdir", type=click.Path(path_type=Path, file_okay=False))
@db_option
@lock_option
@click.option("--format", "fmt", type=click.Choice(["parquet", "csv", "both"]), default="parquet", show_default=True,
              help="File format, one file per table.")
@click.option("--views/--no-views", default=True, show_default=True,
              help="Also write the comparison views' rows to OUTDIR/views/.")
@click.option("--author", "authors", multiple=True, metavar="NAME",
              help="An author of the dataset for its CITATION.cff (repeat for several).")
def export(outdir: Path, db: Path, lock_timeout: float, fmt: str, views: bool, authors: tuple[str, ...]) -> None:
    """Write every warehouse table to OUTDIR/<table>.parquet or .csv, the comparison views to
    OUTDIR/views/, codebook.md (every column's type and meaning, status vocabularies, theme schemes),
    datapackage.json (a Frictionless Data Package: types, keys, meanings, hashes), CITATION.cff and
    manifest.json (extractor, rules and tool versions, input files with sha256, row counts, files with
    sha256, one dataset digest): what a paper cites.

    \b
    Example:
      plans export --format both output/export --author "Ada Lovelace"
    """
    from extract.warehouse.export import export_warehouse
    from extract.warehouse.connection import connect_waiting

    formats = ("parquet", "csv") if fmt == "both" else (fmt,)
    con = connect_waiting(db, lock_timeout, read_only=True)
    try:
        written = export_warehouse(con, outdir, formats, views=views, authors=authors)
    finally:
        con.close()
    click.echo(f"wrote {len(written)} files to {outdir} (manifest: {outdir / 'manifest.json'})")


@main.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--raw", is_flag=True, help="The text as the file (or OCR) gives it, before repair.")
def text(file: Path, raw: bool) -> None:
    """Print a document's repaired text page by page, to check what repair did.

    Example: plans text corpus/pdf/ostersund-budget-2024.pdf --raw
    """
    from extract.pipeline import file_to_page_texts

    for page_no, source, page_text in file_to_page_texts(file, raw=raw):
        click.echo(f"── page {page_no} ({source}) ──")
        click.echo(printable(page_text))


@main.command(name="eval")
@click.option("--gold", "gold_dir", type=click.Path(path_type=Path, file_okay=False), default=Path("corpus/gold"),
              show_default=True, help="Folder of gold files (<name>.json).")
@db_option
@click.option("--fuzzy-threshold", type=click.FloatRange(0, 100), default=FUZZY_THRESHOLD,
              show_default=True, help="rapidfuzz ratio at which titles not matched exactly still match.")
@click.option("--format", "fmt", type=click.Choice(["table", "markdown", "json"]), default="table",
              show_default=True, help="Report format.")
@click.option("--json", "as_json", is_flag=True, help="Same as --format json.")
def evaluate(gold_dir: Path, db: Path, fuzzy_threshold: float, fmt: str, as_json: bool) -> None:
    """Compare the warehouse with the gold records: precision, recall and F1 per document and record type.

    \b
    Example:
      plans eval --gold corpus/gold --db output/plans.duckdb
    """
    from extract.evaluation.records import evaluate_warehouse
    from extract.evaluation.render import report_to_markdown, report_to_text
    from extract.evaluation.themes import evaluate_warehouse_themes

    report = evaluate_warehouse(db, gold_dir, fuzzy_threshold=fuzzy_threshold)
    fmt = "json" if as_json else fmt
    click.echo(report.to_json() if fmt == "json" else report_to_markdown(report) if fmt == "markdown"
               else report_to_text(report))
    if fmt != "json" and (gold_dir / THEME_GOLD).exists():
        click.echo("\nTheme coding against the hand-coded sample\n")
        click.echo(evaluate_warehouse_themes(db, gold_dir / THEME_GOLD).to_table())


@main.command()
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), default=Path("output/report.html"),
              show_default=True, help="HTML file to write; its links to the source PDFs are relative to its folder.")
@db_option
@lock_option
def report(out: Path, db: Path, lock_timeout: float) -> None:
    """Write one self-contained HTML report (no network needed): per municipality the goal tree with
    status marks, status charts side by side, a theme heatmap, indicators with their values, and every
    record linked to its document and page.

    \b
    Example:
      plans report --out output/report.html
    """
    from extract.report import warehouse_to_report_file
    from extract.warehouse.connection import connect_waiting

    con = connect_waiting(db, lock_timeout, read_only=True)
    try:
        size = warehouse_to_report_file(con, out)
    finally:
        con.close()
    click.echo(f"wrote {out} ({size / 1024:.0f} KiB)")


if __name__ == "__main__":
    main()
