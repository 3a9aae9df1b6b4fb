"""Read stage: a PDF or plain-text file → LayoutDocument (lines, tables, marks, raw text per page).

One pass per page over the objects pdfplumber parses once; pages are closed as soon as they are read
so memory stays flat on long reports. Bad input becomes a ReadError that names the file and what to do.
"""
from __future__ import annotations

import errno
import gc
import hashlib
import os
import stat
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pdfplumber
from pdfminer.pdfexceptions import PDFException
from pdfminer.psexceptions import PSException
from pdfplumber.utils.exceptions import MalformedPDFException, PdfminerException
from pydantic import BaseModel, ConfigDict

from extract.defaults import MAX_PAGES
from extract.errors import ReadError, path_to_text
from extract.reading.columns import ColumnSettings, page_to_regions
from extract.reading.fills import fills_to_marks, is_cell_fill, is_fill_outline
from extract.reading.marks import (
    MarkSettings,
    color_to_hex,
    font_name,
    is_bold,
    obj_bbox,
    page_to_marks,
)
from extract.reading.objects import install_fast_chars, table_to_cell_texts
from extract.reading.pdfium_objects import PDFIUM_LOCK, pdfium_page_objects
from extract.reading.table_parts import table_to_parts
from extract.reading.tables import (
    RuleTableSettings,
    open_grid_ends,
    page_to_rule_tables,
)
from models.layout import (
    Cell,
    LayoutDocument,
    LayoutPage,
    Mark,
    PageSource,
    Table,
    TextLine,
)

PDF_SUFFIXES = (".pdf",)
TEXT_SUFFIXES = (".txt", ".md")


class ReadSettings(BaseModel):
    """Named constants of the read stage."""

    model_config = ConfigDict(extra="forbid")

    x_tolerance: float = 1.5
    """Gap (points) that splits words; pdfplumber's default 3 glues bullets to the next word."""
    y_tolerance: float = 3.0
    """Vertical distance (points) within which characters share a line."""
    scan_image_coverage: float = 0.8
    """Share of the page area one image must cover for the page to count as a scan."""
    min_table_size: float = 20.0
    """Smallest width and height (points) of a table; smaller ruled boxes are check boxes."""
    column_tolerance: float = 2.0
    """Cell edges this close (points) are one column boundary when a grid is cut into the tables
    stacked in it (`table_parts`)."""
    password: str | None = None
    max_pages: int = MAX_PAGES
    """More pages than this fails the file (too_many_pages) before any page is read."""
    pdfium_objects: bool = True
    """Characters and paths of image-free pages read by PDFium (about four times as fast as pdfminer,
    same dicts); False reads every page with pdfminer."""
    max_page_area: float = 32_000_000.0
    """Largest page (square points, about four A0 sheets); a larger one fails the file (page_too_large)
    rather than letting one poster-sized page hold a worker for minutes."""
    marks: MarkSettings = MarkSettings()
    rule_tables: RuleTableSettings = RuleTableSettings()
    columns: ColumnSettings = ColumnSettings()

    def text_kwargs(self) -> dict:
        return {"x_tolerance": self.x_tolerance, "y_tolerance": self.y_tolerance}

    def table_settings(self) -> dict:
        return {"vertical_strategy": "lines", "horizontal_strategy": "lines",
                "text_x_tolerance": self.x_tolerance, "text_y_tolerance": self.y_tolerance}


def file_to_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def check_regular_file(path: Path) -> None:
    """Refuse what is not a regular file (through any links) before anything opens it: a FIFO, a
    device, a folder, a link to nowhere or a loop of links, since opening one may block forever or
    read without end."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        what = "a link to a file that does not exist" if os.path.islink(path) else "no such file"
        raise ReadError(path, f"{what}; check the path", code="missing") from None
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise ReadError(path, "a loop of symbolic links; check the link and point it at a file",
                            code="not_a_file") from None
        raise ReadError(path, f"cannot be read ({error.strerror}); check its permissions") from None
    if not stat.S_ISREG(info.st_mode):
        kind = ("a folder" if stat.S_ISDIR(info.st_mode) else "a named pipe" if stat.S_ISFIFO(info.st_mode)
                else "a device" if stat.S_ISCHR(info.st_mode) or stat.S_ISBLK(info.st_mode) else "a special file")
        raise ReadError(path, f"{kind}, not a regular file; pass a .pdf, .txt or .md file", code="not_a_file")


def path_to_media(path: Path) -> str:
    """'pdf' or 'text' after checking the file exists and its bytes fit its suffix."""
    check_regular_file(path)
    suffix = path.suffix.lower()
    with path.open("rb") as handle:
        head = handle.read(1024)
    if suffix in TEXT_SUFFIXES:
        return "text"
    if b"%PDF-" in head:
        return "pdf"
    if suffix in PDF_SUFFIXES:
        shown = "".join(ch for ch in head[:4].decode("latin-1")[:4] if ch.isprintable()) or head[:4].hex()
        what = "an empty file" if not head else f"not a PDF (starts with {shown!r})"
        raise ReadError(path, f"{what}; pass a .pdf, .txt or .md file", code="empty" if not head else "not_pdf")
    raise ReadError(path, f"unsupported file type {suffix or '(no suffix)'!r}; pass a .pdf, .txt or .md file",
                    code="unsupported")


def check_pdf_end(path: Path) -> None:
    """A PDF ends with %%EOF (readers look in its last 1024 bytes); without it the file was cut short,
    and pdfminer's repair would silently load whatever part of it survived."""
    with path.open("rb") as handle:
        handle.seek(0, 2)
        handle.seek(max(handle.tell() - 1024, 0))
        tail = handle.read()
    if b"%%EOF" not in tail:
        raise ReadError(path, "broken or truncated PDF (no end-of-file marker); re-download or re-export the file",
                        code="truncated")


def text_line_from_plumber(line: dict) -> TextLine:
    chars = [c for c in line.get("chars", []) if c["text"].strip()] or line.get("chars", [])
    first = chars[0] if chars else {}
    font = font_name(first.get("fontname"))
    size = first.get("size")
    # A line is bold when all of it is: a bold run-in ('Ansvarig: ...', a bold title opening a
    # paragraph) does not make a heading of the line.
    bold = bool(chars) and all(is_bold(font_name(c.get("fontname"))) for c in chars)
    return TextLine(text=line["text"], bbox=obj_bbox(line), font=font,
                    size=round(size, 2) if size is not None else None,
                    bold=bold, color=color_to_hex(first.get("non_stroking_color")))


def plumber_table_to_table(found, settings: ReadSettings) -> Table | None:
    x0, top, x1, bottom = found.bbox
    if x1 - x0 < settings.min_table_size or bottom - top < settings.min_table_size:
        return None
    texts = table_to_cell_texts(found, x_tolerance=settings.x_tolerance, y_tolerance=settings.y_tolerance)
    cells = []
    for r, (row, row_texts) in enumerate(zip(found.rows, texts)):
        for c, (box, text) in enumerate(zip(row.cells, row_texts)):
            if box is None:
                continue
            cells.append(Cell(row=r, col=c, text=text or "", bbox=tuple(round(v, 2) for v in box)))
    n_cols = max((len(row.cells) for row in found.rows), default=0)
    return Table(bbox=tuple(round(v, 2) for v in found.bbox), n_rows=len(found.rows), n_cols=n_cols, cells=cells)


@contextmanager
def gc_paused():
    """No automatic garbage collection while a page is parsed. pdfminer makes a few hundred thousand
    objects per page, which sets off collections that walk every live object (the lexicon and
    language data included) many times a page and cost a third of the read; the page's objects are
    freed by reference counting when it is closed, and collection resumes between pages."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def page_to_source(page, settings: ReadSettings) -> tuple[str, bool]:
    """Scan or born-digital: a near full-page image makes a scan, with an OCR layer if it has chars."""
    area = max(page.width * page.height, 1e-6)
    has_image = any((im["x1"] - im["x0"]) * (im["bottom"] - im["top"]) >= settings.scan_image_coverage * area
                    for im in page.images)
    if not has_image:
        return "text_layer", False
    has_text = any(c["text"].strip() for c in page.chars)
    return ("ocr_layer" if has_text else "image_only"), True


def objects_to_layout(page, settings: ReadSettings, marks: list[Mark], source: PageSource,
                      has_image: bool) -> LayoutPage:
    """Tables, reading regions and text lines of a page of pdfplumber objects, whether a text layer
    or the pixels of a scan (`image_page`) gave them; `marks` are the page's marks other than cell fills."""
    kwargs = settings.text_kwargs()
    table_settings = settings.table_settings()
    fills = [rect for rect in page.rects if is_cell_fill(rect, settings.marks)]
    fill_ids = {id(rect) for rect in fills}
    ruled = page.filter(lambda obj: id(obj) not in fill_ids) if fills else page
    closing = open_grid_ends(ruled)
    grid_settings = {**table_settings, "explicit_horizontal_lines": closing} if closing else table_settings
    tables = [t for t in (plumber_table_to_table(found, settings)
                          for found in ruled.find_tables(grid_settings))
              if t is not None and not is_fill_outline(t, fills, settings.marks)]
    tables += [t for t in (plumber_table_to_table(found, settings) for found in page_to_rule_tables(
        ruled, settings.rule_tables, table_settings, [t.bbox for t in tables])) if t is not None]
    tables = [part for table in tables for part in table_to_parts(table, settings.column_tolerance)]
    regions = page_to_regions(page, settings.columns, [t.bbox for t in tables if t.bbox])
    parts = [page.crop(box, strict=False) for box in regions] if regions else [page]
    raw_text = "\n".join(text for text in (part.extract_text(**kwargs) for part in parts) if text)
    lines = [text_line_from_plumber(line) for part in parts for line in part.extract_text_lines(**kwargs)
             if line["text"]]
    return LayoutPage(page_no=page.page_number, width=round(float(page.width), 2),
                      height=round(float(page.height), 2), source=source, raw_text=raw_text, lines=lines,
                      tables=tables, marks=marks + fills_to_marks(
                          fills, [c.bbox for t in tables for c in t.cells if c.bbox], settings.marks),
                      has_image=has_image, regions=regions or [])


def pdf_page_to_layout(page, settings: ReadSettings) -> LayoutPage:
    source, has_image = page_to_source(page, settings)
    return objects_to_layout(page, settings, page_to_marks(page, settings.marks), source, has_image)


def pdf_page_count(path: str | Path, password: str | None = None) -> int:
    """The number of pages as PDFium reads it from the page tree, without building a page (pdfminer
    builds every page object first: a 300,000-page file took 52 s and 1.8 GB before its refusal)."""
    import pypdfium2 as pdfium

    with PDFIUM_LOCK:
        pdf = pdfium.PdfDocument(str(path), password=password)
        try:
            return len(pdf)
        finally:
            pdf.close()


def open_pdfium(path: Path, settings: ReadSettings):
    """The file opened by PDFium once its page count is within the limit (checked before pdfminer
    builds any page), or None where PDFium cannot open it: pdfminer's error then says what is wrong."""
    import pypdfium2 as pdfium

    with PDFIUM_LOCK:
        try:
            document = pdfium.PdfDocument(str(path), password=settings.password)
        except pdfium.PdfiumError:
            return None
        pages = len(document)
        if pages > settings.max_pages:
            document.close()
    if pages > settings.max_pages:
        raise ReadError(path, _too_many_pages(pages, settings), code="too_many_pages")
    return document


def _too_many_pages(pages: int, settings: ReadSettings) -> str:
    return f"{pages} pages, more than the limit of {settings.max_pages}; split the file or raise the limit (--max-pages)"


@contextmanager
def open_pdf(path: Path, settings: ReadSettings):
    """pdfplumber's PDF and the same file opened by PDFium (None where it cannot be), with their
    failures turned into ReadErrors that say what to do."""
    check_pdf_end(path)
    document = open_pdfium(path, settings)
    try:
        try:
            pdf = pdfplumber.open(path, password=settings.password)
        except Exception as exc:  # pdfminer raises many types on malformed input; all mean a broken file
            raise ReadError(path, pdf_failure_message(exc), code=pdf_failure_code(exc)) from exc
        try:
            yield pdf, document
        finally:
            try:
                pdf.close()
            except Exception:  # close() walks the page tree again; a broken tree fails there too
                pdf.stream.close()
    finally:
        if document is not None:
            with PDFIUM_LOCK:
                document.close()


def _failure_cause(exc: Exception) -> Exception:
    return exc.args[0] if exc.args and isinstance(exc.args[0], Exception) else exc


def pdf_failure_code(exc: Exception) -> str:
    name = type(_failure_cause(exc)).__name__
    return "encrypted" if "Password" in name or "Encrypt" in name else "broken"


def pdf_failure_message(exc: Exception) -> str:
    cause = _failure_cause(exc)
    name = type(cause).__name__
    if "Password" in name or "Encrypt" in name:
        return "the PDF is encrypted; pass its password (--password) or an unencrypted copy"
    detail = str(cause).strip() or name
    return f"broken or truncated PDF ({detail}); re-export or re-download the file"


def pdf_to_checked_pages(path: Path, pdf, settings: ReadSettings) -> list:
    """The PDF's pages, once their number is known to be within the limit."""
    try:
        pages = pdf.pages
    except Exception as exc:
        raise ReadError(path, pdf_failure_message(exc), code=pdf_failure_code(exc)) from exc
    if not pages:
        raise ReadError(path, "the PDF has no pages; pass a PDF with content", code="zero_pages")
    if len(pages) > settings.max_pages:
        raise ReadError(path, _too_many_pages(len(pages), settings), code="too_many_pages")
    return pages


def page_with_objects(page, document, settings: ReadSettings):
    """The page, its objects read by PDFium where that reading applies, else parsed by pdfminer."""
    objects = pdfium_page_objects(document, page) if document is not None and settings.pdfium_objects else None
    if objects is None:
        return install_fast_chars(page)
    page._objects = objects
    return page


def pages_to_layouts(path: Path, pages: list, settings: ReadSettings, document=None) -> Iterator[LayoutPage]:
    """The pages' layouts; `document` is the same file opened by PDFium, or None."""
    for page in pages:
        try:
            area = float(page.width) * float(page.height)
        except Exception as exc:
            raise ReadError(path, f"page {page.page_number}: {pdf_failure_message(exc)}", code="broken") from exc
        if area > settings.max_page_area:
            raise ReadError(path, f"page {page.page_number} is {float(page.width):.0f} x {float(page.height):.0f} "
                            f"points, larger than the limit of {settings.max_page_area:.0f} square points; "
                            "check the file (or pass an export with ordinary page sizes)", code="page_too_large")
        try:
            with gc_paused():
                layout = pdf_page_to_layout(page_with_objects(page, document, settings), settings)
        except (PdfminerException, MalformedPDFException, PSException, PDFException) as exc:
            raise ReadError(path, f"page {page.page_number}: {pdf_failure_message(exc)}",
                            code=pdf_failure_code(exc)) from exc
        finally:
            page.close()
        yield layout


def text_to_pages(text: str) -> list[LayoutPage]:
    """One page per form-feed-separated chunk; each non-blank line a TextLine without geometry."""
    text = unicodedata.normalize("NFC", text)
    chunks = text.split("\f") if "\f" in text else [text]
    return [LayoutPage(page_no=i, source="text_file", raw_text=chunk,
                       lines=[TextLine(text=line) for line in chunk.splitlines() if line.strip()])
            for i, chunk in enumerate(chunks, start=1)]


def read_text_file(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ReadError(path, f"not UTF-8 text (byte {exc.start}); save it as UTF-8", code="not_utf8") from None


def pdf_title(pdf) -> str | None:
    title = pdf.metadata.get("Title")
    if isinstance(title, bytes):
        title = title.decode("utf-8", "replace")
    return title.strip() or None if isinstance(title, str) else None


def path_to_source_file(path: Path) -> str:
    """One spelling per file (relative to the working folder when inside it), so the warehouse
    knows a changed file however the user typed its path."""
    # what is no regular file (a link to nowhere, a loop of links, a link to a device) is named as given
    resolved = Path(path).resolve() if os.path.isfile(path) else Path(os.path.abspath(path))
    try:
        return path_to_text(resolved.relative_to(Path.cwd().resolve()).as_posix())
    except ValueError:
        return path_to_text(resolved.as_posix())


@contextmanager
def open_layout(path: Path, settings: ReadSettings | None = None) -> Iterator[tuple[LayoutDocument, Iterator[LayoutPage]]]:
    """The document's facts (file, sha256, media, title) with no pages, and its pages one at a time:
    the streaming form of read_document, for callers that need not hold every page."""
    path, settings = Path(path), settings or ReadSettings()
    media = path_to_media(path)
    sha256 = file_to_sha256(path)
    source_file = path_to_source_file(path)
    source_path = path_to_text(path.resolve().as_posix())
    if media == "text":
        text_pages = text_to_pages(read_text_file(path))
        if len(text_pages) > settings.max_pages:
            raise ReadError(path, _too_many_pages(len(text_pages), settings), code="too_many_pages")
        yield (LayoutDocument(source_file=source_file, source_path=source_path, sha256=sha256, media="text", pages=[],
                              page_count=len(text_pages)),
               iter(text_pages))
        return
    with open_pdf(path, settings) as (pdf, document):
        try:
            title = pdf_title(pdf)
        except Exception:  # a broken info dictionary costs the title, not the document
            title = None
        pages = pdf_to_checked_pages(path, pdf, settings)
        yield (LayoutDocument(source_file=source_file, source_path=source_path, sha256=sha256, media="pdf", pages=[],
                              title=title, page_count=len(pages)),
               pages_to_layouts(path, pages, settings, document))


def iter_pages(path: Path, settings: ReadSettings | None = None) -> Iterator[LayoutPage]:
    """The document's pages one at a time."""
    with open_layout(path, settings) as (_, pages):
        yield from pages


def read_document(path: Path, settings: ReadSettings | None = None) -> LayoutDocument:
    """Read a .pdf, .txt or .md file into a LayoutDocument; raises ReadError for unreadable input."""
    with open_layout(path, settings) as (document, pages):
        return document.model_copy(update={"pages": list(pages)})
