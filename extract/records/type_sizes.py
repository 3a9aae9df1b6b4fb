"""Type sizes measured from pixels → the few sizes a document is set in.

A size read from a scan wavers by a pixel or two from page to page, so a heading set in one size
would take two or three heading levels if sizes were compared exactly. Each measured size is moved
to the densest size near it (mean shift with a flat window over log sizes, weighted by how much text
has it): sizes split where text is rare between them, not where a chain of near sizes happens to
break.
"""
from __future__ import annotations

import math
from collections import Counter

WINDOW = 0.04
"""Half-width of the window, relative: sizes within 4% of a size pull it towards their mean (a
size measured from tall letters wavers by 2-3%; type sizes a document tells apart differ by 8% or more)."""


def _mode(start: float, points: list[tuple[float, int]], window: float) -> float:
    x = start
    for _ in range(100):
        near = [(p, w) for p, w in points if abs(p - x) <= window]
        moved = sum(p * w for p, w in near) / sum(w for _, w in near)
        if abs(moved - x) < 1e-6:
            break
        x = moved
    return x


def sizes_to_modes(weights: Counter[float], window: float = WINDOW) -> dict[float, float]:
    """Each size mapped to its cluster's size: the size most text in the cluster has, so a
    heading's size stays one a text layer could give (to half a point)."""
    points = [(math.log(size), weight) for size, weight in weights.items() if size > 0 and weight > 0]
    modes = {size: _mode(math.log(size), points, window) for size, weight in weights.items()
             if size > 0 and weight > 0}
    clusters: list[list[float]] = []
    for size in sorted(modes, key=modes.get):
        if clusters and modes[size] - modes[clusters[-1][-1]] <= window / 2:
            clusters[-1].append(size)
        else:
            clusters.append([size])
    snapped = {}
    for members in clusters:
        heaviest = max(members, key=lambda s: weights[s])
        snapped.update({size: round(heaviest * 2) / 2 for size in members})
    return snapped
