"""The one error a bad input raises: it names the file and the reason, never the record's text."""

from __future__ import annotations

from pathlib import Path


class InputError(Exception):
    """A file or text that cannot be analysed."""

    def __init__(self, source: Path | str, reason: str) -> None:
        self.source = str(source)
        self.reason = reason
        super().__init__(f"{self.source}: {reason}")
