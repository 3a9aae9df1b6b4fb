"""Indicator tables: a name column, one column per period, perhaps a target column. Values read with
decimal commas, thousands separators and trend arrows; a missing-value marker is None, never zero."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from pydantic import model_validator

from extract.records.families import Context
from extract.rules import Regex, RuleModel
from extract.text.normalise import collapse
from models import Indicator, IndicatorValue
from models.records import stable_id
from models.segments import Row


def _match(pattern: str, text: str) -> re.Match[str] | None:
    return re.search(pattern, collapse(text), re.IGNORECASE)


class IndicatorColumns(RuleModel):
    goal: Regex
    name: Regex
    period: Regex
    target: Regex


class UnitRule(RuleModel):
    pattern: Regex
    unit: str | None = None
    """The unit a name matching `pattern` is in; unset: the text of the pattern's group `unit`."""

    @model_validator(mode="after")
    def _unit_given(self) -> UnitRule:
        if self.unit is None and "unit" not in re.compile(self.pattern).groupindex:
            raise ValueError(f"a unit rule needs `unit` or a group named unit: {self.pattern}")
        return self

    def name_to_unit(self, name: str) -> str | None:
        match = _match(self.pattern, name)
        if match is None:
            return None
        return self.unit if self.unit is not None else collapse(match["unit"])


class DirectionRule(RuleModel):
    pattern: Regex
    direction: Literal["increase", "decrease"]


class IndicatorRules(RuleModel):
    columns: IndicatorColumns
    units: list[UnitRule] = []
    directions: list[DirectionRule] = []
    missing_values: list[str] = []
    decimal_separator: str = ","
    thousands_separators: list[str] = []
    ignored_characters: list[str] = []
    """Characters a value cell may carry beside its number (trend arrows), left out before reading it."""


def cell_to_value(text: str, rules: IndicatorRules) -> tuple[bool, float | None]:
    """(readable, value): a missing marker reads as None, a number with a decimal comma as a float."""
    for character in rules.ignored_characters:
        text = text.replace(character, " ")
    text = collapse(text)
    if text in rules.missing_values:
        return True, None
    for separator in rules.thousands_separators:
        text = text.replace(separator, "")
    text = text.replace(rules.decimal_separator, ".").replace("\u2212", "-")
    try:
        return True, float(text)
    except ValueError:
        return False, None


@dataclass
class TableColumns:
    goal: int | None
    name: int
    target: int | None
    periods: dict[int, str]

    def value_cells(self, cells: list[str]) -> list[str]:
        wanted = [*self.periods, *([self.target] if self.target is not None else [])]
        return [cells[i] for i in wanted if i < len(cells)]

    def name_of(self, row: Row) -> str:
        return collapse(row.cells[self.name]) if self.name < len(row.cells) else ""

    def is_group(self, row: Row) -> bool:
        """A row naming a group of the indicators below it: a name and no values."""
        return bool(self.name_of(row)) and not any(collapse(cell) for cell in self.value_cells(row.cells))


def header_to_columns(header: list[str], rules: IndicatorRules) -> TableColumns | None:
    """The columns of an indicator table, or None when the header is not one."""
    roles: dict[str, int] = {}
    periods: dict[int, str] = {}
    for index, cell in enumerate(header):
        period = _match(rules.columns.period, cell)
        if period:
            periods[index] = period["period"]
            continue
        for role in ("goal", "name", "target"):
            if role not in roles and _match(getattr(rules.columns, role), cell):
                roles[role] = index
                break
    if "name" not in roles or not periods:
        return None
    return TableColumns(goal=roles.get("goal"), name=roles["name"], target=roles.get("target"), periods=periods)


def row_to_indicator(row: Row, columns: TableColumns, rules: IndicatorRules, context: Context,
                     goal_id: str | None, group: str | None) -> Indicator | None:
    """The indicator of one body row (not a group row), its unreadable values dropped with a reason."""
    name = columns.name_of(row)
    if not name or columns.is_group(row):
        return None
    key = ("indicator", goal_id, group, name)
    indicator_id = stable_id(context.document_id, *key)
    values: list[IndicatorValue] = []
    for index, period in columns.periods.items():
        cell = row.cells[index] if index < len(row.cells) else ""
        if not collapse(cell):
            continue
        readable, value = cell_to_value(cell, rules)
        if not readable:
            context.drop(f"unreadable value {collapse(cell)!r} for {period} of {name!r}", row.page_no,
                         "indicators.missing_values")
            continue
        values.append(IndicatorValue(indicator_id=indicator_id, period=period, value=value))
    cells = row.cells
    target = collapse(cells[columns.target]) if columns.target is not None and columns.target < len(cells) else ""
    direction = next((d.direction for d in rules.directions if _match(d.pattern, target)), None)
    unit = next((unit for unit in (u.name_to_unit(name) for u in rules.units) if unit), None)
    return context.record(
        Indicator, key, page_no=row.page_no, bbox=row.bbox, raw_text=" | ".join(row.raw_cells), goal_id=goal_id,
        group_name=group, name=name, unit=unit, target=target or None, direction=direction, values=values)
