"""Status tables: a title column, perhaps a status column, a committee column and a comment column,
each row a result goal or an uppdrag whose status is a mark (vector, glyph, picture, cell colour), a
status word in its own column or a word in brackets closing the title. Committees close a title
('... KS, BUN') or stand in their own column."""
from __future__ import annotations

import re
from collections import Counter

from extract.records.families import Context
from extract.records.status import CLOSING_BRACKETS, marks_to_status, title_to_bracketed_status, word_to_status
from extract.rules import Regex, RuleModel
from extract.rules.base import StatusRules
from extract.text.normalise import collapse
from models import StatusLegendEntry
from models.records import StatusScale
from models.registry import MARKED_TYPES
from models.segments import Row, StitchedTable

SCALE_TYPES = {t.scale: t for t in MARKED_TYPES}
"""The record type each status scale's tables hold."""
class TableRule(RuleModel):
    scale: StatusScale
    headers: list[str]
    """Title-column header names (compared case-insensitively, whitespace collapsed)."""


class StatusTableRules(RuleModel):
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
    bullet_pattern: Regex = "[•▪◦]"
    """What starts a comment's bullet item at the start of a line."""
    comment_joiner: str = " • "


HEADER_STRAY = " «»*•·|_~"
HEADER_MIN_FUZZY_LENGTH = 8
HEADER_FUZZY_RATIO = 88.0
"""A header word this long may differ from the rules' by a letter OCR misread ('Vernsamhetsmål')."""


def _same_words(cell: str, name: str) -> bool:
    if cell == name or cell.startswith(name + " "):
        return True
    if len(name) < HEADER_MIN_FUZZY_LENGTH:
        return False
    from rapidfuzz.fuzz import ratio

    head = " ".join(cell.split()[:len(name.split())])
    return ratio(head, name) >= HEADER_FUZZY_RATIO


def names(header: str, wanted: list[str]) -> bool:
    """Whether a header cell is one of `wanted`, or one of them followed by more words ('Uppdrag från
    fullmäktige'); a long name may differ by a misread letter, and OCR's stray marks around it are passed over."""
    cell = collapse(header).strip(HEADER_STRAY).casefold()
    return any(_same_words(cell, collapse(name).casefold()) for name in wanted)


def header_to_scale(header: list[str], rules: StatusTableRules) -> tuple[StatusScale, int] | None:
    """The table's scale and title column, from the first header cell that names one; empty cells and
    status columns before it are passed over."""
    for col, cell in enumerate(header):
        if not collapse(cell) or names(cell, rules.status_headers):
            continue
        for table in rules.tables:
            if names(cell, table.headers):
                return table.scale, col
        return None
    return None


def committee_pattern(committees: list[str]) -> re.Pattern | None:
    """A comma-separated run of known abbreviations at the end of a title."""
    if not committees:
        return None
    names = "|".join(re.escape(c) for c in sorted(committees, key=len, reverse=True))
    return re.compile(rf"\s+((?:{names})(?:\s*,\s*(?:{names}))*)\s*[.,]?\s*$")


def titles_to_committees(titles: list[str], rules: StatusTableRules) -> list[str]:
    """The committee abbreviations a document closes its titles with, where no rules list them: those
    in comma-separated runs, and those closing `committee_min_titles` titles alone. Once a document
    shows the practice that way, every abbreviation closing a title is one of its committees."""
    abbreviation = rules.committee_abbreviation
    run = re.compile(rf"\s((?:{abbreviation})(?:\s*,\s*(?:{abbreviation}))*)\s*[.,]?\s*$")
    in_runs: set[str] = set()
    alone: Counter[str] = Counter()
    for title in titles:
        found = run.search(CLOSING_BRACKETS.sub("", collapse(title)))
        if not found:
            continue
        names = [name.strip() for name in found.group(1).split(",")]
        if len(names) > 1:
            in_runs.update(names)
        else:
            alone[names[0]] += 1
    frequent = {name for name, count in alone.items() if count >= rules.committee_min_titles}
    if in_runs or frequent:
        return sorted(in_runs | set(alone))
    return []


def title_to_committees(title: str, pattern: re.Pattern | None) -> tuple[str, list[str]]:
    title = collapse(title)
    found = pattern.search(title) if pattern else None
    if not found:
        return title, []
    return title[:found.start()].rstrip(" ,"), [c.strip() for c in found.group(1).split(",")]


def cell_to_comment(cell: str, rules: StatusTableRules) -> str | None:
    """Bullet items joined by the gold convention; text without bullets is one item."""
    items = re.split(rf"(?m)^\s*(?:{rules.bullet_pattern})\s*", cell)
    items = [collapse(item) for item in items if collapse(item)]
    return rules.comment_joiner.join(items) or None


def table_to_scale(table: StitchedTable, rules: StatusTableRules) -> tuple[StatusScale, int] | None:
    """The scale and title column of a status table: its header names a title column and no column
    holds figures for a year (a table of goals with figures, whose first column may be 'Mål', is an
    indicator table)."""
    found = header_to_scale(table.header, rules)
    if found is None or any(re.search(rules.period_header, collapse(h)) for h in table.header):
        return None
    return found


def _status(row: Row, scale: str, legend: list[StatusLegendEntry], status_rules: StatusRules,
            context: Context, title: str):
    resolved, unmatched = marks_to_status(row.marks, scale, legend, status_rules)
    if unmatched is not None and not any(e.scale == scale for e in legend):
        message = (f"{scale} rows carry colour marks but the document prints no legend this tool can read "
                   f"for them; their statuses are left empty (a rules file can name the legend's words: "
                   f"legend_labels)")
        if not any(notice.endswith(message) for notice in context.notices):
            context.notice(message)
    elif unmatched is not None:
        context.drop(f"status of {title[:60]!r}: mark {unmatched.kind} {unmatched.shape} {unmatched.color} "
                     f"{unmatched.glyph or ''} matches no {scale} legend entry; status left empty",
                     row.page_no, "status.legend")
    return resolved or (None, None, None)


def _column(header: list[str], title_col: int, wanted: list[str]) -> int | None:
    """The first column other than the title whose header is one of `wanted`."""
    return next((c for c in range(len(header)) if c != title_col and names(header[c], wanted)), None)


def _worded_column(table: StitchedTable, title_col: int, scale: str, rules: StatusRules) -> int | None:
    """A column without a status header whose filled cells (two at least) are all status words: its
    header may be cut or worded as no rules list."""
    for col in range(len(table.header)):
        if col == title_col:
            continue
        cells = [collapse(row.cells[col]) for row in table.rows if col < len(row.cells) and collapse(row.cells[col])]
        if len(cells) >= 2 and all(word_to_status(cell, scale, rules) for cell in cells):
            return col
    return None


def _worded_status(row: Row, scale: str, status_col: int | None, rules: StatusRules) -> str | None:
    """The status word a row without a mark carries in the table's status column, if any."""
    if status_col is None or status_col >= len(row.cells):
        return None
    return word_to_status(row.cells[status_col], scale, rules)


def table_rows_to_records(table: StitchedTable, rules: StatusTableRules, status_rules: StatusRules,
                          legend: list[StatusLegendEntry], committees: re.Pattern | None, context: Context,
                          goal_id: str | None, seen: Counter[str]) -> list:
    """The records of a status table's rows, each under `goal_id`; `seen` counts rows per scale under
    the goal, for stable ids."""
    scale, col = header_to_scale(table.header, rules)
    status_col = _column(table.header, col, [*status_rules.column_headers, *rules.status_headers])
    if status_col is None:
        status_col = _worded_column(table, col, scale, status_rules)
    committee_col = _column(table.header, col, rules.committee_headers)
    records = []
    for row in table.rows:
        if col >= len(row.cells) or not collapse(row.cells[col]):
            context.drop("table row without a title", row.page_no, f"goal_tables.{scale}")
            continue
        key = (scale, goal_id, seen[scale])
        seen[scale] += 1
        comment_col = next((c for c in range(col + 1, len(row.cells)) if c not in (status_col, committee_col)), None)
        comment = cell_to_comment(row.cells[comment_col], rules) if comment_col is not None else None
        record_type = SCALE_TYPES[scale]
        extra: dict = {}
        text, bracketed = title_to_bracketed_status(collapse(row.cells[col]), scale, status_rules)
        if "committees" in record_type.model.model_fields:
            text, extra["committees"] = title_to_committees(text, committees)
            if committee_col is not None and committee_col < len(row.cells):
                listed = [c.strip() for c in re.split(r"[,;/\n]", row.cells[committee_col]) if c.strip()]
                extra["committees"] = sorted(set(extra["committees"]) | set(listed))
        status, symbol, color = _status(row, scale, legend, status_rules, context, text)
        if status is None:
            status = _worded_status(row, scale, status_col, status_rules) or bracketed
        records.append(context.record(
            record_type.model, key, page_no=row.page_no, bbox=row.bbox, raw_text="\t".join(row.raw_cells),
            goal_id=goal_id, title=text, status=status, status_symbol=symbol, status_color=color,
            comment=comment, **extra))
    return records
