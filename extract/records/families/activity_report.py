"""Activity reports (verksamhetsrapporter): a filled-in form with the report period, yes/no check
boxes under question headings, a numbered list of activities, and goals reported in prose.

A form keeps its template's prompts where nobody wrote anything ("click here to enter text"): those
lines are empty fields, never records. A question's answer is the label beside the ticked box, read
from the drawn boxes, not from the text (the text shows every label whether ticked or not).
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

from pydantic import Field

from extract.records.families import Context, FamilyRecords, FamilyRules, family
from extract.rules import Regex, RuleModel, regex_with
from extract.text.normalise import collapse, text_to_period
from models import Activity, Assessment, Goal
from models.records import AssignmentStatus
from models.segments import Block, SegmentedDocument

FLAGS = re.IGNORECASE


ItemPattern = regex_with("number", "text")
TitlePattern = regex_with("title")
PeriodPattern = regex_with("start", "end")


class ActivityRules(RuleModel):
    section_pattern: Regex
    """Matches the heading of the section that lists the numbered activities."""
    item_pattern: ItemPattern
    """A line opening an activity: its number (group `number`) and the start of its text (`text`)."""


class AssessmentRules(RuleModel):
    answers: dict[str, Literal["ja", "nej"]] = Field(min_length=1)
    """Printed box label → answer."""
    heading_number_pattern: Regex = r"^\d+(\.\d+)*\s+"
    """The section number in front of a question heading, left out of the question."""


class ReportedGoalRule(RuleModel):
    pattern: TitlePattern
    """A sentence reporting on a goal; group `title` is the goal."""
    status: AssignmentStatus


class ActivityReportRules(FamilyRules):
    family: Literal["activity_report"]
    period_patterns: list[PeriodPattern] = []
    """The report period, groups `start` and `end` as ISO dates."""
    placeholders: list[str] = []
    """Template prompts left in unfilled fields: lines that are only one of these are empty."""
    activities: ActivityRules
    assessments: AssessmentRules
    reported_goals: list[ReportedGoalRule] = []
    capitalize_goal_titles: bool = True
    """Goal titles cut from a sentence start lower-case; the record starts with a capital."""


@dataclass
class Titled:
    """A block with its text collapsed and its raw text (a heading's wrapped lines are joined onto it
    by the segment stage)."""

    block: Block
    text: str
    raw_text: str


def blocks_to_titled(blocks: list[Block], rules: ActivityReportRules) -> list[Titled]:
    """The blocks with template prompts left out."""
    placeholders = {collapse(p).casefold() for p in rules.placeholders}
    return [Titled(block=b, text=collapse(b.text), raw_text=b.raw_text or b.text)
            for b in blocks if collapse(b.text).casefold() not in placeholders]


def text_to_document_period(text: str, patterns: list[str]) -> dict[str, dt.date]:
    start, end = text_to_period(text, patterns)
    return {"period_start": start, "period_end": end} if start else {}


def line_to_answer(item: Titled, rules: AssessmentRules) -> tuple[bool, Literal["ja", "nej"] | None]:
    """(readable, answer): the boxes left to right paired with the answer labels in reading order."""
    labels = {label.casefold(): answer for label, answer in rules.answers.items()}
    printed = [labels[word.casefold()] for word in re.findall(r"\w+", item.text) if word.casefold() in labels]
    boxes = sorted((m for m in item.block.marks if m.kind == "checkbox"), key=lambda m: m.bbox[0])
    if len(printed) != len(boxes):
        return False, None
    ticked = [answer for answer, box in zip(printed, boxes) if box.checked]
    if len(ticked) > 1:
        return False, None
    return True, ticked[0] if ticked else None


def titled_to_activities(titled: list[Titled], rules: ActivityReportRules, context: Context) -> list[Activity]:
    item = re.compile(rules.activities.item_pattern, FLAGS)
    placeholders = {collapse(p).casefold() for p in rules.placeholders}
    activities: list[Activity] = []
    inside = False
    current: list[Titled] = []

    def close() -> None:
        if not current:
            return
        first = current[0]
        match = item.match(first.text)
        text = collapse(" ".join([match["text"]] + [t.text for t in current[1:]]))
        number = int(match["number"])
        if text.casefold() in placeholders:
            current.clear()
            return
        activities.append(context.record(
            Activity, ("activity", number), page_no=first.block.page_no, bbox=first.block.bbox,
            raw_text="\n".join(t.raw_text for t in current), goal_id=None, number=number, title=text))
        current.clear()

    for entry in titled:
        if entry.block.kind == "heading":
            close()
            inside = bool(re.search(rules.activities.section_pattern, entry.text, FLAGS))
        elif inside and entry.block.kind == "line":
            if item.match(entry.text):
                close()
                current.append(entry)
            elif current:
                current.append(entry)
    close()
    return activities


def titled_to_assessments(titled: list[Titled], rules: ActivityReportRules, context: Context) -> list[Assessment]:
    assessments: list[Assessment] = []
    question: Titled | None = None
    for entry in titled:
        if entry.block.kind == "heading":
            question = entry
        if not any(m.kind == "checkbox" for m in entry.block.marks):
            continue
        if question is None:
            context.drop(f"check boxes under no heading: {entry.text!r}", entry.block.page_no, "assessments")
            continue
        readable, answer = line_to_answer(entry, rules.assessments)
        if not readable:
            context.drop(f"check boxes and labels do not pair up, or more than one ticked: {entry.text!r}",
                         entry.block.page_no, "assessments.answers")
            continue
        assessments.append(context.record(
            Assessment, (), page_no=entry.block.page_no, bbox=entry.block.bbox,
            raw_text=f"{question.raw_text}\n{entry.raw_text}",
            question=re.sub(rules.assessments.heading_number_pattern, "", question.text), answer=answer))
    return assessments


def titled_to_reported_goals(titled: list[Titled], rules: ActivityReportRules, context: Context) -> list[Goal]:
    """Goals reported in prose, found in the body text joined across lines and pages."""
    body = [t for t in titled if t.block.kind == "line"]
    starts: list[int] = []
    text = ""
    for entry in body:
        starts.append(len(text))
        text += entry.text + " "
    goals: list[Goal] = []
    for rule in rules.reported_goals:
        for match in re.finditer(rule.pattern, text, FLAGS):
            at = max(i for i, start in enumerate(starts) if start <= match.start())
            block = body[at].block
            title = collapse(match["title"])
            if rules.capitalize_goal_titles:
                title = title[:1].upper() + title[1:]
            goals.append(context.record(
                Goal, ("goal", "reported", title), page_no=block.page_no, bbox=block.bbox, raw_text=match.group(0),
                level="reported", title=title, status=rule.status))
    return goals


def activity_report_evidence(segmented: SegmentedDocument, rules: ActivityReportRules) -> int:
    """Yes/no questions answered with check boxes under a heading."""
    context = Context(document_id="", sha256="", source_file="")
    return len(titled_to_assessments(blocks_to_titled(segmented.blocks, rules), rules, context))


@family(ActivityReportRules, detect=activity_report_evidence)
def extract_activity_report(segmented: SegmentedDocument, rules: ActivityReportRules,
                            context: Context) -> FamilyRecords:
    titled = blocks_to_titled(segmented.blocks, rules)
    lead = " ".join(t.text for t in titled if t.block.page_no == (segmented.blocks[0].page_no if segmented.blocks else 1))
    return FamilyRecords(
        goals=titled_to_reported_goals(titled, rules, context),
        activities=titled_to_activities(titled, rules, context),
        assessments=titled_to_assessments(titled, rules, context),
        document_fields=text_to_document_period(lead, rules.period_patterns),
    )
