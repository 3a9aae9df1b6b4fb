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
import tempfile
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path

WORD = re.compile(r"\w+(?:[-']\w+)*")
"""A word: letters and digits, joined by inner hyphens or apostrophes ("e-tjänster")."""


def cache_dir() -> Path:
    """Where built language data is kept: $PLANS_CACHE, else $XDG_CACHE_HOME/plans, else ~/.cache/plans."""
    if os.environ.get("PLANS_CACHE"):
        return Path(os.environ["PLANS_CACHE"])
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "plans"


def lemma_cache_path() -> Path:
    versions = "-".join(metadata.version(p) for p in ("spacy", "spacy-lookups-data"))
    return cache_dir() / f"sv-lemmas-{versions}.sqlite"


def build_lemma_cache(path: Path) -> Path:
    """Write spaCy's Swedish lemma lookup table (spacy-lookups-data's own file, the one spaCy's lookup
    lemmatizer loads) into `path`, atomically: a reader never sees half a table."""
    import gzip
    import json

    import spacy_lookups_data

    with gzip.open(Path(spacy_lookups_data.__file__).parent / "data" / "sv_lemma_lookup.json.gz", "rt",
                   encoding="utf-8") as handle:
        table = json.load(handle)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
    partial.unlink(missing_ok=True)
    con = sqlite3.connect(partial)
    try:
        con.execute("CREATE TABLE lemma (form TEXT PRIMARY KEY, lemma TEXT NOT NULL) WITHOUT ROWID")
        con.executemany("INSERT OR REPLACE INTO lemma VALUES (?, ?)", table.items())
        con.commit()
    finally:
        con.close()
    partial.replace(path)
    return path


class Lemmatiser:
    """Lower-cased words to lemmas: `overrides` first (rules/themes.yaml), then the cached table."""

    def __init__(self, overrides: dict[str, str] | None = None, path: Path | None = None):
        path = path or lemma_cache_path()
        if not path.exists():
            try:
                build_lemma_cache(path)
            except OSError:  # a read-only home: the system's temporary folder holds it instead
                path = Path(tempfile.gettempdir()) / f"plans-{os.getuid()}" / path.name
                if not path.exists():
                    build_lemma_cache(path)
        self.con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        self.known: dict[str, str] = dict(overrides or {})

    def lemma(self, word: str) -> str:
        if word not in self.known:
            row = self.con.execute("SELECT lemma FROM lemma WHERE form = ?", (word,)).fetchone()
            self.known[word] = row[0] if row else word
        return self.known[word]

    def text_to_lemmas(self, text: str | None) -> str:
        """The text lower-cased and each of its words replaced by its lemma, space-separated."""
        return " ".join(self.lemma(word) for word in WORD.findall((text or "").lower()))
