"""The chain of stages for one file, and for many: read → repair → segment → records."""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from extract.errors import ExtractionFailed, PlansError, ReadError
from extract.ocr import OcrSettings, ocr_document
from extract.read import read_document
from extract.records import segments_to_extraction
from extract.repair import repair_document
from extract.themes import records_to_themes
from extract.segment import layout_to_segments
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


def extract_file(path: Path, settings: PipelineSettings = DEFAULT_SETTINGS) -> Extraction:
    """read → OCR where a page needs it → repair → segment → records."""
    layout = read_document(path)
    layout, notices = ocr_document(layout, settings.ocr)
    repaired = repair_document(layout)
    extraction = segments_to_extraction(layout_to_segments(layout, repaired))
    return extraction.model_copy(update={"notices": notices + extraction.notices,
                                         "themes": records_to_themes(extraction)})


def file_to_page_texts(path: Path, raw: bool = False,
                       settings: PipelineSettings = DEFAULT_SETTINGS) -> Iterator[tuple[int, str, str]]:
    """(page number, source, text) per page: the repaired text, or with `raw` the text as the file
    (or OCR) gives it, so a user can check what repair did."""
    layout, _ = ocr_document(read_document(path), settings.ocr)
    pages = layout.pages if raw else repair_document(layout).pages
    for page in pages:
        yield page.page_no, page.source, page.raw_text


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
