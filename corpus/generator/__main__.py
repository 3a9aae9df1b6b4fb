"""Render generated reports and their gold: `python -m corpus.generator [dev|held ...] [--seed N ...]`.

Writes corpus/generated/<range>/pdf/<name>.pdf and corpus/generated/<range>/gold/<name>.json. Chromium
and LibreOffice render two thirds of the reports, so the rendered files are committed and the tests and
`make eval` need neither.
"""
from __future__ import annotations

import argparse
import json
import shutil

from corpus.builder.common import ROOT
from corpus.generator import render_html, render_reportlab
from corpus.generator.compose import seed_to_report
from corpus.generator.ranges import RANGES

OUT = ROOT / "corpus" / "generated"


def build(range_name: str, seeds, gold_only: bool = False) -> None:
    pdf_dir, gold_dir = OUT / range_name / "pdf", OUT / range_name / "gold"
    pdf_dir.mkdir(parents=True, exist_ok=True)
    gold_dir.mkdir(parents=True, exist_ok=True)
    for seed in seeds:
        report = seed_to_report(seed, range_name)
        path = pdf_dir / f"{report.name}.pdf"
        if not gold_only:
            (render_reportlab if report.setup.renderer == "reportlab" else render_html).render(report, path)
        (gold_dir / f"{report.name}.json").write_text(
            json.dumps(report.gold, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"built {path.relative_to(ROOT)}")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m corpus.generator")
    parser.add_argument("ranges", nargs="*", help=f"any of {', '.join(RANGES)} (default: all)")
    parser.add_argument("--seed", type=int, action="append", help="only these seeds")
    parser.add_argument("--gold-only", action="store_true",
                        help="rewrite the gold files only, leaving the rendered PDFs as they are")
    args = parser.parse_args()
    unknown = set(args.ranges) - set(RANGES)
    if unknown:
        parser.error(f"unknown range {', '.join(sorted(unknown))}; known: {', '.join(RANGES)}")
    for name in args.ranges or sorted(RANGES):
        seeds = [s for s in RANGES[name] if not args.seed or s in args.seed]
        if not args.seed and not args.gold_only:
            shutil.rmtree(OUT / name, ignore_errors=True)
        build(name, seeds, args.gold_only)


if __name__ == "__main__":
    main()
