"""A record read from PDF or Word analyses like the same record read as plain text.

The fixtures are fictional corpus records made into .docx and exported to PDF by LibreOffice
(tests/fixtures/documents/README.md). The bars are set just under what was measured
(`python scripts/measure_document_fidelity.py`): recommendations 0.994, owners, deadlines and
flags 1.0, record-level flags 0.994, review dates 1.0 on both the Word and the PDF versions.
The one recommendation that differs is a cell the text file wraps over two pipe rows, which the
text reading includes the neighbouring cells in; the one record flag is an issue sentence that
the pipe rows of the document versions run on into the next row.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from recqual.ingest.fidelity import measure

DOCS = Path(__file__).parent / "fixtures" / "documents"
BARS = {"recommendations": 0.97, "owners": 0.98, "deadlines": 0.98, "flags": 0.98, "record_flags": 0.97, "review_dates": 0.97}


@pytest.fixture(scope="module")
def fidelity():
    return measure(DOCS)


@pytest.mark.parametrize("version", ["docx", "pdf"])
@pytest.mark.parametrize("field", list(BARS))
def test_documents_analyse_like_their_plain_text(fidelity, version, field):
    agreement = fidelity["agreement"][version][field]
    assert agreement >= BARS[field], fidelity["differences"]


def test_every_fixture_is_compared_in_both_versions(fidelity):
    records = len(list(DOCS.glob("*.txt")))
    assert records >= 12
    for version in ("docx", "pdf"):
        assert fidelity["compared"][version]["review_dates"] == 2 * records
        assert fidelity["compared"][version]["recommendations"] > 10 * records
