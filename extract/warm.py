"""Warm-up for batch workers: run the pipeline once on a tiny text, so the lazy caches it builds on first
use (lexicon, language model, theme coder) are built once in the process the workers fork from and
shared by all of them, instead of once per worker (seconds each, again whenever a worker is recycled).

Imported by the workers' forkserver (see extract.executors); importing it elsewhere costs those seconds.
"""
from __future__ import annotations

import tempfile
from pathlib import Path

SAMPLE = """Verksamhetsrapport 2023

1 Mål för verksamheten

1. Projektet startade där ett av målen är att skapa attraktiva och trygga mötesplatser i kommunen.
Arbetet pågår med att samordna ombyggnationen. Arliga uppfoljningar gors av kommunstyrelsen.
"""


def warm_pipeline() -> None:
    from extract.pipeline import extract_file

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "warm-up.txt"
        path.write_text(SAMPLE, encoding="utf-8")
        try:
            extract_file(path)
        except Exception:  # a warm-up that fails only means the workers build their caches themselves
            pass


warm_pipeline()
