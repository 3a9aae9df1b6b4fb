"""The pipeline for one file, driven by an explicit PipelineSettings."""
from __future__ import annotations

import datetime as dt
import hashlib
import shutil
from pathlib import Path

import pytest
from pydantic import ValidationError

from extract.errors import ReadError
from extract.pipeline import (
    DEFAULT_SETTINGS,
    PipelineSettings,
    expand_paths,
    extract_file,
    file_to_page_texts,
)
from extract.reading.read import ReadSettings
from extract.rules import RULES_DIR, rules_hash
from extract.text.quality import text_to_quality
from extract.text.swedish import is_garbled
from models.registry import RECORD_TYPES
from tests.conftest import SOURCES_DIR

ANGE = "ange-verksamhetsrapport-2023.pdf"
ANGE_TEXT = SOURCES_DIR / "ange-verksamhetsrapport-verksamhetsutveckling-2023.txt"
GARBLED = SOURCES_DIR / "ostersund-budget-2024-kommunovergripande-mal-ocr.txt"
LIDKOPING_TEXT = SOURCES_DIR / "lidkoping-utvecklingsmedel-social-hallbarhet-webbsida.txt"


def record_counts(extraction) -> dict[str, int]:
    return {t.field: len(getattr(extraction, t.field)) for t in RECORD_TYPES if t.field != "themes"}


def rules_without(tmp_path: Path, *removed: str) -> Path:
    """A copy of rules/ without the named files."""
    copy = tmp_path / "rules"
    shutil.copytree(RULES_DIR, copy)
    for name in removed:
        (copy / name).unlink()
    return copy


def test_pipeline_settings_forbid_unknown_keys_and_are_frozen():
    with pytest.raises(ValidationError):
        PipelineSettings(reed=ReadSettings())
    with pytest.raises(ValidationError):
        DEFAULT_SETTINGS.rules_dir = Path("/elsewhere")
    assert DEFAULT_SETTINGS.rules_dir == RULES_DIR


def test_pipeline_max_pages_fails_a_longer_pdf_with_too_many_pages(corpus_pdfs):
    path = corpus_pdfs[ANGE]
    with pytest.raises(ReadError) as err:
        extract_file(path, PipelineSettings(read=ReadSettings(max_pages=1)))
    assert err.value.code == "too_many_pages"
    assert err.value.message.startswith(f"{path}: 3 pages, more than the limit of 1")
    assert "--max-pages" in err.value.message
    assert len(extract_file(path, PipelineSettings(read=ReadSettings(max_pages=3))).pages) == 3


@pytest.mark.parametrize("pdf_name", [ANGE, "koping-handlingsplan-2023-malomrade-1.pdf", "ostersund-budget-2024.pdf"])
def test_pipeline_without_any_municipality_file_a_report_is_read_by_its_structure(tmp_path, corpus_pdfs, pdf_name):
    """No kommun needs a rules file: the reader whose structures the document holds reads it with its
    defaults, and gives the records the kommun's file gives."""
    path = corpus_pdfs[pdf_name]
    with_rules = extract_file(path)
    assert with_rules.goals
    rules = tmp_path / "rules"
    shutil.copytree(RULES_DIR, rules, ignore=shutil.ignore_patterns("municipalities"))
    (rules / "municipalities").mkdir()
    without = extract_file(path, PipelineSettings(rules_dir=rules))
    for t in RECORD_TYPES:
        assert getattr(without, t.field) == getattr(with_rules, t.field), t.field
    assert "which no rules file names a reader for; read by the" in without.notices[0]
    assert without.notices[1:] == with_rules.notices


def test_pipeline_a_follow_up_no_reader_recognises_gets_no_records_and_a_pointer(tmp_path):
    path = tmp_path / "arsredovisning.txt"
    path.write_text("Årsredovisning 2023\nAle kommun\n\nÅret i korthet\nKommunen växte med 200 invånare "
                    "och resultatet blev positivt.\n", encoding="utf-8")
    extraction = extract_file(path)
    assert (extraction.document.doc_type, extraction.document.municipality_code) == ("årsredovisning", "1440")
    assert set(record_counts(extraction).values()) == {0}
    assert len(extraction.notices) == 1
    assert "a årsredovisning from Ale; no records extracted" in extraction.notices[0]
    assert "A report no reader recognises" in extraction.notices[0]


def test_pipeline_rules_dir_base_rules_drive_municipality_and_doc_type(tmp_path, corpus_pdfs):
    """A rules copy whose base file knows no verksamhetsrapport makes the Ånge report 'other'."""
    rules = rules_without(tmp_path)
    base = (rules / "_base.yaml").read_text(encoding="utf-8")
    entry = '  - doc_type: verksamhetsrapport\n    patterns: ["verksamhetsrapport"]\n'
    assert entry in base
    (rules / "_base.yaml").write_text(base.replace(entry, ""), encoding="utf-8")
    extraction = extract_file(corpus_pdfs[ANGE], PipelineSettings(rules_dir=rules))
    assert extraction.document.doc_type == "other"
    assert set(record_counts(extraction).values()) == {0}
    assert extraction.notices == [(f"{extraction.document.source_file}: not a plan or follow-up from Ånge; "
                                   "no records extracted")]


def test_pipeline_default_settings_extract_records_from_a_text_source(gold):
    extraction = extract_file(ANGE_TEXT)
    expected = gold(ANGE)
    document = extraction.document
    assert extraction.municipality.code == expected["document"]["municipality_code"] == "2260"
    assert (document.doc_type, document.period_start, document.period_end) == (
        "verksamhetsrapport", dt.date(2023, 1, 1), dt.date(2023, 5, 31))
    assert document.sha256 == hashlib.sha256(ANGE_TEXT.read_bytes()).hexdigest()
    assert [g.title for g in extraction.goals] == [g["title"] for g in expected["goals"]]
    assert extraction.notices == []
    assert [(p.page_no, p.source) for p in extraction.pages] == [(1, "text_file")]
    assert extraction.pages[0].quality > 0.9
    coded = {t.record_id for t in extraction.themes}
    assert coded and coded <= {g.goal_id for g in extraction.goals}


def test_pipeline_text_source_that_is_no_plan_gets_a_notice_and_no_records():
    extraction = extract_file(LIDKOPING_TEXT)
    assert extraction.document.doc_type == "other"
    assert set(record_counts(extraction).values()) == {0}
    assert extraction.notices == [f"{extraction.document.source_file}: not a plan or follow-up; no records extracted"]


@pytest.mark.slow
def test_pipeline_page_texts_raw_is_the_file_repaired_is_swedish():
    raw = list(file_to_page_texts(GARBLED, raw=True))
    assert raw == [(1, "text_file", GARBLED.read_text(encoding="utf-8"))]
    assert is_garbled(raw[0][2])

    repaired = list(file_to_page_texts(GARBLED))
    assert [(page_no, source) for page_no, source, _ in repaired] == [(1, "text_file")]
    text = repaired[0][2]
    assert not is_garbled(text)
    assert "Östersunds kommun har en hållbar tillväxt" in text and "Ostersunds kommun" not in text
    assert text_to_quality(text).score > 0.9
    assert text_to_quality(raw[0][2]).score < 0.1
    assert len(text.splitlines()) == len(raw[0][2].splitlines())


def test_pipeline_page_texts_of_correct_text_unchanged_by_repair():
    raw = list(file_to_page_texts(LIDKOPING_TEXT, raw=True))
    assert list(file_to_page_texts(LIDKOPING_TEXT)) == raw
    assert raw[0][2] == LIDKOPING_TEXT.read_text(encoding="utf-8")


def test_pipeline_page_texts_honour_the_read_settings(corpus_pdfs):
    with pytest.raises(ReadError) as err:
        list(file_to_page_texts(corpus_pdfs[ANGE], raw=True, settings=PipelineSettings(read=ReadSettings(max_pages=2))))
    assert err.value.code == "too_many_pages"


def test_pipeline_expand_paths_lists_inputs_of_folders_and_keeps_what_the_run_must_report(tmp_path):
    (tmp_path / "sub").mkdir()
    for name in ("b.pdf", "a.TXT", "sub/c.md", "notes.docx", "sub/d.csv"):
        (tmp_path / name).write_text("x")
    (tmp_path / "sub" / "gone.pdf").symlink_to(tmp_path / "nowhere.pdf")
    single = tmp_path / "notes.docx"
    missing = tmp_path / "missing.pdf"
    assert expand_paths([tmp_path, single, missing, single]) == [
        tmp_path / "a.TXT", tmp_path / "b.pdf", tmp_path / "sub" / "c.md", tmp_path / "sub" / "gone.pdf", single,
        missing]


def test_pipeline_rules_version_is_the_digest_of_the_rules_dir_used(tmp_path):
    rules = rules_without(tmp_path, "municipalities/koping.yaml")
    assert rules_hash(rules) != rules_hash()
    extraction = extract_file(LIDKOPING_TEXT, PipelineSettings(rules_dir=rules))
    assert extraction.document.rules_version == rules_hash(rules)


def test_pipeline_text_source_title_is_its_first_line():
    """A file without a PDF title is titled by its first page, though segmenting frees the page's lines."""
    assert extract_file(LIDKOPING_TEXT).document.title == "Utvecklingsmedel för ökad social hållbarhet"
    assert extract_file(ANGE_TEXT).document.title == "Kommunstyrelsen"


def test_pipeline_a_budget_table_and_a_press_release_give_no_records(tmp_path):
    """Precision: a budget of numbers and a press release name a kommun and a year, but hold no goals,
    statuses, indicators or activities, and no reader claims them."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    styles = getSampleStyleSheet()
    budget = tmp_path / "budget.pdf"
    rows = [["Verksamhet", "Budget 2024", "Utfall 2023", "Avvikelse"],
            ["Barn och utbildning", "812,4", "798,1", "14,3"], ["Vård och omsorg", "655,0", "661,2", "-6,2"],
            ["Kultur och fritid", "88,7", "85,9", "2,8"], ["Samhällsbyggnad", "140,2", "139,5", "0,7"]]
    table = Table(rows, style=TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.grey)]))
    SimpleDocTemplate(str(budget), pagesize=A4, title="Budget 2024").build(
        [Paragraph("Budget 2024 för Vara kommun", styles["Title"]), Paragraph("Driftbudget per verksamhet, mnkr",
                                                                            styles["Normal"]), table])
    press = tmp_path / "pressmeddelande.txt"
    press.write_text("Pressmeddelande 2024-03-01\nVara kommun inviger ny förskola\n\nDen nya förskolan tar emot "
                     "120 barn från augusti. Målet är att alla barn ska få plats nära hemmet.\n", encoding="utf-8")
    for path, doc_type in ((budget, "budget"), (press, "other")):
        extraction = extract_file(path)
        assert (extraction.document.doc_type, extraction.document.municipality_code) == (doc_type, "1470")
        assert set(record_counts(extraction).values()) == {0}, path
        assert len(extraction.notices) == 1 and "no records extracted" in extraction.notices[0]
