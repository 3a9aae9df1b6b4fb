"""Ink that OCR left without a word is read again on its own."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import reportlab
from PIL import Image, ImageDraw, ImageFont

from extract.reading.ocr_words import OcrWord
from extract.reading.raster import ink_mask
from extract.reading.unread_ink import unread_ink_to_words

BOLD = str(Path(reportlab.__file__).parent / "fonts" / "VeraBd.ttf")


def _page(texts: list[tuple[int, int, str]], size: int = 30) -> tuple[np.ndarray, dict[str, tuple]]:
    """A white page with each text drawn at (x, y); the pixel box of each text."""
    image = Image.new("L", (1400, 300), 255)
    draw, font = ImageDraw.Draw(image), ImageFont.truetype(BOLD, size)
    boxes = {}
    for x, y, text in texts:
        draw.text((x, y), text, font=font, fill=0)
        boxes[text] = draw.textbbox((x, y), text, font=font)
    return np.array(image), boxes


def _word(text: str, box: tuple, line: int) -> OcrWord:
    return OcrWord(text=text, box=tuple(int(v) for v in box), line=line, confidence=95.0, x_height=16.0)


class Reader:
    def __init__(self, answer: list[tuple[str, float]]):
        self.answer, self.asked = answer, []

    def __call__(self, box):
        self.asked.append(box)
        return [OcrWord(text=t, box=box, line=0, confidence=c, x_height=16.0) for t, c in self.answer]


def test_unread_ink_header_word_left_out_is_read_and_joins_on_a_line_of_its_own():
    grey, boxes = _page([(40, 100, "Mål"), (600, 100, "Analys"), (1000, 100, "Måluppfyllelse")])
    words = [_word("Analys", boxes["Analys"], 0), _word("Måluppfyllelse", boxes["Måluppfyllelse"], 0)]
    reader = Reader([("Mål", 95.0)])

    out = unread_ink_to_words(words, ink_mask(grey, 150), reader)

    assert len(reader.asked) == 1
    x0, top, x1, bottom = reader.asked[0]
    left, upper, right, lower = boxes["Mål"]
    assert x0 <= left and right <= x1 and top <= upper and lower <= bottom and x1 < boxes["Analys"][0]
    added = [w for w in out if w.text == "Mål"]
    assert len(added) == 1 and added[0].line not in {w.line for w in words}


def test_unread_ink_page_fully_read_asks_nothing():
    grey, boxes = _page([(40, 100, "Mål"), (600, 100, "Analys")])
    words = [_word(text, box, 0) for text, box in boxes.items()]
    reader = Reader([("x", 99.0)])
    assert unread_ink_to_words(words, ink_mask(grey, 150), reader) == words and not reader.asked


def test_unread_ink_specks_and_rule_ends_are_not_read():
    grey, boxes = _page([(600, 100, "Analys")])
    grey[50:53, 40:43] = 0  # a speck
    grey[200:202, 40:700] = 0  # a stretch of rule left unpainted
    grey[20:24, 900:906] = 0
    reader = Reader([("l", 99.0)])
    unread_ink_to_words([_word("Analys", boxes["Analys"], 0)], ink_mask(grey, 150), reader)
    assert not reader.asked


@pytest.mark.parametrize("answer", [[("Mål", 40.0)], [("l", 85.0)], [("—", 99.0)]])
def test_unread_ink_unsure_or_letterless_reading_is_not_kept(answer):
    grey, boxes = _page([(40, 100, "Mål"), (600, 100, "Analys")])
    words = [_word("Analys", boxes["Analys"], 0)]
    out = unread_ink_to_words(words, ink_mask(grey, 150), Reader(answer))
    assert out == words


def test_unread_ink_is_read_by_tesseract_as_one_line():
    """The word reader's one-line mode reads a lone bold word its block mode finds nothing in."""
    from extract.reading.ocr import OcrSettings, word_reader

    grey, boxes = _page([(40, 100, "Mål"), (600, 100, "Analys")])
    reader = word_reader(OcrSettings())
    out = unread_ink_to_words([_word("Analys", boxes["Analys"], 0)], ink_mask(grey, 150),
                              lambda box: reader.read_block(grey, box, 200, one_line=True))
    assert [w.text for w in out] == ["Analys", "Mål"]
