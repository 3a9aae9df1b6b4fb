"""Page objects as pdfplumber's dicts, read by PDFium instead of pdfminer.

pdfminer interprets every content stream in Python, which is most of the read stage on text pages;
PDFium reads the same page in C about four times as fast. `pdfium_page_objects` gives a pdfplumber
page its characters, lines, rectangles and curves from PDFium, with pdfplumber's keys and
coordinates (paths are classified by pdfminer's own `paint_path`, so a rectangle is a rectangle by
the same test), and every later step (words, tables, text lines, marks) runs on them unchanged.

Only pages PDFium and pdfminer see alike are read this way: a page with images or form XObjects,
a rotated or offset page, turned characters, or Type 3, vertical or unmatched fonts keeps
pdfminer's reading (None here). tests/reading/test_pdfium_objects.py holds every text page of the
corpus and of generated reports from three producers to pdfminer's reading.
"""
from __future__ import annotations

import ctypes
import threading

import pypdfium2 as pdfium
import pypdfium2.raw as raw
from pdfminer.converter import PDFLayoutAnalyzer
from pdfminer.layout import LTContainer
from pdfminer.pdffont import FontMetricsDB, PDFType3Font
from pdfminer.pdfinterp import PDFGraphicState
from pdfminer.pdftypes import PDFObjRef, dict_value, list_value, num_value, resolve1
from pdfminer.psparser import LIT, PSLiteral, literal_name
from pdfplumber.page import fix_fontname_bytes

PDFIUM_LOCK = threading.Lock()
"""PDFium is not thread-safe: every call into it (opening, reading, rendering for OCR beside it)
holds this lock."""
UPRIGHT_TOLERANCE = 1e-6
FONT_SCALE = 0.001
"""Text space units per glyph space unit: pdfminer's vscale, by which a descriptor's Descent becomes
a share of the font size."""
_ADDRESS = ctypes.c_void_p


def _by_address(function, result, *arguments):
    """A PDFium function called with plain addresses for its pointers: pypdfium2's own binding checks
    and converts each typed pointer, which costs more than the call itself when made per character."""
    return ctypes.CFUNCTYPE(result, *arguments)(ctypes.cast(function, _ADDRESS).value)


_TEXT_OBJECT_ADDRESS = _by_address(raw.FPDFText_GetTextObject, _ADDRESS, _ADDRESS, ctypes.c_int)
_LOOSE_BOX = _by_address(raw.FPDFText_GetLooseCharBox, ctypes.c_int, _ADDRESS, ctypes.c_int, _ADDRESS)
_ORIGIN = _by_address(raw.FPDFText_GetCharOrigin, ctypes.c_int, _ADDRESS, ctypes.c_int, _ADDRESS, _ADDRESS)
_SEGMENT_OPS = {raw.FPDF_SEGMENT_LINETO: "l", raw.FPDF_SEGMENT_MOVETO: "m"}
_UNSUPPORTED = {raw.FPDF_PAGEOBJ_IMAGE, raw.FPDF_PAGEOBJ_FORM}


class _PathCollector(PDFLayoutAnalyzer):
    """pdfminer's path classification (line, rectangle or curve) without a content stream."""

    def __init__(self) -> None:
        super().__init__(None)  # type: ignore[arg-type]  # no resources: only paint_path is used
        self.ctm = (1, 0, 0, 1, 0, 0)
        self.cur_item = LTContainer((0, 0, 0, 0))


def _bare(name: str) -> str:
    """A font name without its subset prefix ('AAAAAA+DejaVuSans' -> 'DejaVuSans')."""
    prefix, plus, rest = name.partition("+")
    return rest if plus and len(prefix) == 6 and prefix.isupper() else name


_SIMPLE_FONTS = frozenset({"Type1", "MMType1", "TrueType"})
_CID_FONTS = frozenset({"CIDFontType0", "CIDFontType2"})


def _font_descriptor(spec: dict) -> dict | None:
    """The font descriptor pdfminer's font object would take its name and descent from, found in the
    font dictionary alone (a standard font's from pdfminer's metrics, as pdfminer does), without
    building that object: it parses the font's ToUnicode map and widths, most of a short document's
    reading. None for what only pdfminer's own object can say: a Type 3 font, a composite font whose
    encoding is any but Identity-H (it may be vertical), another subtype."""
    subtype = literal_name(spec.get("Subtype", LIT("Type1")))
    if subtype in _SIMPLE_FONTS:
        try:
            return FontMetricsDB.get_metrics(literal_name(spec["BaseFont"]))[0]
        except KeyError:
            return dict_value(spec.get("FontDescriptor", {}))
    encoding = resolve1(spec.get("Encoding"))
    if subtype != "Type0" or not isinstance(encoding, PSLiteral) or literal_name(encoding) != "Identity-H":
        return None
    descendants = list_value(spec.get("DescendantFonts", []))
    descendant = dict_value(descendants[0]) if descendants else {}
    if literal_name(descendant.get("Subtype")) not in _CID_FONTS:
        return None
    return dict_value(descendant.get("FontDescriptor", {}))


def _font_entry(plumber_page, spec: dict, objid) -> tuple[str, float] | None:
    """(name, descent per point of size) of one font, as pdfminer's font object has them; None for a
    Type 3 or vertical font."""
    descriptor = _font_descriptor(spec)
    if descriptor is not None:
        name = resolve1(descriptor.get("FontName", "unknown"))
        name = literal_name(name) if isinstance(name, PSLiteral) else name
        descent = num_value(descriptor.get("Descent", 0))
        descent = (-descent if descent > 0 else descent) * FONT_SCALE
    else:
        font = plumber_page.pdf.rsrcmgr.get_font(objid, spec)
        if isinstance(font, PDFType3Font) or font.is_vertical():
            return None  # glyphs drawn by the document, or set top to bottom: sized otherwise
        name, descent = font.fontname, font.get_descent()
    return (fix_fontname_bytes(name) if isinstance(name, bytes) else str(name)), descent


def page_fonts(plumber_page) -> dict[str, tuple[str, float]] | None:
    """The page's fonts as pdfminer reads them: their name, and without its subset prefix, to (name,
    descent per point of size). pdfminer takes the descent from the font descriptor, where PDFium may
    take it from the font file (LibreOffice writes 0 in the descriptor), so characters are placed by
    pdfminer's. None where two fonts share a bare name but not their descent, a font is a Type 3 or
    vertical one, or the resources cannot be read."""
    try:
        fonts = dict_value(resolve1(plumber_page.page_obj.resources or {}).get("Font") or {})
        out: dict[str, tuple[str, float]] = {}
        for spec in fonts.values():
            entry = _font_entry(plumber_page, dict_value(spec), spec.objid if isinstance(spec, PDFObjRef) else None)
            if entry is None:
                return None
            for key in {entry[0], _bare(entry[0])}:
                if out.setdefault(key, entry)[1] != entry[1]:
                    return None
        return out
    except Exception:  # pdfminer raises many types on a malformed font; pdfminer reads that page
        return None


def _rgba_to_color(r: int, g: int, b: int) -> tuple[float, ...]:
    return (round(r / 255, 6), round(g / 255, 6), round(b / 255, 6))


class _Reader:
    """The C buffers one page's calls reuse, and what PDFium keeps per text object (matrix, size,
    font, colours: the same for every character of the object) read once per object."""

    def __init__(self, fonts: dict[str, tuple[str, float]]) -> None:
        self.fonts = fonts
        self.rect = raw.FS_RECTF()
        self.matrix = raw.FS_MATRIX()
        self.rgba = [ctypes.c_uint() for _ in range(4)]
        self.x, self.y = ctypes.c_float(), ctypes.c_float()
        self.origin_x, self.origin_y = ctypes.c_double(), ctypes.c_double()
        self.fill_mode, self.stroke = ctypes.c_int(), ctypes.c_int()
        self.width = ctypes.c_float()
        self.name = ctypes.create_string_buffer(256)
        self.text_objects: dict[int, tuple | None] = {}

    def color(self, getter, *handle) -> tuple[float, ...] | None:
        if not getter(*handle, *self.rgba):
            return None
        return _rgba_to_color(*(v.value for v in self.rgba[:3]))

    def text_object(self, text_page, index: int, key: int) -> tuple | None:
        """(matrix, size, descent, font name, fill colour, stroke colour) of the character's text object,
        read on its first character (`key`, the object's address); None for a turned or mirrored one,
        or one whose font is not among the page's own."""
        obj = raw.FPDFText_GetTextObject(text_page, index)
        m = self.matrix
        raw.FPDFText_GetMatrix(text_page, index, m)
        if abs(m.b) > UPRIGHT_TOLERANCE or abs(m.c) > UPRIGHT_TOLERANCE or m.a <= 0 or m.d <= 0:
            facts = None
        else:
            font = raw.FPDFTextObj_GetFont(obj)
            named = raw.FPDFFont_GetBaseFontName(font, self.name, len(self.name)) if font else 0
            pdfium_name = self.name.value.decode("utf-8", "replace") if named else ""
            known = self.fonts.get(pdfium_name) or self.fonts.get(_bare(pdfium_name))
            if known is None:
                facts = None
            else:
                size = raw.FPDFText_GetFontSize(text_page, index) * m.d
                facts = ((m.a, m.b, m.c, m.d, m.e, m.f), size, known[1] * size, known[0],
                         self.color(raw.FPDFText_GetFillColor, text_page, index) or (0,),
                         self.color(raw.FPDFText_GetStrokeColor, text_page, index) or (0,))
        if key:
            self.text_objects[key] = facts
        return facts


_MAYBE_GENERATED = frozenset((0x20, 0x0D, 0x0A))
"""Characters PDFium may add itself (between words, at line ends); a real one is kept. It also
reports a hyphen it takes for a line break as U+0002, read as the hyphen it is."""


def _page_text(text_page, count: int) -> str | None:
    """Every character of the text page in one call, as FPDFText_GetUnicode answers them one by one
    (the hyphen PDFium takes for a line break comes as U+FFFE here, U+0002 there), or None where the
    text does not hold one UTF-16 unit per character (a character outside the Basic Multilingual Plane)."""
    buffer = ctypes.create_string_buffer(2 * (count + 1))
    raw.FPDFText_GetText(text_page, 0, count, ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort)))
    text = buffer.raw[:2 * count].decode("utf-16-le", "surrogatepass")
    if len(text) != count or any(0xD800 <= ord(c) <= 0xDFFF for c in text):
        return None
    return text.replace("\ufffe", "\x02")


def _chars(text_page, reader: _Reader, height: float, page_number: int, doctop: float) -> list[dict] | None:
    chars = []
    count = raw.FPDFText_CountChars(text_page)
    text = _page_text(text_page, count)
    codes = ([ord(c) for c in text] if text is not None
             else [raw.FPDFText_GetUnicode(text_page, i) for i in range(count)])
    box, origin_x, origin_y = reader.rect, reader.origin_x, reader.origin_y
    address = ctypes.cast(text_page, _ADDRESS).value
    box_at, x_at, y_at = ctypes.addressof(box), ctypes.addressof(origin_x), ctypes.addressof(origin_y)
    is_generated, known, unknown = raw.FPDFText_IsGenerated, reader.text_objects, object()
    for i, code in enumerate(codes):
        if code in _MAYBE_GENERATED and is_generated(text_page, i):
            continue
        key = _TEXT_OBJECT_ADDRESS(address, i) or 0
        facts = known.get(key, unknown) if key else unknown
        if facts is unknown:
            facts = reader.text_object(text_page, i, key)
        if facts is None:
            return None
        (a, b, c, d, _, _), size, descent, font, fill, stroke = facts
        _LOOSE_BOX(address, i, box_at)
        _ORIGIN(address, i, x_at, y_at)
        # pdfminer's box: the font's descent below the baseline, then exactly the (scaled) font size
        # high; PDFium's loose box stretches to an accented capital's or a ligature part's own height
        # and from the origin on: the loose box starts where a glyph reaching back ('j') starts
        x0, baseline = origin_x.value, origin_y.value
        x1, y0 = max(box.right, x0), baseline + descent
        y1 = y0 + size
        top = height - y1
        chars.append({
            "matrix": (a, b, c, d, x0, baseline), "fontname": font, "adv": x1 - x0, "upright": True,
            "x0": x0, "y0": y0, "x1": x1, "y1": y1, "width": x1 - x0, "height": size, "size": size,
            "mcid": None, "tag": None, "object_type": "char", "page_number": page_number, "ncs": "DeviceRGB",
            "text": "-" if code == 2 else chr(code), "stroking_color": stroke, "non_stroking_color": fill,
            "top": top, "bottom": height - y0, "doctop": doctop + top,
        })
    return chars


def _path_segments(obj, reader: _Reader) -> list[tuple]:
    """The path in page space as pdfminer's segments: ('m', x, y), ('l', x, y), ('c', six numbers), ('h',)."""
    raw.FPDFPageObj_GetMatrix(obj, reader.matrix)
    m = reader.matrix
    segments: list[tuple] = []
    pending: list[tuple[float, float]] = []
    for i in range(raw.FPDFPath_CountSegments(obj)):
        seg = raw.FPDFPath_GetPathSegment(obj, i)
        raw.FPDFPathSegment_GetPoint(seg, reader.x, reader.y)
        x, y = reader.x.value, reader.y.value
        point = (m.a * x + m.c * y + m.e, m.b * x + m.d * y + m.f)
        kind = raw.FPDFPathSegment_GetType(seg)
        if kind == raw.FPDF_SEGMENT_BEZIERTO:
            pending.append(point)
            if len(pending) == 3:
                segments.append(("c", *(v for pt in pending for v in pt)))
                pending = []
        else:
            segments.append((_SEGMENT_OPS.get(kind, "l"), *point))
        if raw.FPDFPathSegment_GetClose(seg):
            segments.append(("h",))
    return segments


def _paint(collector: _PathCollector, obj, reader: _Reader) -> None:
    raw.FPDFPath_GetDrawMode(obj, reader.fill_mode, reader.stroke)
    state = PDFGraphicState()
    raw.FPDFPageObj_GetStrokeWidth(obj, reader.width)
    state.linewidth = reader.width.value
    state.scolor = reader.color(raw.FPDFPageObj_GetStrokeColor, obj) or 0
    state.ncolor = reader.color(raw.FPDFPageObj_GetFillColor, obj) or 0
    fill_mode = reader.fill_mode.value
    collector.paint_path(state, bool(reader.stroke.value), fill_mode != raw.FPDF_FILLMODE_NONE,
                         fill_mode == raw.FPDF_FILLMODE_ALTERNATE, _path_segments(obj, reader))


def pdfium_page_objects(document: pdfium.PdfDocument, plumber_page) -> dict[str, list[dict]] | None:
    """pdfplumber's `objects` of `plumber_page` (char, line, rect, curve) read by PDFium, or None where
    the page holds what this reading leaves to pdfminer, or PDFium cannot read it."""
    if tuple(plumber_page.mediabox[:2]) != (0, 0) or plumber_page.mediabox != plumber_page.cropbox \
            or plumber_page.rotation % 360:
        return None
    fonts = page_fonts(plumber_page)
    if fonts is None:
        return None
    try:
        with PDFIUM_LOCK:
            found = _read_page(document, plumber_page, fonts)
    except pdfium.PdfiumError:
        return None
    if found is None:
        return None
    chars, collector = found
    objects: dict[str, list[dict]] = {"char": chars} if chars else {}
    for item in collector.cur_item:
        obj = plumber_page.process_object(item)
        objects.setdefault(obj["object_type"], []).append(obj)
    return objects


def _read_page(document: pdfium.PdfDocument, plumber_page, fonts: dict) -> tuple[list[dict], _PathCollector] | None:
    page = document[plumber_page.page_number - 1]
    try:
        if page.get_rotation() % 360:
            return None
        handles = [raw.FPDFPage_GetObject(page.raw, i) for i in range(raw.FPDFPage_CountObjects(page.raw))]
        kinds = [raw.FPDFPageObj_GetType(h) for h in handles]
        if any(kind in _UNSUPPORTED for kind in kinds):
            return None
        reader = _Reader(fonts)
        text_page = page.get_textpage()
        try:
            chars = _chars(text_page.raw, reader, float(plumber_page.height), plumber_page.page_number,
                           plumber_page.initial_doctop)
        finally:
            text_page.close()
        if chars is None:
            return None
        collector = _PathCollector()
        for handle, kind in zip(handles, kinds):
            if kind == raw.FPDF_PAGEOBJ_PATH:
                _paint(collector, handle, reader)
        return chars, collector
    finally:
        page.close()
