"""The performance benchmark (benchmarks/run.py): its smoke run writes every section, and timing analyse() leaves it unchanged.
The figures themselves are for reading, not asserting: speed is measured by the benchmark, never by a timed test."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from recqual import analyse as analyse_module

ROOT = Path(__file__).resolve().parents[1]


SECTIONS = {"pipeline", "documents", "http", "batch", "startup", "targets", "machine"}
TARGETS = {"http_median_ms", "http_p95_ms", "batch_2_workers_records_per_s", "pdf_tables_pages_per_s", "startup_s", "worker_peak_mb"}


@pytest.fixture
def pipeline(monkeypatch):
    monkeypatch.syspath_prepend(str(ROOT / "benchmarks"))
    import pipeline

    return pipeline


def test_timing_the_stages_changes_no_report_and_puts_every_function_back(pipeline):
    paths = sorted((ROOT / "corpus/annotated/source/c001").glob("*.txt"))
    before = {name: getattr(owner, name) for owner, name, _ in pipeline.TIMED}
    plain = [analyse_module.analyse(p.read_text(encoding="utf-8")).to_dict() for p in paths]
    with pipeline.stage_clock() as clock:
        timed = [analyse_module.analyse(p.read_text(encoding="utf-8")).to_dict() for p in paths]
    assert timed == plain
    assert {name: getattr(owner, name) for owner, name, _ in pipeline.TIMED} == before
    assert {"segment", "extract", "nlp", "checks", "score"} <= set(clock.seconds)
    assert clock.calls["segment"] == 5 * len(paths)  # lines, sections, header, people, items


def test_a_nested_stage_is_charged_only_its_own_time(pipeline):
    clock = pipeline.StageClock()
    ticks = iter(range(0, 100, 10))
    original = pipeline.time.perf_counter
    pipeline.time.perf_counter = lambda: next(ticks)  # 0 outer starts, 10 inner starts, 20 inner ends, 30 outer ends
    try:
        clock.timed("outer", clock.timed("inner", lambda: None))()
    finally:
        pipeline.time.perf_counter = original
    assert clock.seconds == {"outer": 10 + 10, "inner": 10}


def test_the_benchmark_smoke_run_prints_the_table_and_writes_every_section(tmp_path):
    out = tmp_path / "bench.json"
    result = subprocess.run([sys.executable, str(ROOT / "benchmarks/run.py"), "--smoke", "--json", str(out)], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    figures = json.loads(out.read_text())
    assert set(figures) >= SECTIONS
    pipe = figures["pipeline"]
    assert pipe["ceiling_tokenizer_words_per_s"] > 0 and pipe["pipeline"]["ratio_to_ceiling"] > 0
    assert set(pipe["stages"]) == {"ingest", "segment", "extract", "nlp", "follow", "checks", "score", "rest"}
    assert abs(sum(s["share"] for s in pipe["stages"].values()) - 1) < 1e-6
    assert {"calls_per_record", "ms_per_record"} <= set(pipe["dateparser"])
    assert {"text", "tables"} <= set(figures["documents"]["pdf"]) and figures["documents"]["read_record"]["docx"]["records_per_s"] > 0
    assert figures["http"]["errors"] == 0 and figures["http"]["one_client"]["p95"] > 0
    assert figures["batch"]["workers_2"]["scored"] == figures["batch"]["files"] == pipe["records"]
    assert figures["startup"]["seconds"]["recqual_analyse"] > 0 and figures["startup"]["worker"]["peak_mb"] > 50
    assert set(figures["targets"]) == TARGETS and all(isinstance(t["met"], bool) for t in figures["targets"].values())
    assert "x the tokenizer" in result.stdout and "targets (issue 11):" in result.stdout
