"""Pages set in two (or more) columns: where the gutters are, so that text is read column by column.

pdfplumber groups characters into lines across the whole page width, so on a two-column page each
'line' is the left column's line run into the right one's. A gutter is a vertical strip in the
middle part of the page that few rows of the page body cross; running headers and footers (a centred
page number) sit in bands at the top and bottom and are read across the page.
"""
from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from models.layout import BBox


class ColumnSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    band: float = 0.07
    """Share of the page height at the top and at the bottom read across the page (headers, footers)."""
    min_gutter: float = 9.0
    """Narrowest gutter (points) between two columns."""
    search: tuple[float, float] = (0.25, 0.75)
    """Where on the page (shares of its width) a gutter may lie."""
    max_crossing: float = 0.15
    """Share of the body's rows that may cross a gutter (headings and covers set across the columns)."""
    min_right_only: float = 0.2
    """Share of the rows beside a gutter (from the right column's first row to its last) that hold
    text right of it only: a second column starts its
    lines there, where a single column's lines (ragged, or with a figure on the right) never do."""
    min_both_sides: float = 0.5
    """Or the share of those rows that hold text on both sides of it: columns whose lines share their
    baselines."""
    min_chars: int = 200
    """Pages with fewer body characters are not split (a cover, a short note)."""


def _rows(chars: list[dict], tolerance: float = 2.0) -> list[list[dict]]:
    """Characters grouped into rows of text by their top."""
    rows: list[list[dict]] = []
    for char in sorted(chars, key=lambda c: c["top"]):
        if rows and abs(char["top"] - rows[-1][0]["top"]) <= tolerance:
            rows[-1].append(char)
        else:
            rows.append([char])
    return rows


def _crossings(rows: list[list[dict]], lo: int, hi: int) -> list[int]:
    """For each whole x in [lo, hi), how many rows have a character over it: each row's spans merged,
    then counted as steps up and down along the strip."""
    steps = [0] * (hi - lo + 1)
    for row in rows:
        spans = sorted((max(lo, int(c["x0"])), min(hi, int(c["x1"]) + 1)) for c in row)
        end = None
        for a, b in spans:
            if a >= b:
                continue
            if end is not None and a <= end:
                if b > end:
                    steps[end - lo] += 1
                    steps[b - lo] -= 1
                    end = b
                continue
            steps[a - lo] += 1
            steps[b - lo] -= 1
            end = b
    crossing, count = [], 0
    for step in steps[:-1]:
        count += step
        crossing.append(count)
    return crossing


def _gutter(rows: list[list[dict]], lo: int, hi: int, settings: ColumnSettings) -> float | None:
    """The middle of the widest vertical strip in [lo, hi) that no row crosses, else that few rows cross."""
    crossing = _crossings(rows, lo, hi)
    for limit in (0, settings.max_crossing * len(rows)):
        best, start = None, None
        for i, count in enumerate(crossing + [len(rows) + 1]):
            if count <= limit and start is None:
                start = i
            elif count > limit and start is not None:
                if best is None or i - start > best[1] - best[0]:
                    best = (start, i)
                start = None
        if best is not None and best[1] - best[0] >= settings.min_gutter:
            return lo + (best[0] + best[1]) / 2
    return None


def _crosses(row: list[dict], gutter: float, min_gap: float) -> bool:
    """Whether a row runs across the gutter: a character straddles it, or the text on its two sides
    stands closer than a gutter's width (a line of prose, its word space at the gutter)."""
    left = [c["x1"] for c in row if c["x1"] <= gutter]
    right = [c["x0"] for c in row if c["x0"] >= gutter]
    if any(c["x0"] < gutter < c["x1"] for c in row):
        return True
    return bool(left and right) and min(right) - max(left) < min_gap


def _outside(boxes: list[BBox], chars: list[dict]) -> list[dict]:
    """The characters whose midpoint lies in none of the boxes (edges included)."""
    if not boxes:
        return chars
    out = []
    for char in chars:
        cx, cy = (char["x0"] + char["x1"]) / 2, (char["top"] + char["bottom"]) / 2
        if not any(b[0] <= cx <= b[2] and b[1] <= cy <= b[3] for b in boxes):
            out.append(char)
    return out


def page_to_regions(page, settings: ColumnSettings, tables: list[BBox] = ()) -> list[BBox] | None:
    """The page's reading regions in order, or None when the page is one column. Rows that cross the
    gutter (a heading over both columns, a cover, a table) are read across the page; runs of rows that
    do not are read as a left column, then a right one. A table counts as one row as tall as itself."""
    x0, top, x1, bottom = page.bbox
    height, width = bottom - top, x1 - x0
    body_top, body_bottom = top + height * settings.band, bottom - height * settings.band
    chars = _outside(tables, [c for c in page.chars
                              if c["text"].strip() and body_top <= c["top"] and c["bottom"] <= body_bottom])
    if len(chars) < settings.min_chars:
        return None
    rows = sorted(_rows(chars) + [[{"x0": b[0], "x1": b[2], "top": b[1], "bottom": b[3]}] for b in tables
                                  if body_top <= b[1] and b[3] <= body_bottom],
                  key=lambda row: row[0]["top"])
    gutter = _gutter(rows, int(x0 + width * settings.search[0]), int(x0 + width * settings.search[1]), settings)
    if gutter is None:
        return None
    split = [not _crosses(row, gutter, settings.min_gutter) for row in rows]
    right = [row[0]["top"] for row, is_split in zip(rows, split) if is_split and any(c["x0"] >= gutter for c in row)]
    if not right:
        return None
    beside = [row for row, is_split in zip(rows, split) if is_split and right[0] <= row[0]["top"] <= right[-1]]
    right_only = sum(1 for row in beside if all(c["x0"] >= gutter for c in row))
    both = sum(1 for row in beside if any(c["x1"] <= gutter for c in row) and any(c["x0"] >= gutter for c in row))
    if right_only < settings.min_right_only * len(beside) and both < settings.min_both_sides * len(beside):
        return None
    regions: list[BBox] = [(x0, top, x1, body_top)]
    zone_top, zone_split = body_top, split[0]
    for index in range(1, len(rows) + 1):
        if index < len(rows) and split[index] == zone_split:
            continue
        zone_bottom = (rows[index][0]["top"] - 0.5) if index < len(rows) else body_bottom
        if zone_split:
            regions += [(x0, zone_top, gutter, zone_bottom), (gutter, zone_top, x1, zone_bottom)]
        else:
            regions.append((x0, zone_top, x1, zone_bottom))
        if index < len(rows):
            zone_top, zone_split = zone_bottom, split[index]
    regions.append((x0, body_bottom, x1, bottom))
    return regions
