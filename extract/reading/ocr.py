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
import threading
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from pathlib import Path

import pypdfium2 as pdfium

from extract.errors import PlansError
from extract.text.quality import text_to_quality
from extract.text.swedish import is_garbled
from pydantic import BaseModel, ConfigDict

from models.layout import LayoutDocument, LayoutPage, PageSource, TextLine

RENDER_DPI = 300
POINTS_PER_INCH = 72
TESSERACT = "tesseract"
INSTALL_HINT = "install it with `apt-get install tesseract-ocr tesseract-ocr-swe`"
OCR_TIMEOUT_SECONDS = 300
OCR_SIZE_FACTOR = 1.35
"""A word box's median height (x-height and ascenders) times this approximates the font size."""
OCR_BATCH_PER_JOB = 4
"""Pages that need OCR are read in batches of this many per Tesseract process."""
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


_PDFIUM = threading.Lock()
"""pdfium is not thread-safe: pages are rendered one at a time, then read by Tesseract side by side."""


def _ocr_one(binary: str, pdf_path: str, page_no: int, lang: str) -> tuple[int, list[TextLine]]:
    with _PDFIUM:
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
    """Text lines of each 1-based page, read by Tesseract; up to `jobs` Tesseract processes run
    side by side (threads wait on them, so no Python process is started)."""
    binary = check_tesseract(lang)
    jobs = max(1, min(jobs or 1, len(page_numbers)))
    if jobs == 1:
        return dict(_ocr_one(binary, str(pdf_path), n, lang) for n in page_numbers)
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        return dict(pool.map(lambda n: _ocr_one(binary, str(pdf_path), n, lang), page_numbers))


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


def page_needs_ocr(page: LayoutPage, settings: OcrSettings) -> bool:
    if page.source == "image_only":
        return True
    return (settings.reocr_garbled and page.source == "ocr_layer" and page.has_image
            and is_garbled(page.raw_text))


def _with_ocr(page: LayoutPage, lines: list[TextLine] | None) -> LayoutPage:
    if lines is None:
        return page
    text, source = choose_text(page.raw_text, lines_to_text(lines), page.source)
    if source != "ocr":
        return page
    return page.model_copy(update={"raw_text": text, "lines": lines, "source": "ocr"})


def ocr_stream(document: LayoutDocument, pages: Iterable[LayoutPage], settings: OcrSettings = OcrSettings(),
               notices: list[str] | None = None) -> Iterator[LayoutPage]:
    """`pages` in order, with OCR where a page needs it: image-only pages get Tesseract's text, garbled
    scan pages keep whichever text reads better. Pages that need none pass straight through; pages
    that do are read in batches across the cores, so at most a batch of pages waits in memory. A
    notice (Tesseract missing) is appended to `notices`."""
    enabled = settings.enabled and document.media == "pdf"
    jobs = max(1, settings.jobs or os.cpu_count() or 1)
    batch = jobs * OCR_BATCH_PER_JOB
    pending: list[tuple[LayoutPage, bool]] = []
    unavailable: OcrUnavailable | None = None
    skipped = 0

    def flush() -> Iterator[LayoutPage]:
        nonlocal unavailable, skipped
        wanted = [page.page_no for page, needs in pending if needs]
        read: dict[int, list[TextLine]] = {}
        if wanted and unavailable is None:
            try:
                read = ocr_page_lines(document.source_file, wanted, settings.lang, jobs)
            except OcrUnavailable as error:
                unavailable = error
        if unavailable is not None:
            skipped += len(wanted)
        done = [_with_ocr(page, read.get(page.page_no)) for page, _ in pending]
        pending.clear()
        yield from done

    for page in pages:
        needs = enabled and page_needs_ocr(page, settings)
        if not needs and not pending:
            yield page
            continue
        pending.append((page, needs))
        if sum(n for _, n in pending) >= batch or len(pending) >= 2 * batch:
            yield from flush()
    yield from flush()
    if unavailable is not None and notices is not None:
        notices.append(f"{document.source_file}: {skipped} page(s) need OCR: {unavailable.message}")

