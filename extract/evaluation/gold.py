"""Gold files (`corpus/gold/*.json`) read and turned into the rows a perfect extraction would load.

Bringing the gold into the warehouse's own row shape lets one matcher and one set of checks serve
both sides of the comparison.
"""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from extract.errors import PlansError
from models.records import stable_id
from models.registry import RECORD_TYPES

DOCUMENT_FIELDS = ("municipality_code", "doc_type", "title", "period_start", "period_end", "version",
                   "decided_date", "decided_by", "diarienummer")
"""Document metadata a gold file states, and so what the document check compares."""


class EvalError(PlansError):
    """The gold folder, a gold file or the evaluation's settings cannot be used."""


class _Gold(BaseModel):
    model_config = ConfigDict(extra="allow")


class GoldDocumentInfo(_Gold):
    file: str
    is_plan: bool = True


class GoldFile(_Gold):
    """The parts of a gold file the evaluator relies on; other keys pass through untouched."""

    document: GoldDocumentInfo
    goals: list[dict[str, Any]] = []
    result_goals: list[dict[str, Any]] = []
    assignments: list[dict[str, Any]] = []
    indicators: list[dict[str, Any]] = []
    activities: list[dict[str, Any]] = []
    status_legend: list[dict[str, Any]] = []
    assessments: list[dict[str, Any]] = []


def read_gold(path: Path) -> GoldFile:
    try:
        return GoldFile.model_validate(json.loads(path.read_text(encoding="utf-8")))
    except json.JSONDecodeError as error:
        raise EvalError(f"{path}: not valid JSON: {error}") from None
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise EvalError(f"{path}: {where}: {first['msg']}") from None


def gold_dir_to_files(gold_dir: Path) -> list[tuple[Path, GoldFile]]:
    gold_dir = Path(gold_dir)
    if not gold_dir.is_dir():
        raise EvalError(f"no gold folder at {gold_dir}")
    paths = sorted(gold_dir.glob("*.json"))
    if not paths:
        raise EvalError(f"no gold files (*.json) in {gold_dir}")
    return [(path, read_gold(path)) for path in paths]


def _date(text: str, where: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise EvalError(f"{where}: not a date (YYYY-MM-DD): {text!r}") from None


def gold_to_rows(gold: GoldFile | dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """The warehouse rows (table → row dicts) a perfect extraction of the gold's document would load.

    Ids are derived from the file name and the record's position, so they are stable. Gold marks map
    to `status_symbol` (the glyph, else the shape) and `status_color`.
    """
    if isinstance(gold, dict):
        gold = GoldFile.model_validate(gold)
    info = gold.document.model_dump()
    file = info["file"]
    document_id = stable_id("gold", file)
    document = {name: info.get(name) for name in DOCUMENT_FIELDS}
    for name in ("period_start", "period_end", "decided_date"):
        if isinstance(document[name], str):
            document[name] = _date(document[name], f"{file}: document.{name}")
    pages = [r.get("page") or 0 for t in RECORD_TYPES for r in getattr(gold, t.field)]
    document.update(document_id=document_id, source_file=file, sha256=stable_id("gold-sha", file),
                    pages=max(pages or [0]))
    goal_ids = {g["key"]: stable_id(file, "goal", g["key"]) for g in gold.goals}

    def goal_id_of(key: str | None) -> str | None:
        if key is None:
            return None
        if key not in goal_ids:
            raise EvalError(f"{file}: a record refers to goal {key!r}, which the gold file does not define")
        return goal_ids[key]

    def mark_columns(record: dict[str, Any]) -> dict[str, Any]:
        mark = record.get("mark") or {}
        return {"status_symbol": mark.get("glyph") or mark.get("shape"), "status_color": mark.get("color")}

    rows: dict[str, list[dict[str, Any]]] = {"document": [document]}
    rows["goal"] = [
        {"goal_id": goal_ids[g["key"]], "document_id": document_id, "parent_goal_id": goal_id_of(g.get("parent")),
         "level": g.get("level"), "number": g.get("number"), "title": g["title"],
         "short_label": g.get("short_label"), "page_no": g.get("page")}
        for g in gold.goals
    ]
    rows["result_goal"] = [
        {"result_goal_id": stable_id(file, "result_goal", i), "document_id": document_id,
         "goal_id": goal_id_of(r.get("goal")), "title": r["title"], "committees": r.get("committees") or [],
         "status": r.get("status"), **mark_columns(r), "comment": r.get("comment"), "page_no": r.get("page")}
        for i, r in enumerate(gold.result_goals)
    ]
    rows["assignment"] = [
        {"assignment_id": stable_id(file, "assignment", i), "document_id": document_id,
         "goal_id": goal_id_of(r.get("goal")), "title": r["title"], "status": r.get("status"), **mark_columns(r),
         "comment": r.get("comment"), "page_no": r.get("page")}
        for i, r in enumerate(gold.assignments)
    ]
    rows["indicator"], rows["indicator_value"] = [], []
    for i, r in enumerate(gold.indicators):
        indicator_id = stable_id(file, "indicator", i)
        rows["indicator"].append(
            {"indicator_id": indicator_id, "document_id": document_id, "goal_id": goal_id_of(r.get("goal")),
             "group_name": r.get("group"), "name": r["name"], "unit": r.get("unit"), "target": r.get("target"),
             "direction": r.get("direction"), "page_no": r.get("page")})
        rows["indicator_value"].extend(
            {"indicator_id": indicator_id, "period": str(period), "value": value}
            for period, value in (r.get("values") or {}).items())
    rows["activity"] = [
        {"activity_id": stable_id(file, "activity", i), "document_id": document_id,
         "goal_id": goal_id_of(r.get("goal")), "number": r.get("number"), "title": r["title"],
         **{name: r.get(name) for name in ("strategy", "focus_area", "purpose", "responsible", "performer")},
         "page_no": r.get("page")}
        for i, r in enumerate(gold.activities)
    ]
    rows["status_legend"] = [
        {"document_id": document_id, **{name: r.get(name) for name in ("scale", "symbol", "color", "status", "label")},
         "source": "document"}
        for r in gold.status_legend
    ]
    rows["assessment"] = [
        {"document_id": document_id, "question": r["question"], "answer": r.get("answer"), "page_no": r.get("page")}
        for r in gold.assessments
    ]
    return rows
