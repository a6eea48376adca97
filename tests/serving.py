"""`recqual serve` started as a user starts it, on a free port, for the tests that talk to it over HTTP."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


@dataclass
class Served:
    """A running `recqual serve`: its base URL and the lines it has logged so far (one per request)."""

    url: str
    log: list[str] = field(default_factory=list)

    def requests(self, method: str, path: str) -> int:
        """How many requests for `path` with `method` the server has logged."""
        return sum(f" {method} {path} " in line for line in self.log)


@contextmanager
def recqual_serve(settings: Mapping[str, str] | None = None) -> Iterator[Served]:
    """`recqual serve --port 0` with RECQUAL_* `settings` in its environment; stopped on the way out."""
    environment = {**os.environ, **(settings or {})}
    process = subprocess.Popen(
        [sys.executable, "-m", "recqual.cli", "serve", "--port", "0"], cwd=ROOT, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, env=environment
    )
    try:
        line = process.stderr.readline()
        found = re.search(r"(http://\S+?)/ ", line)
        assert found, f"recqual serve did not start: {line!r}"
        served = Served(found.group(1))
        # Keep reading the server's log, so that a full pipe never blocks it and tests can count requests.
        threading.Thread(target=lambda: served.log.extend(process.stderr), daemon=True).start()
        yield served
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
