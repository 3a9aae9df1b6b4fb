"""Pixels → status marks and cell fills, as a text layer's marks and filled rects.

Marks and fills are connected components of saturated colour: compact ones the size of a letter are
marks, with their sampled colour and a shape from how much of their box they fill; large ones that
fill a box are cell backgrounds. Coloured text is told apart because its letters stand in a row with
neighbours of their own colour. Solid blobs without colour are found too, to be painted out.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import cv2
import numpy as np

from extract.reading.fills import overlap_area
from extract.reading.image_objects import ImageObjectSettings, to_points
from extract.reading.raster import PageImage
from models.layout import BBox, Mark, MarkShape

ReadAlone = Callable[[tuple[int, int, int, int]], tuple[str, float]]
"""OCR of the ink in one pixel box of the page, read alone as one character: its text and confidence."""


def _hex(rgb: np.ndarray) -> str:
    return "#{:02x}{:02x}{:02x}".format(*(int(v) for v in rgb))


def _shape(ratio: float, aspect: float) -> MarkShape:
    """Shape from the share of its box a solid mark covers: a square fills it, a circle π/4 of it, a
    diamond or triangle half."""
    if aspect > 1.6:
        return "bar"
    if ratio >= 0.88:
        return "square"
    if ratio >= 0.68:
        return "circle"
    if ratio >= 0.42:
        return "triangle"
    return "other"


@dataclass
class _Component:
    box: tuple[int, int, int, int]
    area: int
    color: np.ndarray
    own: np.ndarray | None = None
    """Which pixels of its box are its own."""


def _strongest_colour(pixels: np.ndarray) -> np.ndarray:
    """The colour of a mark: the median of its most saturated half, so the blur around a thin tick
    does not wash its green out towards the paper."""
    spread = pixels.max(axis=1).astype(np.int16) - pixels.min(axis=1)
    return np.median(pixels[spread >= np.median(spread)], axis=0)


def _components(mask: np.ndarray, image: PageImage) -> list[_Component]:
    count, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    found = []
    for index in range(1, count):
        x, y, w, h, area = stats[index].tolist()
        if area < 6:
            continue
        own = labels[y:y + h, x:x + w] == index
        found.append(_Component((x, y, x + w, y + h), area, _strongest_colour(image.rgb[y:y + h, x:x + w][own]), own))
    return found


def _fill_parts(component: _Component, image: PageImage, step: float) -> list[tuple[tuple[int, int, int, int], np.ndarray]]:
    """A coloured area cut where its colour changes from one pixel row to the next: cells of different
    colours one under another touch in a scan and make one area."""
    x0, y0, x1, y1 = component.box
    rgb = image.rgb[y0:y1, x0:x1].astype(np.float32)
    rows = []
    for r in range(y1 - y0):
        own = component.own[r]
        rows.append(np.median(rgb[r][own], axis=0) if own.sum() >= 0.3 * own.size else None)
    parts, start, colours = [], 0, []
    for r, colour in enumerate(rows):
        if colour is None:
            continue  # a row through the text printed on the fill
        if colours and np.abs(colour - np.median(colours, axis=0)).max() > step:
            parts.append(((x0, y0 + start, x1, y0 + r), np.median(colours, axis=0)))
            start, colours = r, []
        colours.append(colour)
    if colours:
        parts.append(((x0, y0 + start, x1, y1), np.median(colours, axis=0)))
    return parts


class _Neighbours:
    """The page's components as arrays, so that asking what stands beside or below one of them is one
    vectorised pass rather than a loop over thousands of letters."""

    def __init__(self, components: list[_Component]):
        self.index = {id(c): i for i, c in enumerate(components)}
        self.boxes = np.array([c.box for c in components], dtype=np.int64).reshape(-1, 4)
        self.colours = np.array([c.color for c in components], dtype=np.int64).reshape(-1, 3)

    def _others(self, component: _Component) -> tuple[np.ndarray, np.ndarray]:
        """Boxes of the others of the component's colour, and which of them are not the component."""
        same = np.abs(self.colours - np.asarray(component.color, dtype=np.int64)).max(axis=1) < 60
        if id(component) in self.index:
            same[self.index[id(component)]] = False
        return self.boxes, same

    def in_a_word(self, component: _Component, gap: float) -> bool:
        """Whether one of its own colour stands beside it on its line, closer than `gap` times the
        taller of the two: letters of a word (and a hyphen after one) stand closer than a word space,
        a mark stands a space or more from its label. Much taller neighbours are frames, not letters
        (a comma is half a letter's height)."""
        x0, y0, x1, y1 = component.box
        height = y1 - y0
        size = max(height, x1 - x0)
        boxes, same = self._others(component)
        ox0, oy0, ox1, oy1 = boxes.T
        other_height = oy1 - oy0
        same_line = np.minimum(y1, oy1) - np.maximum(y0, oy0) > 0.25 * np.minimum(height, other_height)
        near = np.maximum(ox0 - x1, x0 - ox1) < gap * np.maximum(height, other_height)
        return bool((same & (other_height <= 3 * size) & same_line & near).any())

    def under_a_dot(self, component: _Component) -> bool:
        """Whether a dot of its colour stands just above the component, no wider than about its width
        and over its middle: the stem of an i or a j (a bold i standing alone is a short bar)."""
        x0, y0, x1, y1 = component.box
        width, middle = x1 - x0, (x0 + x1) / 2
        boxes, same = self._others(component)
        ox0, oy0, ox1, oy1 = boxes.T
        return bool((same & (ox1 - ox0 <= 2 * width) & (oy1 - oy0 <= 2 * width) & (oy1 <= y0)
                     & (oy1 >= y0 - width) & (ox0 <= middle) & (middle <= ox1)).any())

    def over_a_letter(self, component: _Component) -> bool:
        """Whether a letter of its colour goes on just below the component, across its width: the ring
        of an å, or the two dots of an ä run together. A frame around it (much taller) is no letter."""
        x0, y0, x1, y1 = component.box
        height, size = y1 - y0, max(y1 - y0, x1 - x0)
        boxes, same = self._others(component)
        ox0, oy0, ox1, oy1 = boxes.T
        return bool((same & (oy1 - oy0 <= 3 * size) & (oy0 <= y1 + 0.6 * height) & (oy1 >= y1 + 0.5 * size)
                     & (ox0 < x1) & (x0 < ox1)).any())


def _fill_rect(box: BBox, colour: np.ndarray) -> dict:
    rgb = tuple(float(v) / 255 for v in colour)
    return {"object_type": "rect", "x0": box[0], "top": box[1], "x1": box[2], "bottom": box[3],
            "width": box[2] - box[0], "height": box[3] - box[1], "fill": True, "stroke": False,
            "non_stroking_color": rgb, "stroking_color": rgb, "linewidth": 0, "doctop": box[1]}


def image_to_grey_fills(faint: np.ndarray, colour: np.ndarray, image: PageImage,
                        settings: ImageObjectSettings) -> list[BBox]:
    """Cell backgrounds without colour (a grey copy of coloured cells, or cells printed grey): solid
    areas wider than a mark, left when strokes and rules are opened away. They name no status (a grey
    is no colour a legend can be matched by), so they only carry the row rules across them."""
    side = max(3, round((settings.max_rule_thickness + 1) / image.scale))
    solid = cv2.morphologyEx(faint, cv2.MORPH_OPEN, np.ones((side, side), np.uint8))
    solid[colour > 0] = 0
    count, _, stats, _ = cv2.connectedComponentsWithStats(solid, connectivity=4)
    widest_mark, lowest = settings.max_mark_size / image.scale, settings.min_fill_size / image.scale
    return [to_points((x, y, x + w, y + h), image.scale) for x, y, w, h, area in stats[1:count].tolist()
            if h >= lowest and w > widest_mark and area >= settings.min_fill_ratio * w * h]


def _reads_as_text(component: _Component, read_alone: ReadAlone | None, settings: ImageObjectSettings) -> bool:
    """Whether OCR, reading the component alone, surely reads digits or a symbol of running text ('&'):
    what a mark is never read as (a disc reads as '.', 'e' or nothing, a square as 'H' or 'E', so
    letters prove nothing)."""
    if read_alone is None:
        return False
    text, confidence = read_alone(component.box)
    return (confidence >= settings.text_confidence and 0 < len(text) <= 3
            and all(ch.isdigit() or ch in settings.text_symbols for ch in text))


def image_to_colour_objects(image: PageImage, mask: np.ndarray, settings: ImageObjectSettings,
                            read_alone: ReadAlone | None = None) -> tuple[list[Mark], list[dict]]:
    """Coloured marks, and cell backgrounds as filled rect objects (the read stage decides which fill a
    table cell), from the page's `colour_mask`. A candidate mark on a line of text of its own colour
    is read by OCR (`read_alone`) first: an '&' between coloured words is one more letter."""
    components = _components(mask, image)
    near = _Neighbours(components)
    marks, fills = [], []
    lo, hi = settings.min_mark_size / image.scale, settings.max_mark_size / image.scale
    for component in components:
        x0, y0, x1, y1 = component.box
        w, h = x1 - x0, y1 - y0
        ratio = component.area / max(w * h, 1)
        box_pt = to_points(component.box, image.scale)
        if h >= settings.min_fill_size / image.scale and w > hi and ratio >= settings.min_fill_ratio:
            for box, colour in _fill_parts(component, image, settings.fill_colour_step):
                if box[3] - box[1] >= settings.min_fill_size / image.scale:
                    fills.append(_fill_rect(to_points(box, image.scale), colour))
            continue
        aspect = max(w, h) / max(min(w, h), 1)
        if not (lo <= max(w, h) <= hi and min(w, h) >= lo * 0.5 and aspect <= settings.max_mark_aspect):
            continue
        if near.in_a_word(component, settings.neighbour_gap) or near.over_a_letter(component) or (
                near.in_a_word(component, settings.text_window) and _reads_as_text(component, read_alone, settings)):
            continue
        marks.append(Mark(kind="image", shape=_shape(ratio, aspect), bbox=box_pt, color=_hex(component.color)))
    return marks, fills


def _grey(pixels: np.ndarray) -> str:
    level = int(np.median(pixels))
    return _hex(np.array([level, level, level]))


def image_to_dark_blobs(ink: np.ndarray, image: PageImage, settings: ImageObjectSettings,
                        read_alone: ReadAlone | None = None, colour: np.ndarray | None = None,
                        besides: list[Mark] = ()) -> list[Mark]:
    """Solid discs, squares and short bars of any grey standing alone (`ink` taken at a light level),
    neither coloured (`colour`, the page's colour mask) nor under a coloured mark (`besides`): status
    marks printed without colour, or scanned in grey.
    Letters have counters, or neighbours on their line, or a dot above them, or are read surely by OCR
    (`read_alone`): a bold digit standing alone is solid too."""
    count, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    lo, hi = settings.min_blob_size / image.scale, settings.max_mark_size / image.scale
    thin = settings.min_blob_thickness / image.scale
    black = np.zeros(3)
    labelled = [(index, _Component((x, y, x + w, y + h), area, black))
                for index, (x, y, w, h, area) in enumerate(stats[1:count].tolist(), start=1) if area >= 4]
    near = _Neighbours([blob for _, blob in labelled])
    coloured = [m.bbox for m in besides]
    blobs = []
    for index, blob in labelled:
        x0, y0, x1, y1 = blob.box
        w, h = x1 - x0, y1 - y0
        aspect = max(w, h) / max(min(w, h), 1)
        if not (lo <= max(w, h) <= hi and min(w, h) >= thin and aspect <= settings.max_blob_aspect
                and blob.area >= settings.min_blob_solidity * w * h):
            continue
        box = to_points(blob.box, image.scale)
        if any(overlap_area(box, other) > 0 for other in coloured) or near.in_a_word(blob, settings.neighbour_gap) \
                or near.over_a_letter(blob) or near.under_a_dot(blob) or _reads_as_text(blob, read_alone, settings):
            continue
        own = labels[y0:y1, x0:x1] == index
        if colour is not None and np.count_nonzero(colour[y0:y1, x0:x1][own]) > 0.5 * blob.area:
            continue
        grey = image.grey()[y0:y1, x0:x1]
        level = float(np.median(grey[own]))
        solid = np.count_nonzero(grey < (level + 255) / 2) / (w * h)  # blurred letters leave light gaps
        if solid < settings.min_blob_core:
            continue
        shape = _shape(blob.area / (w * h), aspect)
        blobs.append(Mark(kind="image", shape=shape, bbox=box, color=_grey(grey[own])))
    return blobs


def in_colour(mask: np.ndarray, marks: list[Mark], fills: list[dict], settings: ImageObjectSettings) -> bool:
    """Whether the page was printed and scanned in colour: it has coloured marks, fills or text. On a
    page in grey every mark is a grey, and a grey then names no status."""
    return bool(marks or fills) or np.count_nonzero(mask) >= settings.min_colour_share * mask.size
