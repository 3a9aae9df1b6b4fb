"""Small text forms every reader shares: whitespace collapsed, dates and periods read from matches."""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable
from typing import Any


def collapse(text: str) -> str:
    """Runs of whitespace (line breaks included) as one space, ends stripped."""
    return " ".join(text.split())


def normalise(text: Any) -> str | None:
    """NFC and collapsed: the form titles are compared in. An empty field is no field (None)."""
    if text is None:
        return None
    return collapse(unicodedata.normalize("NFC", str(text))) or None


def value_to_date(value: str | None, end: bool = False) -> dt.date | None:
    """An ISO date, or a year standing for its first (or, as an end, its last) day."""
    if not value:
        return None
    if len(value) == 4 and value.isdigit():
        return dt.date(int(value), 12, 31) if end else dt.date(int(value), 1, 1)
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def match_to_date(match: re.Match[str]) -> dt.date | None:
    """A date from a match with the named groups year, month and day."""
    try:
        return dt.date(int(match["year"]), int(match["month"]), int(match["day"]))
    except (IndexError, TypeError, ValueError):
        return None


def _month(value: str | int | None, names: dict[str, int]) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, int) or value.isdigit():
        return int(value)
    return names.get(value.casefold())


def _month_end(year: int, month: int) -> dt.date:
    return (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1))


def text_to_period(text: str, patterns: Iterable[Any],
                   month_names: dict[str, int] | None = None) -> tuple[dt.date | None, dt.date | None]:
    """(start, end) from the first pattern that matches: groups `start` and, optionally, `end`, each an
    ISO date or a year; a period given as one year runs through it. A pattern may be a rule with
    `start_month`/`end_month`, or hold groups of those names (month names or numbers): the period then
    runs from the first day of its first month to the last day of its last."""
    names = month_names or {}
    for rule in patterns:
        pattern = rule if isinstance(rule, str) else rule.pattern
        match = re.search(pattern, text, re.IGNORECASE)
        if not match:
            continue
        groups = match.groupdict()
        start, end = groups["start"], groups.get("end") or groups["start"]
        first = _month(groups.get("start_month") or getattr(rule, "start_month", None), names)
        last = _month(groups.get("end_month") or getattr(rule, "end_month", None), names)
        if first is None and last is None or not (start.isdigit() and end.isdigit()):
            return value_to_date(start), value_to_date(end, end=True)
        try:
            return dt.date(int(start), first or 1, 1), _month_end(int(end), last or 12)
        except ValueError:
            return None, None
    return None, None
