"""The comparison report: one self-contained HTML file a researcher opens in a browser, offline.

Everything is inline (CSS, SVG charts drawn here, a few lines of script) and a Content-Security-Policy
forbids fetching anything, so the file can be mailed, archived or opened on a machine without network.
Every record links to its source PDF at its page (a path relative to the report's folder), so a reader
can check any row against the document it came from.
"""
from __future__ import annotations

import datetime as dt
import os
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any, Iterable
from urllib.parse import quote

import duckdb

from extract.rules.base import base_rules

RECORD_KINDS = ("result_goal", "assignment", "activity", "indicator")
KIND_TITLES = {"result_goal": "Result goals", "assignment": "Assignments", "activity": "Activities",
               "indicator": "Indicators", "goal": "Goals"}
SCALE_TITLES = {"result_goal": "Result goals", "assignment": "Assignments", "goal": "Goals reported on"}
NO_MARK = "no mark"
NO_MARK_COLOR = "#b9bec6"
SCHEME_TITLES = {"cap": "Comparative Agendas Project major topics", "sdg": "Agenda 2030 goals"}


def e(value: Any) -> str:
    return "" if value is None else escape(str(value), quote=True)


def _rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[dict[str, Any]]:
    result = con.execute(sql)
    columns = [d[0] for d in result.description]
    return [dict(zip(columns, row)) for row in result.fetchall()]


def _has_table(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    return bool(con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [name]).fetchone()[0])


def _natural_key(text: str | None) -> list[Any]:
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", text or "")]


@dataclass
class ReportData:
    """The warehouse rows the report shows, grouped for rendering."""

    municipalities: list[dict[str, Any]]
    documents: list[dict[str, Any]]
    goals: list[dict[str, Any]]
    records: dict[str, list[dict[str, Any]]]
    """Kind (result_goal, assignment, activity, indicator) → rows, each with a uniform `id`."""
    values: dict[str, list[dict[str, Any]]]
    legend: list[dict[str, Any]]
    themes: list[dict[str, Any]]
    pages: dict[str, int] = field(default_factory=dict)


def warehouse_to_data(con: duckdb.DuckDBPyConnection) -> ReportData:
    records = {
        "result_goal": _rows(con, "SELECT result_goal_id AS id, * FROM result_goal ORDER BY page_no, title"),
        "assignment": _rows(con, "SELECT assignment_id AS id, * FROM assignment ORDER BY page_no, title"),
        "activity": _rows(con, "SELECT activity_id AS id, * FROM activity ORDER BY page_no, number, title"),
        "indicator": _rows(con, "SELECT indicator_id AS id, name AS title, * FROM indicator "
                                "ORDER BY page_no, group_name, name"),
    }
    values: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in _rows(con, "SELECT * FROM indicator_value ORDER BY indicator_id, period"):
        values[row["indicator_id"]].append(row)
    themes = []
    if _has_table(con, "theme"):
        themes = _rows(con, """
            WITH records AS (
                SELECT goal_id AS record_id, document_id FROM goal
                UNION ALL SELECT result_goal_id, document_id FROM result_goal
                UNION ALL SELECT assignment_id, document_id FROM assignment
                UNION ALL SELECT activity_id, document_id FROM activity
                UNION ALL SELECT indicator_id, document_id FROM indicator
            )
            SELECT t.record_type, t.record_id, t.scheme, t.code, t.label, t.score, r.document_id
            FROM theme t JOIN records r USING (record_id)
            ORDER BY t.scheme, t.record_id, t.score DESC""")
    return ReportData(
        municipalities=_rows(con, "SELECT * FROM municipality ORDER BY name"),
        documents=_rows(con, "SELECT * FROM document ORDER BY source_file"),
        goals=_rows(con, "SELECT goal_id AS id, * FROM goal ORDER BY page_no, number, title"),
        records=records,
        values=dict(values),
        legend=_rows(con, "SELECT * FROM status_legend"),
        themes=themes,
        pages={r["document_id"]: r["n"] for r in _rows(con, "SELECT document_id, count(*) AS n FROM page GROUP BY 1")},
    )


class Palette:
    """Status colours and labels: the documents' own legends first, the default legend of the rules after."""

    def __init__(self, legend: list[dict[str, Any]]):
        rules = base_rules().status
        self.vocabularies = {scale: list(statuses) for scale, statuses in rules.vocabularies.items()}
        self.vocabularies["goal"] = self.vocabularies.get("assignment", [])
        self._color: dict[tuple[str, str], str] = {}
        self._label: dict[tuple[str, str], str] = {}
        for entry in rules.default_legend:
            self._color[entry.scale, entry.status] = rules.color_hex(entry.color)
            self._label[entry.scale, entry.status] = entry.label
        printed = Counter((row["scale"], row["status"], row["color"], row["label"]) for row in legend
                          if row.get("source") == "document")
        for (scale, status, color, label), _ in reversed(printed.most_common()):
            if color:
                self._color[scale, status] = color
            self._label[scale, status] = label

    def color(self, scale: str, status: str | None) -> str:
        if status is None:
            return NO_MARK_COLOR
        scale = "assignment" if scale == "goal" else scale
        return self._color.get((scale, status), NO_MARK_COLOR)

    def label(self, scale: str, status: str | None) -> str:
        scale = "assignment" if scale == "goal" else scale
        return self._label.get((scale, status), status or NO_MARK)


def status_name(status: str | None) -> str:
    return status.replace("_", " ") if status else NO_MARK


# ── SVG charts ──────────────────────────────────────────────────────────────────────────────────────


def _text_color(background: str) -> str:
    r, g, b = (int(background[i:i + 2], 16) for i in (1, 3, 5))
    return "#1b1f24" if 0.299 * r + 0.587 * g + 0.114 * b > 150 else "#ffffff"


def bars_to_svg(bars: list[tuple[str, int, str, str]], title: str) -> str:
    """A horizontal bar chart: one (label, count, colour, tooltip) per bar, scaled to the largest count."""
    label_w, bar_w, row_h, top = 132, 150, 28, 6
    total = sum(count for _, count, _, _ in bars) or 1
    largest = max((count for _, count, _, _ in bars), default=0) or 1
    height = top + row_h * len(bars) + 4
    parts = [f'<svg class="chart" role="img" viewBox="0 0 {label_w + bar_w + 70} {height}" '
             f'width="{label_w + bar_w + 70}" height="{height}" aria-label="{e(title)}"><title>{e(title)}</title>']
    for i, (label, count, color, tooltip) in enumerate(bars):
        y = top + i * row_h
        width = round(bar_w * count / largest, 1)
        parts.append(
            f'<g class="bar"><title>{e(tooltip)}: {count}</title>'
            f'<text x="{label_w - 8}" y="{y + 17}" text-anchor="end" class="bar-label">{e(label)}</text>'
            f'<rect x="{label_w}" y="{y + 4}" width="{bar_w}" height="18" rx="3" class="bar-track"/>'
            f'<rect x="{label_w}" y="{y + 4}" width="{max(width, 0.01 if count else 0)}" height="18" rx="3" '
            f'fill="{e(color)}"/>'
            f'<text x="{label_w + bar_w + 8}" y="{y + 17}" class="bar-value">{count} '
            f'<tspan class="share">({round(100 * count / total)} %)</tspan></text></g>')
    parts.append("</svg>")
    return "".join(parts)


def shares_to_svg(shares: list[tuple[int, str, str]], width: int = 160) -> str:
    """A thin stacked bar of status shares (count, colour, tooltip), for a goal's summary line."""
    total = sum(count for count, _, _ in shares)
    if not total:
        return ""
    parts, x = [f'<svg class="stack" viewBox="0 0 {width} 10" width="{width}" height="10" aria-hidden="true">'], 0.0
    for count, color, tooltip in shares:
        if count:
            w = width * count / total
            parts.append(f'<rect x="{x:.2f}" y="0" width="{w:.2f}" height="10" fill="{e(color)}">'
                         f'<title>{e(tooltip)}: {count}</title></rect>')
            x += w
    parts.append("</svg>")
    return "".join(parts)


# ── the report ──────────────────────────────────────────────────────────────────────────────────────


class ReportBuilder:
    def __init__(self, data: ReportData, out_dir: Path, generated: dt.datetime):
        self.data = data
        self.out_dir = out_dir.resolve()
        self.generated = generated
        self.palette = Palette(data.legend)
        self.documents = {d["document_id"]: d for d in data.documents}
        self.names = {m["code"]: m["name"] for m in data.municipalities}
        self.themes_by_record: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for theme in data.themes:
            self.themes_by_record[theme["record_id"]].append(theme)
        self.by_goal: dict[tuple[str, str | None], dict[str, list[dict[str, Any]]]] = defaultdict(
            lambda: defaultdict(list))
        for kind, rows in data.records.items():
            for row in rows:
                self.by_goal[row["document_id"], row["goal_id"]][kind].append(row)

    # municipalities and their documents, in display order (municipalities with records first)

    def municipality_documents(self) -> list[tuple[str, str, list[dict[str, Any]]]]:
        grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for document in self.data.documents:
            grouped[document["municipality_code"] or ""].append(document)
        return sorted(((code, self.names.get(code, "Unknown municipality"), docs) for code, docs in grouped.items()),
                      key=lambda item: item[1])

    def source_href(self, document_id: str, page_no: int | None) -> str | None:
        source = self.documents.get(document_id, {}).get("source_file")
        if not source:
            return None
        path = Path(source)
        path = path if path.is_absolute() else Path.cwd() / path
        relative = os.path.relpath(path.resolve(), self.out_dir).replace(os.sep, "/")
        return quote(relative) + (f"#page={page_no}" if page_no else "")

    def page_link(self, document_id: str, page_no: int | None) -> str:
        href = self.source_href(document_id, page_no)
        name = Path(self.documents.get(document_id, {}).get("source_file") or "?").name
        label = f"p.&nbsp;{page_no}" if page_no else "doc"
        if not href:
            return f'<span class="src">{label}</span>'
        return f'<a class="src" href="{e(href)}" title="{e(name)}, page {e(page_no or "-")}">{label}</a>'

    def mark(self, scale: str, status: str | None, color: str | None = None) -> str:
        color = color or self.palette.color(scale, status)
        label = self.palette.label(scale, status) if status else NO_MARK
        css = "mark" if status else "mark none"
        return (f'<span class="{css}" style="--c:{e(color)}" title="{e(status_name(status))}: {e(label)}">'
                f'<i></i>{e(status_name(status))}</span>')

    def theme_chips(self, record_id: str) -> str:
        chips = [f'<span class="chip {e(t["scheme"])}" title="{e(t["label"])}">{e(t["scheme"]).upper()}&nbsp;'
                 f'{e(t["code"])}</span>' for t in self.themes_by_record.get(record_id, [])]
        return f'<span class="chips">{"".join(chips)}</span>' if chips else ""

    # sections

    def overview(self) -> str:
        counts = {"Municipalities": len({d["municipality_code"] for d in self.data.documents}),
                  "Documents": len(self.data.documents), "Pages": sum(self.data.pages.values()),
                  "Goals": len(self.data.goals)}
        counts.update({KIND_TITLES[k]: len(v) for k, v in self.data.records.items()})
        tiles = "".join(f'<div class="tile"><b>{n}</b><span>{e(label)}</span></div>' for label, n in counts.items())
        rows = []
        for code, name, documents in self.municipality_documents():
            for d in documents:
                did = d["document_id"]
                n = {k: len([r for r in rows_ if r["document_id"] == did]) for k, rows_ in self.data.records.items()}
                goals = len([g for g in self.data.goals if g["document_id"] == did])
                period = "–".join(dict.fromkeys(str(p.year) for p in (d["period_start"], d["period_end"]) if p))
                rows.append(
                    f'<tr><td><a href="#m-{e(code)}">{e(name)}</a></td><td>{e(d["title"])}'
                    f'<div class="muted">{e(Path(d["source_file"]).name)}</div></td><td>{e(d["doc_type"])}</td>'
                    f'<td>{e(period)}</td><td class="num">{e(d["pages"])}</td><td class="num">{goals}</td>'
                    + "".join(f'<td class="num">{n[k]}</td>' for k in RECORD_KINDS)
                    + f'<td>{self.page_link(did, None)}</td></tr>')
        head = "".join(f"<th>{h}</th>" for h in ("Municipality", "Document", "Type", "Period")) + "".join(
            f'<th class="num">{h}</th>' for h in ("Pages", "Goals", *(KIND_TITLES[k] for k in RECORD_KINDS))) + "<th></th>"
        return (f'<section id="overview"><h2>Overview</h2><div class="tiles">{tiles}</div>'
                f'<div class="scroll"><table class="grid"><thead><tr>{head}</tr></thead>'
                f'<tbody>{"".join(rows)}</tbody></table></div></section>')

    def status_counts(self, documents: Iterable[dict[str, Any]]) -> dict[str, Counter]:
        ids = {d["document_id"] for d in documents}
        rows = {"goal": [g for g in self.data.goals if g["status"] is not None],
                "result_goal": self.data.records["result_goal"], "assignment": self.data.records["assignment"]}
        return {scale: Counter(r["status"] for r in scale_rows if r["document_id"] in ids)
                for scale, scale_rows in rows.items()}

    def status_charts(self) -> str:
        cards, marked = [], set()
        per_municipality = [(code, name, self.status_counts(docs)) for code, name, docs in self.municipality_documents()]
        for scale in ("result_goal", "assignment", "goal"):
            for code, name, counts in per_municipality:
                counter = counts[scale]
                if not counter:
                    continue
                marked.add(name)
                statuses = self.palette.vocabularies.get(scale, []) + ([None] if None in counter else [])
                bars = [(status_name(s), counter.get(s, 0), self.palette.color(scale, s), self.palette.label(scale, s))
                        for s in statuses]
                cards.append(f'<figure class="card"><figcaption><a href="#m-{e(code)}">{e(name)}</a> · '
                             f'{e(SCALE_TITLES[scale])}<span class="muted"> · {sum(counter.values())} records'
                             f'</span></figcaption>{bars_to_svg(bars, f"{name}: {SCALE_TITLES[scale]} by status")}'
                             f'</figure>')
        without = [name for _, name, _ in per_municipality if name not in marked]
        note = (f'<p class="muted">No status marks in the documents of {e(", ".join(without))}.</p>'
                if without and cards else "")
        body = f'<div class="cards">{"".join(cards)}</div>{note}' if cards else (
            '<p class="empty">No status marks in the warehouse.</p>')
        return (f'<section id="status"><h2>Status distribution</h2><p class="muted">How far each municipality '
                f'got, per status scale, as its documents mark it.</p>{self.status_legend()}{body}</section>')

    def status_legend(self) -> str:
        items = []
        for scale in ("result_goal", "assignment"):
            for status in self.palette.vocabularies.get(scale, []):
                items.append(f'<li>{self.mark(scale, status)} <span class="muted">'
                             f'“{e(self.palette.label(scale, status))}”</span></li>')
        items.append(f'<li>{self.mark("result_goal", None)} <span class="muted">the row carries no mark</span></li>')
        return (f'<details class="legend"><summary>Status vocabulary and the labels the documents print</summary>'
                f'<ul>{"".join(items)}</ul></details>')

    def heatmaps(self) -> str:
        if not self.data.themes:
            return ('<section id="themes"><h2>Theme coverage</h2>'
                    '<p class="empty">No theme coding loaded.</p></section>')
        blocks = []
        municipalities = [(code, name) for code, name, _ in self.municipality_documents()]
        for scheme in sorted({t["scheme"] for t in self.data.themes}):
            rows = [t for t in self.data.themes if t["scheme"] == scheme]
            labels = {t["code"]: t["label"] for t in rows}
            codes = sorted(labels, key=_natural_key)
            records: dict[tuple[str, str], set[str]] = defaultdict(set)
            for t in rows:
                code = self.documents.get(t["document_id"], {}).get("municipality_code") or ""
                records[code, t["code"]].add(t["record_id"])
            largest = max(len(v) for v in records.values())
            head = "".join(f'<th class="code" title="{e(labels[c])}">{e(c)}</th>' for c in codes)
            body = []
            for mcode, name in municipalities:
                cells = []
                for c in codes:
                    n = len(records.get((mcode, c), ()))
                    alpha = 0.08 + 0.92 * n / largest if n else 0
                    style = f' style="background:rgba(31,58,95,{alpha:.2f});color:{"#fff" if alpha > 0.5 else "#1b1f24"}"'
                    cells.append(f'<td class="cell"{style} title="{e(name)} · {e(labels[c])}: {n} records">'
                                 f'{n or ""}</td>')
                body.append(f'<tr><th class="row"><a href="#m-{e(mcode)}">{e(name)}</a></th>{"".join(cells)}</tr>')
            key = "".join(f"<li><b>{e(c)}</b> {e(labels[c])}</li>" for c in codes)
            blocks.append(
                f'<h3>{e(SCHEME_TITLES.get(scheme, scheme))}</h3><div class="scroll"><table class="heat">'
                f'<thead><tr><th></th>{head}</tr></thead><tbody>{"".join(body)}</tbody></table></div>'
                f'<details class="key"><summary>Codes</summary><ul class="codes">{key}</ul></details>')
        return (f'<section id="themes"><h2>Theme coverage</h2><p class="muted">Records coded to each theme, '
                f'per municipality (darker: more records).</p>{"".join(blocks)}</section>')

    def record_item(self, kind: str, row: dict[str, Any]) -> str:
        mark = self.mark(kind, row.get("status"), row.get("status_color")) if kind in ("result_goal", "assignment") else ""
        extra = []
        if row.get("committees"):
            extra.append(f'<span class="tag">{e(", ".join(row["committees"]))}</span>')
        if kind == "activity" and row.get("number") is not None:
            extra.append(f'<span class="tag">#{e(row["number"])}</span>')
        if kind == "indicator":
            latest = [v for v in self.data.values.get(row["id"], []) if v["value"] is not None]
            if latest:
                extra.append(f'<span class="tag">{e(latest[-1]["period"])}: {e(_number(latest[-1]["value"]))}'
                             f'{e(row.get("unit") or "")}</span>')
            extra.append(f'<a class="tag" href="#i-{e(row["id"])}">values</a>')
        comment = row.get("comment") or row.get("purpose")
        detail = f'<p class="comment">{e(comment)}</p>' if comment else ""
        who = " · ".join(x for x in (row.get("responsible"), row.get("performer")) if x)
        detail += f'<p class="comment">Responsible: {e(who)}</p>' if who else ""
        return (f'<li class="rec {kind}"><div class="line">{mark}<span class="title">{e(row["title"])}</span>'
                f'{"".join(extra)}{self.theme_chips(row["id"])}{self.page_link(row["document_id"], row["page_no"])}'
                f'</div>{detail}</li>')

    def records_block(self, grouped: dict[str, list[dict[str, Any]]]) -> str:
        parts = []
        for kind in RECORD_KINDS:
            rows = grouped.get(kind, [])
            if rows:
                items = "".join(self.record_item(kind, r) for r in rows)
                parts.append(f'<div class="kind"><h5>{KIND_TITLES[kind]} <span class="count">{len(rows)}</span></h5>'
                             f'<ul class="records">{items}</ul></div>')
        return "".join(parts)

    def goal_node(self, goal: dict[str, Any], children: dict[str | None, list[dict[str, Any]]]) -> str:
        grouped = self.by_goal.get((goal["document_id"], goal["id"]), {})
        subgoals = children.get(goal["id"], [])
        counts = " · ".join([f"{len(subgoals)} goals"] * bool(subgoals) + [
            f"{len(grouped[k])} {KIND_TITLES[k].lower()}" for k in RECORD_KINDS if grouped.get(k)])
        shares = []
        for scale in ("result_goal", "assignment"):
            counter = Counter(r["status"] for r in grouped.get(scale, []))
            shares += [(counter.get(s, 0), self.palette.color(scale, s), f"{KIND_TITLES[scale]}, {status_name(s)}")
                       for s in self.palette.vocabularies.get(scale, []) + [None]]
        sub = "".join(self.goal_node(child, children) for child in subgoals)
        status = self.mark("goal", goal["status"]) if goal.get("status") else ""
        number = f'<span class="num-badge">{e(goal["number"])}</span>' if goal.get("number") else ""
        label = f'<span class="short">{e(goal["short_label"])}</span>' if goal.get("short_label") else ""
        inner = self.records_block(grouped) + sub
        summary = (f'<summary><span class="level">{e(goal["level"])}</span>{number}{status}'
                   f'<span class="goal-title">{label}{e(goal["title"])}</span>'
                   f'<span class="meta">{shares_to_svg(shares)}<span class="muted">{e(counts)}</span>'
                   f'{self.theme_chips(goal["id"])}{self.page_link(goal["document_id"], goal["page_no"])}</span></summary>')
        if not inner:
            return f'<div class="goal leaf">{summary.replace("<summary>", "<div class=sum>").replace("</summary>", "</div>")}</div>'
        return f'<details class="goal">{summary}<div class="body">{inner}</div></details>'

    def document_tree(self, document: dict[str, Any]) -> str:
        did = document["document_id"]
        goals = [g for g in self.data.goals if g["document_id"] == did]
        ids = {g["id"] for g in goals}
        children: dict[str | None, list[dict[str, Any]]] = defaultdict(list)
        for goal in sorted(goals, key=lambda g: (g["page_no"] or 0, _natural_key(g["number"]))):
            children[goal["parent_goal_id"] if goal["parent_goal_id"] in ids else None].append(goal)
        tree = "".join(self.goal_node(g, children) for g in children.get(None, []))
        loose = self.by_goal.get((did, None), {})
        if loose:
            tree += (f'<details class="goal"><summary><span class="goal-title">Not linked to a goal</span>'
                     f'<span class="meta muted">{sum(len(v) for v in loose.values())} records</span></summary>'
                     f'<div class="body">{self.records_block(loose)}</div></details>')
        tree = tree or '<p class="empty">No records extracted from this document.</p>'
        return (f'<div class="document"><h4>{e(document["title"] or Path(document["source_file"]).name)} '
                f'<span class="muted">· {e(document["doc_type"])} · {e(document["pages"])} pages</span> '
                f'{self.page_link(did, None)}</h4>{tree}</div>')

    def indicator_tables(self, documents: list[dict[str, Any]]) -> str:
        ids = {d["document_id"] for d in documents}
        indicators = [i for i in self.data.records["indicator"] if i["document_id"] in ids]
        if not indicators:
            return ""
        groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for indicator in indicators:
            groups[indicator["group_name"] or "Indicators"].append(indicator)
        blocks = []
        for group, rows in groups.items():
            cards = "".join(self.indicator_card(i) for i in rows)
            blocks.append(f'<h5>{e(group)} <span class="count">{len(rows)}</span></h5><div class="ind-grid">{cards}</div>')
        return (f'<details class="indicators" open><summary><h4>Indicators '
                f'<span class="count">{len(indicators)}</span></h4></summary>{"".join(blocks)}</details>')

    def indicator_card(self, indicator: dict[str, Any]) -> str:
        values = self.data.values.get(indicator["id"], [])
        arrow = {"increase": "↑ increase", "decrease": "↓ decrease"}.get(indicator["direction"] or "", "–")
        rows = "".join(f'<tr><td>{e(v["period"])}</td><td class="num">'
                       f'{e(_number(v["value"])) if v["value"] is not None else "<span class=muted>–</span>"}</td></tr>'
                       for v in values) or '<tr><td colspan="2" class="muted">no values</td></tr>'
        return (f'<div class="ind" id="i-{e(indicator["id"])}"><div class="ind-name">{e(indicator["name"])}</div>'
                f'<table class="values"><thead><tr><th>Period</th><th class="num">Value'
                f'{" (" + e(indicator["unit"]) + ")" if indicator["unit"] else ""}</th></tr></thead>'
                f'<tbody>{rows}</tbody></table><dl><dt>Target</dt><dd>{e(indicator["target"] or "–")}</dd>'
                f'<dt>Direction</dt><dd class="dir {e(indicator["direction"] or "")}">{arrow}</dd></dl>'
                f'<div class="ind-foot">{self.theme_chips(indicator["id"])}'
                f'{self.page_link(indicator["document_id"], indicator["page_no"])}</div></div>')

    def municipality_section(self, code: str, name: str, documents: list[dict[str, Any]]) -> str:
        county = next((m["county"] for m in self.data.municipalities if m["code"] == code), "")
        trees = "".join(self.document_tree(d) for d in documents)
        return (f'<section id="m-{e(code)}" class="municipality"><h2>{e(name)} '
                f'<span class="muted">{e(county)} · {e(code)}</span></h2>'
                f'<h3>Goal tree</h3>{trees}{self.indicator_tables(documents)}</section>')

    def toc(self) -> str:
        links = [("overview", "Overview"), ("status", "Status distribution"), ("themes", "Theme coverage")]
        items = "".join(f'<li><a href="#{i}">{e(t)}</a></li>' for i, t in links)
        municipalities = "".join(f'<li><a href="#m-{e(code)}">{e(name)}</a></li>'
                                 for code, name, _ in self.municipality_documents())
        return (f'<nav class="toc"><div class="brand">plans<span>report</span></div><ul>{items}</ul>'
                f'<h6>Municipalities</h6><ul>{municipalities}</ul>'
                f'<div class="tools"><button type="button" data-open="1">Expand all</button>'
                f'<button type="button" data-open="0">Collapse all</button></div></nav>')

    def html(self, title: str) -> str:
        sections = "".join(self.municipality_section(*m) for m in self.municipality_documents())
        stamp = self.generated.strftime("%Y-%m-%d %H:%M")
        return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
                f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
                f'<meta name="viewport" content="width=device-width, initial-scale=1">'
                f'<title>{e(title)}</title><script>{ERROR_RECORDER}</script><style>{CSS}</style></head><body>'
                f'{self.toc()}<main><header><h1>{e(title)}</h1><p>Goals, status marks, themes and indicators '
                f'extracted from municipal plans and follow-ups. Every row links to its document and page. '
                f'Generated {e(stamp)}.</p></header>{self.overview()}{self.status_charts()}{self.heatmaps()}'
                f'{sections}</main><script>{BEHAVIOUR}</script></body></html>')


def _number(value: float) -> str:
    return f"{value:,.10g}".replace(",", "\u202f")


def warehouse_to_html(con: duckdb.DuckDBPyConnection, out_dir: Path, title: str = "Municipal plans compared",
                      generated: dt.datetime | None = None) -> str:
    data = warehouse_to_data(con)
    return ReportBuilder(data, out_dir, generated or dt.datetime.now()).html(title)


def warehouse_to_report_file(con: duckdb.DuckDBPyConnection, out: Path) -> int:
    """Write the report to `out` (links are relative to its folder); returns the bytes written."""
    out.parent.mkdir(parents=True, exist_ok=True)
    text = warehouse_to_html(con, out.parent)
    out.write_text(text, encoding="utf-8")
    return len(text.encode("utf-8"))


CSP = ("default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:; "
       "base-uri 'none'; form-action 'none'")

ERROR_RECORDER = """
(function () {
  var root = document.documentElement, seen = [];
  function record(message) {
    seen.push(String(message));
    root.setAttribute('data-report-errors', seen.join(' | '));
  }
  window.addEventListener('error', function (ev) {
    var t = ev.target;
    record(ev.message || ('failed to load ' + ((t && (t.src || t.href)) || 'a resource')));
  }, true);
  window.addEventListener('unhandledrejection', function (ev) { record('unhandled rejection: ' + ev.reason); });
  document.addEventListener('securitypolicyviolation', function (ev) { record('blocked ' + ev.blockedURI); });
  var consoleError = console.error;
  console.error = function () { record([].slice.call(arguments).join(' ')); consoleError.apply(console, arguments); };
})();
"""

BEHAVIOUR = """
document.querySelectorAll('.tools button').forEach(function (button) {
  button.addEventListener('click', function () {
    var open = button.getAttribute('data-open') === '1';
    document.querySelectorAll('main details').forEach(function (d) { d.open = open; });
  });
});
document.documentElement.setAttribute('data-report-ready', String(document.querySelectorAll('svg.chart').length));
"""

CSS = """
:root { --ink:#1b1f24; --muted:#5d6673; --line:#dde1e6; --paper:#f6f4ef; --card:#fff; --navy:#1f3a5f;
        --accent:#b5562b; --serif: Georgia, 'DejaVu Serif', 'Times New Roman', serif;
        --sans: 'Segoe UI', 'DejaVu Sans', Helvetica, Arial, sans-serif; }
* { box-sizing: border-box; }
html { scroll-behavior: smooth; }
body { margin:0; display:flex; background:var(--paper); color:var(--ink); font:14px/1.45 var(--sans); }
a { color:var(--navy); }
.toc { position:sticky; top:0; height:100vh; overflow:auto; flex:0 0 210px; background:var(--navy); color:#dfe7f1;
       padding:22px 16px; }
.toc .brand { font:700 22px/1 var(--serif); color:#fff; margin-bottom:18px; }
.toc .brand span { display:block; font:600 11px/1.6 var(--sans); letter-spacing:.18em; text-transform:uppercase;
                   color:#f0b48f; }
.toc ul { list-style:none; margin:0 0 14px; padding:0; }
.toc li a { display:block; padding:5px 8px; border-radius:4px; color:#dfe7f1; text-decoration:none; }
.toc li a:hover { background:rgba(255,255,255,.12); color:#fff; }
.toc h6 { margin:10px 0 4px; font-size:11px; letter-spacing:.14em; text-transform:uppercase; color:#9fb3cb; }
.tools button { display:block; width:100%; margin:4px 0; padding:5px; border:1px solid #6f89a8; border-radius:4px;
                background:transparent; color:#dfe7f1; font:12px var(--sans); cursor:pointer; }
main { flex:1; min-width:0; padding:0 34px 60px; max-width:1240px; }
header { border-bottom:3px solid var(--accent); padding:26px 0 12px; margin-bottom:8px; }
h1 { font:700 30px/1.15 var(--serif); margin:0 0 6px; color:var(--navy); }
header p { margin:0; color:var(--muted); max-width:820px; }
h2 { font:700 22px/1.2 var(--serif); color:var(--navy); margin:34px 0 12px; padding-bottom:6px;
     border-bottom:1px solid var(--line); }
h2 .muted { font:400 13px var(--sans); margin-left:8px; }
h3 { font:600 15px var(--sans); text-transform:uppercase; letter-spacing:.08em; color:var(--accent); margin:22px 0 8px; }
h4 { font:700 16px var(--serif); margin:14px 0 8px; display:inline; }
h5 { font:600 13px var(--sans); margin:12px 0 6px; color:var(--navy); }
section { scroll-margin-top:10px; }
.muted { color:var(--muted); }
.empty { padding:14px 16px; background:var(--card); border:1px dashed var(--line); border-radius:6px; color:var(--muted); }
.count { display:inline-block; min-width:20px; padding:0 6px; border-radius:10px; background:#e8ecf2; color:var(--navy);
         font:600 11px/18px var(--sans); text-align:center; }
.tiles { display:grid; grid-template-columns:repeat(auto-fill, minmax(118px, 1fr)); gap:10px; margin:4px 0 16px; }
.tile { background:var(--card); border:1px solid var(--line); border-top:3px solid var(--navy); border-radius:6px;
        padding:10px 12px; }
.tile b { display:block; font:700 24px/1.1 var(--serif); color:var(--navy); }
.tile span { color:var(--muted); font-size:12px; }
.scroll { overflow-x:auto; }
table { border-collapse:collapse; }
.grid { width:100%; background:var(--card); border:1px solid var(--line); }
.grid th, .grid td { padding:6px 9px; border-bottom:1px solid var(--line); text-align:left; vertical-align:top; }
.grid th { background:#eef1f5; font-size:12px; color:var(--navy); }
.num { text-align:right !important; font-variant-numeric:tabular-nums; }
.grid .muted { font-size:11px; }
.cards { display:grid; grid-template-columns:repeat(auto-fill, minmax(340px, 1fr)); gap:14px; }
.card { margin:0; background:var(--card); border:1px solid var(--line); border-radius:8px; padding:12px 14px 8px; }
.card figcaption { font:700 15px var(--serif); margin-bottom:6px; color:var(--navy); }
.card figcaption a { text-decoration:none; }
.card figcaption .muted { font:400 12px var(--sans); }
svg.chart { display:block; max-width:100%; height:auto; font-family:var(--sans); }
.bar-label { font-size:12px; fill:var(--ink); }
.bar-value { font-size:12px; font-weight:600; fill:var(--ink); }
.bar-value .share { font-weight:400; fill:var(--muted); }
.bar-track { fill:#f0f2f5; }
svg.stack { vertical-align:middle; border-radius:2px; }
details.legend, details.key { margin:6px 0 10px; color:var(--muted); }
details.legend ul { display:flex; flex-wrap:wrap; gap:6px 18px; list-style:none; padding:6px 0 0; margin:0; }
summary { cursor:pointer; }
.mark { display:inline-flex; align-items:center; gap:5px; padding:1px 8px 1px 5px; border-radius:10px;
        background:color-mix(in srgb, var(--c) 16%, white); border:1px solid color-mix(in srgb, var(--c) 55%, white);
        font:600 11px/17px var(--sans); white-space:nowrap; color:var(--ink); }
.mark i { width:10px; height:10px; border-radius:50%; background:var(--c); display:inline-block; }
.mark.none i { background:transparent; border:2px solid var(--c); }
table.heat { border-collapse:separate; border-spacing:3px; background:var(--card); border:1px solid var(--line);
             border-radius:8px; padding:6px; }
.heat th.code { font:600 11px var(--sans); color:var(--muted); width:34px; }
.heat th.row { text-align:right; padding-right:8px; font:600 13px var(--serif); white-space:nowrap; }
.heat th.row a { text-decoration:none; }
.heat td.cell { width:34px; height:30px; text-align:center; border-radius:4px; font:600 12px var(--sans);
                background:#f3f4f6; }
ul.codes { columns:3 230px; font-size:12px; padding-left:18px; }
.municipality { background:var(--card); border:1px solid var(--line); border-radius:10px; padding:2px 20px 16px;
                margin-top:26px; }
.document { margin:8px 0 14px; }
.document > h4 { display:block; margin:10px 0; }
.document > h4 .muted { font:400 12px var(--sans); }
details.goal, div.goal.leaf { border:1px solid var(--line); border-left:4px solid var(--navy); border-radius:6px;
                              margin:6px 0; background:#fcfcfb; }
details.goal details.goal, details.goal div.goal.leaf { border-left-color:#7d97b8; margin-left:8px; }
details.goal > summary, div.goal .sum { display:flex; flex-wrap:wrap; align-items:center; gap:6px 10px; padding:8px 12px; }
details.goal > summary::marker { color:var(--navy); }
details.goal[open] > summary { border-bottom:1px solid var(--line); background:#f4f6f9; }
.goal-title { flex:1 1 300px; font:600 14px/1.35 var(--serif); }
.short { display:block; font:600 11px var(--sans); letter-spacing:.06em; text-transform:uppercase; color:var(--accent); }
.level { font:600 10px var(--sans); letter-spacing:.08em; text-transform:uppercase; color:var(--muted);
         border:1px solid var(--line); border-radius:3px; padding:0 5px; }
.num-badge { font:700 13px var(--serif); color:var(--navy); }
.meta { flex:1 1 100%; display:flex; flex-wrap:wrap; align-items:center; gap:6px 10px; font-size:12px; }
.body { padding:4px 14px 10px; }
ul.records { list-style:none; margin:0; padding:0; }
li.rec { padding:6px 0; border-bottom:1px dotted var(--line); }
li.rec:last-child { border-bottom:0; }
.line { display:flex; flex-wrap:wrap; align-items:baseline; gap:4px 8px; }
.line .title { flex:1 1 320px; }
.comment { margin:3px 0 0; color:var(--muted); font-size:12.5px; max-width:900px; }
.tag { font-size:11px; color:var(--muted); background:#eef1f5; border-radius:3px; padding:0 5px; text-decoration:none; }
.chips { display:inline-flex; gap:3px; }
.chip { font:600 10px/15px var(--sans); border-radius:3px; padding:0 4px; color:#fff; background:#6b7f99; }
.chip.sdg { background:#2f7d6d; }
a.src { font:600 11px var(--sans); white-space:nowrap; color:var(--accent); text-decoration:none;
        border:1px solid #e7c3ae; border-radius:3px; padding:0 5px; background:#fff8f3; }
a.src:hover { background:var(--accent); color:#fff; }
details.indicators > summary { list-style:none; margin-top:12px; }
details.indicators > summary h4 { display:inline; }
.ind-grid { display:grid; grid-template-columns:repeat(auto-fill, minmax(250px, 1fr)); gap:10px; }
.ind { border:1px solid var(--line); border-radius:6px; padding:10px 12px; background:#fcfcfb; scroll-margin-top:10px; }
.ind:target { outline:2px solid var(--accent); }
.ind-name { font:600 13px/1.3 var(--serif); margin-bottom:6px; }
table.values { width:100%; font-size:12px; }
table.values th { text-align:left; color:var(--muted); font-weight:600; border-bottom:1px solid var(--line); }
table.values td { border-bottom:1px dotted var(--line); padding:2px 0; }
.ind dl { display:grid; grid-template-columns:auto 1fr; gap:2px 8px; margin:6px 0; font-size:12px; }
.ind dt { color:var(--muted); }
.ind dd { margin:0; }
.dir.increase { color:#00794a; font-weight:600; }
.dir.decrease { color:#a8321f; font-weight:600; }
.ind-foot { display:flex; justify-content:space-between; align-items:center; }
@media print { .toc { display:none; } }
"""
