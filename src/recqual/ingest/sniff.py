"""What a file is, from its first bytes rather than its name: PDF, Word .docx, or text to decode.

Formats recqual cannot read but can recognise (old .doc, password-protected Office files, RTF,
other zip archives) get an error that says what the file is and what to save it as instead.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import Literal

from recqual.ingest.errors import InputError

Kind = Literal["pdf", "docx", "text"]

PDF_MAGIC = re.compile(rb"%PDF-\d")
ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Office puts a password-protected .docx inside an OLE file with this stream
ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
HEADER_WINDOW = 1024  # PDF readers accept the %PDF header anywhere in the first 1 KB


def kind_of(data: bytes, source: Path | str) -> Kind:
    """The reader `data` needs, or InputError for a format recognised but not read."""
    if PDF_MAGIC.search(data[:HEADER_WINDOW]):
        return "pdf"
    if data.startswith(ZIP_MAGIC):
        return _zip_kind(data, source)
    if data.startswith(OLE_MAGIC):
        if ENCRYPTED_PACKAGE in data:
            raise InputError(source, "is a password-protected Office document; remove the password in Word and save it again")
        raise InputError(source, "is an old-format Word document (.doc) or another Office file; save it as .docx or PDF")
    if data.lstrip()[:5] == b"{\\rtf":
        raise InputError(source, "is an RTF file; save it as .docx, PDF or plain text")
    return "text"


def _zip_kind(data: bytes, source: Path | str) -> Kind:
    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        raise InputError(source, "is a damaged or truncated zip archive, not a readable Word .docx") from None
    if "word/document.xml" in names:
        return "docx"
    if "content.xml" in names and "mimetype" in names:
        raise InputError(source, "is an OpenDocument file; save it as .docx or PDF")
    raise InputError(source, "is a zip archive but not a Word .docx document")
