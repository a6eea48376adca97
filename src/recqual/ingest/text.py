"""Plain-text records: decode the bytes, refusing binary and empty input."""

from __future__ import annotations

from pathlib import Path

from recqual.ingest.errors import InputError
from recqual.ingest.limits import LIMITS

# Tried in order. cp1252 covers Word's "smart" punctuation saved as ANSI text; latin-1
# would decode anything, so it is not on the list: undecodable bytes are reported instead.
ENCODINGS = ("utf-8-sig", "cp1252")
MAX_BYTES = LIMITS.text_bytes


def decode(data: bytes, source: Path | str) -> str:
    """The text of `data`, or InputError if it is empty, binary or in no known encoding."""
    if not data.strip():
        raise InputError(source, "the file is empty")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as err:
            raise InputError(source, "not valid UTF-16 text") from err
    else:
        sample = data[:8192]
        if b"\x00" in sample or _control_ratio(sample) > 0.05:
            raise InputError(source, "looks like a binary file, not text")
        for encoding in ENCODINGS:
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise InputError(source, f"not readable as text in any of {', '.join(ENCODINGS)}")
    if not text.strip():
        raise InputError(source, "the file has no text")
    return text


def _control_ratio(sample: bytes) -> float:
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return controls / max(1, len(sample))
