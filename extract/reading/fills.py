"""Table cells filled with a status colour: a traffic-light column printed as cell backgrounds.

A fill is a filled rectangle in a colour (not grey header shading) that covers one table cell; it
becomes a mark of kind `fill` with the cell's box, and the table finder never sees it, since its
edges would otherwise cut the cell it fills.
"""
from __future__ import annotations

from extract.reading.marks import MarkSettings, color_to_hex, hex_to_rgb, obj_bbox
from models.layout import BBox, Mark, Table


def is_cell_fill(obj: dict, settings: MarkSettings) -> bool:
    """A filled rectangle in a colour, larger than a mark on some side and thicker than a rule: a cell's
    background, which a table finder must not take for the cell's borders."""
    if obj.get("object_type") != "rect" or not obj.get("fill"):
        return False
    width, height = obj["x1"] - obj["x0"], obj["bottom"] - obj["top"]
    if max(width, height) <= settings.max_size or min(width, height) < settings.min_size:
        return False
    color = color_to_hex(obj.get("non_stroking_color"))
    rgb = [v / 255 for v in hex_to_rgb(color)] if color else None
    return rgb is not None and max(rgb) - min(rgb) >= settings.fill_min_chroma


def _same_box(a: BBox, b: BBox, tol: float) -> bool:
    return all(abs(x - y) <= tol for x, y in zip(a, b))


def _area(box: BBox) -> float:
    return (box[2] - box[0]) * (box[3] - box[1])


def overlap_area(a: BBox, b: BBox) -> float:
    """The area two boxes share (0 where they do not meet)."""
    width = min(a[2], b[2]) - max(a[0], b[0])
    height = min(a[3], b[3]) - max(a[1], b[1])
    return width * height if width > 0 and height > 0 else 0.0


def is_fill_outline(table: Table, fills: list[dict], settings: MarkSettings) -> bool:
    """A one-column 'table' whose every cell is a fill: the edges a scan leaves around coloured cells,
    not a table."""
    if table.n_cols != 1 or not table.cells:
        return False
    boxes = [obj_bbox(fill) for fill in fills]
    return all(cell.bbox is not None and any(_same_box(cell.bbox, box, settings.fill_tolerance) for box in boxes)
               for cell in table.cells)


def _covers(fill: BBox, cell: BBox, share: float) -> bool:
    """Whether a fill and a cell are mostly one another (a cell found from its text's columns has
    edges a little off the drawn ones)."""
    overlap = overlap_area(fill, cell)
    return overlap > 0 and overlap >= share * _area(fill) and overlap >= share * _area(cell)


def _inside_share(cell: BBox, fill: BBox) -> float:
    area = _area(cell)
    return overlap_area(cell, fill) / area if area > 0 else 0.0


def fills_to_marks(fills: list[dict], cells: list[BBox], settings: MarkSettings) -> list[Mark]:
    """The cell fills (`is_cell_fill`) that fill a table cell (a traffic-light column): one mark each. A
    fill that holds whole cells of a column instead (same-coloured cells one under another, which a
    scan shows as one area; a cell whose column, found from its header word, starts inside the fill)
    gives each of those cells a mark, when they are all of one column: a fill across a row is a
    shaded header."""
    marks = []
    tol = settings.fill_tolerance
    for rect in fills:
        color = color_to_hex(rect.get("non_stroking_color"))
        box = obj_bbox(rect)
        if any(_same_box(box, cell, tol) or _covers(box, cell, settings.fill_overlap) for cell in cells):
            marks.append(Mark(kind="fill", shape="square", bbox=box, color=color))
            continue
        covered = [cell for cell in cells if _inside_share(cell, box) >= settings.fill_overlap]
        if covered and len({(round(c[0]), round(c[2])) for c in covered}) == 1:
            marks += [Mark(kind="fill", shape="square", bbox=cell, color=color) for cell in covered]
    return marks
