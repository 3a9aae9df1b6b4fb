"""The `plans` command: a thin layer that parses arguments, calls the library and reports.

Expected failures (PlansError, DuckDB errors, OS errors) become one line on stderr, `plans: <message>`,
and exit status 1; usage errors keep click's status 2. No traceback reaches the user.
"""
from __future__ import annotations

from pathlib import Path

import click
import duckdb
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from extract.errors import PlansError
from extract.evaluate import DEFAULT_FUZZY_THRESHOLD, evaluate_warehouse
from extract.export import rows_to_csv, rows_to_json, warehouse_to_files
from extract.load import DocumentLoad, WarehouseError, connect, extraction_to_counts, first_line, load_extraction
from extract.pipeline import expand_paths, extract_paths, file_to_page_texts

db_option = click.option(
    "--db", type=click.Path(path_type=Path, dir_okay=False), default=Path("output/plans.duckdb"),
    show_default=True, envvar="PLANS_DB", help="Warehouse file (env PLANS_DB).",
)


def fail(message: str) -> None:
    click.echo(f"plans: {message}", err=True)
    raise click.exceptions.Exit(1)


class PlansGroup(click.Group):
    """Turns the library's expected failures into one line and exit status 1."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except PlansError as error:
            fail(error.message)
        except duckdb.Error as error:
            fail(first_line(error))
        except OSError as error:
            fail(f"{error.filename}: {error.strerror}" if error.filename else str(error))


@click.group(cls=PlansGroup, context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Turn municipal plans and follow-ups (PDF) into typed records in a DuckDB warehouse."""


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@db_option
def extract(paths: tuple[Path, ...], db: Path) -> None:
    """Extract records from PDF/text files or folders and load them into the warehouse.

    \b
    Example:
      plans extract corpus/pdf --db output/plans.duckdb
    """
    files = expand_paths(paths)
    if not files:
        raise PlansError(f"no .pdf, .txt or .md files in {', '.join(map(str, paths))}")
    outcomes: list[tuple[Path, str, DocumentLoad]] = []
    notices: list[str] = []
    con = connect(db)
    try:
        progress = Progress(TextColumn("[bold]extracting"), BarColumn(), MofNCompleteColumn(),
                            TimeElapsedColumn(), TextColumn("{task.description}"),
                            console=Console(stderr=True), transient=True)
        with progress:
            task = progress.add_task(files[0].name, total=len(files))
            for index, (path, result) in enumerate(extract_paths(files)):
                outcomes.append(_load_result(con, path, result))
                if not isinstance(result, PlansError):
                    notices.extend(result.notices)
                following = files[index + 1].name if index + 1 < len(files) else ""
                progress.update(task, advance=1, description=following)
    finally:
        con.close()
    _print_summary(outcomes, notices, db)
    failures = [load for _, _, load in outcomes if load.status == "failed"]
    for load in failures:
        click.echo(f"plans: {load.error}", err=True)
    if failures:
        raise click.exceptions.Exit(1)


def _load_result(con: duckdb.DuckDBPyConnection, path: Path,
                 result: object) -> tuple[Path, str, DocumentLoad]:
    if isinstance(result, PlansError):
        return path, "-", DocumentLoad(source_file=str(path), sha256=None, status="failed", error=result.message)
    municipality = result.municipality.name if result.municipality else (result.document.municipality_code or "-")
    try:
        load, _ = load_extraction(con, result)
    except WarehouseError as error:
        load = DocumentLoad(source_file=str(path), sha256=result.document.sha256, status="failed",
                            municipality_code=result.document.municipality_code,
                            counts=extraction_to_counts(result), error=error.message)
    return path, municipality, load


def _wide_console() -> Console:
    """A terminal's own width; piped or captured output gets room enough not to truncate file names."""
    console = Console()
    return console if console.is_terminal else Console(width=max(console.width, 160))


_STATUS_STYLE = {"loaded": "green", "replaced": "cyan", "unchanged": "dim", "failed": "bold red"}


def _print_summary(outcomes: list[tuple[Path, str, DocumentLoad]], notices: list[str], db: Path) -> None:
    table = Table(title=f"Records per document → {db}", title_justify="left")
    table.add_column("document")
    table.add_column("municipality")
    for heading in ("pages", "goals", "result goals", "uppdrag", "indicators", "activities"):
        table.add_column(heading, justify="right")
    table.add_column("status")
    kinds = ("pages", "goals", "result_goals", "assignments", "indicators", "activities")
    for path, municipality, load in outcomes:
        counts = [str(load.counts[k]) if k in load.counts else "-" for k in kinds]
        style = _STATUS_STYLE[load.status]
        table.add_row(path.name, municipality, *counts, f"[{style}]{load.status}[/]")
    console = _wide_console()
    console.print(table)
    for notice in notices:
        console.print(f"notice: {notice}", highlight=False, markup=False)


@main.command()
@click.argument("sql")
@db_option
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True,
              help="Output format.")
def query(sql: str, db: Path, fmt: str) -> None:
    """Run one SQL statement against the warehouse (read-only) and print the result.

    \b
    Example:
      plans query "select municipality_code, count(*) from page group by 1" --format csv
    """
    con = connect(db, read_only=True)
    try:
        result = con.execute(sql)
        columns = [d[0] for d in result.description] if result.description else []
        rows = result.fetchall() if columns else []
    except duckdb.Error as error:
        raise PlansError(f"query failed: {first_line(error)}") from None
    finally:
        con.close()
    if fmt == "csv":
        click.echo(rows_to_csv(columns, rows), nl=False)
    elif fmt == "json":
        click.echo(rows_to_json(columns, rows))
    else:
        table = Table(*columns, caption=f"{len(rows)} row{'s' if len(rows) != 1 else ''}")
        for row in rows:
            table.add_row(*("" if v is None else str(v) for v in row))
        _wide_console().print(table, markup=False, highlight=False)


@main.command()
@click.argument("outdir", type=click.Path(path_type=Path, file_okay=False))
@db_option
@click.option("--format", "fmt", type=click.Choice(["parquet", "csv"]), default="parquet", show_default=True,
              help="File format, one file per table.")
def export(outdir: Path, db: Path, fmt: str) -> None:
    """Write every warehouse table to OUTDIR/<table>.parquet or .csv.

    \b
    Example:
      plans export --format parquet output/export
    """
    con = connect(db, read_only=True)
    try:
        written = warehouse_to_files(con, outdir, fmt)
    finally:
        con.close()
    click.echo(f"wrote {len(written)} files to {outdir}")


@main.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--raw", is_flag=True, help="The text as the file (or OCR) gives it, before repair.")
def text(file: Path, raw: bool) -> None:
    """Print a document's repaired text page by page, to check what repair did.

    Example: plans text corpus/pdf/ostersund-budget-2024.pdf --raw
    """
    for page_no, source, page_text in file_to_page_texts(file, raw=raw):
        click.echo(f"── page {page_no} ({source}) ──")
        click.echo(page_text)


@main.command(name="eval")
@click.option("--gold", "gold_dir", type=click.Path(path_type=Path, file_okay=False), default=Path("corpus/gold"),
              show_default=True, help="Folder of gold files (<name>.json).")
@db_option
@click.option("--fuzzy-threshold", type=click.FloatRange(0, 100), default=DEFAULT_FUZZY_THRESHOLD,
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
    report = evaluate_warehouse(db, gold_dir, fuzzy_threshold=fuzzy_threshold)
    fmt = "json" if as_json else fmt
    click.echo(report.to_json() if fmt == "json" else report.to_markdown() if fmt == "markdown" else report.to_table())


if __name__ == "__main__":
    main()
