"""Page image → LayoutPage: the same layout model a text layer gives, built from pixels and OCR words.

The pixels give rules, marks and cell fills (`image_objects`); Tesseract reads the page with those
painted out; its words become characters. All of them go into a pdfplumber page of their own
(`ImagePage`), and the read stage's `objects_to_layout` finds tables, columns and lines on it exactly
as it does on a born-digital page, so every reader runs unchanged on scans.
"""
from __future__ import annotations

import unicodedata
from collections import defaultdict
from functools import lru_cache
from typing import Protocol

import cv2
import numpy as np
from pdfplumber.page import Page

from extract.reading.bullets import blobs_to_bullets, ink_to_bullets
from extract.reading.image_marks import (
    image_to_colour_objects,
    image_to_dark_blobs,
    image_to_grey_fills,
    in_colour,
)
from extract.reading.image_objects import (
    ImageObjectSettings,
    colour_mask,
    erase,
    image_to_rules,
    rules_across_fills,
    to_points,
    without_fills,
)
from extract.reading.leaders import image_to_leaders, leaders_to_words
from extract.reading.ocr_words import OcrWord, over_painted, without_stray_readings, words_to_chars
from extract.reading.raster import PageImage, RasterSettings, ink_mask
from extract.reading.straddles import straddling_lines_to_cell_words
from extract.reading.unread_ink import unread_ink_to_words
from models.layout import LayoutPage

OCR_SIZE_FACTOR = 1.35
"""A word box's median height (x-height and ascenders) times this approximates the font size."""
X_HEIGHT_FACTOR = 1.9
"""A font's size is about this many times its x-height (0.5 to 0.55 of the em in report typefaces)."""
ASCENT_FACTOR = 1.35
"""A font's size is about this many times the height of its ascenders and capitals over the baseline
(0.72 to 0.76 of the em)."""
TALL = frozenset("bdfhklt0123456789")
"""Lower-case letters and digits that reach the ascender line (capitals do too)."""
DESCENDING = frozenset("gjpqyQ,;()[]{}|/")
"""Characters that reach below the baseline."""
RISING = frozenset("()[]{}|")
"""Characters whose top stands above the ascender line: a word holding one is no measure of it."""
SHALLOW = frozenset(",;")
"""Descending characters whose tail is too short to tell a baseline from a box's foot."""
SHALLOW_ASCENT = 0.85
"""The share of a box of digits and a comma ('-3,4') above the baseline: a comma's tail descends
about 0.13 em under digits 0.72 em tall."""
BASELINE_AT_LEAST = 0.65
"""A word rises at least this share of its box's height above its own baseline (descenders take
about a fifth of a box)."""
TYPICAL_PIXELS = 1.5
"""Ascents this many pixels from a line's median are its typical words' (more is a box grown by what
touches it)."""
TALL_AT_MOST = 1.2
"""A size read from tall letters this much above the one read from the x-height is a box grown by
what touched it."""
BOLD_STROKE = 1.2
"""A line whose strokes are this much thicker than the page's usual stroke is set in bold (bold
lines measure 1.25 to 1.5, regular ones up to 1.1)..."""
BOLD_WORD_STROKE = 1.15
"""... and none of its words of `BOLD_WORD_LENGTH` letters or more is as thin as regular type (up to
1.13x): a bold run-in label ('Ansvarig:', 1.5x) thickens a regular line on average, and a line is bold
in a text layer only when all of it is. Shorter words ('till', 'vill') measure too unevenly."""
BOLD_WORD_LENGTH = 5

class WordReader(Protocol):
    def __call__(self, grey: np.ndarray, dpi: float) -> list[OcrWord]:
        """A grey page image at a resolution (dpi) read into words with pixel boxes."""

    def read_alone(self, grey: np.ndarray, box: tuple[int, int, int, int], dpi: float,
                   single_char: bool = False) -> tuple[str, float]:
        """The ink in one pixel box read on its own as one word (or one character): text, confidence."""


class ImagePage(Page):
    """A pdfplumber page whose objects come from a page image rather than a content stream."""

    def __init__(self, page_no: int, width: float, height: float, objects: dict[str, list[dict]]):
        self.pdf = None
        self.root_page = self
        self.page_obj = None
        self.page_number = page_no
        self.initial_doctop = 0
        self.rotation = 0
        self.mediabox = self.cropbox = self.bbox = (0, 0, width, height)
        self.get_textmap = lru_cache()(self._get_textmap)
        self._objects = {"char": [], "line": [], "rect": [], "curve": [], "image": [], **objects}

    @property
    def objects(self) -> dict[str, list[dict]]:
        return self._objects

    @property
    def annots(self) -> list:
        return []

    def close(self) -> None:
        self.get_textmap.cache_clear()


def _stroke_width(ink: np.ndarray) -> float:
    """Mean stroke width of the ink in a box: its area over half its outline."""
    area = int(np.count_nonzero(ink))
    if not area:
        return 0.0
    outline = area - int(np.count_nonzero(cv2.erode(ink, np.ones((3, 3), np.uint8))))
    return 2.0 * area / max(outline, 1)


def _reaches_ascender_only(text: str) -> bool:
    """Whether a word's top is the ascender line: it holds a capital, digit or tall letter and nothing
    that rises above it (an accent on a capital, the ring of an å, a bracket)."""
    tall = False
    for ch in text:
        marks = unicodedata.decomposition(ch)
        if ch in RISING:
            return False
        if marks and not (ch.islower() and marks.endswith("0308")):  # dots over a lower-case letter stay low
            return False
        tall = tall or ch in TALL or ch.isupper()
    return tall


def _ascent(word: OcrWord) -> float | None:
    """How far a tall word rises above its baseline, in pixels. Where no letter descends, its box's
    foot is its baseline: the box's height, or the line's baseline where that is higher (a speck below
    grows the box). Where letters descend, down to the line's baseline if that lies clearly above the
    box's foot (on a line of one or two words Tesseract may put it at the descenders' foot). A comma's
    short tail grows the box too: such a word rises to its line's baseline where that lies within the
    box, else a set share of the box. A line's baseline near a word's top is another word's (values set
    lower in their cells than the name that opens the line) and measures nothing."""
    if not _reaches_ascender_only(word.text):
        return None
    top, bottom = word.box[1], word.box[3]
    height = bottom - top
    on_baseline = word.baseline - top if word.baseline and word.baseline - top >= BASELINE_AT_LEAST * height else None
    if not any(ch in DESCENDING and ch not in SHALLOW for ch in word.text):
        if any(ch in SHALLOW for ch in word.text):
            return on_baseline if on_baseline and word.baseline < bottom else height * SHALLOW_ASCENT
        return float(min(height, on_baseline or height))
    if on_baseline and word.baseline <= bottom - 0.12 * height:
        return on_baseline
    return None


def _ascent_sizes(line: list[OcrWord]) -> list[float]:
    """The sizes the line's tall words say, smallest first."""
    return sorted(a * ASCENT_FACTOR for a in map(_ascent, line) if a)


def _lower_median(values: list[float]) -> float:
    return values[(len(values) - 1) // 2]


def _typical_ascent(tall: list[float]) -> float:
    """The mean of the tall sizes within a pixel and a half of their lower median: a word's ascent is
    a whole number of pixels, so one line's median may fall a pixel (4%) from another's in the same
    type, where their means stay within a fraction of one."""
    middle = _lower_median(tall)
    near = [t for t in tall if abs(t - middle) <= TYPICAL_PIXELS * ASCENT_FACTOR]
    return sum(near) / len(near)


def _x_height_calibration(lines: list[tuple[list[float], float]]) -> float:
    """How the page's type relates its x-height to its ascenders, from lines with several tall words:
    the x-height is 0.5 to 0.55 of the em by typeface, so an x-height read as a size must be scaled to
    agree with the sizes read from tall letters, or a heading's second line, without a tall word,
    would read a size apart from its first. `lines`: each line's `_ascent_sizes` and x-height."""
    ratios = sorted(float(np.median(tall)) / (x_height * X_HEIGHT_FACTOR)
                    for tall, x_height in lines if x_height and len(tall) >= 3)
    return ratios[len(ratios) // 2] if ratios else 1.0


def _shows_x_height(line: list[OcrWord]) -> bool:
    """Whether the line holds a small letter that neither rises nor descends: without one, Tesseract's
    x-height for it is a guess ('(%)' read '(20)', a value alone on its line)."""
    return any(ch.islower() and ch not in TALL and ch not in DESCENDING for word in line for ch in word.text)


def _line_size(line: list[OcrWord], tall: list[float], scale: float, calibration: float = 1.0) -> float | None:
    """A line's font size in points: from how far its tall words rise above the baseline (their
    `_typical_ascent`, about the lower median: a word's box grows with what touches it and never
    shrinks; three times the pixels of an x-height, so a pixel is 2-3% of the size rather than 7%),
    unless that says much more than Tesseract's x-height for the line (`calibration`: the page's
    typeface), as when Tesseract ran the line together with the next cell's; else from the x-height.
    None where the line shows neither. `tall`: the line's `_ascent_sizes`."""
    shows_x_height = _shows_x_height(line)
    by_x_height = line[0].x_height * X_HEIGHT_FACTOR * calibration if shows_x_height else 0.0
    if tall and not (by_x_height and _lower_median(tall) > TALL_AT_MOST * by_x_height):
        return _typical_ascent(tall) * scale
    if by_x_height:
        return by_x_height * scale
    return _box_size(line, scale) if shows_x_height else None


def _box_size(line: list[OcrWord], scale: float) -> float:
    heights = sorted(w.box[3] - w.box[1] for w in line)
    return heights[len(heights) // 2] * OCR_SIZE_FACTOR * scale


def _nearest_sizes(sizes: dict[int, float | None], lines: dict[int, list[OcrWord]], scale: float) -> dict[int, float]:
    """Each line's size, a line that shows none taking the size of the line nearest it up or down (the
    cell beside it in a table row, the text it is wrapped from); with no line measured, its words'
    box heights."""
    def middle(key: int) -> float:
        return sum(w.box[1] + w.box[3] for w in lines[key]) / (2 * len(lines[key]))

    known = [(middle(key), size) for key, size in sizes.items() if size is not None]
    out = {}
    for key, size in sizes.items():
        if size is None and known:
            here = middle(key)
            size = min(known, key=lambda k: abs(k[0] - here))[1]
        out[key] = size if size is not None else _box_size(lines[key], scale)
    return out


def words_to_line_styles(words: list[OcrWord], ink: np.ndarray, scale: float
                         ) -> tuple[dict[int, float], dict[int, bool]]:
    """Each OCR line's font size (`_line_size`; the segmenter snaps them to the document's sizes,
    `records.type_sizes`) and whether it is bold (its strokes thicker, for its x-height, than the
    page's usual line)."""
    by_line: dict[int, list[OcrWord]] = defaultdict(list)
    for word in words:
        by_line[word.line].append(word)
    tall = {key: _ascent_sizes(line) for key, line in by_line.items()}
    calibration = _x_height_calibration([(tall[key], line[0].x_height) for key, line in by_line.items()])
    sizes, strokes, lightest = {}, {}, {}
    word_strokes: list[tuple[float, int]] = []
    for key, line in by_line.items():
        sizes[key] = _line_size(line, tall[key], scale, calibration)
        x_height = line[0].x_height
        strokes[key] = _relative_stroke(ink, _union(w.box for w in line), x_height)
        own = [(_relative_stroke(ink, w.box, x_height), sum(ch.isalnum() for ch in w.text)) for w in line]
        word_strokes.extend((stroke, letters) for stroke, letters in own if letters)
        lightest[key] = min((stroke for stroke, letters in own if letters >= BOLD_WORD_LENGTH), default=None)
    usual = _weighted_median(word_strokes)
    bold = {key: usual > 0 and value >= BOLD_STROKE * usual
            and (lightest[key] is None or lightest[key] >= BOLD_WORD_STROKE * usual)
            for key, value in strokes.items()}
    return {key: round(size, 1) for key, size in _nearest_sizes(sizes, by_line, scale).items()}, bold


def _weighted_median(values: list[tuple[float, int]]) -> float:
    """The value half the weight lies at or below. Over words weighted by their letters, the page's
    usual stroke is its body text's, however many short bold lines or bold run-in labels it holds."""
    total, running = sum(weight for _, weight in values), 0
    for value, weight in sorted(values):
        running += weight
        if 2 * running >= total:
            return value
    return 0.0


def _union(boxes) -> tuple[int, int, int, int]:
    x0s, tops, x1s, bottoms = zip(*boxes)
    return min(x0s), min(tops), max(x1s), max(bottoms)


def _relative_stroke(ink: np.ndarray, box: tuple[int, int, int, int], x_height: float) -> float:
    x0, y0, x1, y1 = box
    return _stroke_width(ink[y0:y1, x0:x1]) / max(x_height or (y1 - y0) / 2, 1)


def image_to_layout(image: PageImage, page_no: int, width: float, height: float, read_words: WordReader,
                    read_settings, raster: RasterSettings = RasterSettings(),
                    settings: ImageObjectSettings = ImageObjectSettings()) -> LayoutPage:
    """A scanned page's layout: tables, marks, fills and text lines, as `objects_to_layout` makes them."""
    from extract.reading.read import objects_to_layout

    grey = image.grey()
    ink = ink_mask(grey, raster.ink_level)
    faint = ink_mask(grey, raster.rule_level)
    mask = colour_mask(image, settings)
    def read_alone(box: tuple[int, int, int, int]) -> tuple[str, float]:
        return read_words.read_alone(grey, box, image.dpi, single_char=True)

    marks, fills = image_to_colour_objects(image, mask, settings, read_alone)
    grey_fills = [{"x0": x0, "top": top, "x1": x1, "bottom": bottom}
                  for x0, top, x1, bottom in image_to_grey_fills(faint, mask, image, settings)]
    rules = rules_across_fills(image_to_rules(ink, without_fills(faint, mask, fills, image.scale), image, settings),
                               fills + grey_fills)
    leaders = image_to_leaders(faint, image.scale, settings.leaders)
    blobs = image_to_dark_blobs(faint, image, settings, read_alone, mask, marks)
    painted = [m.bbox for m in marks + blobs] + [to_points(box, image.scale) for box, _ in leaders]
    coloured = in_colour(mask, marks, fills, settings)
    erased = erase(image, grey, mask, painted, rules, fills)
    words = without_stray_readings([w for w in read_words(erased, image.dpi)
                                    if not over_painted(w, painted, image.scale)])
    words, blobs = blobs_to_bullets(blobs, words, image.scale)
    if coloured:
        marks = marks + blobs  # a grey among colours is a colour the legend may name
    words = leaders_to_words(leaders, words, ink, lambda box: read_words.read_alone(erased, box, image.dpi)[0])
    words = straddling_lines_to_cell_words(words, rules, image.scale,
                                           lambda box: read_words.read_block(erased, box, image.dpi))
    left_ink = ink_mask(erased, raster.ink_level)
    words = ink_to_bullets(unread_ink_to_words(words, left_ink, lambda box: read_words.read_block(
        erased, box, image.dpi, one_line=True)), left_ink)
    sizes, bold = words_to_line_styles(words, ink, image.scale)
    page = ImagePage(page_no, width, height, {
        "char": words_to_chars(words, image, sizes, bold, settings.bullet_lookalikes), "line": rules, "rect": fills})
    try:
        return objects_to_layout(page, read_settings, marks, "ocr", True)
    finally:
        page.close()
