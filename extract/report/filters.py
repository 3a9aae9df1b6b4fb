"""What lets a reader narrow the report: the filter bar, and one table of every record across
municipalities that the filters narrow and that downloads as CSV (filters.js does both in the page).

Every record in the page carries what the filters match on (ReportBuilder.filter_attrs), so the goal
trees, indicator cards and this table narrow together."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from extract.report.data import KIND_TITLES, RECORD_KINDS
from extract.report.markup import e, natural_key
from extract.report.palette import GOAL_SCALE, KIND_SCALES, SCALES, status_name

if TYPE_CHECKING:
    from extract.report.builder import ReportBuilder


def _select(name: str, label: str, options: str) -> str:
    return (f'<label>{e(label)}<select name="{name}" data-filter="{name}"><option value="">All</option>'
            f'{options}</select></label>')


def _option(value: str, text: str) -> str:
    return f'<option value="{e(value)}">{e(text)}</option>'


def filter_bar(report: ReportBuilder) -> str:
    """Municipality, document, status, theme and free text; the form never submits (filters.js)."""
    from extract.report.sections import scheme_title

    municipalities = report.municipality_documents()
    documents = "".join(_option(d["document_id"], f'{name} · {report.document_label(d["document_id"])}')
                        for _, name, docs in municipalities for d in docs)
    statuses = list(dict.fromkeys(s for scale in (*SCALES, GOAL_SCALE) for s in report.palette.vocabularies.get(scale, [])))
    codes: dict[str, dict[str, str]] = {}
    for theme in report.data.themes:
        codes.setdefault(theme["scheme"], {})[theme["code"]] = theme["label"]
    themes = "".join(
        f'<optgroup label="{e(scheme_title(scheme))}">'
        + "".join(_option(f"{scheme}:{code}", f"{code} {labels[code]}") for code in sorted(labels, key=natural_key))
        + "</optgroup>" for scheme, labels in sorted(codes.items()))
    return (f'<form id="filters" class="filters" role="search" aria-label="Filter records">'
            + _select("m", "Municipality", "".join(_option(code, name) for code, name, _ in municipalities))
            + _select("d", "Document", documents)
            + _select("s", "Status", "".join(_option(s, status_name(s)) for s in statuses) + _option("none", "no mark"))
            + _select("t", "Theme", themes)
            + '<label>Text<input type="search" name="q" data-filter="q" placeholder="words in a record"></label>'
            + '<button type="reset">Clear</button><output id="shown" aria-live="polite"></output></form>')


def _table_rows(report: ReportBuilder) -> list[tuple[str, str | None, dict[str, Any]]]:
    """(kind, scale, row) for goals and every record kind, by municipality, document and page."""
    rows = [("goal", GOAL_SCALE, g) for g in report.data.goals]
    rows += [(kind, KIND_SCALES.get(kind), r) for kind in RECORD_KINDS for r in report.data.records[kind]]
    order = {d["document_id"]: i for i, (_, _, docs) in enumerate(report.municipality_documents()) for d in docs}
    return sorted(rows, key=lambda item: (order.get(item[2]["document_id"], len(order)), item[2]["page_no"] or 0,
                                          natural_key(item[2].get("number") and str(item[2]["number"]))))


def records_table(report: ReportBuilder) -> str:
    """Every record in one table across municipalities; the rows shown download as CSV."""
    body = []
    for kind, scale, row in _table_rows(report):
        did = row["document_id"]
        document = report.documents.get(did, {})
        code = document.get("municipality_code") or ""
        status = report.mark(scale, row.get("status"), row.get("status_color")) if scale else ""
        attrs = report.filter_attrs(did, row["id"], row.get("status"), scaled=bool(scale))
        body.append(
            f'<tr{attrs} data-kind="{e(kind)}" data-id="{e(row["id"])}" data-file="{e(document.get("source_file"))}"'
            f' data-page="{e(row["page_no"])}" data-status="{e(row.get("status"))}">'
            f'<td>{e(report.names.get(code, "Unknown municipality"))}</td><td>{e(report.document_label(did))}</td>'
            f'<td>{e(KIND_TITLES[kind])}</td><td class="num">{e(row.get("number"))}</td>'
            f'<td class="title">{e(row["title"])}</td><td>{status}</td><td>{report.page_link(did, row["page_no"])}</td>'
            f'<td>{report.theme_chips(row["id"])}</td></tr>')
    head = "".join(f"<th>{h}</th>" for h in ("Municipality", "Document", "Record", "No.", "Title", "Status",
                                              "Source", "Themes"))
    return (f'<section id="records"><h2>Records across municipalities</h2><p class="muted">Every goal and record '
            f'of every document; the filters above narrow it. <button type="button" id="download-csv">'
            f'Download the rows shown as CSV</button></p><div class="scroll records-table"><table class="grid">'
            f'<thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table></div></section>')
