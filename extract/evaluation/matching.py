"""Pairing the gold records of one type with the warehouse's, one-to-one, by title.

Titles are compared exactly after whitespace normalisation first, then fuzzily (rapidfuzz ratio at a
stated threshold) for the rest, best-scoring pairs first. Where two records share a title, the
context (what a record hangs under) decides.
"""
from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field
from rapidfuzz import fuzz

from extract.defaults import FUZZY_THRESHOLD
from extract.text.normalise import normalise
from models.registry import RecordType

DEFAULT_FUZZY_THRESHOLD = FUZZY_THRESHOLD


class Item(BaseModel):
    """A record as the matcher sees it: `key` its normalised title, `context` what it hangs under."""

    key: str
    context: str | None
    row: dict[str, Any]
    values: dict[str, float | None] = Field(default_factory=dict)
    """Period → value, for records that carry values (indicators)."""


def rows_to_items(rows: dict[str, list[dict[str, Any]]], record_type: RecordType) -> list[Item]:
    """Records of one type with their match key and context, both read off the registry's model: the
    parent goal's title for a goal, the goal's title for a record under one, the scale for a legend entry."""
    fields = record_type.model.model_fields
    goal_titles = {g["goal_id"]: normalise(g["title"]) for g in rows.get("goal", [])}
    values: dict[str, dict[str, float | None]] = {}
    for v in rows.get("indicator_value", []):
        values.setdefault(v["indicator_id"], {})[str(v["period"])] = v["value"]

    def context(row: dict[str, Any]) -> str | None:
        if "parent_goal_id" in fields:
            return goal_titles.get(row.get("parent_goal_id"))
        if "goal_id" in fields:
            return goal_titles.get(row.get("goal_id"))
        if "scale" in fields:
            return row.get("scale")
        return None

    return [Item(key=normalise(row[record_type.title]) or "", context=context(row), row=row,
                 values=values.get(row.get(record_type.id_field), {}) if "values" in fields else {})
            for row in rows.get(record_type.name, [])]


def match_items(gold: list[Item], found: list[Item], threshold: float) -> tuple[list[tuple[int, int]], int]:
    """One-to-one pairs (gold index, found index): exact key with equal context, exact key, then fuzzy.

    The fuzzy pass takes candidate pairs with rapidfuzz ratio ≥ threshold best-first (ties: equal
    context first, then order), which is optimal whenever no two candidates compete for one record.
    Returns the pairs and how many came from the fuzzy pass.
    """
    pairs: list[tuple[int, int]] = []
    free_gold, free_found = set(range(len(gold))), set(range(len(found)))

    def exact_pass(same_context: bool) -> None:
        by_key: dict[str, list[int]] = {}
        for j in sorted(free_found):
            by_key.setdefault(found[j].key, []).append(j)
        for i in sorted(free_gold):
            candidates = [j for j in by_key.get(gold[i].key, []) if j in free_found
                          and (not same_context or found[j].context == gold[i].context)]
            if candidates:
                pairs.append((i, candidates[0]))
                free_gold.discard(i)
                free_found.discard(candidates[0])

    exact_pass(same_context=True)
    exact_pass(same_context=False)
    candidates = []
    for i in free_gold:
        for j in free_found:
            score = fuzz.ratio(gold[i].key, found[j].key, score_cutoff=threshold)
            if score >= threshold and score > 0:
                candidates.append((-score, gold[i].context != found[j].context, i, j))
    fuzzy = 0
    for _, _, i, j in sorted(candidates):
        if i in free_gold and j in free_found:
            pairs.append((i, j))
            free_gold.discard(i)
            free_found.discard(j)
            fuzzy += 1
    return sorted(pairs), fuzzy
