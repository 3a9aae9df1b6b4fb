"""Status colours and labels, and the scales the report charts them on.

The scales are those of the record types that carry a status (models/registry.py), plus goals, which
carry statuses of the assignment scale but are counted apart from the assignments under them.
"""
from __future__ import annotations

from collections import Counter
from typing import Any

from extract.report.data import KIND_TITLES
from extract.rules.base import base_rules
from models.registry import MARKED_TYPES

NO_MARK = "no mark"
NO_MARK_COLOR = "#b9bec6"
GOAL_SCALE = "goal"
SCALES = tuple(t.scale for t in MARKED_TYPES)
"""The status scales of records, in registry order."""
KIND_SCALES = {t.name: t.scale for t in MARKED_TYPES}
"""Record type → the scale its status is on, for the types that carry one."""
SCALE_TITLES = {**{t.scale: KIND_TITLES[t.name] for t in MARKED_TYPES}, GOAL_SCALE: "Goals reported on"}


def _scale(scale: str) -> str:
    return "assignment" if scale == GOAL_SCALE else scale


class Palette:
    """Status colours and labels: the documents' own legends first, the default legend of the rules after."""

    def __init__(self, legend: list[dict[str, Any]]):
        rules = base_rules().status
        self.vocabularies = {scale: list(statuses) for scale, statuses in rules.vocabularies.items()}
        self.vocabularies[GOAL_SCALE] = self.vocabularies.get(_scale(GOAL_SCALE), [])
        self._color: dict[tuple[str, str], str] = {}
        self._label: dict[tuple[str, str], str] = {}
        for entry in rules.default_legend:
            self._color[entry.scale, entry.status] = rules.color_hex(entry.color)
            self._label[entry.scale, entry.status] = entry.label
        printed = Counter((row["scale"], row["status"], row["color"], row["label"]) for row in legend
                          if row.get("source") == "document")
        for (scale, status, color, label), _ in reversed(printed.most_common()):
            if color:
                self._color[scale, status] = color
            self._label[scale, status] = label

    def color(self, scale: str, status: str | None) -> str:
        if status is None:
            return NO_MARK_COLOR
        return self._color.get((_scale(scale), status), NO_MARK_COLOR)

    def label(self, scale: str, status: str | None) -> str:
        return self._label.get((_scale(scale), status), status or NO_MARK)


def status_name(status: str | None) -> str:
    return status.replace("_", " ") if status else NO_MARK
