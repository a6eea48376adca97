"""The performance benchmark (issue 11): where the time goes, against references measured in the same run, and the targets.

    python benchmarks/run.py                      # the whole corpus, 3 repeats, medians (about 8 minutes on 2 cores)
    python benchmarks/run.py --json bench.json    # also write every figure as JSON
    python benchmarks/run.py --smoke              # a few records once: proves it works (CI), the figures mean little

Sections, each a median of the repeats, on the fictional corpus records (and their PDF/Word versions):
- pipeline: analyse() words/s and records/s in one process, as a ratio to spaCy's blank English
  tokenizer over the same texts (the ceiling), the time by stage, and dateparser's calls and time;
- documents: PDF pages/s of recqual's reader beside pdftotext (text records and table-heavy records),
  and read_record records/s for the same records as text, Word and PDF;
- http: /v1/check latency (median, p95) for a 2,000-word record and throughput with 8 clients, beside analyse() in-process;
- batch: records/s with 1 and 2 worker processes beside analyse() in-process, and 10,000 records extrapolated;
- startup: `recqual analyse` start-up beside Python importing its heavy libraries, and peak memory of a worker.
The machine is shared: the load average before and after is printed, and ratios hold better than absolute figures.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import batch_throughput
import documents
import http_check
import pipeline
import startup

from recqual.batch.discover import find_files

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus" / "annotated" / "source"
SECTIONS = ("pipeline", "documents", "http", "batch", "startup")

# Issue 11's targets for this 2-core machine: (section path to the figure, limit, "max" or "min", unit).
TARGETS = {
    "http_median_ms": (("http", "one_client", "median"), 150, "max", 1000),
    "http_p95_ms": (("http", "one_client", "p95"), 300, "max", 1000),
    "batch_2_workers_records_per_s": (("batch", "workers_2", "records_per_s"), 10, "min", 1),
    "pdf_tables_pages_per_s": (("documents", "pdf", "tables", "recqual_read_bytes"), 20, "min", 1),
    "startup_s": (("startup", "seconds", "recqual_analyse"), 4, "max", 1),
    "worker_peak_mb": (("startup", "worker", "peak_mb"), 600, "max", 1),
}


def targets(results: dict) -> dict:
    out = {}
    for name, (path, limit, kind, scale) in TARGETS.items():
        value = results
        for key in path:
            value = value[key]
        value *= scale
        out[name] = {"measured": round(value, 2), "target": limit, "met": value <= limit if kind == "max" else value >= limit}
    return out


def run(smoke: bool, repeats: int, folder: Path) -> dict:
    records = find_files([folder])
    pdfs = sorted(documents.FIXTURES.glob("*.pdf"))
    if smoke:
        sections = {
            "pipeline": lambda: pipeline.measure(records, 1),
            "documents": lambda: documents.measure(1, limit=1),
            "http": lambda: http_check.measure(sequential=2, total=8, clients=8, words=2000),
            "batch": lambda: batch_throughput.measure("text", records, 1),
            "startup": lambda: startup.measure(1, records + pdfs[:1]),
        }
    else:
        sections = {
            "pipeline": lambda: pipeline.measure(records, repeats),
            "documents": lambda: documents.measure(max(repeats, 3)),
            "http": lambda: http_check.measure(sequential=200, total=400, clients=8, words=2000),
            "batch": lambda: batch_throughput.measure("text", records, repeats),
            "startup": lambda: startup.measure(max(repeats, 5), records + pdfs),
        }
    results, seconds = {}, {}
    for name, measure in sections.items():
        started = time.perf_counter()
        results[name] = measure()
        seconds[name] = round(time.perf_counter() - started, 1)
        print(f"{name}: measured in {seconds[name]} s", file=sys.stderr)
    results["section_seconds"] = seconds
    return results


def row(label: str, figure: str, ratio: str = "", note: str = "") -> str:
    return f"{label:50}{figure:>16}{ratio:>9}  {note}".rstrip()


def table(r: dict) -> str:
    p, d, h, b, s = (r[k] for k in SECTIONS)
    ceiling = p["ceiling_tokenizer_words_per_s"]
    lines = [
        row("measure", "figure", "ratio", "reference (measured in the same run)"),
        row("spaCy blank English tokenizer", f"{ceiling:,.0f} w/s", "1.00", f"the ceiling: {p['records']} records, {p['words']:,} words"),
        row("analyse(), one process", f"{p['pipeline']['words_per_s']:,.0f} w/s", f"{p['pipeline']['ratio_to_ceiling']:.3f}", "x the tokenizer"),
        row("analyse(), one process", f"{p['pipeline']['records_per_s']:.1f} r/s"),
    ]
    for stage, f in p["stages"].items():
        lines.append(row(f"  stage: {stage}", f"{f['ms_per_record']:.1f} ms/r", f"{f['share']:.1%}", "of the pipeline's time"))
    dp = p["dateparser"]
    lines.append(
        row(
            "  dateparser (inside extract)",
            f"{dp['ms_per_record']:.2f} ms/r",
            f"{dp['share_of_pipeline']:.2%}",
            f"{dp['calls_per_record']:.2f} calls per record",
        )
    )
    for kind, f in d["pdf"].items():
        label = f"PDF, {kind} records ({f['files']} files), read_bytes"
        if "ratio_to_pdftotext" in f:
            lines.append(row(label, f"{f['recqual_read_bytes']:.1f} pages/s", f"{f['ratio_to_pdftotext']:.2f}", f"x pdftotext {f['pdftotext']:.0f} pages/s"))
        else:
            lines.append(row(label, f"{f['recqual_read_bytes']:.1f} pages/s", "", "(pdftotext not installed: apt-get install poppler-utils)"))
    for ext in ("docx", "pdf"):
        f = d["read_record"][ext]
        lines.append(
            row(
                f"read_record .{ext} ({d['read_record']['records']} records)",
                f"{f['records_per_s']:.1f} r/s",
                f"{f['ratio_to_text']:.3f}",
                "x the same records as .txt",
            )
        )
    ref = h["reference"]["median"]
    for label, key in (("1 client", "one_client"), (f"{h['clients']} clients", "n_clients")):
        words = f"/v1/check, {h['words']:,} words, {label}"
        lines.append(row(f"{words}, median", f"{h[key]['median'] * 1000:.0f} ms", f"{h[key]['median'] / ref:.2f}", f"x analyse() {ref * 1000:.0f} ms"))
        lines.append(row(f"{words}, p95", f"{h[key]['p95'] * 1000:.0f} ms"))
    rate = h["requests_per_s"]
    lines.append(
        row(f"/v1/check, {h['clients']} clients", f"{rate:.1f} r/s", f"{rate / h['reference_calls_per_s']:.2f}", f"x analyse() calls/s; {h['errors']} errors")
    )
    for workers in (1, 2):
        f = b[f"workers_{workers}"]
        lines.append(
            row(
                f"batch, {workers} worker(s), {b['files']} records",
                f"{f['records_per_s']:.1f} r/s",
                f"{f['ratio_to_in_process']:.2f}",
                "x analyse() in one process",
            )
        )
    lines.append(row("batch, 10,000 records (extrapolated)", f"{b['minutes_for_10000']:.1f} min"))
    secs = s["seconds"]
    heavy = f"x importing spaCy, sklearn, dateparser, pdfplumber, Flask: {secs['python_heavy_imports']:.2f} s"
    lines.append(row("recqual analyse, start-up", f"{secs['recqual_analyse']:.2f} s", f"{s['recqual_analyse_ratio_to_heavy_imports']:.2f}", heavy))
    worker = s["worker"]
    note = f"the worker {worker['own_mb']:.0f} MB, its document readers {worker['readers_mb']:.0f} MB"
    lines.append(row(f"a worker ({worker['records']} records), peak memory", f"{worker['peak_mb']:.0f} MB", "", note))
    lines += ["", "targets (issue 11):"]
    for name, t in r["targets"].items():
        lines.append(f"  {name:40}{t['measured']:>10}  target {t['target']:<6}{'met' if t['met'] else 'NOT met'}")
    m = r["machine"]
    lines.append(
        f"{m['cores']} cores; 1-minute load average {m['load_before']:.1f} before, {m['load_after']:.1f} after" + ("; SMOKE run" if m["smoke"] else "")
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--smoke", action="store_true", help="a few records, once: proves the benchmark runs (CI)")
    parser.add_argument("--repeats", type=int, default=3, help="runs per measurement; the median is reported (default 3)")
    parser.add_argument("--json", type=Path, help="also write every figure to this JSON file")
    args = parser.parse_args(argv)

    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        folder = batch_throughput.smoke_corpus(Path(tmp), 1) if args.smoke else CORPUS
        results = run(args.smoke, args.repeats, folder)
    results["targets"] = targets(results)
    results["machine"] = {
        "cores": os.cpu_count(),
        "load_before": load_before,
        "load_after": os.getloadavg()[0],
        "smoke": args.smoke,
        "repeats": 1 if args.smoke else args.repeats,
    }
    print(table(results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
