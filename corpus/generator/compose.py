"""A seed to a report description and its gold: every choice is drawn from one random generator, so a
seed always gives the same report."""
from __future__ import annotations

import random
from functools import lru_cache
from pathlib import Path

import yaml

from corpus.generator.blocks import (COLOUR_CARRIERS, Block, Bullets, Cell, Heading, Legend, Mark, PageBreak,
                                     Paragraph, Report, Setup, Table)

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
KINDS = ("status_tables", "narrative", "indicators", "activities")
RENDERERS = ("reportlab", "chromium", "libreoffice")
CARRIERS = {"reportlab": ("vector", "glyph", "icon", "cell", "word", "bracket"),
            "chromium": ("vector", "glyph", "icon", "cell", "word", "bracket"),
            "libreoffice": ("glyph", "icon", "cell", "word", "bracket")}
DOC_TYPES = {
    "status_tables": [("Årsredovisning {y}", "årsredovisning", "{y}-01-01", "{y}-12-31"),
                      ("Delårsrapport januari–augusti {y}", "delårsrapport", "{y}-01-01", "{y}-08-31"),
                      ("Tertialrapport 1 {y}", "tertialrapport", "{y}-01-01", "{y}-04-30"),
                      ("Verksamhetsberättelse {y}", "verksamhetsberättelse", "{y}-01-01", "{y}-12-31"),
                      ("Måluppföljning {y}", "uppföljning", "{y}-01-01", "{y}-12-31")],
    "narrative": [("Årsredovisning {y}", "årsredovisning", "{y}-01-01", "{y}-12-31"),
                  ("Delårsrapport {y}", "delårsrapport", "{y}-01-01", "{y}-08-31"),
                  ("Verksamhetsberättelse {y}", "verksamhetsberättelse", "{y}-01-01", "{y}-12-31")],
    "indicators": [("Verksamhetsplan {y}", "verksamhetsplan", "{y}-01-01", "{y}-12-31"),
                   ("Mål och budget {y}", "mål och budget", "{y}-01-01", "{y}-12-31"),
                   ("Årsredovisning {y}", "årsredovisning", "{y}-01-01", "{y}-12-31")],
    "activities": [("Handlingsplan {y}", "handlingsplan", "{y}-01-01", "{y}-12-31"),
                   ("Verksamhetsplan {y}", "verksamhetsplan", "{y}-01-01", "{y}-12-31"),
                   ("Nämndplan {y}", "nämndplan", "{y}-01-01", "{y}-12-31")],
}
STATUS_COLOURS = {"achieved": "green", "partially_achieved": "yellow", "not_achieved": "red",
                  "done": "green", "ongoing": "yellow", "not_started": "red"}
TITLE_HEADERS = {"result_goal": ["Resultatmål", "Mål", "Nämndmål", "Verksamhetsmål"],
                 "assignment": ["Uppdrag", "Uppdrag från fullmäktige"]}
STATUS_HEADERS = ["Status", "Bedömning", "Måluppfyllelse"]
COMMENT_HEADERS = ["Kommentar", "Analys", "Kommentar/analys"]
GLYPHS = {"circle": "●", "square": "■"}


@lru_cache(maxsize=None)
def phrases() -> dict:
    return yaml.safe_load((HERE / "phrases.yaml").read_text(encoding="utf-8"))


@lru_cache(maxsize=None)
def kommuner() -> list[dict]:
    return yaml.safe_load((ROOT / "rules" / "kommuner.yaml").read_text(encoding="utf-8"))["municipalities"]


class Composer:
    """Draws one report: its blocks, and the gold records those blocks print."""

    def __init__(self, seed: int, renderer: str | None = None):
        self.r = random.Random(seed)
        self.p = phrases()
        self.renderer = renderer or RENDERERS[seed % len(RENDERERS)]
        self.kind = self.r.choice(KINDS)
        self.kommun = self.r.choice(kommuner())
        self.year = self.r.randint(2019, 2026)
        self.palette = self.r.choice(self.p["palettes"])
        self.carrier = self.r.choice(CARRIERS[self.renderer])
        self.shape = self.r.choice(["circle", "circle", "square"])
        self.blocks: list[Block] = []
        self.gold: dict = {"goals": [], "result_goals": [], "assignments": [], "indicators": [],
                           "activities": [], "status_legend": [], "assessments": []}
        self.used: set[str] = set()
        self.grid = self.r.random() < 0.6

    # ---- words
    def unique(self, make) -> str:
        for _ in range(50):
            text = make()
            if text not in self.used:
                self.used.add(text)
                return text
        raise RuntimeError("generator ran out of distinct phrases")

    def result_goal_title(self) -> str:
        if self.r.random() < 0.5:
            return self.unique(lambda: f"{self.r.choice(self.p['subjects'])} {self.r.choice(self.p['directions'])}")
        return self.unique(lambda: self.r.choice(self.p["goal_sentences"]))

    def assignment_title(self) -> str:
        return self.unique(lambda: f"{self.r.choice(self.p['assignment_verbs'])} "
                                   f"{self.r.choice(self.p['assignment_objects'])}")

    def comment(self) -> str | None:
        if self.r.random() < 0.2:
            return None
        return " ".join(self.r.sample(self.p["comments"], self.r.randint(1, 2)))

    def status(self, scale: str) -> str | None:
        if self.r.random() < 0.1:
            return None
        return self.r.choice(list(self.p["status_words"][scale]))

    def word(self, scale: str, status: str) -> str:
        return self.r.choice(self.p["status_words"][scale][status])

    def mark(self, status: str, carrier: str | None = None) -> Mark:
        carrier = carrier or self.carrier
        color = self.palette[STATUS_COLOURS[status]]
        shape = "square" if carrier == "cell" else self.shape
        return Mark(carrier=carrier, color=color, shape=shape,
                    glyph=GLYPHS[shape] if carrier == "glyph" else None)

    @staticmethod
    def gold_mark(mark: Mark | None) -> dict | None:
        if mark is None:
            return None
        kind = {"vector": "vector", "glyph": "glyph", "icon": "image", "cell": "cell"}[mark.carrier]
        return {"kind": kind, "shape": mark.shape, "color": mark.color, "glyph": mark.glyph}

    # ---- common parts
    def goal_heading(self, index: int, title: str, style: str, level: int = 1) -> dict:
        number = str(index)  # printed, or the goal's position where the heading prints no number
        text = {"plain": title, "dot": f"{index}. {title}", "mal": f"Mål {index}: {title}"}[style]
        self.blocks.append(Heading(level, text))
        goal = {"key": f"g{index}", "level": "overarching", "number": number, "title": title,
                "short_label": None, "parent": None}
        self.gold["goals"].append(goal)
        return goal

    def legend(self, scales: list[str]) -> None:
        """The printed legend of every scale the report marks, with the words it uses."""
        title = self.r.choice(["Teckenförklaring", "Förklaring till bedömningen", None])
        inline = self.r.random() < 0.5
        for scale in scales:
            entries = []
            for status in self.p["status_words"][scale]:
                mark = self.mark(status, "vector" if self.carrier == "cell" and self.renderer != "libreoffice"
                                 else self.carrier)
                if self.carrier == "cell":
                    mark.shape = "square"
                label = self.word(scale, status)
                entries.append((mark, label))
                self.gold["status_legend"].append({"scale": scale, "symbol": mark.glyph or mark.shape,
                                                   "color": mark.color, "status": status, "label": label})
            self.blocks.append(Legend(title, entries, inline))
            title = None

    # ---- kinds
    def status_tables(self) -> None:
        scales = ["result_goal"] + (["assignment"] if self.r.random() < 0.7 else [])
        if self.carrier in COLOUR_CARRIERS:
            self.legend(scales)
        style = self.r.choice(["plain", "dot", "mal"])
        committee_way = self.r.choice(["column", "trailing", "none"])
        status_first = self.r.random() < 0.4
        headers = {scale: self.r.choice(TITLE_HEADERS[scale]) for scale in scales}
        status_header = self.r.choice(STATUS_HEADERS)
        comment_header = self.r.choice(COMMENT_HEADERS)
        for index, area in enumerate(self.r.sample(self.p["goal_areas"], self.r.randint(2, 4)), start=1):
            goal = self.goal_heading(index, area, style)
            if self.r.random() < 0.3:
                self.blocks.append(Paragraph(self.r.choice(self.p["intro"])))
            for scale in scales:
                self.status_table(scale, goal, headers[scale], status_header, comment_header,
                                  committee_way if scale == "result_goal" else "none", status_first)
            if self.r.random() < 0.25:
                self.blocks.append(PageBreak())

    def status_table(self, scale: str, goal: dict, title_header: str, status_header: str, comment_header: str,
                     committee_way: str, status_first: bool) -> None:
        with_status_col = self.carrier != "bracket"
        header, widths = [title_header], [0.45]
        if committee_way == "column":
            header.append("Ansvar")
            widths.append(0.12)
        header.append(comment_header)
        widths.append(0.3)
        if with_status_col:
            if status_first:
                header.insert(0, status_header)
                widths.insert(0, 0.13)
            else:
                header.append(status_header)
                widths.append(0.13)
        rows = []
        for _ in range(self.r.randint(2, 5)):
            title = self.result_goal_title() if scale == "result_goal" else self.assignment_title()
            status = self.status(scale)
            committees = (sorted(self.r.sample([c["abbreviation"] for c in self.p["committees"]],
                                               self.r.randint(1, 2))) if committee_way != "none" else [])
            comment = self.comment()
            printed = title
            if committee_way == "trailing":
                printed = f"{title} {', '.join(committees)}"
            mark, status_cell = None, Cell()
            if status is not None:
                if self.carrier == "word":
                    status_cell = Cell(self.word(scale, status))
                elif self.carrier == "bracket":
                    printed = f"{printed} ({self.word(scale, status)})"
                else:
                    mark = self.mark(status)
                    status_cell = Cell(mark=mark)
            cells = [Cell(printed)]
            if committee_way == "column":
                cells.append(Cell(", ".join(committees)))
            cells.append(Cell(comment or ""))
            if with_status_col:
                cells.insert(0, status_cell) if status_first else cells.append(status_cell)
            rows.append(cells)
            record = {"goal": goal["key"], "title": title, "status": status, "mark": self.gold_mark(mark),
                      "comment": comment}
            if scale == "result_goal":
                record["committees"] = committees
                self.gold["result_goals"].append(record)
            else:
                self.gold["assignments"].append(record)
        self.blocks.append(Table(header, rows, widths, self.grid))

    def narrative(self) -> None:
        """Goal areas; under each, goals with an assessment line, and uppdrag listed with a status word."""
        marked = self.carrier in COLOUR_CARRIERS and self.carrier != "cell"
        if marked:
            self.legend(["result_goal"])
        label = self.r.choice(["Bedömning:", "Måluppfyllelse:", "Status:"])
        dash = self.r.choice([" – ", " - ", ": "])
        for index, area in enumerate(self.r.sample(self.p["goal_areas"], self.r.randint(2, 3)), start=1):
            goal = self.goal_heading(index, area, self.r.choice(["plain", "dot"]))
            for _ in range(self.r.randint(1, 3)):
                title = self.result_goal_title()
                status = self.status("result_goal")
                self.blocks.append(Heading(2, title))
                mark = None
                if status is not None:
                    mark = self.mark(status) if marked and self.r.random() < 0.7 else None
                    self.blocks.append(Paragraph(self.word("result_goal", status), lead=label, mark=mark))
                comment = self.comment()
                if comment:
                    self.blocks.append(Paragraph(comment))
                self.gold["result_goals"].append({"goal": goal["key"], "title": title, "status": status,
                                                  "mark": self.gold_mark(mark), "comment": comment,
                                                  "committees": []})
            if self.r.random() < 0.7:
                self.blocks.append(Paragraph("", lead=self.r.choice(["Uppdrag", "Uppdrag från fullmäktige"])))
                items = []
                for _ in range(self.r.randint(2, 4)):
                    title = self.assignment_title()
                    status = self.status("assignment")
                    items.append(f"{title}{dash}{self.word('assignment', status)}" if status else title)
                    self.gold["assignments"].append({"goal": goal["key"], "title": title, "status": status,
                                                     "mark": None, "comment": None})
                self.blocks.append(Bullets(items))

    def indicators(self) -> None:
        years = list(range(self.year - self.r.randint(2, 3), self.year))
        name_header = self.r.choice(["Nyckeltal", "Indikator", "Mått"])
        year_label = self.r.choice(["{y}", "Utfall {y}"])
        target_header = self.r.choice(["Målvärde", f"Mål {self.year}", "Riktvärde", None])
        thousands = self.r.choice([" ", "\u202f", "\u00a0"])
        style = self.r.choice(["plain", "dot", "mal"])
        pool = list(self.p["indicators"])
        self.r.shuffle(pool)
        for index, area in enumerate(self.r.sample(self.p["goal_areas"], self.r.randint(2, 3)), start=1):
            goal = self.goal_heading(index, area, style)
            if self.r.random() < 0.5:
                self.blocks.append(Paragraph(self.r.choice(self.p["intro"])))
            header = [name_header] + [year_label.format(y=y) for y in years] + ([target_header] if target_header else [])
            rows = []
            for spec in [pool.pop() for _ in range(min(len(pool), self.r.randint(2, 4)))]:
                name = f"{spec['name']} ({spec['unit']})" if self.r.random() < 0.8 else spec["name"]
                unit = spec["unit"] if name != spec["name"] else None
                unit = "%" if unit == "procent" else unit
                values, cells = {}, [Cell(name)]
                for y in years:
                    if self.r.random() < 0.12:
                        values[str(y)] = None
                        cells.append(Cell(self.r.choice(["–", "-", ".."])))
                        continue
                    value = round(self.r.uniform(spec["low"], spec["high"]), spec["decimals"])
                    values[str(y)] = value
                    cells.append(Cell(self.number(value, spec["decimals"], thousands)))
                target, direction = None, None
                if target_header:
                    choice = self.r.random()
                    if choice < 0.6:
                        target = self.number(round(self.r.uniform(spec["low"], spec["high"]), spec["decimals"]),
                                             spec["decimals"], thousands)
                    elif choice < 0.8:
                        target, direction = "Öka", "increase"
                    else:
                        target, direction = "Minska", "decrease"
                    cells.append(Cell(target))
                rows.append(cells)
                self.gold["indicators"].append({"goal": goal["key"], "group": None, "name": name, "unit": unit,
                                                "target": target, "direction": direction, "values": values})
            widths = [0.46] + [0.54 / (len(header) - 1)] * (len(header) - 1)
            self.blocks.append(Table(header, rows, widths, self.grid))

    @staticmethod
    def number(value: float, decimals: int, thousands: str) -> str:
        text = f"{abs(value):,.{decimals}f}".replace(",", "\x00").replace(".", ",").replace("\x00", thousands)
        return f"-{text}" if value < 0 else text

    def activities(self) -> None:
        as_table = self.r.random() < 0.5
        style = self.r.choice(["plain", "dot", "mal"])
        number = 0
        for index, area in enumerate(self.r.sample(self.p["goal_areas"], self.r.randint(2, 3)), start=1):
            goal = self.goal_heading(index, area, style)
            rows = []
            for _ in range(self.r.randint(2, 4)):
                number += 1
                title = self.unique(lambda: f"{self.r.choice(self.p['activity_titles'])} "
                                            f"{self.r.choice(self.p['assignment_objects'])}")
                purpose = self.r.choice(self.p["purposes"])
                purpose = f"Syfte: {purpose[0].upper()}{purpose[1:]}"
                responsible = self.r.choice([c["name"] for c in self.p["committees"]])
                performer = self.r.choice(self.p["departments"])
                if as_table:
                    rows.append([Cell(str(number)), Cell(title), Cell(responsible), Cell(performer)])
                    purpose = None
                else:
                    self.blocks.append(Paragraph(title, lead=f"{number}."))
                    self.blocks.append(Paragraph(purpose))
                    self.blocks.append(Paragraph(responsible, lead="Ansvarig:"))
                    self.blocks.append(Paragraph(performer, lead="Utförare:"))
                self.gold["activities"].append({"goal": goal["key"], "number": number, "title": title,
                                                "strategy": None, "focus_area": None, "purpose": purpose,
                                                "responsible": responsible, "performer": performer})
            if as_table:
                self.blocks.append(Table(["Nr", "Aktivitet", "Ansvarig", "Utförare"], rows, [0.08, 0.3, 0.31, 0.31], self.grid))

    @staticmethod
    def table_as_list(table: Table) -> list[Block]:
        """An activity table printed as a numbered list: four columns do not fit a narrow column."""
        out: list[Block] = []
        for number, title, responsible, performer in table.rows:
            out += [Paragraph(title.text, lead=f"{number.text}."), Paragraph(responsible.text, lead="Ansvarig:"),
                    Paragraph(performer.text, lead="Utförare:")]
        return out

    # ---- the whole report
    def compose(self, name: str) -> Report:
        title_pattern, doc_type, start, end = self.r.choice(DOC_TYPES[self.kind])
        title = title_pattern.format(y=self.year)
        kommun = self.kommun["name"]
        owner = f"{kommun}s kommun" if self.r.random() < 0.3 and kommun[-1] not in "sxz" else f"{kommun} kommun"
        cover = [owner, title, self.r.choice(["Antagen av kommunfullmäktige", "Kommunstyrelsen", ""])]
        self.blocks.append(Heading(1, "Inledning"))
        self.blocks.append(Paragraph(self.r.choice(self.p["intro"])))
        getattr(self, self.kind)()
        landscape = self.r.random() < 0.25
        # LibreOffice's HTML import lays CSS columns out over the cover and lets tables overflow them,
        # which no word processor's own columns do: two columns come from reportlab and Chromium.
        columns = 2 if (self.kind in ("narrative", "activities") and self.r.random() < 0.3 and not landscape
                        and self.renderer != "libreoffice") else 1
        if columns == 2:
            self.blocks = [self.table_as_list(b) if isinstance(b, Table) and b.header[0] == "Nr" else b
                           for b in self.blocks]
            self.blocks = [b for group in self.blocks for b in (group if isinstance(group, list) else [group])]
        setup = Setup(renderer=self.renderer, font=self.r.choice(["sans", "serif", "condensed"]),
                      size=self.r.choice([9, 10, 10.5, 11]), landscape=landscape, columns=columns,
                      header_text=f"{owner} · {title}" if self.r.random() < 0.5 else None)
        self.gold["document"] = {
            "file": f"{name}.pdf", "municipality_code": self.kommun["code"], "doc_type": doc_type, "title": title,
            "period_start": start.format(y=self.year), "period_end": end.format(y=self.year), "version": None,
            "decided_date": None, "decided_by": None, "diarienummer": None, "is_plan": True}
        self.gold["generator"] = {"kind": self.kind, "renderer": self.renderer, "carrier": self.carrier,
                                  "landscape": landscape, "columns": columns, "font": setup.font}
        return Report(name=name, title=title, cover=[line for line in cover if line], blocks=self.blocks,
                      setup=setup, gold=self.gold)


def seed_to_report(seed: int, prefix: str) -> Report:
    composer = Composer(seed)
    return composer.compose(f"{prefix}-{seed:04d}-{composer.kind.replace('_', '-')}-{composer.renderer}")
