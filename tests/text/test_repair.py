"""Repair stage: restores what a wrong-language OCR run broke and leaves correct Swedish alone."""
from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extract.evaluation.repair import GOLD, RAW, REFERENCE, evaluate_text, gold_titles
from extract.text.quality import text_to_quality
from extract.reading.read import read_document
from extract.text.repair import RepairSettings, repair_document, repair_text
from extract.text.swedish import is_garbled
from extract.rules import RulesError, load_model
from extract.text.repair import RepairRules
from tests.conftest import SOURCES_DIR

CORRECT_SOURCES = ("koping-handlingsplan-2023-malomrade-1.txt",
                   "katrineholm-halvtidsuppfoljning-kommunplan-2019-2022.txt",
                   "ange-verksamhetsrapport-verksamhetsutveckling-2023.txt",
                   "lidkoping-utvecklingsmedel-social-hallbarhet-webbsida.txt")
PROSE_LINE = re.compile(r"^[^<>|\[\]#*\t]{30,}$")


def _sentences() -> list[str]:
    out: list[str] = []
    for name in CORRECT_SOURCES[:2]:
        text = re.sub(r"<[^<>]*>", "", (SOURCES_DIR / name).read_text(encoding="utf-8"))
        for line in re.split(r"[\t\n]", text):
            line = line.strip()
            if PROSE_LINE.match(line) and "http" not in line and "....." not in line:
                out.extend(s for s in re.split(r"(?<=[.!?]) ", line) if len(s.split()) >= 4)
    return out


SENTENCES = _sentences()


def test_repair_sentence_pool_is_real_prose():
    assert len(SENTENCES) > 300
    assert sum(bool(re.search("[åäö]", s)) for s in SENTENCES) > 200


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(SENTENCES), min_size=1, max_size=8), st.sampled_from([" ", "\n"]))
def test_repair_correct_swedish_unchanged(sentences, sep):
    text = sep.join(sentences)
    assert repair_text(text) == text


@pytest.mark.parametrize("name", CORRECT_SOURCES)
def test_repair_correct_source_pages_unchanged(name):
    text = (SOURCES_DIR / name).read_text(encoding="utf-8")
    assert repair_text(text) == text


@pytest.mark.parametrize(("raw", "fixed"), [
    ("Ostersunds kommun har en hallbar tillvaxt", "Östersunds kommun har en hållbar tillväxt"),
    ("6ka", "öka"),
    ("&r", "är"),
    ("sdkerstélla", "säkerställa"),
    ("Bristerna i JAmtlands infrastruktur", "Bristerna i Jämtlands infrastruktur"),
])
def test_repair_known_confusions_fixed(raw, fixed):
    assert repair_text(raw) == fixed


@pytest.mark.parametrize(("raw", "fixed"), [
    ("kompetensfrsorjning och arbetspendling", "kompetensförsörjning och arbetspendling"),
    ("med tg maste kortas", "med tåg måste kortas"),
    ("ett hallbart och tryggt satt", "ett hållbart och tryggt sätt"),
])
def test_repair_line_of_garbled_page_fixed(raw, fixed):
    """A line repaired with its page's mark survival (none: the page is garbled)."""
    assert repair_text(raw, survival=0.0) == fixed


def test_repair_garbled_page_detected_from_its_marks():
    assert is_garbled(RAW.read_text(encoding="utf-8"))
    assert not is_garbled((SOURCES_DIR / CORRECT_SOURCES[0]).read_text(encoding="utf-8"))
    assert not is_garbled("Kommunen har en plan")


@pytest.mark.parametrize(("raw", "fixed"), [
    ("det ar viktigt", "det är viktigt"),
    ("varje ar", "varje år"),
    ("minst 75 000 invanare ar 2040", "minst 75 000 invånare år 2040"),
    ("alla unga nar sin gymnasieexamen", "alla unga når sin gymnasieexamen"),
    ("kommer ar viktiga for hela kommunen", "kommer är viktiga för hela kommunen"),
])
def test_repair_ambiguity_resolved_by_context(raw, fixed):
    assert repair_text(raw) == fixed


def test_repair_keeps_case_and_punctuation():
    assert repair_text("OSTERSUND, (Hallbarhet)!") == "ÖSTERSUND, (Hållbarhet)!"


def test_repair_dehyphenates_known_words_only():
    text = "bedriva ett aktivt tillganglighets-\narbete for att\nBrunflo, Lit-\nHaggenas samt"
    out = repair_text(text, survival=0.0)
    assert "tillgänglighetsarbete\nför att" in out
    assert "Lit-\nH" in out


def test_repair_lone_bar_is_pronoun():
    assert repair_text("samhéllsplanering. |\nOstersunds kommun") == "samhällsplanering. I\nÖstersunds kommun"


def test_repair_fixes_mojibake_and_decomposed_marks():
    assert repair_text("Ã–stersunds kommun har en hÃ¥llbar tillvÃ¤xt") == (
        "Östersunds kommun har en hållbar tillväxt")
    assert repair_text("Ja\u0308mtland") == "Jämtland"


def test_repair_leaves_addresses_alone():
    text = "Skriv till DagTore.Stulen@lidkoping.se fr.o.m. <b>STN</b>"
    assert repair_text(text) == text


def test_repair_settings_validated():
    with pytest.raises(ValueError):
        RepairSettings(strip_cost_cap=-1)
    with pytest.raises(ValueError):
        RepairSettings(unknown_setting=1)


def test_repair_rules_unknown_key_names_the_file(tmp_path):
    (tmp_path / "repair.yaml").write_text(
        "strip_confusions: []\ndebris_confusions: []\nexpected_mark_share: 0.03\nbogus: 1\n")
    with pytest.raises(RulesError, match="repair.yaml"):
        load_model(RepairRules, "repair.yaml", rules_dir=tmp_path)


@pytest.mark.slow
def test_repair_quality_low_for_raw_ostersund_high_for_koping():
    raw = text_to_quality(RAW.read_text(encoding="utf-8"))
    koping = text_to_quality((SOURCES_DIR / CORRECT_SOURCES[0]).read_text(encoding="utf-8"))
    repaired = text_to_quality(repair_text(RAW.read_text(encoding="utf-8")))
    assert raw.score < 0.2 and raw.mark_share_found < 0.005
    assert koping.score > 0.9 and repaired.score > 0.9


def test_repair_quality_flags_debris():
    assert text_to_quality("Ledning [ > Hallbarhet | > 6ka &r").debris_share > 0.3
    assert text_to_quality("Budget 2024-års mål 1.1 och 75 000 invånare").debris_share == 0


@pytest.mark.slow
def test_repair_reference_wer_below_target():
    """Repaired text keeps at most 5% of the raw text's word errors, breaks at most 0.5% of the
    words that were right, and prints the eight goal titles exactly."""
    report = evaluate_text(RAW.read_text(encoding="utf-8"), REFERENCE.read_text(encoding="utf-8"),
                           gold_titles(GOLD))
    assert report.raw_wer > 0.25
    assert report.repaired_wer <= 0.05 * report.raw_wer
    assert report.broken <= 0.005 * report.correct
    assert len(report.titles) == 8 and all(found for _, found in report.titles)


@pytest.mark.slow
def test_repair_document_repairs_pages_lines_and_cells(corpus_pdfs):
    doc = read_document(corpus_pdfs["ostersund-budget-2024.pdf"])
    fixed = repair_document(doc)
    assert len(fixed.pages) == len(doc.pages)
    before = "\n".join(p.raw_text for p in doc.pages)
    after = "\n".join(p.raw_text for p in fixed.pages)
    assert "hallbar" in before and "hållbar" in after
    lines = [line.text for p in fixed.pages for line in p.lines]
    assert any("Östersunds kommun" in line for line in lines)
    koping = read_document(corpus_pdfs["koping-handlingsplan-2023-malomrade-1.pdf"])
    assert repair_document(koping) == koping


def _letters(n: int, seed: int = 7) -> str:
    import random

    rng = random.Random(seed)
    return "".join(rng.choice("abcdefghijklmnopqrstuvwxyzåäö") for _ in range(n))


def test_repair_a_1200_letter_word_is_left_as_it_is():
    """The candidate search recursed once a letter (a 1,000-letter word overflowed the stack); a token
    longer than any word is now no word at all."""
    word = _letters(1200)
    text = f"Mal 1: Trygg kommun for alla.\n{word} ar ett ord.\n"
    repaired = repair_text(text, survival=0.0)
    assert word in repaired and "Mål 1" in repaired


def test_repair_line_end_hyphen_takes_linear_time_on_long_runs_of_letters():
    """Ratios in one run: the hyphen pattern tried a match from each letter of a run (quadratic); eight
    times the letters must cost far less than sixty-four times the time."""
    import time

    from extract.text.repair import dehyphenate

    def seconds(n: int) -> float:
        text = _letters(n) + "-\n" + _letters(n, seed=8) + " och en rad till\n"
        best = float("inf")
        for _ in range(3):
            started = time.perf_counter()
            dehyphenate(text, mark_cost=1.0)
            best = min(best, time.perf_counter() - started)
        return best

    short, long = seconds(5_000), seconds(40_000)
    assert long / max(short, 1e-4) < 24, (short, long)
