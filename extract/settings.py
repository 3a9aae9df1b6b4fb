"""Document-level rules from rules/_base.yaml: municipalities, document types, periods."""
from __future__ import annotations

import re
from functools import lru_cache

from pydantic import field_validator

from extract.rules import RuleModel, load_model


class MunicipalityRule(RuleModel):
    code: str
    name: str
    county: str
    aliases: list[str]


class DocTypeRule(RuleModel):
    doc_type: str
    patterns: list[str]

    @field_validator("patterns")
    @classmethod
    def _compiles(cls, patterns: list[str]) -> list[str]:
        for pattern in patterns:
            re.compile(pattern)
        return patterns


class BaseRules(RuleModel):
    municipalities: list[MunicipalityRule]
    doc_types: list[DocTypeRule]
    periods: list[str]
    lookahead_pages: int = 3
    segment: "SegmentRules"

    @field_validator("periods")
    @classmethod
    def _periods_compile(cls, patterns: list[str]) -> list[str]:
        for pattern in patterns:
            if not {"start"} <= set(re.compile(pattern).groupindex):
                raise ValueError(f"period pattern needs a named group 'start': {pattern}")
        return patterns




class HeadingPattern(RuleModel):
    pattern: str
    level: int

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, pattern: str) -> str:
        re.compile(pattern)
        return pattern


class SegmentRules(RuleModel):
    page_number_patterns: list[str]
    toc_patterns: list[str]
    heading_patterns: list[HeadingPattern] = []


BaseRules.model_rebuild()


@lru_cache(maxsize=1)
def base_rules() -> BaseRules:
    return load_model(BaseRules, "_base.yaml")
