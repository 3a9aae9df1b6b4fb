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


def text_to_period(text: str, patterns: Iterable[str]) -> tuple[dt.date | None, dt.date | None]:
    """(start, end) from the first pattern that matches: groups `start` and, optionally, `end`, each an
    ISO date or a year; a period given as one year runs through it."""
    for pattern in patterns:
        match = re.search(pattern, text, re.IGNORECASE)
        if match:
            groups = match.groupdict()
            start = groups["start"]
            return value_to_date(start), value_to_date(groups.get("end") or start, end=True)
    return None, None
