"""Goal sections: a report whose goal headings are each followed by what reports on that goal: status
tables of result goals and uppdrag, indicator tables, goals assessed in prose with a list of uppdrag,
numbered activities or an activity table. Each structure is read by its shared reader
(`extract/records/readers/`); this family finds the goals they hang under and makes the records.

A goal is the nearest heading above a structure that is not a caption: a heading printed over and
over ('Bedömning av resultatmål' under every goal), or one the rules name, is a caption. Every word
comes from the rules (`rules/families/goal_tables.yaml` and the readers' rules in `_base.yaml`); a
municipality file only refines them.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Literal

from extract.records.families import Context, FamilyRecords, FamilyRules, family
from extract.records.readers.activity_list import (ActivityListRules, ActivityParts, lines_to_activities,
                                                   section_to_activity, table_to_activities)
from extract.records.readers.indicator_table import IndicatorRules, header_to_columns, row_to_indicator
from extract.records.readers.narrative import (Assessed, NarrativeRules, find_assessed, item_to_title_status,
                                               section_items)
from extract.records.readers.status_table import (SCALE_TYPES, StatusTableRules, committee_pattern, names,
                                                  table_rows_to_records, table_to_scale, titles_to_committees)
from extract.records.status import blocks_to_legend, marks_to_status
from extract.rules import Regex, RuleModel, regex_with
from extract.rules.base import LegendLabel, StatusRules, base_rules
from extract.text.normalise import collapse
from models import Activity, Assignment, Goal, ResultGoal
from models.records import GoalLevel, StatusScale
from models.registry import MARKED_TYPES
from models.segments import SegmentedDocument, Section, StitchedTable

CountPattern = regex_with("count")
NumberPattern = regex_with("number")


class TotalRule(RuleModel):
    scale: StatusScale
    pattern: CountPattern
    """A sentence stating the total, with a named group `count`."""


class GoalTablesRules(FamilyRules, StatusTableRules):
    family: Literal["goal_tables"]
    table_section_patterns: list[Regex] = []
    """Titles of headings between a goal and its tables ("Bedömning av resultatmål"): the goal is the
    nearest enclosing section whose title matches none of these."""
    goal_level: GoalLevel = "overarching"
    goal_number_pattern: NumberPattern | None = None
    """Where goal headings print their number: a pattern with a named group `number`; else goals are
    numbered in order."""
    totals: list[TotalRule] = []
    legend_labels: dict[StatusScale, list[LegendLabel]] = {}
    """Legend wording this municipality prints, in addition to the labels in `_base.yaml`."""
    indicators: IndicatorRules | None = None
    narrative: NarrativeRules | None = None
    activity_lists: ActivityListRules | None = None


@dataclass
class GoalParts:
    """What one goal heading has under it."""

    section: Section
    parent: Section | None = None
    """The goal heading this one sits under, where both have records under them."""
    tables: list[StitchedTable] = field(default_factory=list)
    indicator_tables: list[StitchedTable] = field(default_factory=list)
    assessed: list[Assessed] = field(default_factory=list)
    activities: list[ActivityParts] = field(default_factory=list)


class _Finder:
    """Walks the section tree, hanging each structure under its goal heading."""

    def __init__(self, segmented: SegmentedDocument, rules: GoalTablesRules, status_rules: StatusRules):
        self.rules, self.status_rules = rules, status_rules
        self.between = [re.compile(p, re.IGNORECASE) for p in rules.table_section_patterns]
        self.recurring = Counter(_caption_key(s.title) for s in segmented.all_sections())
        self.goals: dict[int, GoalParts] = {}

    def is_caption(self, section: Section) -> bool:
        return (self.recurring[_caption_key(section.title)] > 1
                or any(p.search(collapse(section.title)) for p in self.between))

    def is_list_caption(self, text: str) -> bool:
        return is_list_caption(text, self.rules)

    def parts(self, section: Section) -> GoalParts:
        return self.goals.setdefault(id(section), GoalParts(section))

    def owner(self, chain: list[Section]) -> Section | None:
        return next((s for s in reversed(chain) if not self.is_caption(s)), None)

    def walk(self, section: Section, ancestors: list[Section]) -> None:
        chain = ancestors + [section]
        rules = self.rules
        activity = section_to_activity(section, rules.activity_lists) if rules.activity_lists else None
        if activity is not None and (owner := self.owner(ancestors)) is not None:
            self.parts(owner).activities.append(activity)
            return
        owner = self.owner(chain)
        for block in section.blocks:
            if block.kind != "table" or block.table is None or owner is None:
                continue
            if table_to_scale(block.table, rules):
                self.parts(owner).tables.append(block.table)
            elif rules.indicators and header_to_columns(block.table.header, rules.indicators):
                self.parts(owner).indicator_tables.append(block.table)
            elif rules.activity_lists and (rows := table_to_activities(block.table, rules.activity_lists)):
                self.parts(owner).activities.extend(rows)
        listed = lines_to_activities(section.blocks, rules.activity_lists) if rules.activity_lists else []
        if listed and owner is not None:
            self.parts(owner).activities.extend(listed)
        for child in section.children:
            self.walk(child, chain)

    def find(self, sections: list[Section]) -> list[GoalParts]:
        for top in sections:
            self.walk(top, [])
        if self.rules.narrative:
            for goal, assessed in find_assessed(sections, self.rules.narrative, self.status_rules,
                                                self.is_caption, self.is_list_caption):
                self.parts(goal).assessed.extend(assessed)
        position = {id(s): i for i, s in enumerate(s for top in sections for s in top.walk())}
        found = sorted(self.goals.values(), key=lambda p: position[id(p.section)])
        _nest(sections, self.goals)
        return found


def _nest(sections: list[Section], goals: dict[int, GoalParts]) -> None:
    """Each goal's parent: the nearest heading above it that is a goal too (the hierarchy the heading
    levels print: a målområde with records of its own and mål under it)."""
    def walk(section: Section, above: Section | None) -> None:
        parts = goals.get(id(section))
        if parts is not None:
            parts.parent = above
        for child in section.children:
            walk(child, section if parts is not None else above)

    for top in sections:
        walk(top, None)


def is_list_caption(text: str, rules: GoalTablesRules) -> bool:
    """A short line or heading naming what an assignment table's title column holds ('Uppdrag')."""
    headers = [h for table in rules.tables if table.scale == "assignment" for h in table.headers]
    return names(text, headers) and len(collapse(text).split()) <= 4


def _caption_key(title: str) -> str:
    return re.sub(r"^[\d.:)\s]+", "", collapse(title)).casefold()


def _goal_number(title: str, index: int, rules: GoalTablesRules) -> tuple[str, str]:
    """The number a goal heading prints, else its position among the goals; and its title."""
    if rules.goal_number_pattern:
        found = re.match(rules.goal_number_pattern, title, re.IGNORECASE)
        if found:
            return found.group("number"), collapse(title[found.end():])
    return str(index), collapse(title)


def _check_totals(segmented: SegmentedDocument, counts: dict[str, int], rules: GoalTablesRules,
                  context: Context) -> None:
    """A notice for every total the document states that differs from what was extracted."""
    text = collapse(" ".join(segmented.texts[page] for page in sorted(segmented.texts)))
    for total in rules.totals:
        found = re.search(total.pattern, text, re.IGNORECASE)
        if not found:
            continue
        stated, extracted = int(found.group("count")), counts.get(total.scale, 0)
        if stated != extracted:
            context.notice(f"the document states {stated} {total.scale} rows ({found.group(0)!r}) but "
                           f"{extracted} were extracted "
                           f"({abs(stated - extracted)} {'missing' if extracted < stated else 'extra'})")


def _scale_titles(segmented: SegmentedDocument, rules: GoalTablesRules) -> list[str]:
    """The title cells of every row of the tables whose records carry committees."""
    titles = []
    for block in segmented.blocks:
        scale = table_to_scale(block.table, rules) if block.table is not None else None
        if scale is None or "committees" not in SCALE_TYPES[scale[0]].model.model_fields:
            continue
        titles.extend(row.cells[scale[1]] for row in block.table.rows if scale[1] < len(row.cells))
    return titles


def _status_rules(rules: GoalTablesRules, context: Context) -> StatusRules:
    base = (base_rules(context.rules_dir) if context.rules_dir else base_rules()).status
    labels = {scale: list(base.labels.get(scale, [])) + list(rules.legend_labels.get(scale, []))
              for scale in {**base.labels, **rules.legend_labels}}
    return StatusRules.model_validate(base.model_dump() | {
        "labels": {scale: [label.model_dump() for label in items] for scale, items in labels.items()}})


def goal_tables_evidence(segmented: SegmentedDocument, rules: GoalTablesRules) -> int:
    """Rows of status tables, goals assessed in prose, and activities and indicator tables under goal
    headings."""
    status_rules = base_rules().status
    parts = _Finder(segmented, rules, status_rules).find(segmented.sections)
    return sum(sum(len(t.rows) for t in p.tables) + len(p.assessed) + len(p.activities) + len(p.indicator_tables)
               for p in parts)


class _Reader:
    """Makes the records of one goal's parts."""

    def __init__(self, segmented: SegmentedDocument, rules: GoalTablesRules, context: Context):
        self.rules, self.context = rules, context
        self.status_rules = _status_rules(rules, context)
        self.legend = blocks_to_legend(segmented.blocks, self.status_rules, context.document_id)
        self.committees = committee_pattern(rules.committees or titles_to_committees(_scale_titles(segmented, rules),
                                                                                     rules))
        self.found = FamilyRecords(status_legend=self.legend)
        self.goal_ids: dict[int, str] = {}

    def goal(self, parts: GoalParts, index: int) -> None:
        number, title = _goal_number(parts.section.title, index, self.rules)
        parent = self.goal_ids.get(id(parts.parent)) if parts.parent is not None else None
        goal = self.context.record(Goal, ("goal", number, title), page_no=parts.section.page_no, bbox=parts.section.bbox,
                                   raw_text=parts.section.title, level=self.rules.goal_level, number=number,
                                   title=title, parent_goal_id=parent)
        self.goal_ids[id(parts.section)] = goal.goal_id
        self.found.goals.append(goal)
        seen: Counter[str] = Counter()
        for table in parts.tables:
            found = getattr(self.found, SCALE_TYPES[table_to_scale(table, self.rules)[0]].field)
            found.extend(table_rows_to_records(table, self.rules, self.status_rules, self.legend, self.committees,
                                               self.context, goal.goal_id, seen))
        self.indicators(parts, goal)
        self.assessed(parts, goal, seen)
        for item in parts.activities:
            self.found.activities.append(self.context.record(
                Activity, ("activity", goal.goal_id, item.number, item.title), page_no=item.page_no, bbox=item.bbox,
                raw_text=item.raw_text, goal_id=goal.goal_id, number=item.number, title=item.title,
                purpose=item.purpose, responsible=item.responsible, performer=item.performer))

    def indicators(self, parts: GoalParts, goal: Goal) -> None:
        rules = self.rules.indicators
        for table in parts.indicator_tables:
            columns = header_to_columns(table.header, rules)
            group = None
            for row in table.rows:
                if columns.is_group(row):
                    group = columns.name_of(row)
                    continue
                indicator = row_to_indicator(row, columns, rules, self.context, goal.goal_id, group)
                if indicator is not None:
                    self.found.indicators.append(indicator)

    def assessed(self, parts: GoalParts, goal: Goal, seen: Counter[str]) -> None:
        if not parts.assessed:
            return
        for item in parts.assessed:
            status, symbol, color = item.status, None, None
            if item.marks:
                resolved, _ = marks_to_status(item.marks, "result_goal", self.legend, self.status_rules)
                if resolved is not None:
                    status = status or resolved[0]
                    symbol, color = resolved[1], resolved[2]
            self.found.result_goals.append(self.context.record(
                ResultGoal, ("result_goal", goal.goal_id, seen["result_goal"]), page_no=item.section.page_no,
                bbox=item.section.bbox, raw_text=item.section.title, goal_id=goal.goal_id,
                title=collapse(item.section.title), status=status, status_symbol=symbol, status_color=color,
                comment=collapse(" ".join(item.comment)) or None))
            seen["result_goal"] += 1
        for _, items in section_items(parts.section, self.rules.narrative,
                                      lambda text: is_list_caption(text, self.rules)):
            for list_item in items:
                title, status = item_to_title_status(list_item.text, self.rules.narrative, self.status_rules)
                self.found.assignments.append(self.context.record(
                    Assignment, ("assignment", goal.goal_id, seen["assignment"]), page_no=list_item.block.page_no,
                    bbox=list_item.block.bbox, raw_text=list_item.block.raw_text or list_item.text,
                    goal_id=goal.goal_id, title=title, status=status))
                seen["assignment"] += 1


@family(GoalTablesRules, detect=goal_tables_evidence)
def goal_tables_to_records(segmented: SegmentedDocument, rules: GoalTablesRules, context: Context) -> FamilyRecords:
    reader = _Reader(segmented, rules, context)
    for index, parts in enumerate(_Finder(segmented, rules, reader.status_rules).find(segmented.sections), start=1):
        reader.goal(parts, index)
    counts = {t.scale: len(getattr(reader.found, t.field)) for t in MARKED_TYPES}
    _check_totals(segmented, counts, rules, context)
    return reader.found
