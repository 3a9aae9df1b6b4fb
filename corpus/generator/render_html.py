"""Reports written as HTML and printed to PDF by Chromium (as web-based follow-up systems export them)
or converted by LibreOffice Writer (as word-processor reports are). The HTML carries both CSS and the
old presentational attributes, since LibreOffice's HTML import reads the latter."""
from __future__ import annotations

import shutil
import subprocess
import tempfile
from html import escape
from pathlib import Path

from corpus.generator.blocks import Bullets, Cell, Heading, Legend, Mark, PageBreak, Paragraph, Report, Table
from corpus.generator.icons import icon_path

FONTS = {"sans": "'DejaVu Sans'", "serif": "'DejaVu Serif'", "condensed": "'DejaVu Sans Condensed'"}
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--no-pdf-header-footer"]


class HtmlWriter:
    def __init__(self, report: Report, folder: Path):
        self.report, self.folder = report, folder

    def mark(self, mark: Mark) -> str:
        if mark.carrier == "vector":
            radius = "50%" if mark.shape == "circle" else "0"
            return (f'<span class="mark" style="background:{mark.color};border-radius:{radius}"></span>')
        if mark.carrier == "glyph":
            return f'<font color="{mark.color}"><span style="color:{mark.color}">{mark.glyph}</span></font>'
        source = icon_path(mark)
        target = self.folder / source.name
        if not target.exists():
            shutil.copy(source, target)
        return f'<img src="{source.name}" width="11" height="11" alt="">'

    def cell(self, cell: Cell, tag: str = "td") -> str:
        attributes = ""
        if cell.mark is not None and cell.mark.carrier == "cell":
            attributes = f' bgcolor="{cell.mark.color}" style="background:{cell.mark.color}"'
        content = self.mark(cell.mark) if cell.mark is not None and cell.mark.carrier != "cell" else escape(cell.text)
        return f"<{tag}{attributes}>{content}</{tag}>"

    def table(self, block: Table) -> str:
        rules = 'border="1"' if block.grid else 'border="1" frame="hsides" rules="rows" class="rows"'
        cols = "".join(f'<col width="{round(w * 100)}%">' for w in block.widths)
        head = "".join(f"<th>{escape(h)}</th>" for h in block.header)
        body = "".join("<tr>" + "".join(self.cell(c) for c in row) + "</tr>" for row in block.rows)
        return (f'<table {rules} cellpadding="4" cellspacing="0" width="100%">{cols}'
                f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")

    def paragraph(self, block: Paragraph) -> str:
        parts = []
        if block.lead:
            parts.append(f"<b>{escape(block.lead)}</b>")
        if block.mark is not None:
            parts.append(self.mark(block.mark))
        if block.text:
            parts.append(escape(block.text))
        return f"<p>{' '.join(parts)}</p>"

    def legend(self, block: Legend) -> str:
        out = [f"<p><b>{escape(block.title)}</b></p>"] if block.title else []
        entries = [f"{self.mark(mark)} {escape(label)}" for mark, label in block.entries]
        if block.inline:
            out.append("<p>" + " &nbsp;&nbsp; ".join(entries) + "</p>")
        else:
            out.extend(f"<p>{entry}</p>" for entry in entries)
        return "".join(out)

    def block(self, block) -> str:
        if isinstance(block, Heading):
            return f"<h{block.level + 1}>{escape(block.text)}</h{block.level + 1}>"
        if isinstance(block, Paragraph):
            return self.paragraph(block)
        if isinstance(block, Bullets):
            return "<ul>" + "".join(f"<li>{escape(item)}</li>" for item in block.items) + "</ul>"
        if isinstance(block, Table):
            return self.table(block)
        if isinstance(block, Legend):
            return self.legend(block)
        if isinstance(block, PageBreak):
            return '<p style="page-break-before: always"></p>'
        raise TypeError(block)

    def html(self) -> str:
        setup = self.report.setup
        size = "A4 landscape" if setup.landscape else "A4"
        columns = "column-count:2;column-gap:8mm;" if setup.columns == 2 else ""
        style = f"""
@page {{ size: {size}; margin: 20mm; }}
body {{ font-family: {FONTS[setup.font]}; font-size: {setup.size}pt; }}
h1 {{ font-size: 26pt; }} h2 {{ font-size: {setup.size + 5}pt; }} h3 {{ font-size: {setup.size + 2}pt; }}
.body {{ {columns} }}
table {{ border-collapse: collapse; margin: 4pt 0 8pt 0; font-size: {setup.size - 1}pt; }}
td, th {{ vertical-align: top; text-align: left; padding: 3pt; }}
td, th {{ border: 0.5pt solid #777; }}
table.rows td, table.rows th {{ border-width: 0 0 0.5pt 0; }}
.mark {{ display: inline-block; width: 9pt; height: 9pt; }}
.cover {{ page-break-after: always; padding-top: 60mm; }}
"""
        cover = self.report.cover
        cover_html = (f'<div class="cover"><p style="font-size:14pt">{escape(cover[0])}</p>'
                      f"<h1>{escape(self.report.title)}</h1>"
                      + "".join(f'<p style="font-size:14pt">{escape(line)}</p>' for line in cover[2:]) + "</div>")
        body = "".join(self.block(b) for b in self.report.blocks)
        return (f'<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8"><title>{escape(self.report.title)}'
                f"</title><style>{style}</style></head><body>{cover_html}<div class=\"body\">{body}</div></body></html>")


def render(report: Report, path: Path) -> None:
    with tempfile.TemporaryDirectory(prefix="report-html-") as tmp:
        folder = Path(tmp)
        source = folder / f"{path.stem}.html"
        source.write_text(HtmlWriter(report, folder).html(), encoding="utf-8")
        if report.setup.renderer == "chromium":
            subprocess.run(["chromium", *CHROMIUM_FLAGS, f"--user-data-dir={folder / 'profile'}",
                            f"--print-to-pdf={path}", source.as_uri()], check=True, capture_output=True, timeout=120)
        else:
            subprocess.run(["soffice", f"-env:UserInstallation={(folder / 'lo').as_uri()}", "--headless",
                            "--infilter=HTML (StarWriter)", "--convert-to", "pdf:writer_pdf_Export",
                            "--outdir", str(folder), str(source)], check=True, capture_output=True, timeout=180)
            shutil.move(folder / f"{path.stem}.pdf", path)
