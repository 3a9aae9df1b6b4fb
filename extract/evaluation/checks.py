"""Checks on matched pairs: what a title match cannot measure (statuses, the goal a record hangs
under, indicator values, metadata), each scored as a `CheckScore` named `<type>.<check>`."""
from __future__ import annotations

import math
from typing import Any

from extract.evaluation.gold import DOCUMENT_FIELDS
from extract.evaluation.matching import Item
from extract.evaluation.scores import CheckScore
from extract.text.normalise import normalise

ACTIVITY_FIELDS = ("responsible", "performer", "strategy", "focus_area")
INDICATOR_FIELDS = ("group_name", "unit", "target", "direction")
GOAL_FIELDS = ("level", "number", "short_label")
LEGEND_FIELDS = ("status", "color")

CHECK_DESCRIPTIONS = {
    "document.fields": "document metadata (" + ", ".join(DOCUMENT_FIELDS) + ") equal",
    "goals.parent": "the parent goal's title equals the gold parent's",
    "goals.fields": "level, number, short_label equal",
    "*.goal": "the title of the goal the record hangs under equals the gold's",
    "*.status": "status equal, on gold rows with a mark (gold status not null)",
    "*.no_mark": "warehouse status is NULL where the gold prints no mark; failures are guessed statuses",
    "*.comment": "comment equal after whitespace normalisation",
    "result_goals.committees": "committee sets equal",
    "indicators.values": "every gold period/value pair equal (None = NULL, rounded to 6 decimals); "
                         "a warehouse period the gold lacks counts as wrong",
    "indicators.fields": "group, unit, target, direction equal",
    "activities.fields": "responsible, performer, strategy, focus_area equal (each field counts)",
    "assessments.answer": "the ticked answer equal",
    "status_legend.fields": "status and colour equal",
}


def _same(a: Any, b: Any) -> bool:
    return normalise(a) == normalise(b)


def _same_value(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, float) and math.isnan(a) or isinstance(b, float) and math.isnan(b):
        return False
    return round(float(a), 6) == round(float(b), 6)


def shorten(text: str | None, width: int = 60) -> str:
    """Long titles cut with an ellipsis, so that failure lists stay readable."""
    text = text or ""
    return text if len(text) <= width else text[: width - 1] + "…"


def check_document(gold: dict[str, Any], found: dict[str, Any], checks: dict[str, CheckScore]) -> None:
    """Compare the document metadata of a gold document and its warehouse document."""
    for name in DOCUMENT_FIELDS:
        a, b = gold.get(name), found.get(name)
        checks.setdefault("document.fields", CheckScore()).add(
            _same(a, b), f"{name}: {normalise(b)!r}, gold {normalise(a)!r}")


def check_pair(kind: str, g: Item, w: Item, checks: dict[str, CheckScore]) -> None:
    """Run the checks for one matched pair of the given type."""

    def check(name: str, ok: bool, detail: str) -> None:
        checks.setdefault(f"{kind}.{name}", CheckScore()).add(ok, f"{shorten(g.key)}: {detail}")

    gr, wr = g.row, w.row
    if kind == "goals":
        check("parent", g.context == w.context, f"parent {w.context!r}, gold {g.context!r}")
        for name in GOAL_FIELDS:
            check("fields", _same(gr.get(name), wr.get(name)), f"{name} {wr.get(name)!r}, gold {gr.get(name)!r}")
    if kind in ("result_goals", "assignments", "indicators", "activities"):
        check("goal", g.context == w.context, f"under {w.context!r}, gold {g.context!r}")
    if kind in ("result_goals", "assignments"):
        if gr.get("status") is not None:
            check("status", gr["status"] == wr.get("status"), f"status {wr.get('status')!r}, gold {gr['status']!r}")
        else:
            check("no_mark", wr.get("status") is None, f"status {wr.get('status')!r} where no mark is printed")
        check("comment", _same(gr.get("comment"), wr.get("comment")),
              f"comment {shorten(normalise(wr.get('comment')))!r}")
    if kind == "result_goals":
        gold_set, found_set = set(gr.get("committees") or []), set(wr.get("committees") or [])
        check("committees", gold_set == found_set, f"committees {sorted(found_set)}, gold {sorted(gold_set)}")
    if kind == "indicators":
        for period in sorted(set(g.values) | set(w.values)):
            ok = period in g.values and period in w.values and _same_value(g.values[period], w.values[period])
            found_value, gold_value = w.values.get(period, "absent"), g.values.get(period, "absent")
            check("values", ok, f"{period}: {found_value!r}, gold {gold_value!r}")
        for name in INDICATOR_FIELDS:
            check("fields", _same(gr.get(name), wr.get(name)), f"{name} {wr.get(name)!r}, gold {gr.get(name)!r}")
    if kind == "activities":
        for name in ACTIVITY_FIELDS:
            check("fields", _same(gr.get(name), wr.get(name)),
                  f"{name} {shorten(normalise(wr.get(name)))!r}, gold {shorten(normalise(gr.get(name)))!r}")
    if kind == "assessments":
        check("answer", gr.get("answer") == wr.get("answer"), f"answer {wr.get('answer')!r}, gold {gr.get('answer')!r}")
    if kind == "status_legend":
        for name in LEGEND_FIELDS:
            check("fields", _same(gr.get(name), wr.get(name)), f"{name} {wr.get(name)!r}, gold {gr.get(name)!r}")
