"""The PDF reading benchmark runs (its --smoke mode); the figures themselves are for reading, not asserting."""

from __future__ import annotations

import runpy


def test_the_pdf_benchmark_smoke_run_reports_pages_per_second(root, capsys):
    benchmark = runpy.run_path(str(root / "benchmarks" / "pdf_reading.py"))
    results = benchmark["main"](["--smoke"])
    assert results["recqual in-process"] > 0 and results["recqual read_bytes"] > 0
    assert "pages/s" in capsys.readouterr().out
