"""Segment stage: cut a document's pages into a section tree of headings, lines and tables.

Running headers, footers, page numbers and table-of-contents entries are left out; tables that
run over a page break are stitched into one with the repeated header row dropped; every status
mark is attached to the table row or text line it sits on.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from functools import cached_property

from pydantic import BaseModel, ConfigDict

from extract.settings import SegmentRules, base_rules
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
    heading_join_gap: float = 6.0
    """Vertical gap (points) under which consecutive heading lines of one style are one heading."""
    table_tolerance: float = 2.0
    toc_min_entries: int = 4
    """A page with this many dot-leader entries holds a table of contents."""


SETTINGS = SegmentSettings()


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _furniture_key(text: str) -> str:
    return re.sub(r"\d+", "#", _norm(text).lower())


def _inside(inner: BBox, outer: BBox, tol: float) -> bool:
    cx, cy = (inner[0] + inner[2]) / 2, (inner[1] + inner[3]) / 2
    return outer[0] - tol <= cx <= outer[2] + tol and outer[1] - tol <= cy <= outer[3] + tol


def _union(boxes: list[BBox]) -> BBox | None:
    if not boxes:
        return None
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


def _strip_glyphs(text: str, marks: list[Mark]) -> str:
    for glyph in {m.glyph for m in marks if m.glyph}:
        text = re.sub(rf"^\s*{re.escape(glyph)}\s*", "", text)
    return text


class _Segmenter:
    def __init__(self, layout: LayoutDocument, repaired: LayoutDocument, rules: SegmentRules,
                 settings: SegmentSettings):
        self.layout, self.repaired, self.rules, self.settings = layout, repaired, rules, settings
        self.page_number = [re.compile(p, re.IGNORECASE) for p in rules.page_number_patterns]
        self.toc = [re.compile(p) for p in rules.toc_patterns]
        self.heading_patterns = [(re.compile(h.pattern), h.level) for h in rules.heading_patterns]

    # -- page furniture -------------------------------------------------------------------
    def _in_band(self, page: LayoutPage, line: TextLine) -> bool:
        if not line.bbox or not page.height:
            return False
        band = page.height * self.settings.furniture_band
        return line.bbox[3] <= band or line.bbox[1] >= page.height - band

    @cached_property
    def furniture(self) -> set[str]:
        pages_with: Counter[str] = Counter()
        for page in self.layout.pages:
            pages_with.update({_furniture_key(l.text) for l in page.lines if self._in_band(page, l)})
        text_pages = sum(1 for p in self.layout.pages if p.lines)
        if text_pages < 2:
            return set()
        need = max(2, self.settings.furniture_min_share * text_pages)
        return {key for key, count in pages_with.items() if count >= need and key}

    def _is_furniture(self, page: LayoutPage, line: TextLine) -> bool:
        if not self._in_band(page, line):
            return False
        text = _norm(line.text)
        return _furniture_key(text) in self.furniture or any(p.match(text) for p in self.page_number)

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
    def body_size(self) -> float | None:
        sizes: Counter[float] = Counter()
        for page in self.layout.pages:
            for line in self._running_lines(page):
                if line.size:
                    sizes[round(line.size, 1)] += len(line.text)
        return sizes.most_common(1)[0][0] if sizes else None

    @cached_property
    def heading_sizes(self) -> list[float]:
        if self.body_size is None:
            return []
        sizes = {round(l.size, 1) for p in self.layout.pages for l in self._running_lines(p)
                 if l.size and l.size >= self.body_size + self.settings.heading_min_delta}
        return sorted(sizes, reverse=True)

    def _running_lines(self, page: LayoutPage) -> list[TextLine]:
        """Lines outside tables: the text whose sizes tell body from headings."""
        boxes = [t.bbox for t in page.tables if t.bbox]
        tol = self.settings.table_tolerance
        return [l for l in page.lines if not (l.bbox and any(_inside(l.bbox, b, tol) for b in boxes))]

    def _heading_level(self, line: TextLine) -> int | None:
        text = _norm(line.text)
        if not text:
            return None
        for pattern, level in self.heading_patterns:
            if pattern.search(text):
                return level
        if line.size and round(line.size, 1) in self.heading_sizes:
            return self.heading_sizes.index(round(line.size, 1)) + 1
        if (line.bold and self.body_size and line.size and line.size >= self.body_size - 0.1
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
            bbox = _union(boxes.get(index, []))
            row_marks = [m for m in marks if bbox and _inside(m.bbox, bbox, self.settings.table_tolerance)]
            rows.append(Row(page_no=page_no, bbox=bbox, marks=row_marks,
                            cells=[_strip_glyphs(c, row_marks).strip() for c in cells],
                            raw_cells=[c.strip() for c in raw_grid[index]]))
        return rows

    # -- blocks ---------------------------------------------------------------------------
    def page_blocks(self, page: LayoutPage, repaired: LayoutPage) -> list[Block]:
        tol = self.settings.table_tolerance
        table_boxes = [t.bbox for t in page.tables if t.bbox]
        marks_left = list(page.marks)
        positioned: list[tuple[float, float, Block]] = []

        for table, raw in zip(repaired.tables, page.tables):
            inside = [m for m in marks_left if table.bbox and _inside(m.bbox, table.bbox, tol)]
            marks_left = [m for m in marks_left if m not in inside]
            rows = self._table_rows(table, raw, page.page_no, inside)
            if not rows:
                continue
            stitched = StitchedTable(header=rows[0].cells, rows=rows[1:], page_no=page.page_no, bbox=table.bbox)
            top = table.bbox[1] if table.bbox else 0.0
            positioned.append((top, table.bbox[0] if table.bbox else 0.0,
                               Block(kind="table", page_no=page.page_no, bbox=table.bbox, table=stitched)))

        toc_top = self._toc_start(page)
        for line, raw in zip(repaired.lines, page.lines):
            if line.bbox and any(_inside(line.bbox, box, tol) for box in table_boxes):
                continue
            if self._is_furniture(page, raw) or self._is_toc(raw) or not line.text.strip():
                continue
            if toc_top is not None and line.bbox and line.bbox[1] >= toc_top:
                continue
            line_marks = [m for m in marks_left if line.bbox and m.bbox[1] <= (line.bbox[1] + line.bbox[3]) / 2 <= m.bbox[3]]
            marks_left = [m for m in marks_left if m not in line_marks]
            level = self._heading_level(line)
            block = Block(kind="heading" if level else "line", level=level, page_no=page.page_no, bbox=line.bbox,
                          text=_strip_glyphs(_norm(line.text), line_marks), raw_text=_norm(raw.text),
                          size=line.size, bold=line.bold, color=line.color, marks=line_marks)
            positioned.append((line.bbox[1] if line.bbox else len(positioned), line.bbox[0] if line.bbox else 0.0,
                               block))
        for mark in marks_left:
            positioned.append((mark.bbox[1], mark.bbox[0], Block(kind="line", page_no=page.page_no, bbox=mark.bbox,
                                                                 marks=[mark])))
        positioned.sort(key=lambda item: (item[0], item[1]))
        return [block for _, _, block in positioned]

    def blocks(self) -> list[Block]:
        blocks: list[Block] = []
        for page, repaired in zip(self.layout.pages, self.repaired.pages):
            page_blocks = self.page_blocks(page, repaired)
            if page_blocks and page_blocks[0].kind == "table" and blocks and blocks[-1].kind == "table" \
                    and blocks[-1].page_no == page.page_no - 1:
                merged = _stitch(blocks[-1], page_blocks[0], self._reaches_bottom(blocks[-1]))
                if merged is not None:
                    blocks[-1] = merged
                    page_blocks = page_blocks[1:]
            blocks.extend(self._join_headings(page_blocks))
        return blocks

    def _reaches_bottom(self, block: Block) -> bool:
        page = self.layout.pages[block.page_no - 1]
        if not (block.bbox and page.height):
            return False
        return block.bbox[3] >= page.height * (1 - self.settings.furniture_band) - self.settings.table_tolerance

    def _join_headings(self, blocks: list[Block]) -> list[Block]:
        joined: list[Block] = []
        for block in blocks:
            prev = joined[-1] if joined else None
            if (prev and prev.kind == block.kind == "heading" and prev.size == block.size and prev.bold == block.bold
                    and prev.bbox and block.bbox and 0 <= block.bbox[1] - prev.bbox[3] <= self.settings.heading_join_gap
                    and not any(p.search(block.text) for p, _ in self.heading_patterns)):
                joined[-1] = prev.model_copy(update={
                    "text": f"{prev.text} {block.text}", "raw_text": f"{prev.raw_text} {block.raw_text}",
                    "bbox": _union([prev.bbox, block.bbox]), "marks": prev.marks + block.marks})
            else:
                joined.append(block)
        return joined


def _stitch(first: Block, second: Block, first_reaches_bottom: bool) -> Block | None:
    """The continuation of `first` on the next page, merged into it; None if it is another table.

    A continuation repeats the header row (dropped here), or follows a table that ran into the
    page's bottom band without one."""
    a, b = first.table, second.table
    if a is None or b is None or len(a.header) != len(b.header):
        return None
    rows = list(b.rows)
    if [_norm(c) for c in b.header] != [_norm(c) for c in a.header]:
        if not first_reaches_bottom:
            return None
        rows.insert(0, Row(page_no=b.page_no, bbox=None, cells=b.header, raw_cells=b.header))
    return first.model_copy(update={"table": a.model_copy(update={"rows": a.rows + rows})})


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


def iter_blocks(layout: LayoutDocument, repaired: LayoutDocument | None = None,
                settings: SegmentSettings = SETTINGS) -> Iterator[Block]:
    yield from _Segmenter(layout, repaired or layout, base_rules().segment, settings).blocks()


def layout_to_segments(layout: LayoutDocument, repaired: LayoutDocument | None = None,
                       settings: SegmentSettings = SETTINGS) -> SegmentedDocument:
    """The public entry point: `repaired` is the same document after the repair stage (texts
    changed, structure the same); without it the raw text is used."""
    repaired = repaired or layout
    blocks = list(iter_blocks(layout, repaired, settings))
    return SegmentedDocument(layout=layout, texts={p.page_no: p.raw_text for p in repaired.pages},
                             blocks=blocks, sections=blocks_to_sections(blocks))
