"""Page quality and the Swedish letter statistics it rests on, on the corpus's correct and garbled texts."""
from __future__ import annotations

import pytest

from extract.text.quality import text_to_quality
from extract.text.swedish import (
    LanguageSettings,
    is_garbled,
    mark_survival,
    swedish_rules,
    word_frequency,
)
from tests.conftest import SOURCES_DIR

GARBLED = SOURCES_DIR / "ostersund-budget-2024-kommunovergripande-mal-ocr.txt"
CORRECT = ("koping-handlingsplan-2023-malomrade-1.txt", "ange-verksamhetsrapport-verksamhetsutveckling-2023.txt",
           "lidkoping-utvecklingsmedel-social-hallbarhet-webbsida.txt",
           "katrineholm-halvtidsuppfoljning-kommunplan-2019-2022.txt")
SENTENCE = "Kommunen ska öka andelen förnybar energi och minska utsläppen från transporterna."


def read(name: str) -> str:
    return (SOURCES_DIR / name).read_text(encoding="utf-8")


# --- text_to_quality ------------------------------------------------------------------------------
@pytest.mark.parametrize("name", CORRECT)
def test_quality_correct_swedish_source_scores_high(name):
    quality = text_to_quality(read(name))
    assert quality.score > 0.85
    assert quality.known_share > 0.85
    assert quality.mark_share_found > quality.mark_share_expected


def test_quality_correct_sentence_scores_full():
    quality = text_to_quality(SENTENCE)
    assert quality.score == 1.0
    assert (quality.tokens, quality.known_share, quality.debris_share) == (11, 1.0, 0.0)


def test_quality_garbled_ocr_text_scores_low():
    quality = text_to_quality(GARBLED.read_text(encoding="utf-8"))
    assert quality.score < 0.1
    assert quality.mark_share_found < 0.005
    assert min(text_to_quality(read(name)).score for name in CORRECT) > 5 * quality.score


def test_quality_stripping_the_marks_of_correct_text_lowers_its_score():
    text = read(CORRECT[0])
    stripped = text.translate(str.maketrans("åäöÅÄÖ", "aaoAAO"))
    assert text_to_quality(stripped).score < 0.5 * text_to_quality(text).score


def test_quality_debris_tokens_lower_the_score():
    clean = text_to_quality(SENTENCE)
    dirty = text_to_quality(SENTENCE + " [ > | ~ 6ka &r I1")
    assert dirty.debris_share == pytest.approx(7 / 18, abs=1e-4)
    assert dirty.score < clean.score
    assert dirty.score == pytest.approx(dirty.known_share * (1 - dirty.debris_share), abs=1e-3)


@pytest.mark.parametrize("token", ["[", ">", "|", "~~", "6ka", "&r", "I1", "k0mmun", "s|kerhet"])
def test_quality_debris_token(token):
    assert text_to_quality(f"{SENTENCE} {token}").debris_share > 0


@pytest.mark.parametrize("token", ["2024", "75 000", "3,5", "%", "2019-2022", "2024-års", "12:e", "1.1", "(2023)",
                                   "1:a", "–"])
def test_quality_numbers_are_not_debris(token):
    quality = text_to_quality(f"{SENTENCE} {token}")
    assert quality.debris_share == 0
    assert quality.score == 1.0


@pytest.mark.parametrize("text", ["", "   \n\t", "2024 75 000 3,5 %", "- – ."])
def test_quality_text_without_words_scores_zero(text):
    assert text_to_quality(text).score == 0.0


def test_quality_unknown_words_score_zero():
    quality = text_to_quality("qwxz brrtv plokkx fnargl")
    assert quality.known_share == 0.0 and quality.score == 0.0


def test_quality_short_line_without_marks_is_not_condemned():
    """Letters assumed before reading keep a short correct line without å/ä/ö near full score."""
    assert text_to_quality("Kommunen har en plan").score > 0.95


# --- swedish --------------------------------------------------------------------------------------
def test_swedish_mark_survival_full_for_correct_text_low_for_garbled():
    assert mark_survival(read(CORRECT[0])) == 1.0
    assert mark_survival(GARBLED.read_text(encoding="utf-8")) < 0.1


def test_swedish_mark_survival_prior_protects_short_text_only():
    short = "Kommunen har en plan"
    long = " ".join([short] * 200)
    assert mark_survival(short) > 0.95
    assert mark_survival(long) < 0.3
    assert mark_survival(long, LanguageSettings(mark_prior_letters=0)) == 0.0
    assert mark_survival(short, LanguageSettings(mark_prior_letters=0)) == 0.0
    assert mark_survival("") == 1.0


def test_swedish_mark_survival_counts_upper_case_marks():
    assert mark_survival("ÅÄÖ" * 100) == 1.0
    assert set(swedish_rules().marked_letters) == set("åäöÅÄÖ")


def test_swedish_is_garbled_on_the_corpus_texts():
    assert is_garbled(GARBLED.read_text(encoding="utf-8"))
    for name in CORRECT:
        assert not is_garbled(read(name)), name


def test_swedish_is_garbled_needs_enough_letters_to_judge():
    settings = LanguageSettings()
    unmarked = "kommunen har en plan for tillvaxt " * 20
    letters = sum(ch.isalpha() for ch in unmarked)
    assert letters >= settings.min_letters_to_judge and is_garbled(unmarked)
    short = unmarked[: settings.min_letters_to_judge // 2]
    assert not is_garbled(short)
    assert is_garbled(short, LanguageSettings(min_letters_to_judge=10))


def test_swedish_is_garbled_threshold_from_settings():
    """A text with 70 % of the expected marks is garbled only under a threshold above 70 %."""
    text = "kommunen har en plan för tillvaxt och hallbarhet " * 10
    assert not is_garbled(text)
    assert not is_garbled(text, LanguageSettings(garbled_survival=0.65))
    assert is_garbled(text, LanguageSettings(garbled_survival=0.75))


@pytest.mark.parametrize("word", ["kommun", "Kommunen", "KOMMUNEN", "och", "tillväxt", "Östersund"])
def test_swedish_word_frequency_known_words_any_case(word):
    frequency = word_frequency(word)
    assert frequency is not None and frequency > 3
    assert word_frequency(word.lower()) == frequency


def test_swedish_word_frequency_common_words_rank_above_rare_ones():
    assert word_frequency("och") > word_frequency("kommun") > word_frequency("förskoleavdelningar")


def test_swedish_word_frequency_compounds_and_names_are_known():
    settings = LanguageSettings()
    assert word_frequency("förskoleavdelningar") >= settings.compound_frequency
    assert word_frequency("Storsjön") >= settings.dictionary_frequency


@pytest.mark.parametrize("word", ["tillvaxt", "6ka", "qwxzv", "forutsattningar", "manniskor"])
def test_swedish_word_frequency_unknown_for_garbled_words(word):
    assert word_frequency(word) is None
