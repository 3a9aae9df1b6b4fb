"""Theme coding: the rules, the matching, and coding the corpus's gold records (scores: tests/evaluation)."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from extract.records.themes import RecordText, ThemeCoder, load_theme_rules, theme_coder
from extract.rules import RULES_DIR, RulesError
from models.registry import CODED_TYPES
from tests.conftest import GOLD_DIR


def code(title: str, body: str = "") -> dict[str, set[str]]:
    themes = theme_coder().texts_to_themes([RecordText("result_goal", "r1", title, title, body)], "d1")
    coded: dict[str, set[str]] = {}
    for theme in themes:
        coded.setdefault(theme.scheme, set()).add(theme.code)
    return coded


def test_themes_rules_load_both_schemes():
    rules = load_theme_rules()
    assert len(rules.schemes["cap"].codes) == 21
    assert [c.code for c in rules.schemes["sdg"].codes] == [str(n) for n in range(1, 18)]


def test_themes_rules_reject_unknown_key_naming_file_and_path(tmp_path: Path):
    shutil.copy(RULES_DIR / "themes.yaml", tmp_path / "themes.yaml")
    text = (tmp_path / "themes.yaml").read_text(encoding="utf-8")
    (tmp_path / "themes.yaml").write_text(text.replace("        en: Health\n", "        en: Health\n        colour: red\n"),
                                          encoding="utf-8")
    with pytest.raises(RulesError) as err:
        load_theme_rules(tmp_path)
    message = str(err.value)
    assert "themes.yaml" in message and "schemes.cap.codes.2.colour" in message


def test_themes_employee_sick_leave_codes_to_labor():
    """Codebook: the municipality's workforce, sick leave included, is CAP 5 Labor / SDG 8."""
    coded = code("Sjukfrånvaron bland kommunens medarbetare ska minska")
    assert "5" in coded["cap"] and "8" in coded["sdg"]
    assert "3" not in coded["cap"]


def test_themes_compound_head_and_inflection_match():
    hits = theme_coder().token_to_compound_hits("långtidssjukfrånvaron")
    assert ("cap", "5", "sjukfrånvaro") in hits or ("cap", "5", "frånvaro") in hits
    assert ("sdg", "12", "nedskräpning") in theme_coder().token_to_compound_hits("nedskräpningen")
    assert code("Fler förskoleavdelningar")["cap"] == {"6"}


def test_themes_lemma_overrides_keep_ska_from_school():
    assert "6" not in code("Avskrivningar ska minska").get("cap", set())


def joined(record: dict, fields: tuple[str, ...]) -> str:
    return ". ".join(str(record[f]) for f in fields if record.get(f))


def gold_record_texts() -> list[RecordText]:
    """Every coded record of every gold file, as the coder reads it."""
    texts: list[RecordText] = []
    for path in sorted(GOLD_DIR.glob("*.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        for record_type in CODED_TYPES:
            for n, record in enumerate(gold.get(record_type.field, [])):
                texts.append(RecordText(record_type.name, f"{path.stem}/{record_type.name}/{n}",
                                        record[record_type.title], joined(record, record_type.theme_head),
                                        joined(record, record_type.theme_body)))
    return texts


def test_themes_coding_gold_records_twice_is_identical_and_uses_the_compound_cache():
    """A second pass over every gold record (266) computes no compound split again and codes as the first."""
    texts = gold_record_texts()
    assert len(texts) > 250
    assert {t.record_type for t in texts} == {t.name for t in CODED_TYPES}
    coder = ThemeCoder(load_theme_rules())
    searched: list[str] = []
    search = coder.token_to_compound_hits

    def counted(form: str):
        searched.append(form)
        return search(form)

    coder.token_to_compound_hits = counted
    first = coder.texts_to_themes(texts, "gold")
    after_first = len(searched)
    assert after_first == len(coder.compound_cache) == len(set(searched)) > 1000
    second = coder.texts_to_themes(texts, "gold")
    assert len(searched) == after_first
    assert second == first
    assert first == theme_coder().texts_to_themes(texts, "gold")
    assert len({t.record_id for t in first}) > 0.8 * len(texts)
