"""Pixels → the page objects a text layer would have given: ruled lines, coloured marks and cell fills,
as pdfplumber's dicts in points, so the table finder and every reader run unchanged on scans (the
characters come from OCR words, `ocr_words`).

Rules are long thin runs of ink (a morphological opening keeps only runs longer than a word's
letters). Marks and fills are connected components of saturated colour: compact ones the size of a
letter are marks, with their sampled colour and a shape from how much of their box they fill; large
ones that fill a box are cell backgrounds. Coloured text is told apart because its letters stand in a
row with neighbours of their own colour.
"""
from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
from pydantic import BaseModel, ConfigDict

from extract.reading.raster import PageImage
from models.layout import BBox, Mark, MarkShape


class ImageObjectSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    min_rule_length: float = 24.0
    """Shortest ruled line (points); letters and underlined words are shorter."""
    max_rule_thickness: float = 3.0
    min_cell_rule: float = 9.0
    """Shortest vertical cell border (points), where it runs from one horizontal rule to another."""
    rule_join: float = 2.5
    """How far (points) a cell border's ends may lie from the rules they meet."""
    rule_clearance: float = 2.5
    max_ink_above: float = 0.5
    """Share of a horizontal run's length with ink within `rule_clearance` points above it, beyond which
    the run is the foot of a line of letters."""
    """How far (points) a cell border's ends may lie from the rules they meet."""
    min_chroma: float = 16.0
    """CIELAB chroma above which a white-balanced pixel counts as coloured (paper and grey ink stay near 0)."""
    min_mark_size: float = 3.5
    """Smallest side (points) of a mark."""
    max_mark_size: float = 25.0
    max_mark_aspect: float = 2.0
    min_fill_size: float = 10.0
    """A coloured area at least this high and wider than a mark is a cell background."""
    fill_colour_step: float = 40.0
    """Change in any channel (0..255) from one pixel row of a coloured area to the next that starts
    another cell's fill."""
    min_fill_ratio: float = 0.55
    """Share of its box a cell background covers (the text printed on it takes the rest)."""
    min_blob_size: float = 5.0
    """Smallest side (points) of a mark without colour: the dots over an ä in a large heading are smaller."""
    max_blob_aspect: float = 1.4
    min_blob_solidity: float = 0.7
    """Share of its box a dark blob covers to be a solid mark rather than a letter with a counter."""
    bullet_lookalikes: str = "«»•·*°+"
    """What OCR reads a list bullet as when it runs the bullet into the item's first word."""
    neighbour_gap: float = 0.45
    """A coloured component with one of its own colour closer than this many times its height, beside it
    on the same line, is a letter of a coloured word."""


def _to_points(box: tuple[float, float, float, float], scale: float) -> BBox:
    return tuple(round(v * scale, 2) for v in box)


def _thin(mask: np.ndarray, across: tuple[int, int]) -> np.ndarray:
    """The mask without what is thicker across a rule than a rule is: a cell fill or a letter's stem
    that touches a rule would otherwise make one thick block of it."""
    thick = cv2.morphologyEx(mask, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, across))
    return cv2.subtract(mask, thick)


def _segments(ink: np.ndarray, kernel: tuple[int, int], thick: int, horizontal: bool,
              scale: float) -> list[tuple[float, float, float, float]]:
    """Runs of ink at least as long as the kernel, as (x0, top, x1, bottom) in points, thin ones only."""
    opened = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, kernel))
    count, _, stats, _ = cv2.connectedComponentsWithStats(opened, connectivity=8)
    found = []
    for x, y, w, h, _ in stats[1:count].tolist():
        if (h if horizontal else w) > thick * 3:
            continue  # a solid block (a filled area or a thick bar), not a rule
        if horizontal:
            mid = (y + h / 2) * scale
            found.append((x * scale, mid, (x + w) * scale, mid))
        else:
            mid = (x + w / 2) * scale
            found.append((mid, y * scale, mid, (y + h) * scale))
    return found


def _spans_rows(vertical: tuple[float, float, float, float], horizontals: list[tuple[float, float, float, float]],
                tol: float) -> bool:
    """Whether a vertical run meets a horizontal rule at both ends, as a cell border does."""
    x, top, _, bottom = vertical
    ends = [h for h in horizontals if h[0] - tol <= x <= h[2] + tol]
    return any(abs(h[1] - top) <= tol for h in ends) and any(abs(h[1] - bottom) <= tol for h in ends)


def _under_letters(rule: tuple[float, float, float, float], ink: np.ndarray, scale: float,
                   settings: ImageObjectSettings) -> bool:
    """Whether ink stands just above most of a horizontal run: the serifs of a bold heading, blurred
    together along its baseline, and not a rule, which has a cell's padding above it."""
    x0, y, x1, _ = (int(v / scale) for v in rule)
    band = ink[max(0, int(y - settings.rule_clearance / scale)):max(0, y - 1), x0:x1 + 1]
    return band.size > 0 and float(band.any(axis=0).mean()) > settings.max_ink_above


def image_to_rules(ink: np.ndarray, faint: np.ndarray, image: PageImage, settings: ImageObjectSettings) -> list[dict]:
    """Horizontal and vertical ruled lines as pdfplumber line objects (top == bottom for a horizontal),
    found in `faint` (hairline grey rules count) and checked against `ink`. A cell border as short as a
    single-line row counts where it runs from one horizontal rule to the next; a letter's stem does not."""
    s = image.scale
    thick = max(2, int(round(settings.max_rule_thickness / s)))
    long_run, short_run = max(8, int(settings.min_rule_length / s)), max(6, int(settings.min_cell_rule / s))
    horizontals = [h for h in _segments(_thin(faint, (1, 2 * thick + 1)), (long_run, 1), thick, True, s)
                   if not _under_letters(h, ink, s, settings)]
    verticals = [v for v in _segments(_thin(faint, (2 * thick + 1, 1)), (1, short_run), thick, False, s)
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


def colour_mask(image: PageImage, settings: ImageObjectSettings) -> np.ndarray:
    lab = cv2.cvtColor(image.rgb, cv2.COLOR_RGB2LAB).astype(np.int16)
    chroma = np.hypot(lab[:, :, 1] - 128, lab[:, :, 2] - 128)
    return (chroma > settings.min_chroma).astype(np.uint8) * 255


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


def _in_a_word(component: _Component, others: list[_Component], gap: float) -> bool:
    x0, y0, x1, y1 = component.box
    height = y1 - y0
    for other in others:
        if other is component:
            continue
        ox0, oy0, ox1, oy1 = other.box
        if oy1 - oy0 > 2 * height:
            continue  # a frame or rule around it, not a letter beside it
        same_line = min(y1, oy1) - max(y0, oy0) > 0.4 * min(height, oy1 - oy0)
        near = max(ox0 - x1, x0 - ox1) < gap * height
        if same_line and near and np.abs(other.color.astype(int) - component.color.astype(int)).max() < 60:
            return True
    return False


def _fill_rect(box: BBox, colour: np.ndarray) -> dict:
    rgb = tuple(float(v) / 255 for v in colour)
    return {"object_type": "rect", "x0": box[0], "top": box[1], "x1": box[2], "bottom": box[3],
            "width": box[2] - box[0], "height": box[3] - box[1], "fill": True, "stroke": False,
            "non_stroking_color": rgb, "stroking_color": rgb, "linewidth": 0, "doctop": box[1]}


def image_to_colour_objects(image: PageImage, mask: np.ndarray,
                            settings: ImageObjectSettings) -> tuple[list[Mark], list[dict]]:
    """Coloured marks, and cell backgrounds as filled rect objects (the read stage decides which fill a
    table cell), from the page's `colour_mask`."""
    components = _components(mask, image)
    marks, fills = [], []
    lo, hi = settings.min_mark_size / image.scale, settings.max_mark_size / image.scale
    for component in components:
        x0, y0, x1, y1 = component.box
        w, h = x1 - x0, y1 - y0
        ratio = component.area / max(w * h, 1)
        box_pt = _to_points(component.box, image.scale)
        if h >= settings.min_fill_size / image.scale and w > hi and ratio >= settings.min_fill_ratio:
            for box, colour in _fill_parts(component, image, settings.fill_colour_step):
                if box[3] - box[1] >= settings.min_fill_size / image.scale:
                    fills.append(_fill_rect(_to_points(box, image.scale), colour))
            continue
        aspect = max(w, h) / max(min(w, h), 1)
        if not (lo <= max(w, h) <= hi and min(w, h) >= lo * 0.5 and aspect <= settings.max_mark_aspect):
            continue
        if _in_a_word(component, components, settings.neighbour_gap):
            continue
        marks.append(Mark(kind="image", shape=_shape(ratio, aspect), bbox=box_pt, color=_hex(component.color)))
    return marks, fills


def _over_a_letter(component: _Component, others: list[_Component]) -> bool:
    """Whether a letter goes on just below the component, across its width: the ring of an å. A frame
    around it (much taller) is no letter."""
    x0, y0, x1, y1 = component.box
    height = y1 - y0
    return any(o is not component and o.box[3] - o.box[1] <= 3 * height and o.box[1] <= y1 + 0.6 * height
               and o.box[3] >= y1 + 0.5 * height and o.box[0] < x1 and x0 < o.box[2] for o in others)


def image_to_dark_blobs(ink: np.ndarray, image: PageImage, settings: ImageObjectSettings) -> list[BBox]:
    """Solid discs and squares of any grey standing alone (`ink` taken at a light level): status marks printed (or scanned) without colour.
    They carry no status a reader may name (a grey level is not a printed legend colour), but OCR would
    read them as 'eo' or '3'; they are painted out before it reads. Letters have counters, or
    neighbours on their line."""
    count, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    lo, hi = settings.min_blob_size / image.scale, settings.max_mark_size / image.scale
    black = np.zeros(3)
    everything = [_Component((x, y, x + w, y + h), area, black)
                  for x, y, w, h, area in stats[1:count].tolist() if area >= 4]
    blobs = []
    for blob in everything:
        x0, y0, x1, y1 = blob.box
        w, h = x1 - x0, y1 - y0
        if lo <= max(w, h) <= hi and max(w, h) <= settings.max_blob_aspect * min(w, h) \
                and blob.area >= settings.min_blob_solidity * w * h \
                and not _in_a_word(blob, everything, settings.neighbour_gap) \
                and not _over_a_letter(blob, everything):
            blobs.append(_to_points(blob.box, image.scale))
    return blobs


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
