"""The seed ranges: development (looked at while writing the tool) and held apart (measured only)."""
from __future__ import annotations

RANGES = {"dev": range(0, 240), "held": range(1000, 1060)}
