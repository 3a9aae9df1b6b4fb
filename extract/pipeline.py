"""The chain of stages for one file, and for many: read → repair → segment → records."""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from extract.errors import ExtractionFailed, PlansError, ReadError
from extract.reading.ocr import OcrSettings, ocr_stream
from extract.reading.read import open_layout
from extract.records.extraction import segments_to_extraction
from extract.text.repair import repair_page
from extract.records.segment import pages_to_segments
from extract.records.themes import records_to_themes
from models import Extraction

INPUT_SUFFIXES = (".pdf", ".txt", ".md")


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


class PipelineSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    ocr: OcrSettings = OcrSettings()


DEFAULT_SETTINGS = PipelineSettings()
_CURRENT_SETTINGS: ContextVar[PipelineSettings | None] = ContextVar("pipeline_settings", default=None)


@contextmanager
def pipeline_settings_in_effect(settings: PipelineSettings):
    """Settings extract_file uses when its caller passes none (a batch worker shares the cores out)."""
    token = _CURRENT_SETTINGS.set(settings)
    try:
        yield settings
    finally:
        _CURRENT_SETTINGS.reset(token)


def extract_file(path: Path, settings: PipelineSettings | None = None) -> Extraction:
    """read → OCR where a page needs it → repair → segment → records, a page at a time up to the
    segment stage, so a page's layout is freed once it is cut into blocks."""
    settings = settings or _CURRENT_SETTINGS.get() or DEFAULT_SETTINGS
    notices: list[str] = []
    with open_layout(path) as (document, pages):
        pages = ocr_stream(document, pages, settings.ocr, notices)
        segmented = pages_to_segments(document, ((page, repair_page(page)) for page in pages))
    extraction = segments_to_extraction(segmented)
    return extraction.model_copy(update={"notices": notices + extraction.notices,
                                         "themes": records_to_themes(extraction)})


def file_to_page_texts(path: Path, raw: bool = False,
                       settings: PipelineSettings = DEFAULT_SETTINGS) -> Iterator[tuple[int, str, str]]:
    """(page number, source, text) per page: the repaired text, or with `raw` the text as the file
    (or OCR) gives it, so a user can check what repair did."""
    with open_layout(path) as (document, pages):
        for page in ocr_stream(document, pages, settings.ocr):
            shown = page if raw else repair_page(page)
            yield shown.page_no, shown.source, shown.raw_text


def extract_paths(paths: Iterable[Path]) -> Iterator[tuple[Path, Extraction | PlansError]]:
    """Each input with its extraction, or the error that stopped it; one bad file never stops the rest."""
    for path in expand_paths(paths):
        try:
            yield path, extract_file(path)
        except PlansError as error:
            yield path, error
        except Exception as error:  # a bug on one file must not cost the others
            yield path, ExtractionFailed(f"{path}: internal error ({type(error).__name__}: {error}); "
                                         "please report it with this file")
