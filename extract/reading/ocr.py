"""OCR with Tesseract's Swedish model, for image-only pages and for pages whose text layer is garbled.

Each page is rendered once (`raster`) and read from its pixels into the same layout a text layer gives
(`image_page`): Tesseract, through its library with the model loaded once per thread, reads the words;
the pixels give the rules, marks and fills. Pages run side by side on the cores (Tesseract releases
the interpreter while it reads, and gains nothing from threads inside one page, so OMP_THREAD_LIMIT=1).
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import threading
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from extract.errors import PlansError
from extract.reading.ocr_words import OcrWord
from extract.reading.scan_settings import ImageObjectSettings, RasterSettings
from extract.text.quality import text_to_quality
from extract.text.swedish import is_garbled
from models.layout import LayoutDocument, LayoutPage, PageSource

TESSERACT = "tesseract"
INSTALL_HINT = "install it with `apt-get install tesseract-ocr tesseract-ocr-swe`"
OCR_WINDOW_PER_JOB = 4
"""Pages that need OCR may be in flight, per thread, while earlier ones are still being read."""
BETTER_BY = 0.05
"""The OCR text replaces a text layer only when its quality score is higher by this much."""


class OcrUnavailable(PlansError):
    """Tesseract or its language model is not installed."""


@lru_cache(maxsize=8)
def _installed(binary: str) -> tuple[str, frozenset[str]]:
    out = subprocess.run([binary, "--list-langs"], capture_output=True, text=True, timeout=60)
    lines = (out.stdout + out.stderr).splitlines()
    folder = re.search(r'"([^"]+)"', lines[0]) if lines else None
    return (folder.group(1) if folder else ""), frozenset(line.strip() for line in lines[1:] if line.strip())


def _installed_languages(binary: str) -> frozenset[str]:
    return _installed(binary)[1]


def check_tesseract(lang: str = "swe") -> str:
    """The folder of Tesseract's language models; OcrUnavailable with the install command when
    Tesseract or a model is missing."""
    binary = shutil.which(TESSERACT)
    if binary is None:
        raise OcrUnavailable(f"OCR needs Tesseract, which is not installed: {INSTALL_HINT}")
    missing = set(lang.split("+")) - _installed_languages(binary)
    if missing:
        raise OcrUnavailable(
            f"Tesseract has no model for {', '.join(sorted(missing))}: {INSTALL_HINT}")
    return os.environ.get("TESSDATA_PREFIX") or _installed(binary)[0]


L_SEVERITY_NONE = 6


@lru_cache(maxsize=1)
def quiet_leptonica(tesserocr_module) -> None:
    """Leptonica, under Tesseract, prints 'Error in boxClipToRectangle' and the like to the terminal for
    boxes it clips and recovers from; the user has nothing to do about them. Its messages are turned
    off in the copy tesserocr loaded (found beside it), or left as they are where it cannot be found."""
    import ctypes
    import glob

    packages = Path(tesserocr_module.__file__).parent.parent
    for library in glob.glob(str(packages / "tesserocr.libs" / "libleptonica*.so*")) + ["liblept.so.5"]:
        try:
            ctypes.CDLL(library).setMsgSeverity(L_SEVERITY_NONE)
            return
        except (OSError, AttributeError):
            continue


class WordReader:
    """Tesseract's library with the model loaded once per thread. Words that look like a symbol the
    main model misreads (`second_opinion`: '(96)' for '(%)') are read again, alone, with the
    `second_lang` model, whose reading is taken only where it holds that symbol."""

    def __init__(self, tessdata: str, lang: str, second_opinion: str = "", second_lang: str = "",
                 symbols: str = ""):
        self.tessdata, self.lang = tessdata, lang
        self.second_opinion = re.compile(second_opinion) if second_opinion else None
        self.second_lang, self.symbols = second_lang, symbols
        self.local = threading.local()

    def _api(self, name: str, lang: str, psm: int | None = None):
        api = getattr(self.local, name, None)
        if api is None:
            os.environ.setdefault("OMP_THREAD_LIMIT", "1")
            import tesserocr

            quiet_leptonica(tesserocr)
            options = {"psm": psm} if psm is not None else {}
            api = tesserocr.PyTessBaseAPI(path=self.tessdata.rstrip("/") + "/", lang=lang, **options)
            api.SetVariable("tessedit_do_invert", "0")
            setattr(self.local, name, api)
        return api

    def __call__(self, grey, dpi: float) -> list[OcrWord]:
        from PIL import Image

        api = self._api("api", self.lang)
        image = Image.fromarray(grey)
        api.SetImage(image)
        api.SetSourceResolution(int(dpi))
        api.Recognize()
        return self._with_second_opinions(iterator_to_words(api.GetIterator()), image, dpi)

    def read_alone(self, image, box: tuple[int, int, int, int], dpi: float, lang: str | None = None,
                   single_char: bool = False) -> tuple[str, float]:
        """The ink in one pixel box of a page image read on its own, as one word or one character:
        its text and confidence."""
        import tesserocr

        lang = lang or self.lang
        mode = tesserocr.PSM.SINGLE_CHAR if single_char else tesserocr.PSM.SINGLE_WORD
        api = self._api(f"alone_{lang}_{int(mode)}", lang, mode)
        x0, top, x1, bottom = box
        pad = max(4 if single_char else 2, (bottom - top) // (2 if single_char else 3))
        _set_crop(api, image, (max(0, x0 - pad), max(0, top - pad), x1 + pad, bottom + pad), dpi)
        return (api.GetUTF8Text() or "").strip(), float(api.MeanTextConf())

    def read_block(self, image, box: tuple[int, int, int, int], dpi: float, one_line: bool = False) -> list[OcrWord]:
        """The words in one pixel box of a page image, read as a block of text on its own (or as one
        line: Tesseract's block layout finds nothing in a box barely larger than a word), with boxes
        in the page's pixels."""
        import tesserocr

        x0, top, x1, bottom = box
        if x1 - x0 < 4 or bottom - top < 4:
            return []
        mode = tesserocr.PSM.SINGLE_LINE if one_line else tesserocr.PSM.SINGLE_BLOCK
        api = self._api(f"block_{int(mode)}", self.lang, mode)
        _set_crop(api, image, box, dpi)
        api.Recognize()
        words = [replace(w, box=(w.box[0] + x0, w.box[1] + top, w.box[2] + x0, w.box[3] + top),
                         baseline=w.baseline + top if w.baseline else 0.0)
                 for w in iterator_to_words(api.GetIterator())]
        return self._with_second_opinions(words, image, dpi)

    def _with_second_opinions(self, words: list[OcrWord], image, dpi: float) -> list[OcrWord]:
        """The words, those that look like a misread symbol read again (a page's words and those of a
        part of it read on its own alike)."""
        if self.second_opinion is None:
            return words
        return [self._again(word, image, dpi) if self.second_opinion.fullmatch(word.text) else word for word in words]

    def _again(self, word: OcrWord, image, dpi: float) -> OcrWord:
        text, _ = self.read_alone(image, word.box, dpi, self.second_lang)
        if text and " " not in text and any(ch in text for ch in self.symbols):
            return replace(word, text=text)
        return word


def _set_crop(api, image, box: tuple[int, int, int, int], dpi: float) -> None:
    """Give Tesseract one pixel box of a page image (PIL or numpy) at the page's resolution."""
    from PIL import Image

    image = image if hasattr(image, "crop") else Image.fromarray(image)
    api.SetImage(image.crop(box))
    api.SetSourceResolution(int(dpi))


def iterator_to_words(iterator) -> list[OcrWord]:
    """Tesseract's words with pixel boxes, each with its line's number and x-height (Tesseract's own
    estimate from the whole line: steadier than any one word's box)."""
    from tesserocr import RIL

    words: list[OcrWord] = []
    if iterator is None:
        return words
    line, x_height, baseline = -1, 0.0, 0.0
    while True:
        if iterator.IsAtBeginningOf(RIL.TEXTLINE):
            line += 1
            row = iterator.RowAttributes()
            x_height = max(0.0, row["row_height"] - row["ascenders"] + row["descenders"])
            ends = iterator.Baseline(RIL.TEXTLINE)
            baseline = (ends[0][1] + ends[1][1]) / 2 if ends else 0.0
        try:
            text = (iterator.GetUTF8Text(RIL.WORD) or "").strip()
        except RuntimeError:  # an image with no text at all: the iterator stands on nothing
            return words
        box = iterator.BoundingBox(RIL.WORD)
        if text and box:
            words.append(OcrWord(text=text, box=tuple(box), line=line,
                                 confidence=iterator.Confidence(RIL.WORD), x_height=x_height,
                                 baseline=baseline))
        if not iterator.Next(RIL.WORD):
            return words


def _ocr_one(reader: WordReader, pdf_path: str, page: LayoutPage, settings: "OcrSettings",
             read_settings) -> LayoutPage:
    from extract.reading.image_page import image_to_layout
    from extract.reading.raster import render_page

    image = render_page(pdf_path, page.page_no, settings.raster, read_settings.password)
    width = page.width or image.rgb.shape[1] * image.scale
    height = page.height or image.rgb.shape[0] * image.scale
    return image_to_layout(image, page.page_no, width, height, reader, read_settings, settings.raster,
                           settings.objects)


def ocr_threads(settings: "OcrSettings") -> int:
    """Threads reading pages: as asked, else one per core and one more, so that a core whose thread is
    in Python (marks, rules) between Tesseract calls has another thread's Tesseract to run (measured on
    2 cores: 3 threads read a 28-page scan about 5% faster than 2, 4 no faster than 3)."""
    return max(1, settings.jobs or (os.cpu_count() or 1) + 1)


def word_reader(settings: "OcrSettings") -> WordReader:
    """The reader for a document's pages; OcrUnavailable when Tesseract or the model is missing."""
    tessdata = check_tesseract(settings.lang)
    second = settings.second_lang if settings.second_lang in _installed_languages(shutil.which(TESSERACT)) else ""
    return WordReader(tessdata, settings.lang, settings.second_opinion if second else "", second,
                      settings.second_symbols)


def ocr_layouts(pdf_path: str | Path, pages: list[LayoutPage], settings: "OcrSettings",
                read_settings=None) -> dict[int, LayoutPage]:
    """Each page's layout read from its pixels; up to `settings.jobs` pages side by side."""
    from extract.reading.read import ReadSettings

    read_settings = read_settings or ReadSettings()
    reader = word_reader(settings)
    jobs = max(1, min(ocr_threads(settings), len(pages)))
    one = lambda page: _ocr_one(reader, str(pdf_path), page, settings, read_settings)  # noqa: E731
    if jobs == 1:
        return {page.page_no: one(page) for page in pages}
    pool = ThreadPoolExecutor(max_workers=jobs)
    try:
        return {layout.page_no: layout for layout in pool.map(one, pages)}
    finally:  # stopped (an interrupt, the time limit): pages not yet begun are dropped, not read first
        pool.shutdown(wait=False, cancel_futures=True)


def ocr_pages(pdf_path: str | Path, page_numbers: list[int], lang: str = "swe",
              jobs: int | None = os.cpu_count()) -> dict[int, str]:
    """Text of each 1-based page, read by Tesseract."""
    pages = [LayoutPage(page_no=n, source="image_only", raw_text="") for n in page_numbers]
    layouts = ocr_layouts(pdf_path, pages, OcrSettings(lang=lang, jobs=jobs))
    return {n: layout.raw_text for n, layout in layouts.items()}


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
    """Pages read side by side; None: one per core and one more (see ocr_threads)."""
    reocr_garbled: bool = True
    """Re-read scans whose text layer looks garbled and keep the better text."""
    raster: RasterSettings = RasterSettings()
    objects: ImageObjectSettings = ImageObjectSettings()
    second_opinion: str = r"\(\d{2,4}\)[.,:;]?"
    """Words read again with `second_lang`: Tesseract's Swedish model reads '(%)' in small type as
    '(96)', '(960)' or '(9260)'."""
    second_lang: str = "eng"
    second_symbols: str = "%"
    """The second reading is taken only where it holds one of these."""


def page_needs_ocr(page: LayoutPage, settings: OcrSettings) -> bool:
    if page.source == "image_only":
        return True
    return (settings.reocr_garbled and page.source == "ocr_layer" and page.has_image
            and is_garbled(page.raw_text))


def _with_ocr(page: LayoutPage, read: LayoutPage | None) -> LayoutPage:
    """The page as read from its pixels, unless its own text layer reads better; then the layer's text
    with the marks found in the pixels (a scan's layer has text but no marks)."""
    if read is None:
        return page
    _, source = choose_text(page.raw_text, read.raw_text, page.source)
    if source != "ocr":
        return page.model_copy(update={"marks": page.marks + read.marks})
    return read.model_copy(update={"width": page.width or read.width, "height": page.height or read.height})


def ocr_stream(document: LayoutDocument, pages: Iterable[LayoutPage], settings: OcrSettings = OcrSettings(),
               notices: list[str] | None = None, read_settings=None) -> Iterator[LayoutPage]:
    """`pages` in order, with OCR where a page needs it: image-only pages are read from their pixels
    (text, tables, marks), garbled scan pages keep whichever text reads better. Pages that need none
    pass straight through. Pages that do go to a pool of one thread per job as they arrive, while this
    thread reads the next pages and its caller works on the finished ones, so the cores stay busy; at
    most a window of pages waits in memory. A notice (Tesseract missing) is appended to `notices`."""
    from extract.reading.read import ReadSettings

    read_settings = read_settings or ReadSettings()
    enabled = settings.enabled and document.media == "pdf"
    jobs = ocr_threads(settings)
    window = jobs * OCR_WINDOW_PER_JOB
    queue: deque[tuple[LayoutPage, Future | None]] = deque()
    reader: WordReader | None = None
    unavailable: OcrUnavailable | None = None
    skipped = 0
    pool = ThreadPoolExecutor(max_workers=jobs)

    def finished(page: LayoutPage, future: Future | None) -> LayoutPage:
        return page if future is None else _with_ocr(page, future.result())

    try:
        for page in pages:
            future = None
            if enabled and page_needs_ocr(page, settings):
                if reader is None and unavailable is None:
                    try:
                        reader = word_reader(settings)
                    except OcrUnavailable as error:
                        unavailable = error
                if unavailable is not None:
                    skipped += 1
                else:
                    future = pool.submit(_ocr_one, reader, document.source_file, page, settings, read_settings)
            queue.append((page, future))
            while queue and (queue[0][1] is None or queue[0][1].done()
                             or sum(f is not None for _, f in queue) > window):
                yield finished(*queue.popleft())
        while queue:
            yield finished(*queue.popleft())
    finally:  # stopped (an interrupt, the time limit): pages not yet begun are dropped, not read first
        pool.shutdown(wait=False, cancel_futures=True)
    if unavailable is not None and notices is not None:
        notices.append(f"{document.source_file}: {skipped} page(s) need OCR: {unavailable.message}")
