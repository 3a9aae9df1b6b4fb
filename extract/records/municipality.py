"""Which kommun a document comes from, for any of the 290 in the register (rules/kommuner.yaml).

A document names its kommun on the cover, in the running header or footer and in the text, mostly in
a form that makes the name the kommun's ('Köpings kommun', 'Göteborgs Stad', 'Region Gotland'); a
name followed by 'län' is the county's. OCR with the wrong language prints the names without their
å, ä and ö ('Ostersunds kommun', '6stersund'): those spellings are derived from the confusions of
rules/repair.yaml, not listed. Named forms count more than plain mentions, and the top of page 1 more
than the rest; a plain mention counts only capitalised, and not where the document uses the same word
in lower case as an ordinary word ('vara', 'mark').
"""
from __future__ import annotations

import itertools
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from extract.rules import RULES_DIR
from extract.rules.base import MunicipalityNames, base_rules
from extract.rules.register import Kommun, kommun_register
from extract.text.repair import repair_rules

TOKEN = re.compile(r"(?:[^\W_]|[&|])+")
"""Words as OCR leaves them ('6stersunds', 'K&vlinge'); a hyphen separates ('Malung-Sälen')."""
MAX_SPELLINGS = 256


def _letter_spellings(rules: MunicipalityNames) -> dict[str, list[str]]:
    """Each marked letter (lower case) with the ways OCR prints it, itself first."""
    repair = repair_rules()
    spellings: dict[str, list[str]] = defaultdict(list)
    confusions = [*repair.strip_confusions,
                  *(c for c in repair.debris_confusions if c.cost <= rules.ocr_max_cost and not c.unknown_only)]
    for confusion in confusions:
        for meant in confusion.meant:
            seen = confusion.seen.lower()
            if meant.lower() != meant or seen in spellings[meant]:
                continue
            spellings[meant].append(seen)
    return {letter: [letter, *seen] for letter, seen in spellings.items()}


def name_to_spellings(name: str, letters: dict[str, list[str]]) -> list[tuple[str, ...]]:
    """The name's words in lower case as printed and as OCR may print them, the printed form first."""
    lowered = name.lower()
    options = [letters.get(ch, [ch]) for ch in lowered]
    spellings = []
    for combination in itertools.islice(itertools.product(*options), MAX_SPELLINGS):
        spellings.append(tuple(TOKEN.findall("".join(combination))))
    return list(dict.fromkeys(spellings))


@dataclass(frozen=True)
class _Index:
    names: dict[tuple[str, ...], Kommun]
    longest: int


@lru_cache(maxsize=4)
def _index(rules_dir: Path = RULES_DIR) -> _Index:
    """Every spelling of every kommun's name → the kommun. A spelling that is another kommun's printed
    name ('Habo' for 'Håbo' stripped) or two kommuner's OCR spelling is nobody's."""
    register, rules = kommun_register(rules_dir), base_rules(rules_dir).municipality_names
    letters = _letter_spellings(rules)
    printed: dict[tuple[str, ...], Kommun] = {}
    derived: dict[tuple[str, ...], set[str]] = defaultdict(set)
    by_code = {k.code: k for k in register.municipalities}
    for kommun in register.municipalities:
        for name in (kommun.name, *kommun.forms):
            spellings = name_to_spellings(name, letters)
            printed[spellings[0]] = kommun
            for spelling in spellings[1:]:
                derived[spelling].add(kommun.code)
    names = dict(printed)
    for spelling, codes in derived.items():
        if spelling not in printed and len(codes) == 1:
            names[spelling] = by_code[next(iter(codes))]
    return _Index(names=names, longest=max(len(k) for k in names))


@dataclass
class _Found:
    kommun: Kommun
    score: float = 0.0
    first: int = 1 << 30


def _mentions(text: str, index: _Index, rules: MunicipalityNames, weight: float,
              found: dict[str, _Found], offset: int = 0) -> None:
    tokens = [(m.group(0), m.start()) for m in TOKEN.finditer(text)]
    lower = [t.lower() for t, _ in tokens]
    ordinary = {t for t, _ in tokens if t[:1].islower()}
    after, before, county = set(rules.after), set(rules.before), set(rules.county_after)
    i = 0
    while i < len(tokens):
        match = None
        for n in range(min(index.longest, len(tokens) - i), 0, -1):
            key = tuple(lower[i:i + n])
            kommun = index.names.get(key)
            if kommun is None and key[-1].endswith("s"):
                kommun = index.names.get(key[:-1] + (key[-1][:-1],))
            if kommun is not None:
                match = (kommun, n)
                break
        if match is None:
            i += 1
            continue
        kommun, n = match
        following = lower[i + n] if i + n < len(tokens) else ""
        preceding = lower[i - 1] if i > 0 else ""
        named = following in after or preceding in before
        plain = not tokens[i][0][:1].islower() and not (n == 1 and lower[i] in ordinary)
        if following not in county and (named or plain):
            entry = found.setdefault(kommun.code, _Found(kommun))
            entry.score += weight * (rules.named_weight if named else 1.0)
            entry.first = min(entry.first, offset + tokens[i][1])
        i += n


def text_to_kommun(lead: str, head: str, rules_dir: Path = RULES_DIR) -> Kommun | None:
    """The kommun the text names most (its first lines, `head`, weighted more); None when it names none."""
    rules, index = base_rules(rules_dir).municipality_names, _index(rules_dir)
    found: dict[str, _Found] = {}
    _mentions(lead, index, rules, 1.0, found)
    _mentions(head, index, rules, rules.head_weight - 1.0, found)
    if not found:
        return None
    return min(found.values(), key=lambda f: (-f.score, f.first)).kommun
