"""Table → the tables it holds: two ruled tables set one right under the other share a rule, and
pdfplumber's grid finder joins them into one whose columns are the union of both ('Nämndmål | Ansvar |
Kommentar | Status' over 'Uppdrag | Kommentar | Status'). Rows of one table share their column
boundaries, give or take a cell spanning several; where two neighbouring rows share none of their
inner boundaries, a new table starts."""
from __future__ import annotations

from models.layout import Cell, Table


def _inner_boundaries(cells: list[Cell], left: float, right: float, tolerance: float) -> list[float]:
    edges = {round(x, 1) for c in cells if c.bbox for x in (c.bbox[0], c.bbox[2])}
    return sorted(x for x in edges if left + tolerance < x < right - tolerance)


def _share_any(a: list[float], b: list[float], tolerance: float) -> bool:
    return any(abs(x - y) <= tolerance for x in a for y in b)


def _part(cells: list[Cell]) -> Table:
    rows = {r: i for i, r in enumerate(sorted({c.row for c in cells}))}
    cols = {k: i for i, k in enumerate(sorted({c.col for c in cells}))}
    boxes = [c.bbox for c in cells if c.bbox]
    bbox = (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))
    return Table(bbox=bbox, n_rows=len(rows), n_cols=len(cols),
                 cells=[c.model_copy(update={"row": rows[c.row], "col": cols[c.col]}) for c in cells])


def table_to_parts(table: Table, tolerance: float) -> list[Table]:
    """The table, or the tables stacked in it where a row's inner column boundaries (cell edges
    within `tolerance` points count as one) share none with the row above; each part keeps only the
    columns its own cells use."""
    if table.bbox is None or table.n_rows < 2:
        return [table]
    left, _, right, _ = table.bbox
    by_row: dict[int, list[Cell]] = {}
    for cell in table.cells:
        by_row.setdefault(cell.row, []).append(cell)
    rows = sorted(by_row)
    bounds = {r: _inner_boundaries(by_row[r], left, right, tolerance) for r in rows}
    starts = [rows[0]] + [r for above, r in zip(rows, rows[1:])
                          if bounds[above] and bounds[r] and not _share_any(bounds[above], bounds[r], tolerance)]
    if len(starts) == 1:
        return [table]
    ends = starts[1:] + [rows[-1] + 1]
    return [_part([c for r in rows if start <= r < end for c in by_row[r]]) for start, end in zip(starts, ends)]
