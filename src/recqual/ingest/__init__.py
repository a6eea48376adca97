"""Reading review records from files: each reader returns the text the analyser will read."""

from __future__ import annotations

from pathlib import Path

from recqual.ingest.errors import InputError
from recqual.ingest.text import read_text_file

__all__ = ["InputError", "read_record"]


def read_record(path: Path) -> str:
    """The text of the record at `path`; raises InputError naming the file and the reason."""
    if not path.exists():
        raise InputError(path, "no such file")
    if path.is_dir():
        raise InputError(path, "is a folder, not a file")
    return read_text_file(path)
