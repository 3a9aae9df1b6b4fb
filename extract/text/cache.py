"""The user's cache folder for language data built from installed packages (a lexicon, a lemma
table): built once, read by every later run; a file is written whole or not at all."""
from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path


def cache_dir() -> Path:
    """$PLANS_CACHE, else $XDG_CACHE_HOME/plans, else ~/.cache/plans."""
    if os.environ.get("PLANS_CACHE"):
        return Path(os.environ["PLANS_CACHE"])
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "plans"


def fallback_dir() -> Path:
    """Where built data goes when the cache folder cannot be written (a read-only home)."""
    return Path(tempfile.gettempdir()) / f"plans-{os.getuid()}"


def cached(name: str) -> Path | None:
    """The built file `name` in the cache folder, else in the fallback folder; None before it is built."""
    return next((place for place in (cache_dir() / name, fallback_dir() / name) if place.exists()), None)


def _write_in(folder: Path, name: str, write: Callable[[Path], None]) -> Path:
    partial = folder / f"{name}.{os.getpid()}.partial"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        write(partial)
        return partial.replace(folder / name)
    except OSError:
        if folder.exists():
            partial.unlink(missing_ok=True)
        raise


def write_whole(path: Path, write: Callable[[Path], None]) -> Path:
    """`write(partial)` into a file beside `path`, then renamed over it: a reader (another process)
    never sees half a file. Falls back to `fallback_dir()` where the folder cannot be written."""
    try:
        return _write_in(path.parent, path.name, write)
    except OSError:
        return _write_in(fallback_dir(), path.name, write)
