"""Document families: one extractor per kind of report, each driven by its own rules model.

A family module registers itself with `@family(RulesModel)`; its rules model has a literal
`family` field (the discriminator) and forbids unknown keys. `rules/families/<family>.yaml` holds
the family's defaults and `rules/municipalities/<name>.yaml` layers a municipality's specifics on
top, so a new municipality with a known kind of report needs a rules file, not code.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from models import BBox, Provenance, RecordSet
from models.segments import SegmentedDocument

log = logging.getLogger("plans.records")


class FamilyRecords(RecordSet):
    """What a family extractor finds in one document."""

    document_fields: dict[str, Any] = {}
    """Document metadata the family reads (version, decided_date, decided_by, diarienummer, period)."""


@dataclass
class Context:
    """Per-document facts and the drop log every family shares."""

    document_id: str
    sha256: str
    source_file: str
    dropped: list[str] = field(default_factory=list)
    rules_dir: Path | None = None
    """Where the run's rule files live (None: the project's rules/)."""

    def provenance(self, page_no: int | None, bbox: BBox | None, raw_text: str | None) -> Provenance:
        return Provenance(sha256=self.sha256, page_no=page_no, bbox=bbox, raw_text=raw_text)

    def drop(self, reason: str, page_no: int | None, rule: str) -> None:
        """A bad record is dropped with its reason; the run goes on."""
        line = f"{self.source_file} p.{page_no}: dropped ({rule}): {reason}"
        self.dropped.append(line)
        log.info(line)


Extractor = Callable[[SegmentedDocument, Any, Context], FamilyRecords]
FAMILIES: dict[str, tuple[type[BaseModel], Extractor]] = {}


def family(rules_model: type[BaseModel]) -> Callable[[Extractor], Extractor]:
    name = rules_model.model_fields["family"].annotation.__args__[0]  # Literal["name"]

    def register(extractor: Extractor) -> Extractor:
        FAMILIES[name] = (rules_model, extractor)
        return extractor

    return register


def load_families() -> dict[str, tuple[type[BaseModel], Extractor]]:
    """Import every family module so each registers itself."""
    import importlib
    import pkgutil

    for module in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{module.name}")
    return FAMILIES
