"""Theme coding measured against the hand-coded sample (corpus/gold/themes.csv): macro- and micro-F1 per
scheme, for the coding in a warehouse or for the gold records coded directly."""
from __future__ import annotations

import csv
import datetime as dt
import json
from collections import defaultdict
from pathlib import Path
from typing import Iterable

from pydantic import BaseModel, computed_field

from extract.evaluation.gold import gold_to_rows
from extract.records.themes import ThemeCoder, extraction_to_texts, records_to_themes
from extract.text.normalise import normalise
from models.records import Document, Extraction, Provenance, Theme
from models.registry import CODED_TYPES

GOLD_CSV = Path(__file__).resolve().parents[2] / "corpus" / "gold" / "themes.csv"

Key = tuple[str, str, str]
"""(municipality_code, record_type, title): how the hand-coded sample names a record."""


class SchemeScore(BaseModel):
    scheme: str
    records: int
    per_code: dict[str, float]
    """F1 per code present in the gold sample or the predictions."""
    micro_f1: float

    @computed_field
    @property
    def macro_f1(self) -> float:
        return sum(self.per_code.values()) / len(self.per_code) if self.per_code else 1.0


class ThemeReport(BaseModel):
    schemes: dict[str, SchemeScore]
    missing: list[Key] = []
    """Hand-coded records with no coded counterpart (scored as coded to nothing)."""

    def to_table(self) -> str:
        lines = [f"{'scheme':<6} {'records':>7} {'macro-F1':>9} {'micro-F1':>9}"]
        for s in self.schemes.values():
            lines.append(f"{s.scheme:<6} {s.records:>7} {s.macro_f1:>9.3f} {s.micro_f1:>9.3f}")
            weak = sorted((f1, code) for code, f1 in s.per_code.items() if f1 < 1.0)
            if weak:
                lines.append("       below 1.0: " + ", ".join(f"{code}={f1:.2f}" for f1, code in weak))
        if self.missing:
            lines.append(f"missing: {len(self.missing)} hand-coded records not found")
        return "\n".join(lines)


def _key(municipality_code: str | None, record_type: str, title: str) -> Key:
    return (municipality_code or "", record_type, normalise(title) or "")


def read_theme_gold(gold_csv: Path = GOLD_CSV) -> dict[Key, dict[str, set[str]]]:
    gold: dict[Key, dict[str, set[str]]] = defaultdict(dict)
    with open(gold_csv, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            codes = {c.strip() for c in (row["codes"] or "").split(";") if c.strip()}
            gold[_key(row["municipality_code"], row["record_type"], row["title"])][row["scheme"]] = codes
    return dict(gold)


def _f1(tp: int, fp: int, fn: int) -> float:
    return 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 1.0


def evaluate_themes(coded: dict[Key, dict[str, set[str]]], gold_csv: Path = GOLD_CSV) -> ThemeReport:
    """Per scheme, macro-F1 (per-code F1 averaged over codes in gold or predictions) and micro-F1 over
    the hand-coded records; a record the coding lacks counts as coded to nothing."""
    gold = read_theme_gold(gold_csv)
    coded = {_key(*key): value for key, value in coded.items()}
    schemes = sorted({scheme for value in gold.values() for scheme in value})
    report: dict[str, SchemeScore] = {}
    for scheme in schemes:
        counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
        records = 0
        for key, by_scheme in gold.items():
            if scheme not in by_scheme:
                continue
            records += 1
            truth, found = by_scheme[scheme], coded.get(key, {}).get(scheme, set())
            for code in truth | found:
                counts[code][0 if code in truth and code in found else 1 if code in found else 2] += 1
        total = [sum(c[i] for c in counts.values()) for i in range(3)]
        report[scheme] = SchemeScore(scheme=scheme, records=records, micro_f1=_f1(*total),
                                     per_code={code: _f1(*c) for code, c in sorted(counts.items())})
    return ThemeReport(schemes=report, missing=sorted(set(gold) - set(coded)))


def themes_to_coded(extraction: Extraction, themes: Iterable[Theme]) -> dict[Key, dict[str, set[str]]]:
    """The coding keyed as the hand-coded sample keys it; records with no theme are coded to nothing."""
    municipality = extraction.document.municipality_code
    coded: dict[Key, dict[str, set[str]]] = {}
    by_id: dict[str, Key] = {}
    for text in extraction_to_texts(extraction):
        key = _key(municipality, text.record_type, text.title)
        by_id[text.record_id] = key
        coded.setdefault(key, {})
    for theme in themes:
        coded[by_id[theme.record_id]].setdefault(theme.scheme, set()).add(theme.code)
    return coded


def gold_json_to_extraction(path: Path) -> Extraction:
    """A gold file as the extraction a perfect reader would produce: lets the coding be measured
    without a warehouse."""
    rows = gold_to_rows(json.loads(Path(path).read_text(encoding="utf-8")))
    doc_row = rows["document"][0]
    provenance = Provenance(sha256=doc_row["sha256"])
    doc_type = json.loads(Path(path).read_text(encoding="utf-8"))["document"]["doc_type"]
    document = Document(**{**doc_row, "doc_type": doc_type}, extractor_version="gold",
                        extracted_at=dt.datetime(2000, 1, 1))
    return Extraction(municipality=None, document=document, pages=[],
                      **{t.field: [t.model(**r, provenance=provenance) for r in rows[t.name]] for t in CODED_TYPES})


def gold_jsons_to_coded(paths: Iterable[Path], coder: ThemeCoder | None = None) -> dict[Key, dict[str, set[str]]]:
    coded: dict[Key, dict[str, set[str]]] = {}
    for path in paths:
        extraction = gold_json_to_extraction(path)
        coded.update(themes_to_coded(extraction, records_to_themes(extraction, coder)))
    return coded


def evaluate_gold_themes(gold_dir: Path = GOLD_CSV.parent, gold_csv: Path = GOLD_CSV) -> ThemeReport:
    """Code the gold JSON records directly and score them against the hand-coded sample."""
    return evaluate_themes(gold_jsons_to_coded(sorted(Path(gold_dir).glob("*.json"))), gold_csv)


def warehouse_to_coded(con) -> dict[Key, dict[str, set[str]]]:
    """The warehouse's theme coding keyed as the hand-coded sample keys it."""
    coded: dict[Key, dict[str, set[str]]] = {}
    for record_type in CODED_TYPES:
        keys: dict[str, Key] = {}
        rows = con.execute(f"SELECT d.municipality_code, r.{record_type.id_field}, r.{record_type.title} "
                           f"FROM {record_type.name} r JOIN document d USING (document_id)").fetchall()
        for municipality, record_id, title in rows:
            keys[record_id] = _key(municipality, record_type.name, title)
            coded.setdefault(keys[record_id], {})
        for record_id, scheme, code in con.execute(
                "SELECT record_id, scheme, code FROM theme WHERE record_type = ?", [record_type.name]).fetchall():
            if record_id in keys:
                coded[keys[record_id]].setdefault(scheme, set()).add(code)
    return coded


def evaluate_warehouse_themes(db_path: Path, gold_csv: Path = GOLD_CSV) -> ThemeReport:
    """Theme coding in the warehouse against the hand-coded sample."""
    from extract.warehouse.connection import connect

    con = connect(Path(db_path), read_only=True)
    try:
        return evaluate_themes(warehouse_to_coded(con), gold_csv)
    finally:
        con.close()
