"""A municipality's section: each document's goal tree with the records under every goal, then its
indicators with their values."""
from __future__ import annotations

from collections import Counter, defaultdict
from typing import TYPE_CHECKING, Any

from extract.report.charts import shares_to_svg
from extract.report.data import KIND_TITLES, RECORD_KINDS
from extract.report.markup import e, natural_key, number
from extract.report.palette import GOAL_SCALE, KIND_SCALES, status_name
from models.registry import MARKED_TYPES

if TYPE_CHECKING:
    from extract.report.builder import ReportBuilder

Rows = list[dict[str, Any]]


def municipality_section(report: ReportBuilder, code: str, name: str, documents: Rows) -> str:
    county = next((m["county"] for m in report.data.municipalities if m["code"] == code), "")
    trees = "".join(document_tree(report, d) for d in documents)
    return (f'<section id="m-{e(code)}" class="municipality"><h2>{e(name)} '
            f'<span class="muted">{e(county)} · {e(code)}</span></h2>'
            f'<h3>Goal tree</h3>{trees}{indicator_tables(report, documents)}</section>')


def document_tree(report: ReportBuilder, document: dict[str, Any]) -> str:
    """The document's goals nested by parent, then the records it links to no goal."""
    did = document["document_id"]
    goals = [g for g in report.data.goals if g["document_id"] == did]
    ids = {g["id"] for g in goals}
    children: dict[str | None, Rows] = defaultdict(list)
    for goal in sorted(goals, key=lambda g: (g["page_no"] or 0, natural_key(g["number"]))):
        children[goal["parent_goal_id"] if goal["parent_goal_id"] in ids else None].append(goal)
    tree = "".join(goal_node(report, g, children) for g in children.get(None, []))
    loose = report.by_goal.get((did, None), {})
    if loose:
        tree += (f'<details class="goal"><summary><span class="goal-title">Not linked to a goal</span>'
                 f'<span class="meta muted">{sum(len(v) for v in loose.values())} records</span></summary>'
                 f'<div class="body">{records_block(report, loose)}</div></details>')
    tree = tree or '<p class="empty">No records extracted from this document.</p>'
    return (f'<div class="document"><h4>{e(report.document_label(did))} '
            f'<span class="muted">· {e(document["doc_type"])} · {e(document["pages"])} pages</span> '
            f'{report.page_link(did, None)}</h4>{tree}</div>')


def goal_node(report: ReportBuilder, goal: dict[str, Any], children: dict[str | None, Rows]) -> str:
    """A goal that opens onto its records and subgoals; a plain line when it has neither."""
    grouped = report.by_goal.get((goal["document_id"], goal["id"]), {})
    subgoals = children.get(goal["id"], [])
    inner = records_block(report, grouped) + "".join(goal_node(report, child, children) for child in subgoals)
    summary = _goal_summary(report, goal, grouped, subgoals)
    if not inner:
        return f'<div class="goal leaf">{summary.replace("<summary", "<div class=sum", 1).replace("</summary>", "</div>")}</div>'
    return f'<details class="goal">{summary}<div class="body">{inner}</div></details>'


def _goal_summary(report: ReportBuilder, goal: dict[str, Any], grouped: dict[str, Rows], subgoals: Rows) -> str:
    """The goal's line: its level, number, mark and title, what hangs under it and how far that got."""
    counts = " · ".join([f"{len(subgoals)} goals"] * bool(subgoals) + [
        f"{len(grouped[k])} {KIND_TITLES[k].lower()}" for k in RECORD_KINDS if grouped.get(k)])
    shares = []
    for t in MARKED_TYPES:
        counter = Counter(r["status"] for r in grouped.get(t.name, []))
        shares += [(counter.get(s, 0), report.palette.color(t.scale, s), f"{KIND_TITLES[t.name]}, {status_name(s)}")
                   for s in report.palette.vocabularies.get(t.scale, []) + [None]]
    status = report.mark(GOAL_SCALE, goal["status"]) if goal.get("status") else ""
    badge = f'<span class="num-badge">{e(goal["number"])}</span>' if goal.get("number") else ""
    label = f'<span class="short">{e(goal["short_label"])}</span>' if goal.get("short_label") else ""
    attrs = report.filter_attrs(goal["document_id"], goal["id"], goal.get("status"), scaled=True)
    return (f'<summary{attrs}><span class="level">{e(goal["level"])}</span>{badge}{status}'
            f'<span class="goal-title">{label}{e(goal["title"])}</span>'
            f'<span class="meta">{shares_to_svg(shares)}<span class="muted">{e(counts)}</span>'
            f'{report.theme_chips(goal["id"])}{report.page_link(goal["document_id"], goal["page_no"])}</span></summary>')


def records_block(report: ReportBuilder, grouped: dict[str, Rows]) -> str:
    parts = []
    for kind in RECORD_KINDS:
        rows = grouped.get(kind, [])
        if rows:
            items = "".join(record_item(report, kind, r) for r in rows)
            parts.append(f'<div class="kind"><h5>{KIND_TITLES[kind]} <span class="count">{len(rows)}</span></h5>'
                         f'<ul class="records">{items}</ul></div>')
    return "".join(parts)


def record_item(report: ReportBuilder, kind: str, row: dict[str, Any]) -> str:
    scale = KIND_SCALES.get(kind)
    mark = report.mark(scale, row.get("status"), row.get("status_color")) if scale else ""
    extra = []
    if row.get("committees"):
        extra.append(f'<span class="tag">{e(", ".join(row["committees"]))}</span>')
    if kind == "activity" and row.get("number") is not None:
        extra.append(f'<span class="tag">#{e(row["number"])}</span>')
    if kind == "indicator":
        latest = [v for v in report.data.values.get(row["id"], []) if v["value"] is not None]
        if latest:
            extra.append(f'<span class="tag">{e(latest[-1]["period"])}: {e(number(latest[-1]["value"]))}'
                         f'{e(row.get("unit") or "")}</span>')
        extra.append(f'<a class="tag" href="#i-{e(row["id"])}">values</a>')
    comment = row.get("comment") or row.get("purpose")
    detail = f'<p class="comment">{e(comment)}</p>' if comment else ""
    who = " · ".join(x for x in (row.get("responsible"), row.get("performer")) if x)
    detail += f'<p class="comment">Responsible: {e(who)}</p>' if who else ""
    attrs = report.filter_attrs(row["document_id"], row["id"], row.get("status"), scaled=bool(scale))
    return (f'<li class="rec {kind}"{attrs}><div class="line">{mark}<span class="title">{e(row["title"])}</span>'
            f'{"".join(extra)}{report.theme_chips(row["id"])}{report.page_link(row["document_id"], row["page_no"])}'
            f'</div>{detail}</li>')


def indicator_tables(report: ReportBuilder, documents: Rows) -> str:
    """The documents' indicators as cards of their values, grouped as the documents group them."""
    ids = {d["document_id"] for d in documents}
    indicators = [i for i in report.data.records["indicator"] if i["document_id"] in ids]
    if not indicators:
        return ""
    groups: dict[str, Rows] = defaultdict(list)
    for indicator in indicators:
        groups[indicator["group_name"] or "Indicators"].append(indicator)
    blocks = []
    for group, rows in groups.items():
        cards = "".join(indicator_card(report, i) for i in rows)
        blocks.append(f'<h5>{e(group)} <span class="count">{len(rows)}</span></h5><div class="ind-grid">{cards}</div>')
    return (f'<details class="indicators" open><summary><h4>Indicators '
            f'<span class="count">{len(indicators)}</span></h4></summary>{"".join(blocks)}</details>')


def indicator_card(report: ReportBuilder, indicator: dict[str, Any]) -> str:
    values = report.data.values.get(indicator["id"], [])
    arrow = {"increase": "↑ increase", "decrease": "↓ decrease"}.get(indicator["direction"] or "", "–")
    rows = "".join(f'<tr><td>{e(v["period"])}</td><td class="num">'
                   f'{e(number(v["value"])) if v["value"] is not None else "<span class=muted>–</span>"}</td></tr>'
                   for v in values) or '<tr><td colspan="2" class="muted">no values</td></tr>'
    attrs = report.filter_attrs(indicator["document_id"], indicator["id"])
    return (f'<div class="ind" id="i-{e(indicator["id"])}"{attrs}><div class="ind-name">{e(indicator["name"])}</div>'
            f'<table class="values"><thead><tr><th>Period</th><th class="num">Value'
            f'{" (" + e(indicator["unit"]) + ")" if indicator["unit"] else ""}</th></tr></thead>'
            f'<tbody>{rows}</tbody></table><dl><dt>Target</dt><dd>{e(indicator["target"] or "–")}</dd>'
            f'<dt>Direction</dt><dd class="dir {e(indicator["direction"] or "")}">{arrow}</dd></dl>'
            f'<div class="ind-foot">{report.theme_chips(indicator["id"])}'
            f'{report.page_link(indicator["document_id"], indicator["page_no"])}</div></div>')
