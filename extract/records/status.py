"""Status marks given their meaning through the document's own legend.

A report prints what its marks mean ("● Uppnås delvis"); that legend, not a fixed table, decides a
row's status. Symbol fonts (private-use or "(cid:N)" glyphs) and pictures have no usable identity, so
after glyph identity and shape with colour, the nearest legend colour on the row's scale decides. A
mark that matches nothing resolves to None, and a row without a mark has no status: never a guess.
Where a document prints no legend, its colour marks give no status.
"""
from __future__ import annotations

import math
import re
from typing import get_args

from extract.reading.marks import char_to_shape, hex_to_rgb
from extract.records.continuation import union
from extract.rules.base import StatusRules
from extract.text.normalise import collapse
from models import StatusLegendEntry
from models.layout import BBox, Mark, MarkShape
from models.segments import Block

SHAPES = set(get_args(MarkShape))
LEGEND_KINDS = ("vector", "glyph", "symbol_glyph", "image", "fill")

CLOSING_BRACKETS = re.compile(r"\s*[(\[]([^()\[\]]{2,40})[)\]]\s*[.]?\s*$")
"""Words in brackets closing a title: a status word, perhaps ('Bygga ut cykelvägar (Pågår)')."""

Resolved = tuple[str, str, str | None]
"""(status, status_symbol, status_color)."""


def word_to_status(text: str, scale: str, rules: StatusRules) -> str | None:
    """The status a status text names on `scale`, the whole text read (case, spacing and closing
    punctuation aside): a listed word or legend label, else a phrase of the status grammar; None else."""
    key = collapse(text).strip(" .:;,").casefold()
    if not key:
        return None
    exact, phrases = rules.readings.get(scale, ({}, []))
    found = exact.get(key)
    if found is None:
        found = next((status for pattern, status in phrases if pattern.fullmatch(key)), None)
    return found


def text_to_status(text: str, rules: StatusRules) -> tuple[str, str] | None:
    """(scale, status) of a status text on whichever scale reads it; None where no scale does or two
    scales read it differently."""
    found = {(scale, status) for scale in rules.vocabularies
             if (status := word_to_status(text, scale, rules)) is not None}
    return found.pop() if len(found) == 1 else None


def title_to_bracketed_status(title: str, scale: str, rules: StatusRules) -> tuple[str, str | None]:
    """A title closed by a status word in brackets ('Bygga ut cykelvägar (Pågår)'): the title without
    it, and the status; the title unchanged and None where the brackets hold no status word."""
    found = CLOSING_BRACKETS.search(title)
    status = word_to_status(found.group(1), scale, rules) if found else None
    return (title[:found.start()].rstrip(), status) if status else (title, None)


def color_distance(a: str | None, b: str | None) -> float:
    """Euclidean RGB distance (0..441); infinite when either colour is unknown."""
    if not a or not b:
        return math.inf
    return math.dist(hex_to_rgb(a), hex_to_rgb(b))


def mark_to_symbol(mark: Mark) -> str:
    """The glyph character for glyph marks, else the shape name."""
    return mark.glyph if mark.kind in ("glyph", "symbol_glyph") and mark.glyph else mark.shape


def symbol_to_shape(symbol: str | None) -> str:
    if not symbol:
        return "other"
    return symbol if symbol in SHAPES else char_to_shape(symbol)


def text_to_labels(text: str, rules: StatusRules) -> list[tuple[int, str, str, str]] | None:
    """(offset, label as printed, scale, status) for each legend label in `text`, in order, when the text
    is nothing but labels (and punctuation); None otherwise."""
    known = sorted(((label.label, scale, label.status) for scale, labels in rules.labels.items() for label in labels),
                   key=lambda item: -len(item[0]))
    found: list[tuple[int, str, str, str]] = []
    taken = [False] * len(text)
    for label, scale, status in known:
        for match in re.finditer(rf"(?<!\w){re.escape(label)}(?!\w)", text, re.IGNORECASE):
            if any(taken[match.start():match.end()]):
                continue
            taken[match.start():match.end()] = [True] * (match.end() - match.start())
            found.append((match.start(), match.group(0), scale, status))
    rest = "".join(ch for ch, used in zip(text, taken) if not used)
    if not found or re.search(r"\w", rest):
        return None
    return sorted(found)


def text_to_label_runs(text: str, count: int, rules: StatusRules) -> list[tuple[int, str, str, str]] | None:
    """The text of a legend line with `count` marks cut into `count` runs of words, each a status text
    on one scale: (offset, label, scale, status) per run, in order; None when no cut reads every run,
    or two cuts do. Reads legends in wordings no list holds ('● Helt uppnått ● Målet är delvis uppnått').

    Each run of words is read once; the cuts are counted over those readings, so a line with many
    marks costs the square of its words, not their combinations."""
    words = [(m.start(), m.group(0)) for m in re.finditer(r"\S+", text)]
    n = len(words)
    if count < 1 or n < count or n > 24:
        return None
    reads: dict[tuple[int, int], tuple[str, tuple[str, str]]] = {}
    for start in range(n):
        for end in range(start + 1, n + 1):
            label = text[words[start][0]:words[end - 1][0] + len(words[end - 1][1])]
            read = text_to_status(label, rules)
            if read is not None:
                reads[start, end] = (label, read)
    # ways[k][i]: how many ways (counted up to 2) the words from i on cut into k runs that all read.
    ways = [[0] * (n + 1) for _ in range(count + 1)]
    ways[0][n] = 1
    for k in range(1, count + 1):
        for i in range(n - 1, -1, -1):
            ways[k][i] = min(2, sum(ways[k - 1][end] for end in range(i + 1, n + 1) if (i, end) in reads))
    if ways[count][0] != 1:
        return None
    runs, i = [], 0
    for k in range(count, 0, -1):
        end = next(end for end in range(i + 1, n + 1) if (i, end) in reads and ways[k - 1][end])
        label, (scale, status) = reads[i, end]
        runs.append((words[i][0], label, scale, status))
        i = end
    return runs


def _pair(marks: list[Mark], labels: list[tuple[int, str, str, str]], bbox: BBox | None,
          text: str) -> list[tuple[Mark, tuple[int, str, str, str]]]:
    """Marks with the labels they stand beside. One mark per label pairs in reading order; otherwise each
    label takes the nearest mark to the left of its estimated start (offset scaled over the line's width)."""
    marks = sorted(marks, key=lambda m: (m.bbox[0], m.bbox[1]))
    if len(marks) == len(labels):
        return list(zip(marks, labels))
    if bbox is None or not text:
        return []
    x0, width = bbox[0], bbox[2] - bbox[0]
    pairs = []
    for label in labels:
        start = x0 + width * label[0] / len(text)
        left = [m for m in marks if m.bbox[0] <= start + 2]
        if left:
            pairs.append((max(left, key=lambda m: m.bbox[0]), label))
    return pairs


def _strip_mark_glyphs(text: str, marks: list[Mark]) -> str:
    for mark in marks:
        if mark.glyph:
            text = text.replace(mark.glyph, " ")
    return collapse(text)


def _wrapped_label(block: Block, following: Block | None) -> Block | None:
    """The line under a legend line that ends in a mark with no text after it: the mark's label, wrapped
    to the next line ('● Helt uppnått ● Delvis uppnått ●' over 'Inte uppnått')."""
    if following is None or following.kind != "line" or following.marks or following.page_no != block.page_no \
            or block.bbox is None or following.bbox is None:
        return None
    height = block.bbox[3] - block.bbox[1]
    trailing = max(m.bbox[0] for m in block.marks) >= block.bbox[2] - 1
    below = 0 <= following.bbox[1] - block.bbox[3] <= height
    return following if trailing and below else None


def _legend_candidates(blocks: list[Block]):
    """(marks, bbox, text) for each line, and for each table row, that carries marks."""
    for index, block in enumerate(blocks):
        if block.kind == "line" and block.marks:
            wrapped = _wrapped_label(block, blocks[index + 1] if index + 1 < len(blocks) else None)
            if wrapped is not None:
                yield block.marks, union([block.bbox, wrapped.bbox]), f"{block.text} {wrapped.text}"
            else:
                yield block.marks, block.bbox, block.text
        elif block.kind == "table" and block.table:
            for row in block.table.rows:
                if row.marks:
                    yield row.marks, row.bbox, " ".join(row.cells)


def blocks_to_legend(blocks: list[Block], rules: StatusRules, document_id: str) -> list[StatusLegendEntry]:
    """The printed legend: each mark beside a status label. A scale the document prints no legend for
    has none, and its colour marks resolve to no status: a colour alone is not a printed status."""
    entries: dict[tuple[str, str], StatusLegendEntry] = {}
    for marks, bbox, text in _legend_candidates(blocks):
        marks = [m for m in marks if m.kind in LEGEND_KINDS]
        text = _strip_mark_glyphs(text, marks)
        labels = (text_to_labels(text, rules) or text_to_label_runs(text, len(marks), rules)) if marks else None
        if not labels:
            continue
        for mark, (_, label, scale, status) in _pair(marks, labels, bbox, text):
            entries.setdefault((scale, status), StatusLegendEntry(
                document_id=document_id, scale=scale, symbol=mark_to_symbol(mark), color=mark.color,
                status=status, label=collapse(label), source="document"))
    return list(entries.values())


def _nearest(mark: Mark, entries: list[StatusLegendEntry], rules: StatusRules) -> StatusLegendEntry | None:
    """The entry nearest in colour within the threshold; None when none is near or two statuses tie."""
    ranked = sorted((color_distance(mark.color, e.color), e.status, e) for e in entries
                    if color_distance(mark.color, e.color) <= rules.color_distance)
    if not ranked:
        return None
    if len(ranked) > 1 and ranked[1][0] == ranked[0][0] and ranked[1][1] != ranked[0][1]:
        return None
    return ranked[0][2]


def _one_or_nearest(mark: Mark, entries: list[StatusLegendEntry], rules: StatusRules) -> StatusLegendEntry | None:
    if len({e.status for e in entries}) == 1:
        return entries[0]
    return _nearest(mark, entries, rules)


def resolve_mark(mark: Mark, scale: str, legend: list[StatusLegendEntry], rules: StatusRules) -> Resolved | None:
    """A mark's status on `scale`: by glyph identity, then shape with colour, then nearest colour."""
    entries = [e for e in legend if e.scale == scale]
    found = None
    if mark.glyph:
        same = [e for e in entries if e.symbol == mark.glyph]
        found = _one_or_nearest(mark, same, rules) if same else None
    if found is None and mark.shape != "other":
        same = [e for e in entries if symbol_to_shape(e.symbol) == mark.shape]
        found = _one_or_nearest(mark, same, rules) if same else None
        if found is not None and found.color and mark.color and \
                color_distance(mark.color, found.color) > rules.color_distance:
            found = None
    if found is None:
        found = _nearest(mark, entries, rules)
    return (found.status, mark_to_symbol(mark), mark.color) if found else None


def is_status_mark(mark: Mark, scale: str, legend: list[StatusLegendEntry], rules: StatusRules) -> bool:
    """Whether a mark can carry a status: its glyph or colour is in the scale's legend, or it is coloured
    (a black bullet or a black '(cid:N)' is text)."""
    if mark.kind not in LEGEND_KINDS:
        return False
    entries = [e for e in legend if e.scale == scale]
    if mark.glyph and any(e.symbol == mark.glyph for e in entries):
        return True
    if any(color_distance(mark.color, e.color) <= rules.color_distance for e in entries):
        return True
    return mark.color is not None and color_distance(mark.color, "#000000") > rules.near_black_distance


def marks_to_status(marks: list[Mark], scale: str, legend: list[StatusLegendEntry],
                    rules: StatusRules) -> tuple[Resolved | None, Mark | None]:
    """A row's status from its first status mark in reading order, and the mark that matched nothing
    (for the caller's notice). No status mark: (None, None)."""
    candidates = sorted((m for m in marks if is_status_mark(m, scale, legend, rules)),
                        key=lambda m: (round(m.bbox[1]), m.bbox[0]))
    for mark in candidates:
        resolved = resolve_mark(mark, scale, legend, rules)
        if resolved:
            return resolved, None
    return None, (candidates[0] if candidates else None)
