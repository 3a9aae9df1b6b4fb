"""Tables ruled only between rows: horizontal rules of one width, no vertical ones.

Word processors and web exports often draw a table as lines under each row, with no cell borders;
pdfplumber's line strategy needs both directions and finds nothing. Such a table's columns are where
its header row's words start: the header is the band between the first two rules, and its words,
grouped where a gap wider than the font allows, each open a column. The table is then cut with those
columns as explicit vertical lines and its own rules as rows.
"""
from __future__ import annotations

from collections import defaultdict
from typing import NamedTuple

from pdfplumber.table import merge_edges
from pdfplumber.utils import extract_words
from pydantic import BaseModel, ConfigDict

from extract.reading.marks import font_name, is_bold


class RuleTableSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    min_rules: int = 3
    """Rules a table needs: above and below its header, and below at least one body row."""
    min_width: float = 120.0
    """Narrowest rule (points) that can underline a table row."""
    end_tolerance: float = 3.0
    """How far (points) the ends of one table's rules may differ."""
    max_row_height: float = 260.0
    """The largest gap (points) between two rules of one table; a bigger gap ends the table."""
    column_gap: float = 0.8
    """A gap between header words wider than this many times the font size starts a new column."""
    column_align: float = 3.0
    """How far (points) a header word may start from where body cells start to begin a column there."""
    min_columns: int = 2
    repeated_header_words: int = 2
    """Words of the header a band must repeat (and at least half of the header's words and of its own)
    to head a table of its own."""
    heading_ratio: float = 1.15
    """Text this many times the header's size between two rules is a heading between two tables; a
    smaller difference is a type size read from pixels, which wavers by a point."""


def _rules(page, settings: RuleTableSettings, taken: list[tuple[float, float, float, float]]) -> list[dict]:
    """Horizontal edges wide enough to rule a row, outside the tables already found (a scanned rule's
    ends may stand out of its grid by a stroke); the pieces a browser draws per cell joined into one rule."""
    out = []
    pieces = [edge for edge in page.edges if edge["orientation"] == "h"]
    tol = settings.end_tolerance
    for edge in merge_edges(pieces, snap_x_tolerance=1, snap_y_tolerance=1, join_x_tolerance=2, join_y_tolerance=1):
        if edge["x1"] - edge["x0"] < settings.min_width:
            continue
        if any(x0 - tol <= edge["x0"] and edge["x1"] <= x1 + tol and top - tol <= edge["top"] <= bottom + tol
               for x0, top, x1, bottom in taken):
            continue
        out.append(edge)
    return out


def _stacks(rules: list[dict], settings: RuleTableSettings) -> list[list[float]]:
    """Rules of the same span grouped into runs of rows: each run a list of distinct rule tops."""
    by_span: dict[tuple[int, int], list[float]] = defaultdict(list)
    tol = settings.end_tolerance
    for edge in rules:
        key = next((k for k in by_span if abs(k[0] - edge["x0"]) <= tol and abs(k[1] - edge["x1"]) <= tol),
                   (round(edge["x0"]), round(edge["x1"])))
        by_span[key].append(edge["top"])
    stacks = []
    for (x0, x1), tops in by_span.items():
        run: list[float] = []
        for top in sorted(tops):
            if run and top - run[-1] < 1.0:
                continue
            if run and top - run[-1] > settings.max_row_height:
                stacks.append((x0, x1, run))
                run = []
            run.append(top)
        stacks.append((x0, x1, run))
    return [s for s in stacks if len(s[2]) >= settings.min_rules]


def _run_starts(words: list[dict], settings: RuleTableSettings) -> list[float]:
    """The first word of every run of words closer than the column gap."""
    starts: list[float] = []
    last_end = None
    for word in sorted(words, key=lambda w: w["x0"]):
        size = word.get("bottom", 0) - word.get("top", 0) or 10.0
        if last_end is None or word["x0"] - last_end > settings.column_gap * size:
            starts.append(word["x0"])
        last_end = max(last_end or word["x1"], word["x1"])
    return starts


def _column_starts(header: list[dict], body: list[dict], settings: RuleTableSettings) -> list[float]:
    """Where each header cell starts: the first word of every run of header words closer than the gap,
    and a header word inside a run where the body's cells start too (headers set close together,
    'Utfall 2020 Utfall 2021', over values set apart)."""
    starts = _run_starts(header, settings)
    rows: dict[int, list[dict]] = {}
    for word in body:
        rows.setdefault(round(word["top"]), []).append(word)
    body_starts = [x for row in rows.values() for x in _run_starts(row, settings)[1:]]
    aligned = [w["x0"] for w in header
               if w["x0"] not in starts and any(abs(w["x0"] - x) <= settings.column_align for x in body_starts)]
    return sorted(starts + aligned)


class Band(NamedTuple):
    """The text between two rules of a table."""

    largest: float
    """Its largest font size: a heading among the lines of a band is a few of its characters."""
    usual: float
    """The size most of its characters have: a header judged by one word whose size OCR misread (a
    lone 'Mått' read three points large) would let a heading after it pass for a row."""
    bold: bool
    """Whether all of its text is bold."""
    words: frozenset[str]
    """Its words, case folded."""


def _band(chars: list[dict], x0: float, x1: float, top: float, bottom: float) -> Band | None:
    """The text between two rules; None where the band holds none."""
    inside = [c for c in chars if x0 <= c["x0"] and c["x1"] <= x1 + 1 and top <= c["top"] and
              c["bottom"] <= bottom + 1 and c["text"].strip()]
    if not inside:
        return None
    sizes = sorted(c["size"] for c in inside)
    return Band(sizes[-1], sizes[(len(sizes) - 1) // 2], all(is_bold(font_name(c.get("fontname"))) for c in inside),
                frozenset(w["text"].casefold() for w in extract_words(inside)))


def _repeats_header(band: Band, header: Band, settings: RuleTableSettings) -> bool:
    """A band repeating most of the header's words ('Uppdrag | Kommentar | Status' under a table headed
    'Nämndmål | Kommentar | Status'): the header of a table set right under it, whatever its type
    size or weight read from pixels."""
    shared = band.words & header.words
    return len(shared) >= settings.repeated_header_words and 2 * len(shared) >= max(len(header.words), len(band.words))


def _split_tables(page, x0: float, x1: float, tops: list[float], settings: RuleTableSettings) -> list[list[float]]:
    """Runs of rules that belong to one table. A band holding no text or text larger than the table's
    header (a heading between two tables of one width) ends a table; a bold band under a bold header,
    or a band repeating the header's words, starts the next (two tables that touch)."""
    chars = page.chars
    runs: list[list[float]] = [[tops[0]]]
    header: Band | None = None
    for top, bottom in zip(tops, tops[1:]):
        band = _band(chars, x0, x1, top, bottom)
        if band is not None and header is not None and _repeats_header(band, header, settings):
            runs.append([top, bottom])
            header = band._replace(usual=min(header.usual, band.usual))  # set as the header it repeats
            continue
        if band is None or (header is not None and band.largest > header.usual * settings.heading_ratio):
            runs.append([bottom])
            header = None
            continue
        if header is not None and header.bold and band.bold:
            runs.append([top])
            header = band
        header = header or band
        runs[-1].append(bottom)
    return [run for run in runs if len(run) >= settings.min_rules]


def _words_between(page, x0: float, x1: float, top: float, bottom: float, x_tolerance: float) -> list[dict]:
    return [w for w in page.crop((x0, top, x1, bottom), strict=False).extract_words(x_tolerance=x_tolerance)
            if w["text"].strip()]


def page_to_rule_tables(page, settings: RuleTableSettings, table_settings: dict,
                        taken: list[tuple[float, float, float, float]]) -> list:
    """pdfplumber tables for each run of row rules on the page (outside `taken`), cut into columns at
    the starts of their header words."""
    found = []
    tolerance = table_settings.get("text_x_tolerance", 1.5)
    for x0, x1, tops in ((x0, x1, run) for x0, x1, stack in _stacks(_rules(page, settings, taken), settings)
                         for run in _split_tables(page, x0, x1, stack, settings)):
        words = _words_between(page, x0, x1, tops[0], tops[1], tolerance)
        body = _words_between(page, x0, x1, tops[1], tops[-1], tolerance)
        starts = _column_starts(words, body, settings)
        if len(starts) < settings.min_columns:
            continue
        lines = [x0] + [s - 2 for s in starts[1:]] + [x1]
        region = page.crop((x0 - 1, tops[0] - 1, x1 + 1, tops[-1] + 1), strict=False)
        found.extend(region.find_tables({**table_settings, "vertical_strategy": "explicit",
                                         "explicit_vertical_lines": lines, "horizontal_strategy": "lines"}))
    return found


def open_grid_ends(page, tolerance: float = 1.0) -> list[dict]:
    """Rules that close a ruled table where a page break cut a row: where two or more cell borders end
    at one height with no rule across them there (a browser splits a row over two pages and draws no
    border at the cut), a line across them, for the table finder to use with the page's own."""
    verticals = [e for e in page.edges if e["orientation"] == "v"]
    horizontals = [e for e in page.edges if e["orientation"] == "h"]
    closing = []
    for end in ("top", "bottom"):
        groups: list[list[dict]] = []
        for edge in sorted(verticals, key=lambda e: e[end]):
            if groups and edge[end] - groups[-1][-1][end] <= tolerance:
                groups[-1].append(edge)
            else:
                groups.append([edge])
        for edges in groups:
            if len(edges) < 2:
                continue
            height = max(e[end] for e in edges) if end == "bottom" else min(e[end] for e in edges)
            x0, x1 = min(e["x0"] for e in edges), max(e["x1"] for e in edges)
            if any(abs(h["top"] - height) <= tolerance and h["x0"] <= x0 + tolerance and h["x1"] >= x1 - tolerance
                   for h in horizontals):
                continue
            closing.append({"object_type": "line", "x0": x0, "x1": x1, "top": float(height),
                            "bottom": float(height), "width": x1 - x0, "height": 0.0})
    return closing
