"""PDF pages/s (recqual's reader beside pdftotext, via pdf_reading.py) for text records and for table-heavy ones, and
Word records/s, on the fixture records that exist as .txt, .docx and PDF (tests/fixtures/documents/)."""

from __future__ import annotations

import contextlib
import io
import re
import statistics
import time
from pathlib import Path

import pdf_reading

from recqual.ingest import read_record

FIXTURES = pdf_reading.FIXTURES
TABLE_ROW = re.compile(r"^\s*\|.*\||\t.*\t", re.MULTILINE)


def groups(limit: int | None = None) -> dict[str, list[Path]]:
    """The fixture PDFs split by their plain text: "tables" if it holds pipe or tab table rows, else "text"."""
    found: dict[str, list[Path]] = {"text": [], "tables": []}
    for pdf in sorted(FIXTURES.glob("*.pdf")):
        text = pdf.with_suffix(".txt").read_text(encoding="utf-8")
        found["tables" if len(TABLE_ROW.findall(text)) >= 3 else "text"].append(pdf)
    return {name: paths[:limit] for name, paths in found.items()}


def pdf_pages_per_s(paths: list[Path], runs: int) -> dict:
    with contextlib.redirect_stdout(io.StringIO()):  # pdf_reading prints its own lines; the caller prints one table
        rates = pdf_reading.main(["--files", *map(str, paths), "--runs", str(runs)])
    out = {"files": len(paths), **{re.sub(r"\W+", "_", name): rate for name, rate in rates.items()}}
    if "pdftotext" in rates:
        out["ratio_to_pdftotext"] = rates["recqual read_bytes"] / rates["pdftotext"]
    return out


def records_per_s(paths: list[Path], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        for path in paths:
            read_record(path)
        times.append(time.perf_counter() - started)
    return len(paths) / statistics.median(times)


def measure(runs: int, limit: int | None = None) -> dict:
    """PDF pages/s by kind of record; read_record records/s for the same records as .txt, .docx and .pdf, and their ratios to text."""
    pdfs = groups(limit)
    out: dict = {"pdf": {name: pdf_pages_per_s(paths, runs) for name, paths in pdfs.items() if paths}}
    stems = sorted(p.with_suffix("") for paths in pdfs.values() for p in paths)
    read_record(stems[0].with_suffix(".docx"))  # imports and the reader's first fork are not reading
    rates = {ext: records_per_s([s.with_suffix(f".{ext}") for s in stems], runs) for ext in ("txt", "docx", "pdf")}
    out["read_record"] = {"records": len(stems), **{ext: {"records_per_s": rate, "ratio_to_text": rate / rates["txt"]} for ext, rate in rates.items()}}
    return out
