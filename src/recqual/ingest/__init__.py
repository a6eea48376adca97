"""Reading review records from files: plain text, PDF and Word .docx, told apart by content, not by name.

Each reader returns the text the analyser will read; the report's offsets refer to that text.
PDF and Word files are read in a child process under the time and memory limits (see isolate).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path

from recqual.ingest.errors import InputError
from recqual.ingest.isolate import run_isolated
from recqual.ingest.limits import LIMITS, Limits, megabytes
from recqual.ingest.sniff import kind_of
from recqual.ingest.text import MAX_BYTES, decode

__all__ = ["LIMITS", "MAX_BYTES", "InputError", "Limits", "read_bytes", "read_record"]

# The PDF and Word readers' libraries are imported on first use (in this process, before a read
# forks, so a batch imports them once): a text record needs neither, and they take 0.2 s to import.
READERS = {"pdf": "recqual.ingest.pdf:read_pdf", "docx": "recqual.ingest.docx:read_docx"}
NAMED = {".pdf": "a PDF", ".docx": "a Word .docx", ".doc": "a Word document"}


def reader(kind: str) -> Callable[[bytes, str, Limits], str]:
    """The reader of a document kind ("pdf", "docx"), its libraries imported the first time."""
    module, name = READERS[kind].split(":")
    return getattr(importlib.import_module(module), name)


def preload_readers() -> None:
    """Import every document reader now (e.g. in a fork server, so that no worker imports them itself)."""
    for kind in READERS:
        reader(kind)


def read_record(path: Path, limits: Limits = LIMITS) -> str:
    """The text of the record at `path`; raises InputError naming the file and the reason."""
    path = Path(path)
    if not path.exists():
        raise InputError(path, "no such file")
    if path.is_dir():
        raise InputError(path, "is a folder, not a file")
    try:
        size = path.stat().st_size
        if size > limits.document_bytes:
            raise InputError(path, f"the file is {size:,} bytes; the limit is {limits.document_bytes:,} ({megabytes(limits.document_bytes)})")
        with path.open("rb") as f:
            data = f.read(limits.document_bytes + 1)  # bounded even if the file grows while it is read
    except OSError as err:
        raise InputError(path, f"cannot be read ({err.strerror or err.__class__.__name__})") from err
    return read_bytes(data, str(path), limits)


def read_bytes(data: bytes, source: str, limits: Limits = LIMITS) -> str:
    """The text of a record received as bytes (an upload); `source` names it in errors."""
    if len(data) > limits.document_bytes:
        raise InputError(source, f"the file is {len(data):,} bytes; the limit is {limits.document_bytes:,} ({megabytes(limits.document_bytes)})")
    kind = kind_of(data, source)
    if kind != "text":
        return run_isolated(reader(kind), data, source, limits)
    if len(data) > limits.text_bytes:
        raise InputError(source, f"the file is {len(data):,} bytes of text; the limit for text is {limits.text_bytes:,}")
    try:
        return decode(data, source)
    except InputError as err:
        named = NAMED.get(Path(source).suffix.lower())
        if named and data.strip():  # the name promised a document the content is not
            raise InputError(source, f"is named as {named} but is not one, and {err.reason}") from None
        raise
