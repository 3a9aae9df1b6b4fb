"""Statuses printed as words, not marks: a status column, or a word in brackets closing the title, in
a report of a kommun that has no rules file (the goal-table reader takes it by its structure)."""
from __future__ import annotations

import pytest

from extract.pipeline import extract_file
from generated_pdf import ruled_table, styles, write_pdf

GOALS = [
    ("Ekonomi i balans", [
        ("Resultatet ska vara minst två procent av skatteintäkterna", "Uppnått", "Resultatet blev 2,6 procent"),
        ("Investeringarna ska finansieras med egna medel", "Delvis uppnått", "Självfinansieringsgraden var 81 procent"),
    ], [
        ("Ta fram en ny lokalförsörjningsplan (Pågår)", "Planen remitteras under våren"),
        ("Införa e-handel i alla förvaltningar (Klart)", "Alla förvaltningar handlar via e-handel"),
    ]),
    ("Trygg uppväxt", [
        ("Fler elever ska klara kunskapskraven", "Ej uppnått", "Andelen minskade från 78 till 74 procent"),
        ("Barngruppernas storlek ska minska", "Bedöms i höst", "Mätningen görs i oktober"),
    ], [
        ("Utreda fritidsgårdarnas öppettider", "Utredningen har inte startat"),
    ]),
]
RESULT_STATUSES = ["achieved", "partially_achieved", "not_achieved", None]
ASSIGNMENT_STATUSES = ["ongoing", "done", None]


def build(path):
    from reportlab.platypus import Paragraph, Spacer

    sheet = styles()
    cell = sheet["Normal"]
    story = [Paragraph("Årsredovisning 2023", sheet["Title"]), Paragraph("Tanums kommun", cell),
             Paragraph("Kommunfullmäktiges mål följs upp med en bedömning i ord för varje mål.", cell)]
    for number, (goal, results, actions) in enumerate(GOALS, start=1):
        story += [Paragraph(f"{number} {goal}", sheet["Heading1"])]
        rows = [["Resultatmål", "Status", "Kommentar"]] + [[Paragraph(t, cell), s, Paragraph(c, cell)]
                                                           for t, s, c in results]
        story += [ruled_table(rows, [220, 90, 170], valign="TOP"), Spacer(1, 12)]
        rows = [["Uppdrag", "Kommentar"]] + [[Paragraph(t, cell), Paragraph(c, cell)] for t, c in actions]
        story += [ruled_table(rows, [250, 230], valign="TOP"), Spacer(1, 12)]
    return write_pdf(path, story, "Årsredovisning 2023 Tanums kommun")


@pytest.fixture(scope="module")
def extraction(tmp_path_factory):
    return extract_file(build(tmp_path_factory.mktemp("tanum") / "tanum-arsredovisning-2023.pdf"))


def test_status_words_read_from_a_status_column_and_from_brackets(extraction):
    assert (extraction.municipality.code, extraction.document.doc_type) == ("1435", "årsredovisning")
    assert [r.status for r in extraction.result_goals] == RESULT_STATUSES
    assert [a.status for a in extraction.assignments] == ASSIGNMENT_STATUSES
    assert [a.title for a in extraction.assignments] == ["Ta fram en ny lokalförsörjningsplan",
                                                          "Införa e-handel i alla förvaltningar",
                                                          "Utreda fritidsgårdarnas öppettider"]


def test_status_words_leave_the_comment_and_draw_no_mark(extraction):
    assert [r.comment for r in extraction.result_goals] == [c for _, rs, _ in GOALS for _, _, c in rs]
    assert {(r.status_symbol, r.status_color) for r in extraction.result_goals} == {(None, None)}


def test_status_words_a_word_the_vocabulary_lacks_leaves_the_status_empty(extraction):
    unknown = next(r for r in extraction.result_goals if r.title.startswith("Barngruppernas"))
    assert unknown.status is None
    assert any("read by the goal_tables reader" in n for n in extraction.notices)
