"""Numbered activities among lines, read with the shared rules of rules/_base.yaml."""
from __future__ import annotations

import pytest

from extract.records.readers.activity_list import ActivityListRules, lines_to_activities
from extract.rules.base import base_rules
from models.segments import Block


@pytest.fixture(scope="module")
def rules() -> ActivityListRules:
    return ActivityListRules.model_validate(base_rules().readers["activity_lists"])


def _lines(*texts: str) -> list[Block]:
    return [Block(kind="line", page_no=2, bbox=(50, 100 + 14 * i, 400, 110 + 14 * i), text=text)
            for i, text in enumerate(texts)]


def test_activity_list_number_whose_full_stop_ocr_read_as_a_comma_opens_an_item(rules):
    blocks = _lines("3. Ta fram en plan för laddinfrastruktur", "Ansvarig: Tekniska nämnden",
                    "4, Ta fram rutiner för förebyggande", "arbete mot våld i nära relationer",
                    "Ansvarig: Socialnämnden", "Utförare: Ekonomiavdelningen")
    found = [(a.number, a.title) for a in lines_to_activities(blocks, rules)]
    assert found == [(3, "Ta fram en plan för laddinfrastruktur"),
                     (4, "Ta fram rutiner för förebyggande arbete mot våld i nära relationer")]


def test_activity_list_numbers_in_running_text_open_no_item(rules):
    blocks = _lines("2, 3 och 4 är klara.", "Ansvarig: Socialnämnden", "12, vilket motsvarar målet", "Ansvarig: KS")
    assert lines_to_activities(blocks, rules) == []
