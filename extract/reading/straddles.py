"""OCR lines that run across the borders of table cells, read again cell by cell.

Tesseract finds text lines on the whole page, and where a table row holds cells of one line beside
cells of two ('Mått' beside 'Utfall / 2023'), it strings words of different cells and heights into
one line and reads them with the wrong neighbours ('Matt 2023 2024 Mal.:2026'). Such a line gives
itself away: a ruled border stands between two of its words, and its words do not share a height.
The cells its words stand in are read again, each on its own; whatever else OCR put in those cells
gives way to the new reading.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import replace
from statistics import median

from extract.reading.ocr_words import OcrWord

PixelBox = tuple[int, int, int, int]
ReadCell = Callable[[PixelBox], list[OcrWord]]
"""Reads the words inside one pixel box of the page, with page pixel boxes."""

HEIGHT_SPREAD = 0.4
"""Words of one line whose middles lie further apart than this share of a word's height are not one
line of text."""
INSET = 2
"""Pixels kept clear inside a cell's borders when it is read again (what is left of a painted rule)."""


def _rules_in_pixels(rules: list[dict], scale: float) -> tuple[list[tuple], list[tuple]]:
    verticals = [(r["x0"] / scale, r["top"] / scale, r["bottom"] / scale) for r in rules if r["x0"] == r["x1"]]
    horizontals = [(r["top"] / scale, r["x0"] / scale, r["x1"] / scale) for r in rules if r["top"] == r["bottom"]]
    return verticals, horizontals


def _middle(word: OcrWord) -> tuple[float, float]:
    return (word.box[0] + word.box[2]) / 2, (word.box[1] + word.box[3]) / 2


def _straddles(line: list[OcrWord], verticals: list[tuple]) -> bool:
    heights = [w.box[3] - w.box[1] for w in line]
    middles = [_middle(w)[1] for w in line]
    if len(line) < 2 or max(middles) - min(middles) <= HEIGHT_SPREAD * median(heights):
        return False
    for left, right in zip(line, line[1:]):
        low, high = sorted((_middle(left)[1], _middle(right)[1]))
        if any(left.box[2] <= x <= right.box[0] and top <= low and bottom >= high for x, top, bottom in verticals):
            return True
    return False


def _cell_of(word: OcrWord, verticals: list[tuple], horizontals: list[tuple]) -> PixelBox | None:
    """The ruled cell around the word's middle: the nearest border on each side that spans it."""
    x, y = _middle(word)
    lefts = [vx for vx, top, bottom in verticals if vx < x and top <= y <= bottom]
    rights = [vx for vx, top, bottom in verticals if vx > x and top <= y <= bottom]
    tops = [hy for hy, x0, x1 in horizontals if hy < y and x0 <= x <= x1]
    bottoms = [hy for hy, x0, x1 in horizontals if hy > y and x0 <= x <= x1]
    if not (lefts and rights and tops and bottoms):
        return None
    return int(max(lefts)) + INSET, int(max(tops)) + INSET, int(min(rights)) - INSET, int(min(bottoms)) - INSET


def _inside(word: OcrWord, box: PixelBox) -> bool:
    x, y = _middle(word)
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


def straddling_lines_to_cell_words(words: list[OcrWord], rules: list[dict], scale: float,
                                   read_cell: ReadCell) -> list[OcrWord]:
    """The page's words, with the cells of every line that runs across cell borders read again."""
    verticals, horizontals = _rules_in_pixels(rules, scale)
    if not verticals or not horizontals:
        return words
    lines: dict[int, list[OcrWord]] = defaultdict(list)
    for word in words:
        lines[word.line].append(word)
    cells = {cell for line in lines.values() if _straddles(sorted(line, key=lambda w: w.box[0]), verticals)
             for cell in (_cell_of(w, verticals, horizontals) for w in line) if cell is not None}
    next_line = max((w.line for w in words), default=-1) + 1
    for cell in sorted(cells, key=lambda c: (c[1], c[0])):
        reread = read_cell(cell)
        if not reread:
            continue  # nothing read alone: keep what the page's reading had there
        ids = {line: next_line + i for i, line in enumerate(sorted({w.line for w in reread}))}
        next_line += len(ids)
        words = [w for w in words if not _inside(w, cell)] + [replace(w, line=ids[w.line]) for w in reread]
    return words
