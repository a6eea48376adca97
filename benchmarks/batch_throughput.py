"""Batch throughput: records per second through `recqual batch` with 1 and 2 worker processes, against analyse() in this process.

The reference is the same records analysed one after another in this process with no pool and no
database (the single-process rate); each batch figure is reported as a ratio to it, measured in the
same run, so the ratios hold on a busy shared machine where absolute times drift. Batch rates include
everything a user waits for: finding and hashing the files, starting the workers, storing each result
in its own transaction. The time to score 10,000 records is extrapolated from the best batch rate.

    python benchmarks/batch_throughput.py                 # the whole corpus (184 fictional records), 3 repeats
    python benchmarks/batch_throughput.py --smoke         # a few records once: proves it works (CI)
    python benchmarks/batch_throughput.py --pdf-dir DIR   # also the PDFs in DIR (needs a reader that reads PDFs)
"""

from __future__ import annotations

import argparse
import io
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from recqual.analyse import analyse
from recqual.batch.discover import discover, find_files
from recqual.batch.runner import run_batch
from recqual.batch.series import link
from recqual.ingest import InputError, read_record

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus/annotated/source"


def in_process(files: list[Path]) -> tuple[float, float]:
    """(records per second, CPU milliseconds per record) for analyse() over `files` one after another, each child's
    reviews chained as the batch chains them. The CPU time does not depend on what else the machine is doing."""
    started, cpu = time.perf_counter(), time.process_time()
    n = 0
    for series in link(discover(files)):
        previous = None
        for step in series:
            for record in step:
                try:
                    report = analyse(read_record(record.path), source=record.source, review_date=record.review_date, previous=previous)
                except InputError:
                    report = None
                n += 1
            previous = report or previous
    return n / (time.perf_counter() - started), 1000 * (time.process_time() - cpu) / n


def batch(files: list[Path], workers: int) -> tuple[float, int, int]:
    """(records per second, scored, failed) for one batch into a fresh SQLite database, the pool's start-up included."""
    with tempfile.TemporaryDirectory() as tmp:
        summary = run_batch(files, str(Path(tmp) / "bench.db"), workers=workers, err=io.StringIO())
    return (summary.scored + summary.failed) / summary.seconds, summary.scored, summary.failed


def measure(label: str, files: list[Path], repeats: int) -> dict:
    in_process(files[:1])  # load the vocabulary once, as a worker does at start-up
    runs = [in_process(files) for _ in range(repeats)]
    reference = statistics.median(r[0] for r in runs)
    out = {
        "records": label,
        "files": len(files),
        "in_process_records_per_s": round(reference, 2),
        "in_process_cpu_ms_per_record": round(statistics.median(r[1] for r in runs), 1),
    }
    for workers in (1, 2):
        runs = [batch(files, workers) for _ in range(repeats)]
        rate = statistics.median(r[0] for r in runs)
        out[f"workers_{workers}"] = {
            "records_per_s": round(rate, 2),
            "ratio_to_in_process": round(rate / reference, 2),
            "scored": runs[0][1],
            "failed": runs[0][2],
        }
    best = max(out["workers_1"]["records_per_s"], out["workers_2"]["records_per_s"])
    out["ratio_2_workers_to_1"] = round(out["workers_2"]["records_per_s"] / out["workers_1"]["records_per_s"], 2)
    out["minutes_for_10000"] = round(10_000 / best / 60, 1)
    return out


def smoke_corpus(tmp: Path, children: int) -> Path:
    """A few children's records copied, so that a smoke run is quick but still has series."""
    for child in sorted(p.name for p in CORPUS.iterdir())[:children]:
        shutil.copytree(CORPUS / child, tmp / child, ignore=shutil.ignore_patterns("*.json"))
    return tmp


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--smoke", action="store_true", help="a few records, once: quick, proves the benchmark runs")
    parser.add_argument("--repeats", type=int, default=3, help="runs per measurement; the median is reported (default 3)")
    parser.add_argument("--pdf-dir", type=Path, help="a folder of PDF records to measure as well")
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    args = parser.parse_args(argv)

    results = []
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        folder = smoke_corpus(Path(tmp), 3) if args.smoke else CORPUS
        repeats = 1 if args.smoke else args.repeats
        results.append(measure("text", find_files([folder]), repeats))
        if args.pdf_dir:
            pdfs = [p for p in find_files([args.pdf_dir]) if p.suffix.lower() == ".pdf"]
            try:
                read_record(pdfs[0]) if pdfs else None
            except InputError as err:
                print(f"PDF: not measured: this build's reader cannot read them ({err.reason})", file=sys.stderr)
            else:
                if pdfs:
                    results.append(measure("pdf", pdfs, repeats))

    print(
        f"{'records':8} {'files':>5} {'cpu ms/rec':>10} {'in-process/s':>13} {'1 worker/s':>11} {'ratio':>6} {'2 workers/s':>12} {'ratio':>6} {'2w/1w':>6} {'10,000 in':>10}"
    )
    for r in results:
        w1, w2 = r["workers_1"], r["workers_2"]
        print(
            f"{r['records']:8} {r['files']:>5} {r['in_process_cpu_ms_per_record']:>10.1f} {r['in_process_records_per_s']:>13.1f} {w1['records_per_s']:>11.1f} {w1['ratio_to_in_process']:>6.2f} "
            f"{w2['records_per_s']:>12.1f} {w2['ratio_to_in_process']:>6.2f} {r['ratio_2_workers_to_1']:>6.2f} {r['minutes_for_10000']:>7.1f} min"
        )
    # Other work on the machine slows every figure and hides the second worker's gain; say how busy it was.
    print(f"{os.cpu_count()} cores; 1-minute load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
