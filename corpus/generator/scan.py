"""Scanned copies of rendered reports, with the gold they still carry: `python -m corpus.generator.scan`.

Each page is rendered at 200 dpi and put through what a scanner and an office copier do to it: a
small rotation (up to 0.7°), blur, sensor noise, a paper tint, light falling off across the page,
JPEG at quality 70, and for every fourth copy grey-scale. The result is an image-only PDF, no text
layer. A seed draws every setting, so the copies are the same on every machine and are built, not
committed (`make eval` builds them into output/scans/).

The gold is the source's, except that a grey-scale copy of a report whose marks differ only by
colour prints no status where the mark alone showed it: those statuses become null, and the legend,
whose marks can no longer be told apart, is not a record of the copy.
"""
from __future__ import annotations

import argparse
import io
import json
import random
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
from PIL import Image, ImageFilter

from corpus.builder.common import ROOT
from corpus.generator.blocks import COLOUR_CARRIERS
from corpus.generator.ranges import RANGES

SCAN_DPI = 200
JPEG_QUALITY = 70
MAX_ANGLE = 0.7
GREY_EVERY = 4
OUT = ROOT / "output" / "scans"
STATUS_TYPES = ("result_goals", "assignments", "goals")
WORD_BESIDE_MARK = "narrative"
"""The kind of report that prints each status word beside its mark."""
SETS = {
    "corpus": [("corpus/pdf/katrineholm-halvtidsuppfoljning-2019-2022.pdf",
                "corpus/gold/katrineholm-halvtidsuppfoljning-2019-2022.json")],
    "dev": [("corpus/generated/dev/pdf", seed) for seed in RANGES["dev"][::5]],
    "held": [("corpus/generated/held/pdf", seed) for seed in RANGES["held"][:24]],
}
"""What each set copies: the corpus report named by the scanned-reports issue, every fifth report of
the development range (looked at while writing the image reader) and 24 of the range held apart."""


@dataclass(frozen=True)
class ScanSetup:
    angle: float
    blur: float
    noise: float
    tint: tuple[float, float, float]
    falloff: float
    grey: bool


def seed_to_setup(seed: int, index: int) -> ScanSetup:
    r = random.Random(f"scan-{seed}")
    return ScanSetup(angle=r.uniform(-MAX_ANGLE, MAX_ANGLE), blur=r.uniform(0.3, 0.9), noise=r.uniform(2.0, 7.0),
                     tint=(1.0, r.uniform(0.96, 1.0), r.uniform(0.88, 0.97)), falloff=r.uniform(0.0, 0.12),
                     grey=index % GREY_EVERY == GREY_EVERY - 1)


def image_to_scanned(image: Image.Image, setup: ScanSetup, seed: int) -> Image.Image:
    """One page as a scanner sees it."""
    image = image.convert("RGB").rotate(setup.angle, resample=Image.BICUBIC, fillcolor=(255, 255, 255))
    image = image.filter(ImageFilter.GaussianBlur(setup.blur))
    pixels = np.asarray(image, dtype=np.float32) * np.array(setup.tint, dtype=np.float32)
    height, width = pixels.shape[:2]
    light = 1.0 - setup.falloff * np.linspace(0.0, 1.0, width, dtype=np.float32)[None, :, None]
    noise = np.random.default_rng(seed).normal(0.0, setup.noise, pixels.shape).astype(np.float32)
    scanned = Image.fromarray(np.clip(pixels * light + noise, 0, 255).astype(np.uint8))
    return scanned.convert("L") if setup.grey else scanned


def pdf_to_scan(source: Path, target: Path, setup: ScanSetup, seed: int) -> None:
    """An image-only PDF of `source`, each page one JPEG of the same size in points."""
    pdf, out = pdfium.PdfDocument(str(source)), pdfium.PdfDocument.new()
    try:
        for number in range(len(pdf)):
            page = pdf[number]
            width, height = page.get_size()
            image = page.render(scale=SCAN_DPI / 72).to_pil()
            buffer = io.BytesIO()
            image_to_scanned(image, setup, seed * 1000 + number).save(buffer, "JPEG", quality=JPEG_QUALITY)
            buffer.seek(0)
            new = out.new_page(width, height)
            picture = pdfium.PdfImage.new(out)
            picture.load_jpeg(buffer, inline=True)
            picture.set_matrix(pdfium.PdfMatrix().scale(width, height))
            new.insert_obj(picture)
            new.gen_content()
        target.parent.mkdir(parents=True, exist_ok=True)
        out.save(str(target))
    finally:
        out.close()
        pdf.close()


def gold_to_scanned(gold: dict, setup: ScanSetup) -> dict:
    """The records a copy still prints: in a grey copy, a status shown by a mark of one colour among
    marks of one shape is gone (a narrative report prints its status word beside the mark, and keeps
    it), and the legend, whose marks can no longer be told apart, is no record of the copy."""
    generator = gold.get("generator", {})
    if not (setup.grey and generator.get("carrier") in COLOUR_CARRIERS):
        return gold
    gold = json.loads(json.dumps(gold))
    if generator.get("kind") != WORD_BESIDE_MARK:
        for kind in STATUS_TYPES:
            for record in gold.get(kind, []):
                if record.get("mark") and record.get("status") is not None:
                    record["status"] = None
    gold["status_legend"] = []
    return gold


def _entries(name: str) -> list[tuple[Path, Path, int]]:
    entries = []
    for where, ref in SETS[name]:
        if isinstance(ref, int):
            for pdf in sorted((ROOT / where).glob(f"*-{ref:04d}-*.pdf")):
                entries.append((pdf, pdf.parent.parent / "gold" / f"{pdf.stem}.json", ref))
        else:
            entries.append((ROOT / where, ROOT / ref, 0))
    return entries


def build(name: str, out: Path = OUT) -> Path:
    """Scanned copies of set `name` into out/<name>/pdf and their gold into out/<name>/gold."""
    for index, (pdf, gold_path, seed) in enumerate(_entries(name)):
        setup = seed_to_setup(seed, index)
        target = out / name / "pdf" / pdf.name
        pdf_to_scan(pdf, target, setup, seed)
        gold = gold_to_scanned(json.loads(gold_path.read_text(encoding="utf-8")), setup)
        gold.setdefault("generator", {})["scan"] = {"grey": setup.grey, "angle": round(setup.angle, 2)}
        (out / name / "gold").mkdir(parents=True, exist_ok=True)
        (out / name / "gold" / gold_path.name).write_text(
            json.dumps(gold, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return out / name


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m corpus.generator.scan")
    parser.add_argument("sets", nargs="*", help=f"any of {', '.join(SETS)} (default: all)")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    unknown = set(args.sets) - set(SETS)
    if unknown:
        parser.error(f"unknown set {', '.join(sorted(unknown))}; known: {', '.join(SETS)}")
    for name in args.sets or list(SETS):
        print(f"scanned {build(name, args.out).relative_to(ROOT)}")


if __name__ == "__main__":
    main()
