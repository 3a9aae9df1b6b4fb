"""The report page: what every section shares (lookups, source links, status marks, theme chips), the
page around the sections, and the entry points that write it.

The CSS and scripts are files next to this module, inlined into the page so it fetches nothing: its
Content-Security-Policy forbids every fetch, and the first script records any error or blocked fetch
on the <html> element, where the tests read it.
"""
from __future__ import annotations

import datetime as dt
from functools import cache
from importlib import resources
from pathlib import Path

import duckdb

from extract.report import filters, sections, tree
from extract.report.builder import ReportBuilder
from extract.report.data import warehouse_to_data
from extract.report.markup import e

CSP = ("default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:; "
       "base-uri 'none'; form-action 'none'")


@cache
def asset(name: str) -> str:
    return resources.files(__package__).joinpath(name).read_text(encoding="utf-8")


def builder_to_html(report: ReportBuilder, title: str) -> str:
    """The whole page: styles and scripts inline, sections in reading order."""
    municipalities = "".join(tree.municipality_section(report, *m) for m in report.municipality_documents())
    stamp = report.generated.strftime("%Y-%m-%d %H:%M")
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
            f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<title>{e(title)}</title><script>\n{asset("errors.js")}</script>'
            f'<style>\n{asset("report.css")}</style></head><body>'
            f'{sections.toc(report)}<main><header><h1>{e(title)}</h1><p>Goals, status marks, themes and indicators '
            f'extracted from municipal plans and follow-ups. Every row links to its document and page. '
            f'Generated {e(stamp)}.</p></header>{filters.filter_bar(report)}{sections.overview(report)}'
            f'{sections.status_charts(report)}{sections.heatmaps(report)}{filters.records_table(report)}'
            f'{municipalities}</main><script>\n{asset("behaviour.js")}\n{asset("filters.js")}</script>'
            f'</body></html>')


def warehouse_to_html(con: duckdb.DuckDBPyConnection, out_dir: Path, title: str = "Municipal plans compared",
                      generated: dt.datetime | None = None) -> str:
    """The report as one HTML page, its links to source PDFs relative to `out_dir`."""
    data = warehouse_to_data(con)
    return builder_to_html(ReportBuilder(data, out_dir, generated or dt.datetime.now()), title)


def warehouse_to_report_file(con: duckdb.DuckDBPyConnection, out: Path) -> int:
    """Write the report to `out` (links are relative to its folder); returns the bytes written."""
    out.parent.mkdir(parents=True, exist_ok=True)
    text = warehouse_to_html(con, out.parent)
    out.write_text(text, encoding="utf-8")
    return len(text.encode("utf-8"))
