"""OCR with Tesseract's Swedish model, for image-only pages and for pages whose text layer is garbled.

Pages are rendered with pypdfium2 and read by the `tesseract` binary, one page per process
(Tesseract gains nothing from threads inside a page, so OMP_THREAD_LIMIT=1 and pages run side by
side on the cores).
"""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from concurrent.futures import ProcessPoolExecutor
from functools import lru_cache
from pathlib import Path

import pypdfium2 as pdfium

from extract.errors import PlansError
from extract.quality import text_to_quality
from pydantic import BaseModel, ConfigDict

from models.layout import LayoutDocument, PageSource, TextLine

RENDER_DPI = 300
POINTS_PER_INCH = 72
TESSERACT = "tesseract"
INSTALL_HINT = "install it with `apt-get install tesseract-ocr tesseract-ocr-swe`"
OCR_TIMEOUT_SECONDS = 300
OCR_SIZE_FACTOR = 1.35
"""A word box's median height (x-height and ascenders) times this approximates the font size."""
BETTER_BY = 0.05
"""The OCR text replaces a text layer only when its quality score is higher by this much."""


class OcrUnavailable(PlansError):
    """Tesseract or its language model is not installed."""


@lru_cache(maxsize=8)
def _installed_languages(binary: str) -> frozenset[str]:
    out = subprocess.run([binary, "--list-langs"], capture_output=True, text=True, timeout=60)
    return frozenset(line.strip() for line in (out.stdout + out.stderr).splitlines()[1:] if line.strip())


def check_tesseract(lang: str = "swe") -> str:
    """The tesseract binary's path; OcrUnavailable with the install command when it or a model is
    missing."""
    binary = shutil.which(TESSERACT)
    if binary is None:
        raise OcrUnavailable(f"OCR needs Tesseract, which is not installed: {INSTALL_HINT}")
    missing = set(lang.split("+")) - _installed_languages(binary)
    if missing:
        raise OcrUnavailable(
            f"Tesseract has no model for {', '.join(sorted(missing))}: {INSTALL_HINT}")
    return binary


def pdf_page_count(pdf_path: str | Path) -> int:
    pdf = pdfium.PdfDocument(str(pdf_path))
    try:
        return len(pdf)
    finally:
        pdf.close()


def tsv_to_lines(tsv: str, dpi: int = RENDER_DPI) -> list[TextLine]:
    """Tesseract's word table into text lines with boxes in PDF points, so OCR'd pages keep the
    geometry the segment stage reads (headings by size, running headers by position)."""
    scale = POINTS_PER_INCH / dpi
    words: dict[tuple[int, int, int], list[tuple[int, int, int, int, str]]] = {}
    for row in tsv.splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) < 12 or cols[0] != "5" or not cols[11].strip():
            continue
        block, par, line, left, top, width, height = (int(c) for c in (cols[2], cols[3], cols[4], *cols[6:10]))
        words.setdefault((block, par, line), []).append((left, top, left + width, top + height, cols[11]))
    lines = []
    for key in sorted(words, key=lambda k: (min(w[1] for w in words[k]), k)):
        ws = sorted(words[key])
        heights = sorted(w[3] - w[1] for w in ws)
        bbox = (min(w[0] for w in ws) * scale, min(w[1] for w in ws) * scale,
                max(w[2] for w in ws) * scale, max(w[3] for w in ws) * scale)
        lines.append(TextLine(text=" ".join(w[4] for w in ws), bbox=bbox,
                              size=round(heights[len(heights) // 2] * scale * OCR_SIZE_FACTOR, 1)))
    return lines


def _ocr_one(binary: str, pdf_path: str, page_no: int, lang: str) -> tuple[int, list[TextLine]]:
    pdf = pdfium.PdfDocument(pdf_path)
    try:
        image = pdf[page_no - 1].render(scale=RENDER_DPI / POINTS_PER_INCH, grayscale=True).to_pil()
    finally:
        pdf.close()
    with tempfile.TemporaryDirectory(prefix="plans-ocr-") as tmp:
        png = Path(tmp) / "page.png"
        image.save(png, dpi=(RENDER_DPI, RENDER_DPI))
        env = dict(os.environ, OMP_THREAD_LIMIT="1")
        done = subprocess.run([binary, str(png), "stdout", "-l", lang, "--dpi", str(RENDER_DPI), "tsv"],
                              capture_output=True, text=True, env=env, timeout=OCR_TIMEOUT_SECONDS)
    if done.returncode != 0:
        raise PlansError(f"{pdf_path}: Tesseract failed on page {page_no}: {done.stderr.strip()[:200]}")
    return page_no, tsv_to_lines(done.stdout)


def ocr_page_lines(pdf_path: str | Path, page_numbers: list[int], lang: str = "swe",
                   jobs: int | None = os.cpu_count()) -> dict[int, list[TextLine]]:
    """Text lines of each 1-based page, read by Tesseract; pages run in parallel across `jobs`
    processes."""
    binary = check_tesseract(lang)
    if not page_numbers:
        return {}
    jobs = max(1, min(jobs or 1, len(page_numbers)))
    if jobs == 1:
        return dict(_ocr_one(binary, str(pdf_path), n, lang) for n in page_numbers)
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        futures = [pool.submit(_ocr_one, binary, str(pdf_path), n, lang) for n in page_numbers]
        return dict(f.result() for f in futures)


def lines_to_text(lines: list[TextLine]) -> str:
    return "\n".join(line.text for line in lines)


def ocr_pages(pdf_path: str | Path, page_numbers: list[int], lang: str = "swe",
              jobs: int | None = os.cpu_count()) -> dict[int, str]:
    """Text of each 1-based page, read by Tesseract."""
    return {n: lines_to_text(lines) for n, lines in ocr_page_lines(pdf_path, page_numbers, lang, jobs).items()}


def choose_text(layer_text: str, ocr_text: str,
                layer_source: PageSource = "ocr_layer") -> tuple[str, PageSource]:
    """Keep the text layer unless our OCR reads clearly more Swedish-looking text."""
    if not ocr_text.strip():
        return layer_text, layer_source
    if not layer_text.strip():
        return ocr_text, "ocr"
    if text_to_quality(ocr_text).score > text_to_quality(layer_text).score + BETTER_BY:
        return ocr_text, "ocr"
    return layer_text, layer_source


class OcrSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    enabled: bool = True
    lang: str = "swe"
    jobs: int | None = None
    """Processes for OCR; None: one per core."""
    reocr_garbled: bool = True
    """Re-read scans whose text layer looks garbled and keep the better text."""


def pages_needing_ocr(layout: LayoutDocument, settings: OcrSettings) -> list[int]:
    from extract.repair import is_garbled

    wanted = []
    for page in layout.pages:
        if page.source == "image_only":
            wanted.append(page.page_no)
        elif settings.reocr_garbled and page.source == "ocr_layer" and page.has_image and is_garbled(page.raw_text):
            wanted.append(page.page_no)
    return wanted


def ocr_document(layout: LayoutDocument, settings: OcrSettings = OcrSettings()) -> tuple[LayoutDocument, list[str]]:
    """Image-only pages get Tesseract's text; garbled scan pages keep whichever text reads better.
    Returns the document and notices (e.g. Tesseract missing: the run goes on without OCR)."""
    wanted = pages_needing_ocr(layout, settings) if settings.enabled and layout.media == "pdf" else []
    if not wanted:
        return layout, []
    try:
        read = ocr_page_lines(layout.source_file, wanted, settings.lang, settings.jobs or os.cpu_count())
    except OcrUnavailable as error:
        return layout, [f"{Path(layout.source_file).name}: {len(wanted)} page(s) need OCR: {error.message}"]
    pages = []
    for page in layout.pages:
        lines = read.get(page.page_no)
        if lines is not None:
            text, source = choose_text(page.raw_text, lines_to_text(lines), page.source)
            if source == "ocr":
                page = page.model_copy(update={"raw_text": text, "lines": lines, "source": "ocr"})
        pages.append(page)
    return layout.model_copy(update={"pages": pages}), []
