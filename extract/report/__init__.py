"""The comparison report: one self-contained HTML file a researcher opens in a browser, offline.

Everything is inline (CSS, SVG charts drawn here, a few lines of script) and a Content-Security-Policy
forbids fetching anything, so the file can be mailed, archived or opened on a machine without network.
Every record links to its source PDF at its page (a path relative to the report's folder), so a reader
can check any row against the document it came from.

data reads the warehouse, palette colours the statuses, charts draws the SVG, html assembles the page
from sections (the comparisons) and tree (each municipality's goals and indicators).
"""
from extract.report.html import warehouse_to_html, warehouse_to_report_file

__all__ = ["warehouse_to_html", "warehouse_to_report_file"]
