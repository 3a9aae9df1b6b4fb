"""OCR words → the characters a text layer would have given: each word's box split among its letters,
on the line's baseline with the line's size and weight, so pdfplumber's word and line grouping reads a
scan as it reads a born-digital page. What OCR makes of gaps and painted-out marks is dropped, and a
list bullet read as '«' or '+»' is a bullet again."""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from models.layout import BBox

if TYPE_CHECKING:
    from extract.reading.raster import PageImage


@dataclass(frozen=True)
class OcrWord:
    text: str
    box: tuple[int, int, int, int]
    """Pixels: left, top, right, bottom."""
    line: int
    """The number of the word's line on the page."""
    confidence: float
    x_height: float = 0.0
    """The line's x-height in pixels as Tesseract estimates it from the whole line: unlike its full
    height, it does not grow with a ring on an Å or a descender."""
    baseline: float = 0.0
    """The line's baseline, pixels from the top; 0 when unknown."""


BULLET = "•"
ASCENT, DESCENT = 0.8, 0.2
"""A character's box above and below the baseline, in ems: one em in all, so that lines set solid
(leading equal to the size) touch and wrapped lines of a heading stand the same small gap apart as
in a text layer, whatever letters each holds."""


def _bullet(word: OcrWord, lookalikes: str) -> list[OcrWord]:
    """A line's first word as the bullet it stands for: one small squat blob (no taller than the line's
    x-height) that OCR read as '«', '+»' or 'e', or such a character glued to a capitalised word."""
    text = word.text
    width, height = word.box[2] - word.box[0], word.box[3] - word.box[1]
    small = word.x_height > 0 and height <= 0.9 * word.x_height and width <= 2.2 * max(height, 1)
    if small and len(text) <= 2 and not any(ch.isalnum() for ch in text.strip("eo")):
        return [replace(word, text=BULLET)]
    if len(text) > 2 and text[0] in lookalikes and text[1].isupper():
        cut = word.box[0] + (word.box[2] - word.box[0]) // len(text)
        end = word.box[0] + (cut - word.box[0]) // 2  # a space between bullet and word, as printed
        return [replace(word, text=BULLET, box=(word.box[0], word.box[1], end, word.box[3])),
                replace(word, text=text[1:], box=(cut, word.box[1], word.box[2], word.box[3]))]
    return [word]


def over_painted(word: OcrWord, painted: list[BBox], scale: float, pad: float = 2.0) -> bool:
    """A word of punctuation only whose middle lies where a mark was painted out: OCR sees a stroke in
    the empty gap the mark leaves between two words."""
    if any(ch.isalnum() for ch in word.text):
        return False
    x, y = (word.box[0] + word.box[2]) / 2 * scale, (word.box[1] + word.box[3]) / 2 * scale
    return any(x0 - pad <= x <= x1 + pad and top - pad <= y <= bottom + pad for x0, top, x1, bottom in painted)


def on_new_lines(read: list[OcrWord], first_line: int) -> list[OcrWord]:
    """Words read again on their own, their lines renumbered from `first_line` on (the page's lines
    keep theirs)."""
    ids = {line: first_line + i for i, line in enumerate(sorted({w.line for w in read}))}
    return [replace(w, line=ids[w.line]) for w in read]


ACCENT_HEIGHT = 0.6
"""A letter, digit or dot read in a box lower than this share of the page's usual x-height is an
accent read on a line of its own: the dots of an ä ('5', '.'), the ring of an å ('o', '2'), a j's dot."""
DOUBLE_READ_CONFIDENCE = 50.0
"""A word read below this confidence whose box lies mostly within a surer word's box is the same ink
read twice (the descenders of 'Uppfyllt' read again as 'ppiy')."""


def _share_inside(inner: tuple[int, int, int, int], outer: tuple[int, int, int, int]) -> float:
    width = min(inner[2], outer[2]) - max(inner[0], outer[0])
    height = min(inner[3], outer[3]) - max(inner[1], outer[1])
    area = (inner[2] - inner[0]) * (inner[3] - inner[1])
    return width * height / area if width > 0 and height > 0 and area > 0 else 0.0


def without_stray_readings(words: list[OcrWord]) -> list[OcrWord]:
    """The page's words without accents read apart from their letters and ink read twice: Tesseract
    sets both on lines of their own, which then stand in a cell above or below its text."""
    heights = sorted(w.x_height for w in words if w.x_height > 0)
    usual = heights[len(heights) // 2] if heights else 0.0

    def stray(word: OcrWord) -> bool:
        text = word.text.strip()
        if usual and word.box[3] - word.box[1] < ACCENT_HEIGHT * usual \
                and text and all(ch.isalnum() or ch in ".,:'`´" for ch in text):
            return True
        return word.confidence < DOUBLE_READ_CONFIDENCE and any(
            other is not word and other.line != word.line and other.confidence >= DOUBLE_READ_CONFIDENCE
            and _share_inside(word.box, other.box) >= 0.5 for other in words)

    return [w for w in words if not stray(w)]


def is_noise(word: OcrWord, min_confidence: float, strokes: str = "—–-=_|~") -> bool:
    """A word of dashes and bars only, read with low confidence over a box as tall as letters: what OCR
    makes of an empty gap or a painted-out mark. A printed dash is a small box read surely, and an
    ampersand is no stroke."""
    height = word.box[3] - word.box[1]
    return (bool(word.text) and all(ch in strokes for ch in word.text) and word.confidence < min_confidence
            and word.x_height > 0 and height >= word.x_height)


def words_to_chars(words: list[OcrWord], image: PageImage, sizes: dict[int, float],
                   bold: dict[int, bool], lookalikes: str = "", min_confidence: float = 60.0,
                   word_gap: float = 2.0) -> list[dict]:
    """Each OCR word as characters sharing its line's top and bottom, its width split evenly and at
    least `word_gap` points from the next word: what the text layer of a scan would hold, so
    pdfplumber's word and line grouping applies."""
    s = image.scale
    line_boxes: dict[int, list[int]] = {}
    for word in words:
        box = line_boxes.setdefault(word.line, [word.box[1], word.box[3]])
        box[0], box[1] = min(box[0], word.box[1]), max(box[1], word.box[3])
    chars = []
    seen: set[int] = set()
    split = []
    for word in words:
        if is_noise(word, min_confidence):
            continue
        split += _bullet(word, lookalikes) if word.line not in seen else [word]
        seen.add(word.line)
    starts = sorted((w.line, w.box[0]) for w in split)
    for word in split:
        top, bottom = line_boxes[word.line]
        size = sizes.get(word.line, (bottom - top) * s)
        if word.baseline:  # the font's box, as a text layer gives it, not the ink's
            top, bottom = word.baseline - ASCENT * size / s, word.baseline + DESCENT * size / s
        x0, x1 = word.box[0] * s, word.box[2] * s
        after = next((x * s for line, x in starts[bisect_right(starts, (word.line, word.box[0])):]
                      if line == word.line), None)
        if after is not None and after - x1 < word_gap:  # OCR's boxes of two words may touch
            x1 = max(x0 + 0.5 * (x1 - x0), after - word_gap)
        step = (x1 - x0) / len(word.text)
        font = "OCR-Bold" if bold.get(word.line) else "OCR"
        for i, ch in enumerate(word.text):
            cx0 = x0 + i * step
            chars.append({"object_type": "char", "text": ch, "x0": cx0, "x1": cx0 + step, "top": top * s,
                          "bottom": bottom * s, "doctop": top * s, "width": step, "height": (bottom - top) * s,
                          "size": size, "fontname": font, "upright": True,
                          "matrix": (1, 0, 0, 1, cx0, 0), "non_stroking_color": (0,), "stroking_color": (0,),
                          "adv": step})
    return chars
