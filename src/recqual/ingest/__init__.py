"""Reading review records from files: each reader returns the text the analyser will read."""

from __future__ import annotations

from pathlib import Path

from recqual.ingest.errors import InputError
from recqual.ingest.text import MAX_BYTES, decode, read_text_file

__all__ = ["InputError", "read_bytes", "read_record"]


def read_record(path: Path) -> str:
    """The text of the record at `path`; raises InputError naming the file and the reason."""
    if not path.exists():
        raise InputError(path, "no such file")
    if path.is_dir():
        raise InputError(path, "is a folder, not a file")
    return read_text_file(path)


def read_bytes(data: bytes, source: str) -> str:
    """The text of a record received as bytes (an upload); `source` names it in errors."""
    if len(data) > MAX_BYTES:
        raise InputError(source, f"the file is {len(data):,} bytes; the limit is {MAX_BYTES:,}")
    if data.startswith(b"%PDF") or data.startswith(b"PK\x03\x04"):
        raise InputError(source, "PDF and Word files are not read yet; save the record as plain text")
    return decode(data, source)
