"""The chain of stages for one file: read → OCR where needed → repair → segment → records → themes.

Everything a run can tune travels in one validated PipelineSettings, passed down explicitly.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from extract.errors import ReadError
from extract.reading.ocr import OcrSettings, ocr_stream
from extract.reading.read import ReadSettings, open_layout
from extract.records.extraction import segments_to_extraction
from extract.records.segment import SegmentSettings, pages_to_segments
from extract.records.themes import records_to_themes
from extract.rules import RULES_DIR
from extract.rules.base import base_rules
from extract.text.repair import RepairSettings, repair_page
from models import Extraction

INPUT_SUFFIXES = (".pdf", ".txt", ".md")


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
    """Files as given, folders expanded to their inputs (sorted, recursive)."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*") if p.suffix.lower() in INPUT_SUFFIXES and p.is_file()))
        elif path.exists():
            files.append(path)
        else:
            raise ReadError(path, "no such file or folder; check the path")
    return files


def extract_file(path: Path, settings: PipelineSettings = DEFAULT_SETTINGS) -> Extraction:
    """read → OCR where a page needs it → repair → segment → records, a page at a time up to the
    segment stage, so a page's layout is freed once it is cut into blocks."""
    notices: list[str] = []
    with open_layout(path, settings.read) as (document, pages):
        pages = ocr_stream(document, pages, settings.ocr, notices, settings.read)
        segmented = pages_to_segments(document, ((page, repair_page(page, settings.repair)) for page in pages),
                                      base_rules(settings.rules_dir).segment, settings.segment)
    extraction = segments_to_extraction(segmented, settings.rules_dir)
    return extraction.model_copy(update={"notices": notices + extraction.notices,
                                         "themes": records_to_themes(extraction)})


def file_to_page_texts(path: Path, raw: bool = False,
                       settings: PipelineSettings = DEFAULT_SETTINGS) -> Iterator[tuple[int, str, str]]:
    """(page number, source, text) per page: the repaired text, or with `raw` the text as the file
    (or OCR) gives it, so a user can check what repair did."""
    with open_layout(path, settings.read) as (document, pages):
        for page in ocr_stream(document, pages, settings.ocr, read_settings=settings.read):
            shown = page if raw else repair_page(page, settings.repair)
            yield shown.page_no, shown.source, shown.raw_text
