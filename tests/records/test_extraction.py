"""The records stage: non-plans and scans without text get a notice and no records, documents go to
their family by municipality and type, and rule-file errors name the file and the key path."""
from __future__ import annotations

import datetime as dt
import shutil

import pytest
import yaml

from extract.reading.read import read_document
from extract.records.extraction import document_to_family_rules, municipality_rules, segments_to_extraction
from extract.rules import RULES_DIR, RulesError
from extract.records.segment import layout_to_segments
from models import Document

LIDKOPING = "lidkoping-utvecklingsmedel-webbsida.pdf"
SCAN = "ostersund-budget-2024-bildskanning.pdf"
RECORD_LISTS = ("goals", "result_goals", "assignments", "indicators", "activities", "status_legend", "assessments")


@pytest.fixture(scope="module")
def lidkoping(corpus_pdfs):
    return segments_to_extraction(layout_to_segments(read_document(corpus_pdfs[LIDKOPING])))


@pytest.fixture(scope="module")
def scan(corpus_pdfs):
    return segments_to_extraction(layout_to_segments(read_document(corpus_pdfs[SCAN])))


def document(code: str | None, doc_type: str) -> Document:
    return Document(document_id="0" * 16, municipality_code=code, title=None, doc_type=doc_type,
                    source_file="x.pdf", sha256="0" * 64, pages=1, extractor_version="test",
                    extracted_at=dt.datetime(2024, 1, 1))


@pytest.fixture
def rules_copy(tmp_path):
    """A private copy of rules/ to break; the cached rule loading keys on the folder, so each test is fresh."""
    target = tmp_path / "rules"
    shutil.copytree(RULES_DIR, target)
    return target


def edit_entry(rules_dir, file_name: str, change) -> None:
    path = rules_dir / "municipalities" / file_name
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data["documents"][0])
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def test_records_web_page_is_not_a_plan(lidkoping, gold):
    expected = gold(LIDKOPING)["document"]
    assert lidkoping.municipality.code == expected["municipality_code"]
    assert lidkoping.document.doc_type == expected["doc_type"] == "other"
    assert all(getattr(lidkoping, name) == [] for name in RECORD_LISTS)
    assert lidkoping.notices == [f"{lidkoping.document.source_file}: not a plan or follow-up from Lidköping; "
                                 "no records extracted"]


def test_records_image_only_scan_needs_ocr(scan):
    assert {page.source for page in scan.pages} == {"image_only"}
    assert all(getattr(scan, name) == [] for name in RECORD_LISTS)
    assert len(scan.notices) == 1 and "needs OCR" in scan.notices[0] and SCAN in scan.notices[0]


@pytest.mark.parametrize(("code", "doc_type", "family"), [
    ("2380", "budget", "numbered_goals"),
    ("2260", "verksamhetsrapport", "activity_report"),
    ("2260", "budget", None),
    ("2380", "verksamhetsrapport", None),
    (None, "budget", None),
])
def test_records_dispatch_by_municipality_and_doc_type(code, doc_type, family):
    rules = document_to_family_rules(document(code, doc_type))
    assert (rules.family if rules else None) == family


def test_records_municipality_entry_layers_on_family_defaults():
    (entry, rules), = municipality_rules()["2380"]
    assert entry.doc_types == ["budget"]
    assert rules.heading_pattern.startswith("^\\W{0,3}(?P<number>1\\.[1-8])")  # the municipality's own
    assert rules.match_threshold == 70  # the family's default


def test_records_unknown_key_names_file_and_path(rules_copy):
    edit_entry(rules_copy, "ange.yaml", lambda entry: entry.update({"headline_pattern": "x"}))
    with pytest.raises(RulesError) as error:
        municipality_rules(rules_copy)
    assert "ange.yaml" in str(error.value) and "documents.0: headline_pattern" in str(error.value)


def test_records_unknown_nested_key_names_file_and_path(rules_copy):
    edit_entry(rules_copy, "ange.yaml", lambda entry: entry.update({"assessments": {"answer_labels": {"Ja": "ja"}}}))
    with pytest.raises(RulesError) as error:
        municipality_rules(rules_copy)
    assert "ange.yaml" in str(error.value) and "assessments.answer_labels" in str(error.value)


def test_records_pattern_without_its_groups_is_a_rules_error(rules_copy):
    edit_entry(rules_copy, "ostersund.yaml", lambda entry: entry.update({"heading_pattern": "^(\\d\\.\\d) (.+)$"}))
    with pytest.raises(RulesError) as error:
        municipality_rules(rules_copy)
    assert "ostersund.yaml" in str(error.value) and "heading_pattern" in str(error.value)


def test_records_unknown_family_names_file_and_path(rules_copy):
    edit_entry(rules_copy, "ange.yaml", lambda entry: entry.update({"family": "activity_reports"}))
    with pytest.raises(RulesError) as error:
        municipality_rules(rules_copy)
    assert "ange.yaml" in str(error.value) and "documents.0.family" in str(error.value)
