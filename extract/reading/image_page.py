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

from extract.reading.image_objects import (ImageObjectSettings, OcrWord, colour_mask, erase, image_to_colour_objects,
                                           image_to_rules, words_to_chars)
from extract.reading.raster import PageImage, RasterSettings, ink_mask
from models.layout import LayoutPage

OCR_SIZE_FACTOR = 1.35
"""A word box's median height (x-height and ascenders) times this approximates the font size."""
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


def words_to_line_styles(words: list[OcrWord], ink: np.ndarray, scale: float
                         ) -> tuple[dict[tuple, float], dict[tuple, bool]]:
    """Each OCR line's font size (from its words' heights) and whether it is bold (its strokes thicker
    than the page's median line of the same size)."""
    by_line: dict[tuple, list[OcrWord]] = defaultdict(list)
    for word in words:
        by_line[word.line].append(word)
    sizes, strokes = {}, {}
    for key, line in by_line.items():
        heights = sorted(w.box[3] - w.box[1] for w in line)
        sizes[key] = round(heights[len(heights) // 2] * scale * OCR_SIZE_FACTOR, 1)
        x0, y0 = min(w.box[0] for w in line), min(w.box[1] for w in line)
        x1, y1 = max(w.box[2] for w in line), max(w.box[3] for w in line)
        height = max(y1 - y0, 1)
        strokes[key] = _stroke_width(ink[y0:y1, x0:x1]) / height
    usual = float(np.median(list(strokes.values()))) if strokes else 0.0
    bold = {key: usual > 0 and value >= BOLD_STROKE * usual for key, value in strokes.items()}
    return sizes, bold


def image_to_layout(image: PageImage, page_no: int, width: float, height: float, read_words: WordReader,
                    read_settings, raster: RasterSettings = RasterSettings(),
                    settings: ImageObjectSettings = ImageObjectSettings()) -> LayoutPage:
    """A scanned page's layout: tables, marks, fills and text lines, as `objects_to_layout` makes them."""
    from extract.reading.read import objects_to_layout

    ink = ink_mask(image.grey(), raster.ink_level)
    rules = image_to_rules(ink, image, settings)
    mask = colour_mask(image, settings)
    marks, fills = image_to_colour_objects(image, mask, settings)
    words = read_words(erase(image, mask, [m.bbox for m in marks], rules, fills), image.dpi)
    sizes, bold = words_to_line_styles(words, ink, image.scale)
    page = ImagePage(page_no, width, height, {
        "char": words_to_chars(words, image, sizes, bold), "line": rules, "rect": fills})
    try:
        return objects_to_layout(page, read_settings, marks, "ocr", True)
    finally:
        page.close()
