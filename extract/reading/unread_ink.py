"""Text OCR left out: ink that no word covers, read again on its own.

Tesseract's layout analysis sometimes drops a piece of text altogether: a short bold word heading a
table's first column ('Mål' beside 'Analys' and 'Måluppfyllelse', both read), a cell far from the
rest of its row. The ink is still in the page image. Once the page is read, the ink no word covers
(rules, marks and fills are already painted out) is joined into runs the size of words; each run as
tall as text is read on its own as one line, and what OCR reads there with confidence joins the
page's words on lines of their own.
"""
from __future__ import annotations

from collections.abc import Callable
from statistics import median

import cv2
import numpy as np

from extract.reading.ocr_words import OcrWord, on_new_lines

PixelBox = tuple[int, int, int, int]
ReadLine = Callable[[PixelBox], list[OcrWord]]
"""Reads the words inside one pixel box of the page as one line, with page pixel boxes."""

COVER = 0.35
"""Ink this many x-heights around a word read belongs to it (an accent, a descender's tail, blur)."""
JOIN = 0.9
"""Ink this many x-heights apart along a line is one run: letters and the spaces of one phrase."""
MIN_HEIGHT, MAX_HEIGHT = 0.9, 4.0
"""A run as text: between these many x-heights of the page's usual line."""
MIN_WIDTH = 1.0
"""A run narrower than this many x-heights is a speck, a dot or what is left of a rule."""
MIN_DENSITY = 0.08
"""Share of a run's box that is ink: less is scattered noise."""
SPARE = 0.5
"""x-heights of white kept around a run when it is read."""
CONFIDENCE = 80.0
"""Words read with less confidence than this (0..100) are not taken."""
SINGLE_CONFIDENCE = 90.0
"""A word of one character needs this confidence: a speck is read as 'l' or '.' readily."""


def usual_x_height(words: list[OcrWord]) -> float:
    heights = [w.x_height for w in words if w.x_height > 0]
    return float(median(heights)) if heights else float(median(w.box[3] - w.box[1] for w in words)) / 2


def uncovered(ink: np.ndarray, words: list[OcrWord], x_height: float) -> np.ndarray:
    """The ink no word covers, with `COVER` x-heights around each word."""
    left = ink.copy()
    pad = int(round(COVER * x_height))
    for w in words:
        x0, y0, x1, y1 = w.box
        left[max(0, y0 - pad):y1 + pad, max(0, x0 - pad):x1 + pad] = 0
    return left


def _runs(ink: np.ndarray, words: list[OcrWord], x_height: float) -> list[PixelBox]:
    """Boxes of ink runs no word covers, as tall and wide as text."""
    left = uncovered(ink, words, x_height)
    if not left.any():
        return []
    reach = max(1, int(round(JOIN * x_height)))
    joined = cv2.dilate(left, np.ones((1, reach), np.uint8))
    count, labels, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    boxes = []
    for index, (x, y, w, h, _area) in enumerate(stats[1:count].tolist(), start=1):
        if not (MIN_HEIGHT * x_height <= h <= MAX_HEIGHT * x_height and w >= MIN_WIDTH * x_height):
            continue
        own = (labels[y:y + h, x:x + w] == index) & (left[y:y + h, x:x + w] > 0)
        ys, xs = np.nonzero(own)
        if not len(xs):
            continue
        box = (x + int(xs.min()), y + int(ys.min()), x + int(xs.max()) + 1, y + int(ys.max()) + 1)
        width, height = box[2] - box[0], box[3] - box[1]
        if height >= MIN_HEIGHT * x_height and width >= MIN_WIDTH * x_height \
                and len(xs) >= MIN_DENSITY * width * height:
            boxes.append(box)
    return boxes


def _kept(word: OcrWord) -> bool:
    text = word.text.strip()
    alnum = sum(ch.isalnum() for ch in text)
    return alnum > 0 and word.confidence >= (SINGLE_CONFIDENCE if len(text) == 1 else CONFIDENCE)


def unread_ink_to_words(words: list[OcrWord], ink: np.ndarray, read_line: ReadLine) -> list[OcrWord]:
    """The page's words and those read again where ink stands that no word covers. `ink`: the page's
    ink with rules, marks and fills painted out."""
    if not words:
        return words
    x_height = usual_x_height(words)
    if x_height <= 0:
        return words
    spare = int(round(SPARE * x_height))
    next_line = max(w.line for w in words) + 1
    found: list[OcrWord] = []
    for x0, y0, x1, y1 in _runs(ink, words, x_height):
        read = [w for w in read_line((max(0, x0 - spare), max(0, y0 - spare), x1 + spare, y1 + spare)) if _kept(w)]
        if not read:
            continue
        renumbered = on_new_lines(read, next_line)
        next_line = max(w.line for w in renumbered) + 1
        found.extend(renumbered)
    return words + found
