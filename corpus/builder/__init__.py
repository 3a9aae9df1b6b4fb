"""Deterministic builders that render the corpus sources into PDFs like the published ones."""
