"""Document-level facts: which municipality, what kind of document, which period it covers."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from extract import __version__
from extract.rules import RULES_DIR, rules_hash
from extract.records.municipality import text_to_kommun
from extract.rules.register import kommun_register
from extract.rules.base import BaseRules
from extract.text.normalise import text_to_period
from models import Document, LayoutDocument, LayoutPage, Municipality


def _lead_text(layout: LayoutDocument, rules: BaseRules) -> str:
    return "\n".join(page.raw_text for page in layout.pages[: rules.lookahead_pages])


def _head_text(layout: LayoutDocument, rules: BaseRules) -> str:
    """The top of the first page, where a document says what it is (a body text may name other
    kinds of documents)."""
    if not layout.pages:
        return ""
    return "\n".join(layout.pages[0].raw_text.splitlines()[: rules.doc_type_lines])


def layout_to_municipality(layout: LayoutDocument, rules: BaseRules,
                           rules_dir: Path = RULES_DIR) -> Municipality | None:
    """The kommun the first pages name most, the top of page 1 counting more."""
    kommun = text_to_kommun(_lead_text(layout, rules), _head_text(layout, rules), rules_dir)
    return kommun_register(rules_dir).municipality(kommun) if kommun else None


def text_to_doc_type(text: str, rules: BaseRules) -> str:
    for rule in rules.doc_types:
        if any(re.search(p, text, re.IGNORECASE) for p in rule.patterns):
            return rule.doc_type
    return "other"


def page_to_title(page: LayoutPage, size_tolerance: float = 0.1) -> str | None:
    """The largest text on a page with the lines of its size (within `size_tolerance` of it, as OCR
    measures) that stand right under it, since a long title wraps; the first line where sizes are
    unknown, as in a text file."""
    lines = [line for line in page.lines if line.text.strip()]
    if not lines:
        return None
    biggest = max(lines, key=lambda line: line.size or 0)
    if not biggest.size:
        return lines[0].text.strip()
    parts = [biggest]
    for line in lines[lines.index(biggest) + 1:]:
        last = parts[-1]
        if not line.size or abs(line.size - biggest.size) > size_tolerance * biggest.size:
            break
        if line.bbox and last.bbox and line.bbox[1] - last.bbox[3] > last.bbox[3] - last.bbox[1]:
            break  # a gap of more than a line: another text of the same size
        parts.append(line)
    return wrapped_lines_to_text([part.text.strip() for part in parts])


def wrapped_lines_to_text(lines: list[str]) -> str:
    """Lines of one wrapped text joined by spaces, except where the wrap broke a word: a hyphen at the
    line end, or a line ending in no word whose end with the next line's start makes one
    ('Verksamhetspla' / 'n 2024')."""
    from extract.text.swedish import is_known_word

    text = lines[0]
    for line in lines[1:]:
        tail, head = text.rsplit(" ", 1)[-1], line.split(" ", 1)[0]
        if tail.endswith("-") and head[:1].islower() and is_known_word(tail[:-1] + head.rstrip(".,:;")):
            text = text[:-1] + line
        elif (head[:1].islower() and tail[-1:].isalpha() and not is_known_word(tail)
              and is_known_word(tail + head.rstrip(".,:;"))):
            text += line
        else:
            text += " " + line
    return text


def layout_to_title(layout: LayoutDocument) -> str | None:
    """The PDF's own title, else the largest text on the first page."""
    if layout.title:
        return layout.title.strip()
    return page_to_title(layout.pages[0]) if layout.pages else None


def layout_to_document(layout: LayoutDocument, rules: BaseRules, rules_dir: Path = RULES_DIR,
                       extracted_at: dt.datetime | None = None) -> tuple[Municipality | None, Document]:
    """The document's facts; `rules_dir` is the folder of the rules it is read with, whose digest
    the document carries (rules_version)."""
    text = _lead_text(layout, rules)
    title = layout_to_title(layout)
    municipality = layout_to_municipality(layout, rules, rules_dir)
    start, end = text_to_period(f"{title or ''}\n{text}", rules.periods, rules.month_names)
    document = Document(
        document_id=layout.document_id,
        municipality_code=municipality.code if municipality else None,
        title=title,
        doc_type=text_to_doc_type(f"{title or ''}\n{_head_text(layout, rules)}", rules),
        period_start=start,
        period_end=end,
        source_file=layout.source_file,
        source_path=layout.source_path,
        sha256=layout.sha256,
        pages=len(layout.pages),
        extractor_version=__version__,
        extracted_at=extracted_at or dt.datetime.now(dt.timezone.utc).replace(tzinfo=None),
        rules_version=rules_hash(rules_dir),
    )
    return municipality, document
