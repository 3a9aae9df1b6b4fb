"""Status icons as PNG pictures, drawn once per colour and shape."""
from __future__ import annotations

import tempfile
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw

from corpus.generator.blocks import Mark

ICON_PIXELS = 48
_FOLDER = Path(tempfile.mkdtemp(prefix="report-icons-"))


@lru_cache(maxsize=None)
def _icon(color: str, shape: str) -> Path:
    image = Image.new("RGB", (ICON_PIXELS, ICON_PIXELS), "white")
    draw = ImageDraw.Draw(image)
    box = (2, 2, ICON_PIXELS - 3, ICON_PIXELS - 3)
    (draw.ellipse if shape == "circle" else draw.rectangle)(box, fill=color)
    path = _FOLDER / f"{color.lstrip('#')}-{shape}.png"
    image.save(path)
    return path


def icon_path(mark: Mark) -> Path:
    return _icon(mark.color, mark.shape)
