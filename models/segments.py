"""The segment stage's output: the document cut into sections with their blocks."""
from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from models.layout import LayoutDocument


class SegmentedDocument(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    layout: LayoutDocument
    texts: dict[int, str]
    """Repaired text per page number (equal to the raw text until repair changes it)."""
