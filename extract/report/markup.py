"""Text helpers shared by the charts and the HTML: escaping, number formatting and natural ordering."""
from __future__ import annotations

import re
from html import escape
from typing import Any


def e(value: Any) -> str:
    """Escaped for both element text and quoted attributes; None prints as nothing."""
    return "" if value is None else escape(str(value), quote=True)


def number(value: float) -> str:
    """Up to ten significant digits, thousands set apart by a narrow no-break space as in the documents."""
    return f"{value:,.10g}".replace(",", "\u202f")


def natural_key(text: str | None) -> list[Any]:
    """Sorts "2.10" after "2.9", as goal numbers and theme codes are read."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", text or "")]
