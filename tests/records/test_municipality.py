"""Any of the 290 kommuner, recognised from how documents name them, OCR spellings included."""
from __future__ import annotations

import pytest

from extract.reading.read import read_document
from extract.records.document import layout_to_document
from extract.records.municipality import text_to_kommun
from extract.rules.base import base_rules
from extract.rules.register import kommun_register
from extract.text.repair import repair_rules

REGISTER = kommun_register()
KOMMUNER = REGISTER.municipalities


def kommun_form(kommun) -> str:
    """The kommun's name as its own documents print it: the genitive before 'kommun' ('Köpings kommun',
    'Borås kommun', 'Falu kommun')."""
    name = kommun.forms[0] if kommun.forms else kommun.name
    return f"{name} kommun" if name[-1] in "sxz" or kommun.forms else f"{name}s kommun"


def strip_marks(text: str) -> str:
    """The text as a wrong-language OCR run prints it, by the strip confusions of rules/repair.yaml."""
    table = {meant: c.seen for c in repair_rules().strip_confusions for meant in c.meant}
    return "".join(table.get(ch, ch) for ch in text)


def recognised(text: str) -> str | None:
    found = text_to_kommun(text, text)
    return found.code if found else None


def test_municipality_register_has_290_kommuner_in_21_counties():
    assert len(KOMMUNER) == 290 and len({k.code for k in KOMMUNER}) == 290
    assert len(REGISTER.counties) == 21
    assert {m.county for m in REGISTER.to_municipalities()} == set(REGISTER.counties.values())
    assert REGISTER.municipality(next(k for k in KOMMUNER if k.code == "1983")).county == "Västmanlands län"


@pytest.mark.parametrize("kommun", KOMMUNER, ids=lambda k: k.code)
def test_municipality_every_kommun_on_a_cover(kommun):
    cover = f"Årsredovisning 2023\n{kommun_form(kommun)}\nVerksamhetens mål och resultat"
    assert recognised(cover) == kommun.code


def test_municipality_every_kommun_stripped_of_its_marks_by_ocr():
    """Each kommun printed without å, ä, ö, unless that spelling is another kommun's own name."""
    names = {k.name.lower() for k in KOMMUNER}
    wrong = []
    for kommun in KOMMUNER:
        if strip_marks(kommun.name).lower() in names - {kommun.name.lower()}:
            continue
        cover = strip_marks(f"Arsredovisning 2023\n{kommun_form(kommun)}")
        if recognised(cover) != kommun.code:
            wrong.append((kommun.name, cover))
    assert wrong == []


@pytest.mark.parametrize(("text", "code"), [
    ("6stersund har en hallbar tillvaxt. Ostersunds kommun", "2380"),  # OCR misread Ö as 6
    ("Tran&s kommun", "0687"),
    ("Lidköpings kommun, Lidköping", "1494"),  # not Köping inside Lidköping
    ("Ångermanlands museum i Kramfors kommun", "2282"),  # not Ånge inside Ångermanland
    ("Region Gotland årsredovisning", "0980"),
    ("Göteborgs Stad", "1480"),
    ("Malung-Sälens kommun", "2023"),
    ("Upplands-Bro kommun", "0139"),
    ("Håbo kommun", "0305"),
    ("Habo kommun", "0643"),
])
def test_municipality_named_forms(text, code):
    assert recognised(text) == code


def test_municipality_county_and_ordinary_words_are_not_mentions():
    assert recognised("Kalmar län och Region Kalmar län") is None
    assert recognised("Det ska vara bra att bo här. Vi vill vara nära.") is None
    assert recognised("Vi ska vara bra. Vara är en ort.") is None  # 'vara' is an ordinary word here
    assert recognised("En plan utan namn på kommunen") is None


def test_municipality_named_on_the_cover_beats_plain_mentions_in_the_text():
    head = "Nybro kommun\nÅrsredovisning 2023"
    lead = head + "\nSamarbete med Kalmar. Resor till Kalmar och Kalmar."
    found = text_to_kommun(lead, head)
    assert found is not None and found.code == "0881"


@pytest.mark.slow
def test_municipality_every_kommun_on_a_generated_pdf_cover(tmp_path):
    """All 290 kommuner, each on the cover of a PDF of its own (another font, a running header),
    read through the read stage: the document gets the kommun's code, name and county."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont("DejaVu", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"))
    wrong = []
    for kommun in KOMMUNER:
        path = tmp_path / f"{kommun.code}.pdf"
        pdf = canvas.Canvas(str(path), pagesize=A4)
        pdf.setFont("DejaVu", 9)
        pdf.drawString(56, 800, f"{kommun_form(kommun)} · Mål och budget 2024")
        pdf.setFont("DejaVu", 28)
        pdf.drawString(56, 600, "Mål och budget 2024")
        pdf.setFont("DejaVu", 16)
        pdf.drawString(56, 560, kommun_form(kommun))
        pdf.showPage()
        pdf.save()
        municipality, _ = layout_to_document(read_document(path), base_rules())
        expected = REGISTER.municipality(kommun)
        if municipality != expected:
            wrong.append((kommun.code, kommun.name, municipality))
    assert wrong == []
