"""Action plans (handlingsplaner): metadata, goals, indicators and activities of one plan.

An action plan prints a field table of document metadata, an utvecklingsmål with its mål, tables
of indicators per delmål (a delmål repeats one of the mål, so it links to it rather than adding a
goal), and numbered activity tables that sit under a strategy or a fokusområde heading. Every word
the document prints to mark these parts comes from the family's rules.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from typing import Literal

from extract.records.families import Context, FamilyRecords, FamilyRules, family
from extract.records.readers.indicator_table import IndicatorRules, TableColumns, header_to_columns, row_to_indicator
from extract.rules import Regex, RuleModel
from extract.text.normalise import collapse, match_to_date
from models import Activity, Goal
from models.segments import Block, Row, SegmentedDocument, StitchedTable

DocumentField = Literal["doc_type", "version", "decided_date", "decided_by", "diarienummer",
                        "period_start", "period_end"]
DATE_FIELDS = ("decided_date", "period_start", "period_end")


class FieldRules(RuleModel):
    labels: dict[DocumentField, list[str]]
    date_pattern: Regex


class GoalRules(RuleModel):
    development_heading: Regex
    goal_label: Regex
    sub_goal_heading: Regex


class ActivityRules(RuleModel):
    header: Regex
    purpose_label: Regex
    responsible_label: Regex
    performer_label: Regex
    strategy_heading: Regex
    focus_area_heading: Regex
    title_suffixes: list[Regex] = []


class ActionPlanRules(FamilyRules):
    family: Literal["action_plan"]
    fields: FieldRules
    goals: GoalRules
    indicators: IndicatorRules
    activities: ActivityRules


def _match(pattern: str, text: str) -> re.Match[str] | None:
    return re.search(pattern, collapse(text), re.IGNORECASE)


def _key(text: str) -> str:
    return collapse(text).casefold()


def text_to_date(text: str, pattern: str) -> dt.date | None:
    match = _match(pattern, text)
    return match_to_date(match) if match else None


def table_to_document_fields(table: StitchedTable, rules: FieldRules, doc_types: frozenset[str]) -> dict[str, object]:
    """Label/value pairs of a field table: each value is the cell right of its label."""
    by_label = {_key(label): name for name, labels in rules.labels.items() for label in labels}
    found: dict[str, object] = {}
    for cells in [table.header, *(row.cells for row in table.rows)]:
        for label, value in zip(cells, cells[1:]):
            name = by_label.get(_key(label))
            if name is None or name in found or not collapse(value):
                continue
            if name in DATE_FIELDS:
                date = text_to_date(value, rules.date_pattern)
                if date is not None:
                    found[name] = date
            elif name == "doc_type":
                if collapse(value).lower() in doc_types:
                    found[name] = collapse(value).lower()
            else:
                found[name] = collapse(value)
    return found


@dataclass
class _State:
    """What the reader has seen so far: the goals, and the headings the current block sits under."""

    context: Context
    rules: ActionPlanRules
    found: FamilyRecords = field(default_factory=FamilyRecords)
    development: Goal | None = None
    goals_by_title: dict[str, Goal] = field(default_factory=dict)
    headings: list[tuple[int, str]] = field(default_factory=list)
    indicator_goal: Goal | None = None
    indicator_group: str | None = None
    open_goal: tuple[Block, list[str]] | None = None

    def enter_heading(self, level: int, title: str) -> None:
        while self.headings and self.headings[-1][0] >= level:
            self.headings.pop()
        self.headings.append((level, title))

    def heading_matching(self, pattern: str) -> re.Match[str] | None:
        for _, title in reversed(self.headings):
            match = _match(pattern, title)
            if match:
                return match
        return None

    def add_goal(self, block: Block, level: str, number: str | None, title: str,
                 parent: Goal | None) -> Goal:
        goal = self.context.record(
            Goal, ("goal", level, number, title), page_no=block.page_no, bbox=block.bbox,
            raw_text=block.raw_text or block.text, parent_goal_id=parent.goal_id if parent else None,
            level=level, number=number, title=title)
        self.found.goals.append(goal)
        self.goals_by_title.setdefault(_key(title), goal)
        return goal


def _strip_suffixes(title: str, suffixes: list[str]) -> str:
    for suffix in suffixes:
        title = re.sub(suffix, "", title, flags=re.IGNORECASE)
    return title.strip()


def heading_to_state(state: _State, block: Block, title: str) -> None:
    rules = state.rules.goals
    state.enter_heading(block.level or 1, title)
    development = _match(rules.development_heading, title)
    if development:
        state.development = state.add_goal(block, "development", development["number"],
                                           collapse(development["title"]), None)
        return
    sub_goal = _match(rules.sub_goal_heading, title)
    if sub_goal:
        name = collapse(sub_goal["title"])
        state.indicator_goal = state.goals_by_title.get(_key(name)) or state.add_goal(
            block, "sub_goal", None, name, state.development)
        state.indicator_group = None


def line_to_state(state: _State, block: Block, text: str) -> None:
    """Goals printed under the utvecklingsmål as a label line ("Mål:") with the title on it or on
    the lines after it in the label's size."""
    rules = state.rules.goals
    label = _match(rules.goal_label, text) if state.heading_matching(rules.development_heading) else None
    if state.open_goal is not None and label is None and _continues_label(state.open_goal[0], block):
        state.open_goal[1].append(text)
        return
    close_goal(state)
    if label is not None:
        state.open_goal = (block, [label["title"]] if label["title"] else [])


def _continues_label(label: Block, line: Block) -> bool:
    return (not line.bold and line.size is not None and label.size is not None
            and abs(line.size - label.size) <= 0.1)


def close_goal(state: _State) -> None:
    if state.open_goal is None:
        return
    block, parts = state.open_goal
    state.open_goal = None
    if not parts:
        state.context.drop("goal label without a title", block.page_no, "goals.goal_label")
        return
    state.add_goal(block, "goal", None, collapse(" ".join(parts)), state.development)


def row_to_state(state: _State, row: Row, columns: TableColumns) -> None:
    """An indicator row under the goal its goal cell names (else the goal above), a group row as the
    group of the rows below it."""
    cells = row.cells
    if columns.goal is not None and columns.goal < len(cells) and collapse(cells[columns.goal]):
        state.indicator_goal = state.goals_by_title.get(_key(cells[columns.goal]), state.indicator_goal)
    if columns.is_group(row):
        state.indicator_group = columns.name_of(row)
        return
    goal_id = state.indicator_goal.goal_id if state.indicator_goal else None
    indicator = row_to_indicator(row, columns, state.rules.indicators, state.context, goal_id, state.indicator_group)
    if indicator is not None:
        state.found.indicators.append(indicator)


def _label_index(rows: list[Row], pattern: str) -> int | None:
    """The first row with a cell matching the label pattern."""
    return next((i for i, row in enumerate(rows) if any(_match(pattern, cell) for cell in row.cells)), None)


def table_to_activity(state: _State, block: Block, number: int) -> Activity | None:
    """Title in the first row, purpose between its label row and the people's label row, responsible
    and performer under their labels; strategy and focus area from the headings above."""
    rules = state.rules.activities
    table = block.table
    rows = table.rows
    if not rows:
        state.context.drop(f"activity {number} has no rows", block.page_no, "activities.header")
        return None
    title = collapse(" ".join(rows[0].cells))
    purpose_at = _label_index(rows, rules.purpose_label)
    people_at = _label_index(rows, rules.responsible_label)
    purpose_rows = rows[purpose_at + 1: people_at] if purpose_at is not None else []
    purpose = collapse(" ".join(" ".join(row.cells) for row in purpose_rows))
    responsible = performer = None
    if people_at is not None and people_at + 1 < len(rows):
        labels, names = rows[people_at].cells, rows[people_at + 1].cells
        for label, name in zip(labels, names):
            if _match(rules.responsible_label, label):
                responsible = collapse(name) or None
            elif _match(rules.performer_label, label):
                performer = collapse(name) or None
    strategy = state.heading_matching(rules.strategy_heading)
    focus_area = state.heading_matching(rules.focus_area_heading)
    raw = "\n".join(" | ".join(row.raw_cells) for row in rows)
    return state.context.record(
        Activity, ("activity", number, title), page_no=block.page_no, bbox=block.bbox,
        raw_text=f"{' | '.join(table.header)}\n{raw}",
        goal_id=state.development.goal_id if state.development else None,
        number=number, title=title,
        strategy=_strip_suffixes(collapse(strategy["title"]), rules.title_suffixes) if strategy else None,
        focus_area=_strip_suffixes(collapse(focus_area["title"]), rules.title_suffixes) if focus_area else None,
        purpose=purpose or None, responsible=responsible, performer=performer)


def table_to_state(state: _State, block: Block) -> None:
    table = block.table
    rules = state.rules
    if not state.found.document_fields:
        fields = table_to_document_fields(table, rules.fields, state.context.doc_types)
        if fields:
            state.found.document_fields = fields
            return
    header = table.header[0] if table.header else ""
    activity = _match(rules.activities.header, header)
    if activity:
        if not activity["number"]:
            text = collapse(" ".join(" ".join(row.cells) for row in table.rows))
            state.context.drop(f"activity table without a number: {text[:80]!r}", block.page_no,
                               "activities.header")
            return
        record = table_to_activity(state, block, int(activity["number"]))
        if record is not None:
            state.found.activities.append(record)
        return
    columns = header_to_columns(table.header, rules.indicators)
    if columns is None:
        return
    for row in table.rows:
        row_to_state(state, row, columns)


def action_plan_evidence(segmented: SegmentedDocument, rules: ActionPlanRules) -> int:
    """Numbered activity tables, and indicator tables where an utvecklingsmål heading says the document
    is an action plan (an indicator table alone is any report's)."""
    planned = any(_match(rules.goals.development_heading, block.text) for block in segmented.blocks
                  if block.kind == "heading")
    count = 0
    for block in segmented.blocks:
        if block.table is None:
            continue
        activity = _match(rules.activities.header, block.table.header[0] if block.table.header else "")
        count += bool((planned and header_to_columns(block.table.header, rules.indicators))
                      or (activity and activity["number"]))
    return count


@family(ActionPlanRules, detect=action_plan_evidence)
def action_plan_to_records(segmented: SegmentedDocument, rules: ActionPlanRules, context: Context) -> FamilyRecords:
    state = _State(context=context, rules=rules)
    for block in segmented.blocks:
        text = collapse(block.text)
        if block.kind == "line":
            line_to_state(state, block, text)
            continue
        close_goal(state)
        if block.kind == "heading":
            heading_to_state(state, block, text)
        elif block.table is not None:
            table_to_state(state, block)
    close_goal(state)
    return state.found
