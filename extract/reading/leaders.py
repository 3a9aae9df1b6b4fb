"""Dot leaders in a page image → the '.' characters a text layer gives for them.

OCR reads a contents line's row of dots as 'ssssosss' or worse, which hides the contents (its lines
are known by their leaders) and turns each entry into a heading. A leader is a row of small dots,
evenly spaced and close together: it is painted out before OCR and given back as one word of dots
on the line it belongs to.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import cv2
import numpy as np

from extract.reading.ocr_words import OcrWord
from extract.reading.scan_settings import LeaderSettings

Box = tuple[int, int, int, int]
ReadAlone = Callable[[Box], str]
"""Reads the ink in one pixel box of the page on its own, as a single word."""


def _dots(ink: np.ndarray, scale: float, settings: LeaderSettings) -> list[Box]:
    count, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    largest = settings.max_dot / scale
    dots = []
    for x, y, w, h, area in stats[1:count].tolist():
        if area >= 2 and max(w, h) <= largest and max(w, h) <= 2 * min(w, h) and area >= 0.5 * w * h:
            dots.append((x, y, x + w, y + h))
    return dots


def _rows(dots: list[Box], tolerance: float) -> list[list[Box]]:
    rows: list[list[Box]] = []
    for dot in sorted(dots, key=lambda d: (d[1] + d[3]) / 2):
        centre = (dot[1] + dot[3]) / 2
        if rows and centre - (rows[-1][0][1] + rows[-1][0][3]) / 2 <= tolerance:
            rows[-1].append(dot)
        else:
            rows.append([dot])
    return rows


def _clear_between(a: Box, b: Box, ink: np.ndarray, missing: int, speck: int = 3) -> bool:
    """No ink between two dots but a speck of the paper's noise, or as much as the `missing` dots
    between them would have (a dot the scan ran into a speck is no dot on its own)."""
    top, bottom = min(a[1], b[1]), max(a[3], b[3])
    dot = (a[2] - a[0]) * (a[3] - a[1])
    return np.count_nonzero(ink[top:bottom, a[2]:b[0]]) <= speck + 1.5 * dot * missing


def _runs(row: list[Box], ink: np.ndarray, max_pitch: float, settings: LeaderSettings) -> list[list[Box]]:
    """The row's dots cut wherever a gap is too wide, strays from the gaps before it (a gap of a few
    steps, where the scan lost dots, does not cut) or holds other ink (the dots over the letters of
    a word stand between taller letters)."""
    runs: list[list[Box]] = []
    current: list[Box] = []
    for dot in sorted(row):
        if current:
            gap = dot[0] - current[-1][0]
            usual = np.median([b[0] - a[0] for a, b in zip(current, current[1:])]) if len(current) > 1 else gap
            steps = max(1, round(gap / usual))
            if gap > 4 * max_pitch or steps > 4 or abs(gap / steps - usual) > settings.pitch_tolerance * usual \
                    or (len(current) == 1 and gap > max_pitch) or not _clear_between(current[-1], dot, ink, steps - 1):
                runs.append(current)
                current = []
        current.append(dot)
    runs.append(current)
    return [run for run in runs if len(run) >= settings.min_dots]


def image_to_leaders(ink: np.ndarray, scale: float, settings: LeaderSettings) -> list[tuple[Box, int]]:
    """Each dot leader on the page: its pixel box and how many dots it has."""
    leaders = []
    for row in _rows(_dots(ink, scale, settings), settings.row_tolerance / scale):
        for run in _runs(row, ink, settings.max_pitch / scale, settings):
            box = (min(d[0] for d in run), min(d[1] for d in run), max(d[2] for d in run), max(d[3] for d in run))
            leaders.append((box, len(run)))
    return leaders


def _number_after(box: Box, title: OcrWord, pitch: float, ink: np.ndarray,
                  read_alone: ReadAlone) -> tuple[str, Box] | None:
    """The ink just right of a leader, as high as the title it follows (its page number), read on
    its own: a lone digit far out on the right is what a page-wide read most often drops."""
    x0, y0, x1, y1 = box
    top, bottom, right = title.box[1], max(y1, int(title.baseline)) + 2, int(x1 + 2.5 * pitch)
    ys, xs = np.nonzero(ink[top:bottom, x1 + 1:right])
    if not len(xs):
        return None
    found = (x1 + 1 + int(xs.min()), top + int(ys.min()), x1 + 2 + int(xs.max()), top + int(ys.max()) + 1)
    text = read_alone(found)
    return (text, found) if text and text.isalnum() else None


def leaders_to_words(leaders: list[tuple[Box, int]], words: list[OcrWord], ink: np.ndarray,
                     read_alone: ReadAlone) -> list[OcrWord]:
    """The page's words with each leader as a word of dots on the line of the title it follows, and
    the page number after it read alone where the page's OCR missed it or read no digit in it. A row of dots with no words before
    it is a dotted rule, not text, and stays out."""
    found, dropped = [], set()
    for (x0, y0, x1, y1), count in leaders:
        pitch = (x1 - x0) / max(count - 1, 1)
        middle = (y0 + y1) / 2
        row = [w for w in words if w.box[1] <= middle <= w.box[3] + (y1 - y0)]
        before = [w for w in row if w.box[2] <= x0 and x0 - w.box[2] <= 3 * pitch and any(ch.isalnum() for ch in w.text)]
        if not before:
            continue
        title = max(before, key=lambda w: w.box[2])
        found.append(replace(title, text="." * count, box=(x0, y0, x1, y1), confidence=100.0))
        after = [w for w in row if w.box[0] >= x1 and w.box[0] - x1 <= 2.5 * pitch]
        if after and any(ch.isdigit() for ch in after[0].text):
            continue
        number = _number_after((x0, y0, x1, y1), title, pitch, ink, read_alone)
        if number and (not after or number[0].isdigit()):
            found.append(replace(title, text=number[0], box=number[1]))
            dropped.update(id(w) for w in after[:1])
    words = [w for w in words if id(w) not in dropped]
    return sorted(words + found, key=lambda w: (w.line, w.box[0]))
