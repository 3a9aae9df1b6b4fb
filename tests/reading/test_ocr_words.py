"""OCR words of a page image: stray readings dropped, bold told from the strokes of whole words."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import reportlab
from PIL import Image, ImageDraw, ImageFont

from extract.reading.image_page import words_to_line_styles
from extract.reading.ocr_words import OcrWord, without_stray_readings
from extract.reading.raster import ink_mask

FONTS = Path(reportlab.__file__).parent / "fonts"


def _word(text: str, box: tuple, line: int, confidence: float = 95.0, x_height: float = 15.0) -> OcrWord:
    return OcrWord(text=text, box=tuple(int(v) for v in box), line=line, confidence=confidence, x_height=x_height)


def test_ocr_words_accents_and_ink_read_twice_are_dropped_and_a_dash_value_is_kept():
    words = [
        _word("EJ", (1232, 806, 1253, 834), 9), _word("uppnatt", (1267, 807, 1379, 834), 9, 64.0),
        _word(".", (1250, 806, 1253, 809), 8, 0.0),  # the dot of the j
        _word("o", (1343, 803, 1351, 810), 8, 69.0),  # the ring of the å
        _word("Uppfyllt", (1231, 890, 1342, 914), 10, 91.0),
        _word("ppiy", (1253, 896, 1314, 919), 11, 39.0),  # its descenders read again
        _word("–", (1106, 960, 1120, 963), 12, 90.0),  # a table's 'no value'
        _word("i", (558, 1068, 561, 1088), 13, 96.0),
    ]
    kept = [w.text for w in without_stray_readings(words)]
    assert kept == ["EJ", "uppnatt", "Uppfyllt", "–", "i"]


def test_ocr_words_an_unsure_word_beside_others_is_kept():
    words = [_word("Kommunen", (100, 100, 230, 120), 0), _word("ekonomi", (240, 100, 330, 122), 0, 45.0)]
    assert without_stray_readings(words) == words


def _lines(texts: list[list[tuple[str, bool]]]) -> tuple[np.ndarray, list[OcrWord]]:
    """A page of lines, each a list of (word, bold) drawn at 11 pt and 200 dpi, with their word boxes."""
    image = Image.new("L", (1600, 60 * len(texts) + 40), 255)
    draw = ImageDraw.Draw(image)
    fonts = {weight: ImageFont.truetype(str(FONTS / name), 31) for weight, name in ((False, "Vera.ttf"), (True, "VeraBd.ttf"))}
    words = []
    for line, parts in enumerate(texts):
        x = 40
        for text, bold in parts:
            box = draw.textbbox((x, 30 + 60 * line), text, font=fonts[bold])
            draw.text((x, 30 + 60 * line), text, font=fonts[bold], fill=0)
            words.append(_word(text, box, line))
            x = box[2] + 16
    return ink_mask(np.array(image), 150), words


def test_ocr_words_line_is_bold_when_all_its_words_are_and_a_bold_label_does_not_make_it_so():
    regular = [[("Arbetet", False), ("har", False), ("påbörjats", False), ("och", False), ("fortsätter", False)]] * 4
    ink, words = _lines(regular + [
        [("Mål", True), ("2:", True), ("Jämlika", True), ("livsvillkor", True)],
        [("Ansvarig:", True), ("Kommunstyrelsen", False)],
    ])
    _, bold = words_to_line_styles(words, ink, 72 / 200)
    assert [bold[line] for line in range(6)] == [False] * 4 + [True, False]


def test_ocr_words_bracketed_unit_alone_on_its_line_has_the_size_of_the_line_above():
    """A bracket stands above the ascender line: '(antal)' wrapped onto a line of its own is no
    measure of its size, which comes from the line's x-height instead (it had read 2 points large,
    enough to pass for a heading inside its table)."""
    words = [_word("Antal", (0, 10, 70, 32), 0, x_height=16.0), _word("besök", (80, 10, 150, 32), 0, x_height=16.0),
             _word("biblioteken", (160, 10, 310, 32), 0, x_height=16.0),
             _word("(antal)", (0, 41, 79, 77), 1, x_height=16.0)]
    words = [replace(w, baseline=31.0 if w.line == 0 else 66.0) for w in words]
    sizes, _ = words_to_line_styles(words, np.zeros((90, 400), np.uint8), 0.36)
    assert sizes[1] == sizes[0]


def test_ocr_words_values_set_lower_than_the_line_baseline_measure_their_own_boxes():
    """A header line whose years sit lower than the word opening it ('Indikator' beside 'Utfall' over
    '2023'): the line's baseline lies near the years' tops and says nothing of their height."""
    header = [_word("Indikator", (0, 841, 140, 863), 0), _word("2023", (300, 857, 373, 879), 0),
              _word("2024", (450, 857, 523, 879), 0), _word("2025", (600, 857, 673, 879), 0)]
    row = [_word("Antal", (0, 906, 70, 928), 1), _word("bostäder", (80, 906, 200, 928), 1),
           _word("152", (300, 906, 350, 928), 1)]
    words = [replace(w, baseline=862.0 if w.line == 0 else 927.5) for w in header + row]
    sizes, _ = words_to_line_styles(words, np.zeros((950, 700), np.uint8), 0.36)
    assert abs(sizes[0] - sizes[1]) <= 0.05 * sizes[1]


def test_ocr_words_two_headings_in_one_type_read_one_size_though_their_pixels_round_apart():
    """A word rises a whole number of pixels: two headings in one type whose words measure 24 and 25
    pixels in different mixes read 4% apart by their medians (two heading levels), but within 2% by
    the mean of their typical words."""
    def heading(line: int, top: int, heights: list[int]) -> list[OcrWord]:
        return [replace(_word(f"Kommun{i}", (100 * i, top + 25 - h, 100 * i + 80, top + 25), line, x_height=18.0),
                        baseline=float(top + 25)) for i, h in enumerate(heights)]

    words = heading(0, 10, [24, 24, 25, 25, 25]) + heading(1, 100, [24, 24, 24, 24, 25])
    sizes, _ = words_to_line_styles(words, np.zeros((140, 600), np.uint8), 0.36)
    assert abs(sizes[0] - sizes[1]) <= 0.02 * sizes[1]
