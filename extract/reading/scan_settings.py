"""Settings of the scan reader (rendering, objects from pixels, dot leaders), kept apart from the
modules that use them: a process that only builds or passes settings need not load OpenCV."""
from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class RasterSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    dpi: int = 300
    """Render resolution; a scan whose pictures hold fewer pixels is rendered at their own resolution."""
    min_dpi: int = 200
    ink_level: int = 150
    """Grey level (0..255, after white balance) below which a pixel is ink."""
    rule_level: int = 235
    """Grey level below which a pixel may belong to a ruled line: hairline grey rules blur to a light
    grey, and only runs as long as a rule count, so specks of noise do not."""
    max_skew: float = 2.0
    """Largest skew (degrees) looked for; scanners set pages a degree or so askew."""
    skew_step: float = 0.05
    background_cells: int = 24
    """The paper colour is estimated on a grid this many cells across."""


class LeaderSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    max_dot: float = 3.2
    """Largest side (points) of a leader's dot."""
    max_pitch: float = 15.0
    """Largest distance (points) from one dot to the next."""
    pitch_tolerance: float = 0.35
    """How far (relative) a gap between dots may stray from the run's usual gap."""
    min_dots: int = 5
    row_tolerance: float = 0.8
    """How far (points) the centres of one row's dots may lie from each other vertically."""


class ImageObjectSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    min_rule_length: float = 24.0
    """Shortest ruled line (points); letters and underlined words are shorter."""
    max_rule_thickness: float = 3.0
    min_cell_rule: float = 9.0
    """Shortest vertical cell border (points), where it runs from one horizontal rule to another."""
    rule_join: float = 2.5
    """How far (points) a cell border's ends may lie from the rules they meet."""
    rule_clearance: float = 2.5
    max_ink_above: float = 0.5
    """Share of a horizontal run's length with ink within `rule_clearance` points above it, beyond which
    the run is the foot of a line of letters."""
    """How far (points) a cell border's ends may lie from the rules they meet."""
    min_chroma: float = 16.0
    """CIELAB chroma above which a white-balanced pixel counts as coloured (paper and grey ink stay near 0)."""
    min_colour_share: float = 1e-4
    """Share of a page's pixels in colour from which it counts as printed in colour (a coloured heading)."""
    min_mark_size: float = 3.5
    """Smallest side (points) of a mark."""
    max_mark_size: float = 25.0
    max_mark_aspect: float = 2.0
    min_fill_size: float = 10.0
    """A coloured area at least this high and wider than a mark is a cell background."""
    fill_colour_step: float = 40.0
    """Change in any channel (0..255) from one pixel row of a coloured area to the next that starts
    another cell's fill."""
    min_fill_ratio: float = 0.55
    """Share of its box a cell background covers (the text printed on it takes the rest)."""
    min_blob_size: float = 5.0
    """Smallest length (points) of a mark without colour: the dots over an ä in a large heading are smaller."""
    min_blob_thickness: float = 1.8
    """Smallest width (points) of a mark without colour: a bar mark (▬) is thicker than a dash."""
    max_blob_aspect: float = 2.8
    min_blob_solidity: float = 0.7
    """Share of its box a dark blob covers to be a solid mark rather than a letter with a counter."""
    min_blob_core: float = 0.6
    """Share of its box darker than halfway from the blob's own grey to the paper: letters run together
    by the blur keep light gaps between their strokes, a solid mark does not."""
    bullet_lookalikes: str = "«»•·*°+"
    """What OCR reads a list bullet as when it runs the bullet into the item's first word."""
    neighbour_gap: float = 0.3
    """A coloured component with one of its own colour closer than this many times the taller one's
    height, beside it on the same line, is a letter of a coloured word (a word space is about 0.45 of
    a capital's height, the gap between letters 0.15)."""
    text_window: float = 3.0
    """A candidate mark with one of its own colour this close (times its size) on its line is read by OCR
    before it is taken for a mark."""
    text_confidence: float = 85.0
    text_symbols: str = "&+%/#§,;"
    """Symbols of running text a mark is never read as (not a dash: a bar mark reads as one)."""
    leaders: LeaderSettings = LeaderSettings()
