"""The sections that compare municipalities: navigation, overview, status distribution, theme coverage."""
from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from extract.report.charts import bars_to_svg
from extract.report.data import KIND_TITLES, RECORD_KINDS
from extract.report.markup import e, natural_key
from extract.report.palette import GOAL_SCALE, SCALE_TITLES, SCALES, status_name
from extract.records.themes import load_theme_rules
from models.registry import MARKED_TYPES


def scheme_title(scheme: str) -> str:
    """A theme scheme's name as rules/themes.yaml gives it."""
    schemes = load_theme_rules().schemes
    return schemes[scheme].label if scheme in schemes else scheme

if TYPE_CHECKING:
    from extract.report.builder import ReportBuilder



def toc(report: ReportBuilder) -> str:
    links = [("overview", "Overview"), ("status", "Status distribution"), ("themes", "Theme coverage"),
             ("records", "Records")]
    items = "".join(f'<li><a href="#{i}">{e(t)}</a></li>' for i, t in links)
    municipalities = "".join(f'<li><a href="#m-{e(code)}">{e(name)}</a></li>'
                             for code, name, _ in report.municipality_documents())
    return (f'<nav class="toc"><div class="brand">plans<span>report</span></div><ul>{items}</ul>'
            f'<h6>Municipalities</h6><ul>{municipalities}</ul>'
            f'<div class="tools"><button type="button" data-open="1">Expand all</button>'
            f'<button type="button" data-open="0">Collapse all</button></div></nav>')


def overview(report: ReportBuilder) -> str:
    """Totals as tiles, then one row per document with its record counts."""
    data = report.data
    counts = {"Municipalities": len({d["municipality_code"] for d in data.documents}),
              "Documents": len(data.documents), "Pages": sum(data.pages.values()), "Goals": len(data.goals)}
    counts.update({KIND_TITLES[k]: len(v) for k, v in data.records.items()})
    tiles = "".join(f'<div class="tile"><b>{n}</b><span>{e(label)}</span></div>' for label, n in counts.items())
    rows = [_overview_row(report, code, name, d)
            for code, name, documents in report.municipality_documents() for d in documents]
    head = "".join(f"<th>{h}</th>" for h in ("Municipality", "Document", "Type", "Period")) + "".join(
        f'<th class="num">{h}</th>' for h in ("Pages", "Goals", *(KIND_TITLES[k] for k in RECORD_KINDS))) + "<th></th>"
    return (f'<section id="overview"><h2>Overview</h2><div class="tiles">{tiles}</div>'
            f'<div class="scroll"><table class="grid"><thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table></div></section>')


def _overview_row(report: ReportBuilder, code: str, name: str, d: dict[str, Any]) -> str:
    did = d["document_id"]
    n = {k: len([r for r in rows if r["document_id"] == did]) for k, rows in report.data.records.items()}
    goals = len([g for g in report.data.goals if g["document_id"] == did])
    period = "–".join(dict.fromkeys(str(p.year) for p in (d["period_start"], d["period_end"]) if p))
    return (f'<tr><td><a href="#m-{e(code)}">{e(name)}</a></td><td>{e(d["title"])}'
            f'<div class="muted">{e(Path(d["source_file"]).name)}</div></td><td>{e(d["doc_type"])}</td>'
            f'<td>{e(period)}</td><td class="num">{e(d["pages"])}</td><td class="num">{goals}</td>'
            + "".join(f'<td class="num">{n[k]}</td>' for k in RECORD_KINDS)
            + f'<td>{report.page_link(did, None)}</td></tr>')


def _status_counts(report: ReportBuilder, documents: Iterable[dict[str, Any]]) -> dict[str, Counter]:
    """Records per status, per scale, in the given documents; goals count only where they carry a mark."""
    ids = {d["document_id"] for d in documents}
    rows = {GOAL_SCALE: [g for g in report.data.goals if g["status"] is not None],
            **{t.scale: report.data.records[t.name] for t in MARKED_TYPES}}
    return {scale: Counter(r["status"] for r in scale_rows if r["document_id"] in ids)
            for scale, scale_rows in rows.items()}


def status_charts(report: ReportBuilder) -> str:
    """One bar chart per scale and municipality whose documents mark statuses on it."""
    cards, marked = [], set()
    per_municipality = [(code, name, _status_counts(report, docs))
                        for code, name, docs in report.municipality_documents()]
    for scale in (*SCALES, GOAL_SCALE):
        for code, name, counts in per_municipality:
            if counts[scale]:
                marked.add(name)
                cards.append(_status_card(report, scale, code, name, counts[scale]))
    without = [name for _, name, _ in per_municipality if name not in marked]
    note = (f'<p class="muted">No status marks in the documents of {e(", ".join(without))}.</p>'
            if without and cards else "")
    body = f'<div class="cards">{"".join(cards)}</div>{note}' if cards else (
        '<p class="empty">No status marks in the warehouse.</p>')
    return (f'<section id="status"><h2>Status distribution</h2><p class="muted">How far each municipality '
            f'got, per status scale, as its documents mark it.</p>{status_legend(report)}{body}</section>')


def _status_card(report: ReportBuilder, scale: str, code: str, name: str, counter: Counter) -> str:
    palette = report.palette
    statuses = palette.vocabularies.get(scale, []) + ([None] if None in counter else [])
    bars = [(status_name(s), counter.get(s, 0), palette.color(scale, s), palette.label(scale, s)) for s in statuses]
    return (f'<figure class="card"><figcaption><a href="#m-{e(code)}">{e(name)}</a> · '
            f'{e(SCALE_TITLES[scale])}<span class="muted"> · {sum(counter.values())} records'
            f'</span></figcaption>{bars_to_svg(bars, f"{name}: {SCALE_TITLES[scale]} by status")}'
            f'</figure>')


def status_legend(report: ReportBuilder) -> str:
    """Each status with the label the documents print for it (the rules' default where none does)."""
    items = []
    for scale in SCALES:
        for status in report.palette.vocabularies.get(scale, []):
            items.append(f'<li>{report.mark(scale, status)} <span class="muted">'
                         f'“{e(report.palette.label(scale, status))}”</span></li>')
    items.append(f'<li>{report.mark(SCALES[0], None)} <span class="muted">the row carries no mark</span></li>')
    return (f'<details class="legend"><summary>Status vocabulary and the labels the documents print</summary>'
            f'<ul>{"".join(items)}</ul></details>')


def heatmaps(report: ReportBuilder) -> str:
    """Per theme scheme, a municipality × code table of how many records are coded to each code."""
    if not report.data.themes:
        return ('<section id="themes"><h2>Theme coverage</h2>'
                '<p class="empty">No theme coding loaded.</p></section>')
    blocks = "".join(_heatmap(report, scheme) for scheme in sorted({t["scheme"] for t in report.data.themes}))
    return (f'<section id="themes"><h2>Theme coverage</h2><p class="muted">Records coded to each theme, '
            f'per municipality (darker: more records); a cell opens its records in the table below.</p>{blocks}</section>')


def _heatmap(report: ReportBuilder, scheme: str) -> str:
    rows = [t for t in report.data.themes if t["scheme"] == scheme]
    labels = {t["code"]: t["label"] for t in rows}
    codes = sorted(labels, key=natural_key)
    records: dict[tuple[str, str], set[str]] = defaultdict(set)
    for t in rows:
        code = report.documents.get(t["document_id"], {}).get("municipality_code") or ""
        records[code, t["code"]].add(t["record_id"])
    largest = max(len(v) for v in records.values())
    head = "".join(f'<th class="code" title="{e(labels[c])}">{e(c)}</th>' for c in codes)
    body = []
    for mcode, name, _ in report.municipality_documents():
        cells = []
        for c in codes:
            n = len(records.get((mcode, c), ()))
            alpha = 0.08 + 0.92 * n / largest if n else 0
            style = f' style="background:rgba(31,58,95,{alpha:.2f});color:{"#fff" if alpha > 0.5 else "#1b1f24"}"'
            opens = (f'<button type="button" data-open-m="{e(mcode)}" data-open-t="{e(scheme)}:{e(c)}">{n}</button>'
                     if n else "")
            cells.append(f'<td class="cell"{style} title="{e(name)} · {e(labels[c])}: {n} records">{opens}</td>')
        body.append(f'<tr><th class="row"><a href="#m-{e(mcode)}">{e(name)}</a></th>{"".join(cells)}</tr>')
    key = "".join(f"<li><b>{e(c)}</b> {e(labels[c])}</li>" for c in codes)
    return (f'<h3>{e(scheme_title(scheme))}</h3><div class="scroll"><table class="heat">'
            f'<thead><tr><th></th>{head}</tr></thead><tbody>{"".join(body)}</tbody></table></div>'
            f'<details class="key"><summary>Codes</summary><ul class="codes">{key}</ul></details>')
