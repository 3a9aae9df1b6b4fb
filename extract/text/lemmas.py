"""Swedish words → their lemmas, from spaCy's lookup tables kept in an on-disk cache.

spaCy's Swedish lemma table has some 660,000 forms: loading it into spaCy takes seconds, which a
search of a few words should not pay. The forms whose lemma differs from themselves are written once
into a marisa trie in the user's cache folder (keyed by the spaCy and spacy-lookups-data versions, so
an upgrade rebuilds it) and memory-mapped: opening costs nothing, a lookup a few microseconds, and
forked workers share the pages. Words are found by one pattern, so a text and a query split the same way.
"""
from __future__ import annotations

import re
from importlib import metadata
from pathlib import Path

from extract.text.cache import cache_dir, cached, write_whole

WORD = re.compile(r"\w+(?:[-']\w+)*")
"""A word: letters and digits, joined by inner hyphens or apostrophes ("e-tjänster")."""


def lemma_cache_path() -> Path:
    versions = "-".join(metadata.version(p) for p in ("spacy", "spacy-lookups-data"))
    return cache_dir() / f"sv-lemmas-{versions}.marisa"


def build_lemma_cache(path: Path) -> Path:
    """Write spaCy's Swedish lemma lookup table (spacy-lookups-data's own file, the one spaCy's lookup
    lemmatizer loads) into a trie file at `path` (or its fallback); returns where it went."""
    import gzip
    import json

    import marisa_trie
    import spacy_lookups_data

    with gzip.open(Path(spacy_lookups_data.__file__).parent / "data" / "sv_lemma_lookup.json.gz", "rt",
                   encoding="utf-8") as handle:
        table = json.load(handle)

    def write(partial: Path) -> None:
        trie = marisa_trie.BytesTrie((form, lemma.encode()) for form, lemma in table.items() if form != lemma)
        trie.save(str(partial))

    return write_whole(path, write)


class Lemmatiser:
    """Words to lemmas: `overrides` first (rules/themes.yaml), then the cached table; a word the table
    lacks is its own lemma, as in spaCy's lookup lemmatizer."""

    def __init__(self, overrides: dict[str, str] | None = None, path: Path | None = None):
        import marisa_trie

        wanted = path or lemma_cache_path()
        found = (wanted if wanted.exists() else None) if path else cached(wanted.name)
        self.path = found or build_lemma_cache(wanted)
        self.known: dict[str, str] = dict(overrides or {})
        self.table = marisa_trie.BytesTrie().mmap(str(self.path))

    def lemma(self, word: str) -> str:
        found = self.known.get(word)
        if found is None:
            lemmas = self.table.get(word)
            found = self.known[word] = lemmas[0].decode() if lemmas else word
        return found

    def text_to_lemmas(self, text: str | None) -> str:
        """The text lower-cased and each of its words replaced by its lemma, space-separated."""
        return " ".join(self.lemma(word) for word in WORD.findall((text or "").lower()))
