"""Östersund: Budget 2024, chapter 1 (kommunövergripande mål), rebuilt as two scanned PDFs.

The source (corpus/sources/ostersund-budget-2024-kommunovergripande-mal-ocr.txt) is the text layer of
a scan OCR'd with the English model. The printed pages are drawn from the hand-corrected Swedish
(corpus/gold/ostersund-budget-2024-reference.txt, line for line with the source), rasterised at
200 dpi with seeded scan wear, and written twice:

* ``ostersund-budget-2024.pdf``: each page one full-page JPEG plus an invisible text layer (render
  mode 3, font "GlyphLessFont") that carries the source's garbled OCR lines exactly, in source
  order, each placed over the line it was read from;
* ``ostersund-budget-2024-bildskanning.pdf``: the same images and no text at all.

Pages follow the printed budget: the source shows the footers "6 (10)" and "7 (10)", so the nine
pages here are printed pages 2-10 (chapter intro, then one page per goal 1.1-1.8). Goal titles are
pull-quoted on a photo band inside the body column, which is why the OCR repeats them.
"""
from __future__ import annotations

import io
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
from PIL import Image, ImageFilter
from reportlab import rl_config
from reportlab.lib.colors import Color
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as pdf_canvas

from corpus.builder.common import GOLD_DIR, PAGE_H, PAGE_W, PDF_DIR, SOURCES, font_path, register_fonts, write_gold

NAME = "ostersund-budget-2024"
IMAGE_ONLY_NAME = "ostersund-budget-2024-bildskanning"
SOURCE = SOURCES / "ostersund-budget-2024-kommunovergripande-mal-ocr.txt"
REFERENCE = GOLD_DIR / "ostersund-budget-2024-reference.txt"
OCR_FONT = "GlyphLessFont"
DPI = 200
SEED = 2380
JPEG_QUALITY = 34
PAPER, PAPER_THRESHOLD = 243, 228
"""Scanner background removal: near-white turns flat paper grey, which also keeps the JPEGs small."""
PRINTED_TOTAL = 10
FIRST_PRINTED = 2

LEFT, RIGHT, TOP, BOTTOM = 62.0, 540.0, 50.0, 62.0
INK = Color(0.1, 0.1, 0.1)
ACCENT = Color(0.0, 0.33, 0.55)

# (role, first source line, last source line), 1-based and inclusive; blank lines become gaps.
Block = tuple[str, int, int]
PAGES: list[list[Block]] = [
    [("chapter", 1, 1), ("intro", 3, 37), ("icons", 39, 44), ("intro", 46, 46)],
    [("heading", 47, 48), ("overlay", 50, 52), ("label", 54, 54), ("body", 56, 107)],
    [("heading", 108, 110), ("label", 111, 111), ("body", 113, 160)],
    [("heading", 161, 163), ("heading", 193, 193), ("label", 164, 164), ("body", 166, 191),
     ("overlay", 194, 201), ("body", 203, 227)],
    [("heading", 228, 230), ("overlay", 231, 235), ("label", 237, 237), ("body", 239, 296), ("footer", 298, 298)],
    [("heading", 299, 302), ("label", 304, 304), ("body", 306, 326), ("overlay", 328, 331),
     ("body", 333, 353), ("footer", 355, 355)],
    [("heading", 356, 358), ("label", 360, 360), ("body", 362, 385), ("overlay", 387, 390), ("body", 392, 410)],
    [("heading", 411, 412), ("label", 413, 413), ("body", 415, 443), ("overlay", 445, 451), ("body", 453, 480)],
    [("heading", 481, 483), ("overlay", 484, 489), ("label", 490, 490), ("body", 492, 547)],
]

# Font, size and leading per role; sizes shrink to fit the widest line of the block.
ROLE_FONT = {
    "chapter": ("Sans-Bold", 17.0, 24.0), "intro": ("Serif", 9.6, 12.6), "icons": ("Sans-Bold", 10.0, 13.0),
    "heading": ("Sans-Bold", 11.5, 14.5), "label": ("Sans-Bold", 10.5, 14.0), "body": ("Serif", 10.0, 13.0),
    "overlay": ("Sans-Bold", 9.5, 12.2), "footer": ("Sans", 9.0, 11.0),
}

GOALS = [
    ("1.1", "Ledning", "Östersunds kommun har en hållbar tillväxt där alla känner sig delaktiga i kommunens "
     "styrning och organisering"),
    ("1.2", "Hållbarhet", "Östersund kommuns verksamheter och bolag bedrivs socialt, miljömässigt och "
     "ekonomiskt hållbart"),
    ("1.3", "Kompetensförsörjning", "Östersund har en attraktiv och välfungerande arbetsmarknad där efterfrågan "
     "på arbetskraft matchas med god tillgång av kompetens. Östersunds kommun är en modern och attraktiv "
     "arbetsgivare som attraherar människor ifrån alla delar av Sverige och världen"),
    ("1.4", "Näringsliv och tillväxt", "Östersunds kommun har en hållbar tillväxt, ett gott företagsklimat och "
     "innovationskraft. Östersund är en öppen och inkluderande kommun som attraherar både människor och "
     "näringsliv"),
    ("1.5", "Infrastruktur", "I Östersunds kommun finns en tillgänglig infrastruktur som bidrar till att stad "
     "och landsbygd växer på ett hållbart och tryggt sätt för alla medborgare"),
    ("1.6", "Aktivt liv", "I Östersunds kommun finns mycket goda förutsättningar för en meningsfull fritid och "
     "ett aktivt liv"),
    ("1.7", "Utbildning", "I Östersunds kommun klarar alla barn, unga och vuxna sin utbildning, når sin "
     "gymnasieexamen och utmanas i sitt livslånga lärande"),
    ("1.8", "Trygghet och stöd", "I Östersunds kommun får invånarna stöd, vård och omsorg av hög kvalitet och "
     "lever självständiga liv. Kommunen arbetar med tidiga insatser för att öka invånarnas trygghet och "
     "stärker skyddet för utsatta barn"),
]


@dataclass(frozen=True)
class PlacedLine:
    """One source line as printed: where the corrected text sits and which OCR text lies over it."""

    line_no: int
    ocr: str
    x: float
    baseline: float
    """Points from the page top."""
    size: float
    width: float


def source_lines() -> list[str]:
    return SOURCE.read_text(encoding="utf-8").split("\n")


def reference_lines() -> list[str]:
    return REFERENCE.read_text(encoding="utf-8").split("\n")


def page_source_line_numbers(page_index: int) -> list[int]:
    """The non-blank source lines of one page, in source order: the page's OCR text."""
    src = source_lines()
    numbers = {n for _, first, last in PAGES[page_index] for n in range(first, last + 1) if src[n - 1].strip()}
    return sorted(numbers)


def fitted_size(lines: list[str], font: str, size: float, max_width: float) -> float:
    widest = max((pdfmetrics.stringWidth(t, font, 1.0) for t in lines if t), default=1.0)
    return min(size, max_width / widest)


def draw_photo(c: pdf_canvas.Canvas, x: float, top: float, w: float, h: float, seed: int) -> None:
    """A greyish landscape photo behind a pull-quote: sky, hills and a few trees."""
    rng = np.random.default_rng(seed)
    y = PAGE_H - top - h
    steps = 24
    for i in range(steps):
        shade = 0.62 + 0.3 * i / steps
        c.setFillColor(Color(shade * 0.85, shade * 0.92, shade))
        c.rect(x, y + h * i / steps, w, h / steps + 0.5, stroke=0, fill=1)
    for layer in range(3):
        shade = 0.35 + 0.12 * layer
        c.setFillColor(Color(shade * 0.8, shade, shade * 0.75))
        p = c.beginPath()
        p.moveTo(x, y)
        for k in range(9):
            p.lineTo(x + w * k / 8, y + h * (0.18 + 0.08 * layer + 0.1 * float(rng.random())))
        p.lineTo(x + w, y)
        p.close()
        c.drawPath(p, stroke=0, fill=1)
    for _ in range(7):
        tx = x + 6 + float(rng.random()) * (w - 12)
        th = h * (0.12 + 0.15 * float(rng.random()))
        c.setFillColor(Color(0.2, 0.28, 0.2))
        c.ellipse(tx - 4, y + 2, tx + 4, y + 2 + th, stroke=0, fill=1)


def layout_page(c: pdf_canvas.Canvas, page_index: int, ref: list[str], src: list[str]) -> list[PlacedLine]:
    """Draws one printed page from the reference text, body type shrunk until it clears the footer."""
    scale = 1.0
    while scale > 0.75:
        probe = pdf_canvas.Canvas(io.BytesIO(), pagesize=(PAGE_W, PAGE_H))
        _, bottom = draw_page(probe, page_index, ref, src, scale)
        if bottom <= PAGE_H - BOTTOM:
            break
        scale -= 0.02
    placed, _ = draw_page(c, page_index, ref, src, scale)
    return placed


def draw_page(c: pdf_canvas.Canvas, page_index: int, ref: list[str], src: list[str],
              body_scale: float) -> tuple[list[PlacedLine], float]:
    """Returns where each source line was printed and how far down the page the text reaches."""
    placed: list[PlacedLine] = []
    y = TOP
    blocks = PAGES[page_index]
    for block_no, (role, first, last) in enumerate(blocks):
        heading_follows = block_no + 1 < len(blocks) and blocks[block_no + 1][0] == "heading"
        heading_precedes = block_no > 0 and blocks[block_no - 1][0] == "heading"
        numbers = list(range(first, last + 1))
        texts = [ref[n - 1] for n in numbers]
        font, size, leading = ROLE_FONT[role]
        if role in ("body", "intro"):
            size, leading = size * body_scale, leading * body_scale
        if role == "footer":
            continue
        if role == "overlay":
            y, lines = draw_overlay(c, numbers, texts, src, y, page_index * 10 + block_no)
            placed += lines
            continue
        indent = 14.0 if role == "intro" and first > 1 else 0.0
        width_limit = {"body": 360.0, "label": 360.0}.get(role, RIGHT - LEFT - indent)
        size = fitted_size(texts, font, size, width_limit)
        if role == "heading" and not heading_precedes:
            y += 6
        elif role == "label":
            y += 4
        previous = ""
        for n, text in zip(numbers, texts):
            if not src[n - 1].strip():
                if role == "icons" or role != "heading" and previous.rstrip().endswith((".", ":", ")")):
                    y += leading * 0.55
                continue
            x = LEFT + (indent if role == "intro" and not is_intro_plain(text) else 0.0)
            y += leading
            c.setFillColor(ACCENT if role in ("heading", "chapter") else INK)
            c.setFont(font, size)
            c.drawString(x, PAGE_H - y, text)
            width = pdfmetrics.stringWidth(text, font, size)
            if role == "icons" and ">" in src[n - 1]:
                width += draw_icon_arrow(c, x + width + 8, y, size)
            placed.append(PlacedLine(n, src[n - 1], x, y, size, width))
            previous = text
        y += 0 if role == "heading" and heading_follows else {"chapter": 10, "heading": 6, "label": 2}.get(role, 4)
    text_bottom = y
    footer = f"{FIRST_PRINTED + page_index} ({PRINTED_TOTAL})"
    font, size, _ = ROLE_FONT["footer"]
    c.setFillColor(INK)
    c.setFont(font, size)
    fx = RIGHT - pdfmetrics.stringWidth(footer, font, size)
    fy = PAGE_H - 40
    c.drawString(fx, PAGE_H - fy, footer)
    for role, first, _ in PAGES[page_index]:
        if role == "footer":
            placed.append(PlacedLine(first, src[first - 1], fx, fy, size, pdfmetrics.stringWidth(footer, font, size)))
    return placed, text_bottom


def is_intro_plain(text: str) -> bool:
    """Intro sentences run full width; the goal list items are indented."""
    return text.startswith(("Kommunfullmäktiges", "en gemensam", "I budget", "Tre av", "Fem av", "De kommun"))


def draw_icon_arrow(c: pdf_canvas.Canvas, x: float, baseline: float, size: float) -> float:
    """The bar-and-chevron link icon after each cross-cutting goal's name; returns its width."""
    yb = PAGE_H - baseline
    c.setStrokeColor(ACCENT)
    c.setLineWidth(1.4)
    c.line(x, yb - 2, x, yb + size)
    c.line(x + 8, yb + size, x + 14, yb + size / 2 - 1)
    c.line(x + 14, yb + size / 2 - 1, x + 8, yb - 2)
    return 8 + 14


def draw_overlay(c: pdf_canvas.Canvas, numbers: list[int], texts: list[str], src: list[str], y: float,
                 seed: int) -> tuple[float, list[PlacedLine]]:
    """A photo band with the goal title pull-quoted on a light panel, right of the column's start."""
    font, size, leading = ROLE_FONT["overlay"]
    shown = [(n, t) for n, t in zip(numbers, texts) if src[n - 1].strip()]
    size = fitted_size([t for _, t in shown], font, size, 300.0)
    text_w = max(pdfmetrics.stringWidth(t, font, size) for _, t in shown if t)
    rows = sum(1 for _, t in shown if t)
    pad, photo_pad = 7.0, 11.0
    panel_w, panel_h = text_w + 2 * pad, rows * leading + 2 * pad - 2
    box_w, box_h = panel_w + 2 * photo_pad, panel_h + 2 * photo_pad
    box_x = RIGHT - box_w
    top = y + 12
    draw_photo(c, box_x, top, box_w, box_h, seed)
    px, ptop = box_x + photo_pad, top + photo_pad
    c.setFillColor(Color(0.97, 0.97, 0.95))
    c.rect(px, PAGE_H - ptop - panel_h, panel_w, panel_h, stroke=0, fill=1)
    c.setFillColor(ACCENT)
    c.rect(px, PAGE_H - ptop - panel_h, 3, panel_h, stroke=0, fill=1)
    placed = []
    line_y = ptop + pad - 2
    for n, text in shown:
        if not text:
            placed.append(PlacedLine(n, src[n - 1], box_x + 4, top + 8, 8.0, 6.0))
            continue
        line_y += leading
        c.setFillColor(INK)
        c.setFont(font, size)
        c.drawString(px + pad, PAGE_H - line_y, text)
        placed.append(PlacedLine(n, src[n - 1], px + pad, line_y, size, pdfmetrics.stringWidth(text, font, size)))
    return top + box_h + 6, placed


def render_clean(path: Path) -> list[list[PlacedLine]]:
    register_fonts()
    ref, src = reference_lines(), source_lines()
    c = pdf_canvas.Canvas(str(path), pagesize=(PAGE_W, PAGE_H), invariant=1)
    pages = []
    for i in range(len(PAGES)):
        c.setFillColor(Color(1, 1, 1))
        pages.append(layout_page(c, i, ref, src))
        c.showPage()
    c.save()
    return pages


def page_to_scan(pdf: pdfium.PdfDocument, index: int) -> bytes:
    """Rasterises one page and wears it like a sheet through an office scanner: tilt, grain, soft focus."""
    rng = np.random.default_rng(SEED + index)
    image = pdf[index].render(scale=DPI / 72).to_pil().convert("L")
    angle = float(rng.uniform(-0.3, 0.3))
    image = image.rotate(angle, resample=Image.BICUBIC, fillcolor=255)
    pixels = np.asarray(image, dtype=np.float32) + rng.normal(0.0, 6.0, (image.height, image.width))
    image = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), "L").filter(ImageFilter.GaussianBlur(0.6))
    pixels = 10 + np.asarray(image, dtype=np.float32) * (235 / 255)
    pixels[pixels > PAPER_THRESHOLD] = PAPER
    image = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), "L")
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=JPEG_QUALITY)
    return out.getvalue()


def write_scan(path: Path, scans: list[bytes], placed: list[list[PlacedLine]] | None) -> None:
    """Writes the scan with binary (not ASCII85) image streams, as scanners do, to keep it small."""
    binary_streams, rl_config.useA85 = rl_config.useA85, 0
    try:
        write_pages(path, scans, placed)
    finally:
        rl_config.useA85 = binary_streams


def write_pages(path: Path, scans: list[bytes], placed: list[list[PlacedLine]] | None) -> None:
    """Each page one full-page image; with `placed`, the source's OCR lines invisibly on top."""
    if OCR_FONT not in pdfmetrics.getRegisteredFontNames():
        glyphless = TTFont(OCR_FONT, str(font_path("DejaVuSans.ttf")))
        glyphless.face.name = OCR_FONT.encode("ascii")
        pdfmetrics.registerFont(glyphless)
    c = pdf_canvas.Canvas(str(path), pagesize=(PAGE_W, PAGE_H), invariant=1, pageCompression=1)
    c.setTitle("Budget 2024")
    c.setAuthor("Östersunds kommun")
    for i, jpeg in enumerate(scans):
        c.drawImage(ImageReader(io.BytesIO(jpeg)), 0, 0, width=PAGE_W, height=PAGE_H)
        if placed is not None:
            text = c.beginText()
            text.setTextRenderMode(3)
            for line in sorted(placed[i], key=lambda p: p.line_no):
                natural = pdfmetrics.stringWidth(line.ocr, OCR_FONT, line.size)
                text.setFont(OCR_FONT, line.size)
                text.setHorizScale(100.0 * line.width / natural if natural else 100.0)
                text.setTextOrigin(line.x, PAGE_H - line.baseline)
                text.textOut(line.ocr)
            c.drawText(text)
        c.showPage()
    c.save()


def gold_record(file_name: str, goal_pages: dict[str, int]) -> dict:
    return {
        "document": {"file": file_name, "municipality_code": "2380", "doc_type": "budget", "title": "Budget 2024",
                     "period_start": "2024-01-01", "period_end": "2024-12-31", "version": None,
                     "decided_date": None, "decided_by": None, "diarienummer": None, "is_plan": True},
        "goals": [{"key": f"g{number}", "level": "overarching", "number": number, "title": title,
                   "short_label": label, "parent": None, "page": goal_pages[number]}
                  for number, label, title in GOALS],
        "result_goals": [], "assignments": [], "indicators": [], "activities": [],
        "status_legend": [], "assessments": [],
    }


def goal_heading_pages() -> dict[str, int]:
    src = source_lines()
    pages = {}
    for i, blocks in enumerate(PAGES):
        for role, first, _ in blocks:
            if role == "heading":
                number = src[first - 1].replace("=", " ").split()[0]
                if number[:2] == "1." and number not in pages:
                    pages[number] = i + 1
    return pages


def build() -> list[Path]:
    PDF_DIR.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        clean = Path(tmp) / "clean.pdf"
        placed = render_clean(clean)
        pdf = pdfium.PdfDocument(str(clean))
        scans = [page_to_scan(pdf, i) for i in range(len(pdf))]
        pdf.close()
    ocr_path, image_path = PDF_DIR / f"{NAME}.pdf", PDF_DIR / f"{IMAGE_ONLY_NAME}.pdf"
    write_scan(ocr_path, scans, placed)
    write_scan(image_path, scans, None)
    pages = goal_heading_pages()
    return [ocr_path, image_path, write_gold(NAME, gold_record(ocr_path.name, pages)),
            write_gold(IMAGE_ONLY_NAME, gold_record(image_path.name, pages))]
