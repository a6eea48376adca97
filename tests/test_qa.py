"""The manager's sample and report: reproducible, stratified, weighted when asked, and their numbers are the database's."""

from __future__ import annotations

import csv
import io
import shutil
import sqlite3
import statistics
from collections import Counter
from pathlib import Path

import pytest

from recqual.batch.runner import run_batch
from recqual.batch.store import connect
from recqual.cli import main
from recqual.qa.data import load
from recqual.qa.sample import allocate, draw

ROOT = Path(__file__).resolve().parents[1]
CHILDREN = [f"c{n:03d}" for n in range(21, 37)]  # 16 fictional children, 36 records, some with three reviews


@pytest.fixture(scope="module")
def scored_db(tmp_path_factory) -> Path:
    """A database a batch filled from part of the corpus, with IROs and teams from a manifest and one failed file."""
    base = tmp_path_factory.mktemp("qa")
    archive = base / "archive"
    for child in CHILDREN:
        shutil.copytree(ROOT / "corpus/annotated/source" / child, archive / child, ignore=shutil.ignore_patterns("*.json"))
    (archive / "broken.txt").write_bytes(b"")
    teams = ["North", "South", "East"]
    iros = ["Ann Lee", "Bo Ray", "Cy Moss", "Di Park"]
    with (base / "manifest.csv").open("w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["path", "iro", "team"])
        for n, path in enumerate(sorted(archive.rglob("c*.txt"))):
            writer.writerow([path, iros[n % 4], teams[n % 3] if n % 7 else ""])
    db = base / "results.db"
    summary = run_batch([archive], str(db), workers=2, manifest=base / "manifest.csv", err=io.StringIO())
    assert (summary.scored, summary.failed) == (36, 1)
    return db


def query(db: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchall()


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="") as fh:
        return list(csv.DictReader(fh))


def test_allocation_gives_every_stratum_one_then_shares_the_rest_in_proportion():
    assert allocate(10, {"a": 30, "b": 10}) == {"a": 8, "b": 2}
    assert allocate(3, {"a": 1, "b": 50, "c": 5}) == {"a": 1, "b": 1, "c": 1}
    assert allocate(2, {"a": 1, "b": 50, "c": 5}) == {"a": 0, "b": 1, "c": 1}  # too few to cover all: the largest first
    assert allocate(100, {"a": 3, "b": 4}) == {"a": 3, "b": 4}  # never more than a stratum holds


def test_the_same_seed_draws_the_same_sample_and_another_seed_another(scored_db, tmp_path, capsys):
    for out in ("one", "two"):
        assert main(["sample", "--db", str(scored_db), "--n", "10", "--seed", "42", "--out", str(tmp_path / out)]) == 0
    assert main(["sample", "--db", str(scored_db), "--n", "10", "--seed", "43", "--out", str(tmp_path / "three")]) == 0
    one, two, three = (read_csv(tmp_path / name / "sample.csv") for name in ("one", "two", "three"))
    assert len(one) == 10 and len({r["record_id"] for r in one}) == 10
    assert one == two
    assert {r["record_id"] for r in one} != {r["record_id"] for r in three}
    assert "sampled 10 of 36 scored records (seed 42)" in capsys.readouterr().out


def test_a_sample_without_a_seed_says_which_seed_it_used(scored_db, tmp_path, capsys):
    assert main(["sample", "--db", str(scored_db), "--n", "5", "--out", str(tmp_path / "s")]) == 0
    seed = capsys.readouterr().out.split("(seed ")[1].split(")")[0]
    assert f"--seed {seed}" in (tmp_path / "s/index.html").read_text()
    assert main(["sample", "--db", str(scored_db), "--n", "5", "--seed", seed, "--out", str(tmp_path / "again")]) == 0
    assert read_csv(tmp_path / "s/sample.csv") == read_csv(tmp_path / "again/sample.csv")


def test_a_stratified_sample_covers_every_iro_in_proportion(scored_db, tmp_path):
    assert main(["sample", "--db", str(scored_db), "--n", "8", "--by", "iro", "--seed", "1", "--out", str(tmp_path / "s")]) == 0
    sample = read_csv(tmp_path / "s/sample.csv")
    per_iro = Counter(r["iro"] for r in sample)
    stored = dict(query(scored_db, "select iro, count(*) from records where error is null group by iro"))
    assert set(per_iro) == set(stored)
    assert per_iro == allocate(8, stored)
    assert all(r["stratum"] == r["iro"] for r in sample)


def test_weighting_towards_low_scores_draws_lower_scoring_records(scored_db):
    records = load(connect(str(scored_db))).records
    plain = [draw(records, 8, None, seed, False)["score"].mean() for seed in range(20)]
    low = [draw(records, 8, None, seed, True)["score"].mean() for seed in range(20)]
    assert statistics.mean(low) < statistics.mean(plain) - 2


def test_the_sample_pack_has_a_readable_page_per_record(scored_db, tmp_path):
    out = tmp_path / "pack"
    assert main(["sample", "--db", str(scored_db), "--n", "6", "--by", "team", "--seed", "5", "--out", str(out)]) == 0
    sample = read_csv(out / "sample.csv")
    index = (out / "index.html").read_text()
    for row in sample:
        page = (out / row["report"]).read_text()
        [(score, grade, n_recs)] = query(scored_db, f"select score, grade, n_recommendations from records where id = {row['record_id']}")
        assert f'data-field="score">{score}<' in page and grade in page
        assert page.count("<tr>\n    <td>R") == n_recs  # every recommendation is listed
        assert f'href="{row["report"]}"' in index


def test_sample_and_report_refuse_a_missing_database(tmp_path, capsys):
    assert main(["sample", "--db", str(tmp_path / "none.db"), "--out", str(tmp_path / "s")]) == 2
    assert "no such database" in capsys.readouterr().err
    assert not (tmp_path / "none.db").exists()
    assert main(["report", "--db", str(tmp_path / "none.db"), "--out", str(tmp_path / "r")]) == 2


@pytest.fixture(scope="module")
def report_dir(scored_db, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("report")
    assert main(["report", "--db", str(scored_db), "--out", str(out), "--worst", "5"]) == 0
    return out


def test_the_report_csv_files_match_the_database(scored_db, report_dir):
    by_iro = {r["group"]: r for r in read_csv(report_dir / "by_iro.csv")}
    for iro, n, mean, repeated, recs in query(
        scored_db, "select iro, count(*), avg(score), sum(n_repeated), sum(n_recommendations) from records where error is null group by iro"
    ):
        assert int(by_iro[iro]["records"]) == n
        assert float(by_iro[iro]["mean"]) == round(mean, 1)
        assert float(by_iro[iro]["repeated_rate"]) == round(repeated / recs, 3)
        scores = [s for (s,) in query(scored_db, f"select score from records where error is null and iro = '{iro}'")]
        assert float(by_iro[iro]["median"]) == statistics.median(scores)
    flags = {r["code"]: int(r["flags"]) for r in read_csv(report_dir / "flags.csv")}
    assert flags == dict(query(scored_db, "select code, count(*) from record_flags f join records r on r.id = f.record_id where r.error is null group by code"))
    months = {r["group"] for r in read_csv(report_dir / "by_month.csv")}
    assert months == {m or "not known" for (m,) in query(scored_db, "select distinct review_month from records where error is null")}
    assert [r["source"] for r in read_csv(report_dir / "failed.csv")] == [s for (s,) in query(scored_db, "select source from records where error is not null")]
    assert (report_dir / "charts/flags.svg").read_text().startswith("<svg")


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")


@pytest.fixture(scope="module")
def browser():
    if not (CHROMIUM and CHROMEDRIVER):
        pytest.skip("headless Chromium is not installed (.ci/run installs Debian's chromium and chromium-driver)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,1000"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    yield driver
    driver.quit()


def test_the_report_renders_in_headless_chromium_with_its_charts_and_the_databases_numbers(scored_db, report_dir, browser):
    browser.get((report_dir / "index.html").as_uri())
    js = browser.execute_script
    # Self-contained: the page asked for nothing beyond its own file.
    assert js("return performance.getEntriesByType('resource').map(e => e.name)") == []
    # Every chart is drawn: a visible SVG with one visible bar per category in the table beside it.
    charts = js("return [...document.querySelectorAll('.chart svg')].map(s => [s.id, s.getBoundingClientRect().width, s.getBoundingClientRect().height])")
    assert {c[0] for c in charts} >= {"scores", "grades", "flags", "domains", "iro-mean", "iro-repeated", "team-mean", "month-mean"}
    assert all(w > 200 and h > 100 for _, w, h in charts)
    bars = js("return [...document.querySelectorAll('#flags g[id^=\"flags-bar-\"]')].filter(g => g.getBoundingClientRect().width > 0).length")
    assert bars == len(query(scored_db, "select distinct code from record_flags"))
    iro_bars = js("return document.querySelectorAll('#iro-mean g[id^=\"iro-mean-bar-\"]').length")
    assert iro_bars == len(query(scored_db, "select distinct iro from records where error is null"))
    # The numbers on the page are the database's.
    [(n, mean, failed)] = query(scored_db, "select sum(error is null), avg(case when error is null then score end), sum(error is not null) from records")
    assert js("return document.querySelector('#overview [data-field=records]').textContent") == str(n)
    assert float(js("return document.querySelector('#overview [data-field=mean]').textContent")) == round(mean, 1)
    assert js("return document.querySelector('#overview [data-field=failed]').textContent") == str(failed)
    for team, count in query(scored_db, "select coalesce(team, 'not known'), count(*) from records where error is null group by 1"):
        cell = js(f"return document.querySelector('#by-team tr[data-group=\"{team}\"] [data-field=records]').textContent")
        assert cell == str(count)
    for grade, count in query(scored_db, "select grade, count(*) from records where error is null group by grade"):
        assert js(f"return document.querySelector('#grades [data-grade=\"{grade}\"]').textContent") == str(count)
    # The worst records are the lowest scores, each linked to a page that shows that record's score.
    worst = js("return [...document.querySelectorAll('#worst tr[data-record]')].map(tr => [tr.dataset.record, tr.querySelector('a').href])")
    lowest = query(scored_db, "select id, score from records where error is null order by score, source limit 5")
    assert [int(i) for i, _ in worst] == [i for i, _ in lowest]
    for (record_id, href), (_, score) in zip(worst, lowest, strict=True):
        browser.get(href)
        assert js("return document.querySelector('[data-field=score]').textContent") == str(score), record_id
