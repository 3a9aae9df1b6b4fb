"""The on-disk lemma table: built once from spacy-lookups-data, read a word at a time."""
from __future__ import annotations

from extract.text.lemmas import Lemmatiser, build_lemma_cache


def test_lemmas_from_the_cached_table_with_overrides_first(tmp_path):
    path = build_lemma_cache(tmp_path / "sv.sqlite")
    lemmatiser = Lemmatiser({"ungdomarnas": "ungdom"}, path)
    assert lemmatiser.text_to_lemmas("Sjukfrånvaron, kvinnor; ungdomarnas e-tjänster") == \
        "sjukfrånvaro kvinna ungdom e-tjänster"
    assert lemmatiser.lemma("xyzzy") == "xyzzy"  # an unknown word is its own lemma


def test_lemma_cache_is_built_when_missing(tmp_path):
    path = tmp_path / "cache" / "sv.sqlite"
    assert Lemmatiser(path=path).lemma("kommunerna") == "kommun"
    assert path.exists() and not list(path.parent.glob("*.partial"))
