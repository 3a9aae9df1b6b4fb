"""Pixels → the ruled lines a text layer would have given, as pdfplumber's dicts in points, so the
table finder runs unchanged on scans; the settings for everything read from pixels; and the page
image OCR reads, with marks, rules and fills painted out (marks and fills: `image_marks`; characters:
`ocr_words`).

Rules are long thin runs of ink (a morphological opening keeps only runs longer than a word's
letters), refused under a line of letters, carried across cell fills.
"""
from __future__ import annotations

from functools import lru_cache

import cv2
import numpy as np

from extract.reading.raster import PageImage
from extract.reading.scan_settings import ImageObjectSettings
from models.layout import BBox


def to_points(box: tuple[float, float, float, float], scale: float) -> BBox:
    return tuple(round(v * scale, 2) for v in box)


def _thin(mask: np.ndarray, across: tuple[int, int]) -> np.ndarray:
    """The mask without what is thicker across a rule than a rule is: a cell fill or a letter's stem
    that touches a rule would otherwise make one thick block of it."""
    thick = cv2.morphologyEx(mask, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, across))
    return cv2.subtract(mask, thick)


def _segments(ink: np.ndarray, kernel: tuple[int, int], thick: int, horizontal: bool,
              scale: float) -> list[tuple[tuple[float, float, float, float], int]]:
    """Runs of ink at least as long as the kernel, thin ones only: each as (x0, top, x1, bottom) in
    points, with the pixel row of its topmost ink (a rule a scan left slightly skewed rises along its
    length, so its middle row is not its top at either end)."""
    opened = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, kernel))
    count, _, stats, _ = cv2.connectedComponentsWithStats(opened, connectivity=8)
    found = []
    for x, y, w, h, _ in stats[1:count].tolist():
        if (h if horizontal else w) > thick * 3:
            continue  # a solid block (a filled area or a thick bar), not a rule
        if horizontal:
            mid = (y + h / 2) * scale
            found.append(((x * scale, mid, (x + w) * scale, mid), y))
        else:
            mid = (x + w / 2) * scale
            found.append(((mid, y * scale, mid, (y + h) * scale), y))
    return found


def _spans_rows(vertical: tuple[float, float, float, float], horizontals: list[tuple[float, float, float, float]],
                tol: float) -> bool:
    """Whether a vertical run meets a horizontal rule at both ends, as a cell border does."""
    x, top, _, bottom = vertical
    ends = [h for h in horizontals if h[0] - tol <= x <= h[2] + tol]
    return any(abs(h[1] - top) <= tol for h in ends) and any(abs(h[1] - bottom) <= tol for h in ends)


def _under_letters(rule: tuple[float, float, float, float], top: int, ink: np.ndarray, scale: float,
                   settings: ImageObjectSettings) -> bool:
    """Whether ink stands just above most of a horizontal run (whose topmost ink is on pixel row
    `top`): the serifs of a bold heading, blurred together along its baseline, and not a rule, which
    has a cell's padding above it."""
    x0, x1 = int(rule[0] / scale), int(rule[2] / scale)
    band = ink[max(0, int(top - settings.rule_clearance / scale)):max(0, top - 1), x0:x1 + 1]
    return band.size > 0 and float(band.any(axis=0).mean()) > settings.max_ink_above


def image_to_rules(ink: np.ndarray, faint: np.ndarray, image: PageImage, settings: ImageObjectSettings) -> list[dict]:
    """Horizontal and vertical ruled lines as pdfplumber line objects (top == bottom for a horizontal),
    found in `faint` (hairline grey rules count) and checked against `ink`. A cell border as short as a
    single-line row counts where it runs from one horizontal rule to the next; a letter's stem does not."""
    s = image.scale
    thick = max(2, int(round(settings.max_rule_thickness / s)))
    long_run, short_run = max(8, int(settings.min_rule_length / s)), max(6, int(settings.min_cell_rule / s))
    horizontals = [h for h, top in _segments(_thin(faint, (1, 2 * thick + 1)), (long_run, 1), thick, True, s)
                   if not _under_letters(h, top, ink, s, settings)]
    verticals = [v for v, _ in _segments(_thin(faint, (2 * thick + 1, 1)), (1, short_run), thick, False, s)
                 if v[3] - v[1] >= settings.min_rule_length or _spans_rows(v, horizontals, settings.rule_join)]
    return [_line(*segment) for segment in horizontals + verticals]


def without_fills(faint: np.ndarray, mask: np.ndarray, fills: list[dict], scale: float) -> np.ndarray:
    """The faint ink without the coloured pixels of cell fills: a rule along a fill then stays a thin
    line of its own instead of one block with the fill."""
    out = faint.copy()
    for fill in fills:
        where = _pixels((fill["x0"], fill["top"], fill["x1"], fill["bottom"]), scale, 0.0)
        out[where][mask[where] > 0] = 0
    return out


def _line(x0: float, top: float, x1: float, bottom: float) -> dict:
    return {"object_type": "line", "x0": x0, "x1": x1, "top": top, "bottom": bottom, "width": x1 - x0,
            "height": bottom - top, "linewidth": 1.0, "doctop": top, "stroking_color": (0,),
            "non_stroking_color": (0,), "pts": [(x0, top), (x1, bottom)]}


def rules_across_fills(rules: list[dict], fills: list[dict], tol: float = 2.5) -> list[dict]:
    """Rules carried on across the cell fills they end at: in pixels a rule that runs along or through a
    fill is part of the fill, so a row rule seems to stop where a coloured cell starts, and a grid's
    column borders stop at a header band filled in colour. A band that column borders run into is a
    row of the grid, bounded by its own edges."""
    out = []
    bands = set()
    for rule in rules:
        x0, x1, top, bottom = rule["x0"], rule["x1"], rule["top"], rule["bottom"]
        for index, fill in enumerate(fills):
            if top == bottom and fill["top"] - tol <= top <= fill["bottom"] + tol:
                if abs(fill["x1"] - x0) <= tol:
                    x0 = min(x0, fill["x0"])
                if abs(fill["x0"] - x1) <= tol:
                    x1 = max(x1, fill["x1"])
            elif top != bottom and fill["x0"] - tol <= x0 <= fill["x1"] + tol:
                if abs(top - fill["bottom"]) <= tol:
                    top, bands = fill["top"], bands | {index}
                if abs(bottom - fill["top"]) <= tol:
                    bottom, bands = fill["bottom"], bands | {index}
        out.append(rule if (x0, x1, top, bottom) == (rule["x0"], rule["x1"], rule["top"], rule["bottom"])
                   else _line(x0, top, x1, bottom))
    for index in sorted(bands):
        fill = fills[index]
        out += [_line(fill["x0"], fill["top"], fill["x1"], fill["top"]),
                _line(fill["x0"], fill["bottom"], fill["x1"], fill["bottom"])]
    return out


@lru_cache(maxsize=4)
def _chroma_table(min_chroma: float) -> np.ndarray:
    """255 for each CIELAB (a, b) pair (as OpenCV stores them, offset by 128) whose chroma exceeds
    `min_chroma`: a lookup per pixel instead of arithmetic over the page."""
    a, b = np.meshgrid(np.arange(256) - 128, np.arange(256) - 128, indexing="ij")
    return np.where(a * a + b * b > min_chroma ** 2, np.uint8(255), np.uint8(0))


def colour_mask(image: PageImage, settings: ImageObjectSettings) -> np.ndarray:
    """Where the page is coloured: CIELAB chroma above `min_chroma`."""
    lab = cv2.cvtColor(image.rgb, cv2.COLOR_RGB2LAB)
    return _chroma_table(settings.min_chroma)[lab[:, :, 1], lab[:, :, 2]]


LUMA = (0.299, 0.587, 0.114)


def _pixels(box: BBox, scale: float, pad: float) -> tuple[slice, slice]:
    x0, top, x1, bottom = box
    return (slice(max(0, int((top - pad) / scale)), int((bottom + pad) / scale) + 1),
            slice(max(0, int((x0 - pad) / scale)), int((x1 + pad) / scale) + 1))


def erase(image: PageImage, grey: np.ndarray, mask: np.ndarray, marks: list[BBox], rules: list[dict],
          fills: list[dict], pad: float = 1.0, mark_pad: float = 2.0) -> np.ndarray:
    """The page's grey image with marks, rules and the colour of cell fills painted white (a dark fill
    turned light, its light text dark): OCR then reads no '@' or 'e' for a circle, no '|' for a cell
    border, and the text on a fill as on paper. `grey` (the page's grey image) is left as it is."""
    grey = grey.copy()
    for fill in fills:
        where = _pixels((fill["x0"], fill["top"], fill["x1"], fill["bottom"]), image.scale, 0.0)
        if np.dot(fill["non_stroking_color"], LUMA) < 0.5:  # light text on a dark fill (a header band)
            turned = 255.0 - grey[where]
            grey[where] = np.clip(turned * (255.0 / max(float(np.median(turned)), 1.0)), 0, 255).astype(np.uint8)
        else:
            grey[where][mask[where] > 0] = 255
    for box in marks:
        grey[_pixels(box, image.scale, mark_pad)] = 255  # with the halo JPEG leaves around a colour
    for rule in rules:
        grey[_pixels((rule["x0"], rule["top"], rule["x1"], rule["bottom"]), image.scale, pad)] = 255
    return grey
