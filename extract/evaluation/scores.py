"""What an evaluation reports: counts and scores per document and record type, and their totals.

Zero-division convention: with nothing found, precision is 1.0 (no false positives); with nothing to
find, recall is 1.0 (nothing missed). A type absent from both sides thus scores 1.0 everywhere.
"""
from __future__ import annotations

from pydantic import BaseModel, computed_field

from models.registry import RECORD_TYPES

KINDS = tuple(t.field for t in RECORD_TYPES)
"""Record types in report order, named as in the gold files (and so in the report)."""
MAX_LISTED = 50
"""Misses, inventions and check failures listed per document and type (the JSON report carries them)."""


def _ratio(numerator: int, denominator: int) -> float:
    return numerator / denominator if denominator else 1.0


class TypeScore(BaseModel):
    """Matching counts of one record type; `missed` are gold titles not found, `invented` warehouse
    titles with no gold record."""

    gold: int = 0
    found: int = 0
    matched: int = 0
    fuzzy: int = 0
    """Matches made by the fuzzy pass (already in `matched`)."""
    missed: list[str] = []
    invented: list[str] = []

    @computed_field
    @property
    def precision(self) -> float:
        return _ratio(self.matched, self.found)

    @computed_field
    @property
    def recall(self) -> float:
        return _ratio(self.matched, self.gold)

    @computed_field
    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def plus(self, other: TypeScore) -> TypeScore:
        return TypeScore(gold=self.gold + other.gold, found=self.found + other.found,
                         matched=self.matched + other.matched, fuzzy=self.fuzzy + other.fuzzy)


class CheckScore(BaseModel):
    """A check over matched pairs: how many of `total` were right; `failures` says which were not."""

    correct: int = 0
    total: int = 0
    failures: list[str] = []

    @computed_field
    @property
    def accuracy(self) -> float:
        return _ratio(self.correct, self.total)

    def add(self, ok: bool, failure: str) -> None:
        self.total += 1
        if ok:
            self.correct += 1
        elif len(self.failures) < MAX_LISTED:
            self.failures.append(failure)

    def plus(self, other: CheckScore) -> CheckScore:
        return CheckScore(correct=self.correct + other.correct, total=self.total + other.total)


def check_order(name: str) -> tuple[int, str]:
    """Checks sort by record type in report order (document checks first), then by name."""
    kind = name.split(".")[0]
    return (KINDS.index(kind) + 1 if kind in KINDS else 0, name)


class DocumentEval(BaseModel):
    file: str
    is_plan: bool
    in_warehouse: bool
    """False when no warehouse document has this source file name: every gold record is then missed."""
    types: dict[str, TypeScore]
    checks: dict[str, CheckScore]

    @computed_field
    @property
    def guessed_statuses(self) -> int:
        return sum(c.total - c.correct for name, c in self.checks.items() if name.endswith(".no_mark"))


def sum_types(scores: list[TypeScore]) -> TypeScore:
    total = TypeScore()
    for score in scores:
        total = total.plus(score)
    return total


def _sum_checks(scores: list[CheckScore]) -> CheckScore:
    total = CheckScore()
    for score in scores:
        total = total.plus(score)
    return total


class EvalReport(BaseModel):
    db_path: str
    gold_dir: str
    fuzzy_threshold: float
    documents: list[DocumentEval]
    unevaluated: list[str] = []
    """Warehouse source files with no gold file (not counted)."""

    @computed_field
    @property
    def missing_documents(self) -> list[str]:
        return [d.file for d in self.documents if not d.in_warehouse]

    @computed_field
    @property
    def totals(self) -> dict[str, TypeScore]:
        """Micro-averaged per record type: counts summed over documents, then P/R/F1."""
        return {kind: sum_types([d.types[kind] for d in self.documents]) for kind in KINDS}

    @computed_field
    @property
    def overall(self) -> TypeScore:
        return sum_types(list(self.totals.values()))

    @computed_field
    @property
    def check_totals(self) -> dict[str, CheckScore]:
        names = sorted({name for d in self.documents for name in d.checks}, key=check_order)
        return {name: _sum_checks([d.checks[name] for d in self.documents if name in d.checks]) for name in names}

    @computed_field
    @property
    def guessed_statuses(self) -> int:
        """Matched records with a warehouse status where the gold prints no mark (must be 0)."""
        return sum(d.guessed_statuses for d in self.documents)

    def to_json(self) -> str:
        return self.model_dump_json(indent=2)
