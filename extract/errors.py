"""Domain errors: what went wrong with the user's input, in one line that says what to do."""
from __future__ import annotations

import os
from pathlib import Path


def path_to_text(path: Path | str) -> str:
    """A path as text every terminal, file and database takes: a name whose bytes are not UTF-8 (a
    Latin-1 `Årsredovisning.pdf` from an old Windows share) keeps those bytes as `\\xNN` escapes."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


class PlansError(Exception):
    """Base of the tool's expected failures; `.message` is the one line shown to the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class ReadError(PlansError):
    """An input file that cannot be read: missing, not a PDF, encrypted, broken or empty.

    `ReadError(path, message)` prefixes the message with the path; a single argument is taken as the
    whole message, for callers that already name the file. `code` is a stable name for the kind of
    failure (not_pdf, truncated, encrypted, ...), recorded with batch failures so they can be counted.
    """

    def __init__(self, path: Path | str, message: str | None = None, *, code: str = "unreadable"):
        self.path = Path(path) if message is not None else None
        self.code = code
        super().__init__(f"{path_to_text(path)}: {message}" if message is not None else str(path))


class ExtractionFailed(PlansError):
    """A stage failed on one file for a reason that is not the input's fault."""
