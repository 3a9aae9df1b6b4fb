"""Ånge's Verksamhetsrapport for verksamhetsutveckling/utredning, 2023-01-01 – 2023-05-31, as a Word form.

The form prints the running header (Kommunstyrelsen / Olof Bäckman) at the top right of every page,
numbered sections, a grey "Klicka eller tryck här för att ange text." placeholder where a text field was
left empty, and two Ja / Nej questions answered with drawn check boxes (square outlines, the chosen one
crossed with two vector lines).

The source text does not say which boxes were ticked, so this rendering chooses: question 2 (Bedömning om
verksamhetens mål kommer nås) is answered Ja, question 4 (Redovisning om det har skett större händelser som
påverkat grunduppdraget eller målarbete) is answered Nej. The gold file records the same answers.
"""
from __future__ import annotations

from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak, Paragraph, Spacer, Table, TableStyle

from corpus.builder.common import PAGE_H, PAGE_W, PDF_DIR, report_template, style, write_gold
from corpus.builder.koping import Marked, Recorder, register_family

NAME = "ange-verksamhetsrapport-2023"
TITLE = "Verksamhetsrapport för verksamhetsutveckling/utredning"
MARGIN_X = 25 * mm
PLACEHOLDER_GREY = colors.Color(0.5, 0.5, 0.5)

BODY = style("a_body", size=11, leading=15, space_after=8)
H_TITLE = style("a_title", font="Sans-Bold", size=16, leading=21, space_before=6, space_after=12)
H_SECTION = style("a_section", font="Sans-Bold", size=12, leading=16, space_before=10, space_after=6)
LABEL = style("a_label", font="Sans-Bold", size=10.5, leading=14, space_before=4, space_after=4)
ITEM = style("a_item", size=11, leading=15, space_after=6, leftIndent=18, bulletIndent=0,
             bulletFontName="Sans", bulletFontSize=11)

Q2 = "Bedömning om verksamhetens mål kommer nås"
Q4 = "Redovisning om det har skett större händelser som påverkat grunduppdraget eller målarbete"
ACTIVITIES = [
    "Projekt Växthuset startade 230123 där ett av projektmålen är att skapa attraktiva, trygga och tillgängliga "
    "mötesplatser som möter behoven från de utpekade verksamheterna i kommunen. Arbetet pågår med att samordna "
    "arbetet av ombyggnationen på entréplanet i Ånges kommunhus. Rivningsarbeten på entréplanet av den första "
    "etappen är klar. ÅFA har tillsammans med bland annat arkitekt, konsulter och projektledare färdigställt "
    "ritningar och handlingar. Upphandling av ombyggnation kommunhuset pågår där förfrågningsunderlag är utlagt "
    "på e-avrop 2023-05-17. Statens servicecenter SSC frångår tidigare kravspecifikation och gestaltungsprogram – "
    "de avser följa kommunens gestaltning fullt ut i den yta de gör anspråk på. De önskar halvera förrådsyta. Det "
    "pågår ett internt arbete med planering för de verksamheter som kommer påverkas. Detta projekt kopplas främst "
    "till fokusområdena hälsa, gemenskap och kompetens.",
    "Projekt Ung i Ånge startade 230105 där önskat nyläge Ånge kommun ska ha en öppen ungdomsgårdsverksamhet som "
    "är trygg, jämlik, tillgänglig och som håller hög kvalitet. Projektet har som mål att tillsammans med den "
    "Nationella piloten ”Nu börjar vi med barnen” bygga upp en ökad delaktighet och inkludering för våra barn och "
    "unga. Projektledaren är ute i verksamheterna för att få kunskap kring hur verksamheterna bedrivs idag. Vidare "
    "ses kanaler och modeller över för samverkan både internt och externt. Detta projekt förhåller sig till "
    "följande fokusområden; Hållbar vardag, Hållbar hälsa, Hållbar gemenskap och Hållbar kompetens. En heldag "
    "hölls i mars på Ungdomsgården i Fränsta: \"Samskapa framtiden\". Ett 60-tal personer deltog, ungdomar från "
    "ungdomsråden på Fränstaskolan och Kordelia friskola, politiker, tjänstepersoner, pensionärsföreningar, "
    "Svenska kyrkan, civilsamhällesorganisationer (Kraftsamling Fränsta) samt ett antal nationella aktörer "
    "(Jämställdhetsmyndigheten, Nationell samordnare för Agenda 2030 (regeringskansliet) samt SKR). Det blev en "
    "väldigt fin dag där piloten \"Nu börjar vi med barnen\" och projektet \"Delaktighet och inkludering i lokal "
    "demokrati\" samverkade. Så kul och viktigt att ungdomar och vuxna samlades i ett gemensamt forum och fick "
    "prata om, och experimentera kring, viktiga frågor för att stärka det främjande arbetet för barn och unga i "
    "kommunen. I mars har folkhälsostrateg deltagit i en länsdialog med folkhälsoperspektiv där representanter "
    "från Hälsam (politiker och tjänstepersoner), folkhälsonätverket samt god och nära vård deltog. Det hölls en "
    "presentation om barn och unga. Detta arbete kopplas till samma fokusområden som projekt Ung i Ånge.",
    "En process för intern kontroll är framtagen för 2023 tillsammans med de politiska internkontrollanternas. "
    "Intern kontrollen är utbruten ur årsredovisningen och en ny rapport är framtagen.",
    "Staben har arbetat fram tillsammans med ekonomi en intern utbildningsportal. Datum för utbildningar inom "
    "kommunikation, HR, ekonomi och kansliet är framtagna. Denna aktivitet kopplas främst mot hållbar vardag och "
    "hållbar kompetens.",
]
NOT_STARTED = [
    ("Öka takten i kommunens miljö- och klimatarbete, en strategi för området ska tas fram",
     "Målet kring att öka takten i kommunens miljö- och klimatarbete, en strategi för området ska tas fram har "
     "inte påbörjats. Ånge kommun vill delta i forskningsprojekt \"Att kommunicera klimatstrategier\" med start i "
     "september, och på så sätt få hjälp med att kunna skapa en klimatstrategi."),
    ("Arbeta mot mäns våld mot kvinnor och våld i nära relation och arbeta för ett tryggare Ånge kommun både i "
     "och utanför hemmet",
     "Målet kring arbeta mot mäns våld mot kvinnor och våld i nära relation och arbeta för ett tryggare Ånge "
     "kommun både i och utanför hemmet har inte påbörjats. Det finns en plan för att bjuda in föreläsare till "
     "kommande ledardag till hösten som handlar om hedersrelaterat våld."),
]


class CheckBoxes(Flowable):
    """A row of Ja / Nej check boxes: square outlines with the label beside, the chosen one crossed."""

    BOX = 10

    def __init__(self, labels: list[str], checked: str) -> None:
        super().__init__()
        self.labels, self.checked = labels, checked

    def wrap(self, aw, ah):
        self.width, self.height = aw, self.BOX + 6
        return self.width, self.height

    def draw(self):
        c = self.canv
        b = self.BOX
        x = 2
        c.setLineWidth(0.8)
        c.setStrokeColor(colors.black)
        for label in self.labels:
            c.rect(x, 3, b, b, stroke=1, fill=0)
            if label == self.checked:
                c.setLineWidth(1.1)
                c.line(x + 2, 5, x + b - 2, 3 + b - 2)
                c.line(x + 2, 3 + b - 2, x + b - 2, 5)
                c.setLineWidth(0.8)
            c.setFont("Sans", 11)
            c.setFillColor(colors.black)
            c.drawString(x + b + 5, 3 + b / 2 - 11 * 0.35, label)
            x += b + 5 + c.stringWidth(label, "Sans", 11) + 28


def placeholder(text: str) -> Table:
    """A Word content control left empty: grey prompt text on a light grey field."""
    t = Table([[Paragraph(text, style("a_ph", size=11, leading=15, space_after=0, color=PLACEHOLDER_GREY))]],
              colWidths=[PAGE_W - 2 * MARGIN_X], hAlign="LEFT")
    t.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, -1), colors.Color(0.95, 0.95, 0.95)),
                           ("LEFTPADDING", (0, 0), (-1, -1), 2), ("TOPPADDING", (0, 0), (-1, -1), 1),
                           ("BOTTOMPADDING", (0, 0), (-1, -1), 3)]))
    return t


def on_page(c, doc) -> None:
    c.saveState()
    c.setFont("Sans", 9.5)
    top = PAGE_H - 15 * mm
    c.drawString(PAGE_W - MARGIN_X - 45 * mm, top, "Kommunstyrelsen")
    c.drawString(PAGE_W - MARGIN_X - 45 * mm, top - 12, "Olof Bäckman")
    c.restoreState()


def story(rec: Recorder) -> list:
    P = Paragraph
    s: list = [P(TITLE, H_TITLE),
               P("Den här rapporten riktar sig till koncern- och finansutskottet.", BODY),
               P("Rapporten avser perioden 2023-01-01 – 2023-05-31", BODY),
               P("1 Beskrivning av verksamhetens uppdrag", H_SECTION),
               P("Utveckling och stöd till verksamheter i deras arbete med processutveckling och förbättringsarbete.",
                 BODY),
               Marked(P(f"2 {Q2}", H_SECTION), rec, "q2"),
               CheckBoxes(["Ja", "Nej"], "Ja"), Spacer(1, 8),
               P("Kommentarer måluppfyllelse och avvikelser", LABEL),
               placeholder("Klicka eller tryck här för att ange text."), Spacer(1, 6),
               P('3 Beskrivning av verksamhetsutvecklande aktiviteter och hur det förhåller sig till '
                 '<font color="#0563c1"><u>visionen</u></font>', H_SECTION)]
    for n, text in enumerate(ACTIVITIES, start=1):
        s.append(Marked(P(text, ITEM, bulletText=f"{n}."), rec, f"act:{n}"))
    s += [Marked(P(f"4 {Q4}", H_SECTION), rec, "q4"), CheckBoxes(["Ja", "Nej"], "Nej"), PageBreak()]
    for n, (_, text) in enumerate(NOT_STARTED, start=1):
        s.append(Marked(P(text, BODY), rec, f"goal:{n}"))
    return s


def build() -> list[Path]:
    PDF_DIR.mkdir(parents=True, exist_ok=True)
    path = PDF_DIR / f"{NAME}.pdf"
    rec = Recorder()
    register_family()
    doc = report_template(path, TITLE, "Ånge kommun", on_page=on_page,
                          margins=(MARGIN_X, MARGIN_X, 30 * mm, 22 * mm))
    doc.build(story(rec))
    pages = rec.pages
    gold = {
        "document": {"file": path.name, "municipality_code": "2260", "doc_type": "verksamhetsrapport",
                     "title": TITLE, "period_start": "2023-01-01", "period_end": "2023-05-31",
                     "version": None, "decided_date": None, "decided_by": None, "diarienummer": None,
                     "is_plan": True},
        "goals": [{"key": f"g{n}", "level": "reported", "number": None, "title": title, "short_label": None,
                   "parent": None, "status": "not_started", "page": pages[f"goal:{n}"]}
                  for n, (title, _) in enumerate(NOT_STARTED, start=1)],
        "result_goals": [],
        "assignments": [],
        "indicators": [],
        "activities": [{"goal": None, "number": n, "title": text, "strategy": None, "focus_area": None,
                        "purpose": None, "responsible": None, "performer": None, "page": pages[f"act:{n}"]}
                       for n, text in enumerate(ACTIVITIES, start=1)],
        "status_legend": [],
        "assessments": [{"question": Q2, "answer": "ja", "page": pages["q2"]},
                        {"question": Q4, "answer": "nej", "page": pages["q4"]}],
    }
    return [path, write_gold(NAME, gold)]
