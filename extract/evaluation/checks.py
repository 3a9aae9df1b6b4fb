"""Checks on matched pairs: what a title match cannot measure (statuses, the goal a record hangs
under, indicator values, metadata), each scored as a `CheckScore` named `<type>.<check>`."""
from __future__ import annotations

import math
from typing import Any

from extract.evaluation.gold import DOCUMENT_FIELDS
from extract.evaluation.matching import Item
from extract.evaluation.scores import CheckScore
from extract.text.normalise import normalise
from models.registry import RECORD_TYPES, RecordType

CHECK_DESCRIPTIONS = {
    "document.fields": "document metadata (" + ", ".join(DOCUMENT_FIELDS) + ") equal",
    "*.parent": "the parent goal's title equals the gold parent's",
    "*.goal": "the title of the goal the record hangs under equals the gold's",
    "*.status": "status equal, on gold rows with a mark (gold status not null)",
    "*.no_mark": "warehouse status is NULL where the gold prints no mark; failures are guessed statuses",
    "*.values": "every gold period/value pair equal (None = NULL, rounded to 6 decimals); "
                "a warehouse period the gold lacks counts as wrong",
    **{f"{t.field}.{name}": ", ".join(fields) + " equal after whitespace normalisation (a list as a set; each "
       "field counts; a colour within RGB distance 64, as a scan samples it)" for t in RECORD_TYPES for name, fields in t.compared},
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


def _shown(value: Any) -> Any:
    return sorted(value) if isinstance(value, (list, set)) else shorten(normalise(value)) if value else value


COLOR_TOLERANCE = 64.0
"""Largest RGB distance (0..441) at which a colour sampled from a scan's pixels counts as the printed one."""


def _same_color(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return a == b
    return math.dist(*(tuple(int(c[i:i + 2], 16) for i in (1, 3, 5)) for c in (a, b))) <= COLOR_TOLERANCE


def _equal(a: Any, b: Any, field: str = "") -> bool:
    if field == "color":
        return _same_color(a, b)
    if isinstance(a, list) or isinstance(b, list):
        return set(a or []) == set(b or [])
    return _same(a, b)


def check_pair(record_type: RecordType, g: Item, w: Item, checks: dict[str, CheckScore]) -> None:
    """Run the checks for one matched pair: what the record hangs under, its status, the fields its
    declaration compares, an indicator's values."""
    fields = record_type.model.model_fields

    def check(name: str, ok: bool, detail: str) -> None:
        checks.setdefault(f"{record_type.field}.{name}", CheckScore()).add(ok, f"{shorten(g.key)}: {detail}")

    gr, wr = g.row, w.row
    if "parent_goal_id" in fields:
        check("parent", g.context == w.context, f"parent {w.context!r}, gold {g.context!r}")
    if record_type.under_goal:
        check("goal", g.context == w.context, f"under {w.context!r}, gold {g.context!r}")
    if record_type.scale:
        if gr.get("status") is not None:
            check("status", gr["status"] == wr.get("status"), f"status {wr.get('status')!r}, gold {gr['status']!r}")
        else:
            check("no_mark", wr.get("status") is None, f"status {wr.get('status')!r} where no mark is printed")
    for name, compared in record_type.compared:
        for field in compared:
            a, b = gr.get(field), wr.get(field)
            check(name, _equal(a, b, field), f"{field} {_shown(b)!r}, gold {_shown(a)!r}")
    if "values" in fields:
        for period in sorted(set(g.values) | set(w.values)):
            ok = period in g.values and period in w.values and _same_value(g.values[period], w.values[period])
            found_value, gold_value = w.values.get(period, "absent"), g.values.get(period, "absent")
            check("values", ok, f"{period}: {found_value!r}, gold {gold_value!r}")
