"""recqual batch --scheduler: the same batch on a Dask distributed cluster gives the same stored results as local processes."""

from __future__ import annotations

import io
import shutil
import sqlite3
from pathlib import Path

import pytest

from recqual.batch.runner import run_batch
from recqual.cli import main

distributed = pytest.importorskip("distributed", reason="Dask is installed with the test extras")
dask = pytest.importorskip("dask")

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def cluster():
    # Two workers as threads of this process: a real scheduler and real workers, started in about a second.
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) as local:
        yield local


def stored(db: Path) -> dict[str, tuple]:
    with sqlite3.connect(db) as conn:
        rows = conn.execute("select source, score, grade, previous_source, n_repeated, n_drift, error from records").fetchall()
    return {Path(r[0]).name: r[1:] for r in rows}


def test_a_dask_cluster_scores_the_batch_exactly_as_local_processes_do(tmp_path, cluster, capsys):
    archive = tmp_path / "archive"
    for child in ("c001", "c002", "c005"):
        shutil.copytree(ROOT / "corpus/annotated/source" / child, archive / child, ignore=shutil.ignore_patterns("*.json"))
    (archive / "empty.txt").write_text("")
    assert main(["batch", str(archive), "--db", str(tmp_path / "dask.db"), "--scheduler", cluster.scheduler_address]) == 1
    out = capsys.readouterr().out
    assert f"on Dask scheduler {cluster.scheduler_address} (2 worker threads)" in out
    assert "8 files, 7 scored, 0 skipped (already scored), 1 failed" in out
    run_batch([archive], str(tmp_path / "local.db"), workers=2, err=io.StringIO())
    on_dask = stored(tmp_path / "dask.db")
    assert on_dask == stored(tmp_path / "local.db")
    assert on_dask["c001-r3.txt"][3] > 0  # the series ran in order on the cluster: drift found at the third review
    again = run_batch([archive], str(tmp_path / "dask.db"), scheduler=cluster.scheduler_address, err=io.StringIO())
    assert (again.scored, again.skipped) == (0, 7)


def test_an_unreachable_scheduler_is_a_clear_error(tmp_path, capsys):
    (tmp_path / "r.txt").write_text("x")
    with dask.config.set({"distributed.comm.timeouts.connect": "1s"}):
        assert main(["batch", str(tmp_path), "--db", str(tmp_path / "r.db"), "--scheduler", "tcp://127.0.0.1:9"]) == 2
    assert "tcp://127.0.0.1:9: cannot reach the Dask scheduler" in capsys.readouterr().err
