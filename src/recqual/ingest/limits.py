"""The limits every input is read under, so that no file can take unbounded time, memory or disk.

Each limit is named in the error a file that exceeds it gets ("... the limit is 300 pages").
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from recqual.ingest.errors import InputError


@dataclass(frozen=True)
class Limits:
    text_bytes: int = 5_000_000  # a plain-text record; also the most text a PDF or Word file may yield
    document_bytes: int = 25_000_000  # a PDF or .docx file (logos and signatures make them larger than their text)
    pages: int = 300  # a PDF; review records run to tens of pages
    seconds: float = 30.0  # reading one PDF or Word file, enforced by stopping the process that reads it
    memory_bytes: int = 1_000_000_000  # what reading one PDF or Word file may allocate
    unzipped_bytes: int = 200_000_000  # all the parts of a .docx together, as its zip directory declares them
    zip_ratio: int = 100  # uncompressed/compressed size of a large .docx part; zip bombs run to thousands


LIMITS = Limits()


def megabytes(n: int) -> str:
    """A byte count for a message: '25 MB'."""
    return f"{n / 1_000_000:,.0f} MB" if n >= 1_000_000 else f"{n:,} bytes"


def check_text_length(text: str, source: Path | str, limits: Limits) -> str:
    """`text` if a document yielded no more than the text limit; InputError otherwise."""
    if len(text) > limits.text_bytes:
        raise InputError(source, f"holds {len(text):,} characters of text; the limit is {limits.text_bytes:,}")
    return text
