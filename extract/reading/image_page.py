"""Page image → LayoutPage: the same layout model a text layer gives, built from pixels and OCR words.

The pixels give rules, marks and cell fills (`image_objects`); Tesseract reads the page with those
painted out; its words become characters. All of them go into a pdfplumber page of their own
(`ImagePage`), and the read stage's `objects_to_layout` finds tables, columns and lines on it exactly
as it does on a born-digital page, so every reader runs unchanged on scans.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from functools import lru_cache

import cv2
import numpy as np
from pdfplumber.page import Page

from extract.reading.image_objects import (ImageObjectSettings, colour_mask, erase, image_to_colour_objects,
                                           image_to_dark_blobs, image_to_rules, rules_across_fills, without_fills)
from extract.reading.ocr_words import OcrWord, over_painted, words_to_chars
from extract.reading.raster import PageImage, RasterSettings, ink_mask
from models.layout import LayoutPage

OCR_SIZE_FACTOR = 1.35
"""A word box's median height (x-height and ascenders) times this approximates the font size."""
X_HEIGHT_FACTOR = 1.9
"""A font's size is about this many times its x-height (0.5 to 0.55 of the em in report typefaces)."""
SIZE_TOLERANCE = 0.09
"""OCR line sizes this close (relative) to the next are one type size."""
BOLD_STROKE = 1.3
"""A line whose strokes are this much thicker than the page's usual stroke is set in bold."""

WordReader = Callable[[np.ndarray, float], list[OcrWord]]
"""Reads a grey page image at a resolution (dpi) into words with pixel boxes."""


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


def snap_sizes(sizes: dict[int, float], weights: dict[int, int], tolerance: float = SIZE_TOLERANCE) -> dict[int, float]:
    """Line sizes each within `tolerance` (relative) of the next taken as one size, the one most of
    their text has: OCR estimates a size per line from an x-height of a dozen pixels, one pixel is
    8%, and a type size printed twice should read the same."""
    snapped: dict[int, float] = {}
    group: list[int] = []

    def close() -> None:
        by_weight = sorted(group, key=lambda k: -weights.get(k, 0))
        for key in group:
            snapped[key] = round(sizes[by_weight[0]] * 2) / 2
        group.clear()

    for key in sorted(sizes, key=sizes.get):
        if group and sizes[key] > sizes[group[-1]] * (1 + tolerance):
            close()
        group.append(key)
    if group:
        close()
    return snapped


def words_to_line_styles(words: list[OcrWord], ink: np.ndarray, scale: float
                         ) -> tuple[dict[int, float], dict[int, bool]]:
    """Each OCR line's font size (from Tesseract's x-height, snapped to the page's sizes) and whether it is
    bold (its strokes thicker, for its x-height, than the page's usual line)."""
    by_line: dict[int, list[OcrWord]] = defaultdict(list)
    for word in words:
        by_line[word.line].append(word)
    sizes, strokes, weights = {}, {}, {}
    for key, line in by_line.items():
        heights = sorted(w.box[3] - w.box[1] for w in line)
        sizes[key] = (line[0].x_height * X_HEIGHT_FACTOR or heights[len(heights) // 2] * OCR_SIZE_FACTOR) * scale
        weights[key] = sum(len(w.text) for w in line)
        x0, y0 = min(w.box[0] for w in line), min(w.box[1] for w in line)
        x1, y1 = max(w.box[2] for w in line), max(w.box[3] for w in line)
        strokes[key] = _stroke_width(ink[y0:y1, x0:x1]) / max(line[0].x_height or (y1 - y0) / 2, 1)
    usual = float(np.median(list(strokes.values()))) if strokes else 0.0
    bold = {key: usual > 0 and value >= BOLD_STROKE * usual for key, value in strokes.items()}
    return snap_sizes(sizes, weights), bold


def image_to_layout(image: PageImage, page_no: int, width: float, height: float, read_words: WordReader,
                    read_settings, raster: RasterSettings = RasterSettings(),
                    settings: ImageObjectSettings = ImageObjectSettings()) -> LayoutPage:
    """A scanned page's layout: tables, marks, fills and text lines, as `objects_to_layout` makes them."""
    from extract.reading.read import objects_to_layout

    grey = image.grey()
    ink = ink_mask(grey, raster.ink_level)
    faint = ink_mask(grey, raster.rule_level)
    mask = colour_mask(image, settings)
    marks, fills = image_to_colour_objects(image, mask, settings)
    rules = rules_across_fills(image_to_rules(ink, without_fills(faint, mask, fills, image.scale), image, settings),
                               fills)
    painted = [m.bbox for m in marks] + image_to_dark_blobs(faint, image, settings)
    words = [w for w in read_words(erase(image, grey, mask, painted, rules, fills), image.dpi)
             if not over_painted(w, painted, image.scale)]
    sizes, bold = words_to_line_styles(words, ink, image.scale)
    page = ImagePage(page_no, width, height, {
        "char": words_to_chars(words, image, sizes, bold, settings.bullet_lookalikes), "line": rules, "rect": fills})
    try:
        return objects_to_layout(page, read_settings, marks, "ocr", True)
    finally:
        page.close()
