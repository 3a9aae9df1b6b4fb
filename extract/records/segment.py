"""Segment stage: cut a document's pages into a section tree of headings, lines and tables.

Running headers, footers, page numbers and table-of-contents entries are left out; tables that
run over a page break are stitched into one with the repeated header row dropped; every status
mark is attached to the table row or text line it sits on.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

from pydantic import BaseModel, ConfigDict

from extract.records.continuation import (
    join_continuations,
    rows_to_tables,
    stitch_tables,
    union,
)
from extract.records.document import page_to_title
from extract.records.type_sizes import sizes_to_modes
from extract.rules.base import SegmentOverrides, SegmentRules, base_rules
from extract.text.normalise import collapse
from models import BBox, LayoutDocument, LayoutPage, Mark, Table, TextLine
from models.segments import Block, Row, Section, SegmentedDocument, StitchedTable


class SegmentSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    furniture_band: float = 0.1
    """Share of the page height at the top and at the bottom where running furniture sits."""
    furniture_min_share: float = 0.5
    """A line repeated in the band on at least this share of the pages is furniture."""
    heading_min_delta: float = 1.5
    """Points above the body size from which a line counts as a heading."""
    bold_heading_max_words: int = 14
    """The most words a heading holds."""
    lone_line_weight: float = 0.25
    """How much a line with no line of its size right above or below it counts, against a line of a
    paragraph, when the body size is found: headings, cover lines and captions stand alone, prose
    runs on, so a short report whose prose is one paragraph still has its headings told from it. A
    lone line of more words than a heading holds (`bold_heading_max_words`) is prose all the same."""
    table_tolerance: float = 2.0
    toc_min_entries: int = 4
    """A page with this many dot-leader entries holds a table of contents."""


SETTINGS = SegmentSettings()


def _furniture_key(text: str) -> str:
    return re.sub(r"\d+", "#", collapse(text).lower())


def _inside(inner: BBox, outer: BBox, tol: float) -> bool:
    cx, cy = (inner[0] + inner[2]) / 2, (inner[1] + inner[3]) / 2
    return outer[0] - tol <= cx <= outer[2] + tol and outer[1] - tol <= cy <= outer[3] + tol


def _in_paragraph(lines: list[TextLine]) -> list[bool]:
    """Whether each line (in reading order) has a line of its size right above or below it: closer
    than its own height, as the lines of a paragraph stand."""
    joined = [False] * len(lines)
    for i, (line, below) in enumerate(zip(lines, lines[1:])):
        if not (line.bbox and below.bbox) or abs(line.size - below.size) > 0.5:
            continue
        if 0 <= below.bbox[1] - line.bbox[3] < line.bbox[3] - line.bbox[1]:
            joined[i] = joined[i + 1] = True
    return joined


def _strip_glyphs(text: str, marks: list[Mark]) -> str:
    for glyph in {m.glyph for m in marks if m.glyph}:
        text = re.sub(rf"^\s*{re.escape(glyph)}\s*", "", text)
    return text


@dataclass(slots=True)
class _Candidate:
    """A block whose fate waits for the whole document: a line in the furniture band may turn out to
    repeat on most pages, and a line's heading level depends on the sizes of every page."""

    top: float
    x0: float
    fields: dict
    furniture_key: str | None = None
    heading_text: str | None = None
    measured: bool = False
    """Its size was measured from pixels (OCR): snapped to the document's sizes before use."""
    region: int = 0
    """Which of the page's reading regions (columns) the block is in."""


class _Segmenter:
    """Takes pages one at a time (`add_page`) and keeps only their candidate blocks and a few counts,
    so a page's lines, cells and marks are freed once it is cut; `finish` settles furniture and
    heading levels for the whole document."""

    def __init__(self, rules: SegmentRules, settings: SegmentSettings):
        self.rules, self.settings = rules, settings
        self.page_number = [re.compile(p, re.IGNORECASE) for p in rules.page_number_patterns]
        self.toc = [re.compile(p) for p in rules.toc_patterns]
        self.heading_patterns = [(re.compile(h.pattern), h.level) for h in rules.heading_patterns]
        self.pages: list[tuple[int, list[_Candidate]]] = []
        self.page_heights: dict[int, float] = {}
        self.band_keys: Counter[str] = Counter()
        self.text_pages = 0
        self.sizes: Counter[float] = Counter()
        self.measured_sizes: Counter[float] = Counter()

    # -- page furniture -------------------------------------------------------------------
    def _in_band(self, page: LayoutPage, line: TextLine) -> bool:
        if not line.bbox or not page.height:
            return False
        band = page.height * self.settings.furniture_band
        return line.bbox[3] <= band or line.bbox[1] >= page.height - band

    @cached_property
    def furniture(self) -> set[str]:
        if self.text_pages < 2:
            return set()
        need = max(2, self.settings.furniture_min_share * self.text_pages)
        return {key for key, count in self.band_keys.items() if count >= need and key}

    def _is_page_number(self, text: str) -> bool:
        return any(p.match(text) for p in self.page_number)

    def _is_toc(self, line: TextLine) -> bool:
        return any(p.search(line.text) for p in self.toc)

    def _toc_start(self, page: LayoutPage) -> float | None:
        """The top of a table of contents on this page: below it, wrapped entries without a leader
        are contents too."""
        entries = [l for l in page.lines if self._is_toc(l) and l.bbox]
        if len(entries) < self.settings.toc_min_entries:
            return None
        return min(l.bbox[1] for l in entries)

    # -- headings -------------------------------------------------------------------------
    @cached_property
    def snapped(self) -> dict[float, float]:
        """Sizes measured on page images, each to the document's size it stands for."""
        return sizes_to_modes(self.measured_sizes)

    def _size(self, size: float | None, measured: bool) -> float | None:
        return self.snapped.get(round(size, 1), size) if size and measured else size

    @cached_property
    def all_sizes(self) -> Counter[float]:
        sizes = Counter(self.sizes)
        for size, weight in self.measured_sizes.items():
            sizes[self.snapped[size]] += weight
        return sizes

    @cached_property
    def body_size(self) -> float | None:
        return self.all_sizes.most_common(1)[0][0] if self.all_sizes else None

    @cached_property
    def heading_sizes(self) -> list[float]:
        if self.body_size is None:
            return []
        floor = self.body_size + self.settings.heading_min_delta
        return sorted((size for size in self.all_sizes if size >= floor), reverse=True)

    def _running_lines(self, page: LayoutPage) -> list[TextLine]:
        """Lines outside tables: the text whose sizes tell body from headings."""
        boxes = [t.bbox for t in page.tables if t.bbox]
        tol = self.settings.table_tolerance
        return [l for l in page.lines if not (l.bbox and any(_inside(l.bbox, b, tol) for b in boxes))]

    def _heading_level(self, text: str, size: float | None, bold: bool) -> int | None:
        if not text:
            return None
        for pattern, level in self.heading_patterns:
            if pattern.search(text):
                return level
        if size and round(size, 1) in self.heading_sizes:
            return self.heading_sizes.index(round(size, 1)) + 1
        if (bold and self.body_size and size and size >= self.body_size - 0.1
                and len(text.split()) <= self.settings.bold_heading_max_words
                and not text.endswith((".", ":", ",")) and not text[:1].islower()):
            return len(self.heading_sizes) + 1
        return None

    # -- tables ---------------------------------------------------------------------------
    def _table_rows(self, table: Table, raw: Table, page_no: int, marks: list[Mark]) -> list[Row]:
        grid, raw_grid = table.rows(), raw.rows()
        boxes: dict[int, list[BBox]] = {}
        for cell in table.cells:
            if cell.bbox:
                boxes.setdefault(cell.row, []).append(cell.bbox)
        rows = []
        for index, cells in enumerate(grid):
            bbox = union(boxes.get(index, []))
            row_marks = [m for m in marks if bbox and _inside(m.bbox, bbox, self.settings.table_tolerance)]
            rows.append(Row(page_no=page_no, bbox=bbox, marks=row_marks,
                            cells=[_strip_glyphs(c, row_marks).strip() for c in cells],
                            raw_cells=[c.strip() for c in raw_grid[index]]))
        return rows

    # -- pages ----------------------------------------------------------------------------
    def _count(self, page: LayoutPage) -> None:
        self.page_heights[page.page_no] = page.height or 0.0
        self.band_keys.update({_furniture_key(l.text) for l in page.lines if self._in_band(page, l)})
        self.text_pages += bool(page.lines)
        sizes = self.measured_sizes if page.source == "ocr" else self.sizes
        running = [line for line in self._running_lines(page) if line.size]
        in_paragraph = _in_paragraph(running)
        for line, runs_on in zip(running, in_paragraph):
            prose = runs_on or len(line.text.split()) > self.settings.bold_heading_max_words
            sizes[round(line.size, 1)] += len(line.text) * (1.0 if prose else self.settings.lone_line_weight)

    def add_page(self, page: LayoutPage, repaired: LayoutPage) -> None:
        """Cut one page (as read, and after repair) into candidate blocks."""
        self._count(page)
        tol = self.settings.table_tolerance
        table_boxes = [t.bbox for t in page.tables if t.bbox]
        marks_left = list(page.marks)
        candidates: list[_Candidate] = []

        for table, raw in zip(repaired.tables, page.tables):
            inside = [m for m in marks_left if table.bbox and _inside(m.bbox, table.bbox, tol)]
            marks_left = [m for m in marks_left if m not in inside]
            rows = self._table_rows(table, raw, page.page_no, inside)
            if not rows:
                continue
            for part in rows_to_tables(rows):
                bbox = union(row.bbox for row in part) or table.bbox
                stitched = StitchedTable(header=part[0].cells, rows=part[1:], page_no=page.page_no, bbox=bbox)
                candidates.append(_Candidate(bbox[1] if bbox else 0.0, bbox[0] if bbox else 0.0,
                                             {"kind": "table", "page_no": page.page_no, "bbox": bbox,
                                              "table": stitched}))

        toc_top = self._toc_start(page)
        kept = []
        for line, raw in zip(repaired.lines, page.lines):
            if line.bbox and any(_inside(line.bbox, box, tol) for box in table_boxes):
                continue
            in_band = self._in_band(page, raw)
            raw_norm = collapse(raw.text)
            if (in_band and self._is_page_number(raw_norm)) or self._is_toc(raw) or not line.text.strip():
                continue
            if toc_top is not None and line.bbox and line.bbox[1] >= toc_top:
                continue
            kept.append((line, raw, in_band, raw_norm))
        owner = _marks_to_lines(marks_left, [line.bbox for line, *_ in kept])
        on_line: dict[int, list[Mark]] = defaultdict(list)
        for i, j in sorted(owner.items()):
            on_line[j].append(marks_left[i])
        for index, (line, raw, in_band, raw_norm) in enumerate(kept):
            line_marks = on_line[index]
            text = collapse(line.text)
            candidates.append(_Candidate(
                line.bbox[1] if line.bbox else len(candidates), line.bbox[0] if line.bbox else 0.0,
                {"page_no": page.page_no, "bbox": line.bbox, "text": _strip_glyphs(text, line_marks),
                 "raw_text": raw_norm, "size": line.size, "bold": line.bold, "color": line.color, "marks": line_marks},
                furniture_key=_furniture_key(raw_norm) if in_band else None, heading_text=text,
                measured=page.source == "ocr"))
        for mark in (m for i, m in enumerate(marks_left) if i not in owner):
            candidates.append(_Candidate(mark.bbox[1], mark.bbox[0], _mark_block(page.page_no, mark)))
        if page.regions:
            for candidate in candidates:
                candidate.region = _region_of(candidate.fields.get("bbox"), page.regions)
        self.pages.append((page.page_no, candidates))

    def _page_blocks(self, page_no: int, candidates: list[_Candidate]) -> list[Block]:
        """A page's blocks once the document is known: furniture dropped (its marks kept as blocks of
        their own), heading levels set."""
        positioned: list[tuple[int, float, float, Block]] = []
        for c in candidates:
            if c.furniture_key is not None and c.furniture_key in self.furniture:
                positioned.extend((c.region, m.bbox[1], m.bbox[0], Block(**_mark_block(page_no, m)))
                                  for m in c.fields["marks"])
                continue
            if c.heading_text is not None:
                c.fields["size"] = self._size(c.fields["size"], c.measured)
                level = self._heading_level(c.heading_text, c.fields["size"], c.fields["bold"])
                block = Block(kind="heading" if level else "line", level=level, **c.fields)
            else:
                block = Block(**c.fields)
            positioned.append((c.region, c.top, c.x0, block))
        positioned.sort(key=lambda item: item[:3])
        return [block for *_, block in positioned]

    def finish(self) -> list[Block]:
        """Every page's blocks with wrapped headings joined and tables stitched over page breaks."""
        stops = [pattern for pattern, _ in self.heading_patterns]
        blocks = [block for page_no, candidates in self.pages
                  for block in join_continuations(
                      self._page_blocks(page_no, candidates), self.rules.heading_continuation, stops,
                      frozenset({page_no}) if any(c.measured for c in candidates) else frozenset())]
        self.pages = []
        return stitch_tables(blocks, self.rules.table_stitching, self.page_heights,
                             self.settings.furniture_band, self.settings.table_tolerance)


def _marks_to_lines(marks: list[Mark], boxes: list[BBox | None]) -> dict[int, int]:
    """For each mark (by index), the line (by index) it stands on: of the lines whose middle lies within
    the mark's height, the nearest across. A legend OCR read as two lines ('● Slutfört ● Påbörjat',
    '● Ej startat') keeps each mark beside its own label."""
    owner: dict[int, int] = {}
    for i, mark in enumerate(marks):
        beside = [(max(box[0] - mark.bbox[2], mark.bbox[0] - box[2], 0.0), j) for j, box in enumerate(boxes)
                  if box and mark.bbox[1] <= (box[1] + box[3]) / 2 <= mark.bbox[3]]
        if beside:
            owner[i] = min(beside)[1]
    return owner


def _region_of(bbox: BBox | None, regions: list[BBox]) -> int:
    """The index of the reading region holding a box's centre (0 where none does)."""
    if not bbox:
        return 0
    cx, cy = (bbox[0] + bbox[2]) / 2, (bbox[1] + bbox[3]) / 2
    return next((i for i, (x0, top, x1, bottom) in enumerate(regions) if x0 <= cx <= x1 and top <= cy <= bottom), 0)


def _mark_block(page_no: int, mark: Mark) -> dict:
    """A mark on no line or row, as a block of its own."""
    return {"kind": "line", "page_no": page_no, "bbox": mark.bbox, "marks": [mark]}


def blocks_to_sections(blocks: list[Block]) -> list[Section]:
    """Nest blocks under their headings: a heading owns what follows until a heading of its level or
    above; blocks before the first heading form a level-0 section."""
    root: list[dict] = []
    stack: list[dict] = []
    preamble = {"title": "", "level": 0, "page_no": blocks[0].page_no if blocks else 1, "bbox": None,
                "blocks": [], "children": []}
    for block in blocks:
        if block.kind == "heading":
            node = {"title": block.text, "level": block.level or 1, "page_no": block.page_no, "bbox": block.bbox,
                    "blocks": [], "children": []}
            while stack and stack[-1]["level"] >= node["level"]:
                stack.pop()
            (stack[-1]["children"] if stack else root).append(node)
            stack.append(node)
        else:
            (stack[-1] if stack else preamble)["blocks"].append(block)
    return [_to_section(node) for node in ([preamble] if preamble["blocks"] else []) + root]


def _to_section(node: dict) -> Section:
    return Section(title=node["title"], level=node["level"], page_no=node["page_no"], bbox=node["bbox"],
                   blocks=node["blocks"], children=[_to_section(child) for child in node["children"]])


def page_facts(page: LayoutPage) -> LayoutPage:
    """The page without its lines, tables and marks, which live on in the blocks."""
    return page.model_copy(update={"lines": [], "tables": [], "marks": []})


def pages_to_segments(document: LayoutDocument, pages: Iterable[tuple[LayoutPage, LayoutPage]],
                      rules: SegmentRules | None = None, settings: SegmentSettings = SETTINGS) -> SegmentedDocument:
    """The streaming entry point: `document` without pages, and its pages one at a time, each as read
    and after repair. A page is freed once it is cut, so memory grows with the blocks, not the layout."""
    segmenter = _Segmenter(rules or base_rules().segment, settings)
    facts, texts, title = [], {}, document.title
    for page, repaired in pages:
        if not facts and not title:
            title = page_to_title(page)
        segmenter.add_page(page, repaired)
        facts.append(page_facts(page))
        texts[page.page_no] = repaired.raw_text
    blocks = segmenter.finish()
    return SegmentedDocument(layout=document.model_copy(update={"pages": facts, "title": title}), texts=texts,
                             blocks=blocks, sections=blocks_to_sections(blocks))


def layout_to_segments(layout: LayoutDocument, repaired: LayoutDocument | None = None,
                       rules: SegmentRules | None = None, settings: SegmentSettings = SETTINGS) -> SegmentedDocument:
    """`repaired` is the same document after the repair stage (texts changed, structure the same);
    without it the raw text is used."""
    repaired = repaired or layout
    return pages_to_segments(layout, zip(layout.pages, repaired.pages), rules, settings)


def segments_with_overrides(segmented: SegmentedDocument, overrides: SegmentOverrides, rules: SegmentRules,
                            settings: SegmentSettings = SETTINGS) -> SegmentedDocument:
    """The document segmented once more where a family's rules say how its titles wrap or its tables
    continue: tables stitched, then titles joined, by the family's rules instead of the base ones."""
    if overrides.heading_continuation is None and overrides.table_stitching is None:
        return segmented
    blocks = segmented.blocks
    if overrides.table_stitching is not None:
        heights = {page.page_no: page.height for page in segmented.layout.pages}
        blocks = stitch_tables(blocks, overrides.table_stitching, heights, settings.furniture_band,
                               settings.table_tolerance)
    if overrides.heading_continuation is not None:
        stops = [re.compile(h.pattern) for h in rules.heading_patterns]
        ocr_pages = frozenset(page.page_no for page in segmented.layout.pages if page.source == "ocr")
        blocks = join_continuations(blocks, overrides.heading_continuation, stops, ocr_pages)
    return segmented.model_copy(update={"blocks": blocks, "sections": blocks_to_sections(blocks)})
