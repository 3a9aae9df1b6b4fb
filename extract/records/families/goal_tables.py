"""Goal tables: a follow-up where each top-level goal heading is followed by tables of result goals and
of assignments, each row with a status mark, a title (result goals end in committee abbreviations)
and a comment of bullet points.

Which tables are which, what the committees are called, how the document states its totals and the
headings that sit between a goal and its tables are all rule data (`rules/families/goal_tables.yaml`,
layered with the municipality's file), so a new municipality with this kind of report needs a rules
file, not code.
"""
from __future__ import annotations

import re
from collections import Counter
from typing import Literal


from extract.records.families import Context, FamilyRecords, FamilyRules, family
from extract.rules import Regex, RuleModel, regex_with
from extract.text.normalise import collapse
from extract.rules.base import LegendLabel, StatusRules, base_rules
from extract.records.status import blocks_to_legend, marks_to_status, title_to_bracketed_status, word_to_status
from models import Goal, StatusLegendEntry
from models.registry import MARKED_TYPES
from models.records import GoalLevel, StatusScale
from models.segments import Row, Section, SegmentedDocument, StitchedTable


SCALE_TYPES = {t.scale: t for t in MARKED_TYPES}
"""The record type each status scale's tables hold."""
CountPattern = regex_with("count")
NumberPattern = regex_with("number")


class TableRule(RuleModel):
    scale: StatusScale
    headers: list[str]
    """Title-column header names (compared case-insensitively, whitespace collapsed)."""


class TotalRule(RuleModel):
    scale: StatusScale
    pattern: CountPattern
    """A sentence stating the total, with a named group `count`."""


class GoalTablesRules(FamilyRules):
    family: Literal["goal_tables"]
    tables: list[TableRule]
    committees: list[str] = []
    """Committee abbreviations that may close a result goal's title, comma-separated. Without a list,
    the document's own are found: abbreviations that close titles in comma-separated runs, or that
    close at least `committee_min_titles` titles alone."""
    committee_headers: list[str] = []
    """Headers of a column that names the committees responsible, comma-separated."""
    status_headers: list[str] = []
    """Headers of a status column that may stand before the title column."""
    period_header: Regex = "\\b(?:19|20)\\d\\d\\b"
    """A header cell naming a year: the table holds figures per period, not statuses."""
    committee_abbreviation: Regex = "[A-ZÅÄÖ]{2,6}"
    committee_min_titles: int = 3
    table_section_patterns: list[Regex] = []
    """Titles of headings between a goal and its tables ("Bedömning av resultatmål"): the goal is the
    nearest enclosing section whose title matches none of these."""
    goal_level: GoalLevel = "overarching"
    goal_number_pattern: NumberPattern | None = None
    """Where goal headings print their number: a pattern with a named group `number`; else goals are
    numbered in order."""
    bullet_pattern: Regex = "[•▪◦]"
    """What starts a comment's bullet item at the start of a line."""
    comment_joiner: str = " • "
    totals: list[TotalRule] = []
    legend_labels: dict[StatusScale, list[LegendLabel]] = {}
    """Legend wording this municipality prints, in addition to the labels in `_base.yaml`."""


def _names(header: str, names: list[str]) -> bool:
    """Whether a header cell is one of `names`, or one of them followed by more words ('Uppdrag från
    fullmäktige')."""
    cell = collapse(header).casefold()
    return any(cell == (n := collapse(name).casefold()) or cell.startswith(n + " ") for name in names)


def header_to_scale(header: list[str], rules: GoalTablesRules) -> tuple[StatusScale, int] | None:
    """The table's scale and title column, from the first header cell that names one; empty cells and
    status columns before it are passed over."""
    for col, cell in enumerate(header):
        if not collapse(cell) or _names(cell, rules.status_headers):
            continue
        for table in rules.tables:
            if _names(cell, table.headers):
                return table.scale, col
        return None
    return None


def committee_pattern(committees: list[str]) -> re.Pattern | None:
    """A comma-separated run of known abbreviations at the end of a title."""
    if not committees:
        return None
    names = "|".join(re.escape(c) for c in sorted(committees, key=len, reverse=True))
    return re.compile(rf"\s+((?:{names})(?:\s*,\s*(?:{names}))*)\s*[.,]?\s*$")


def titles_to_committees(titles: list[str], rules: GoalTablesRules) -> list[str]:
    """The committee abbreviations a document closes its titles with, where no rules list them."""
    abbreviation = rules.committee_abbreviation
    run = re.compile(rf"\s((?:{abbreviation})(?:\s*,\s*(?:{abbreviation}))*)\s*[.,]?\s*$")
    in_runs: set[str] = set()
    alone: Counter[str] = Counter()
    for title in titles:
        found = run.search(collapse(title))
        if not found:
            continue
        names = [name.strip() for name in found.group(1).split(",")]
        if len(names) > 1:
            in_runs.update(names)
        else:
            alone[names[0]] += 1
    return sorted(in_runs | {name for name, count in alone.items() if count >= rules.committee_min_titles})


def title_to_committees(title: str, pattern: re.Pattern | None) -> tuple[str, list[str]]:
    title = collapse(title)
    found = pattern.search(title) if pattern else None
    if not found:
        return title, []
    return title[:found.start()].rstrip(" ,"), [c.strip() for c in found.group(1).split(",")]


def cell_to_comment(cell: str, rules: GoalTablesRules) -> str | None:
    """Bullet items joined by the gold convention; text without bullets is one item."""
    items = re.split(rf"(?m)^\s*(?:{rules.bullet_pattern})\s*", cell)
    items = [collapse(item) for item in items if collapse(item)]
    return rules.comment_joiner.join(items) or None


def table_to_scale(table: StitchedTable, rules: GoalTablesRules) -> tuple[StatusScale, int] | None:
    """The scale and title column of a status table: its header names a title column and no column
    holds figures for a year (a table of goals with figures, whose first column may be 'Mål', is an
    indicator table)."""
    found = header_to_scale(table.header, rules)
    if found is None or any(re.search(rules.period_header, collapse(h)) for h in table.header):
        return None
    return found


def _caption_key(title: str) -> str:
    return re.sub(r"^[\d.:)\s]+", "", collapse(title)).casefold()


def _goal_sections(sections: list[Section], rules: GoalTablesRules) -> list[tuple[Section, list[StitchedTable]]]:
    """Each goal section with the goal tables under it, in document order. A goal is the nearest
    enclosing heading that is not a caption: a heading printed over and over ('Bedömning av
    resultatmål' under every goal) or one the rules name is the table's caption, not its goal."""
    between = [re.compile(p, re.IGNORECASE) for p in rules.table_section_patterns]
    goals: dict[int, tuple[Section, list[StitchedTable]]] = {}
    recurring = Counter(_caption_key(s.title) for top in sections for s in top.walk())

    def is_caption(section: Section) -> bool:
        return recurring[_caption_key(section.title)] > 1 or any(p.search(collapse(section.title)) for p in between)

    def walk(section: Section, ancestors: list[Section]) -> None:
        chain = ancestors + [section]
        for block in section.blocks:
            if block.kind != "table" or not block.table or not table_to_scale(block.table, rules):
                continue
            owner = next((s for s in reversed(chain) if not is_caption(s)), None)
            if owner is not None:
                goals.setdefault(id(owner), (owner, []))[1].append(block.table)
        for child in section.children:
            walk(child, chain)

    for top in sections:
        walk(top, [])
    return list(goals.values())


def _goal_number(title: str, index: int, rules: GoalTablesRules) -> tuple[str, str]:
    """The number a goal heading prints, else its position among the goals; and its title."""
    if rules.goal_number_pattern:
        found = re.match(rules.goal_number_pattern, title, re.IGNORECASE)
        if found:
            return found.group("number"), collapse(title[found.end():])
    return str(index), collapse(title)


def _status(row: Row, scale: str, legend: list[StatusLegendEntry], status_rules: StatusRules,
            context: Context, title: str):
    resolved, unmatched = marks_to_status(row.marks, scale, legend, status_rules)
    if unmatched is not None:
        context.drop(f"status of {title[:60]!r}: mark {unmatched.kind} {unmatched.shape} {unmatched.color} "
                     f"{unmatched.glyph or ''} matches no {scale} legend entry; status left empty",
                     row.page_no, "status.legend")
    return resolved or (None, None, None)


def _column(header: list[str], title_col: int, names: list[str]) -> int | None:
    """The first column other than the title whose header is one of `names`."""
    return next((c for c in range(len(header)) if c != title_col and _names(header[c], names)), None)


def _worded_status(row: Row, scale: str, status_col: int | None, rules: StatusRules) -> str | None:
    """The status word a row without a mark carries in the table's status column, if any."""
    if status_col is None or status_col >= len(row.cells):
        return None
    return word_to_status(row.cells[status_col], scale, rules)


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


def goal_tables_evidence(segmented: SegmentedDocument, rules: GoalTablesRules) -> int:
    """Rows of status tables (`table_to_scale`)."""
    return sum(len(block.table.rows) for block in segmented.blocks
               if block.table is not None and table_to_scale(block.table, rules))


@family(GoalTablesRules, detect=goal_tables_evidence)
def goal_tables_to_records(segmented: SegmentedDocument, rules: GoalTablesRules, context: Context) -> FamilyRecords:
    base = (base_rules(context.rules_dir) if context.rules_dir else base_rules()).status
    labels = {scale: list(base.labels.get(scale, [])) + list(rules.legend_labels.get(scale, []))
              for scale in {**base.labels, **rules.legend_labels}}
    status_rules = StatusRules.model_validate(base.model_dump() | {
        "labels": {scale: [label.model_dump() for label in items] for scale, items in labels.items()}})
    legend = blocks_to_legend(segmented.blocks, status_rules, context.document_id)
    pattern = committee_pattern(rules.committees or titles_to_committees(_scale_titles(segmented, rules), rules))
    found = FamilyRecords(status_legend=legend)
    for index, (section, tables) in enumerate(_goal_sections(segmented.sections, rules), start=1):
        number, title = _goal_number(section.title, index, rules)
        goal = context.record(Goal, ("goal", number), page_no=section.page_no, bbox=section.bbox,
                              raw_text=section.title, level=rules.goal_level, number=number, title=title)
        found.goals.append(goal)
        goal_id = goal.goal_id
        seen: Counter[str] = Counter()
        for table in tables:
            scale, col = header_to_scale(table.header, rules)
            status_col = _column(table.header, col, [*status_rules.column_headers, *rules.status_headers])
            committee_col = _column(table.header, col, rules.committee_headers)
            for row in table.rows:
                if col >= len(row.cells) or not collapse(row.cells[col]):
                    context.drop("table row without a title", row.page_no, f"goal_tables.{scale}")
                    continue
                key = (scale, number, seen[scale])
                seen[scale] += 1
                comment_col = next((c for c in range(col + 1, len(row.cells)) if c not in (status_col, committee_col)),
                                   None)
                comment = cell_to_comment(row.cells[comment_col], rules) if comment_col is not None else None
                record_type = SCALE_TYPES[scale]
                extra: dict = {}
                text, bracketed = title_to_bracketed_status(collapse(row.cells[col]), scale, status_rules)
                if "committees" in record_type.model.model_fields:
                    text, extra["committees"] = title_to_committees(text, pattern)
                    if committee_col is not None and committee_col < len(row.cells):
                        listed = [c.strip() for c in re.split(r"[,;/\n]", row.cells[committee_col]) if c.strip()]
                        extra["committees"] = sorted(set(extra["committees"]) | set(listed))
                status, symbol, color = _status(row, scale, legend, status_rules, context, text)
                if status is None:
                    status = _worded_status(row, scale, status_col, status_rules) or bracketed
                getattr(found, record_type.field).append(context.record(
                    record_type.model, key, page_no=row.page_no, bbox=row.bbox, raw_text="\t".join(row.raw_cells),
                    goal_id=goal_id, title=text, status=status, status_symbol=symbol, status_color=color,
                    comment=comment, **extra))
    counts = {t.scale: len(getattr(found, t.field)) for t in MARKED_TYPES}
    _check_totals(segmented, counts, rules, context)
    return found
