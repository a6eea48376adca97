"""Latency and throughput of POST /v1/check against `recqual serve` (waitress), beside `analyse()` in this process.

    python benchmarks/http_check.py             # 200 one-at-a-time requests, then 400 from 8 concurrent clients
    python benchmarks/http_check.py --smoke     # 10 and 40: a few seconds, checks the benchmark works
    python benchmarks/http_check.py --sequential 500 --concurrent 800 --clients 8

The record is a fictional ~2,000-word review: the longest corpus record with discussion
paragraphs from the same child's other review added before its recommendations until it
reaches --words. The server is started as a user starts it (`recqual serve --port 0`, default
settings: two analysis workers) on loopback, and every request is a JSON check of that record.

Figures, all measured in the same run:
- reference: `analyse()` on the same text in this process, one call at a time (median, p95);
- one client: the HTTP round trip, one request at a time over a kept-alive connection,
  alternating with the reference calls so that other load on the machine weighs on both alike;
- N clients: requests/s with N threads each on its own connection, a fixed number of
  requests in all, and the latency each saw; every answer must be 200 with the record's score.
Ratios: latency against the reference median, throughput against the reference's calls/s
measured just before and after the concurrent phase. On an otherwise idle 2-core machine the
two workers can approach 2x; the load average printed at the end says how idle it was.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

from recqual.analyse import analyse

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "corpus" / "annotated" / "source"


def long_record(words: int) -> str:
    """A fictional record of at least `words` words, built from corpus records of one child."""
    records = sorted(SOURCES.glob("*/*.txt"), key=lambda p: len(p.read_text(encoding="utf-8").split()), reverse=True)
    base_path = records[0]
    text = base_path.read_text(encoding="utf-8")
    recommendations = next(s for s in analyse(text).sections if s["kind"] == "recommendations")
    heading_at = text.rfind(recommendations["heading"], 0, recommendations["span"][0] + 1)
    insert_at = text.rfind("\n", 0, heading_at) + 1
    extra: list[str] = []
    for donor in sorted(p for p in base_path.parent.glob("*.txt") if p != base_path):
        donor_text = donor.read_text(encoding="utf-8")
        for section in analyse(donor_text).sections[1:]:  # the first is the front sheet
            if section["kind"] in ("views", "domain"):
                extra.append(section["heading"] + "\n" + donor_text[section["span"][0] : section["span"][1]].strip() + "\n\n")
    added = ""
    for paragraph in extra:
        if len((text[:insert_at] + added + text[insert_at:]).split()) >= words:
            break
        added += paragraph
    return text[:insert_at] + added + text[insert_at:]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def start_server() -> tuple[subprocess.Popen, str, int]:
    process = subprocess.Popen([sys.executable, "-m", "recqual.cli", "serve", "--port", "0"], cwd=ROOT, stderr=subprocess.PIPE, text=True)
    line = process.stderr.readline()
    found = re.search(r"http://([\d.]+):(\d+)/ ", line)
    if not found:
        process.kill()
        raise SystemExit(f"recqual serve did not start: {line!r}")
    threading.Thread(target=process.stderr.read, daemon=True).start()  # drain the request log
    return process, found.group(1), int(found.group(2))


class Client:
    """One kept-alive connection posting the same check."""

    def __init__(self, host: str, port: int, body: bytes, score: int) -> None:
        self.connection = http.client.HTTPConnection(host, port, timeout=60)
        self.body, self.score = body, score

    def check(self) -> tuple[float, bool]:
        started = time.perf_counter()
        try:
            self.connection.request("POST", "/v1/check", body=self.body, headers={"Content-Type": "application/json"})
            response = self.connection.getresponse()
            payload = response.read()
            ok = response.status == 200 and json.loads(payload)["score"] == self.score
        except (OSError, http.client.HTTPException, ValueError):
            self.connection.close()
            ok = False
        return time.perf_counter() - started, ok


def timed_analyse(text: str) -> float:
    started = time.perf_counter()
    analyse(text)
    return time.perf_counter() - started


def concurrent(host: str, port: int, body: bytes, score: int, clients: int, total: int) -> tuple[float, list[float], int]:
    """(wall seconds, latencies, errors) for `total` requests shared by `clients` threads."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    barrier = threading.Barrier(clients + 1)

    def run(n: int) -> None:
        nonlocal errors
        client = Client(host, port, body, score)
        barrier.wait()
        for _ in range(n):
            seconds, ok = client.check()
            with lock:
                latencies.append(seconds)
                errors += not ok

    shares = [total // clients + (i < total % clients) for i in range(clients)]
    threads = [threading.Thread(target=run, args=(n,)) for n in shares]
    for t in threads:
        t.start()
    barrier.wait()
    started = time.perf_counter()
    for t in threads:
        t.join()
    return time.perf_counter() - started, latencies, errors


def measure(sequential: int, total: int, clients: int, words: int) -> dict:
    """Every figure of one run, in seconds and requests/s (see the module's docstring)."""
    text = long_record(words)
    score = analyse(text).score
    body = json.dumps({"text": text}).encode("utf-8")
    process, host, port = start_server()
    try:
        one = Client(host, port, body, score)
        for _ in range(5):  # workers warm, connection open
            one.check()
        # The reference and the HTTP requests alternate, so that other load on the machine
        # (it is shared) weighs on both alike.
        ref, timed = [], []
        for _ in range(sequential):
            ref.append(timed_analyse(text))
            timed.append(one.check())
        single = [s for s, _ in timed]
        errors = sum(not ok for _, ok in timed)
        # The throughput reference brackets the concurrent phase, for the same reason.
        around = [timed_analyse(text) for _ in range(max(5, sequential // 10))]
        wall, loaded, load_errors = concurrent(host, port, body, score, clients, total)
        around += [timed_analyse(text) for _ in range(max(5, sequential // 10))]
    finally:
        process.terminate()
        process.wait(timeout=10)
    return {
        "words": len(text.split()),
        "characters": len(text),
        "score": score,
        "sequential": sequential,
        "concurrent": total,
        "clients": clients,
        "reference": {"median": statistics.median(ref), "p95": percentile(ref, 0.95)},
        "one_client": {"median": statistics.median(single), "p95": percentile(single, 0.95)},
        "n_clients": {"median": statistics.median(loaded), "p95": percentile(loaded, 0.95)},
        "requests_per_s": total / wall,
        "reference_calls_per_s": 1 / statistics.median(around),
        "errors": errors + load_errors,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sequential", type=int, default=200, help="one-at-a-time requests (default 200)")
    parser.add_argument("--concurrent", type=int, default=400, help="requests shared by the concurrent clients (default 400)")
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients (default 8)")
    parser.add_argument("--words", type=int, default=2000, help="size of the record in words (default 2000)")
    parser.add_argument("--smoke", action="store_true", help="10 and 40 requests: checks the benchmark works in a few seconds")
    args = parser.parse_args(argv)
    sequential, total = (10, 40) if args.smoke else (args.sequential, args.concurrent)

    r = measure(sequential, total, args.clients, args.words)
    ref_median = r["reference"]["median"]
    print(f"record: {r['words']:,} words, {r['characters']:,} characters, score {r['score']}; {sequential} sequential, {total} from {args.clients} clients")
    print(f"{'':34}{'median ms':>10}{'p95 ms':>9}{'x ref median':>14}")
    for label, key in (("reference: analyse() in-process", "reference"), ("HTTP, one client", "one_client"), (f"HTTP, {args.clients} clients", "n_clients")):
        print(f"{label:34}{r[key]['median'] * 1000:10.1f}{r[key]['p95'] * 1000:9.1f}{r[key]['median'] / ref_median:14.2f}")
    rate, ref_rate = r["requests_per_s"], r["reference_calls_per_s"]
    print(
        f"throughput, {args.clients} clients: {rate:.1f} requests/s = {rate / ref_rate:.2f} x the reference's {ref_rate:.1f} analyse() calls/s (one at a time, just before and after)"
    )
    print(f"errors: {r['errors']} of {sequential + total} requests; load average now {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    return 1 if r["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
