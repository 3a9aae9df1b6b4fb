"""Theme coding: every goal, resultatmål, uppdrag, activity and indicator coded to CAP major topics and
Agenda 2030 goals, so municipalities can be compared on one codebook.

The vocabulary lives in `rules/themes.yaml`; this module only matches it. Text is lower-cased and
lemmatised with spaCy's Swedish lookup tables, then matched three ways: phrases on lemma and on the
lower-cased form, compound heads (a one-word term at the end of a longer word: "sjukfrånvaron"
holds "frånvaro"), and compound beginnings listed as prefixes. A code scores by the distinct terms it
matched, title hits weighted above comment hits; a record gets the best codes that pass the threshold.
"""
from __future__ import annotations

import csv
import datetime as dt
import json
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

from pydantic import BaseModel, Field, computed_field, field_validator, model_validator

from extract.evaluation.records import gold_to_rows, normalise
from extract.rules import RULES_DIR, RuleModel, RulesError, load_model
from models.records import (Activity, Assignment, Document, Extraction, Goal, Indicator, Provenance, Theme,
                            ResultGoal)

THEMES_FILE = "themes.yaml"
GOLD_CSV = Path(__file__).resolve().parents[2] / "corpus" / "gold" / "themes.csv"

COMPOUND_CACHE_SIZE = 200_000
"""Word forms whose compound hits are remembered per process (a few MB), emptied when full."""

Key = tuple[str, str, str]
"""(municipality_code, record_type, title): how the hand-coded sample names a record."""


# --- rules ------------------------------------------------------------------------------------
class ThemeSettings(RuleModel):
    title_weight: float = 2.0
    text_weight: float = 1.0
    threshold: float = 2.0
    """A code needs at least this score (one title hit, or two distinct comment hits by default)."""
    relative_cutoff: float = 0.5
    """A code also needs this share of the record's best score in its scheme."""
    max_codes: int = Field(3, ge=1)
    compound_min_head: int = Field(4, ge=2)
    """Shortest term accepted as the head of a compound."""
    compound_min_modifier: int = Field(3, ge=1)
    """Shortest first part a compound must keep besides the matched head or prefix."""


class ThemeCode(RuleModel):
    code: str
    en: str
    sv: str
    terms: list[str] = []
    words: list[str] = []
    prefixes: list[str] = []
    patterns: list[list[dict[str, Any]]] = []

    @field_validator("terms", "words", "prefixes")
    @classmethod
    def _lower(cls, values: list[str]) -> list[str]:
        for value in values:
            if value != value.lower() or not value.strip():
                raise ValueError(f"terms are lower-case and non-empty: {value!r}")
        return values


class ThemeScheme(RuleModel):
    label: str
    codes: list[ThemeCode]

    @model_validator(mode="after")
    def _unique(self) -> ThemeScheme:
        seen = [c.code for c in self.codes]
        if len(seen) != len(set(seen)):
            raise ValueError(f"duplicate codes in scheme: {sorted(c for c in seen if seen.count(c) > 1)}")
        return self


class ThemeRules(RuleModel):
    settings: ThemeSettings = Field(default_factory=ThemeSettings)
    inflections: list[str] = []
    """Endings stripped from a compound's tail when the lookup table lacks the inflected form."""
    lemma_overrides: dict[str, str] = {}
    """Forms whose lookup lemma is wrong for this purpose ("ska" is not a form of "skola")."""
    schemes: dict[str, ThemeScheme]


def load_theme_rules(rules_dir: Path = RULES_DIR) -> ThemeRules:
    return load_model(ThemeRules, THEMES_FILE, rules_dir=rules_dir)


# --- records ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class RecordText:
    record_type: str
    record_id: str
    title: str
    """The record's key title: the title, or an indicator's name."""
    head: str
    """Text weighted as title (an indicator's group joins its name)."""
    body: str


def extraction_to_texts(extraction: Extraction) -> list[RecordText]:
    texts = [RecordText("goal", g.goal_id, g.title, g.title, "") for g in extraction.goals]
    texts += [RecordText("result_goal", r.result_goal_id, r.title, r.title, r.comment or "")
              for r in extraction.result_goals]
    texts += [RecordText("assignment", a.assignment_id, a.title, a.title, a.comment or "")
              for a in extraction.assignments]
    texts += [RecordText("activity", a.activity_id, a.title, a.title, a.purpose or "")
              for a in extraction.activities]
    texts += [RecordText("indicator", i.indicator_id, i.name, f"{i.group_name or ''}. {i.name}", "")
              for i in extraction.indicators]
    return texts


# --- matching ---------------------------------------------------------------------------------
Hit = tuple[str, str, str]
"""(scheme, code, term)."""


@lru_cache(maxsize=1)
def swedish_nlp():
    """spaCy's blank Swedish pipeline with the lookup lemmatizer (spacy-lookups-data): built once."""
    import spacy

    nlp = spacy.blank("sv")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()
    return nlp


class ThemeCoder:
    """The rules compiled into spaCy matchers and compound tables."""

    def __init__(self, rules: ThemeRules):
        from spacy.matcher import Matcher, PhraseMatcher

        self.rules = rules
        self.settings = rules.settings
        self.nlp = swedish_nlp()
        self.lemma_table = self.nlp.get_pipe("lemmatizer").lookups.get_table("lemma_lookup")
        self.labels = {(name, c.code): c.en for name, scheme in rules.schemes.items() for c in scheme.codes}
        self.order = {(name, c.code): i for name, scheme in rules.schemes.items() for i, c in enumerate(scheme.codes)}
        self.hits_of: dict[str, list[Hit]] = {}
        self.heads: dict[str, list[Hit]] = defaultdict(list)
        self.prefixes: dict[str, list[Hit]] = defaultdict(list)
        self.by_lemma = PhraseMatcher(self.nlp.vocab, attr="LEMMA")
        self.by_lower = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        self.by_pattern = Matcher(self.nlp.vocab)
        for name, scheme in rules.schemes.items():
            for code in scheme.codes:
                for term in code.terms + code.words:
                    key = self._phrase_key(name, code.code, term)
                    doc = self.fix_lemmas(self.nlp(term))
                    self.by_lemma.add(key, [doc])
                    self.by_lower.add(key, [self.nlp.make_doc(term)])
                    if term in code.terms and len(doc) == 1 and len(term) >= self.settings.compound_min_head:
                        for form in {term, doc[0].lemma_}:
                            self.heads[form].append((name, code.code, term))
                for prefix in code.prefixes:
                    self.prefixes[prefix].append((name, code.code, prefix + "-"))
                for i, pattern in enumerate(code.patterns):
                    key = self._phrase_key(name, code.code, f"pattern {i + 1}")
                    try:
                        self.by_pattern.add(key, [pattern])
                    except Exception as exc:  # spaCy raises several types for a bad pattern
                        raise RulesError(f"{RULES_DIR / THEMES_FILE}: schemes.{name}.codes "
                                         f"{code.code}: patterns.{i}: {exc}") from None
        self.prefix_list = sorted(self.prefixes, key=len, reverse=True)
        self.compound_cache: dict[str, frozenset[Hit]] = {}

    def _phrase_key(self, scheme: str, code: str, term: str) -> str:
        key = f"{scheme}\x1f{code}\x1f{term}"
        self.hits_of[key] = [(scheme, code, term)]
        return key

    def lemma(self, form: str) -> str:
        return self.rules.lemma_overrides.get(form) or self.lemma_table.get(form, form)

    def fix_lemmas(self, doc):
        for token in doc:
            if token.lower_ in self.rules.lemma_overrides:
                token.lemma_ = self.rules.lemma_overrides[token.lower_]
        return doc

    def doc_to_hits(self, doc) -> set[Hit]:
        doc = self.fix_lemmas(doc)
        hits: set[Hit] = set()
        matched_tokens: set[int] = set()
        for matcher in (self.by_lemma, self.by_lower, self.by_pattern):
            for match_id, start, end in matcher(doc):
                hits.update(self.hits_of[self.nlp.vocab.strings[match_id]])
                if end - start == 1:
                    matched_tokens.add(start)
        for token in doc:
            if token.i not in matched_tokens and any(ch.isalpha() for ch in token.text):
                hits.update(self.form_to_compound_hits(token.text.lower()))
        return hits

    def form_to_compound_hits(self, form: str) -> frozenset[Hit]:
        """token_to_compound_hits, remembered per form: a report repeats its words, and the search over
        every split point is the coder's dearest step."""
        found = self.compound_cache.get(form)
        if found is None:
            if len(self.compound_cache) >= COMPOUND_CACHE_SIZE:
                self.compound_cache.clear()
            found = self.compound_cache[form] = frozenset(self.token_to_compound_hits(form))
        return found

    def token_to_compound_hits(self, form: str) -> set[Hit]:
        """Hits where `form` is a compound: a term as its head, or a listed prefix as its beginning.
        A form ending in '-' ("kultur-" in "kultur- och fritidsliv") is the elided first part."""
        s = self.settings
        if form.endswith("-"):
            part = form.strip("-")
            return set(self.heads.get(part, []) + self.heads.get(self.lemma(part), [])
                       + self.prefixes.get(part, []))
        hits: set[Hit] = set()
        starts = [0] + list(range(s.compound_min_modifier, len(form) - s.compound_min_head + 1))
        for i in starts:
            tail = form[i:]
            forms = [tail, self.lemma(tail)] + [tail[:-len(end)] for end in self.rules.inflections
                                                 if tail.endswith(end) and len(tail) - len(end) >= s.compound_min_head]
            found = [hit for f in forms for hit in self.heads.get(f, [])]
            if found:
                hits.update(found)
                break
        lemma = self.lemma(form)
        for prefix in self.prefix_list:
            if form.startswith(prefix) and len(form) - len(prefix) >= s.compound_min_modifier \
                    and lemma != self.lemma(prefix):
                hits.update(self.prefixes[prefix])
                break
        return hits

    def texts_to_themes(self, texts: list[RecordText]) -> list[Theme]:
        docs = self.nlp.pipe([t for r in texts for t in (r.head.lower(), r.body.lower())])
        themes: list[Theme] = []
        for record in texts:
            head_hits, body_hits = self.doc_to_hits(next(docs)), self.doc_to_hits(next(docs))
            themes.extend(self.hits_to_themes(record, head_hits, body_hits))
        return themes

    def hits_to_themes(self, record: RecordText, head: set[Hit], body: set[Hit]) -> list[Theme]:
        s = self.settings
        scores: dict[tuple[str, str], float] = defaultdict(float)
        terms: dict[tuple[str, str], list[str]] = defaultdict(list)
        for weight, hits in ((s.title_weight, head), (s.text_weight, body - head)):
            for scheme, code, term in sorted(hits):
                scores[scheme, code] += weight
                terms[scheme, code].append(term)
        themes: list[Theme] = []
        for scheme in self.rules.schemes:
            ranked = sorted(((score, key) for key, score in scores.items() if key[0] == scheme),
                            key=lambda item: (-item[0], self.order[item[1]]))
            if not ranked:
                continue
            floor = max(s.threshold, s.relative_cutoff * ranked[0][0])
            themes.extend(
                Theme(record_type=record.record_type, record_id=record.record_id, scheme=scheme, code=key[1],
                      label=self.labels[key], score=score, matched_terms=terms[key])
                for score, key in ranked[:s.max_codes] if score >= floor)
        return themes


@lru_cache(maxsize=1)
def theme_coder() -> ThemeCoder:
    return ThemeCoder(load_theme_rules())


def records_to_themes(extraction: Extraction, coder: ThemeCoder | None = None) -> list[Theme]:
    """Theme rows for every goal, result goal, assignment, activity and indicator in `extraction`."""
    return (coder or theme_coder()).texts_to_themes(extraction_to_texts(extraction))


# --- evaluation -------------------------------------------------------------------------------
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
    return Extraction(
        municipality=None, document=document, pages=[],
        goals=[Goal(**r, provenance=provenance) for r in rows["goal"]],
        result_goals=[ResultGoal(**r, provenance=provenance) for r in rows["result_goal"]],
        assignments=[Assignment(**r, provenance=provenance) for r in rows["assignment"]],
        indicators=[Indicator(**r, provenance=provenance) for r in rows["indicator"]],
        activities=[Activity(**r, provenance=provenance) for r in rows["activity"]],
    )


def gold_jsons_to_coded(paths: Iterable[Path], coder: ThemeCoder | None = None) -> dict[Key, dict[str, set[str]]]:
    coded: dict[Key, dict[str, set[str]]] = {}
    for path in paths:
        extraction = gold_json_to_extraction(path)
        coded.update(themes_to_coded(extraction, records_to_themes(extraction, coder)))
    return coded


def evaluate_gold_themes(gold_dir: Path = GOLD_CSV.parent, gold_csv: Path = GOLD_CSV) -> ThemeReport:
    """Code the gold JSON records directly and score them against the hand-coded sample."""
    return evaluate_themes(gold_jsons_to_coded(sorted(Path(gold_dir).glob("*.json"))), gold_csv)


RECORD_TABLES = {
    "goal": ("goal", "goal_id", "title"),
    "result_goal": ("result_goal", "result_goal_id", "title"),
    "assignment": ("assignment", "assignment_id", "title"),
    "activity": ("activity", "activity_id", "title"),
    "indicator": ("indicator", "indicator_id", "name"),
}


def warehouse_to_coded(con) -> dict[Key, dict[str, set[str]]]:
    """The warehouse's theme coding keyed as the hand-coded sample keys it."""
    coded: dict[Key, dict[str, set[str]]] = {}
    for record_type, (table, id_column, title_column) in RECORD_TABLES.items():
        keys: dict[str, Key] = {}
        rows = con.execute(f"SELECT d.municipality_code, r.{id_column}, r.{title_column} "
                           f"FROM {table} r JOIN document d USING (document_id)").fetchall()
        for municipality, record_id, title in rows:
            keys[record_id] = _key(municipality, record_type, title)
            coded.setdefault(keys[record_id], {})
        for record_id, scheme, code in con.execute(
                "SELECT record_id, scheme, code FROM theme WHERE record_type = ?", [record_type]).fetchall():
            if record_id in keys:
                coded[keys[record_id]].setdefault(scheme, set()).add(code)
    return coded


def evaluate_warehouse_themes(db_path: Path, gold_csv: Path = GOLD_CSV) -> ThemeReport:
    """Theme coding in the warehouse against the hand-coded sample."""
    from extract.warehouse.load import connect

    con = connect(Path(db_path), read_only=True)
    try:
        return evaluate_themes(warehouse_to_coded(con), gold_csv)
    finally:
        con.close()
