"""Theme coding: every goal, resultatmål, uppdrag, activity and indicator coded to CAP major topics and
Agenda 2030 goals, so municipalities can be compared on one codebook.

The vocabulary lives in `rules/themes.yaml`; this module only matches it. Text is lower-cased and
lemmatised with spaCy's Swedish lookup tables, then matched three ways: phrases on lemma and on the
lower-cased form, compound heads (a one-word term at the end of a longer word: "sjukfrånvaron"
holds "frånvaro"), and compound beginnings listed as prefixes. A code scores by the distinct terms it
matched, title hits weighted above comment hits; a record gets the best codes that pass the threshold.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field, field_validator, model_validator

from extract.rules import RULES_DIR, RuleModel, RulesError, load_model
from models.records import Extraction, RecordSet, Theme
from models.registry import CODED_TYPES

THEMES_FILE = "themes.yaml"

COMPOUND_CACHE_SIZE = 200_000
"""Word forms whose compound hits are remembered per process (a few MB), emptied when full."""

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


def _joined(record: BaseModel, fields: tuple[str, ...]) -> str:
    return ". ".join(value for value in (getattr(record, name) for name in fields) if value)


def extraction_to_texts(extraction: RecordSet) -> list[RecordText]:
    """The text of every record of a coded type (models.registry: theme_head and theme_body)."""
    return [RecordText(t.name, getattr(record, t.id_field), getattr(record, t.title),
                       _joined(record, t.theme_head), _joined(record, t.theme_body))
            for t in CODED_TYPES for record in getattr(extraction, t.field)]


# --- matching ---------------------------------------------------------------------------------
Hit = tuple[str, str, str]
"""(scheme, code, term)."""


@lru_cache(maxsize=1)
def swedish_lemmas():
    """spaCy's Swedish lemma lookup table, read from its on-disk cache (`extract.text.lemmas`)."""
    from extract.text.lemmas import Lemmatiser

    return Lemmatiser()


@lru_cache(maxsize=1)
def swedish_nlp():
    """spaCy's blank Swedish pipeline whose tokens get their lemmas as spaCy's lookup lemmatizer gives
    them (the table's lemma of the token's text, else the text), read from the on-disk table rather than
    loading its 660,000 entries into spaCy: built once."""
    import spacy
    from spacy.language import Language

    if "plans_lookup_lemmas" not in Language.factories:
        @Language.component("plans_lookup_lemmas")
        def lookup_lemmas(doc):
            table = swedish_lemmas()
            for token in doc:
                token.lemma_ = table.lemma(token.text)
            return doc

    nlp = spacy.blank("sv")
    nlp.add_pipe("plans_lookup_lemmas")
    return nlp


class ThemeCoder:
    """The rules compiled into spaCy matchers and compound tables."""

    def __init__(self, rules: ThemeRules):
        from spacy.matcher import Matcher, PhraseMatcher

        self.rules = rules
        self.settings = rules.settings
        self.nlp = swedish_nlp()
        self.lemma_table = swedish_lemmas()
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
        return self.rules.lemma_overrides.get(form) or self.lemma_table.lemma(form)

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

    def texts_to_themes(self, texts: list[RecordText], document_id: str) -> list[Theme]:
        docs = self.nlp.pipe([t for r in texts for t in (r.head.lower(), r.body.lower())])
        themes: list[Theme] = []
        for record in texts:
            head_hits, body_hits = self.doc_to_hits(next(docs)), self.doc_to_hits(next(docs))
            themes.extend(self.hits_to_themes(record, head_hits, body_hits, document_id))
        return themes

    def hits_to_themes(self, record: RecordText, head: set[Hit], body: set[Hit], document_id: str) -> list[Theme]:
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
                Theme(document_id=document_id, record_type=record.record_type, record_id=record.record_id, scheme=scheme, code=key[1],
                      label=self.labels[key], score=score, matched_terms=terms[key])
                for score, key in ranked[:s.max_codes] if score >= floor)
        return themes


@lru_cache(maxsize=1)
def theme_coder() -> ThemeCoder:
    return ThemeCoder(load_theme_rules())


def records_to_themes(extraction: Extraction, coder: ThemeCoder | None = None) -> list[Theme]:
    """Theme rows for every goal, result goal, assignment, activity and indicator in `extraction`."""
    return (coder or theme_coder()).texts_to_themes(extraction_to_texts(extraction), extraction.document.document_id)
