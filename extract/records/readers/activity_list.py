"""Activities as a numbered list ('3. Införa e-arkiv' followed by 'Syfte: ...', 'Ansvarig: ...',
'Utförare: ...' lines) or as a table with a number, title, responsible and performer column.

A numbered line is an activity only where a label line follows it before the next one: a numbered
heading without any ('2. Ekonomi i balans') is a goal, not an activity. A numbered title set in bold
may come out as a heading; the reader takes it either way.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from extract.records.readers.status_table import names
from extract.rules import Regex, RuleModel, regex_with
from extract.text.normalise import collapse
from models.layout import BBox
from models.segments import Block, Section, StitchedTable

ItemPattern = regex_with("number", "title")
LabelPattern = regex_with("value")


class ActivityColumns(RuleModel):
    number: list[str]
    title: list[str]
    responsible: list[str] = []
    performer: list[str] = []
    purpose: list[str] = []


class ActivityListRules(RuleModel):
    item: ItemPattern
    """A numbered item: groups `number` and `title`."""
    purpose_label: Regex
    """A purpose line; the whole line is the purpose, label included, as reports print it."""
    responsible_label: LabelPattern
    performer_label: LabelPattern
    columns: ActivityColumns
    """Header names of an activity table's columns."""


@dataclass
class ActivityParts:
    number: int | None
    title: str
    page_no: int
    bbox: BBox | None
    raw_text: str
    purpose: str | None = None
    responsible: str | None = None
    performer: str | None = None


def _label(text: str, rules: ActivityListRules) -> tuple[str, str] | None:
    """(field, value) of a label line."""
    text = collapse(text)
    if re.search(rules.purpose_label, text, re.IGNORECASE):
        return "purpose", text
    for name in ("responsible", "performer"):
        found = re.search(getattr(rules, f"{name}_label"), text, re.IGNORECASE)
        if found:
            return name, collapse(found.group("value"))
    return None


def _item(text: str, rules: ActivityListRules) -> re.Match | None:
    return re.match(rules.item, collapse(text))


def _fill(parts: ActivityParts, lines: list[str], rules: ActivityListRules) -> bool:
    """The fields of an activity from the lines after its title; whether any label line was there.
    Lines before the first label continue the title, lines after a label continue its value."""
    current = None
    for text in lines:
        label = _label(text, rules)
        if label is not None:
            current = label[0]
            setattr(parts, current, label[1] or None)
        elif current is None:
            parts.title = collapse(f"{parts.title} {text}")
        else:
            setattr(parts, current, collapse(f"{getattr(parts, current) or ''} {text}"))
    return current is not None


def section_to_activity(section: Section, rules: ActivityListRules) -> ActivityParts | None:
    """A numbered heading with label lines under it."""
    found = _item(section.title, rules)
    if not found:
        return None
    lines = [b.text for b in section.blocks if b.kind == "line"]
    if any(_item(line, rules) for line in lines):
        return None  # numbered items under it: a goal heading with its activities, not one activity
    parts = ActivityParts(int(found["number"]), collapse(found["title"]), section.page_no, section.bbox, section.title)
    return parts if _fill(parts, lines, rules) else None


def lines_to_activities(blocks: list[Block], rules: ActivityListRules) -> list[ActivityParts]:
    """Numbered items among lines, each with the label lines after it."""
    out: list[ActivityParts] = []
    current: tuple[ActivityParts, list[str]] | None = None

    def close() -> None:
        if current is not None and _fill(current[0], current[1], rules):
            out.append(current[0])

    for block in blocks:
        if block.kind != "line":
            continue
        found = _item(block.text, rules)
        if found:
            close()
            current = (ActivityParts(int(found["number"]), collapse(found["title"]), block.page_no, block.bbox,
                                     block.raw_text or block.text), [])
        elif current is not None:
            current[1].append(block.text)
    close()
    return out


def table_to_activities(table: StitchedTable, rules: ActivityListRules) -> list[ActivityParts] | None:
    """The rows of an activity table; None when the header is not one (it needs a title column and a
    number or responsible column)."""
    columns = {name: next((c for c, h in enumerate(table.header) if names(h, getattr(rules.columns, name))), None)
               for name in ActivityColumns.model_fields}
    if columns["title"] is None or (columns["number"] is None and columns["responsible"] is None):
        return None
    out = []
    for row in table.rows:
        cell = {name: collapse(row.cells[c]) if c is not None and c < len(row.cells) else ""
                for name, c in columns.items()}
        if not cell["title"]:
            continue
        number = int(cell["number"]) if cell["number"].isdigit() else None
        out.append(ActivityParts(number, cell["title"], row.page_no, row.bbox, " | ".join(row.raw_cells),
                                 purpose=cell["purpose"] or None, responsible=cell["responsible"] or None,
                                 performer=cell["performer"] or None))
    return out
