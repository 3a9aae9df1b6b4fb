"""An `EvalReport` as text: fixed-width tables for terminals, or markdown tables for READMEs and PRs.

Both forms come from one layout (`_render`) and differ only in how a table is drawn.
"""
from __future__ import annotations

import math
from collections.abc import Callable

from extract.evaluation.scores import KINDS, EvalReport, TypeScore, sum_types

Table = Callable[[list[str], list[list[str]], set[int]], list[str]]
"""Draws (headers, rows, right-aligned column indices) as lines."""


def _num(value: float) -> str:
    """Three decimals, truncated, so that 0.9996 never shows as a perfect 1.000."""
    return f"{math.floor(value * 1000 + 1e-9) / 1000:.3f}"


def _text_table(headers: list[str], rows: list[list[str]], right: set[int]) -> list[str]:
    widths = [max(len(str(c)) for c in column) for column in zip(headers, *rows)]

    def line(cells: list[str]) -> str:
        padded = (c.rjust(w) if k in right else c.ljust(w) for k, (c, w) in enumerate(zip(cells, widths)))
        return "  ".join(padded).rstrip()

    return [line(headers), line(["-" * w for w in widths]), *(line(r) for r in rows)]


def _markdown_table(headers: list[str], rows: list[list[str]], right: set[int]) -> list[str]:
    rule = ["---:" if k in right else "---" for k in range(len(headers))]
    return ["| " + " | ".join(cells) + " |" for cells in (headers, rule, *rows)]


def _type_cells(score: TypeScore) -> list[str]:
    """Counts and scores; a ratio with nothing to divide by shows as '-' (the JSON carries the convention's 1.0)."""
    return [str(score.gold), str(score.found), str(score.matched), str(score.fuzzy),
            _num(score.precision) if score.found else "-", _num(score.recall) if score.gold else "-",
            _num(score.f1) if score.found or score.gold else "-"]


def _render(report: EvalReport, table: Table) -> list[str]:
    markdown = table is _markdown_table
    heading = (lambda text: f"**{text}**") if markdown else (lambda text: text)
    type_headers = ["gold", "found", "matched", "fuzzy", "precision", "recall", "F1"]
    out = [(f"Accuracy of {report.db_path} against {report.gold_dir}: titles matched after whitespace "
            f"normalisation, then fuzzily at rapidfuzz ratio ≥ {report.fuzzy_threshold:g}."), ""]

    rows = []
    for d in report.documents:
        name = d.file if d.in_warehouse else f"{d.file} (not in warehouse)"
        if not d.is_plan:
            name += " (not a plan)"
        shown = [k for k in KINDS if d.types[k].gold or d.types[k].found]
        rows.extend([name if n == 0 else "", kind, *_type_cells(d.types[kind])] for n, kind in enumerate(shown))
        if not shown:
            rows.append([name, "(none)", *_type_cells(sum_types(list(d.types.values())))])
    out += [heading("Records per document"), ""]
    out += table(["document", "records", *type_headers], rows, set(range(2, 9)))

    rows = []
    for d in report.documents:
        for n, (name, check) in enumerate(d.checks.items()):
            rows.append([d.file if n == 0 else "", name, str(check.correct), str(check.total), _num(check.accuracy)])
    if rows:
        out += ["", heading("Checks on matched records"), ""]
        out += table(["document", "check", "correct", "total", "accuracy"], rows, {2, 3, 4})

    rows = [[kind, *_type_cells(score)] for kind, score in report.totals.items()]
    rows.append(["overall", *_type_cells(report.overall)])
    out += ["", heading("Totals, micro-averaged over documents"), ""]
    out += table(["records", *type_headers], rows, set(range(1, 8)))
    rows = [[name, str(c.correct), str(c.total), _num(c.accuracy)] for name, c in report.check_totals.items()]
    if rows:
        out += [""]
        out += table(["check", "correct", "total", "accuracy"], rows, {1, 2, 3})

    out += ["", "'-': nothing found (precision) or nothing to find (recall). Checks run on matched records only.",
            f"Statuses where no mark is printed (guessed): {report.guessed_statuses}"]
    if report.missing_documents:
        out.append("Missing from the warehouse (all their records count as false negatives): "
                   + ", ".join(report.missing_documents))
    if report.unevaluated:
        out.append("In the warehouse without a gold file (not evaluated): " + ", ".join(report.unevaluated))
    return out


def report_to_text(report: EvalReport) -> str:
    return "\n".join(_render(report, _text_table))


def report_to_markdown(report: EvalReport) -> str:
    return "\n".join(_render(report, _markdown_table))
