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


def write_whole(path: Path, write: Callable[[Path], None]) -> Path:
    """`write(partial)` into a file beside `path`, then renamed over it: a reader (another process)
    never sees half a file. Falls back to `fallback_dir()` where the folder cannot be written."""
    folders = [path.parent, fallback_dir()]
    for folder in folders:
        partial = folder / f"{path.name}.{os.getpid()}.partial"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            write(partial)
            partial.replace(folder / path.name)
            return folder / path.name
        except OSError:
            if folder.exists():
                partial.unlink(missing_ok=True)
            if folder == folders[-1]:
                raise
    return path  # not reached: the last folder either returns or raises
