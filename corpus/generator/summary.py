"""Scores of a generated range by layout: `python -m corpus.generator.summary DB GOLD_DIR`.

Groups the evaluator's per-document results by what the generator chose for each report (renderer,
kind, status carrier, orientation, columns) and checks the document facts the range promises:
municipality and document type right for every report.
"""
from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path

from extract.evaluation.records import evaluate_warehouse
from extract.evaluation.scores import TypeScore
from extract.warehouse.connection import connect

DIMENSIONS = ("renderer", "kind", "carrier", "landscape", "columns")


def _overall(types: list[dict[str, TypeScore]]) -> TypeScore:
    total = TypeScore()
    for by_kind in types:
        for score in by_kind.values():
            total = total.plus(score)
    return total


def _status(checks: list[dict]) -> tuple[int, int]:
    right = total = 0
    for by_name in checks:
        for name, score in by_name.items():
            if name.endswith(".status"):
                right, total = right + score.correct, total + score.total
    return right, total


def summarise(db: Path, gold_dir: Path) -> str:
    report = evaluate_warehouse(db, gold_dir)
    meta = {}
    expected = {}
    for path in sorted(gold_dir.glob("*.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        meta[gold["document"]["file"]] = gold.get("generator", {})
        expected[gold["document"]["file"]] = (gold["document"]["municipality_code"], gold["document"]["doc_type"])
    con = connect(db, read_only=True)
    try:
        found = {Path(f).name: (code, kind) for f, code, kind in
                 con.execute("SELECT source_file, municipality_code, doc_type FROM document").fetchall()}
    finally:
        con.close()
    lines = []
    wrong_kommun = [f for f, (code, _) in expected.items() if found.get(f, (None, None))[0] != code]
    wrong_type = [f for f, (_, kind) in expected.items() if found.get(f, (None, None))[1] != kind]
    lines.append(f"{len(expected)} reports: municipality right for {len(expected) - len(wrong_kommun)}, "
                 f"document type right for {len(expected) - len(wrong_type)}")
    lines += [f"  municipality wrong: {f}" for f in wrong_kommun] + [f"  document type wrong: {f}" for f in wrong_type]
    lines.append("")
    lines.append(f"{'layout':<26} {'reports':>7} {'F1':>6} {'status':>7} {'failing reports'}")
    for dimension in DIMENSIONS:
        groups: dict[str, list] = defaultdict(list)
        for document in report.documents:
            groups[str(meta.get(document.file, {}).get(dimension))].append(document)
        for value, documents in sorted(groups.items()):
            overall = _overall([d.types for d in documents])
            right, total = _status([d.checks for d in documents])
            failing = sum(1 for d in documents if _overall([d.types]).f1 < 1.0)
            status = f"{right / total:.3f}" if total else "-"
            lines.append(f"{dimension + '=' + value:<26} {len(documents):>7} {overall.f1:>6.3f} {status:>7} {failing}")
    return "\n".join(lines)


def main(argv: list[str]) -> None:
    if len(argv) != 2:
        raise SystemExit("usage: python -m corpus.generator.summary DB GOLD_DIR")
    print(summarise(Path(argv[0]), Path(argv[1])))


if __name__ == "__main__":
    main(sys.argv[1:])
