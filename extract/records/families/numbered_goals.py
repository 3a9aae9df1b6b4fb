"""Numbered goals: a chapter that introduces its goals in a list, each entry ending in a short label
in parentheses, then gives each goal a numbered heading (1.1, 1.2, ...) and a page of text.

The heading gives the number and the page; the intro entry it matches best gives the short label.
Scans add trouble: the OCR layer wraps a heading over several lines, prefixes it with debris, and
repeats the title in pull-quote boxes. Only a line that starts with a goal number opens a goal, the
lines that continue it are those printed in its size right below it, and each number counts once.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from pydantic import Field, model_validator
from rapidfuzz import fuzz

from extract.records.families import Context, FamilyRecords, FamilyRules, family
from extract.rules import regex_with
from extract.text.normalise import collapse
from models import Goal
from models.records import GoalLevel
from models.segments import Block, SegmentedDocument


HeadingPattern = regex_with("number", "title")
EntryPattern = regex_with("title", "label")


class NumberedGoalsRules(FamilyRules):
    family: Literal["numbered_goals"]
    level: GoalLevel = "overarching"
    heading_pattern: HeadingPattern
    """A goal heading: its number (group `number`) and the start of its title (group `title`)."""
    intro_entry_pattern: EntryPattern
    """One entry of the intro list: the goal's title (group `title`) and its short label (`label`)."""
    match_threshold: float = Field(70, ge=0, le=100)
    """Least rapidfuzz ratio (0-100) between a heading's title and an intro entry to pair them."""
    complete_share: float = Field(0.8, ge=0, le=1)
    """A heading title shorter than this share of its intro entry's title lost lines to the layout:
    the intro entry's title is used instead."""

    @model_validator(mode="after")
    def _headings_open_titles(self) -> NumberedGoalsRules:
        """A goal heading is what opens a wrapped title: the continuation rule opens on the heading
        pattern unless it names its own."""
        continuation = self.segment.heading_continuation
        if continuation is None or continuation.opens is not None:
            return self
        segment = self.segment.model_copy(update={
            "heading_continuation": continuation.model_copy(update={"opens": self.heading_pattern})})
        object.__setattr__(self, "segment", segment)
        return self


@dataclass
class IntroEntry:
    title: str
    label: str


@dataclass
class GoalHeading:
    number: str
    title: str
    raw_text: str
    block: Block


def blocks_to_headings(blocks: list[Block], rules: NumberedGoalsRules) -> list[GoalHeading]:
    """Every goal heading once, in reading order (the segment stage has joined the lines that continue
    a wrapped title onto its heading)."""
    pattern = re.compile(rules.heading_pattern)
    headings: list[GoalHeading] = []
    seen: set[str] = set()
    for block in blocks:
        match = pattern.match(collapse(block.text)) if block.kind != "table" else None
        if not match or match["number"] in seen:
            continue
        seen.add(match["number"])
        headings.append(GoalHeading(number=match["number"], title=collapse(match["title"]),
                                    raw_text=block.raw_text or block.text, block=block))
    return headings


def text_to_intro_entries(text: str, rules: NumberedGoalsRules) -> list[IntroEntry]:
    return [IntroEntry(title=collapse(m["title"]), label=collapse(m["label"]))
            for m in re.finditer(rules.intro_entry_pattern, collapse(text))]


def pair_entries(headings: list[GoalHeading], entries: list[IntroEntry],
                 rules: NumberedGoalsRules) -> dict[str, IntroEntry]:
    """Each heading's intro entry by number: the best-scoring pairs first, each entry used once."""
    scored = sorted(
        ((fuzz.ratio(h.title.casefold(), e.title.casefold()), hi, ei)
         for hi, h in enumerate(headings) for ei, e in enumerate(entries)),
        reverse=True)
    paired: dict[str, IntroEntry] = {}
    used_headings: set[int] = set()
    used_entries: set[int] = set()
    for score, hi, ei in scored:
        if score < rules.match_threshold:
            break
        if hi in used_headings or ei in used_entries:
            continue
        used_headings.add(hi)
        used_entries.add(ei)
        paired[headings[hi].number] = entries[ei]
    return paired


def numbered_goals_evidence(segmented: SegmentedDocument, rules: NumberedGoalsRules) -> int:
    """Numbered goal headings that pair with an entry of an intro list before them: numbered headings
    alone are any report's chapters."""
    headings = blocks_to_headings(segmented.blocks, rules)
    if not headings:
        return 0
    first = segmented.blocks.index(headings[0].block)
    entries = text_to_intro_entries(" ".join(block.text for block in segmented.blocks[:first]), rules)
    return len(pair_entries(headings, entries, rules))


@family(NumberedGoalsRules, detect=numbered_goals_evidence)
def extract_numbered_goals(segmented: SegmentedDocument, rules: NumberedGoalsRules,
                           context: Context) -> FamilyRecords:
    found = FamilyRecords()
    if not any(block.text.strip() for block in segmented.blocks):
        context.notice("no text on any page (an image-only scan); needs OCR before goals can be read; "
                       "no records extracted")
        return found
    headings = blocks_to_headings(segmented.blocks, rules)
    if not headings:
        context.notice("no numbered goal headings found; no records extracted")
        return found
    first = segmented.blocks.index(headings[0].block)
    entries = text_to_intro_entries(" ".join(block.text for block in segmented.blocks[:first]), rules)
    paired = pair_entries(headings, entries, rules)
    for heading in headings:
        entry = paired.get(heading.number)
        title = heading.title
        if entry and len(title) < rules.complete_share * len(entry.title):
            title = entry.title
        if entry is None:
            context.notice(f"goal {heading.number} matches no intro entry; its short label is left empty",
                           heading.block.page_no)
        found.goals.append(context.record(
            Goal, ("goal", rules.level, heading.number), page_no=heading.block.page_no,
            bbox=heading.block.bbox, raw_text=heading.raw_text, level=rules.level, number=heading.number,
            title=title, short_label=entry.label if entry else None))
    if entries and len(entries) != len(headings):
        context.notice(f"the intro lists {len(entries)} goals, {len(headings)} numbered headings found")
    return found
