"""OCR lines that run across the borders of table cells, read again cell by cell.

Tesseract finds text lines on the whole page, and where a table row holds cells of one line beside
cells of two ('Mått' beside 'Utfall / 2023'), it strings words of different cells and heights into
one line and reads them with the wrong neighbours ('Matt 2023 2024 Mal.:2026'). Such a line gives
itself away: a ruled border stands between two of its words, and its words do not share a height.
The cells its words stand in are read again, each on its own; whatever else OCR put in those cells
gives way to the new reading.

Where a cell of two lines stands in a row of one-line cells without borders between them, Tesseract
may take both lines for one word ('Utfall' over '2020' read '051'): a word much taller than the other
words of its line, at least as wide as a line is high and read with little confidence, is read again
as a block of its own, and the new reading kept where OCR is confident of it.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from statistics import median

from extract.reading.ocr_words import OcrWord, on_new_lines

PixelBox = tuple[int, int, int, int]
ReadCell = Callable[[PixelBox], list[OcrWord]]
"""Reads the words inside one pixel box of the page, with page pixel boxes."""

HEIGHT_SPREAD = 0.4
"""Words of one line whose middles lie further apart than this share of a word's height are not one
line of text."""
INSET = 2
"""Pixels kept clear inside a cell's borders when it is read again (what is left of a painted rule)."""
TALL_WORD = 1.3
"""A word more than this many times as tall as the tallest confident word of its line (ascender and
descender included) holds two lines."""
EDGE = 2
"""A word read again within this many pixels of its box's side was cut by the box."""
LOW_CONFIDENCE = 60
"""Below this confidence (0..100) a tall word is taken for two lines read as one."""


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


def _run_of(word: OcrWord, line: list[OcrWord], gap: float) -> list[OcrWord]:
    """The words of the line strung with `word` by gaps no wider than `gap`: its cell's text there."""
    ordered = sorted(line, key=lambda w: w.box[0])
    i = j = ordered.index(word)
    while i > 0 and ordered[i].box[0] - ordered[i - 1].box[2] <= gap:
        i -= 1
    while j + 1 < len(ordered) and ordered[j + 1].box[0] - ordered[j].box[2] <= gap:
        j += 1
    return ordered[i:j + 1]


def _tall_word_boxes(line: list[OcrWord], horizontals: list[tuple]) -> dict[PixelBox, PixelBox]:
    """Boxes to read again around the words of a line that hold two lines of text: the run of words
    the tall one stands in (its cell's text on the line), with half a line to spare on each side,
    between the rules above and below it (or its own height with the same spare). Each with the box
    to read where that one cuts through text: widened along the line to the confident words either
    side (OCR's tall word may cover only part of the text it ran together, the rest read as doubtful
    words of its own)."""
    boxes = {}
    confident = [w.box[3] - w.box[1] for w in line if w.confidence >= LOW_CONFIDENCE]
    for word in line:
        height = word.box[3] - word.box[1]
        if (not confident or word.confidence >= LOW_CONFIDENCE or height <= TALL_WORD * max(confident)
                or word.box[2] - word.box[0] < max(confident)):
            continue  # not taller than a line, read with confidence, or too narrow for two lines of text
        spare = median(confident) / 2
        run = _run_of(word, line, max(confident))
        x, y = _middle(word)
        above = [hy for hy, x0, x1 in horizontals if word.box[1] - spare <= hy < y and x0 <= x <= x1]
        below = [hy for hy, x0, x1 in horizontals if y < hy <= word.box[3] + spare and x0 <= x <= x1]
        top = max(above) + INSET if above else min(w.box[1] for w in run) - spare
        bottom = min(below) - INSET if below else max(w.box[3] for w in run) + spare
        box = (int(min(w.box[0] for w in run) - spare), int(top), int(max(w.box[2] for w in run) + spare), int(bottom))
        beside = [w for w in line if w not in run and w.confidence >= LOW_CONFIDENCE]
        left = [w.box[2] for w in beside if w.box[2] <= box[0]]
        right = [w.box[0] for w in beside if w.box[0] >= box[2]]
        boxes[box] = (max(left) + 2 * EDGE if left else box[0], box[1],
                      min(right) - 2 * EDGE if right else box[2], box[3])
    return boxes


def _cuts_text(reread: list[OcrWord], box: PixelBox) -> bool:
    return any(w.box[0] <= box[0] + EDGE or w.box[2] >= box[2] - EDGE for w in reread)


def straddling_lines_to_cell_words(words: list[OcrWord], rules: list[dict], scale: float,
                                   read_cell: ReadCell) -> list[OcrWord]:
    """The page's words, with the cells of every line that runs across cell borders read again, and
    every word that holds two lines of a cell."""
    verticals, horizontals = _rules_in_pixels(rules, scale)
    lines: dict[int, list[OcrWord]] = defaultdict(list)
    for word in words:
        lines[word.line].append(word)
    cells = {cell for line in lines.values() if verticals and horizontals
             and _straddles(sorted(line, key=lambda w: w.box[0]), verticals)
             for cell in (_cell_of(w, verticals, horizontals) for w in line) if cell is not None}
    tall = {box: wider for line in lines.values() for box, wider in _tall_word_boxes(line, horizontals).items()
            if box not in cells}
    next_line = max((w.line for w in words), default=-1) + 1
    for cell in sorted(cells | tall.keys(), key=lambda c: (c[1], c[0])):
        is_tall = cell in tall
        reread = read_cell(cell)
        if is_tall and reread and _cuts_text(reread, cell) and tall[cell] != cell:
            cell = tall[cell]
            reread = read_cell(cell)
        if not reread:
            continue  # nothing read alone: keep what the page's reading had there
        if is_tall and (median(w.confidence for w in reread) < LOW_CONFIDENCE or _cuts_text(reread, cell)):
            continue  # a speck read as a word, or a box that cuts through text: no better read alone
        renumbered = on_new_lines(reread, next_line)
        next_line = max(w.line for w in renumbered) + 1
        words = [w for w in words if not _inside(w, cell)] + renumbered
    return words
