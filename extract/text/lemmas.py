"""Swedish words → their lemmas, from spaCy's lookup tables kept in an on-disk cache.

spaCy's Swedish lemma table has some 660,000 forms: loading it into spaCy takes seconds, which a
search of a few words should not pay. The table is written once into an SQLite file in the user's
cache folder (keyed by the spaCy and spacy-lookups-data versions, so an upgrade rebuilds it) and
read a word at a time; words are found by one pattern, so a text and a query split the same way.
"""
from __future__ import annotations

import os
import re
import sqlite3
from importlib import metadata
from pathlib import Path

from extract.text.cache import cache_dir, cached, write_whole

WORD = re.compile(r"\w+(?:[-']\w+)*")
"""A word: letters and digits, joined by inner hyphens or apostrophes ("e-tjänster")."""


def lemma_cache_path() -> Path:
    versions = "-".join(metadata.version(p) for p in ("spacy", "spacy-lookups-data"))
    return cache_dir() / f"sv-lemmas-{versions}.sqlite"


def build_lemma_cache(path: Path) -> Path:
    """Write spaCy's Swedish lemma lookup table (spacy-lookups-data's own file, the one spaCy's lookup
    lemmatizer loads) into an SQLite file at `path` (or its fallback); returns where it went."""
    import gzip
    import json

    import spacy_lookups_data

    with gzip.open(Path(spacy_lookups_data.__file__).parent / "data" / "sv_lemma_lookup.json.gz", "rt",
                   encoding="utf-8") as handle:
        table = json.load(handle)

    def write(partial: Path) -> None:
        con = sqlite3.connect(partial)
        try:
            con.execute("CREATE TABLE lemma (form TEXT PRIMARY KEY, lemma TEXT NOT NULL) WITHOUT ROWID")
            con.executemany("INSERT OR REPLACE INTO lemma VALUES (?, ?)", table.items())
            con.commit()
        finally:
            con.close()

    return write_whole(path, write)


class Lemmatiser:
    """Words to lemmas: `overrides` first (rules/themes.yaml), then the cached table. The table is
    opened in each process that asks (a worker forked after a warm-up opens its own), since an SQLite
    connection must not cross a fork."""

    def __init__(self, overrides: dict[str, str] | None = None, path: Path | None = None):
        wanted = path or lemma_cache_path()
        found = (wanted if wanted.exists() else None) if path else cached(wanted.name)
        self.path = found or build_lemma_cache(wanted)
        self.known: dict[str, str] = dict(overrides or {})
        self._con: sqlite3.Connection | None = None
        self._pid = 0

    def lemma(self, word: str) -> str:
        if word not in self.known:
            if self._con is None or self._pid != os.getpid():
                self._con = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
                self._pid = os.getpid()
            row = self._con.execute("SELECT lemma FROM lemma WHERE form = ?", (word,)).fetchone()
            self.known[word] = row[0] if row else word
        return self.known[word]

    def text_to_lemmas(self, text: str | None) -> str:
        """The text lower-cased and each of its words replaced by its lemma, space-separated."""
        return " ".join(self.lemma(word) for word in WORD.findall((text or "").lower()))
