"""List bullets on a page image: small black discs opening a line, given back to the line as '•'.

Tesseract reads a list's bullets seldom: it passes over a disc beside a word, and one standing apart
the mark finder takes out of the image before OCR (a status printed without colour is a disc too).
The items then run together as one paragraph. A black disc smaller than the x-height of the word
right after it, centred on that word's x-height band, with no word before it on the line, is that
line's bullet: it goes back into the line as a '•' word, as a text layer has it, and is no mark.
"""
from __future__ import annotations

from dataclasses import replace

import cv2
import numpy as np

from extract.reading.image_objects import LUMA
from extract.reading.marks import hex_to_rgb
from extract.reading.ocr_words import OcrWord
from extract.reading.unread_ink import uncovered, usual_x_height
from models.layout import Mark

BLACK = 90
"""Grey level (0..255) a bullet is darker than: a status disc scanned in grey (red, green, amber)
is lighter, and stays a mark."""
MIN_SIZE, MAX_SIZE = 0.35, 1.1
"""A bullet's height, in x-heights of the word after it (a full stop is smaller)."""
BAND = (0.2, 1.0)
"""A bullet's middle stands this many x-heights over the baseline of the word after it (a full stop
sits on the baseline)."""
MAX_ASPECT = 1.5
MIN_SOLIDITY = 0.6
"""Share of its box a disc fills (a circle 0.79, a square 1.0; a letter much less)."""
MAX_GAP = 3.0
"""The widest gap (x-heights) between a bullet and its item's first word."""
BULLET = "•"


def _grey_level(mark: Mark) -> int | None:
    if not mark.color or len(mark.color) != 7:
        return None
    return round(sum(weight * value for weight, value in zip(LUMA, hex_to_rgb(mark.color))))


def _first_word_after(box: tuple[float, float, float, float], words: list[OcrWord]) -> OcrWord | None:
    """The word a disc opens: the nearest word to its right whose x-height band holds the disc's middle,
    where no word of that line starts left of the disc."""
    x0, top, x1, bottom = box
    middle = (top + bottom) / 2
    after = []
    for word in words:
        x_height = word.x_height or (word.box[3] - word.box[1]) / 2
        base = word.baseline or word.box[3]
        if base - BAND[1] * x_height <= middle <= base - BAND[0] * x_height \
                and 0 <= word.box[0] - x1 <= MAX_GAP * x_height \
                and MIN_SIZE * x_height <= bottom - top <= MAX_SIZE * x_height:
            after.append(word)
    if not after:
        return None
    first = min(after, key=lambda w: w.box[0])
    if any(w.line == first.line and w.box[0] < x0 for w in words):
        return None
    return first


def _bullet(box: tuple[float, float, float, float], words: list[OcrWord]) -> OcrWord | None:
    first = _first_word_after(box, words)
    if first is None:
        return None
    return replace(first, text=BULLET, confidence=100.0,
                   box=(int(box[0]), int(box[1]), int(round(box[2])), int(round(box[3]))))


def blobs_to_bullets(blobs: list[Mark], words: list[OcrWord], scale: float) -> tuple[list[OcrWord], list[Mark]]:
    """The page's words with a '•' before each item a black disc taken out as a mark opens, and the
    discs that are no bullets. `scale`: points per pixel."""
    bullets, kept = [], []
    for blob in blobs:
        level = _grey_level(blob)
        found = _bullet(tuple(v / scale for v in blob.bbox), words) if level is not None and level < BLACK else None
        if found is None:
            kept.append(blob)
        else:
            bullets.append(found)
    return words + bullets, kept


def ink_to_bullets(words: list[OcrWord], ink: np.ndarray) -> list[OcrWord]:
    """The page's words with a '•' before each item a disc of ink no word covers opens."""
    if not words:
        return words
    left = uncovered(ink, words, usual_x_height(words))
    count, _, stats, _ = cv2.connectedComponentsWithStats(left, connectivity=8)
    bullets = []
    for x, y, w, h, area in stats[1:count].tolist():
        if max(w, h) > MAX_ASPECT * max(min(w, h), 1) or area < MIN_SOLIDITY * w * h:
            continue
        found = _bullet((x, y, x + w, y + h), words)
        if found is not None:
            bullets.append(found)
    return words + bullets
