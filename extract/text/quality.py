"""How Swedish-looking a page's text is, so a user can see which pages are untrustworthy.

Three signals: the share of words the Swedish lexicon knows, the share of letters that are å/ä/ö
against what Swedish prose carries (a wrong-language OCR run leaves almost none), and the share of
OCR debris tokens ('[ >', '|', '6ka'). The score is their product, 0..1; the mark signal is
smoothed (see swedish.mark_survival) so a short line without å/ä/ö is not condemned.
"""
from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict, Field

from extract.text.swedish import (
    WORD,
    letters_and_marks,
    mark_survival,
    is_known_word,
    swedish_rules,
)

DEBRIS = re.compile(r"^[\W_]+$|[^\W\d_][0-9]|[0-9][^\W\d_]{1,3}$|[&|][^\W\d_]|[^\W\d_][&|]")
"""A token of symbols only, or a digit or '&'/'|' glued to letters ('6ka', '&r', 'I1')."""
NUMBERISH = re.compile(r"^[\d\s.,:;%()+–-]+$|^\d+[-–][^\W\d_]+$|^\d+(?:st|e|a|:e|:a)$")
"""Numbers, ranges and '2024-års' are not debris."""
MIN_WORD_LETTERS = 2


class PageQuality(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    score: float = Field(ge=0, le=1)
    tokens: int
    known_share: float
    """Words (two letters or more) the Swedish lexicon knows."""
    mark_share_expected: float
    mark_share_found: float
    """Share of letters that are å/ä/ö."""
    debris_share: float
    """Whitespace tokens that look like OCR debris."""


def text_to_quality(text: str) -> PageQuality:
    words = [w for w in (m.group(0) for m in WORD.finditer(text))
             if sum(ch.isalpha() for ch in w) >= MIN_WORD_LETTERS]
    known = sum(is_known_word(w) for w in words)
    tokens = text.split()
    debris = sum(bool(DEBRIS.search(t)) and not NUMBERISH.match(t) for t in tokens)
    letters, marks = letters_and_marks(text)
    expected = swedish_rules().expected_mark_share
    known_share = known / len(words) if words else 0.0
    found = marks / letters if letters else 0.0
    debris_share = debris / len(tokens) if tokens else 0.0
    mark_factor = mark_survival(text)
    score = known_share * mark_factor * (1.0 - debris_share) if words else 0.0
    return PageQuality(
        score=round(max(0.0, min(1.0, score)), 4), tokens=len(tokens), known_share=round(known_share, 4),
        mark_share_expected=expected, mark_share_found=round(found, 4),
        debris_share=round(debris_share, 4),
    )
