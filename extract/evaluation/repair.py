"""Measure the repair stage (and OCR) against a hand-corrected reference text.

Word error rate is the token-level Levenshtein distance over the reference's token count. A word
the raw text had right and the repair made wrong is counted separately: that is the harm a repair
can do to correct text.

    python -m extract.evaluation.repair [--ocr]
"""
from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path

import click
from rapidfuzz.distance import Levenshtein

from extract.text.lexicon import swedish_lexicon
from extract.text.repair import dehyphenate, repair_text

ROOT = Path(__file__).resolve().parents[2]
RAW = ROOT / "corpus/sources/ostersund-budget-2024-kommunovergripande-mal-ocr.txt"
REFERENCE = ROOT / "corpus/gold/ostersund-budget-2024-reference.txt"
GOLD = ROOT / "corpus/gold/ostersund-budget-2024.json"
SCAN = ROOT / "corpus/pdf/ostersund-budget-2024-bildskanning.pdf"


def text_to_tokens(text: str) -> list[str]:
    return text.split()


def word_error_rate(hypothesis: str, reference: str) -> float:
    ref = text_to_tokens(reference)
    return Levenshtein.distance(text_to_tokens(hypothesis), ref) / max(1, len(ref))


def _aligned(source: list[str], target: list[str]) -> dict[int, int]:
    """Source index → target index for tokens kept or replaced one for one."""
    pairs: dict[int, int] = {}
    for op in Levenshtein.opcodes(source, target):
        if op.tag in ("equal", "replace") and op.src_end - op.src_start == op.dest_end - op.dest_start:
            for k in range(op.src_end - op.src_start):
                pairs[op.src_start + k] = op.dest_start + k
    return pairs


def broken_correct_words(raw: str, repaired: str, reference: str) -> tuple[int, int, list[tuple[str, str]]]:
    """(correct raw tokens made wrong, correct raw tokens, examples)."""
    raw_t, rep_t, ref_t = map(text_to_tokens, (raw, repaired, reference))
    correct = [i for op in Levenshtein.opcodes(raw_t, ref_t) if op.tag == "equal"
               for i in range(op.src_start, op.src_end)]
    to_rep = _aligned(raw_t, rep_t)
    broken = [(raw_t[i], rep_t[to_rep[i]]) for i in correct if i in to_rep and rep_t[to_rep[i]] != raw_t[i]]
    return len(broken), len(correct), broken


def titles_found(text: str, titles: list[str]) -> list[tuple[str, bool]]:
    """Whether each title appears word for word in the text (whitespace collapsed)."""
    flat = " ".join(text.split())
    return [(t, " ".join(t.split()) in flat) for t in titles]


@dataclass
class RepairReport:
    tokens: int
    raw_wer: float
    repaired_wer: float
    broken: int
    correct: int
    words_per_second: float
    titles: list[tuple[str, bool]]
    examples: list[tuple[str, str]]

    @property
    def cut(self) -> float:
        return 1 - self.repaired_wer / self.raw_wer if self.raw_wer else 1.0


def gold_titles(path: Path = GOLD) -> list[str]:
    goals = json.loads(path.read_text(encoding="utf-8"))["goals"]
    return [g["title"] for g in goals if g["level"] == "overarching"] or [g["title"] for g in goals]


def evaluate_text(raw: str, reference: str, titles: list[str]) -> RepairReport:
    """The reference gets the same line-end dehyphenation the repair makes, so a join the repair
    rightly makes is not counted as an error."""
    reference = dehyphenate(reference)
    swedish_lexicon()
    start = time.perf_counter()
    repaired = repair_text(raw)
    seconds = time.perf_counter() - start
    broken, correct, examples = broken_correct_words(raw, repaired, reference)
    return RepairReport(
        tokens=len(text_to_tokens(reference)), raw_wer=word_error_rate(raw, reference),
        repaired_wer=word_error_rate(repaired, reference), broken=broken, correct=correct,
        words_per_second=len(text_to_tokens(raw)) / seconds, titles=titles_found(repaired, titles),
        examples=examples,
    )


def _print_report(name: str, rep: RepairReport) -> None:
    click.echo(f"{name}: {rep.tokens} reference tokens")
    click.echo(f"  raw WER       {rep.raw_wer:7.2%}")
    click.echo(f"  repaired WER  {rep.repaired_wer:7.2%}   (errors cut by {rep.cut:.1%}; "
               f"repaired/raw = {rep.repaired_wer / rep.raw_wer if rep.raw_wer else 0:.1%})")
    click.echo(f"  correct words made wrong {rep.broken}/{rep.correct} = "
               f"{rep.broken / max(1, rep.correct):.2%}  {rep.examples[:12]}")
    click.echo(f"  speed {rep.words_per_second:,.0f} words/s (lexicon loaded, word cache cold)")
    ok = sum(found for _, found in rep.titles)
    click.echo(f"  goal titles exact {ok}/{len(rep.titles)}")
    for title, found in rep.titles:
        if not found:
            click.echo(f"    missing: {title}")


@click.command()
@click.option("--ocr/--no-ocr", default=False, help="Also OCR the image-only scan (slow: seconds per page).")
def main(ocr: bool) -> None:
    reference = REFERENCE.read_text(encoding="utf-8")
    titles = gold_titles()
    _print_report("text layer (repair of the source OCR text)", evaluate_text(
        RAW.read_text(encoding="utf-8"), reference, titles))
    if ocr:
        from extract.reading.ocr import ocr_pages
        from extract.reading.read import pdf_page_count

        start = time.perf_counter()
        pages = ocr_pages(SCAN, list(range(1, pdf_page_count(SCAN) + 1)))
        seconds = time.perf_counter() - start
        text = "\n".join(pages[n] for n in sorted(pages))
        click.echo(f"OCR of {SCAN.name}: {len(pages)} pages, {seconds / max(1, len(pages)):.2f} s/page "
                   f"(all cores)")
        click.echo(f"  OCR WER {word_error_rate(text, reference):.2%} (raw OCR)")
        _print_report("OCR text, repaired", evaluate_text(text, reference, titles))


if __name__ == "__main__":
    main()
