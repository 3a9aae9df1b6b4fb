"""Köping's Handlingsplan 2023, Målområde 1, rendered the way the municipality publishes it.

The PDF is a Word-style plan: cover with the document field table, a table of contents with dot
leaders, indicator tables whose Mål cell spans its rows (and whose header repeats after a page
break), one small bordered table per activity, and a footnote at the foot of the page where a
paragraph breaks across pages. Pages of records are taken from the draw calls of the final pass,
and the table of contents and "Sida N av M" from the pass before it.
"""
from __future__ import annotations

from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.lib.fonts import addMapping
from reportlab.platypus import (CondPageBreak, Flowable, KeepTogether, PageBreak, Paragraph, Spacer, Table,
                                TableStyle)

from corpus.builder.common import (MARGIN, PAGE_H, PAGE_W, PDF_DIR, report_template, style, write_gold)

NAME = "koping-handlingsplan-2023-malomrade-1"
TITLE = "Handlingsplan 2023"
SUBTITLE = "Målområde 1 – När vi säger tillsammans menar vi det"
RUNNING = "Handlingsplan 2023 – Målområde 1"
KOPING_BLUE = colors.Color(0.0, 0.30, 0.55)
SHADE = colors.Color(0.87, 0.91, 0.95)
LINE = colors.Color(0.45, 0.45, 0.45)
BODY_W = PAGE_W - 2 * MARGIN

BODY = style("body", size=11, leading=15.5, space_after=7)
SMALL = style("small", size=8.5, leading=11, space_after=0)
CELL = style("cell", size=9, leading=12, space_after=0)
CELL_B = style("cellb", font="Sans-Bold", size=9, leading=12, space_after=0)
CELL_BULLET = style("cellbullet", size=9, leading=12, space_after=1, leftIndent=10, bulletIndent=1,
                    bulletFontName="Sans", bulletFontSize=9)
BULLET = style("bullet", size=11, leading=15.5, space_after=3, leftIndent=14, bulletIndent=3,
               bulletFontName="Sans", bulletFontSize=11)
H1 = style("h1", font="Sans-Bold", size=17, leading=22, space_before=0, space_after=10, color=KOPING_BLUE)
H2 = style("h2", font="Sans-Bold", size=13, leading=17, space_before=10, space_after=6, color=KOPING_BLUE)
H3 = style("h3", font="Sans-Bold", size=11, leading=15, space_before=8, space_after=5)
TOC1 = style("toc1", font="Sans-Bold", size=10, leading=14, space_after=0)
TOC2 = style("toc2", size=10, leading=14, space_after=0, leftIndent=12)
FOOTNOTE = style("footnote", size=8, leading=10.5, space_after=0)

UTVECKLINGSMAL = "När vi säger ”tillsammans” menar vi det"
DELMAL_1 = "Vi erbjuder möjligheter att påverka och vara delaktig i utformningen av samhället"
DELMAL_2 = "Tillsammans skapar vi förutsättningar för en förbättrad och jämlik folkhälsa"
STRATEGIES = [
    ("Fokus på att öka engagemang och dialog med kommunmedlemmar – med ett särskilt fokus på barn och ungas "
     "samhällsengagemang",
     "Demokratin utgör grunden för hela vårt samhälle och demokratin är byggd på delaktighet och möjligheten att "
     "påverka. Delaktighet och transparens skapar också förtroende för Köpings kommun. Att tidigt skapa förståelse "
     "och engagemang för samhället hos barn och unga skapar även förutsättningar för en god demokrati i framtiden."),
    ("Vi integrerar och tydliggör folkhälsoperspektivet i organisationen",
     "För att nå en jämlik och god hälsa behövs en tydlig och långsiktig strategisk inriktning samt att det "
     "främjande och förebyggande perspektiven genomsyras och prioriteras i kommunens verksamheter. För att det ska "
     "kunna bli verklighet krävs ett tydligt och integrerat folkhälsoperspektiv i samtliga led."),
    ("Främja trygga och goda uppväxtvillkor – med ett särskilt fokus på barn och ungas psykiska hälsa",
     "Barn och ungas uppväxtvillkor har en stor inverkan på det kommande livets beteenden, levnadsvanor, attityder "
     "och hälsa. Med ett särskilt fokus på psykisk hälsa vill vi bryta den negativa trenden då en god psykisk hälsa "
     "under uppväxten lägger grunden för ett fungerande vardagsliv, skolframgång och en ökad framtidstro."),
]

INCREASE, DECREASE = "Indikatorn ska öka", "Indikatorn ska minska"
INDICATOR_TABLES = [
    ("g2", DELMAL_1, ["2021"], [
        ("INFORMATION", [
            ("Kommunens information kring större förändringar fungerar bra, andel (%)", ["50,6"], INCREASE),
            ("Kommunen informerar bra vid samhällsstörningar, andel (%)", ["74,8"], INCREASE)]),
        ("FÖRTROENDE", [
            ("Kommunens anställda upplevs arbeta för kommunens bästa, andel (%)", ["49,6"], INCREASE),
            ("Förtroende för kommunens politiker, andel (%)", ["38,4"], INCREASE),
            ("Beslut som fattas i kommunen upplevs vara transparenta, andel (%)", ["28,5"], INCREASE)]),
        ("KONTAKT", [
            ("Att få svar på frågor till kommunen fungerar bra, andel (%)", ["71,1"], INCREASE)]),
        ("PÅVERKAN", [
            ("Invånarnas möjlighet till insyn och inflytande över kommunens beslut och verksamheter är bra, "
             "andel (%)", ["23,4"], INCREASE),
            ("Möjlighet att påverka politiska beslut i kommunen fungerar bra, andel (%)", ["32,7"], INCREASE)]),
    ]),
    ("g3", DELMAL_2, ["2020", "2022"], [
        ("PSYKISK HÄLSA", [
            ("Andel invånare 16–84 år med bra självskattat hälsotillstånd (%) *", ["66", "72"], INCREASE),
            ("Andel unga som mår bra eller mycket bra (%)", ["66,7", "-"], INCREASE),
            ("Andel unga med god psykisk hälsa (%)", ["42,8", "-"], INCREASE)]),
        ("FYSISK AKTIVITET", [
            ("Andel unga som lever upp till rekommendationen om fysisk aktivitet (%)", ["42,3", "-"], INCREASE)]),
        ("KOST", [
            ("Andel unga som äter frukost dagligen (%)", ["45", "-"], INCREASE),
            ("Andel unga som lider av övervikt (%)", ["16,7", "-"], DECREASE)]),
        ("SÖMN", [
            ("Andel unga som sover mindre än 7 timmar per natt (%)", ["30,7", "-"], DECREASE)]),
        ("ANDTS (alkohol, narkotika, doping och spel)", [
            ("Andel unga som druckit alkohol minst en gång i månaden (%)", ["34", "-"], DECREASE),
            ("Andel unga som någon gång använt narkotika (%)", ["9,8", "-"], DECREASE),
            ("Andel unga som röker dagligen (%)", ["3,2", "-"], DECREASE)]),
    ]),
]

STANDARD = ("Ansvarig", "Utförare")
# (number, title, intro, purpose parts, (responsible label, performer label), responsible, performer)
# purpose parts: str for a paragraph, list[str] for a bullet list.
ACTIVITIES_BY_SECTION = [
    (("strategy", STRATEGIES[0][0]), [
        (1, "Framtagande av processer och rutiner för medborgardialog", None, [
            "Syfte: Att skapa och införa ett systematiskt och gemensamt arbetssätt för genomföranden av "
            "medborgardialoger inom kommunkoncernen. Mål: Vi har tydliga processer och vägledningar för "
            "medborgardialoger som leder till att fler kommunmedlemmar får vara delaktiga i att utforma och "
            "utveckla kommunen."], STANDARD, "Kommunledningsförvaltningen", "Kansliavdelningen"),
        (2, "Förstudie E-förslag", None, [
            "Syfte: Att hitta ett sätt att få fler kommunmedlemmar att engagera sig i den politiska "
            "beslutsprocessen genom e-förslag. Mål: Ta fram förslag på hur e-förslag skulle kunna fungera som "
            "ersättning för medborgarförslag."], STANDARD, "Kommunledningsförvaltningen",
         "Kommunsekreterare, verksamhetsutvecklare från kansliavdelningen, kommunikatör"),
        (3, "Extern finansiering av digitalt dialogverktyg", None, [
            "Syfte: Undersöka möjligheter att finansiera digitalt dialogverktyg genom att söka externa medel.",
            "Mål: Skapa en enkel och tillgänglig kommunikationsväg med kommunmedlemmar där vi kan skicka ut frågor, "
            "enkäter, omröstningar etc. för att öka delaktighet och skapa en levande dialog."],
         STANDARD, "Kommunledningsförvaltningen", "Kansliavdelningen"),
        (4, "Information om hur kommunen fungerar", None, [
            "Syfte: Skapa förståelse och intresse för den politiska processen Mål: Skapa informationsmaterial kring "
            "besluts- och valprocessen för att öka kunskapen om den politiska beslutsprocessen och om hur en kommun "
            "fungerar"], STANDARD, "Kommunledningsförvaltningen",
         "Kansliavdelningen i samverkan med kommunikationsavdelningen"),
        (5, "Rådgörande omröstningar till exempel för tema på lekplatser", None, [
            "Syfte: Skapa systematik i delaktighetsarbetet vid utformningen av den offentliga miljön Mål: Arrangera "
            "omröstningar när till exempel tema för lekplatser ska bestämmas"],
         ("Ansvarig (ansvarig för planering, genomförande och uppföljning av aktiviteten)",
          "Utförare (roll/samverkansgrupp)"),
         "Kansliavdelningen", "Utvecklingsstrateg, kommunsekreterare, kommunikatör samt VME."),
        (6, "Kommunens beslut i korthet", None, [
            "Syfte: Skapa ett intresse och förståelse för beslut tagna i kommunstyrelsen och/eller "
            "kommunfullmäktige.",
            "Mål: Sammanfatta beslut tagna i kommunstyrelsen och/eller kommunfullmäktige på ett kortfattat och "
            "enkelt sätt."], STANDARD, "Kommunledningsförvaltningen",
         "Kommunsekreterare tillsammans med kommunikatör, politiska företrädare"),
    ]),
    (("strategy", STRATEGIES[1][0]), [
        (7, "Fastställa och implementera ANDTS-handlingsplan", None, [
            "Syfte: Skapa förutsättningar för ett förbättrat och samordnat förebyggande ANDTS-arbete med en hållbar "
            "och långsiktig struktur",
            "Mål:",
            ["Tillgången till ANDTS-produkter ska minska",
             "Barn och unga ska skyddas mot skadliga effekter orsakade av ANDTS",
             "Antalet barn och unga som börjar använda NDT eller debuterar tidigt med AS ska successivt minska",
             "Antalet personer som utvecklar skadligt bruk, missbruk eller beroende av ANDTS ska successivt minska",
             "Personer med missbruk eller beroende ska utifrån sina förutsättningar och behov ha tillgång till vård "
             "och stöd av god kvalitet",
             "Antalet personer som dör eller skadas på grund av sitt eget eller andras bruk av ANDTS ska minska"]],
         STANDARD, "Kommunledningsförvaltningen", "Utpekade förvaltningar/roller/grupper i ANDTS-handlingsplanen"),
        (8, "Framtagande av styrdokument för folkhälsofrågorna", None, [
            "Syfte: Skapa en tydlig, gemensam och långsiktig inriktning för det strategiska folkhälsoarbetet",
            "Mål: Att stärka folkhälsoperspektivet i hela organisationen med avsikt att utveckla och främja en god och "
            "jämlik folkhälsa utifrån lokala utvecklingsbehov och utmaningar"], STANDARD,
         "Kommunledningsförvaltningen",
         "Utvecklingsstrateg från Kommunledningsförvaltningen i samarbete med berörda förvaltningar och Region "
         "Västmanland"),
    ]),
    (("strategy", STRATEGIES[2][0]), [
        (9, "Implementering av Dans för hälsa", None, [
            "Syfte: Erbjudna en förebyggande insats till unga tjejer med återkommande psykosomatiska symptom",
            "Mål: Förebygga förekomsten av psykisk ohälsa och stärka psykisk hälsa hos unga tjejer"], STANDARD,
         "Social- och arbetsmarknadsförvaltningen och Kultur- och fritidsförvaltningen",
         "Två utbildade instruktörer från Barn- och ungdomsenheten och Kulturskolan i samverkan med "
         "Utbildningsförvaltningen"),
        (10, "Hälsofrämjande måltider",
         "Idag finns evidensen att våra matvanor till stor del ligger som grund till den ohälsa som idag sprider sig "
         "i samhället både fysiskt och psykiskt, med de måltider som serveras i kommunens regi kan vi påverka "
         "folkhälsan på ett positivt sätt. Genom Måltidsenhetens \"Gröna Tråd\" som skall främja en hållbar framtid "
         "genom måltiden utifrån att den både har ett utbildande syfte, samt en direkt påverkan på vårt dagliga "
         "mående genom att vi jobbar enligt livsmedelsverkets riktlinjer för hälsosamma måltider.", [
             "Kort sikt:",
             ["Ge ett bättre verktyg för hälsosamma måltider i kommunens organisation",
              "Tydliggöra det pedagogiska uppdraget i måltiden utifrån folkhälsoperspektivet",
              "Skapa en tydligare Måltidsprofil mot hållbara måltider",
              "Ge en tydligare förståelse i kopplingen mellan våra matvanor och vår hälsa"],
             "Lång sikt:",
             ["Att kopplingen till våra matvanor och hälsa genomsyrar all verksamhet i kommunen",
              "En starkare hälsoprofil på kommunen",
              "En hälsosammare befolkning i kommunen"]],
         STANDARD, "Utbildningsförvaltningen", "Måltidsenheten"),
        (11, "Kraftsamling kring resultatet från undersökningen Liv och hälsa ung", None, [
            "Syfte: Ta ett gemensamt krafttag kring resultatet från undersökningen Liv och hälsa ung med syfte att "
            "genomföra mer djupgående analyser av underlaget för att identifiera vilka hälsoområden som vi ser vara "
            "viktiga att prioritera för våra barn och unga.",
            "Mål: Öka kunskapen om ungas behov, synliggöra deras livssituation och utifrån prioriteringar ange "
            "inriktning för förbättringsåtgärder/insatser."], STANDARD,
         "Social- och arbetsmarknadsförvaltningen", "Stora samverkansgruppen i samarbete med regionen"),
        (12, "Implementering av länsgemensam överenskommelse för barn och ungas hälsa", None, [
            "Lokalt implementera samverkansöverenskommelsen mellan länets kommuner och region Västmanland.",
            "Parterna vill vi stärka samverkan och öka förutsättningarna för barns rätt till bästa möjliga fysiska "
            "och psykiska hälsa. Utöver vad lagen föreskriver, läggs stor vikt vid tidig upptäckt och tidiga "
            "samordnade insatser. Förskola/skola har därför inkluderats som jämbördig part i denna överenskommelse."],
         STANDARD, "Social- och arbetsmarknadsförvaltningen", None),
    ]),
]
FOCUS_13_14 = [
    (13, "Fördjupade dialoger med kommunmedlemmar", None, [
        "Att genom dialog med kommunmedlemmar få en ökad förståelse för vilka önskemål och behov som behöver "
        "tillgodoses för att skapa en park där alla, oavsett intresse, förutsättningar och ålder, kan hitta sin form "
        "av rekreation och aktivitet. Invånarnas idéer och synpunkter är en viktig tillgång för att nå projektets "
        "mål."], STANDARD, "Kultur- och fritidsförvaltningen", "Utsedd arbetsgrupp inom projektet"),
    (14, "Unga kommunutvecklare", None, [
        "Genom feriepraktik anställa unga kommunutvecklare som ges inflytande i utvecklingen av Kristinelunds "
        "sportfält. Målet är att stärka barn- och ungdomsperspektivet i utvecklingsarbetet med Kristinelunds "
        "sportfält samt att skapa erfarenhet av olika arbetsätt för att främja delaktighet med fokus på barn och "
        "unga."], STANDARD, "Kommunledningsförvaltningen", "Kansliavdelningen"),
]
FOCUS_15 = [
    (15, "Samordning av fokusområde kommungemensamt kontaktcenter", None, [
        "Samordning av aktiviteter utifrån alla tre målområden i syftet att bidra till utvecklingen och utredningen "
        "av att införa ett kommungemensamt kontaktcenter."], STANDARD,
     "Kommunledningsförvaltningen Projektledare: Ej utsedd ännu",
     "Samtliga målområden i samverkan med Kommunledningsförvaltningen"),
]


class Recorder:
    """Collects the page each keyed flowable is drawn on, so gold pages are the real ones."""

    def __init__(self) -> None:
        self.pages: dict[str, int] = {}

    def mark(self, key: str, page: int) -> None:
        self.pages.setdefault(key, page)


class Marked(Flowable):
    """Wraps a flowable and records the page where its first piece is drawn."""

    def __init__(self, inner: Flowable, recorder: Recorder, key: str) -> None:
        super().__init__()
        self.inner, self.recorder, self.key = inner, recorder, key

    def wrap(self, aw, ah):
        w, h = self.inner.wrap(aw, ah)
        self.width, self.height = w, h
        return w, h

    def split(self, aw, ah):
        pieces = self.inner.split(aw, ah)
        if not pieces:
            return []
        return [Marked(pieces[0], self.recorder, self.key)] + list(pieces[1:])

    def getSpaceBefore(self):
        return self.inner.getSpaceBefore()

    def getSpaceAfter(self):
        return self.inner.getSpaceAfter()

    def draw(self):
        self.recorder.mark(self.key, self.canv.getPageNumber())
        self.inner.drawOn(self.canv, 0, 0)


class IndicatorTable(Flowable):
    """Mål / Indikator / Utfall / Riktvärde with the Mål cell spanning the body rows of each page piece.

    reportlab refuses to split inside a row span, so the table splits itself by rows and re-spans each
    piece; the header row repeats and the Mål text stays in the first piece, as Word prints a merged cell.
    """

    def __init__(self, goal_text: str, periods: list[str], rows: list[tuple[str | None, list[str]]],
                 recorder: Recorder) -> None:
        super().__init__()
        self.goal_text, self.periods, self.rows, self.recorder = goal_text, periods, rows, recorder
        self.table = self._table()

    def _table(self) -> Table:
        header = ["Mål", "Indikator"] + [f"Utfall {p}" for p in self.periods] + ["Riktvärde"]
        ncols = len(header)
        data = [[Paragraph(h, CELL_B) for h in header]]
        cmds = [("GRID", (0, 0), (-1, -1), 0.6, LINE), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BACKGROUND", (0, 0), (-1, 0), SHADE),
                ("LEFTPADDING", (0, 0), (-1, -1), 4), ("RIGHTPADDING", (0, 0), (-1, -1), 4),
                ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
                ("SPAN", (0, 1), (0, len(self.rows)))]
        for i, (key, cells) in enumerate(self.rows, start=1):
            first = Paragraph(self.goal_text, CELL) if i == 1 else ""
            if key is None:
                data.append([first, Paragraph(cells[0], CELL_B)] + [""] * (ncols - 2))
                cmds.append(("SPAN", (1, i), (-1, i)))
            else:
                values = [Paragraph(v, style("num", size=9, leading=12, space_after=0, alignment=2))
                          for v in cells[1:-1]]
                data.append([first, Paragraph(cells[0], CELL)] + values + [Paragraph(cells[-1], CELL)])
        value_w = 19 * mm
        widths = [38 * mm, BODY_W - 38 * mm - 32 * mm - value_w * len(self.periods)] + \
            [value_w] * len(self.periods) + [32 * mm]
        return Table(data, colWidths=widths, style=TableStyle(cmds), hAlign="LEFT")

    def wrap(self, aw, ah):
        self.width, self.height = self.table.wrap(aw, ah)
        return self.width, self.height

    def split(self, aw, ah):
        for k in range(len(self.rows) - 1, 0, -1):
            head = IndicatorTable(self.goal_text, self.periods, self.rows[:k], self.recorder)
            if head.wrap(aw, ah)[1] <= ah:
                return [head, IndicatorTable("", self.periods, self.rows[k:], self.recorder)]
        return []

    def draw(self):
        page = self.canv.getPageNumber()
        for key, _ in self.rows:
            if key is not None:
                self.recorder.mark(key, page)
        self.table.drawOn(self.canv, 0, 0)


class TocEntry(Flowable):
    """A table-of-contents line: text, dot leaders to the right margin, page number."""

    def __init__(self, text: str, page: int | str, bold: bool) -> None:
        super().__init__()
        self.text, self.page_no, self.bold = text, str(page), bold
        self.para = Paragraph(text, TOC1 if bold else TOC2)

    def wrap(self, aw, ah):
        self.avail = aw
        _, h = self.para.wrap(aw - 14 * mm, ah)
        self.width, self.height = aw, h + 3
        return self.width, self.height

    def draw(self):
        c = self.canv
        self.para.drawOn(c, 0, 3)
        st = self.para.style
        last = self.para.blPara.lines[-1]
        used = (self.avail - 14 * mm) - last[0] + st.leftIndent
        font = "Sans-Bold" if self.bold else "Sans"
        c.setFont(font, st.fontSize)
        num_w = c.stringWidth(self.page_no, font, st.fontSize)
        dot_w = c.stringWidth(".", font, st.fontSize)
        x, end = used + 4, self.avail - num_w - 4
        n = max(int((end - x) / dot_w), 3)
        c.drawString(end - n * dot_w, 3 + st.leading - st.fontSize, "." * n)
        c.drawRightString(self.avail, 3 + st.leading - st.fontSize, self.page_no)


class Footnoted(Flowable):
    """A paragraph carrying a footnote reference; the note is drawn at the foot of the page the paragraph
    starts on, and the paragraph leaves room for it when it breaks across the page."""

    def __init__(self, para: Paragraph, note: Paragraph | str) -> None:
        super().__init__()
        self.para = para
        self.note = note if isinstance(note, Paragraph) else Paragraph(note, FOOTNOTE)

    def _reserve(self, aw, ah) -> float:
        return self.note.wrap(aw, ah)[1] + 14

    def wrap(self, aw, ah):
        self.width, self.height = self.para.wrap(aw, ah)
        if self.height + self._reserve(aw, ah) > ah:
            self.height = ah + 1
        return self.width, self.height

    def drawOn(self, canvas, x, y, _sW=0):
        frame = getattr(self, "_frame", None)
        if frame is not None:
            frame._bottomPadding += self.note.height + 14
            frame._geom()
        super().drawOn(canvas, x, y, _sW)

    def split(self, aw, ah):
        parts = self.para.split(aw, ah - self._reserve(aw, ah))
        if len(parts) < 2:
            return []
        return [Footnoted(parts[0], self.note), parts[1]]

    def getSpaceAfter(self):
        return self.para.getSpaceAfter()

    def draw(self):
        self.para.drawOn(self.canv, 0, 0)
        c = self.canv
        c.saveState()
        x0, y0 = c.absolutePosition(0, 0)
        base = MARGIN + 2 * mm
        c.translate(-x0 + MARGIN, -y0 + base)
        c.setStrokeColor(colors.black)
        c.setLineWidth(0.5)
        c.line(0, self.note.height + 4, 50 * mm, self.note.height + 4)
        self.note.drawOn(c, 0, 0)
        c.restoreState()


def cell_parts_to_flowables(parts: list) -> list[Flowable]:
    out: list[Flowable] = []
    for part in parts:
        if isinstance(part, list):
            out += [Paragraph(item, CELL_BULLET, bulletText="•") for item in part]
        else:
            out.append(Paragraph(part, CELL))
    return out


def parts_to_text(parts: list) -> str:
    words: list[str] = []
    for part in parts:
        if isinstance(part, list):
            words += [f"• {item}" for item in part]
        else:
            words.append(part)
    return " ".join(" ".join(words).split())


def activity_to_table(act: tuple) -> Table:
    number, title, intro, parts, labels, responsible, performer = act
    rows = [[Paragraph(f"Aktivitet {number}", CELL_B), ""], [Paragraph(title, CELL), ""]]
    if intro:
        rows.append([Paragraph(intro, CELL), ""])
    syfte = len(rows)
    rows += [[Paragraph("Syfte/mål med aktiviteten", CELL_B), ""], [cell_parts_to_flowables(parts), ""]]
    lab = len(rows)
    label_cells = []
    for label in labels:
        head, _, rest = label.partition(" ")
        label_cells.append(Paragraph(f"<b>{head}</b> {rest}".strip(), CELL))
    rows += [label_cells, [Paragraph(responsible, CELL), Paragraph(performer or "", CELL)]]
    cmds = [("GRID", (0, 0), (-1, -1), 0.6, LINE), ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("BACKGROUND", (0, 0), (-1, 0), SHADE), ("BACKGROUND", (0, syfte), (-1, syfte), SHADE),
            ("BACKGROUND", (0, lab), (-1, lab), SHADE),
            ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ("NOSPLIT", (0, 0), (-1, -1))]
    cmds += [("SPAN", (0, r), (1, r)) for r in range(lab)]
    return Table(rows, colWidths=[BODY_W / 2, BODY_W / 2], style=TableStyle(cmds), hAlign="LEFT")


def activity_to_gold(act: tuple, strategy: str | None, focus: str | None, page: int) -> dict:
    number, title, _, parts, _, responsible, performer = act
    return {"goal": "g1", "number": number, "title": title, "strategy": strategy, "focus_area": focus,
            "purpose": parts_to_text(parts), "responsible": responsible, "performer": performer, "page": page}


def goal_box(text: str) -> Table:
    t = Table([[Paragraph("<b>Mål:</b><br/>" + text, style("malbox", size=10.5, leading=15, space_after=0))]],
              colWidths=[BODY_W])
    t.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, -1), SHADE), ("LEFTPADDING", (0, 0), (-1, -1), 10),
                           ("TOPPADDING", (0, 0), (-1, -1), 8), ("BOTTOMPADDING", (0, 0), (-1, -1), 10),
                           ("LINEBEFORE", (0, 0), (0, -1), 3, KOPING_BLUE)]))
    return t


def metadata_table() -> Table:
    rows = [("Dokumenttyp", "Handlingsplan", "Giltigt till och med", "2023-12-31"),
            ("Version", "1.0", "Beslutat/antaget datum", "2022-12-16"),
            ("Dokumentansvarig", "Målsamordnare", "Beslutat/antaget av", "Kommunchef"),
            ("Gäller för", "Köpings kommunkoncern", "Diarienummer", "KS 2023/67"),
            ("Giltig fr.o.m.", "2023-01-01", "", "")]
    data = [[Paragraph(a, CELL_B), Paragraph(b, CELL), Paragraph(c, CELL_B), Paragraph(d, CELL)]
            for a, b, c, d in rows]
    return Table(data, colWidths=[42 * mm, 45 * mm, 44 * mm, 39 * mm], hAlign="LEFT",
                 style=TableStyle([("GRID", (0, 0), (-1, -1), 0.6, LINE), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                                   ("TOPPADDING", (0, 0), (-1, -1), 4), ("BOTTOMPADDING", (0, 0), (-1, -1), 5)]))


def styrande_table() -> Table:
    cols = [["Tryckfrihetsförordningen", "Barnkonventionen", "Diskrimineringslagen", "Skollagen",
             "Socialtjänstlagen"],
            ["Digitaliseringsstrategi 2022–2027", "Ungdomspolitiskt handlingsprogram"],
            ["Nationella folkhälsopolitiska målet", "Regional utvecklingsstrategi 2030",
             "Läns gemensam handlingsplan suicidprevention",
             "Läns gemensam överenskommelse om samverkan för barn och ungas hälsa"]]
    data = [[Paragraph(h, CELL_B) for h in ("Lagar", "Styrdokument", "Övrigt/Annat")],
            [[Paragraph(item, CELL_BULLET, bulletText="•") for item in col] for col in cols]]
    return Table(data, colWidths=[BODY_W / 3] * 3, hAlign="LEFT",
                 style=TableStyle([("GRID", (0, 0), (-1, -1), 0.6, LINE), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                                   ("BACKGROUND", (0, 0), (-1, 0), SHADE),
                                   ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 5)]))


def source_paragraphs(start: str, end: str) -> list[str]:
    """Prose paragraphs of the source text between two markers, markup stripped."""
    text = (Path(__file__).resolve().parents[1] / "sources" / f"{NAME}.txt").read_text(encoding="utf-8")
    body = text.split(start, 1)[1].split(end, 1)[0]
    paras = [" ".join(p.split()) for p in body.split("\n\n")]
    return [p.replace("*tillsammans*", "<i>tillsammans</i>") for p in paras if p]


def story(rec: Recorder, toc_pages: dict[str, int]) -> tuple[list, list[dict], list]:
    """The flowables, the activity entries (for gold) and the indicator keys, in reading order."""
    P = lambda t, st=BODY: Paragraph(t, st)  # noqa: E731
    toc_keys: list[tuple[str, str, bool]] = []

    def heading(text: str, st, key: str | None = None, toc: bool = True, bold: bool = False) -> Flowable:
        key = key or f"h:{text}"
        if toc:
            toc_keys.append((key, text, bold))
        return Marked(Paragraph(text, st), rec, key)

    s: list = []
    # Cover
    s += [Spacer(1, 8 * mm), P("KÖPINGS KOMMUN", style("logo", font="Sans-Bold", size=15, color=KOPING_BLUE)),
          Spacer(1, 70 * mm), P(TITLE, style("title", font="Sans-Bold", size=30, leading=36, color=KOPING_BLUE)),
          P(SUBTITLE, style("subtitle", size=16, leading=22, space_after=0)), Spacer(1, 75 * mm),
          metadata_table(), PageBreak()]
    toc_at = len(s)
    s += [PageBreak()]
    s += [heading("Tre utvecklingsmål för demokrati", H1)]
    s += [P(p) for p in source_paragraphs("## Tre utvecklingsmål för demokrati\n", "### Utvecklingsmål 1")]
    s += [heading(f"Utvecklingsmål 1 – {UTVECKLINGSMAL}", H2, key="goal:g1")]
    s += [P(p) for p in source_paragraphs(f"### Utvecklingsmål 1 – {UTVECKLINGSMAL}\n", "**Mål:**")]
    s += [Spacer(1, 4), Marked(goal_box(DELMAL_1), rec, "goal:g2"), Spacer(1, 8),
          Marked(goal_box(DELMAL_2), rec, "goal:g3")]
    s += [PageBreak(), heading("Organisation", H1),
          P("<b>Målsamordnare:</b> David Schanzer-Larsen, förvaltningschef social och arbetsmarknad."),
          P("<b>Målkoordinatorer:</b> Karin Sandborgh Taylor, kanslichef. Koordinator för delmål folkhälsa är "
            "vakant. ."),
          heading("Agenda 2030", H1)]
    s += [P(p) for p in source_paragraphs("## Agenda 2030\n", "## Nulägesanalys")]
    s += [PageBreak(), heading("Nulägesanalys", H1, bold=True)]
    s += [P(p) for p in source_paragraphs("## Nulägesanalys\n", "## Omvärldsbevakning")]
    s += [heading("Omvärldsbevakning, lokala utvecklingsbehov och utmaningar", H2)]
    omv = source_paragraphs("## Omvärldsbevakning, lokala utvecklingsbehov och utmaningar\n", "---")
    omv = [p.replace("<sup>1</sup>", "<super>1</super>") for p in omv]
    s += [P(p) for p in omv[:-1]]
    after_note = source_paragraphs(".pdf)\n\n", "## Varför")
    note = ("<super>1</super> Region Västmanland (2021). <i>Skilnader i livsvillkor och hälsa i Västmanland</i>: "
            "https://regionvastmanland.se/globalassets/utveckla-vastmanland/utvecklingsomraden/walfard-och-folkhalsa/"
            "kunskapsutveckling/skilnader-i-livsvillkor-och-halsa-i-vastmanland_webb.pdf")
    s += [Footnoted(P(omv[-1]), note), PageBreak()]
    s += [P(p) for p in after_note]
    s += [heading("Varför är målet viktigt för Köpings kommun?", H2)]
    s += [P(p) for p in source_paragraphs("## Varför är målet viktigt för Köpings kommun?\n", "## Vägledande")]
    s += [CondPageBreak(80 * mm), heading("Vägledande indikatorer", H2)]
    s += [P(p) for p in source_paragraphs("## Vägledande indikatorer\n", "**Delmål:")]
    indicators: list[dict] = []
    for goal, delmal, periods, groups in INDICATOR_TABLES:
        rows: list[tuple[str | None, list[str]]] = []
        for group, items in groups:
            rows.append((None, [group]))
            for name, values, target in items:
                key = f"ind:{len(indicators)}"
                rows.append((key, [name, *values, target]))
                indicators.append({"key": key, "goal": goal, "group": group, "name": name,
                                   "unit": "%" if "(%)" in name else None, "target": target,
                                   "direction": "increase" if target == INCREASE else "decrease",
                                   "values": {p: None if v == "-" else float(v.replace(",", "."))
                                              for p, v in zip(periods, values)}})
        s += [Spacer(1, 4), P(f"<b>Delmål: {delmal}</b>"), IndicatorTable(delmal, periods, rows, rec), Spacer(1, 10)]
    s += [KeepTogether([heading("Styrande dokument", H2),
                        P("Nedan redovisas viktiga styrande dokument, lagar eller annat som är nära kopplat "
                          "till utvecklingsmålet."), styrande_table()])]
    s += [PageBreak(), heading("Önskat läge 2027", H1, bold=True), heading("Hit vill vi", H2),
          P("Köpings kommun har en levande demokrati där delaktighet och kommunikation bygger tillit", H3)]
    s += [Paragraph(b, BULLET, bulletText="•") for b in [
        "Våra kommunmedlemmar har ett ökat förtroende för den politiska processen",
        "Våra kommunmedlemmar upplever att vi, i högre grad, är tillgängliga och lyssnar när de framför synpunkter",
        "Våra barn och unga har en bättre hälsa",
        "Vi har ett fördjupat och medvetet demokrati- och folkhälsoperspektiv i organisationen med en tydlig "
        "strategisk inriktning"]]
    s += [heading("Strategier och vägval", H2)]
    s += [P(p) for p in source_paragraphs("## Strategier och vägval\n", "- **Fokus")]
    for title, text in STRATEGIES:
        s += [Paragraph(f"<b>{title}</b><br/>{text}", BULLET, bulletText="•")]
    s += [PageBreak(), heading("Aktiviteter", H1, bold=True)]
    activities: list[dict] = []
    for (_, strategy), acts in ACTIVITIES_BY_SECTION:
        s += [CondPageBreak(50 * mm), heading(f"Strategi: {strategy}", H3)]
        for act in acts:
            key = f"act:{act[0]}"
            s += [Marked(activity_to_table(act), rec, key), Spacer(1, 9)]
            activities.append({"key": key, "act": act, "strategy": strategy, "focus": None})
    s += [PageBreak(), heading("Våra gemensamma fokusområden", H1, bold=True)]
    s += [P("<b>Vi blir bättre när vi gör saker tillsammans!</b> " + source_paragraphs(
        "**Vi blir bättre när vi gör saker tillsammans!** ", "### Fokusområde")[0])]
    s += [P(p) for p in source_paragraphs("**Vi blir bättre när vi gör saker tillsammans!** ",
                                          "### Fokusområde")[1:]]
    focus_sections = [
        ("Kristinelunds sportfält", "Fokusområde: Kristinelunds sportfält",
         "### Fokusområde: Kristinelunds sportfält\n", "**Mål 1 bidrar", FOCUS_13_14),
        (None, "Fokusområde: Inre hamnen", "## Fokusområde: Inre hamnen\n", "### Mål 1 bidrar", []),
        ("Kommungemensamt kontaktcenter", "Fokusområde: Kommungemensamt kontaktcenter- Nytt 2023",
         "## Fokusområde: Kommungemensamt kontaktcenter- Nytt 2023\n", "### Mål 1 bidrar", FOCUS_15),
    ]
    for focus, head, start, end, acts in focus_sections:
        s += [CondPageBreak(45 * mm), heading(head, H2)]
        s += [P(p) for p in source_paragraphs(start, end)]
        s += [P("<b>Mål 1 bidrar med följande aktiviteter till fokusområdet:</b>")]
        if not acts:
            s += [Table([[Paragraph("Aktivitet", CELL_B)],
                         [Paragraph("Inga aktiviteter kopplade till fokusområdet har tagits fram. Aktiviteter "
                                    "tillkommer efterhand då arbetet fortgår.", CELL)]],
                        colWidths=[BODY_W], hAlign="LEFT",
                        style=TableStyle([("GRID", (0, 0), (-1, -1), 0.6, LINE),
                                          ("BACKGROUND", (0, 0), (-1, 0), SHADE)])), Spacer(1, 8)]
        for act in acts:
            key = f"act:{act[0]}"
            s += [Marked(activity_to_table(act), rec, key), Spacer(1, 9)]
            activities.append({"key": key, "act": act, "strategy": None, "focus": focus})
    toc = [P("Innehåll", H1), Spacer(1, 4)]
    toc += [TocEntry(text, toc_pages.get(key, 0), bold) for key, text, bold in toc_keys]
    s[toc_at:toc_at] = toc
    return s, activities, indicators


def register_family() -> None:
    """Lets <b> and <i> in paragraphs pick the embedded DejaVu faces."""
    for bold, italic, face in ((0, 0, "Sans"), (1, 0, "Sans-Bold"), (0, 1, "Sans-Oblique"), (1, 1, "Sans-Bold")):
        addMapping("Sans", bold, italic, face)


def render(path: Path, toc_pages: dict[str, int], total: int) -> tuple[Recorder, list[dict], list[dict]]:
    rec = Recorder()
    register_family()

    def on_page(c, doc):
        for frame in doc.pageTemplate.frames:
            frame._bottomPadding = 0
            frame._geom()
        n = c.getPageNumber()
        if n == 1:
            return
        c.saveState()
        c.setFont("Sans", 8)
        c.setFillColor(colors.Color(0.35, 0.35, 0.35))
        c.drawString(MARGIN, PAGE_H - 12 * mm, "Köpings kommun")
        c.drawRightString(PAGE_W - MARGIN, PAGE_H - 12 * mm, RUNNING)
        c.setStrokeColor(KOPING_BLUE)
        c.setLineWidth(0.6)
        c.line(MARGIN, PAGE_H - 13.5 * mm, PAGE_W - MARGIN, PAGE_H - 13.5 * mm)
        c.drawRightString(PAGE_W - MARGIN, 10 * mm, f"Sida {n} av {total}")
        c.restoreState()

    doc = report_template(path, f"{TITLE} – {SUBTITLE}", "Köpings kommun", on_page=on_page)
    flow, activities, indicators = story(rec, toc_pages)
    doc.build(flow)
    rec.total = doc.page
    return rec, activities, indicators


def build() -> list[Path]:
    PDF_DIR.mkdir(parents=True, exist_ok=True)
    path = PDF_DIR / f"{NAME}.pdf"
    toc_pages: dict[str, int] = {}
    total = 0
    for _ in range(4):
        rec, activities, indicators = render(path, toc_pages, total)
        if rec.pages == toc_pages and rec.total == total:
            break
        toc_pages, total = rec.pages, rec.total
    else:
        raise SystemExit("koping: page numbers did not settle")
    pages = rec.pages
    gold = {
        "document": {"file": path.name, "municipality_code": "1983", "doc_type": "handlingsplan",
                     "title": f"{TITLE} – {SUBTITLE}", "period_start": "2023-01-01", "period_end": "2023-12-31",
                     "version": "1.0", "decided_date": "2022-12-16", "decided_by": "Kommunchef",
                     "diarienummer": "KS 2023/67", "is_plan": True},
        "goals": [
            {"key": "g1", "level": "development", "number": "1", "title": UTVECKLINGSMAL, "short_label": None,
             "parent": None, "page": pages["goal:g1"]},
            {"key": "g2", "level": "goal", "number": None, "title": DELMAL_1, "short_label": None,
             "parent": "g1", "page": pages["goal:g2"]},
            {"key": "g3", "level": "goal", "number": None, "title": DELMAL_2, "short_label": None,
             "parent": "g1", "page": pages["goal:g3"]},
        ],
        "result_goals": [],
        "assignments": [],
        "indicators": [{k: v for k, v in ind.items() if k != "key"} | {"page": pages[ind["key"]]}
                       for ind in indicators],
        "activities": [activity_to_gold(a["act"], a["strategy"], a["focus"], pages[a["key"]]) for a in activities],
        "status_legend": [],
        "assessments": [],
    }
    return [path, write_gold(NAME, gold)]
