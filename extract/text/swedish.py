"""What Swedish text looks like, letter by letter and word by word: the language data that repair, the
page quality score and the OCR check share.

Swedish prose carries about 3.5 % å, ä and ö among its letters (rules/swedish.yaml); an OCR run with
the wrong language model strips most of them, so how many survive says how far a text can be
trusted. A word is known when the Swedish lexicon (hunspell-sv, with its compounds) or the list of
names knows it; its zipf frequency comes from wordfreq.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from extract.rules import RULES_DIR, RuleModel, load_model
from extract.text.lexicon import Lexicon, frequency, swedish_lexicon

WORD = re.compile(r"(?:[^\W_]|[&|])+")
"""A word as OCR leaves it: letters and digits, with '&' and '|' that stand for lost letters."""


class SwedishRules(RuleModel):
    marked_letters: str = Field(min_length=1)
    """The letters an OCR run with the wrong language loses."""
    expected_mark_share: float = Field(gt=0, lt=1)
    """Share of the letters of Swedish prose that are marked letters."""
    known_names: list[str] = []
    """Place and proper names the lexicon lacks, in their correct spelling."""


class LanguageSettings(BaseModel):
    """How the letter statistics and word frequencies are read."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    mark_prior_letters: int = Field(1000, ge=0)
    """Letters of correct Swedish assumed before reading a text, so a short text with no marks is
    not taken for a stripped one."""
    garbled_survival: float = Field(0.3, gt=0, le=1)
    """Below this share of the expected marks a text counts as garbled."""
    min_letters_to_judge: int = 200
    """A text shorter than this is never judged garbled from its marks alone."""
    dictionary_frequency: float = 1.5
    """Zipf frequency given to a dictionary word that wordfreq's list lacks."""
    compound_frequency: float = 1.0
    """Least zipf frequency given to a compound the dictionary's parts build."""
    loose_compound_frequency: float = 1.0
    """Zipf frequency of two stand-alone words written together, which the dictionary lacks."""
    loose_compound_min_part: int = 4
    max_word_length: int = Field(48, gt=0)
    """A longer token is no word (no Swedish word in a report comes near): it is never looked up as a
    compound nor repaired, which bounds the time a run of letters in a broken file can take."""


DEFAULT_LANGUAGE = LanguageSettings()


@lru_cache(maxsize=4)
def swedish_rules(rules_dir: Path = RULES_DIR) -> SwedishRules:
    return load_model(SwedishRules, "swedish.yaml", rules_dir=rules_dir)


@lru_cache(maxsize=8)
def letters_and_marks(text: str) -> tuple[int, int]:
    """(letters, marked letters) in the text; remembered for the last few texts, since a page's text is
    judged by quality, mark survival and garbling in turn."""
    marked = swedish_rules().marked_letters
    return sum(ch.isalpha() for ch in text), sum(ch in marked for ch in text)


def mark_survival(text: str, settings: LanguageSettings = DEFAULT_LANGUAGE) -> float:
    """Share of the expected å/ä/ö that the text carries (1.0 for normal Swedish prose)."""
    share = swedish_rules().expected_mark_share
    letters, marks = letters_and_marks(text)
    prior = settings.mark_prior_letters * share
    expected = letters * share + prior
    return min(1.0, (marks + prior) / expected) if expected else 1.0


def is_garbled(text: str, settings: LanguageSettings = DEFAULT_LANGUAGE) -> bool:
    """Whether a text long enough to judge carries far fewer å/ä/ö than Swedish prose."""
    letters, marks = letters_and_marks(text)
    if letters < settings.min_letters_to_judge:
        return False
    return marks / (letters * swedish_rules().expected_mark_share) < settings.garbled_survival


@lru_cache(maxsize=1)
def _lexicon() -> tuple[Lexicon, frozenset[str]]:
    return swedish_lexicon(), frozenset(name.lower() for name in swedish_rules().known_names)


def word_frequency(word: str, settings: LanguageSettings = DEFAULT_LANGUAGE) -> float | None:
    """Zipf frequency of a known word (any case), None for a word the lexicon does not know."""
    return _key_frequency(word.lower(), settings)


def is_known_word(word: str, settings: LanguageSettings = DEFAULT_LANGUAGE) -> bool:
    """Whether the lexicon knows the word (any case): word_frequency without looking up the frequency."""
    return _key_kind(word.lower(), settings) is not None


@lru_cache(maxsize=200_000)
def _key_kind(key: str, settings: LanguageSettings) -> Literal["word", "compound", "loose"] | None:
    if len(key) > settings.max_word_length:
        return None
    lex, names = _lexicon()
    if lex.is_word(key) or key in names:
        return "word"
    if lex.is_compound(key) or lex.is_part(key):
        return "compound"
    if lex.loose_compound_parts(key, settings.loose_compound_min_part):
        return "loose"
    return None


@lru_cache(maxsize=200_000)
def _key_frequency(key: str, settings: LanguageSettings) -> float | None:
    kind = _key_kind(key, settings)
    if kind == "word":
        return max(frequency(key), settings.dictionary_frequency)
    if kind == "compound":
        return max(frequency(key), settings.compound_frequency)
    return settings.loose_compound_frequency if kind == "loose" else None
