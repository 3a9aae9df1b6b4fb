"""Repair stage: text in, text out, before any record is read from it.

OCR runs with the wrong language strip Swedish å/ä/ö ("hallbar tillvaxt") and misread them as
shapes ("6ka", "&r", "sdkerstélla"). Each word the lexicon does not know, and each known word with
a far more frequent marked twin, is replaced by the best candidate the confusion table in
rules/repair.yaml generates, scored by word frequency minus the cost of the edits. How cheap it is
to restore a stripped mark follows from how many marks survive on the page, so a page of correct
Swedish passes unchanged while a stripped one is restored.
"""
from __future__ import annotations

import math
import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache

import ftfy
from pydantic import BaseModel, ConfigDict, Field

from extract.rules import Regex, RuleModel, load_model
from extract.text.swedish import (
    WORD,
    LanguageSettings,
    is_garbled,
    mark_survival,
    word_frequency,
)
from models.layout import LayoutDocument, LayoutPage, PageSource

UNTOUCHABLE = re.compile(r"(?<!\S)\S*?(?:[/_@]|www\.)\S*|\b(?:[^\W\d_]{1,3}\.){2,}|<[^<>\n]*>")
"""Addresses and paths, dotted abbreviations ('fr.o.m.') and markup: not prose, never repaired."""
GARBLE_EVIDENCE = re.compile(
    r"[^\W\d_][0-9&|é]|[0-9&|é][^\W\d_]|[a-zåäö][A-ZÅÄÖ]|^[A-ZÅÄÖ]{2}[a-zåäö]")
"""Inside a word: a digit, '&', '|' or 'é' among letters, or a capital where a small letter
belongs ('JAmtlands')."""
LINE_END_HYPHEN = re.compile(r"(?<![^\W\d_])([^\W\d_]+)-\n[ \t]*([^\W\d_]+)[ \t]?")
"""A word split at a line end. Matches start only where a word starts, so a long run of letters is
scanned once, not once from each of its letters."""
FTFY_CONFIG = ftfy.TextFixerConfig(
    unescape_html=False, remove_terminal_escapes=False, fix_latin_ligatures=False,
    fix_character_width=False, uncurl_quotes=False, fix_line_breaks=False,
    fix_surrogates=True, remove_control_chars=False, normalization="NFC", explain=False,
)


class Confusion(RuleModel):
    seen: str = Field(min_length=1)
    meant: list[str] = Field(min_length=1)
    cost: float = 0.0
    unknown_only: bool = False
    """Only for words the lexicon does not know (the letter is common in correct words)."""


class LostLetters(RuleModel):
    letters: list[str] = Field(min_length=1)
    cost: float = Field(gt=0)


class PatternRule(RuleModel):
    find: Regex
    replace: str


class ContextCue(RuleModel):
    prefer: str
    after: list[str] = []
    before: list[str] = []
    before_pattern: str | None = None
    bonus: float = Field(gt=0)


class RepairRules(RuleModel):
    strip_confusions: list[Confusion]
    debris_confusions: list[Confusion]
    lost_letters: LostLetters | None = None
    patterns: list[PatternRule] = []
    context_cues: list[ContextCue] = []
    protected_words: list[str] = []


class RepairSettings(BaseModel):
    """Tuning of the repair; the defaults are what `python -m extract.evaluation.repair` measures."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    strip_cost_cap: float = Field(3.5, gt=0)
    """Cost of restoring one stripped mark on a page where all marks survive."""
    language: LanguageSettings = LanguageSettings()
    """How letter statistics and word frequencies are read (the garbled threshold among them)."""
    max_rare_edits: int = Field(2, ge=0)
    """Edits of common letters and lost letters (tried on unknown words only) per word."""
    rare_edit_threshold: float = 2.0
    """Rare edits are tried only when no candidate without them scores this well."""
    known_word_margin: float = 2.0
    """Outside garbled text a known word yields only to a twin this much more frequent."""
    min_score: float = -1.0
    """An unknown word in garbled text is replaced only by a candidate scoring at least this."""
    min_score_clean: float = 0.5
    """The same outside garbled text, where an unknown word is more likely a rare correct one."""
    max_cost: float = 4.5
    max_candidates: int = Field(20_000, gt=0)
    dehyphenate: bool = True
    restore_words_on: frozenset[PageSource] = frozenset({"ocr_layer", "ocr", "text_file"})
    """Page sources whose words may have lost å, ä and ö (OCR, text exported from it): their words
    are restored; other pages only when they read as garbled."""


DEFAULT_SETTINGS = RepairSettings()


@lru_cache(maxsize=1)
def repair_rules() -> RepairRules:
    return load_model(RepairRules, "repair.yaml")


@dataclass(frozen=True)
class _Edit:
    seen: str
    meant: str
    cost: float | None
    """None: a stripped mark, costed by the page's mark survival."""
    unknown_only: bool = False


@lru_cache(maxsize=1)
def _edits_at() -> dict[str, list[_Edit]]:
    rules = repair_rules()
    edits: dict[str, list[_Edit]] = {}
    for conf in rules.strip_confusions:
        for meant in conf.meant:
            edits.setdefault(conf.seen[0], []).append(_Edit(conf.seen, meant, None))
    for conf in rules.debris_confusions:
        for meant in conf.meant:
            edits.setdefault(conf.seen[0], []).append(
                _Edit(conf.seen, meant, conf.cost, conf.unknown_only))
    return edits


@lru_cache(maxsize=1)
def _protected() -> frozenset[str]:
    return frozenset(repair_rules().protected_words)


def strip_cost(survival: float, settings: RepairSettings = DEFAULT_SETTINGS) -> float:
    lost = 1.0 - survival
    if lost <= 10 ** -settings.strip_cost_cap:
        return settings.strip_cost_cap
    return min(settings.strip_cost_cap, -math.log10(lost))




def word_to_candidates(word: str, mark_cost: float, settings: RepairSettings,
                       max_rare: int = 0) -> list[tuple[str, float]]:
    """Every spelling the confusion table reaches from `word`, with the summed cost of its edits.
    A capital inside a lower-case word is not a capital stripped of its mark but a misread small
    letter, so capital strip edits apply only at the start or in an all-capital word. At most
    `max_rare` edits of common letters or insertions of lost letters are made."""
    edits = _edits_at()
    lost = repair_rules().lost_letters
    all_caps = word.isupper()
    out: list[tuple[str, float]] = []

    def walk(i: int, built: str, cost: float, rare: int) -> None:
        if len(out) >= settings.max_candidates:
            return
        if lost and rare < max_rare and 0 < i and cost + lost.cost <= settings.max_cost:
            for letter in lost.letters:
                walk(i, built + letter, cost + lost.cost, rare + 1)
        if i == len(word):
            out.append((built, cost))
            return
        walk(i + 1, built + word[i], cost, rare)
        for edit in edits.get(word[i], ()):
            if not word.startswith(edit.seen, i) or (edit.unknown_only and rare >= max_rare):
                continue
            if edit.cost is None and edit.seen.isupper() and i > 0 and not all_caps:
                continue
            step = mark_cost if edit.cost is None else edit.cost
            if cost + step <= settings.max_cost:
                walk(i + len(edit.seen), built + edit.meant, cost + step, rare + edit.unknown_only)

    walk(0, "", 0.0, 0)
    return out


@lru_cache(maxsize=100_000)
def _scored(word: str, mark_cost: float, settings: RepairSettings,
            garbled: bool) -> tuple[tuple[str, float], ...]:
    """Known candidates of `word` with frequency minus cost, best first; the word itself included
    when known. Rare edits only for an unknown word not in capitals, in a garbled text or showing
    garbling itself."""
    best: dict[str, float] = {}
    unknown = word_frequency(word, settings.language) is None
    garbled = garbled or bool(GARBLE_EVIDENCE.search(word))
    rare_tiers = (0, settings.max_rare_edits) if unknown and garbled and not word.isupper() else (0,)
    for max_rare in rare_tiers:
        for cand, cost in word_to_candidates(word, mark_cost, settings, max_rare):
            freq = word_frequency(cand, settings.language)
            if freq is not None and freq - cost > best.get(cand, -math.inf):
                best[cand] = freq - cost
        if best and max(best.values()) >= settings.rare_edit_threshold:
            break
    return tuple(sorted(best.items(), key=lambda kv: -kv[1]))


def _cue_bonus(cand: str, prev: str | None, nxt: str | None) -> float:
    bonus = 0.0
    key = cand.lower()
    for cue in repair_rules().context_cues:
        if cue.prefer != key:
            continue
        if (prev is not None and prev.lower() in cue.after) or (
            nxt is not None and (nxt.lower() in cue.before
                                 or (cue.before_pattern and re.search(cue.before_pattern, nxt)))):
            bonus += cue.bonus
    return bonus


def _needs_repair(word: str) -> bool:
    return len(word) >= 2 and any(ch.isalpha() for ch in word) and not word.isdigit()


def _repairable(word: str, settings: RepairSettings) -> bool:
    return (_needs_repair(word) and len(word) <= settings.language.max_word_length
            and word.lower() not in _protected())


def choose_word(word: str, mark_cost: float, settings: RepairSettings, garbled: bool = False,
                prev: str | None = None, nxt: str | None = None) -> str:
    """The best spelling of `word` given its neighbours; `word` itself unless a candidate wins."""
    if not _repairable(word, settings):
        return word
    scored = _scored(word, mark_cost, settings, garbled)
    if not scored:
        return word
    own = dict(scored).get(word)
    ranked = sorted(((s + _cue_bonus(c, prev, nxt), c) for c, s in scored), reverse=True)
    top_score, top = ranked[0]
    if own is None:
        floor = settings.min_score if garbled else settings.min_score_clean
        return top if top_score >= floor else word
    own_score = own + _cue_bonus(word, prev, nxt)
    margin = 0.0 if garbled else settings.known_word_margin - mark_cost
    return top if top_score > own_score + max(0.0, margin) else word


@lru_cache(maxsize=64)
def _normalise(text: str) -> str:
    """Cached because a page's text is normalised once to judge it and again to repair it. ASCII text
    is already NFC and holds nothing ftfy's encoding fixes act on (they read non-ASCII characters)."""
    if text.isascii():
        return text
    text = unicodedata.normalize("NFC", text)
    return ftfy.fix_text(text, FTFY_CONFIG)


@lru_cache(maxsize=1)
def _patterns() -> tuple[tuple[re.Pattern[str], str], ...]:
    return tuple((re.compile(rule.find, re.MULTILINE), rule.replace) for rule in repair_rules().patterns)


def _apply_patterns(text: str) -> str:
    for pattern, replace in _patterns():
        text = pattern.sub(replace, text)
    return text


@lru_cache(maxsize=1)
def _cue_words() -> frozenset[str]:
    return frozenset(cue.prefer for cue in repair_rules().context_cues)


@lru_cache(maxsize=100_000)
def _context_free_choice(word: str, mark_cost: float, settings: RepairSettings,
                         garbled: bool) -> tuple[str, bool]:
    """choose_word without neighbours, and whether neighbours could change the choice: only when
    some candidate is preferred by a context cue, since otherwise every cue bonus is zero."""
    chosen = choose_word(word, mark_cost, settings, garbled)
    if not _repairable(word, settings):
        return chosen, False
    cues = _cue_words()
    return chosen, any(cand.lower() in cues for cand, _ in _scored(word, mark_cost, settings, garbled))


def _outside_spans(matches: list[re.Match[str]], spans: list[tuple[int, int]]) -> list[re.Match[str]]:
    """The matches that start outside every span (spans sorted and disjoint, as finditer gives them)."""
    if not spans:
        return matches
    starts = [a for a, _ in spans]
    kept = []
    for m in matches:
        i = bisect_right(starts, m.start()) - 1
        if i < 0 or m.start() >= spans[i][1]:
            kept.append(m)
    return kept


def dehyphenate(text: str, settings: RepairSettings = DEFAULT_SETTINGS,
                mark_cost: float | None = None, garbled: bool = False) -> str:
    """Join a word split across a line end when the joined word (once repaired) is known; the
    joined word stays on the first line."""
    if mark_cost is None:
        mark_cost = strip_cost(mark_survival(text, settings.language), settings)

    def join(m: re.Match[str]) -> str:
        left, right = m.group(1), m.group(2)
        if not right[0].islower():
            return m.group(0)
        joined = left + right
        if word_frequency(choose_word(joined, mark_cost, settings, garbled), settings.language) is None:
            return m.group(0)
        return joined + "\n"

    return LINE_END_HYPHEN.sub(join, text)


def repair_text(text: str, settings: RepairSettings | None = None,
                survival: float | None = None, restore_words: bool = True) -> str:
    """Repair one text. `survival` (see mark_survival) is read from the text itself unless given,
    e.g. from the whole page when repairing one line of it; below `garbled_survival` the text
    counts as garbled. Without `restore_words` only Unicode, mojibake, patterns and hyphenation
    are repaired."""
    settings = settings or DEFAULT_SETTINGS
    text = _apply_patterns(_normalise(text))
    if survival is None:
        survival = mark_survival(text, settings.language)
        garbled = is_garbled(text, settings.language)
    else:
        garbled = survival < settings.language.garbled_survival
    mark_cost = strip_cost(survival, settings)
    if settings.dehyphenate:
        text = dehyphenate(text, settings, mark_cost, garbled)
    if not restore_words:
        return text
    untouchable = [m.span() for m in UNTOUCHABLE.finditer(text)]
    matches = _outside_spans(list(WORD.finditer(text)), untouchable)
    words = [m.group(0) for m in matches]
    choices = [_context_free_choice(w, mark_cost, settings, garbled) for w in words]
    out: list[str] = []
    pos = 0
    prev: str | None = None
    for i, m in enumerate(matches):
        chosen, needs_context = choices[i]
        if needs_context:
            nxt = choices[i + 1][0] if i + 1 < len(choices) else None
            prev = choose_word(words[i], mark_cost, settings, garbled, prev, nxt)
        else:
            prev = chosen
        out.append(text[pos:m.start()])
        out.append(prev)
        pos = m.end()
    out.append(text[pos:])
    return "".join(out)


def repair_page(page: LayoutPage, settings: RepairSettings | None = None) -> LayoutPage:
    """Words are restored where text can have lost its marks: OCR output, text exports, and any
    page that reads as garbled. A born-digital text layer keeps its words as its fonts give them."""
    settings = settings or DEFAULT_SETTINGS
    text = _normalise(page.raw_text)
    garbled = is_garbled(text, settings.language)
    survival = 0.0 if garbled else mark_survival(text, settings.language)
    restore = garbled or page.source in settings.restore_words_on

    def fix(value: str) -> str:
        return repair_text(value, settings, survival, restore)

    def fixed(item):
        """The line or cell with repaired text; the item itself where repair changes nothing, so an
        unchanged page costs no second copy of its lines and cells."""
        new = fix(item.text)
        return item if new == item.text else item.model_copy(update={"text": new})

    lines = [fixed(line) for line in page.lines]
    tables = []
    for table in page.tables:
        cells = [fixed(c) for c in table.cells]
        tables.append(table if all(a is b for a, b in zip(cells, table.cells)) else
                      table.model_copy(update={"cells": cells}))
    raw_text = fix(page.raw_text)
    if raw_text == page.raw_text and all(a is b for a, b in zip(lines, page.lines)) \
            and all(a is b for a, b in zip(tables, page.tables)):
        return page
    return page.model_copy(update={"raw_text": raw_text, "lines": lines, "tables": tables})


def repair_document(doc: LayoutDocument, settings: RepairSettings | None = None) -> LayoutDocument:
    """A copy of `doc` with every page's text, lines and cells repaired. The page's `raw_text`
    field then holds the repaired text: keep the original document for the raw one."""
    return doc.model_copy(update={"pages": [repair_page(p, settings) for p in doc.pages]})

