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


def page_to_title(page: LayoutPage) -> str | None:
    """The largest text on a page (its first line where sizes are unknown, as in a text file)."""
    lines = [line for line in page.lines if line.text.strip()]
    if not lines:
        return None
    biggest = max(lines, key=lambda line: line.size or 0)
    return biggest.text.strip() if biggest.size else lines[0].text.strip()


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
