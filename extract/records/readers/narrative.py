"""Narrative goals: a goal heading, goal headings under it each followed by an assessment line
('Bedömning: ■ Delvis uppnått') and some prose, and a list of uppdrag under a caption ('Uppdrag'),
each item closing with its status word ('Bygga ut cykelvägar – Pågår').

A word processor may set the assessment line as a line or, its label being bold, as a heading of its
own; either way it belongs to the heading above it. The reader finds the assessed headings first: a
heading is a goal of this kind when it, or a sibling, carries an assessment line; its parent is the
goal it reports on.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from extract.records.status import title_to_bracketed_status, word_to_status
from extract.rules import Regex, RuleModel
from extract.rules.base import StatusRules
from extract.text.normalise import collapse
from models.layout import Mark
from models.segments import Block, Section


class NarrativeRules(RuleModel):
    assessment_labels: list[str]
    """Labels that open an assessment line, before a colon ('Bedömning', 'Måluppfyllelse')."""
    item_separators: list[Regex] = ["\\s+[–—-]\\s+", "\\s*:\\s+"]
    """What stands between an uppdrag's title and its status word."""
    bare_status_words: int = 3
    """Most words a status may have that closes an item with no separator left before it."""
    bullets: Regex = "^\\s*(?:[•▪◦‣●○■□–—*-]|\\(cid:\\d+\\))\\s*"
    """A bullet printed as text at the start of a list item."""


@dataclass
class Assessed:
    """A heading whose goal an assessment line reports on."""

    section: Section
    status: str | None = None
    marks: list[Mark] = field(default_factory=list)
    line: Block | None = None
    comment: list[str] = field(default_factory=list)


@dataclass
class ListItem:
    text: str
    block: Block


def _label_pattern(rules: NarrativeRules) -> re.Pattern:
    labels = "|".join(re.escape(label) for label in sorted(rules.assessment_labels, key=len, reverse=True))
    return re.compile(rf"^\s*(?:{labels})\s*:\s*(?P<status>.*)$", re.IGNORECASE)


def text_to_assessment(text: str, rules: NarrativeRules, status_rules: StatusRules) -> tuple[bool, str | None]:
    """(is an assessment line, the status it prints)."""
    found = _label_pattern(rules).match(collapse(text))
    if not found:
        return False, None
    status = re.sub(r"^[^\w(]+", "", found.group("status"))  # a mark glyph printed before the word
    return True, word_to_status(status, "result_goal", status_rules)


def item_to_title_status(text: str, rules: NarrativeRules, status_rules: StatusRules) -> tuple[str, str | None]:
    """An uppdrag's title and the status word closing it, in brackets or after a separator."""
    text = collapse(text)
    title, status = title_to_bracketed_status(text, "assignment", status_rules)
    if status is not None:
        return title, status
    for separator in rules.item_separators:
        for found in reversed(list(re.finditer(separator, text))):
            status = word_to_status(text[found.end():], "assignment", status_rules)
            if status is not None:
                return text[:found.start()].rstrip(), status
    return _bare_status_tail(text, rules, status_rules)


def _bare_status_tail(text: str, rules: NarrativeRules, status_rules: StatusRules) -> tuple[str, str | None]:
    """A status closing the item with its separator lost (OCR drops a dash: 'Genomföra en förstudie
    Pågående'): the last words, capitalised after a word in lower case, where they read as a status."""
    words = text.split(" ")
    for count in range(1, min(rules.bare_status_words, len(words) - 1) + 1):
        tail, before = " ".join(words[-count:]), words[-count - 1]
        if tail[:1].isupper() and before[-1:].isalpha() and before[-1:].islower():
            status = word_to_status(tail, "assignment", status_rules)
            if status is not None:
                return " ".join(words[:-count]), status
    return text, None


def find_assessed(sections: list[Section], rules: NarrativeRules, status_rules: StatusRules,
                  is_caption, is_list_caption) -> list[tuple[Section, list[Assessed]]]:
    """Each goal section with the assessed headings under it, in document order. A heading beside
    assessed ones is a goal of the same kind with no status printed, unless it is a caption."""
    out: list[tuple[Section, list[Assessed]]] = []

    def assessment_of(section: Section) -> Assessed | None:
        found = Assessed(section)
        carriers = [(b, b.text) for b in section.blocks if b.kind == "line"]
        for child in section.children:
            if text_to_assessment(child.title, rules, status_rules)[0]:
                carriers.append((Block(kind="heading", page_no=child.page_no, bbox=child.bbox, text=child.title),
                                 child.title))
                carriers.extend((b, b.text) for b in child.blocks if b.kind == "line")
        seen = False
        for block, text in carriers:
            if is_list_caption(text):
                break
            is_line, status = text_to_assessment(text, rules, status_rules)
            if is_line and not seen:
                seen, found.status, found.line = True, status, block
                found.marks = [m for m in block.marks]
            elif seen or not is_line:
                found.comment.append(text)
        return found if seen else None

    def children_of(section: Section) -> list[Section]:
        return [c for c in section.children if not text_to_assessment(c.title, rules, status_rules)[0]]

    def goals_of(section: Section, assessed: dict[int, Assessed]) -> list[Assessed]:
        return [assessed.get(id(c)) or Assessed(c, comment=_lines_before_caption(c, is_list_caption))
                for c in children_of(section) if id(c) in assessed or not (is_caption(c) or is_list_caption(c.title))]

    def walk(section: Section) -> None:
        assessed = {id(c): a for c in children_of(section) if (a := assessment_of(c)) is not None}
        if assessed:
            out.append((section, goals_of(section, assessed)))
            return
        for child in section.children:
            walk(child)

    for top in sections:
        walk(top)
    # A goal whose goals carry no assessment is read like its neighbours: a heading at a goal's level
    # with headings under it at the level of assessed ones.
    levels = {(goal.level, item.section.level) for goal, items in out for item in items}
    found = {id(goal) for goal, _ in out}

    def more(section: Section) -> None:
        if id(section) in found:
            return
        under = [c for c in children_of(section) if (section.level, c.level) in levels]
        if under and not is_caption(section) and not is_list_caption(section.title):
            out.append((section, goals_of(section, {})))
            return
        for child in section.children:
            more(child)

    if levels:
        for top in sections:
            more(top)
    position = {id(s): i for i, s in enumerate(s for top in sections for s in top.walk())}
    return sorted(out, key=lambda pair: position[id(pair[0])])


def _lines_before_caption(section: Section, is_list_caption) -> list[str]:
    lines = []
    for block in section.blocks:
        if block.kind != "line" or is_list_caption(block.text):
            break
        lines.append(block.text)
    return lines


def section_items(section: Section, rules: NarrativeRules, is_list_caption) -> list[tuple[Section, list[ListItem]]]:
    """Every captioned list under a section: (the section holding the caption, the items after it). A
    caption is a line or a heading; the items are the lines after it, a bullet (printed, or drawn as
    a mark at the line's start) opening each, lines without one continuing the item above."""
    found: list[tuple[Section, list[ListItem]]] = []
    for node in section.walk():
        if is_list_caption(node.title):
            found.append((node, lines_to_items([b for b in node.blocks if b.kind == "line"], rules)))
            continue
        for index, block in enumerate(node.blocks):
            if block.kind == "line" and is_list_caption(block.text):
                rest = []
                for after in node.blocks[index + 1:]:
                    if after.kind != "line" or is_list_caption(after.text):
                        break
                    rest.append(after)
                found.append((node, lines_to_items(rest, rules)))
    return found


def _opens_item(block: Block, rules: NarrativeRules) -> bool:
    if re.match(rules.bullets, block.raw_text or block.text):
        return True
    return bool(block.bbox) and any(m.bbox[2] <= block.bbox[0] + 2 for m in block.marks)


def lines_to_items(lines: list[Block], rules: NarrativeRules) -> list[ListItem]:
    """Where bullets show, each opens an item; where none does (a browser draws them as pictures), a
    line that starts in lower case continues the item above. An item broken after the dash before its
    status word always goes on."""
    bulleted = any(_opens_item(line, rules) for line in lines)
    items: list[ListItem] = []
    for line in lines:
        text = re.sub(rules.bullets, "", line.text)
        if not collapse(text):
            continue
        continues = not _opens_item(line, rules) if bulleted else collapse(text)[:1].islower()
        if items and (continues or items[-1].text.endswith(("–", "—", "-", ":"))):
            items[-1].text = f"{items[-1].text} {collapse(text)}"
        else:
            items.append(ListItem(collapse(text), line))
    return items
