"""A page as pixels: rendered once, white-balanced and straightened, then shared by OCR, the rule
finder and the mark finder.

A scanner tints the paper, lights it unevenly and sets it a little askew. Dividing every channel by
the local paper colour makes the paper white again, so a printed yellow keeps its hue whatever the
tint; turning the page back by its skew keeps a table row on one line of text.
"""
from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
import pypdfium2 as pdfium

from extract.reading.pdfium_objects import PDFIUM_LOCK
from extract.reading.scan_settings import RasterSettings

POINTS_PER_INCH = 72


@dataclass
class PageImage:
    rgb: np.ndarray
    """Height × width × 3, uint8, white-balanced and straightened."""
    dpi: float
    skew: float = 0.0
    """Degrees the page was turned back by."""

    @property
    def scale(self) -> float:
        """Points per pixel."""
        return POINTS_PER_INCH / self.dpi

    def grey(self) -> np.ndarray:
        """The page in grey, computed once (the callers only read it)."""
        if getattr(self, "_grey", None) is None:
            self._grey = cv2.cvtColor(self.rgb, cv2.COLOR_RGB2GRAY)
        return self._grey


def page_dpi(page: pdfium.PdfPage, settings: RasterSettings) -> int:
    """The resolution of the page's largest picture, within [min_dpi, dpi]: rendering a 200 dpi scan at
    300 dpi adds pixels for OCR to read and nothing to read in them."""
    width_pt = page.get_width()
    best = 0.0
    for obj in page.get_objects(filter=(pdfium.raw.FPDF_PAGEOBJ_IMAGE,), max_depth=1):
        left, _, right, _ = obj.get_bounds()
        if right - left >= 0.5 * width_pt:
            best = max(best, obj.get_px_size()[0] / max(right - left, 1e-6) * POINTS_PER_INCH)
    if not best:
        return settings.dpi
    return int(min(settings.dpi, max(settings.min_dpi, round(best))))


def render_page(pdf_path: str, page_no: int, settings: RasterSettings, password: str | None = None) -> PageImage:
    """Page `page_no` (1-based) rendered in colour at the scan's own resolution."""
    with PDFIUM_LOCK:  # pages are rendered one at a time, then read side by side
        pdf = pdfium.PdfDocument(pdf_path, password=password)
        try:
            page = pdf[page_no - 1]
            dpi = page_dpi(page, settings)
            rgb = page.render(scale=dpi / POINTS_PER_INCH, rev_byteorder=True).to_numpy()
        finally:
            pdf.close()
    return image_to_page_image(np.ascontiguousarray(rgb[:, :, :3]), dpi, settings)


def white_balance(rgb: np.ndarray, settings: RasterSettings) -> np.ndarray:
    """Each channel divided by the local paper colour: the brightest pixels of each grid cell, taken as
    paper, smoothed across the page."""
    height, width = rgb.shape[:2]
    cells = settings.background_cells
    small = cv2.resize(rgb, (cells * 4, max(4, round(cells * 4 * height / width))), interpolation=cv2.INTER_AREA)
    paper = cv2.dilate(small, np.ones((5, 5), np.uint8))
    paper = cv2.GaussianBlur(paper, (0, 0), 3)
    paper = cv2.resize(np.maximum(paper, 64), (width, height), interpolation=cv2.INTER_LINEAR)
    return cv2.divide(rgb, paper, scale=255.0)  # saturating, in one pass


def ink_mask(grey: np.ndarray, level: int) -> np.ndarray:
    return (grey < level).astype(np.uint8) * 255


def find_skew(ink: np.ndarray, settings: RasterSettings) -> float:
    """The angle (degrees) whose rotation makes the rows of ink sharpest: lines of text and table rules
    are horizontal on the printed page, so their row profile peaks when the page is straight."""
    factor = max(1, ink.shape[1] // 800)
    small = cv2.resize(ink, (ink.shape[1] // factor, ink.shape[0] // factor), interpolation=cv2.INTER_AREA)
    if not small.any():
        return 0.0
    centre = (small.shape[1] / 2, small.shape[0] / 2)

    def sharpness(angle: float) -> float:
        turned = cv2.warpAffine(small, cv2.getRotationMatrix2D(centre, angle, 1.0), small.shape[::-1],
                                flags=cv2.INTER_NEAREST)
        profile = turned.sum(axis=1, dtype=np.float64)
        return float(np.square(np.diff(profile)).sum())

    coarse = np.arange(-settings.max_skew, settings.max_skew + 1e-9, 0.25)
    best = max(coarse, key=sharpness)
    fine = np.arange(best - 0.25, best + 0.25 + 1e-9, settings.skew_step)
    best = max(fine, key=sharpness)
    return float(best) if abs(best) >= settings.skew_step else 0.0


def image_to_page_image(rgb: np.ndarray, dpi: float, settings: RasterSettings) -> PageImage:
    """A rendered page white-balanced and turned back by its skew."""
    rgb = white_balance(rgb, settings)
    skew = find_skew(ink_mask(cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY), settings.ink_level), settings)
    if skew:
        height, width = rgb.shape[:2]
        matrix = cv2.getRotationMatrix2D((width / 2, height / 2), skew, 1.0)
        rgb = cv2.warpAffine(rgb, matrix, (width, height), flags=cv2.INTER_LINEAR,
                             borderMode=cv2.BORDER_CONSTANT, borderValue=(255, 255, 255))
    return PageImage(rgb=rgb, dpi=dpi, skew=skew)
