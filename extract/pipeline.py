"""The chain of stages for one file: read → OCR where needed → repair → segment → records → themes.

Everything a run can tune travels in one validated PipelineSettings, passed down explicitly.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from extract.reading.ocr import OcrSettings, ocr_stream
from extract.reading.read import ReadSettings, open_layout
from extract.records.extraction import segments_to_extraction
from extract.records.segment import SegmentSettings, pages_to_segments
from extract.records.themes import ThemeCoder, records_to_themes, theme_coder
from extract.rules import RULES_DIR
from extract.rules.base import base_rules
from extract.text.repair import RepairSettings, repair_page
from models import Extraction
from models.layout import LayoutPage

INPUT_SUFFIXES = (".pdf", ".txt", ".md")

OnPage = Callable[[int, int | None], None]
"""Told (page number, pages in the file) as each page has been read, OCR'd where needed and repaired."""


class PipelineSettings(BaseModel):
    """One run's settings: each stage's own, and where the rule files live."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    read: ReadSettings = ReadSettings()
    ocr: OcrSettings = OcrSettings()
    repair: RepairSettings = RepairSettings()
    segment: SegmentSettings = SegmentSettings()
    rules_dir: Path = RULES_DIR


DEFAULT_SETTINGS = PipelineSettings()


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    """Paths as given, folders expanded to every entry with an input suffix (sorted, recursive). Entries
    that are not regular files (links to nowhere, loops of links, pipes) are kept, so that the run
    records each with its reason instead of passing over it."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*") if p.suffix.lower() in INPUT_SUFFIXES
                                and not p.is_dir()))
        else:
            files.append(path)
    return list(dict.fromkeys(files))


def extract_file(path: Path, settings: PipelineSettings = DEFAULT_SETTINGS,
                 on_page: OnPage | None = None) -> Extraction:
    """read → OCR where a page needs it → repair → segment → records, a page at a time up to the
    segment stage, so a page's layout is freed once it is cut into blocks."""
    notices: list[str] = []
    helper = ThreadPoolExecutor(max_workers=1)
    try:
        coder = CoderAhead(helper)
        with open_layout(path, settings.read) as (document, pages):
            pages = ocr_stream(document, pages, settings.ocr, notices, settings.read)
            segmented = pages_to_segments(document, _repaired(pages, settings, document.page_count, on_page, coder),
                                          base_rules(settings.rules_dir).segment, settings.segment)
        extraction = segments_to_extraction(segmented, settings.rules_dir)
        themes = records_to_themes(extraction, coder.result())
    finally:  # a file stopped early does not wait for a coder still being built (it is kept for the next)
        helper.shutdown(wait=False)
    return extraction.model_copy(update={"notices": notices + extraction.notices, "themes": themes})


class CoderAhead:
    """The theme coder, built beside OCR once a page came from it: Tesseract keeps the cores busy for
    seconds a page but leaves the interpreter free, so the coder's second of Python costs the document
    nothing there, where it would be a second at its end."""

    def __init__(self, helper: ThreadPoolExecutor):
        self.helper, self.future = helper, None

    def start(self) -> None:
        if self.future is None:
            self.future = self.helper.submit(theme_coder)

    def result(self) -> ThemeCoder:
        return self.future.result() if self.future is not None else theme_coder()


def _repaired(pages: Iterable[LayoutPage], settings: PipelineSettings, page_count: int | None,
              on_page: OnPage | None, coder: CoderAhead) -> Iterator[tuple[LayoutPage, LayoutPage]]:
    for page in pages:
        if page.source == "ocr":
            coder.start()
        yield page, repair_page(page, settings.repair)
        if on_page is not None:
            on_page(page.page_no, page_count)


def file_to_page_texts(path: Path, raw: bool = False,
                       settings: PipelineSettings = DEFAULT_SETTINGS) -> Iterator[tuple[int, str, str]]:
    """(page number, source, text) per page: the repaired text, or with `raw` the text as the file
    (or OCR) gives it, so a user can check what repair did."""
    with open_layout(path, settings.read) as (document, pages):
        for page in ocr_stream(document, pages, settings.ocr, read_settings=settings.read):
            shown = page if raw else repair_page(page, settings.repair)
            yield shown.page_no, shown.source, shown.raw_text
