"""Records stage: from a segmented document to the rows the warehouse holds."""
from __future__ import annotations

from extract.metadata import layout_to_document
from extract.settings import base_rules
from models import Extraction, Page
from models.segments import SegmentedDocument


def segments_to_extraction(segmented: SegmentedDocument) -> Extraction:
    layout = segmented.layout
    municipality, document = layout_to_document(layout, base_rules())
    pages = [
        Page(document_id=document.document_id, page_no=page.page_no, raw_text=page.raw_text,
             text=segmented.texts[page.page_no], source=page.source)
        for page in layout.pages
    ]
    return Extraction(municipality=municipality, document=document, pages=pages)
