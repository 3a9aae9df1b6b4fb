"""The Swedish lexicon the repair and quality stages judge words by.

Word forms come from the hunspell-sv dictionary (stems expanded with the suffix rules of its .aff
file, so no hunspell binary is needed), compounds are accepted when they split into parts the
dictionary marks as compound begin / middle / end, and frequencies come from wordfreq's Swedish
list. Everything is lower-cased: callers keep the case of the text themselves.
"""
from __future__ import annotations

import re
import sys
from collections.abc import Container
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from extract.errors import PlansError

DICTIONARY_NAME = "sv_SE"
FLAG_FORBIDDEN = "%"
FLAG_NEEDAFFIX = "¤"
FLAG_ONLY_IN_COMPOUND = "Z"
FLAG_BEGIN = "X"
FLAG_MIDDLE = "U"
FLAG_END = "Y"
COMPOUND_MIN_PART = 2
COMPOUND_MAX_PARTS = 4
LINKING_LETTERS = ("s",)
"""Letters a compound may insert between parts where the dictionary's begin forms lack them."""


class LexiconUnavailable(PlansError):
    """No Swedish hunspell dictionary is installed."""


def _wheel_folder() -> list[Path]:
    """Where the hunspell-sv wheel put its data: under the prefix of whichever site-packages holds it
    (a user or a shared install as well as this environment)."""
    try:
        dic = next(f for f in metadata.files("hunspell-sv") or () if f.name == f"{DICTIONARY_NAME}.dic")
    except (metadata.PackageNotFoundError, StopIteration):
        return []
    return [Path(dic.locate()).resolve().parent]


def dictionary_paths() -> tuple[Path, Path]:
    """The .dic/.aff pair: the hunspell-sv wheel's first, then under sys.prefix, then the system's."""
    for folder in (*_wheel_folder(), Path(sys.prefix) / "share" / "hunspell", Path("/usr/share/hunspell")):
        dic, aff = folder / f"{DICTIONARY_NAME}.dic", folder / f"{DICTIONARY_NAME}.aff"
        if dic.exists() and aff.exists():
            return dic, aff
    raise LexiconUnavailable(
        "no Swedish hunspell dictionary found: run `pip install hunspell-sv` "
        "(or `apt-get install hunspell-sv`)"
    )


@dataclass(frozen=True)
class _Suffix:
    strip: str
    add: str
    flags: str
    condition: re.Pattern[str]


def aff_to_suffixes(aff_text: str) -> dict[str, list[_Suffix]]:
    suffixes: dict[str, list[_Suffix]] = {}
    for line in aff_text.splitlines():
        parts = line.split()
        if len(parts) < 5 or parts[0] != "SFX":
            continue
        flag, strip, add, cond = parts[1], parts[2], parts[3], parts[4]
        add, _, flags = add.partition("/")
        suffixes.setdefault(flag, []).append(
            _Suffix("" if strip == "0" else strip, "" if add == "0" else add, flags,
                    re.compile(f"(?:{cond})$"))
        )
    return suffixes


@dataclass
class Lexicon:
    """Sets of forms while the dictionary is expanded; read back from the cache, each is a `TrieSet`."""

    words: Container[str] = field(default_factory=set)
    """Forms that stand alone as words."""
    begins: Container[str] = field(default_factory=set)
    middles: Container[str] = field(default_factory=set)
    ends: Container[str] = field(default_factory=set)

    def add(self, form: str, flags: str) -> None:
        if FLAG_FORBIDDEN in flags:
            return
        if FLAG_ONLY_IN_COMPOUND not in flags and FLAG_NEEDAFFIX not in flags:
            self.words.add(form)
        if FLAG_BEGIN in flags:
            self.begins.add(form)
        if FLAG_MIDDLE in flags:
            self.middles.add(form)

    def is_word(self, word: str) -> bool:
        return word in self.words

    def is_part(self, word: str) -> bool:
        """A compound's first part, as written before a hyphen ('jämställdhets- och ...')."""
        return word in self.begins

    def is_compound(self, word: str) -> bool:
        return self.compound_parts(word) is not None

    def compound_parts(self, word: str) -> list[str] | None:
        """The parts of a compound the dictionary's compound flags allow, or None."""
        return _compound_parts(self, word, 1)

    def loose_compound_parts(self, word: str, min_part: int) -> list[str] | None:
        """Two stand-alone words written together ('vandringleder'): a compound the dictionary's
        flags do not build but a writer may."""
        for cut in range(min_part, len(word) - min_part + 1):
            if word[:cut] in self.words and word[cut:] in self.words:
                return [word[:cut], word[cut:]]
        return None

    def is_known(self, word: str) -> bool:
        return self.is_word(word) or self.is_compound(word)


def _compound_parts(lex: Lexicon, rest: str, depth: int) -> list[str] | None:
    if depth > COMPOUND_MAX_PARTS - 1:
        return None
    for cut in range(COMPOUND_MIN_PART, len(rest) - COMPOUND_MIN_PART + 1):
        head, tail = rest[:cut], rest[cut:]
        if head not in lex.begins and not (depth > 1 and head in lex.middles):
            continue
        if tail in lex.ends:
            return [head, tail]
        more = _compound_parts(lex, tail, depth + 1)
        if more:
            return [head, *more]
    return None


def dictionary_to_lexicon(dic_text: str, aff_text: str) -> Lexicon:
    suffixes = aff_to_suffixes(aff_text)
    lex = Lexicon()
    for line in dic_text.splitlines()[1:]:
        stem, _, flags = line.strip().partition("/")
        if not stem or stem.startswith("#"):
            continue
        stem = stem.lower()
        lex.add(stem, flags)
        is_end = FLAG_END in flags
        if is_end:
            lex.ends.add(stem)
        for flag in flags:
            for sfx in suffixes.get(flag, ()):
                if not stem.endswith(sfx.strip) or not sfx.condition.search(stem):
                    continue
                form = stem[: len(stem) - len(sfx.strip)] + sfx.add
                lex.add(form, sfx.flags)
                if is_end and not sfx.flags:
                    lex.ends.add(form)
    for link in LINKING_LETTERS:
        lex.begins |= {form + link for form in list(lex.begins) if not form.endswith(link)}
    return lex


LEXICON_FORMAT = 2
"""Bumped when `dictionary_to_lexicon` or the cached file's layout changes, so cached lexicons are rebuilt."""
SET_TAGS = {"words": "w", "begins": "b", "middles": "m", "ends": "e"}
"""Each set's forms are kept in one trie behind a one-letter tag."""


@dataclass(frozen=True)
class TrieSet:
    """One of the lexicon's sets, read from a memory-mapped trie: opening it costs nothing and the
    pages of the file are shared by every process (a million Python strings took 0.35 s to load and
    150 MB in each worker)."""

    trie: object
    tag: str

    def __contains__(self, form: object) -> bool:
        return isinstance(form, str) and self.tag + form in self.trie


def lexicon_to_trie_file(lexicon: Lexicon, path: Path) -> None:
    import marisa_trie

    marisa_trie.Trie(tag + form for name, tag in SET_TAGS.items() for form in getattr(lexicon, name)).save(str(path))


def trie_file_to_lexicon(path: Path) -> Lexicon:
    import marisa_trie

    trie = marisa_trie.Trie().mmap(str(path))
    return Lexicon(**{name: TrieSet(trie, tag) for name, tag in SET_TAGS.items()})


@lru_cache(maxsize=1)
def swedish_lexicon() -> Lexicon:
    """The lexicon of the installed dictionary: built once (about 2.5 s for a million forms) into a
    trie file in the user's cache folder, keyed by the dictionary's bytes, and mapped from there."""
    import hashlib

    from extract.text.cache import cache_dir, cached, write_whole

    dic, aff = dictionary_paths()
    dic_text, aff_text = dic.read_text(encoding="utf-8"), aff.read_text(encoding="utf-8")
    key = hashlib.sha256(f"{LEXICON_FORMAT}\0{dic_text}\0{aff_text}".encode()).hexdigest()[:16]
    name = f"sv-lexicon-{key}.marisa"
    place = cached(name)
    if place is not None:
        try:
            return trie_file_to_lexicon(place)
        except (OSError, RuntimeError, ValueError):
            pass  # unreadable: build it again
    lexicon = dictionary_to_lexicon(dic_text, aff_text)
    try:
        return trie_file_to_lexicon(write_whole(cache_dir() / name, lambda partial: lexicon_to_trie_file(lexicon, partial)))
    except (OSError, RuntimeError, ValueError):
        return lexicon  # no folder to keep it in: built again next time


@lru_cache(maxsize=200_000)
def frequency(word: str) -> float:
    """wordfreq's Swedish zipf frequency of a lower-case word (0 when unseen); wordfreq is loaded on
    the first word asked for, by the pages that need repair."""
    from wordfreq import zipf_frequency

    return zipf_frequency(word, "sv")
