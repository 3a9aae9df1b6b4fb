"""Scanned pages read from their pixels: straightening, rules, coloured marks, fills, OCR words as
characters, and whole scanned copies of generated reports through the pipeline."""
from __future__ import annotations

import json
from pathlib import Path

import cv2
import numpy as np
import pytest

from extract.reading.fills import fills_to_marks, is_fill_outline
from extract.reading.image_objects import (ImageObjectSettings, colour_mask, image_to_colour_objects,
                                           image_to_dark_blobs, image_to_rules)
from extract.reading.ocr_words import BULLET, OcrWord, is_noise, over_painted, words_to_chars
from extract.reading.image_page import snap_sizes
from extract.reading.marks import MarkSettings
from extract.reading.raster import RasterSettings, image_to_page_image, ink_mask
from models.layout import Cell, Table

ROOT = Path(__file__).resolve().parents[2]
DPI = 200
PT = DPI / 72
GREEN, YELLOW, RED = (0, 153, 77), (255, 191, 0), (214, 46, 33)


def blank(width_pt: float = 420, height_pt: float = 300, tint=(255, 250, 232)) -> np.ndarray:
    return np.full((int(height_pt * PT), int(width_pt * PT), 3), tint, np.uint8)


def draw_table(rgb: np.ndarray, x0: float, top: float, widths: list[float], rows: int, row_h: float) -> None:
    xs = [x0 + sum(widths[:i]) for i in range(len(widths) + 1)]
    for r in range(rows + 1):
        y = int((top + r * row_h) * PT)
        cv2.line(rgb, (int(xs[0] * PT), y), (int(xs[-1] * PT), y), (60, 60, 60), 2)
    for x in xs:
        cv2.line(rgb, (int(x * PT), int(top * PT)), (int(x * PT), int((top + rows * row_h) * PT)), (60, 60, 60), 2)


def rotate(rgb: np.ndarray, degrees: float) -> np.ndarray:
    height, width = rgb.shape[:2]
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), degrees, 1.0)
    return cv2.warpAffine(rgb, matrix, (width, height), borderValue=(255, 255, 255))


def test_scan_page_is_straightened_and_white_balanced():
    rgb = blank()
    draw_table(rgb, 30, 40, [120, 200], 5, 30)
    cv2.circle(rgb, (int(50 * PT), int(85 * PT)), int(4 * PT), YELLOW, -1)
    page = image_to_page_image(rotate(rgb, 0.6), DPI, RasterSettings())
    assert abs(page.skew + 0.6) <= 0.1
    paper = np.median(page.rgb[5:40, 5:40].reshape(-1, 3), axis=0)
    assert paper.min() >= 245, f"tinted paper not made white: {paper}"


def test_scan_rules_make_the_grid_and_skip_a_heading_baseline():
    rgb = blank()
    draw_table(rgb, 30, 60, [120, 200], 4, 30)
    cv2.putText(rgb, "Mmmmmmmmmmm", (int(30 * PT), int(40 * PT)), cv2.FONT_HERSHEY_TRIPLEX, 2.2, (0, 0, 0), 7)
    page = image_to_page_image(rgb, DPI, RasterSettings())
    grey = page.grey()
    rules = image_to_rules(ink_mask(grey, 150), ink_mask(grey, 235), page, ImageObjectSettings())
    horizontal = sorted({round(r["top"]) for r in rules if r["top"] == r["bottom"]})
    vertical = sorted({round(r["x0"]) for r in rules if r["x0"] == r["x1"]})
    assert horizontal == pytest.approx([60, 90, 120, 150, 180], abs=2)
    assert vertical == pytest.approx([30, 150, 350], abs=2)


def test_scan_colour_marks_have_their_colour_and_shape_and_words_are_not_marks():
    rgb = blank()
    for i, colour in enumerate((GREEN, YELLOW, RED)):
        cv2.circle(rgb, (int(40 * PT), int((40 + 30 * i) * PT)), int(4 * PT), colour, -1)
    cv2.rectangle(rgb, (int(80 * PT), int(36 * PT)), (int(88 * PT), int(44 * PT)), RED, -1)
    cv2.putText(rgb, "rubrik", (int(150 * PT), int(60 * PT)), cv2.FONT_HERSHEY_SIMPLEX, 1.2, (30, 60, 200), 3)
    page = image_to_page_image(rgb, DPI, RasterSettings())
    settings = ImageObjectSettings()
    marks, fills = image_to_colour_objects(page, colour_mask(page, settings), settings)
    assert not fills
    assert sorted(m.shape for m in marks) == ["circle", "circle", "circle", "square"]
    circles = sorted((m for m in marks if m.shape == "circle"), key=lambda m: m.bbox[1])
    for mark, colour in zip(circles, (GREEN, YELLOW, RED)):
        sampled = tuple(int(mark.color[i:i + 2], 16) for i in (1, 3, 5))
        assert np.abs(np.array(sampled) - colour).max() <= 40, (mark.color, colour)


def test_scan_fills_of_touching_cells_keep_their_own_colours():
    rgb = blank()
    for i, colour in enumerate((GREEN, GREEN, RED)):
        cv2.rectangle(rgb, (int(300 * PT), int((40 + 25 * i) * PT)), (int(360 * PT), int((65 + 25 * i) * PT)),
                      colour, -1)
    page = image_to_page_image(rgb, DPI, RasterSettings())
    settings = ImageObjectSettings()
    _, fills = image_to_colour_objects(page, colour_mask(page, settings), settings)
    colours = [tuple(round(v * 255) for v in f["non_stroking_color"]) for f in sorted(fills, key=lambda f: f["top"])]
    assert len(fills) == 2
    assert colours[0][1] > colours[0][0] and colours[1][0] > colours[1][1]
    assert fills[0]["bottom"] - fills[0]["top"] == pytest.approx(50, abs=3)


def test_scan_grey_discs_are_painted_out_but_dots_over_letters_are_not():
    rgb = blank()
    cv2.circle(rgb, (int(40 * PT), int(40 * PT)), int(4 * PT), (120, 120, 120), -1)
    cv2.circle(rgb, (int(40 * PT), int(80 * PT)), int(4 * PT), (60, 60, 60), -1)
    cv2.rectangle(rgb, (int(36 * PT), int(86 * PT)), (int(44 * PT), int(100 * PT)), (60, 60, 60), -1)
    page = image_to_page_image(rgb, DPI, RasterSettings())
    blobs = image_to_dark_blobs(ink_mask(page.grey(), 235), page, ImageObjectSettings())
    assert len(blobs) == 1 and blobs[0][3] < 60, blobs  # the disc alone, not the one over a stem


def word(text: str, box: tuple[int, int, int, int], line: int = 0, confidence: float = 95.0,
         x_height: float = 14.0, baseline: float = 0.0) -> OcrWord:
    return OcrWord(text=text, box=box, line=line, confidence=confidence, x_height=x_height, baseline=baseline)


def test_scan_words_become_characters_with_bullets_and_spaces():
    page = image_to_page_image(blank(), DPI, RasterSettings())
    words = [word("«", (100, 108, 108, 116)), word("Ej", (130, 100, 150, 120)), word("startat", (150, 100, 220, 120)),
             word("«Samordna", (100, 200, 260, 220), line=1)]
    chars = words_to_chars(words, page, {0: 10.0, 1: 10.0}, {}, "«»")
    text = {}
    for c in chars:
        text.setdefault(round(c["top"]), []).append(c)
    lines = []
    for top in sorted(text):
        row = sorted(text[top], key=lambda c: c["x0"])
        out = row[0]["text"]
        for a, b in zip(row, row[1:]):
            out += (" " if b["x0"] - a["x1"] > 1.5 else "") + b["text"]
        lines.append(out)
    assert lines == [f"{BULLET} Ej startat", f"{BULLET} Samordna"]


def test_scan_noise_and_punctuation_over_painted_marks_are_dropped():
    assert is_noise(word("—", (10, 0, 20, 30), confidence=40.0), 60.0)
    assert not is_noise(word("-", (10, 14, 20, 17), confidence=93.0), 60.0)
    assert not is_noise(word("och", (10, 0, 50, 30), confidence=40.0), 60.0)
    painted = [(10.0, 10.0, 20.0, 20.0)]
    assert over_painted(word("=", (40, 40, 50, 50)), painted, 72 / DPI)
    assert not over_painted(word("Ej", (40, 40, 50, 50)), painted, 72 / DPI)


def test_scan_sizes_a_pixel_apart_are_one_size():
    sizes = {0: 9.5, 1: 10.3, 2: 10.0, 3: 15.8, 4: 16.3}
    snapped = snap_sizes(sizes, {0: 10, 1: 80, 2: 10, 3: 5, 4: 20})
    assert snapped[0] == snapped[1] == snapped[2] == 10.5
    assert snapped[3] == snapped[4] == 16.5
    assert snapped[0] < snapped[3]


def test_fills_over_several_cells_of_a_column_mark_each_and_outlines_are_no_tables():
    settings = MarkSettings()
    fill = {"object_type": "rect", "x0": 476.0, "top": 244.0, "x1": 539.0, "bottom": 356.0, "fill": True,
            "non_stroking_color": (0.0, 0.6, 0.3)}
    cells = [(506.0, 244.0, 539.0, 271.0), (506.0, 271.0, 539.0, 318.0), (506.0, 318.0, 539.0, 356.0),
             (330.0, 244.0, 506.0, 271.0)]
    marks = fills_to_marks([fill], cells, settings)
    assert sorted(m.bbox for m in marks) == sorted(cells[:3])
    header = {**fill, "x0": 57.0, "top": 200.0, "bottom": 220.0}
    assert not fills_to_marks([header], [(57.0, 200.0, 300.0, 220.0), (300.0, 200.0, 539.0, 220.0)], settings)
    outline = Table(bbox=(476.0, 244.0, 539.0, 356.0), n_rows=1, n_cols=1,
                    cells=[Cell(row=0, col=0, text="", bbox=(476.0, 244.0, 539.0, 356.0))])
    assert is_fill_outline(outline, [fill], settings)


def _scanned(tmp_path: Path, name: str, grey: bool):
    from corpus.generator.scan import ScanSetup, gold_to_scanned, pdf_to_scan

    source = ROOT / "corpus" / "generated" / "dev" / "pdf" / f"{name}.pdf"
    setup = ScanSetup(angle=0.5, blur=0.6, noise=5.0, tint=(1.0, 0.98, 0.92), falloff=0.08, grey=grey)
    target = tmp_path / f"{name}.pdf"
    pdf_to_scan(source, target, setup, seed=7)
    gold = json.loads((ROOT / "corpus" / "generated" / "dev" / "gold" / f"{name}.json").read_text(encoding="utf-8"))
    return target, gold_to_scanned(gold, setup)


@pytest.mark.slow
@pytest.mark.parametrize("name", ["dev-0010-status-tables-chromium", "dev-0165-status-tables-reportlab"])
def test_scan_copy_of_a_status_report_reads_its_records_and_statuses(tmp_path, name):
    from extract.pipeline import extract_file

    path, gold = _scanned(tmp_path, name, grey=False)
    extraction = extract_file(path)
    found = {r.title: r.status for r in extraction.result_goals}
    wanted = {r["title"]: r["status"] for r in gold["result_goals"]}
    assert set(found) == set(wanted)
    assert found == wanted


@pytest.mark.slow
def test_scan_grey_copy_of_colour_marks_gives_no_status(tmp_path):
    from extract.pipeline import extract_file

    path, gold = _scanned(tmp_path, "dev-0010-status-tables-chromium", grey=True)
    extraction = extract_file(path)
    assert {r.title for r in extraction.result_goals} == {r["title"] for r in gold["result_goals"]}
    assert all(r.status is None for r in extraction.result_goals + extraction.assignments)
    assert all(r["status"] is None for r in gold["result_goals"])


@pytest.mark.slow
def test_scan_percent_sign_read_again_with_a_second_model(tmp_path):
    from extract.pipeline import extract_file

    path, gold = _scanned(tmp_path, "dev-0030-indicators-reportlab", grey=False)
    names = {i.name for i in extract_file(path).indicators}
    wanted = {i["name"] for i in gold["indicators"]}
    assert any("(%)" in name for name in wanted)
    assert names == wanted
