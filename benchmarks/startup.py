"""Start-up time of `recqual analyse` and peak memory of a worker, each a fresh process measured from outside.

Start-up is the wall time of `recqual analyse examples/review-record.txt` (import, models, one small record),
beside two references run alternately with it: Python doing nothing, and Python importing the heavy
libraries recqual depends on all at once (what an eager import would cost). Peak memory is the peak
resident set of a process that analyses the records one after another as a batch worker does,
read from `os.wait4` (the process and the document readers it forks).
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "review-record.txt"
HEAVY_IMPORTS = "import spacy, sklearn, dateparser, pdfplumber, flask"
WORKER = """\
import sys
from recqual.analyse import analyse
from recqual.ingest import InputError, read_record
for path in sys.argv[1:]:
    try:
        analyse(read_record(path), source=path)
    except InputError:
        pass
"""


def recqual_command() -> list[str]:
    script = Path(sys.executable).parent / "recqual"
    return [str(script)] if script.exists() else [shutil.which("recqual") or "recqual"]


def run(command: list[str]) -> tuple[float, float]:
    """(wall seconds, peak resident MB) of one process run to its end."""
    with tempfile.TemporaryFile() as errors:  # a file, not a pipe: a chatty process cannot block on a full pipe
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=errors)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode not in (0, 1):  # 1: the record scored below --fail-under, still a run
            errors.seek(0)
            raise RuntimeError(f"{command[0]} exited with {process.returncode}: {errors.read().decode(errors='replace')[-500:]}")
    return seconds, usage.ru_maxrss / 1024  # Linux reports kilobytes


def measure(runs: int, worker_paths: list[Path]) -> dict:
    commands = {
        "python_nothing": [sys.executable, "-c", "pass"],
        "python_heavy_imports": [sys.executable, "-c", HEAVY_IMPORTS],
        "recqual_analyse": [*recqual_command(), "analyse", str(EXAMPLE)],
    }
    times: dict[str, list[float]] = {name: [] for name in commands}
    memory = 0.0
    for _ in range(runs):  # alternating, so that other load on the machine weighs on each alike
        for name, command in commands.items():
            seconds, peak = run(command)
            times[name].append(seconds)
            if name == "recqual_analyse":
                memory = max(memory, peak)
    medians = {name: statistics.median(t) for name, t in times.items()}
    worker_seconds, worker_peak = run([sys.executable, "-c", WORKER, *map(str, worker_paths)])
    return {
        "runs": runs,
        "seconds": medians,
        "recqual_analyse_ratio_to_heavy_imports": medians["recqual_analyse"] / medians["python_heavy_imports"],
        "recqual_analyse_peak_mb": memory,
        "worker": {"records": len(worker_paths), "seconds": worker_seconds, "peak_mb": worker_peak},
    }
