"""Generated reports with gold by construction: the tool's held-apart test of generality.

A seed picks a kommun, a kind of report (status tables, narrative goals, indicator tables, activity
lists), a status carrier (vector mark, coloured glyph, image icon, cell colour, status word, word in
brackets), legend wording, fonts, orientation, columns and a renderer (reportlab, Chromium printing
HTML, LibreOffice converting HTML). The gold file is written from the same description the PDF is
rendered from. Seeds are split into a development range and a held-apart range (`ranges.py`).
"""
