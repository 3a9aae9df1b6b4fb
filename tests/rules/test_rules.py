"""Rule files: layering, validation with errors that name the file and the path, the real rules/, the digest."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pydantic import Field, ValidationError

from extract.records.extraction import municipality_rules
from extract.records.families import load_families
from extract.records.themes import load_theme_rules
from extract.rules import (
    RULES_DIR,
    RuleModel,
    RulesError,
    check_regex,
    load_model,
    merge,
    read_yaml,
    regex_with,
    rules_hash,
    validate,
)
from extract.rules.register import kommun_register
from extract.rules.base import BaseRules, base_rules
from extract.text.repair import repair_rules
from extract.text.swedish import swedish_rules


class Inner(RuleModel):
    colour: str = "red"
    sizes: list[int] = Field(default_factory=list)


class Layered(RuleModel):
    name: str
    tags: list[str] = Field(default_factory=list)
    inner: Inner = Inner()
    pattern: regex_with("start", "end") = r"(?P<start>\d+)-(?P<end>\d+)"


def rules_copy(tmp_path: Path) -> Path:
    """A private copy of the project's rules/ to edit."""
    copy = tmp_path / "rules"
    shutil.copytree(RULES_DIR, copy)
    return copy


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_rules_merge_extends_lists_merges_mappings_replaces_scalars():
    base = {"name": "base", "tags": ["a", "b"], "inner": {"colour": "red", "sizes": [1]}, "keep": 1}
    layer = {"name": "layer", "tags": ["b", "c"], "inner": {"sizes": [2]}}
    assert merge(base, layer) == {"name": "layer", "tags": ["a", "b", "c"],
                                  "inner": {"colour": "red", "sizes": [1, 2]}, "keep": 1}
    assert base == {"name": "base", "tags": ["a", "b"], "inner": {"colour": "red", "sizes": [1]}, "keep": 1}


def test_rules_merge_a_scalar_over_a_list_or_mapping_replaces_it():
    assert merge({"tags": ["a"]}, {"tags": "none"}) == {"tags": "none"}
    assert merge({"inner": {"colour": "red"}}, {"inner": None}) == {"inner": None}


def test_rules_load_model_layers_files_in_order(tmp_path):
    (tmp_path / "base.yaml").write_text("name: base\ntags: [a]\ninner: {colour: red, sizes: [1]}\n")
    (tmp_path / "town.yaml").write_text("name: town\ntags: [b]\ninner: {sizes: [2]}\n")
    loaded = load_model(Layered, "base.yaml", "town.yaml", rules_dir=tmp_path)
    assert loaded == Layered(name="town", tags=["a", "b"], inner=Inner(colour="red", sizes=[1, 2]))
    assert load_model(Layered, "town.yaml", "base.yaml", rules_dir=tmp_path).name == "base"


def test_rules_load_model_unknown_key_names_the_layer_file_and_path(tmp_path):
    (tmp_path / "base.yaml").write_text("name: base\n")
    (tmp_path / "town.yaml").write_text("inner:\n  colour: blue\n  shade: dark\n")
    with pytest.raises(RulesError) as err:
        load_model(Layered, "base.yaml", "town.yaml", rules_dir=tmp_path)
    message = err.value.message
    assert message.startswith(f"{tmp_path / 'town.yaml'}: inner.shade: ")
    assert "Extra inputs are not permitted" in message


def test_rules_load_model_without_files_is_an_error():
    with pytest.raises(RulesError, match="no rule files given"):
        load_model(Layered)


def test_rules_validate_counts_further_errors():
    with pytest.raises(RulesError) as err:
        validate({"tags": 1, "bogus": 2}, Layered, "town.yaml")
    assert err.value.message.startswith("town.yaml: ")
    assert "(and 2 more)" in err.value.message


def test_rules_real_base_unknown_key_names_file_and_nested_path(tmp_path):
    rules = rules_copy(tmp_path)
    edit(rules / "_base.yaml", "segment:\n", "segment:\n  footer_patterns: []\n")
    with pytest.raises(RulesError) as err:
        base_rules(rules)
    assert err.value.message.startswith(f"{rules / '_base.yaml'}: segment.footer_patterns: ")


def test_rules_check_regex_requires_named_groups():
    assert check_regex(r"(?P<start>\d{4})", frozenset({"start"})) == r"(?P<start>\d{4})"
    with pytest.raises(ValueError, match=r"named groups \['end'\]"):
        check_regex(r"(?P<start>\d{4})", frozenset({"start", "end"}))
    with pytest.raises(ValueError, match="not a valid regular expression"):
        check_regex(r"(?P<start>\d{4}")


def test_rules_regex_with_rejects_a_pattern_missing_a_group():
    assert Layered(name="x", pattern=r"(?P<start>\d)(?P<end>\d)").pattern == r"(?P<start>\d)(?P<end>\d)"
    with pytest.raises(ValidationError, match=r"named groups \['end'\]"):
        Layered(name="x", pattern=r"(?P<start>\d)")


def test_rules_period_pattern_without_start_group_names_file_and_index(tmp_path):
    rules = rules_copy(tmp_path)
    edit(rules / "_base.yaml", r'(?:kommunplan|mandatperiod|budget|plan)\\w*\\s+(?P<start>20',
         r'(?:kommunplan|mandatperiod|budget|plan)\\w*\\s+(20')
    with pytest.raises(RulesError) as err:
        base_rules(rules)
    message = err.value.message
    assert message.startswith(f"{rules / '_base.yaml'}: periods.1")
    assert "pattern needs the named groups ['start']" in message


def test_rules_invalid_regex_in_doc_types_is_an_error(tmp_path):
    rules = rules_copy(tmp_path)
    edit(rules / "_base.yaml", 'patterns: ["verksamhetsrapport"]', 'patterns: ["verksamhets(rapport"]')
    with pytest.raises(RulesError, match=r"_base\.yaml: doc_types\.6\.patterns\.0: .*not a valid regular expression"):
        base_rules(rules)


def test_rules_invalid_yaml_names_file_and_line(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("name: x\ntags: [a, b\ninner: {}\n")
    with pytest.raises(RulesError) as err:
        read_yaml(path)
    assert err.value.message.startswith(f"{path}: line 3 not valid YAML: ")


def test_rules_invalid_yaml_in_real_base_names_its_line(tmp_path):
    rules = rules_copy(tmp_path)
    lines = (rules / "_base.yaml").read_text(encoding="utf-8").splitlines()
    line_no = next(i for i, line in enumerate(lines, start=1) if line.startswith("lookahead_pages:"))
    lines[line_no - 1] = "lookahead_pages: [3"
    (rules / "_base.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(RulesError) as err:
        base_rules(rules)
    message = err.value.message
    assert message.startswith(f"{rules / '_base.yaml'}: line ")
    reported = int(message.split("line ", 1)[1].split()[0])
    assert line_no <= reported <= line_no + 3


def test_rules_read_yaml_missing_file_empty_file_and_top_level_list(tmp_path):
    with pytest.raises(RulesError, match="missing.yaml: rule file not found"):
        read_yaml(tmp_path / "missing.yaml")
    (tmp_path / "empty.yaml").write_text("# only a comment\n")
    assert read_yaml(tmp_path / "empty.yaml") == {}
    (tmp_path / "list.yaml").write_text("- a\n- b\n")
    with pytest.raises(RulesError, match="list.yaml: expected a mapping at the top level, got list"):
        read_yaml(tmp_path / "list.yaml")


def test_rules_real_directory_loads_every_file():
    base = base_rules()
    assert isinstance(base, BaseRules)
    assert "kommun" in base.municipality_names.after
    register = kommun_register()
    assert len(register.municipalities) == 290 and len(register.counties) == 21
    assert {"1983", "0483", "2380", "2260", "1494"} <= {k.code for k in register.municipalities}
    assert base.doc_types[0].doc_type == "other"
    assert all("start" in (p if isinstance(p, str) else p.pattern) for p in base.periods)
    by_code = municipality_rules()
    assert set(by_code) == {"1983", "0483", "2380", "2260"}
    families = load_families()
    used = {rules.family for entries in by_code.values() for _, rules in entries}
    assert used == {path.stem for path in (RULES_DIR / "families").glob("*.yaml")} <= set(families)
    assert set(load_theme_rules().schemes) == {"cap", "sdg"}
    assert swedish_rules().marked_letters == "åäöÅÄÖ"
    assert repair_rules().strip_confusions


def test_rules_every_real_yaml_file_is_a_mapping():
    files = sorted(RULES_DIR.rglob("*.yaml"))
    assert len(files) >= 10
    for path in files:
        assert isinstance(read_yaml(path), dict), path


def test_rules_hash_is_stable_for_a_copy_and_changes_with_any_rule_file(tmp_path):
    rules = rules_copy(tmp_path)
    original = rules_hash(RULES_DIR)
    assert rules_hash(rules) == original == rules_hash()
    assert len(original) == 16

    (rules / "notes.txt").write_text("not a rule file")
    assert rules_hash(rules) == original

    edit(rules / "municipalities" / "koping.yaml", "municipality:", "# a comment\nmunicipality:")
    changed = rules_hash(rules)
    assert changed != original

    shutil.copy(RULES_DIR / "municipalities" / "koping.yaml", rules / "municipalities" / "koping.yaml")
    assert rules_hash(rules) == original

    (rules / "municipalities" / "koping.yaml").rename(rules / "municipalities" / "koping-kommun.yaml")
    assert rules_hash(rules) not in (original, changed)


def test_rules_hash_sees_a_new_rule_file(tmp_path):
    rules = rules_copy(tmp_path)
    original = rules_hash(rules)
    (rules / "municipalities" / "flen.yaml").write_text("municipality: '0482'\ndocuments: []\n")
    assert rules_hash(rules) != original
