"""recqual batch: every record scored once into a real database, resumable after kill -9, series linked, bad files recorded."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from recqual.analyse import analyse
from recqual.batch.discover import discover, from_filename, read_manifest
from recqual.batch.runner import run_batch
from recqual.batch.series import link
from recqual.batch.store import check_integrity, connect
from recqual.cli import main
from recqual.ingest import InputError, read_record

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus/annotated/source"
SECRET = "Zebedee Quillfeather has a confidential sentence"  # fictional text that must never reach a terminal


def copy_children(dest: Path, children: list[str]) -> Path:
    """A small archive in the corpus's own layout: <child>/<child>-r<N>.txt (fictional records)."""
    for child in children:
        shutil.copytree(CORPUS / child, dest / child, ignore=shutil.ignore_patterns("*.json"))
    return dest


def rows(db: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchall()


@pytest.fixture
def archive(tmp_path):
    """Three children (c001 with three reviews, c002 and c003 with two), a record on its own, and three bad files."""
    root = copy_children(tmp_path / "archive", ["c001", "c002", "c003"])
    shutil.copy(ROOT / "examples/review-record.txt", root / "standalone minutes.txt")
    (root / "bad").mkdir()
    (root / "bad/empty.txt").write_text("   \n")
    (root / "bad/binary.txt").write_bytes(b"\x00\x01\x02" * 100 + SECRET.encode())
    (root / "bad/scan.pdf").write_bytes(b"%PDF-1.4\n\x00\xff\x00 " + SECRET.encode())
    (root / "notes.json").write_text("{}")  # not a record file: not discovered
    return root


def quiet(**kwargs):
    return {"err": io.StringIO(), **kwargs}


def test_the_filename_convention_names_the_child_and_review(tmp_path):
    r = from_filename(tmp_path / "c049" / "c049-r2.txt")
    assert (r.child, r.review_number) == ("c049", 2)
    assert from_filename(tmp_path / "Amira_Review_3.docx").review_number == 3
    assert from_filename(tmp_path / "minutes.pdf").series is None
    # The same child id in two folders is two children.
    assert from_filename(tmp_path / "a/c001-r1.txt").series != from_filename(tmp_path / "b/c001-r1.txt").series


def test_discovery_finds_txt_pdf_docx_and_orders_each_childs_reviews(archive):
    found = discover([archive])
    names = sorted(r.path.name for r in found)
    assert names == sorted(
        ["c001-r1.txt", "c001-r2.txt", "c001-r3.txt", "c002-r1.txt", "c002-r2.txt", "c003-r1.txt", "c003-r2.txt"]
        + ["standalone minutes.txt", "empty.txt", "binary.txt", "scan.pdf"]
    )
    series = link(found)
    assert [[f.path.name for f in step] for step in series[0]] == [["c001-r1.txt"], ["c001-r2.txt"], ["c001-r3.txt"]]
    with pytest.raises(InputError, match="no such file or folder"):
        discover([archive / "missing"])


def test_a_manifest_links_reviews_by_child_id_and_review_date(tmp_path):
    for name in ("first.txt", "second.txt", "third.txt"):
        (tmp_path / name).write_text("x")
    manifest = tmp_path / "manifest.csv"
    manifest.write_text(
        "path,child_id,review_date,iro,team\nthird.txt,K7,12/09/2025,Ann Lee,North\nfirst.txt,K7,2024-09-01,Ann Lee,North\nsecond.txt,K7,2025-03-01,Bo Ray,South\n"
    )
    records = read_manifest(manifest)
    assert {r.review_date for r in records} == {"2025-09-12", "2024-09-01", "2025-03-01"}
    assert [[r.path.name for r in step] for step in link(records)[0]] == [["first.txt"], ["second.txt"], ["third.txt"]]
    manifest.write_text("child_id,review_date\nK7,2024-01-01\n")
    with pytest.raises(InputError, match="no 'path' column"):
        read_manifest(manifest)
    manifest.write_text("path,review_date\nfirst.txt,31/02/2024\n")
    with pytest.raises(InputError, match="line 2: review date"):
        read_manifest(manifest)


def test_a_batch_scores_every_record_once_and_records_bad_files(archive, tmp_path):
    db = tmp_path / "results.db"
    summary = run_batch([archive], str(db), workers=2, **quiet())
    assert (summary.found, summary.scored, summary.failed, summary.skipped) == (11, 8, 3, 0)
    reasons = dict(summary.failures)
    assert "the file is empty" in reasons[str(archive / "bad/empty.txt")]
    assert all(SECRET not in r for r in reasons.values())
    assert rows(db, "select count(*), count(distinct source) from records") == [(11, 11)]
    assert rows(db, "select count(*) from records where error is null and score between 0 and 100 and grade is not null") == [(8,)]
    assert rows(db, "select count(*) from records where text is not null") == [(0,)]  # not asked to keep the text
    assert rows(db, "pragma journal_mode") == [("wal",)]
    assert rows(db, "select found, skipped, scored, failed, finished_at is not null from runs") == [(11, 0, 8, 3, 1)]
    assert check_integrity(connect(str(db))) == []


def test_each_review_is_compared_with_the_childs_previous_one(archive, tmp_path):
    db = tmp_path / "results.db"
    run_batch([archive], str(db), workers=2, **quiet())
    stored = {
        Path(s).name: (pos, prev and Path(prev).name, score, drift, carried)
        for s, pos, prev, score, drift, carried in rows(
            db, "select source, series_position, previous_source, score, n_drift, max_carried from records where error is null"
        )
    }
    assert stored["c001-r1.txt"][:2] == (1, None)
    assert stored["c001-r2.txt"][:2] == (2, "c001-r1.txt")
    assert stored["c001-r3.txt"][:2] == (3, "c001-r2.txt")
    assert stored["standalone minutes.txt"][:2] == (None, None)
    # The same chain by hand through the one analysis path gives the same score, and finds the drift.
    r1, r2, r3 = (archive / f"c001/c001-r{n}.txt" for n in (1, 2, 3))
    chained = analyse(read_record(r3), source=str(r3), previous=analyse(read_record(r2), source=str(r2), previous=analyse(read_record(r1), source=str(r1))))
    assert stored["c001-r3.txt"][2] == chained.score
    assert stored["c001-r3.txt"][3] == sum(1 for r in chained.recommendations if "drift" in r.flags) > 0
    assert stored["c001-r3.txt"][4] == 3


def test_a_rerun_skips_what_is_scored_and_rescores_what_changed(archive, tmp_path):
    db = tmp_path / "results.db"
    run_batch([archive], str(db), workers=2, **quiet())
    again = run_batch([archive], str(db), workers=2, **quiet())
    assert (again.scored, again.skipped) == (0, 8)  # failed files are tried again (a reader may have learnt their format)
    assert again.failed == 3
    # A changed first review changes what the later ones are compared with: all three are scored again.
    with (archive / "c001/c001-r1.txt").open("a") as fh:
        fh.write("\nAddendum: SW to book the dental check by 30/06/2025.\n")
    changed = run_batch([archive], str(db), workers=2, **quiet())
    assert (changed.scored, changed.skipped) == (3, 5)
    assert rows(db, "select count(*), count(distinct source) from records") == [(11, 11)]
    # A different rubric is a different analyser version: everything is scored again, still once per file.
    rubric = tmp_path / "rubric.yaml"
    rubric.write_text((ROOT / "src/recqual/score/rubric.yaml").read_text())
    assert main(["batch", str(archive), "--db", str(db), "--workers", "1", "--rubric", str(rubric)]) == 1
    assert rows(db, "select count(distinct version), count(*) from records") == [(1, 11)]
    assert check_integrity(connect(str(db))) == []


def test_store_text_keeps_the_record_text_only_when_asked(archive, tmp_path):
    db = tmp_path / "results.db"
    run_batch([archive / "c002"], str(db), workers=1, store_text=True, **quiet())
    [(source, text)] = rows(db, "select source, text from records where source like '%c002-r1.txt'")
    assert text == read_record(Path(source))


def test_the_command_prints_a_summary_and_progress_but_never_record_text(archive, tmp_path, capsys):
    db = tmp_path / "results.db"
    assert main(["batch", str(archive), "--db", str(db), "--workers", "2"]) == 1  # 1: some files failed
    out, err = capsys.readouterr()
    assert "11 files, 8 scored, 0 skipped (already scored), 3 failed" in out
    assert f"{archive / 'bad/binary.txt'}: looks like a binary file" in out
    assert "carried across up to 3 reviews" in out
    assert "11/11" in err and "records/s" in err  # the progress bar, on stderr
    assert SECRET not in out + err
    assert "Trace Callum" not in out + err  # a recommendation's words from the corpus
    assert main(["batch", str(archive), "--db", str(db)]) == 1
    assert "0 scored, 8 skipped" in capsys.readouterr().out


def test_bad_arguments_exit_2_with_a_clear_message(tmp_path, capsys):
    assert main(["batch", str(tmp_path / "nowhere"), "--db", str(tmp_path / "r.db")]) == 2
    assert "nowhere: no such file or folder" in capsys.readouterr().err
    assert main(["batch", str(tmp_path), "--db", str(tmp_path / "no/such/folder/r.db")]) == 2
    assert "does not exist" in capsys.readouterr().err
    assert main(["batch", str(tmp_path), "--db", "mysql+nodriver://x/y"]) == 2
    assert "not a database URL" in capsys.readouterr().err
    assert main(["batch", "--db", str(tmp_path / "r.db")]) == 2


def _descendants_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def test_a_batch_killed_with_sigkill_loses_nothing_and_a_rerun_finishes_it(tmp_path):
    children = [f"c{n:03d}" for n in range(1, 21)]
    archive = copy_children(tmp_path / "archive", children)
    total = len(list(archive.rglob("*.txt")))
    assert 40 <= total <= 60
    db = tmp_path / "results.db"
    command = [sys.executable, "-c", "import sys; from recqual.cli import main; sys.exit(main())", "batch", str(archive), "--db", str(db), "--workers", "2"]
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        stored = 0
        while stored < 8 and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.02)
            if db.exists():
                try:
                    stored = rows(db, "select count(*) from records")[0][0]
                except sqlite3.OperationalError:  # the tables are being created
                    stored = 0
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
        # The workers notice the batch is gone and leave by themselves.
        gone_by = time.monotonic() + 10
        while _descendants_alive(proc.pid) and time.monotonic() < gone_by:
            time.sleep(0.1)
        assert not _descendants_alive(proc.pid), "worker processes outlived the killed batch"
    finally:
        if _descendants_alive(proc.pid):
            os.killpg(proc.pid, signal.SIGKILL)
    assert rows(db, "pragma integrity_check") == [("ok",)]
    before = rows(db, "select count(*) from records")[0][0]
    assert 8 <= before < total, "the kill did not land mid-run"
    [(run_scored, finished)] = rows(db, "select scored, finished_at from runs")
    assert (run_scored, finished) == (before, None)  # the run's counts moved with each stored result

    summary = run_batch([archive], str(db), workers=2, **quiet())
    assert (summary.skipped, summary.scored, summary.failed) == (before, total - before, 0)
    assert rows(db, "select count(*), count(distinct source), count(distinct content_hash) from records") == [(total, total, total)]
    assert rows(db, "select run_id, count(*) from records group by run_id order by run_id") == [(1, before), (2, total - before)]
    assert check_integrity(connect(str(db))) == []
    # Every 3-review child's last review was compared with its second, whichever run scored it.
    assert rows(db, "select count(*) from records where series_position = 3 and previous_source not like '%-r2.txt'") == [(0,)]


def test_the_manifest_gives_iro_team_and_dates_to_the_stored_records(tmp_path):
    copy_children(tmp_path / "archive", ["c004"])
    manifest = tmp_path / "manifest.csv"
    with manifest.open("w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["path", "child_id", "review_date", "iro", "team"])
        writer.writerow(["archive/c004/c004-r2.txt", "K-104", "2025-06-02", "Iro Two", "West"])
        writer.writerow(["archive/c004/c004-r1.txt", "K-104", "2024-12-01", "Iro One", "East"])
    db = tmp_path / "results.db"
    summary = run_batch([], str(db), workers=1, manifest=manifest, **quiet())
    assert summary.scored == 2
    got = rows(db, "select child, review_date, review_month, iro, team, series_position from records order by review_date")
    assert got == [("K-104", "2024-12-01", "2024-12", "Iro One", "East", 1), ("K-104", "2025-06-02", "2025-06", "Iro Two", "West", 2)]


def test_the_throughput_benchmark_runs_in_smoke_mode(tmp_path):
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks/batch_throughput.py"), "--smoke", "--json", str(tmp_path / "b.json")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    [figures] = json.loads((tmp_path / "b.json").read_text())
    assert figures["files"] == 7 and figures["workers_2"]["scored"] == 7
    assert figures["workers_1"]["records_per_s"] > 0 and figures["minutes_for_10000"] > 0
    assert "10,000 in" in result.stdout


def test_a_worker_killed_mid_batch_is_replaced_and_its_record_scored(tmp_path):
    psutil = pytest.importorskip("psutil", reason="psutil comes with the test extras (Dask)")
    archive = copy_children(tmp_path / "archive", [f"c{n:03d}" for n in range(1, 9)])
    db = tmp_path / "results.db"
    command = [sys.executable, "-c", "import sys; from recqual.cli import main; sys.exit(main())", "batch", str(archive), "--db", str(db), "--workers", "2"]
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    killed = None
    deadline = time.monotonic() + 60
    while killed is None and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
        try:
            stored = rows(db, "select count(*) from records")[0][0] if db.exists() else 0
        except sqlite3.OperationalError:
            stored = 0
        if stored >= 3:
            # The analysing processes: forked by the forkserver, not the batch's own helpers.
            workers = [p for p in psutil.Process(proc.pid).children(recursive=True) if p.ppid() != proc.pid]
            if workers:
                killed = workers[0].pid
                os.kill(killed, signal.SIGKILL)
    out, _ = proc.communicate(timeout=60)
    assert killed is not None, "no worker was found to kill before the batch ended"
    assert proc.returncode == 0, out
    total = len(list(archive.rglob("*.txt")))
    assert f"{total} files, {total} scored, 0 skipped (already scored), 0 failed" in out
    assert rows(db, "select count(*), count(distinct source) from records where error is null") == [(total, total)]


def test_the_analyser_version_follows_the_models_the_analyser_loads(tmp_path):
    # A deployment that points RECQUAL_MODELS at retrained models must re-score its archive, so the
    # stored version has to digest that folder, not the checkout's models/.
    models = tmp_path / "models"
    shutil.copytree(ROOT / "models", models)
    probe = "from recqual.batch.version import analyser_version; print(analyser_version())"

    def version(folder: Path) -> str:
        env = {**os.environ, "RECQUAL_MODELS": str(folder)}
        return subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True).stdout.strip()

    before = version(models)
    (models / "training-report.json").write_text("{}\n")
    assert version(models) != before
