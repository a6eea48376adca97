"""Pages per second of recqual's PDF reader beside poppler's `pdftotext` on the same files, as a ratio.

    python benchmarks/pdf_reading.py             # all fixture PDFs, 5 runs each, medians
    python benchmarks/pdf_reading.py --smoke     # two files, one run: a few seconds
    python benchmarks/pdf_reading.py --files a.pdf b.pdf --runs 3

Three readers over the same files, taking turns in each run so that they share the machine's load:
- recqual in-process: `read_pdf`, the reader alone (pdfium text and ruling lines, pdfplumber's table finder);
- recqual read_bytes: what the CLI, the endpoint and the batch pay, including the child process
  each file is read in under the time and memory limits;
- pdftotext: poppler-utils' `pdftotext -layout FILE -` run once per file, as a shell script would;
- with --with-pdfplumber, pdfplumber alone (its words and tables on every page), for comparison.
pdftotext is optional (Debian: apt-get install -y poppler-utils); without it only recqual's figures print.
"""

from __future__ import annotations

import argparse
import io
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pypdfium2 as pdfium

from recqual.ingest import LIMITS, read_bytes
from recqual.ingest.pdf import read_pdf

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "documents"


def timed_runs(readers: dict[str, Callable[[Path, bytes], object]], files: list[tuple[Path, bytes]], pages: int, runs: int) -> dict[str, list[float]]:
    """Pages per second of each reader in each run; the readers take turns within a run so they share the machine's load alike."""
    rates: dict[str, list[float]] = {name: [] for name in readers}
    for _ in range(runs):
        for name, read in readers.items():
            start = time.perf_counter()
            for path, data in files:
                read(path, data)
            rates[name].append(pages / (time.perf_counter() - start))
    return rates


def pdftotext(path: Path, data: bytes) -> None:
    subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, stdout=subprocess.DEVNULL)


def pdfplumber_alone(path: Path, data: bytes) -> None:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            page.find_tables()
            page.extract_words()


def main(argv: list[str] | None = None) -> dict[str, float]:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--files", type=Path, nargs="*", help="PDF files (default: the fixture PDFs)")
    parser.add_argument("--runs", type=int, default=5, help="timed runs; the median is reported (default 5)")
    parser.add_argument("--smoke", action="store_true", help="two files, one run: checks the benchmark works")
    parser.add_argument(
        "--with-pdfplumber", action="store_true", help="also time pdfplumber alone (words and tables), the reader recqual does not use for text"
    )
    args = parser.parse_args(argv)
    paths = args.files or sorted(FIXTURES.glob("*.pdf"))
    runs = args.runs
    if args.smoke:
        paths, runs = paths[:2], 1
    files = [(p, p.read_bytes()) for p in paths]
    pages = sum(len(pdfium.PdfDocument(data)) for _, data in files)
    print(f"{len(files)} files, {pages} pages, {runs} run(s), median pages/s")
    read_pdf(files[0][1], "warm-up", LIMITS)  # imports and pdfium's start-up are not part of reading
    readers: dict[str, Callable[[Path, bytes], object]] = {
        "recqual in-process": lambda p, d: read_pdf(d, p.name, LIMITS),
        "recqual read_bytes": lambda p, d: read_bytes(d, p.name),
    }
    if args.with_pdfplumber:
        readers["pdfplumber alone"] = pdfplumber_alone
    if shutil.which("pdftotext"):
        readers["pdftotext"] = pdftotext
    rates = timed_runs(readers, files, pages, runs)
    results = {name: statistics.median(r) for name, r in rates.items()}
    for name, rate in results.items():
        ratio = ""
        if "pdftotext" in rates and name != "pdftotext":  # the median of each run's ratio: the two ran side by side
            ratio = f"   {statistics.median(a / b for a, b in zip(rates[name], rates['pdftotext'], strict=True)):.2f} x pdftotext"
        print(f"{name:<20}{rate:8.1f} pages/s{ratio}")
    if "pdftotext" not in results:
        print("pdftotext not found (apt-get install -y poppler-utils): no reference figure", file=sys.stderr)
    return results


if __name__ == "__main__":
    main()
