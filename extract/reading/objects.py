"""Page objects as pdfplumber's dicts, built faster for characters.

pdfplumber turns every pdfminer layout object into a dict, sending each attribute through a recursive
resolver that mostly meets plain floats and strings; on text pages that costs about as much as
pdfminer's own interpretation of the content stream. `install_fast_chars` gives one page a
char-to-dict step that resolves only what needs resolving and yields the very same dicts (same keys,
order and values: tests/extract/test_objects.py compares them with pdfplumber's on the corpus). Other
objects (lines, rects, curves, images) still go through pdfplumber's own step. Written against
pdfplumber 0.11.10; any other version keeps pdfplumber's step.
"""
from __future__ import annotations

from bisect import bisect_left
from functools import lru_cache
from types import MethodType
from typing import Any
from unicodedata import normalize as normalize_unicode

import pdfplumber
from pdfminer.layout import LTChar
from pdfplumber.page import ALL_ATTRS, Page, fix_fontname_bytes
from pdfplumber.table import Table as PlumberTable
from pdfplumber.utils import extract_text
from pdfplumber.utils.pdfinternals import resolve_all, resolve_and_decode

CHECKED_VERSION = "0.11.10"
_PLAIN = frozenset({float, int, str, bool, type(None)})


def value_to_resolved(value: Any) -> Any:
    """resolve_all's result, without walking values that hold no reference."""
    kind = type(value)
    if kind in _PLAIN:
        return value
    if kind is tuple and all(type(v) in _PLAIN for v in value):
        return value
    return resolve_all(value)


@lru_cache(maxsize=256)
def _colorspace_name(name: str) -> Any:
    return resolve_and_decode(name)


def colorspace_name(name: Any) -> Any:
    try:
        return _colorspace_name(name)
    except TypeError:  # an unhashable name: resolve it every time, as pdfplumber does
        return resolve_and_decode(name)


def char_to_dict(page: Page, obj: LTChar) -> dict:
    """pdfplumber's Page.process_object for an LTChar."""
    attr = {k: v if type(v) in _PLAIN else value_to_resolved(v) for k, v in obj.__dict__.items() if k in ALL_ATTRS}
    attr["object_type"] = "char"
    attr["page_number"] = page.page_number
    for cs in ("ncs", "scs"):
        if hasattr(obj, cs):
            attr[cs] = colorspace_name(getattr(obj, cs).name)
    text = obj.get_text()
    norm = page.pdf.unicode_norm
    attr["text"] = normalize_unicode(norm, text) if norm is not None else text
    gs = obj.graphicstate
    attr["stroking_color"] = gs.scolor if isinstance(gs.scolor, tuple) else (gs.scolor,)
    attr["non_stroking_color"] = gs.ncolor if isinstance(gs.ncolor, tuple) else (gs.ncolor,)
    if isinstance(attr["fontname"], bytes):
        attr["fontname"] = fix_fontname_bytes(attr["fontname"])
    mb_x0, mb_top = page.mediabox[:2]
    if "y0" in attr:
        attr["top"] = (page.height - attr["y1"]) + mb_top
        attr["bottom"] = (page.height - attr["y0"]) + mb_top
        attr["doctop"] = page.initial_doctop + attr["top"]
    if "x0" in attr and mb_x0 != 0:
        attr["x0"] = attr["x0"] + mb_x0
        attr["x1"] = attr["x1"] + mb_x0
    return attr


def _process_object(page: Page, obj: Any) -> dict:
    if type(obj) is LTChar:
        return char_to_dict(page, obj)
    return Page.process_object(page, obj)


def install_fast_chars(page: Page) -> Page:
    """The page, its characters parsed by char_to_dict from now on (pdfplumber 0.11.10 only)."""
    if pdfplumber.__version__ == CHECKED_VERSION:
        page.process_object = MethodType(_process_object, page)
    return page


def _inside(items: list[tuple[float, float, int, dict]], bbox: tuple) -> list[tuple[float, float, int, dict]]:
    """The (mid x, mid y, order, char) items whose midpoint lies in the box (its top and left edges in,
    the others out, as pdfplumber tests)."""
    x0, top, x1, bottom = bbox
    return [item for item in items if x0 <= item[0] < x1 and top <= item[1] < bottom]


def table_to_cell_texts(table: PlumberTable, **kwargs: Any) -> list[list[str | None]]:
    """pdfplumber's Table.extract (same test of a character's midpoint against each box, same text
    per cell), with the midpoints computed once, each box computed once (pdfplumber's row and table
    boxes are properties that recompute on every access), and each row's characters found by
    bisection among the table's characters sorted by midpoint, rather than every character of the
    page tested for every row. A cell's characters keep the page's order."""
    inside = sorted(_inside([((c["x0"] + c["x1"]) / 2, (c["top"] + c["bottom"]) / 2, i, c)
                             for i, c in enumerate(table.page.chars)], table.bbox), key=lambda item: item[1])
    mids = [item[1] for item in inside]
    rows = []
    for row in table.rows:
        x0, top, x1, bottom = row.bbox
        row_chars = sorted((item for item in inside[bisect_left(mids, top):bisect_left(mids, bottom)]
                            if x0 <= item[0] < x1), key=lambda item: item[2])
        texts: list[str | None] = []
        for cell in row.cells:
            if cell is None:
                texts.append(None)
                continue
            cell_chars = [item[3] for item in _inside(row_chars, cell)]
            if cell_chars and "layout" in kwargs:
                kwargs.update(layout_width=cell[2] - cell[0], layout_height=cell[3] - cell[1], layout_bbox=cell)
            texts.append(extract_text(cell_chars, **kwargs) if cell_chars else "")
        rows.append(texts)
    return rows
