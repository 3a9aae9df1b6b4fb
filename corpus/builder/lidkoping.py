"""Lidköping's web page on development funds for social sustainability, printed from a browser.

Not a plan: the tool must recognise it as holding no plan records. It carries the furniture of a browser
print (date and time with the page title at the top, the URL and "1/2" at the foot), the site's header bar,
headings, bullet lists and contact cards. The print date and URL are this rendering's choice; the source
text does not keep them.
"""
from __future__ import annotations

from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

from corpus.builder.common import PAGE_H, PAGE_W, PDF_DIR, report_template, style, write_gold
from corpus.builder.koping import register_family

NAME = "lidkoping-utvecklingsmedel-webbsida"
TITLE = "Utvecklingsmedel för ökad social hållbarhet"
PAGE_TITLE = f"{TITLE} - Lidköpings kommun"
PRINTED_AT = "2019-08-26 10:14"
URL = "https://www.lidkoping.se/kommun-och-politik/social-hallbarhet/utvecklingsmedel-for-okad-social-hallbarhet"
SITE_GREEN = colors.Color(0.0, 0.38, 0.33)
MARGIN_X = 14 * mm
BODY_W = PAGE_W - 2 * MARGIN_X

BODY = style("l_body", size=10.5, leading=15, space_after=8)
H1 = style("l_h1", font="Sans-Bold", size=20, leading=25, space_before=6, space_after=10)
H2 = style("l_h2", font="Sans-Bold", size=13, leading=17, space_before=8, space_after=5)
BULLET = style("l_bullet", size=10.5, leading=15, space_after=3, leftIndent=18, bulletIndent=6,
               bulletFontName="Sans", bulletFontSize=10.5)
BULLET2 = style("l_bullet2", size=10.5, leading=15, space_after=3, leftIndent=36, bulletIndent=24,
                bulletFontName="Sans", bulletFontSize=10.5)
SMALL = style("l_small", size=9, leading=12.5, space_after=2)

SECTIONS = [
    (None, ["Det kommunala Hållbarhetsutskottet ska bland annat verka för att Program för social hållbarhet "
            "genomförs på ett samordnat och effektivt sätt i kommunen och tillsammans med externa aktörer. Utskottet "
            "har kommunala och regionala medel till sitt förfogande, totalt cirka 2,7 Mkr, för att genomföra "
            "hälsofrämjande arbete. Nu efterfrågar rådet förslag på utvecklingsinitiativ från organisationer, "
            "föreningar och kommunens verksamheter."]),
    ("Prioriterade områden för utvecklingsinitiativ",
     ["Utskottets beredningsgrupp har utifrån områdena i Program för social hållbarhet valt att prioritera psykisk "
      "hälsa och trygghetsfrämjande arbete."]),
    ("Behov ska vara utgångspunkten",
     ["Initiativet ska utgå från ett behov som finns och ska vara en utveckling inom områdena psykisk hälsa och "
      "trygghetsfrämjande arbete. Viktigt är att arbetet sker i samverkan mellan minst två aktörer.",
      "Rådet efterfrågar förslag som främjar:",
      [(1, "Användning av samhällets och den ideella sektorns resurser ska ske på ett föredömligt sätt,"),
       (1, "kunskapsbaserat arbetssätt,"), (1, "samarbeten mellan minst två aktörer.")],
      "Utskottet prioriterar utvecklingsinsatser som handlar om:",
      [(1, "verksamhetsutveckling genom förändrade arbetssätt,"), (1, "utveckling/test av en ny idé,"),
       (1, "kompetenshöjande insatser,"),
       (1, "att ta fram kunskapsunderlag som exempelvis enkäter och kartläggningar.")]]),
    ("Ta fram underlag",
     [[(1, "Tydliggör relationen till någon av beslutad styrning:"),
       (2, "Program för social hållbarhet inklusive åtgärdskatalog. Områdena psykisk hälsa och "
           "trygghetsskapande arbetet har hög prioritet."),
       (2, "Åtgärdsplan enligt samverkansöverenskommelse med Polisen<br/>Lokal genomförandeplan utifrån "
           "Regional handlingsplan för psykisk hälsa."),
       (1, "Lämna in uppdrags-/projektbeställning med underlag enligt projektmodellen,"),
       (1, "Underlaget ska vara Kommunstyrelsens verksamheter tillhanda senast den 30 september 2019.")]]),
    ("Tänk på",
     [[(1, "Initiativet ska tas tillsammans med minst en annan part (internt och/eller externt)."),
       (1, "Initiativet kan baseras på en ny idé men kan minst lika gärna vara ett förbättringsinitiativ kopplat "
           "till en pågående verksamhet."),
       (1, "Utskottet prioriterar initiativ som är långsiktiga framför korta uppdrag/projekt av mindre "
           "omfattning."),
       (1, "Initiativet ska kunna användas som ett gott exempel i kommunen."),
       (1, "Utskottet prioriterar initiativ där förutsättningarna för implementering efter "
           "uppdrags-/projekttidens slut är god."),
       (1, "Utskottet finansierar inte löpande verksamhet men medel kan användas för kostnader direkt relaterade "
           "till uppdraget/projektets genomförande."),
       (1, "Uppdrag/projekt kan som längst finansieras till den 31 december 2020."),
       (1, "Det ska anges en utpekad person/funktion som ansvarig för insatsen och uppföljningen."),
       (1, "Initiativet ska återrapporteras till Hållbarhetsutskottet under och efter uppdrags-/projekttiden av "
           "den ansvariga personen/funktionen."),
       (1, "Om behov finns, ta hjälp av folkhälsostrategen och utvecklingsledare sociala frågor. De finns till "
           "hands, följer initiativen och kan medverka med sin kompetens och utifrån sitt uppdrag.")],
      "Vill du veta mera:"]),
]
CONTACTS = [
    ("Dag Tore Stulen", "Utvecklingsledare", "Social Välfärd", "0510771888", "DagTore.Stulen@lidkoping.se"),
    ("Anna Stadig Pilhagen", "Folkhälsoplanerare", "Kommunstyrelsens verksamheter", "0510-771281",
     "Anna.StadigPilhagen@lidkoping.se"),
]


def contact_card(name: str, title: str, unit: str, tel: str, mail: str) -> list:
    head = style("l_card_h", font="Sans-Bold", size=9, leading=12, space_after=3, color=SITE_GREEN)
    return [Paragraph("Kontakt", head), Paragraph(f"<b>{name}</b>", SMALL), Paragraph(f"Titel: {title}", SMALL),
            Paragraph(f"Enhet: {unit}", SMALL), Paragraph(f"Tel: {tel}", SMALL),
            Paragraph(f"E-post: {mail}", SMALL)]


def story() -> list:
    bar = Table([[Paragraph("Lidköpings kommun", style("l_bar", font="Sans-Bold", size=15, leading=19,
                                                          space_after=0, color=colors.white)),
                  Paragraph("Meny&nbsp;&nbsp;&nbsp;Sök", style("l_menu", size=9.5, leading=12, space_after=0,
                                                              color=colors.white, alignment=2))]],
                colWidths=[BODY_W * 0.7, BODY_W * 0.3])
    bar.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, -1), SITE_GREEN), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                             ("TOPPADDING", (0, 0), (-1, -1), 9), ("BOTTOMPADDING", (0, 0), (-1, -1), 10),
                             ("LEFTPADDING", (0, 0), (-1, -1), 10), ("RIGHTPADDING", (0, 0), (-1, -1), 10)]))
    s: list = [bar, Spacer(1, 6),
               Paragraph("Startsida / Kommun och politik / Social hållbarhet",
                         style("l_crumb", size=8.5, leading=11, color=colors.Color(0.35, 0.35, 0.35))),
               Paragraph(TITLE, H1)]
    for heading, blocks in SECTIONS:
        if heading:
            s.append(Paragraph(heading, H2))
        for block in blocks:
            if isinstance(block, list):
                s += [Paragraph(t, BULLET if level == 1 else BULLET2, bulletText="•" if level == 1 else "◦")
                      for level, t in block]
                s.append(Spacer(1, 5))
            else:
                s.append(Paragraph(block, BODY))
    cards = Table([[contact_card(*c) for c in CONTACTS]], colWidths=[BODY_W / 2 - 3, BODY_W / 2 - 3])
    cards.setStyle(TableStyle([("BOX", (0, 0), (0, 0), 0.6, colors.Color(0.8, 0.8, 0.8)),
                               ("BOX", (1, 0), (1, 0), 0.6, colors.Color(0.8, 0.8, 0.8)),
                               ("BACKGROUND", (0, 0), (-1, -1), colors.Color(0.96, 0.97, 0.96)),
                               ("VALIGN", (0, 0), (-1, -1), "TOP"), ("TOPPADDING", (0, 0), (-1, -1), 8),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 8), ("LEFTPADDING", (0, 0), (-1, -1), 10)]))
    feedback = Table([[Paragraph("<b>Hjälpte informationen på den här sidan dig?</b>", SMALL)]],
                     colWidths=[BODY_W])
    feedback.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, -1), colors.Color(0.93, 0.93, 0.93)),
                                  ("TOPPADDING", (0, 0), (-1, -1), 10), ("BOTTOMPADDING", (0, 0), (-1, -1), 10),
                                  ("LEFTPADDING", (0, 0), (-1, -1), 10)]))
    s += [cards, Spacer(1, 14), feedback, Spacer(1, 10),
          Paragraph("Publicerad:", SMALL), Paragraph("Senast uppdaterad:", SMALL),
          Paragraph("Sidansvarig: kommunstyrelsensverksamheter@lidkoping.se", SMALL)]
    return s


def render(path: Path, total: int) -> int:
    def on_page(c, doc):
        c.saveState()
        c.setFont("Sans", 8)
        c.drawString(8 * mm, PAGE_H - 7 * mm, PRINTED_AT)
        c.drawRightString(PAGE_W - 8 * mm, PAGE_H - 7 * mm, PAGE_TITLE)
        c.drawString(8 * mm, 6 * mm, URL)
        c.drawRightString(PAGE_W - 8 * mm, 6 * mm, f"{c.getPageNumber()}/{total}")
        c.restoreState()

    register_family()
    doc = report_template(path, PAGE_TITLE, "Lidköpings kommun", on_page=on_page,
                          margins=(MARGIN_X, MARGIN_X, 14 * mm, 14 * mm))
    doc.build(story())
    return doc.page


def build() -> list[Path]:
    PDF_DIR.mkdir(parents=True, exist_ok=True)
    path = PDF_DIR / f"{NAME}.pdf"
    total = render(path, 0)
    total = render(path, total)
    gold = {
        "document": {"file": path.name, "municipality_code": "1494", "doc_type": "other", "title": PAGE_TITLE,
                     "period_start": None, "period_end": None, "version": None, "decided_date": None,
                     "decided_by": None, "diarienummer": None, "is_plan": False},
        "goals": [], "result_goals": [], "assignments": [], "indicators": [], "activities": [],
        "status_legend": [], "assessments": [],
    }
    return [path, write_gold(NAME, gold)]
