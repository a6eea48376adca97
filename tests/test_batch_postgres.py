"""recqual batch, sample and report against a real PostgreSQL server (.ci/run starts one and sets RECQUAL_TEST_POSTGRES_URL)."""

from __future__ import annotations

import csv
import io
import os
import shutil
from pathlib import Path

import pytest
from sqlalchemy import text

from recqual.batch.runner import run_batch
from recqual.batch.store import check_integrity, connect, metadata
from recqual.cli import main

URL = os.environ.get("RECQUAL_TEST_POSTGRES_URL")
pytestmark = pytest.mark.skipif(not URL, reason="RECQUAL_TEST_POSTGRES_URL is not set: .ci/run starts a PostgreSQL server and sets it")

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def postgres() -> str:
    engine = connect(URL, create=True)
    metadata.drop_all(engine)  # a clean database for each test
    engine.dispose()
    return URL


def test_a_batch_into_postgresql_stores_each_record_once_and_resumes(postgres, tmp_path, capsys):
    archive = tmp_path / "archive"
    for child in ("c001", "c002", "c006"):
        shutil.copytree(ROOT / "corpus/annotated/source" / child, archive / child, ignore=shutil.ignore_patterns("*.json"))
    (archive / "blank.txt").write_text("\n")
    assert main(["batch", str(archive), "--db", postgres, "--workers", "2", "--store-text"]) == 1
    assert "8 files, 7 scored, 0 skipped (already scored), 1 failed" in capsys.readouterr().out
    engine = connect(postgres)
    with engine.connect() as conn:
        assert conn.execute(text("select count(*), count(distinct source) from records")).one() == (8, 8)
        # JSON columns are real JSON in PostgreSQL: queryable per recommendation.
        repeated = conn.execute(text("select count(*) from records, jsonb_array_elements(recommendations) r where r->'flags' ? 'repeated_action'")).scalar_one()
        assert repeated == conn.execute(text("select sum(n_repeated) from records")).scalar_one() > 0
        [(source, stored_text)] = conn.execute(text("select source, text from records where source like '%c002-r2.txt'")).all()
        assert stored_text == Path(source).read_text(encoding="utf-8")
        chain = conn.execute(text("select series_position, previous_source from records where child = 'c001' order by series_position")).all()
        assert [(p, prev and Path(prev).name) for p, prev in chain] == [(1, None), (2, "c001-r1.txt"), (3, "c001-r2.txt")]
    again = run_batch([archive], postgres, workers=2, err=io.StringIO())
    assert (again.scored, again.skipped, again.failed) == (0, 7, 1)
    assert check_integrity(engine) == []
    engine.dispose()


def test_sample_and_report_read_from_postgresql(postgres, tmp_path):
    archive = tmp_path / "archive"
    for child in ("c003", "c004", "c007", "c008"):
        shutil.copytree(ROOT / "corpus/annotated/source" / child, archive / child, ignore=shutil.ignore_patterns("*.json"))
    run_batch([archive], postgres, workers=2, err=io.StringIO())
    assert main(["sample", "--db", postgres, "--n", "4", "--by", "month", "--seed", "3", "--out", str(tmp_path / "s")]) == 0
    with (tmp_path / "s/sample.csv").open() as fh:
        assert len(list(csv.DictReader(fh))) == 4
    assert main(["report", "--db", postgres, "--out", str(tmp_path / "r")]) == 0
    engine = connect(postgres)
    with engine.connect() as conn:
        expected = dict(conn.execute(text("select coalesce(iro, 'not known'), count(*) from records where error is null group by 1")).all())
    engine.dispose()
    with (tmp_path / "r/by_iro.csv").open() as fh:
        assert {r["group"]: int(r["records"]) for r in csv.DictReader(fh)} == expected
