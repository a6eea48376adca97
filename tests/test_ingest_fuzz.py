"""Damaged files of every kind: the PDF and Word readers only ever return text or raise InputError.

The readers are called in this process, not in the child process read_bytes uses, so that any
other exception (which the child would turn into a generic "damaged" message) fails the test.
Inputs are real fixture files with bytes flipped, cut, inserted or deleted, Word files whose XML
is mutated and re-zipped, and random bytes. The number of cases is bounded for CI; for a longer
campaign: RECQUAL_FUZZ_EXAMPLES=3000 RECQUAL_FUZZ_RANDOM=1 python -m pytest tests/test_ingest_fuzz.py
"""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recqual.ingest import InputError, read_bytes
from recqual.ingest.docx import read_docx
from recqual.ingest.limits import LIMITS
from recqual.ingest.pdf import read_pdf

FIXTURES = Path(__file__).parent / "fixtures" / "documents"
EXAMPLES = int(os.environ.get("RECQUAL_FUZZ_EXAMPLES", "120"))
# two small fixtures keep each case quick; mutations reach every part of them
PDFS = [(FIXTURES / f"{n}.pdf").read_bytes() for n in ("c054-r2", "c001-r2")]
DOCXS = [(FIXTURES / f"{n}.docx").read_bytes() for n in ("c054-r2", "c023-r1")]
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=5000,
    derandomize=not os.environ.get("RECQUAL_FUZZ_RANDOM"),  # the same cases on every CI run; RECQUAL_FUZZ_RANDOM=1 explores
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@st.composite
def mutated(draw, originals: list[bytes]) -> bytes:
    data = bytearray(draw(st.sampled_from(originals)))
    for _ in range(draw(st.integers(1, 8))):
        kind = draw(st.sampled_from(["flip", "cut", "insert", "delete", "zero"]))
        at = draw(st.integers(0, max(0, len(data) - 1)))
        if kind == "flip" and data:
            data[at] ^= draw(st.integers(1, 255))
        elif kind == "cut":
            del data[at:]
        elif kind == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=64))
        elif kind == "delete":
            del data[at : at + draw(st.integers(1, 512))]
        elif kind == "zero":
            data[at : at + 64] = bytes(len(data[at : at + 64]))
    return bytes(data)


@st.composite
def mutated_word_xml(draw) -> bytes:
    """A .docx whose document.xml (or numbering or styles) is mutated and zipped again: the zip is sound, the XML is not."""
    source = zipfile.ZipFile(io.BytesIO(draw(st.sampled_from(DOCXS))))
    target = draw(st.sampled_from(["word/document.xml", "word/numbering.xml", "word/styles.xml"]))
    xml = bytearray(source.read(target))
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(xml) - 1))
        choice = draw(st.sampled_from(["delete", "insert", "flip"]))
        if choice == "delete":
            del xml[at : at + draw(st.integers(1, 200))]
        elif choice == "insert":
            xml[at:at] = draw(st.sampled_from([b"<w:p>", b"</w:p>", b"<w:tbl><w:tr><w:tc>", b'w:val="-7"', b'w:val="99999999"', b"<w:numPr/>", b"&", b"\x00"]))
        else:
            xml[at] ^= draw(st.integers(1, 255))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in source.infolist():
            z.writestr(info.filename, bytes(xml) if info.filename == target else source.read(info.filename))
    return out.getvalue()


def only_text_or_input_error(reader, data: bytes) -> None:
    try:
        text = reader(data, "fuzzed-file", LIMITS)
    except InputError as err:
        assert err.source == "fuzzed-file" and err.reason and "\n" not in err.reason
        return
    assert isinstance(text, str) and text.strip()


@FUZZ
@given(mutated(PDFS))
def test_a_damaged_pdf_gives_text_or_a_clear_error(data):
    only_text_or_input_error(read_pdf, data)


@FUZZ
@given(mutated(DOCXS))
def test_a_damaged_docx_gives_text_or_a_clear_error(data):
    only_text_or_input_error(read_docx, data)


@FUZZ
@given(mutated_word_xml())
def test_a_docx_with_broken_xml_gives_text_or_a_clear_error(data):
    only_text_or_input_error(read_docx, data)


@settings(FUZZ, max_examples=max(10, EXAMPLES // 4))
@given(
    st.one_of(
        st.binary(max_size=4096),
        st.binary(max_size=512).map(lambda b: b"%PDF-1.7\n" + b + b"\n%%EOF"),
        st.binary(max_size=512).map(lambda b: b"PK\x03\x04" + b),
    )
)
def test_random_bytes_through_read_bytes_give_text_or_a_clear_error(data):
    try:
        text = read_bytes(data, "random.bin")
    except InputError as err:
        assert str(err).startswith("random.bin: ") and "\n" not in str(err)
        return
    assert isinstance(text, str)


@pytest.mark.parametrize("reader, originals", [(read_pdf, PDFS), (read_docx, DOCXS)])
def test_the_unmutated_fixtures_read(reader, originals):
    for data in originals:
        assert "Recommendation" in reader(data, "fixture", LIMITS) or "RECOMMENDATION" in reader(data, "fixture", LIMITS)
