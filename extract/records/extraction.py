"""Records stage: from a segmented document to the rows the warehouse holds.

The document's municipality and type pick an entry in `rules/municipalities/*.yaml`; that entry,
layered on its family's defaults in `rules/families/<family>.yaml`, drives the family extractor.
Where no rules file names a reader for the document, the family whose structures the document holds
(read with the family's defaults) reads it, so a kommun needs no file of its own; a file only
refines. A document no reader recognises (a web page, a press release) gets no records and a
one-line notice: records are never invented.
"""
from __future__ import annotations

from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from extract.records.families import DETECTORS, Context, FamilyRecords, load_families
from extract.records.document import layout_to_document
from extract.records.segment import segments_with_overrides
from extract.text.quality import text_to_quality
from extract.rules import RULES_DIR, RuleModel, RulesError, merge, read_yaml, validate
from extract.rules.base import SegmentRules, base_rules
from models import Document, Extraction, LayoutPage, Page, RecordSet
from models.registry import RECORD_TYPES
from models.segments import SegmentedDocument


class DocumentEntry(RuleModel):
    family: str
    doc_types: list[str] = []
    """The document types this entry covers; empty covers every type."""


class MunicipalityRules(RuleModel):
    municipality: str
    documents: list[dict[str, Any]]


@lru_cache(maxsize=None)
def family_defaults(name: str, rules_dir: Path = RULES_DIR) -> dict[str, Any]:
    """A family's defaults: the shared readers' rules its model has fields for, under its own file."""
    model, _ = load_families()[name]
    shared = {field: rules for field, rules in base_rules(rules_dir).readers.items() if field in model.model_fields}
    path = rules_dir / "families" / f"{name}.yaml"
    return merge(shared, read_yaml(path) if path.exists() else {})


@lru_cache(maxsize=None)
def municipality_rules(rules_dir: Path = RULES_DIR) -> dict[str, list[tuple[DocumentEntry, BaseModel]]]:
    """Every municipality rule file, each document entry validated against its family's model."""
    families = load_families()
    by_code: dict[str, list[tuple[DocumentEntry, BaseModel]]] = {}
    for path in sorted((rules_dir / "municipalities").glob("*.yaml")):
        rules = validate(read_yaml(path), MunicipalityRules, str(path))
        for index, raw in enumerate(rules.documents):
            where = f"{path}: documents.{index}"
            name = raw.get("family")
            if name not in families:
                raise RulesError(f"{where}.family: unknown family {name!r}; known: {', '.join(sorted(families))}")
            model, _ = families[name]
            entry = DocumentEntry(family=name, doc_types=raw.get("doc_types", []))
            body = {k: v for k, v in raw.items() if k != "doc_types"}
            by_code.setdefault(rules.municipality, []).append(
                (entry, validate(merge(family_defaults(name, rules_dir), body), model, where)))
    return by_code


def document_to_family_rules(document: Document, rules_dir: Path = RULES_DIR) -> BaseModel | None:
    for entry, family_rules in municipality_rules(rules_dir).get(document.municipality_code or "", []):
        if not entry.doc_types or document.doc_type in entry.doc_types:
            return family_rules
    return None


@lru_cache(maxsize=None)
def default_family_rules(name: str, rules_dir: Path = RULES_DIR) -> BaseModel:
    """A family's rules as its defaults file gives them, for documents no municipality file claims."""
    model, _ = load_families()[name]
    return validate(family_defaults(name, rules_dir), model, str(rules_dir / "families" / f"{name}.yaml"))


def structure_to_family_rules(segmented: SegmentedDocument, rules: SegmentRules, rules_dir: Path = RULES_DIR
                              ) -> tuple[BaseModel, int, SegmentedDocument] | None:
    """The family whose structures the document holds most of, with how many and the document as the
    family segments it; None when no family finds at least its `min_evidence`."""
    best: tuple[BaseModel, int, SegmentedDocument] | None = None
    for name in sorted(load_families()):
        family_rules = default_family_rules(name, rules_dir)
        candidate = segments_with_overrides(segmented, family_rules.segment, rules)
        evidence = DETECTORS[name](candidate, family_rules)
        if evidence >= family_rules.min_evidence and (best is None or evidence > best[1]):
            best = (family_rules, evidence, candidate)
    return best


def _page_row(document: Document, page: LayoutPage, text: str) -> Page:
    """A page with its quality scores; the raw text is scored again only where repair changed it."""
    quality = text_to_quality(text).score
    raw_quality = quality if text == page.raw_text else text_to_quality(page.raw_text).score
    return Page(document_id=document.document_id, page_no=page.page_no, raw_text=page.raw_text, text=text,
                source=page.source, quality=quality, municipality_code=document.municipality_code,
                raw_quality=raw_quality)


def _unique(records: list, id_field: str, context: Context) -> list:
    """Records with distinct ids: a reader that reads one thing twice drops the second copy, with a
    reason, rather than fail the document's load."""
    seen: set[str] = set()
    kept = []
    for record in records:
        key = getattr(record, id_field)
        if key in seen:
            context.drop(f"a second record with the id of {getattr(record, 'title', key)!r}",
                         getattr(record, "page_no", None), "ids.duplicate")
            continue
        seen.add(key)
        kept.append(record)
    return kept


def _read(segmented: SegmentedDocument, family_rules: BaseModel, context: Context) -> FamilyRecords:
    _, extractor = load_families()[family_rules.family]
    return extractor(segmented, family_rules, context)


def _has_records(found: FamilyRecords) -> bool:
    return any(getattr(found, t.field) for t in RECORD_TYPES)


def segments_to_extraction(segmented: SegmentedDocument, rules_dir: Path = RULES_DIR) -> Extraction:
    layout = segmented.layout
    rules = base_rules(rules_dir)
    municipality, document = layout_to_document(layout, rules, rules_dir)
    pages = [_page_row(document, page, segmented.texts[page.page_no]) for page in layout.pages]
    context = Context(document_id=document.document_id, sha256=layout.sha256, source_file=layout.source_file,
                      doc_types=frozenset(d.doc_type for d in rules.doc_types), rules_dir=rules_dir)
    found = FamilyRecords()
    family_rules = document_to_family_rules(document, rules_dir) if document.doc_type != "other" else None
    claimed_by_rules = family_rules is not None
    unsegmented = segmented
    if family_rules is not None:
        segmented = segments_with_overrides(segmented, family_rules.segment, rules.segment)
    what = f"a {document.doc_type}"
    where = f" from {municipality.name}" if municipality else " from a kommun it does not name"
    if family_rules is None and document.doc_type != "other":
        by_structure = structure_to_family_rules(segmented, rules.segment, rules_dir)
        if by_structure is not None:
            family_rules, evidence, segmented = by_structure
            context.notice(f"{what}{where}, which no rules file names a reader for; read by the "
                           f"{family_rules.family} reader, whose structures it holds ({evidence} found)")
    if layout.pages and all(page.source == "image_only" for page in layout.pages):
        context.notice("image-only scan with no text; needs OCR; no records extracted")
    elif document.doc_type == "other":
        context.notice(f"not a plan or follow-up{where if municipality else ''}; no records extracted")
    elif family_rules is None:
        context.notice(f"{what}{where}; no records extracted: no rules file names a reader and no reader found "
                       "its structure (see the README, 'A report no reader recognises')")
    else:
        found = _read(segmented, family_rules, context)
        claimed = family_rules.family
        if not _has_records(found) and claimed_by_rules:
            by_structure = structure_to_family_rules(unsegmented, rules.segment, rules_dir)
            if by_structure is not None and by_structure[0].family != claimed:
                family_rules, evidence, segmented = by_structure
                retry = replace(context, notices=[])
                found = _read(segmented, family_rules, retry)
                context.notice(f"{what}{where}: the {claimed} reader its rules file names found no records; read "
                               f"by the {family_rules.family} reader, whose structures it holds ({evidence} found)")
                context.notices.extend(retry.notices)
        if not _has_records(found) and not found.notices and not context.notices:
            context.notice(f"the {family_rules.family} reader found no records in it; no records extracted")
    if found.document_fields:
        document = document.model_copy(update=found.document_fields)
    records = {name: getattr(found, name) for name in RecordSet.model_fields if name != "notices"}
    for record_type in RECORD_TYPES:
        if record_type.id_field:
            records[record_type.field] = _unique(records[record_type.field], record_type.id_field, context)
    return Extraction(municipality=municipality, document=document, pages=pages,
                      notices=found.notices + context.notices, **records)
