"""Full-text search over records and page text, lemmatised so that inflected Swedish forms meet.

DuckDB's Snowball stemmer alone does not join "sjukfrånvaron" with "sjukfrånvaro" or "kvinnor" with
"kvinna", so every text is first lemmatised with spaCy's Swedish lookup tables (kept on disk,
`extract.text.lemmas`) and the index is built on the lemmas (stemmed as well, which joins what the
tables miss). The query goes through the same steps. `plans extract` builds the index as it ends, so
a search only reads.
Pages are searched in their repaired text, so a scan whose OCR read "ohélsa" is found as "ohälsa".

The index (table search_doc plus DuckDB's fts_main_search_doc schema) is derived data: it is rebuilt
whenever the documents in the warehouse differ from the ones it was built from.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable

import duckdb

from extract.errors import PlansError
from extract.warehouse.connection import load_fts
from models.registry import RECORD_TYPES

SEARCH_TABLE = "search_doc"
STATE_TABLE = "search_state"
FTS_SCHEMA = f"fts_main_{SEARCH_TABLE}"
INDEX_VERSION = 3
"""Raised when what goes into the index changes, so existing indexes are rebuilt."""
_IGNORE = r"(\.|[^\p{L}\p{N}])+"
"""Characters between terms: anything but letters and digits (the default keeps only a-z)."""

_SOURCES = "\n    UNION ALL ".join([
    *(f"SELECT '{t.name}' AS kind, {t.id_field} AS record_id, document_id, page_no, {t.title} AS title, "
      f"concat_ws(chr(10), {', '.join(t.search)}) AS text FROM {t.name}" for t in RECORD_TYPES if t.search),
    "SELECT 'page', NULL, document_id, page_no, NULL, text FROM page WHERE text IS NOT NULL",
])
"""Every searched record (models.registry: `search` fields) and every page's repaired text."""

_COLUMNS = (("doc_key", "string"), ("municipality_code", "string"), ("document_id", "string"),
            ("source_file", "string"), ("kind", "string"), ("record_id", "string"), ("page_no", "int32"),
            ("title", "string"), ("text", "string"), ("lemmas", "string"))
"""The search table's columns and their Arrow types."""


class SearchError(PlansError):
    """A query that cannot be searched (no words, unknown municipality)."""


@dataclass(frozen=True)
class SearchHit:
    score: float
    municipality: str | None
    municipality_code: str | None
    source_file: str
    document_id: str
    kind: str
    """goal, result_goal, assignment, activity, indicator or page."""
    record_id: str | None
    page_no: int | None
    title: str | None
    snippet: str
    """The line of the text that shares most lemmas with the query."""


@lru_cache(maxsize=1)
def _lemmatiser():
    from extract.records.themes import load_theme_rules
    from extract.text.lemmas import Lemmatiser

    return Lemmatiser(dict(load_theme_rules().lemma_overrides))


def texts_to_lemmas(texts: Iterable[str]) -> list[str]:
    """Each text lower-cased and reduced to its words' lemmas: the same words and lemmas for the
    indexed texts and for a query (`extract.text.lemmas`)."""
    lemmatiser = _lemmatiser()
    return [lemmatiser.text_to_lemmas(text) for text in texts]


def warehouse_fingerprint(con: duckdb.DuckDBPyConnection) -> str:
    """Which documents, loaded when (and the index layout): any load that adds, replaces or removes one
    changes it."""
    row = con.execute("SELECT string_agg(document_id || '@' || coalesce(CAST(extracted_at AS VARCHAR), ''), ',' "
                      "ORDER BY document_id) FROM document").fetchone()
    return hashlib.sha256(f"{INDEX_VERSION}|{row[0] or ''}".encode()).hexdigest()[:16]


def search_index_is_current(con: duckdb.DuckDBPyConnection) -> bool:
    present = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = ? "
                                         "OR (table_schema = 'main' AND table_name = ?)",
                                         [FTS_SCHEMA, STATE_TABLE]).fetchall()}
    if STATE_TABLE not in present or "docs" not in present:
        return False
    stored = con.execute(f"SELECT fingerprint FROM {STATE_TABLE}").fetchone()
    return stored is not None and stored[0] == warehouse_fingerprint(con)


def build_search_index(con: duckdb.DuckDBPyConnection) -> int:
    """(Re)build search_doc and its full-text index from the warehouse; returns the rows indexed."""
    rows = con.execute(f"""
        SELECT s.kind, s.record_id, s.document_id, s.page_no, s.title, s.text, d.municipality_code, d.source_file
        FROM ({_SOURCES}) s JOIN document d USING (document_id)
        WHERE s.text IS NOT NULL AND trim(s.text) <> ''
        ORDER BY s.document_id, s.kind, s.page_no, s.record_id
    """).fetchall()
    import pyarrow as pa  # only building the index needs Arrow, not a search

    lemmas = texts_to_lemmas(r[5] for r in rows)
    table = pa.Table.from_pylist([
        {"doc_key": f"page:{document_id}:{page_no}" if kind == "page" else f"{kind}:{record_id}",
         "municipality_code": code, "document_id": document_id, "source_file": source_file, "kind": kind,
         "record_id": record_id, "page_no": page_no, "title": title, "text": text, "lemmas": lemma}
        for (kind, record_id, document_id, page_no, title, text, code, source_file), lemma in zip(rows, lemmas)
    ], schema=pa.schema([(name, getattr(pa, kind)()) for name, kind in _COLUMNS]))
    load_fts(con)
    con.register("search_rows", table)
    try:
        con.execute(f"CREATE OR REPLACE TABLE {SEARCH_TABLE} AS SELECT * FROM search_rows")
    finally:
        con.unregister("search_rows")
    con.execute(f"PRAGMA create_fts_index('{SEARCH_TABLE}', 'doc_key', 'lemmas', stemmer='swedish', "
                f"stopwords='none', ignore='{_IGNORE}', strip_accents=0, lower=1, overwrite=1)")
    con.execute(f"CREATE OR REPLACE TABLE {STATE_TABLE} AS SELECT ? AS fingerprint, now() AS built_at",
                [warehouse_fingerprint(con)])
    return table.num_rows


def municipality_to_code(con: duckdb.DuckDBPyConnection, municipality: str) -> str:
    """A municipality given by its four-digit code or its name (any case); the error lists those that
    have documents in the warehouse."""
    row = con.execute("SELECT code FROM municipality WHERE code = ? OR lower(name) = lower(?)",
                      [municipality.strip(), municipality.strip()]).fetchone()
    if row is None:
        known = ", ".join(f"{name} ({code})" for code, name in con.execute(
            "SELECT code, name FROM municipality WHERE code IN (SELECT municipality_code FROM document) "
            "ORDER BY name").fetchall())
        raise SearchError(f"no municipality '{municipality}' in the register; with documents: {known or 'none'}")
    return row[0]


def search(con: duckdb.DuckDBPyConnection, query: str, municipality: str | None = None,
           limit: int = 10) -> list[SearchHit]:
    """Records and pages ranked by BM25 on lemmas; the index must be current (see build_search_index)."""
    query_lemmas = texts_to_lemmas([query])[0]
    if not query_lemmas:
        raise SearchError(f"nothing to search for in '{query}': give at least one word")
    load_fts(con)
    code = municipality_to_code(con, municipality) if municipality else None
    rows = con.execute(f"""
        SELECT * FROM (
            SELECT s.*, m.name AS municipality, {FTS_SCHEMA}.match_bm25(s.doc_key, ?) AS score
            FROM {SEARCH_TABLE} s LEFT JOIN municipality m ON m.code = s.municipality_code
        ) WHERE score IS NOT NULL AND (? IS NULL OR municipality_code = ?)
        ORDER BY score DESC, doc_key LIMIT ?
    """, [query_lemmas, code, code, limit]).fetchall()
    columns = [name for name, _ in _COLUMNS] + ["municipality", "score"]
    wanted = set(query_lemmas.split())
    hits = []
    for row in rows:
        r = dict(zip(columns, row))
        hits.append(SearchHit(score=round(r["score"], 4), municipality=r["municipality"],
                              municipality_code=r["municipality_code"], source_file=r["source_file"],
                              document_id=r["document_id"], kind=r["kind"], record_id=r["record_id"],
                              page_no=r["page_no"], title=r["title"], snippet=text_to_snippet(r["text"], wanted)))
    return hits


def text_to_snippet(text: str, wanted: set[str], width: int = 160) -> str:
    """The line sharing most lemmas with the query (the first on a tie), cut to `width` characters."""
    lines = [line.strip() for line in re.split(r"[\n•]", text) if line.strip()] or [text.strip()]
    overlaps = [len(wanted & set(lemmas.split())) for lemmas in texts_to_lemmas(lines)]
    best = lines[overlaps.index(max(overlaps))]
    return best if len(best) <= width else best[:width - 1] + "…"


def connect_for_search(db_path, on_build=None, lock_timeout: float = 30.0) -> duckdb.DuckDBPyConnection:
    """A connection whose search index is current: read-only when it already is (as after every
    extract), otherwise writable just long enough to rebuild it (a warehouse from an older version).
    `on_build(rows)` is told when a rebuild happened; either waits up to `lock_timeout` for the lock."""
    from extract.warehouse.connection import connect_waiting

    con = connect_waiting(db_path, lock_timeout, read_only=True)
    if search_index_is_current(con):
        return con
    con.close()
    con = connect_waiting(db_path, lock_timeout)
    try:
        if not search_index_is_current(con):
            rows = build_search_index(con)
            if on_build is not None:
                on_build(rows)
    except BaseException:
        con.close()
        raise
    return con
