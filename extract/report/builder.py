"""The rows the report shows, indexed the ways its sections look them up, and the small pieces every
section prints (links to a source page, status marks, theme chips)."""
from __future__ import annotations

import datetime as dt
import os
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any
from urllib.parse import quote

from extract.report.data import ReportData
from extract.report.markup import e
from extract.report.palette import NO_MARK, Palette, status_name


class ReportBuilder:
    """The rows to show, indexed the ways the sections look them up, and the pieces they all print."""

    def __init__(self, data: ReportData, out_dir: Path, generated: dt.datetime):
        self.data = data
        self.out_dir = out_dir.resolve()
        self.generated = generated
        self.palette = Palette(data.legend)
        self.documents = {d["document_id"]: d for d in data.documents}
        self.names = {m["code"]: m["name"] for m in data.municipalities}
        self.themes_by_record: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for theme in data.themes:
            self.themes_by_record[theme["record_id"]].append(theme)
        titles = Counter(d["title"] for d in data.documents)
        self._shared_titles = {title for title, n in titles.items() if n > 1}
        self.by_goal: dict[tuple[str, str | None], dict[str, list[dict[str, Any]]]] = defaultdict(
            lambda: defaultdict(list))
        for kind, rows in data.records.items():
            for row in rows:
                self.by_goal[row["document_id"], row["goal_id"]][kind].append(row)

    def municipality_documents(self) -> list[tuple[str, str, list[dict[str, Any]]]]:
        """(code, name, documents) per municipality, by name."""
        grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for document in self.data.documents:
            grouped[document["municipality_code"] or ""].append(document)
        return sorted(((code, self.names.get(code, "Unknown municipality"), docs) for code, docs in grouped.items()),
                      key=lambda item: item[1])

    def source_href(self, document_id: str, page_no: int | None) -> str | None:
        """The source PDF relative to the report's folder, so report and PDFs can move together."""
        document = self.documents.get(document_id, {})
        source = document.get("source_path") or document.get("source_file")
        if not source:
            return None
        path = Path(source)
        path = path if path.is_absolute() else Path.cwd() / path  # a warehouse older than source_path
        relative = os.path.relpath(path.resolve(), self.out_dir).replace(os.sep, "/")
        return quote(relative) + (f"#page={page_no}" if page_no else "")

    def page_link(self, document_id: str, page_no: int | None) -> str:
        href = self.source_href(document_id, page_no)
        name = Path(self.documents.get(document_id, {}).get("source_file") or "?").name
        label = f"p.&nbsp;{page_no}" if page_no else "doc"
        if not href:
            return f'<span class="src">{label}</span>'
        return f'<a class="src" href="{e(href)}" title="{e(name)}, page {e(page_no or "-")}">{label}</a>'

    def mark(self, scale: str, status: str | None, color: str | None = None) -> str:
        color = color or self.palette.color(scale, status)
        label = self.palette.label(scale, status) if status else NO_MARK
        css = "mark" if status else "mark none"
        return (f'<span class="{css}" style="--c:{e(color)}" title="{e(status_name(status))}: {e(label)}">'
                f'<i></i>{e(status_name(status))}</span>')

    def theme_chips(self, record_id: str) -> str:
        chips = [f'<span class="chip {e(t["scheme"])}" title="{e(t["label"])}">{e(t["scheme"]).upper()}&nbsp;'
                 f'{e(t["code"])}</span>' for t in self.themes_by_record.get(record_id, [])]
        return f'<span class="chips">{"".join(chips)}</span>' if chips else ""

    def document_label(self, document_id: str) -> str:
        """The document's title, with its file name where another document has the same title (or none)."""
        document = self.documents.get(document_id, {})
        name = Path(document.get("source_file") or "?").name
        title = document.get("title")
        if not title:
            return name
        return f"{title} ({name})" if title in self._shared_titles else title

    def filter_attrs(self, document_id: str, record_id: str, status: str | None = None, scaled: bool = False) -> str:
        """What the filter bar matches a record on: municipality, document, status (on a status scale
        only; `none` for no mark) and theme codes as `scheme:code`."""
        document = self.documents.get(document_id, {})
        themes = " ".join(f'{t["scheme"]}:{t["code"]}' for t in self.themes_by_record.get(record_id, []))
        status_attr = f' data-s="{e(status or "none")}"' if scaled else ""
        return (f' data-rec data-m="{e(document.get("municipality_code") or "")}" data-d="{e(document_id)}"'
                f'{status_attr} data-t="{e(themes)}"')
