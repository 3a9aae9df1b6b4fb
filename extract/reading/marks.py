"""Status marks and check boxes as drawn on a PDF page, before any legend gives them a meaning.

Reports draw a status five ways: a small filled vector shape, a coloured character from a symbol
block, a character in a private symbol font (private-use code point or an unmapped "(cid:N)"), a
small picture, or a check box. All are found here from the page objects pdfplumber already parsed,
so detection costs no extra pass over the content stream.
"""
from __future__ import annotations

import io
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

from pdfminer.pdftypes import resolve1
from pdfminer.psparser import PSLiteral
from pydantic import BaseModel, ConfigDict, Field

from models.layout import BBox, Mark, MarkShape

CID_RE = re.compile(r"^\(cid:\d+\)$")

SHAPE_BY_NAME_WORD: tuple[tuple[str, MarkShape], ...] = (
    ("BALLOT BOX", "box"),
    ("CHECK MARK", "check"),
    ("BALLOT X", "cross"),
    ("MULTIPLICATION X", "cross"),
    ("SALTIRE", "cross"),
    ("CROSS", "cross"),
    ("CIRCLE", "circle"),
    ("DIAMOND", "diamond"),
    ("LOZENGE", "diamond"),
    ("TRIANGLE", "triangle"),
    ("POINTER", "triangle"),
    ("RECTANGLE", "bar"),
    ("DASH", "bar"),
    ("HORIZONTAL BAR", "bar"),
    ("SQUARE", "square"),
)
"""Unicode character-name words to shapes, first match wins (ballot boxes before squares)."""


class MarkSettings(BaseModel):
    """Size and colour limits that tell a mark from text, rules and pictures."""

    model_config = ConfigDict(extra="forbid")

    min_size: float = 4.0
    """Smallest side, in points, of a vector mark."""
    max_size: float = 20.0
    """Largest side, in points, of a vector mark; bigger shapes are cell fills and frames."""
    max_aspect: float = 1.3
    """Longest side over shortest side: marks are roughly square; underlines are not."""
    image_max_size: float = 25.0
    """Largest side, in points, of a picture taken as a mark."""
    checkbox_min_size: float = 6.0
    checkbox_max_size: float = 14.0
    white_level: float = 0.92
    """Every channel at or above this (0..1) counts as white/background."""
    black_level: float = 0.12
    """Every channel at or below this counts as black: text colour, not a status colour."""
    glyph_ranges: list[tuple[int, int]] = [
        (0x2190, 0x27BF),  # arrows, technical, geometric shapes, misc symbols, dingbats
        (0x2B00, 0x2BFF),  # misc symbols and arrows
        (0x1F300, 0x1FAFF),  # pictographs and emoji
    ]
    glyph_chars: str = "—▬"
    """Single characters outside the ranges that reports use as marks."""
    plain_color_glyph_chars: str = "—◦▪▫‣"
    """Mark characters that are also punctuation or bullets: only a mark when not printed in black."""
    symbol_ranges: list[tuple[int, int]] = [(0xE000, 0xF8FF)]
    """Private-use code points: symbol fonts (Wingdings and the like) land here."""
    symbol_shapes: dict[str, dict[str, MarkShape]] = {}
    """Font-name fragment → extracted glyph text → shape, for symbol fonts whose glyphs are known."""
    image_sample_resolution: int = 144
    """Render resolution for picture marks whose stream cannot be decoded directly."""
    image_max_pixels: int = Field(4_000_000, gt=0)
    """Largest picture stream decoded here (a status icon is a few hundred pixels square); a larger one
    (a 30000 x 30000 image drawn 10 points wide decodes to gigabytes) is sampled from the rendered
    page instead, which PDFium decodes downsampled to the render's resolution."""
    fill_tolerance: float = 2.5
    """How far (points) a coloured rectangle's edges may lie from a table cell's to be that cell's fill."""
    fill_overlap: float = 0.6
    """Or the share of both the fill's and the cell's area their overlap must cover."""
    fill_min_chroma: float = 0.25
    """Spread between the strongest and weakest channel (0..1) a cell fill needs to carry a status:
    grey and pastel header shading does not."""
    """Render resolution for picture marks whose stream cannot be decoded directly."""


def color_to_hex(value: Any) -> str | None:
    """'#rrggbb' from a pdfplumber colour: grey, RGB, CMYK (0..1 or 0..255), or None for patterns and
    named separations (PSLiteral), which carry no colour of their own (pdfplumber issue #828)."""
    if value is None or isinstance(value, (PSLiteral, str)):
        return None
    if isinstance(value, (int, float)):
        value = (value,)
    try:
        channels = [float(v) for v in value]
    except (TypeError, ValueError):
        return None
    if not channels:
        return None
    if max(channels) > 1.0:
        channels = [v / 255.0 for v in channels]
    channels = [min(1.0, max(0.0, v)) for v in channels]
    if len(channels) == 1:
        rgb = channels * 3
    elif len(channels) == 3:
        rgb = channels
    elif len(channels) == 4:
        c, m, y, k = channels
        rgb = [(1 - c) * (1 - k), (1 - m) * (1 - k), (1 - y) * (1 - k)]
    else:
        return None
    return "#" + "".join(f"{int(v * 255 + 0.5):02x}" for v in rgb)


def hex_to_rgb(color: str) -> tuple[int, int, int]:
    return int(color[1:3], 16), int(color[3:5], 16), int(color[5:7], 16)


def is_status_color(color: str | None, settings: MarkSettings) -> bool:
    """A fill that can carry a status: set, not white, not black."""
    if color is None:
        return False
    rgb = [v / 255 for v in hex_to_rgb(color)]
    return not (min(rgb) >= settings.white_level or max(rgb) <= settings.black_level)


def is_white(color: str | None, settings: MarkSettings) -> bool:
    return color is not None and min(v / 255 for v in hex_to_rgb(color)) >= settings.white_level


def char_to_shape(text: str) -> MarkShape:
    """The drawn shape of a mark character, read from its Unicode name."""
    if len(text) != 1:
        return "other"
    name = unicodedata.name(text, "")
    for word, shape in SHAPE_BY_NAME_WORD:
        if word in name:
            return shape
    return "other"


def in_ranges(code: int, ranges: Iterable[tuple[int, int]]) -> bool:
    return any(lo <= code <= hi for lo, hi in ranges)


def char_to_mark_kind(char: dict, settings: MarkSettings) -> str | None:
    """'glyph', 'symbol_glyph', 'checkbox' (a ballot-box character) or None for ordinary text."""
    text = char["text"]
    if CID_RE.match(text):
        return "symbol_glyph"
    if len(text) != 1:
        return None
    code = ord(text)
    if in_ranges(code, settings.symbol_ranges):
        return "symbol_glyph"
    if in_ranges(code, settings.glyph_ranges) or text in settings.glyph_chars:
        if text in settings.plain_color_glyph_chars and not is_status_color(
                color_to_hex(char.get("non_stroking_color")), settings):
            return None
        return "checkbox" if char_to_shape(text) == "box" else "glyph"
    return None


def symbol_shape(font: str, text: str, settings: MarkSettings) -> MarkShape:
    for fragment, shapes in settings.symbol_shapes.items():
        if fragment.lower() in font.lower() and text in shapes:
            return shapes[text]
    return "other"


BOLD_WORDS = ("bold", "black", "heavy", "semibold", "demi")


def is_bold(font: str | None) -> bool:
    return bool(font) and any(word in font.lower() for word in BOLD_WORDS)


def font_name(raw: str | None) -> str | None:
    """The font name without the 6-letter subset prefix ('ABCDEF+DejaVuSans' → 'DejaVuSans')."""
    if not raw:
        return raw
    head, plus, tail = raw.partition("+")
    return tail if plus and len(head) == 6 and head.isupper() else raw


def obj_bbox(obj: dict) -> BBox:
    return (round(obj["x0"], 2), round(obj["top"], 2), round(obj["x1"], 2), round(obj["bottom"], 2))


def is_markish(obj: dict, lo: float, hi: float, settings: MarkSettings) -> bool:
    w, h = obj["x1"] - obj["x0"], obj["bottom"] - obj["top"]
    if not (lo <= w <= hi and lo <= h <= hi):
        return False
    return max(w, h) / max(min(w, h), 1e-6) <= settings.max_aspect


def chars_to_marks(chars: list[dict], settings: MarkSettings) -> list[Mark]:
    marks = []
    lowest = min((lo for lo, _ in [*settings.glyph_ranges, *settings.symbol_ranges]), default=0)
    singles = settings.glyph_chars
    for char in chars:
        text = char["text"]
        if len(text) == 1 and ord(text) < lowest and text not in singles:
            continue  # a letter, digit or punctuation: most of a page, and never a mark
        kind = char_to_mark_kind(char, settings)
        if kind is None:
            continue
        text, font = char["text"], font_name(char.get("fontname"))
        color = color_to_hex(char.get("non_stroking_color"))
        if kind == "symbol_glyph":
            shape = symbol_shape(font or "", text, settings)
        else:
            shape = char_to_shape(text)
        checked = (unicodedata.name(text, "") != "BALLOT BOX") if kind == "checkbox" else None
        marks.append(Mark(kind=kind, shape=shape, bbox=obj_bbox(char), color=color, glyph=text,
                          font=font, checked=checked))
    return marks


def path_to_shape(obj: dict) -> MarkShape:
    """Circle for a path with Bézier segments; otherwise the polygon its corners make."""
    commands = [seg[0] for seg in obj.get("path") or []]
    if obj["object_type"] == "rect":
        return "square"
    if "c" in commands or "v" in commands or "y" in commands:
        return "circle"
    pts = {(round(x, 1), round(y, 1)) for x, y in obj.get("pts") or []}
    if len(pts) == 3:
        return "triangle"
    if len(pts) == 4:
        x0, top, x1, bottom = obj["x0"], obj["top"], obj["x1"], obj["bottom"]
        tol = max(x1 - x0, bottom - top) * 0.15
        on_corner = sum(min(abs(x - cx) for cx in (x0, x1)) < tol and min(abs(y - cy) for cy in (top, bottom)) < tol
                        for x, y in pts)
        return "square" if on_corner >= 3 else "diamond"
    return "other"


def is_chart_bar(rect: dict, filled: list[dict]) -> bool:
    """A bar of a bar chart: another filled rect starts at the same x with the same height but another
    length. Status squares in a column share their width too, so they stay marks."""
    height, width = rect["bottom"] - rect["top"], rect["x1"] - rect["x0"]
    return any(o is not rect and o["object_type"] == "rect" and abs(o["x0"] - rect["x0"]) < 0.5
               and abs((o["bottom"] - o["top"]) - height) < 0.5 and abs((o["x1"] - o["x0"]) - width) > 0.5
               for o in filled)


def vectors_to_marks(shapes: list[dict], settings: MarkSettings) -> list[Mark]:
    marks = []
    filled = [o for o in shapes if o.get("fill")]
    for obj in filled:
        color = color_to_hex(obj.get("non_stroking_color"))
        if not is_status_color(color, settings) or not is_markish(obj, settings.min_size, settings.max_size, settings):
            continue
        if obj["object_type"] == "rect" and is_chart_bar(obj, filled):
            continue
        marks.append(Mark(kind="vector", shape=path_to_shape(obj), bbox=obj_bbox(obj), color=color))
    return marks


def inside(inner: dict | BBox, outer: BBox, margin: float = 0.5) -> bool:
    if isinstance(inner, dict):
        inner = (inner["x0"], inner["top"], inner["x1"], inner["bottom"])
    cx, cy = (inner[0] + inner[2]) / 2, (inner[1] + inner[3]) / 2
    return outer[0] + margin < cx < outer[2] - margin and outer[1] + margin < cy < outer[3] - margin


def checkboxes_to_marks(rects: list[dict], strokes: list[dict], chars: list[dict],
                        settings: MarkSettings) -> list[Mark]:
    """Small unfilled squares; checked when a tick, cross or glyph is drawn inside."""
    marks = []
    for rect in rects:
        if not rect.get("stroke") or not is_markish(rect, settings.checkbox_min_size,
                                                   settings.checkbox_max_size, settings):
            continue
        fill = color_to_hex(rect.get("non_stroking_color")) if rect.get("fill") else None
        if fill is not None and not is_white(fill, settings):
            continue
        box = obj_bbox(rect)
        size = max(box[2] - box[0], box[3] - box[1])
        ink = [o for o in strokes if o is not rect and inside(o, box)
               and max(o["x1"] - o["x0"], o["bottom"] - o["top"]) < size]
        ink += [c for c in chars if c["text"].strip() and inside(c, box)]
        color = color_to_hex(rect.get("stroking_color"))
        marks.append(Mark(kind="checkbox", shape="box", bbox=box, color=color, checked=bool(ink)))
    return marks


def dominant_color(pixels: list[tuple[int, int, int]]) -> str | None:
    """The most common non-white colour: the fullest coarse bucket (anti-aliased edges scatter), then
    the most common exact pixel inside it (JPEG noise aside, the flat fill)."""
    ink = [p for p in pixels if min(p) < 235]
    if not ink:
        return None
    buckets = Counter((r >> 5, g >> 5, b >> 5) for r, g, b in ink)
    top = buckets.most_common(1)[0][0]
    exact = Counter(p for p in ink if (p[0] >> 5, p[1] >> 5, p[2] >> 5) == top)
    return "#" + "".join(f"{v:02x}" for v in exact.most_common(1)[0][0])


def stream_to_image(image: dict, max_pixels: int):
    """A Pillow RGBA image from a PDF image stream (JPEG or raw 8-bit samples, with its soft mask),
    or None when the encoding needs a renderer or the picture (or its mask) has more than
    `max_pixels` pixels."""
    from PIL import Image

    stream = image["stream"]
    width, height = (int(v) for v in image["srcsize"])
    smask = resolve1(stream.attrs.get("SMask"))
    mask_size = (int(resolve1(smask.attrs.get("Width")) or 0), int(resolve1(smask.attrs.get("Height")) or 0)) \
        if smask is not None else (0, 0)
    if max(width * height, mask_size[0] * mask_size[1]) > max_pixels:
        return None
    filters = {f.name if isinstance(f, PSLiteral) else str(f) for f, _ in stream.get_filters()}
    if filters & {"DCTDecode", "JPXDecode"}:  # pdfminer decodes the outer filters and stops at JPEG
        picture = Image.open(io.BytesIO(stream.get_data())).convert("RGB")
    elif image.get("bits") == 8 and not image.get("imagemask"):
        data = stream.get_data()
        channels = len(data) // max(width * height, 1)
        mode = {1: "L", 3: "RGB", 4: "CMYK"}.get(channels)
        if mode is None or len(data) < width * height * channels:
            return None
        picture = Image.frombytes(mode, (width, height), data[: width * height * channels]).convert("RGB")
    else:
        return None
    picture = picture.convert("RGBA")
    if smask is not None:
        alpha_data = smask.get_data()
        if len(alpha_data) >= mask_size[0] * mask_size[1]:
            alpha = Image.frombytes("L", mask_size, alpha_data[: mask_size[0] * mask_size[1]]).resize(picture.size)
            picture.putalpha(alpha)
    return picture


def picture_to_mark_fields(picture) -> tuple[str | None, MarkShape]:
    """Colour and shape of a small RGBA picture: transparent or white pixels are background."""
    w, h = picture.size
    px = picture.load()

    def background(x: int, y: int) -> bool:
        r, g, b, a = px[min(max(x, 0), w - 1), min(max(y, 0), h - 1)]
        return a < 128 or min(r, g, b) >= 235

    step = max(1, max(w, h) // 48)
    opaque = [px[x, y][:3] for y in range(0, h, step) for x in range(0, w, step) if px[x, y][3] >= 128]
    color = dominant_color(opaque)
    corners = [(0, 0), (w - 1, 0), (0, h - 1), (w - 1, h - 1)]
    if all(background(x, y) for x, y in corners) and not background(w // 2, h // 2):
        shape: MarkShape = "circle" if not background(int(w * 0.2), int(h * 0.2)) else "diamond"
    else:
        shape = "square"
    return color, shape


def images_to_marks(images: list[dict], render: Callable[[BBox], Any], settings: MarkSettings) -> list[Mark]:
    """Small pictures as marks, coloured from their own pixels; `render(bbox)` gives an RGBA crop of the
    rendered page for streams that cannot be decoded here."""
    marks = []
    for image in images:
        w, h = image["x1"] - image["x0"], image["bottom"] - image["top"]
        if not (0 < w <= settings.image_max_size and 0 < h <= settings.image_max_size):
            continue
        box = obj_bbox(image)
        try:
            picture = stream_to_image(image, settings.image_max_pixels)
        except Exception:  # an undecodable stream still has pixels on the rendered page
            picture = None
        if picture is None:
            picture = render(box)
        color, shape = picture_to_mark_fields(picture)
        marks.append(Mark(kind="image", shape=shape, bbox=box, color=color))
    return marks


def page_to_marks(page, settings: MarkSettings) -> list[Mark]:
    """Every mark on a pdfplumber page; glyphs inside a drawn check box count as its tick."""
    chars = page.chars
    curves, rects, lines = page.curves, page.rects, page.lines
    rendered: dict[str, Any] = {}

    def render(box: BBox):
        if "page" not in rendered:
            rendered["page"] = page.to_image(resolution=settings.image_sample_resolution).original
            rendered["scale"] = settings.image_sample_resolution / 72
        s = rendered["scale"]
        x0, top = page.bbox[0], page.bbox[1]
        crop = (round((box[0] - x0) * s), round((box[1] - top) * s), round((box[2] - x0) * s), round((box[3] - top) * s))
        return rendered["page"].crop(crop).convert("RGBA")

    boxes = checkboxes_to_marks(rects, curves + lines + rects, chars, settings)
    glyphs = [m for m in chars_to_marks(chars, settings)
              if not any(inside(m.bbox, box.bbox) for box in boxes)]
    return glyphs + vectors_to_marks(curves + rects, settings) + images_to_marks(page.images, render, settings) + boxes
