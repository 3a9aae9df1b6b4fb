"""List bullets OCR passed over go back into their lines as '•'."""
from __future__ import annotations

import numpy as np

from extract.reading.bullets import blobs_to_bullets, ink_to_bullets
from extract.reading.ocr_words import OcrWord
from models.layout import Mark

X_HEIGHT = 15.0


def _word(text: str, x0: int, top: int, x1: int, line: int) -> OcrWord:
    """A word of an 11 pt line at 200 dpi: x-height 15 px, baseline 22 px under its top."""
    return OcrWord(text=text, box=(x0, top, x1, top + 22), line=line, confidence=95.0, x_height=X_HEIGHT,
                   baseline=top + 22.0)


def _disc(ink: np.ndarray, x: int, y: int, radius: int) -> None:
    ys, xs = np.ogrid[:ink.shape[0], :ink.shape[1]]
    ink[(xs - x) ** 2 + (ys - y) ** 2 <= radius ** 2] = 255


def _items() -> list[OcrWord]:
    return [_word("Utveckla", 260, 100, 380, 0), _word("arbetet", 393, 100, 490, 0),
            _word("Ta", 258, 140, 290, 1), _word("fram", 301, 140, 365, 1)]


def test_bullets_disc_before_each_item_joins_its_line():
    ink = np.zeros((300, 600), np.uint8)
    _disc(ink, 232, 114, 5)
    _disc(ink, 232, 154, 5)
    out = ink_to_bullets(_items(), ink)
    bullets = [w for w in out if w.text == "•"]
    assert [w.line for w in bullets] == [0, 1]
    assert all(w.box[2] < 258 for w in bullets)


def test_bullets_full_stop_mid_line_dot_and_letters_are_no_bullets():
    ink = np.zeros((300, 600), np.uint8)
    _disc(ink, 245, 120, 2)  # a full stop on the baseline before 'Utveckla'
    _disc(ink, 386, 154, 5)  # a disc after the line's first word
    ink[150:160, 230:250] = 255  # a bar, no disc
    ink[135:140, 232:237] = 255
    out = ink_to_bullets(_items(), ink)
    assert [w.text for w in out] == [w.text for w in _items()]


def test_bullets_black_mark_before_an_item_is_a_bullet_and_a_grey_one_stays_a_mark():
    scale = 0.36
    black = Mark(kind="image", shape="circle", bbox=(227 * scale, 109 * scale, 237 * scale, 119 * scale), color="#151515")
    grey = Mark(kind="image", shape="circle", bbox=(227 * scale, 149 * scale, 237 * scale, 159 * scale), color="#8a8a8a")
    words, marks = blobs_to_bullets([black, grey], _items(), scale)
    assert [(w.text, w.line) for w in words if w.text == "•"] == [("•", 0)]
    assert marks == [grey]
