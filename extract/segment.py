"""Segment stage: cut a document's pages into sections and blocks for the record extractors."""
from __future__ import annotations

from models import LayoutDocument
from models.segments import SegmentedDocument


def layout_to_segments(layout: LayoutDocument) -> SegmentedDocument:
    return SegmentedDocument(layout=layout, texts={page.page_no: page.raw_text for page in layout.pages})
