"""OCR lines strung across table cells of different heights are read again cell by cell."""
from __future__ import annotations

from extract.reading.ocr_words import OcrWord
from extract.reading.straddles import straddling_lines_to_cell_words

SCALE = 0.5  # points per pixel


def _rule(x0: float, top: float, x1: float, bottom: float) -> dict:
    return {"x0": x0 * SCALE, "top": top * SCALE, "x1": x1 * SCALE, "bottom": bottom * SCALE}


def _grid(columns: list[int], rows: list[int]) -> list[dict]:
    """Ruled borders of a table, in points, from pixel positions."""
    return ([_rule(x, rows[0], x, rows[-1]) for x in columns]
            + [_rule(columns[0], y, columns[-1], y) for y in rows])


def _word(text: str, x0: int, top: int, x1: int, line: int) -> OcrWord:
    return OcrWord(text=text, box=(x0, top, x1, top + 20), line=line, confidence=90.0, x_height=10.0)


class Reader:
    """Reads a cell as the text written in it, and notes which cells it was asked for."""

    def __init__(self, cells: dict[tuple[int, int], list[str]]):
        self.cells, self.asked = cells, []

    def __call__(self, box):
        self.asked.append(box)
        lines = next((lines for (x, y), lines in self.cells.items()
                      if box[0] <= x <= box[2] and box[1] <= y <= box[3]), [])
        return [_word(text, box[0] + 5, box[1] + 5 + 25 * i, box[0] + 60, i) for i, text in enumerate(lines)]


def test_straddles_header_strung_across_cells_of_one_and_two_lines_is_read_cell_by_cell():
    rules = _grid([0, 300, 400, 500], [0, 60, 100])
    words = [  # 'Mått' and 'Mål 2026' sit mid-row; OCR strung them with the second line of 'Utfall / 2023'
        _word("Matt", 10, 20, 60, 0), _word("2023", 310, 32, 360, 0), _word("Mal.:2026", 410, 20, 480, 0),
        _word("Utfall", 310, 8, 360, 1),
        _word("Nettokostnad", 10, 70, 120, 2), _word("3,0", 310, 70, 340, 2),
    ]
    reader = Reader({(150, 30): ["Mått"], (350, 30): ["Utfall", "2023"], (450, 30): ["Mål 2026"]})

    out = straddling_lines_to_cell_words(words, rules, SCALE, reader)

    assert len(reader.asked) == 3  # the header's three cells, not the body row
    assert all(box[3] <= 60 for box in reader.asked)
    texts = [w.text for w in sorted(out, key=lambda w: (w.box[1], w.box[0]))]
    assert "Matt" not in texts and "Mal.:2026" not in texts
    assert {"Mått", "Utfall", "2023", "Mål 2026", "Nettokostnad", "3,0"} <= set(texts)
    header_lines = {w.line for w in out if w.text in ("Mått", "Utfall", "2023", "Mål 2026")}
    assert len(header_lines) == 4 and not header_lines & {w.line for w in out if w.text == "Nettokostnad"}


def test_straddles_line_on_one_height_and_text_outside_tables_are_left_as_read():
    rules = _grid([0, 300, 400], [0, 40])
    words = [_word("Handläggningstid", 10, 10, 150, 0), _word("11,7", 310, 11, 350, 0),
             _word("Rubrik", 10, 200, 80, 1), _word("under", 90, 215, 150, 1)]
    reader = Reader({})

    assert straddling_lines_to_cell_words(words, rules, SCALE, reader) == words
    assert reader.asked == []


def test_straddles_cell_read_as_nothing_keeps_the_page_reading():
    rules = _grid([0, 300, 400], [0, 60])
    words = [_word("Matt", 10, 20, 60, 0), _word("2023", 310, 32, 360, 0)]

    assert straddling_lines_to_cell_words(words, rules, SCALE, Reader({})) == words


def _scored(text: str, box: tuple[int, int, int, int], line: int, confidence: float) -> OcrWord:
    return OcrWord(text=text, box=box, line=line, confidence=confidence, x_height=10.0)


def test_straddles_word_holding_two_lines_without_borders_is_read_as_a_block():
    """Headers over columns with only row rules: OCR took 'Utfall' over '2020' for one tall word ('051')."""
    rules = [_rule(0, 0, 1000, 0), _rule(0, 70, 1000, 70)]
    words = [_scored("Nyckeltal", (10, 20, 110, 50), 0, 96.0), _scored("051", (400, 8, 460, 62), 0, 25.0),
             _scored("Målvärde", (600, 25, 700, 45), 0, 92.0)]

    class TwoLines:
        def __init__(self):
            self.asked = []

        def __call__(self, box):
            self.asked.append(box)
            return [_scored("Utfall", (400, 8, 460, 30), 0, 88.0), _scored("2020", (400, 36, 452, 62), 1, 96.0)]

    reader = TwoLines()
    out = straddling_lines_to_cell_words(words, rules, SCALE, reader)

    (asked,) = reader.asked
    assert asked[0] < 400 and asked[2] > 460 and asked[1] >= 0 and asked[3] <= 70  # between the rules
    assert [w.text for w in sorted(out, key=lambda w: (w.box[0], w.box[1]))] == [
        "Nyckeltal", "Utfall", "2020", "Målvärde"]
    assert len({w.line for w in out}) == 3  # the header's one-line words, and each line of the block


def test_straddles_speck_or_confident_word_is_not_read_again():
    """A speck between columns (narrower than a line is high) and a tall confident word stay as read,
    and a block read with little confidence does not replace what the page gave."""
    rules = [_rule(0, 0, 1000, 0), _rule(0, 70, 1000, 70)]
    words = [_scored("Kartlägga", (10, 20, 110, 40), 0, 97.0), _scored("=:", (200, 15, 212, 45), 0, 0.0),
             _scored("051", (400, 8, 460, 62), 0, 25.0),
             _scored("av", (10, 120, 40, 140), 1, 97.0), _scored("Öka", (300, 100, 380, 160), 1, 95.0)]
    asked = []

    def noise(box):
        asked.append(box)
        return [_scored("a”", (400, 8, 420, 30), 0, 40.0), _scored("RR", (430, 8, 460, 30), 0, 20.0)]

    assert straddling_lines_to_cell_words(words, rules, SCALE, noise) == words
    assert len(asked) == 1 and asked[0][0] < 400 < asked[0][2]  # only the wide, doubtful word was tried


def test_straddles_block_read_cut_at_its_side_is_not_kept():
    """A tall word beside text OCR missed ('bag' over 'Antal deltagare' / '(antal)'): the block read
    again ends in a word cut by the box ('de'), and still does when widened to the next word, so the
    page's reading stays."""
    rules = [_rule(0, 0, 1000, 0), _rule(0, 70, 1000, 70)]
    words = [_scored("bag", (20, 8, 110, 62), 0, 25.0), _scored("arbetsmarknadsinsatser", (300, 10, 600, 34), 0, 91.0)]

    def cut(box):
        return [_scored("Antal", (box[0] + 8, 10, box[0] + 60, 32), 0, 96.0),
                _scored("de", (box[2] - 20, 10, box[2], 32), 0, 86.0)]

    assert straddling_lines_to_cell_words(words, rules, SCALE, cut) == words


def test_straddles_block_read_cut_at_its_side_is_read_again_up_to_the_next_word():
    """OCR's tall word 'bag' covers 'Antal de' of 'Antal deltagare' over '(antal)', the rest read as a
    doubtful 'SME': the block cut at 'de' is read again widened along the line to the confident word
    beside it, and that reading is kept in place of both."""
    rules = [_rule(0, 0, 1000, 0), _rule(0, 70, 1000, 70)]
    words = [_scored("bag", (20, 8, 110, 62), 0, 25.0), _scored("SME", (150, 10, 226, 34), 0, 31.0),
             _scored("i", (240, 10, 244, 34), 0, 91.0),
             _scored("arbetsmarknadsinsatser", (256, 10, 600, 34), 0, 91.0)]
    asked = []

    def cell(box):
        asked.append(box)
        texts = [("Antal", 20, 10, 80, 34), ("deltagare", 92, 10, 228, 34), ("(antal)", 20, 40, 100, 62)]
        return [_scored(t, (max(x0, box[0]), top, min(x1, box[2]), bottom), int(top > 30), 96.0)
                for t, x0, top, x1, bottom in texts if x0 < box[2]]

    out = straddling_lines_to_cell_words(words, rules, SCALE, cell)
    assert len(asked) == 2 and asked[0][2] < 228 < asked[1][2] < 240  # cut in "deltagare", then up to "i"
    assert sorted(w.text for w in out) == sorted(["Antal", "deltagare", "(antal)", "i", "arbetsmarknadsinsatser"])
