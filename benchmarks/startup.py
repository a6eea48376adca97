"""Start-up time of `recqual analyse` and peak memory of a worker, each a fresh process measured from outside.

Start-up is the wall time of `recqual analyse examples/review-record.txt` (import, models, one small record),
beside two references run alternately with it: Python doing nothing, and Python importing the heavy
libraries recqual depends on all at once (what an eager import would cost). Peak memory is the peak
resident set (VmHWM) of a process that analyses the records one after another as a batch worker does,
and of the document readers it forks. It is read inside the process, not from rusage: Linux carries a
parent's peak into a child started by fork and exec, and this benchmark's own process is large.
"""

from __future__ import annotations

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
import re, resource, sys
from pathlib import Path
from recqual.analyse import analyse
from recqual.ingest import InputError, read_record
for path in sys.argv[1:]:
    try:
        analyse(read_record(path), source=path)
    except InputError:
        pass
own = int(re.search(r"VmHWM:\\s+(\\d+)", Path("/proc/self/status").read_text())[1])
readers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(own / 1024, readers / 1024)
"""


def recqual_command() -> list[str]:
    script = Path(sys.executable).parent / "recqual"
    return [str(script)] if script.exists() else [shutil.which("recqual") or "recqual"]


def run(command: list[str]) -> tuple[float, str]:
    """(wall seconds, what it printed) of one process run to its end."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as errors:  # files, not pipes: no process blocks on a full pipe
        started = time.perf_counter()
        code = subprocess.call(command, cwd=ROOT, stdout=out, stderr=errors)
        seconds = time.perf_counter() - started
        if code not in (0, 1):  # 1: the record scored below --fail-under, still a run
            errors.seek(0)
            raise RuntimeError(f"{command[0]} exited with {code}: {errors.read().decode(errors='replace')[-500:]}")
        out.seek(0)
        return seconds, out.read().decode()


def measure(runs: int, worker_paths: list[Path]) -> dict:
    commands = {
        "python_nothing": [sys.executable, "-c", "pass"],
        "python_heavy_imports": [sys.executable, "-c", HEAVY_IMPORTS],
        "recqual_analyse": [*recqual_command(), "analyse", str(EXAMPLE)],
    }
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):  # alternating, so that other load on the machine weighs on each alike
        for name, command in commands.items():
            times[name].append(run(command)[0])
    medians = {name: statistics.median(t) for name, t in times.items()}
    worker_seconds, printed = run([sys.executable, "-c", WORKER, *map(str, worker_paths)])
    own, readers = map(float, printed.split())
    return {
        "runs": runs,
        "seconds": medians,
        "recqual_analyse_ratio_to_heavy_imports": medians["recqual_analyse"] / medians["python_heavy_imports"],
        "worker": {"records": len(worker_paths), "seconds": worker_seconds, "peak_mb": max(own, readers), "own_mb": own, "readers_mb": readers},
    }
