"""The on-disk lemma table: built once from spacy-lookups-data, read a word at a time."""
from __future__ import annotations

import pytest

from extract.text.lemmas import Lemmatiser, build_lemma_cache


def test_lemmas_from_the_cached_table_with_overrides_first(tmp_path):
    path = build_lemma_cache(tmp_path / "sv.marisa")
    lemmatiser = Lemmatiser({"ungdomarnas": "ungdom"}, path)
    assert lemmatiser.text_to_lemmas("Sjukfrånvaron, kvinnor; ungdomarnas e-tjänster") == \
        "sjukfrånvaro kvinna ungdom e-tjänster"
    assert lemmatiser.lemma("xyzzy") == "xyzzy"  # an unknown word is its own lemma


def test_lemma_cache_is_built_when_missing(tmp_path):
    path = tmp_path / "cache" / "sv.marisa"
    assert Lemmatiser(path=path).lemma("kommunerna") == "kommun"
    assert path.exists() and not list(path.parent.glob("*.partial"))


def test_lexicon_is_built_once_into_the_cache_and_read_back(tmp_path, monkeypatch):
    from extract.text.lexicon import swedish_lexicon

    monkeypatch.setenv("PLANS_CACHE", str(tmp_path))
    built = swedish_lexicon.__wrapped__()
    cached = list(tmp_path.glob("sv-lexicon-*.marisa"))
    assert len(cached) == 1
    again = swedish_lexicon.__wrapped__()
    assert again.words == built.words and again.ends == built.ends and again.begins == built.begins
    assert again.is_compound("sjukfrånvaroarbetet") == built.is_compound("sjukfrånvaroarbetet")


@pytest.mark.slow
def test_theme_pipeline_lemmas_are_spacys_lookup_lemmas():
    """The tokens' lemmas, read from the cached table, are those spaCy's own lookup lemmatizer gives."""
    import spacy

    from extract.records.themes import swedish_nlp

    reference = spacy.blank("sv")
    reference.add_pipe("lemmatizer", config={"mode": "lookup"})
    reference.initialize()
    text = "sjukfrånvaron bland kvinnorna ska minska och kommunernas e-tjänster utvecklas 2024"
    assert [t.lemma_ for t in swedish_nlp()(text)] == [t.lemma_ for t in reference(text)]


def test_cache_file_goes_to_the_fallback_folder_where_the_cache_folder_cannot_be_made(tmp_path, monkeypatch):
    from extract.text import cache

    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setattr(cache, "fallback_dir", lambda: tmp_path / "fallback")
    written = cache.write_whole(blocker / "plans" / "data.bin", lambda partial: partial.write_bytes(b"x"))
    assert written == tmp_path / "fallback" / "data.bin" and written.read_bytes() == b"x"
    assert not list((tmp_path / "fallback").glob("*.partial"))
