"""What continues across a line or a page: titles wrapped over several lines, and tables that run over a
page break. Both are decided here, once, from rules (`segment.heading_continuation` and
`segment.table_stitching` in rules/_base.yaml) that a document family may override."""
from __future__ import annotations

import re
from collections.abc import Iterable

from extract.rules.base import HeadingContinuation, TableStitching
from extract.text.normalise import collapse
from models import BBox
from models.segments import Block, Row


def union(boxes: Iterable[BBox | None]) -> BBox | None:
    boxes = [b for b in boxes if b is not None]
    if not boxes:
        return None
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


class _Joiner:
    def __init__(self, rule: HeadingContinuation, stops: Iterable[re.Pattern], ocr_pages: frozenset[int]):
        self.rule, self.stops, self.ocr_pages = rule, list(stops), ocr_pages
        self.opens = re.compile(rule.opens) if rule.opens else None

    def opens_title(self, block: Block) -> bool:
        if self.opens is not None:
            return block.kind != "table" and bool(self.opens.match(collapse(block.text)))
        return block.kind == "heading"

    def stopped(self, line: Block) -> bool:
        """A block that opens a title of its own never continues another."""
        return (self.opens is not None and bool(self.opens.match(collapse(line.text)))) \
            or any(p.search(line.text) for p in self.stops)

    def continues(self, opener: Block, last: Block, line: Block) -> bool:
        rule = self.rule
        ref = opener if rule.measure_from == "opener" else last
        if line.kind not in rule.joins or line.page_no != opener.page_no or self.stopped(line):
            return False
        scanned = line.page_no in self.ocr_pages
        if (rule.skip_marked and line.marks) or (rule.weight == "bold" and not line.bold) \
                or (rule.weight == "same" and line.bold != ref.bold and not _one_heading_read(ref, line, scanned)):
            return False
        if ref.size is None or line.size is None or ref.bbox is None or line.bbox is None:
            return False
        if scanned and rule.ocr_left_edge_tolerance is not None \
                and abs(ref.bbox[0] - line.bbox[0]) > rule.ocr_left_edge_tolerance:
            return False
        tolerance = rule.ocr_size_tolerance if scanned and rule.ocr_size_tolerance is not None else rule.size_tolerance
        if abs(ref.size - line.size) > tolerance:
            return False
        unit = ref.size if rule.gap_unit == "size" else 1.0
        return rule.gap_min * unit <= line.bbox[1] - ref.bbox[3] <= rule.gap_max * unit


def _one_heading_read(ref: Block, line: Block, scanned: bool) -> bool:
    """Two heading lines of one level on a scanned page, their weights told apart only by pixels (a
    wrapped heading's first line read regular, its last word bold)."""
    return scanned and ref.kind == line.kind == "heading" and ref.level == line.level


def join_continuations(blocks: list[Block], rule: HeadingContinuation, stops: Iterable[re.Pattern] = (),
                       ocr_pages: frozenset[int] = frozenset()) -> list[Block]:
    """Each title with the blocks that continue it joined on (text by spaces, raw text by line
    breaks, boxes united, marks kept); the continuing blocks are left out. `stops` are patterns of
    blocks that are titles of their own (the heading patterns)."""
    joiner = _Joiner(rule, stops, ocr_pages)
    joined: list[Block] = []
    index = 0
    while index < len(blocks):
        opener = last = blocks[index]
        index += 1
        if not joiner.opens_title(opener):
            joined.append(opener)
            continue
        parts = [opener]
        while index < len(blocks) and joiner.continues(opener, last, blocks[index]):
            last = blocks[index]
            parts.append(last)
            index += 1
        if len(parts) > 1:
            opener = opener.model_copy(update={
                "text": collapse(" ".join(b.text for b in parts)),
                "raw_text": "\n".join(b.raw_text or b.text for b in parts),
                "bbox": union(b.bbox for b in parts), "marks": [m for b in parts for m in b.marks]})
        joined.append(opener)
    return joined


def stitch(first: Block, second: Block, first_reaches_bottom: bool, rule: TableStitching) -> Block | None:
    """The continuation of `first` on the next page, merged into it; None if it is another table.

    A continuation repeats the header row (dropped here), or, without one, follows a table that ran
    into the page's bottom band (or any table of as many columns, where the rule says so). A first row
    that repeats some of the header's cells in their columns, but not all, is the header of another
    table."""
    a, b = first.table, second.table
    if a is None or b is None or len(a.header) != len(b.header):
        return None
    rows = list(b.rows)
    head_a, head_b = [collapse(c) for c in a.header], [collapse(c) for c in b.header]
    if head_b != head_a:
        if rule.without_header_needs_bottom and not first_reaches_bottom:
            return None
        if any(x and x == y for x, y in zip(head_a, head_b)):
            return None  # a header of its own that shares columns with the table above: another table
        rows.insert(0, Row(page_no=b.page_no, bbox=None, cells=b.header, raw_cells=b.header))
    previous = list(a.rows)
    if previous and rows and _is_row_fragment(rows[0], previous, first_reaches_bottom):
        last, fragment = previous[-1], rows.pop(0)
        previous[-1] = last.model_copy(update={
            "cells": _join_cells(last.cells, fragment.cells), "raw_cells": _join_cells(last.raw_cells, fragment.raw_cells)})
    return first.model_copy(update={"table": a.model_copy(update={"rows": previous + rows})})


def _is_row_fragment(row: Row, above: list[Row], reached_bottom: bool) -> bool:
    """The rest of a row a page break cut. Either it holds no marks and leaves empty the first column
    every row above fills (the title) while holding text elsewhere; or the table above ran into the
    page's foot and a cell of the row goes on, in lower case (after a bracket: a unit), from a cell above
    that ends mid-sentence."""
    cells = [collapse(c) for c in row.cells]
    if not any(cells):
        return False
    last = [collapse(c) for c in above[-1].cells]
    if reached_bottom and any(_opens_lower(c) and i < len(last) and last[i] and not last[i].endswith((".", "!", "?"))
                              for i, c in enumerate(cells)):
        return True
    filled = next((c for c in range(len(cells)) if all(c < len(r.cells) and collapse(r.cells[c]) for r in above)),
                  None)
    return not row.marks and filled is not None and not cells[filled]


def _opens_lower(text: str) -> bool:
    """Whether the text's first letter is lower case, after any opening bracket or quote ('(antal)')."""
    return next((ch for ch in text if ch.isalnum()), "").islower()


def _join_cells(top: list[str], rest: list[str]) -> list[str]:
    return [f"{a}\n{b}" if a and b else a or b for a, b in zip(top, rest)] + top[len(rest):]


def stitch_tables(blocks: list[Block], rule: TableStitching, page_heights: dict[int, float | None],
                  bottom_band: float, tolerance: float) -> list[Block]:
    """Blocks with every table that opens a page merged into the table that closes the page before,
    where it continues it. `bottom_band` is the share of the page height at its foot."""

    def reaches_bottom(block: Block) -> bool:
        height = page_heights.get(block.page_no)
        return bool(block.bbox and height) and block.bbox[3] >= height * (1 - bottom_band) - tolerance

    stitched: list[Block] = []
    for block in blocks:
        previous = stitched[-1] if stitched else None
        if previous is not None and previous.kind == block.kind == "table" and block.page_no == previous.page_no + 1:
            merged = stitch(previous, block, reaches_bottom(previous), rule)
            if merged is not None:
                stitched[-1] = merged
                continue
        stitched.append(block)
    return stitched


def _is_inner_header(row: Row, header: list[str]) -> bool:
    """A body row of which half the cells or more repeat header cells: the header of a table drawn
    against the one above, which a grid finder took for one table (the shared grid may shift columns)."""
    heads = {collapse(head) for head in header if collapse(head)}
    filled = [collapse(cell) for cell in row.cells if collapse(cell)]
    same = sum(cell in heads for cell in filled)
    return same >= 1 and 2 * same >= len(filled) and len(filled) >= 2


def _without_empty_columns(rows: list[Row]) -> list[Row]:
    """Rows without the columns that are empty in every row (left by a grid shared with another table)."""
    width = max(len(row.cells) for row in rows)
    keep = [c for c in range(width) if any(c < len(row.cells) and collapse(row.cells[c]) for row in rows)]
    if len(keep) == width:
        return rows
    return [row.model_copy(update={"cells": [row.cells[c] for c in keep if c < len(row.cells)],
                                   "raw_cells": [row.raw_cells[c] for c in keep if c < len(row.raw_cells)]})
            for row in rows]


def rows_to_tables(rows: list[Row]) -> list[list[Row]]:
    """A found table's rows (header first) as the tables they are: cut before every row that is a
    header of its own, each part without the columns empty throughout it."""
    parts: list[list[Row]] = [[rows[0]]]
    for row in rows[1:]:
        if _is_inner_header(row, parts[-1][0].cells):
            parts.append([row])
        else:
            parts[-1].append(row)
    return [_without_empty_columns(part) for part in parts]
