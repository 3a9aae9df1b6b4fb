"""Document families: one extractor per kind of report, each driven by its own rules model.

A family module registers itself with `@family(RulesModel)`; its rules model has a literal
`family` field (the discriminator) and forbids unknown keys. `rules/families/<family>.yaml` holds
the family's defaults and `rules/municipalities/<name>.yaml` layers a municipality's specifics on
top. A document no rules file names is read by the family whose structures it holds (with the
family's defaults): a rules file refines, it is never what makes a document readable.

What every family shares is here: the per-document Context that makes records (ids from content,
provenance filled in) and notices (one format), and the registry of families.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, Field

from extract.rules import RuleModel
from extract.rules.base import SegmentOverrides
from models import BBox, Provenance, RecordSet
from models.records import stable_id
from models.registry import RECORD_TYPES
from models.segments import SegmentedDocument

log = logging.getLogger("plans.records")

R = TypeVar("R", bound=BaseModel)
_ID_FIELD = {t.model: t.id_field for t in RECORD_TYPES}


class FamilyRules(RuleModel):
    """What every family's rules share: how the family's documents are segmented, where that differs
    from the base rules (titles that wrap differently, tables that continue differently)."""

    segment: SegmentOverrides = SegmentOverrides()
    min_evidence: int = Field(2, ge=1)
    """Where no rules file names the family for a document, how many of the family's structures (goal
    tables, indicator tables, numbered goal headings, check-box questions) the document must hold to
    be read by it."""


class FamilyRecords(RecordSet):
    """What a family extractor finds in one document."""

    document_fields: dict[str, Any] = {}
    """Document metadata the family reads (version, decided_date, decided_by, diarienummer, period)."""


@dataclass
class Context:
    """Per-document facts, and the one way families make records and tell the user about them."""

    document_id: str
    sha256: str
    source_file: str
    doc_types: frozenset[str] = frozenset()
    """The document types the base rules know."""
    rules_dir: Path | None = None
    """Where the run's rule files live (None: the project's rules/)."""
    notices: list[str] = field(default_factory=list)

    def provenance(self, page_no: int | None, bbox: BBox | None, raw_text: str | None) -> Provenance:
        return Provenance(sha256=self.sha256, page_no=page_no, bbox=bbox, raw_text=raw_text)

    def record(self, model: type[R], key: tuple[object, ...], *, page_no: int | None, bbox: BBox | None,
               raw_text: str | None, **fields: Any) -> R:
        """A record of `model` in this document: its id from `key` (what identifies it inside the
        document), its page and provenance filled in."""
        id_field = _ID_FIELD.get(model)
        if id_field is not None:
            fields[id_field] = stable_id(self.document_id, *key)
        return model(document_id=self.document_id, page_no=page_no,
                     provenance=self.provenance(page_no, bbox, raw_text), **fields)

    def notice(self, message: str, page_no: int | None = None) -> None:
        """One line for the user, naming the file (and page) it is about."""
        where = f"{self.source_file} p.{page_no}" if page_no is not None else self.source_file
        self.notices.append(f"{where}: {message}")

    def drop(self, reason: str, page_no: int | None, rule: str) -> None:
        """A bad record is dropped with its reason and the rule that dropped it; the run goes on."""
        self.notice(f"dropped ({rule}): {reason}", page_no)
        log.info(self.notices[-1])


Extractor = Callable[[SegmentedDocument, Any, Context], FamilyRecords]
Detector = Callable[[SegmentedDocument, Any], int]
"""How many of the family's structures a document holds, read with the family's rules."""
FAMILIES: dict[str, tuple[type[BaseModel], Extractor]] = {}
DETECTORS: dict[str, Detector] = {}


def family(rules_model: type[BaseModel], detect: Detector) -> Callable[[Extractor], Extractor]:
    """Register a family: its rules model, its extractor, and how to tell its documents by structure."""
    name = rules_model.model_fields["family"].annotation.__args__[0]  # Literal["name"]

    def register(extractor: Extractor) -> Extractor:
        FAMILIES[name] = (rules_model, extractor)
        DETECTORS[name] = detect
        return extractor

    return register


def load_families() -> dict[str, tuple[type[BaseModel], Extractor]]:
    """Import every family module so each registers itself."""
    import importlib
    import pkgutil

    for module in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{module.name}")
    return FAMILIES
