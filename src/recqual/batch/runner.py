"""A batch run: plan what needs scoring, hand files to the workers series by series, store each result as it comes back.

This process is the only writer. Each result is committed in its own transaction the moment it
arrives, so a run killed at any point keeps every result it stored and nothing half-written; the
next run skips what is stored (same bytes, same analyser version, same earlier reviews) and does
the rest.
"""

from __future__ import annotations

import hashlib
import queue
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from rich.console import Console
from sqlalchemy.exc import SQLAlchemyError

from recqual.batch import pools, progress, store, work
from recqual.batch.discover import RecordFile, discover
from recqual.batch.series import Series, link
from recqual.batch.version import analyser_version
from recqual.batch.work import Outcome, Task
from recqual.report import Report


class StoreError(Exception):
    """The database stopped accepting results; what was stored before stays stored."""


@dataclass
class SeriesRun:
    """One child's reviews (or one record on its own) still to go through the workers, step by step."""

    steps: list[list[Task]]
    index: int = 0
    waiting: int = 0
    returned: list[Outcome] = field(default_factory=list)


def content_hash(path: Path) -> str | None:
    """sha256 of the file's bytes; None when it cannot be read (the worker then records why)."""
    try:
        with path.open("rb") as fh:
            return hashlib.file_digest(fh, "sha256").hexdigest()
    except OSError:
        return None


def _context(earlier: str, record: RecordFile) -> str:
    return hashlib.sha256(f"{earlier}|{record.review_date or ''}".encode()).hexdigest()


def plan(all_series: list[Series], engine: Any, version: str, store_text: bool, rubric: dict[str, Any] | None) -> tuple[list[SeriesRun], int]:
    """The series that need work and how many files are already up to date.

    A file is up to date when it is stored without error from the same bytes, the same analyser
    version and the same earlier reviews. Once one review of a child needs scoring, every later one
    does too (it is compared with the one before); the earlier ones are analysed again, unstored,
    only to give it its previous review.
    """
    hashes = {r.path: content_hash(r.path) for s in all_series for step in s for r in step}
    stored = store.stored_keys(engine, [r.source for s in all_series for step in s for r in step])
    runs: list[SeriesRun] = []
    skipped = 0
    for series in all_series:
        chain = hashlib.sha256()
        steps: list[list[Task]] = []
        first_needed: int | None = None
        for k, step in enumerate(series):
            earlier = chain.hexdigest() if k else ""
            tasks = []
            for record in step:
                digest = hashes[record.path]
                context = _context(earlier, record)
                position = k + 1 if record.series else None
                tasks.append(Task(record, digest, context, version, store=True, store_text=store_text, rubric=rubric, position=position))
                if first_needed is None and (digest is None or stored.get(record.source) != (digest, version, context, True)):
                    first_needed = k
            for record in step:
                chain.update((hashes[record.path] or "unreadable").encode())
            steps.append(tasks)
        if first_needed is None:
            skipped += sum(len(step) for step in series)
            continue
        for step in steps[:first_needed]:
            skipped += len(step)
            for task in step:
                task.store = False
        runs.append(SeriesRun(steps))
    return runs, skipped


class Batch:
    """The scheduling and writing loop: series run in parallel, the reviews within one series in order."""

    def __init__(self, engine: Any, run_id: int, pool: pools.LocalPool | pools.DaskPool, summary: progress.Summary, bar: Any) -> None:
        self.engine, self.run_id, self.pool, self.summary, self.bar = engine, run_id, pool, summary, bar
        self.done: queue.Queue[Any] = queue.Queue()
        self.ready: deque[tuple[SeriesRun, Task]] = deque()
        self.in_flight: dict[Any, tuple[SeriesRun, Task]] = {}

    def run(self, series_runs: list[SeriesRun]) -> None:
        for sr in series_runs:
            self._queue_step(sr, None, front=False)
        limit = self.pool.workers * 2  # enough to keep every worker busy; the rest wait here, not in the pool
        while self.ready or self.in_flight:
            while self.ready and len(self.in_flight) < limit:
                sr, task = self.ready.popleft()
                self.in_flight[self.pool.submit(task, self.done.put)] = (sr, task)
            future = self.done.get()
            sr, task = self.in_flight.pop(future)
            try:
                outcome = future.result()
            except Exception as err:
                if not self.pool.lost(err):
                    raise
                if task.attempt < 2:
                    task.attempt += 1
                    self.ready.appendleft((sr, task))
                    continue
                outcome = work.failure(task, "the worker process stopped while analysing this file (twice)")
            self._returned(sr, outcome)

    def _queue_step(self, sr: SeriesRun, previous: Report | None, front: bool) -> None:
        tasks = sr.steps[sr.index]
        sr.waiting, sr.returned = len(tasks), []
        for task in reversed(tasks) if front else tasks:
            task.previous = previous
            # A series' next review goes ahead of new series, so that started children finish.
            (self.ready.appendleft if front else self.ready.append)((sr, task))

    def _returned(self, sr: SeriesRun, outcome: Outcome) -> None:
        if outcome.task.store:
            self._store(outcome)
        # Stored: only the report is still needed, and only if a later review will be compared with it.
        outcome.values, outcome.flags = {}, []
        if sr.index + 1 == len(sr.steps):
            outcome.report = None
        sr.returned.append(outcome)
        sr.waiting -= 1
        if sr.waiting == 0 and sr.index + 1 < len(sr.steps):
            order = [t.record.source for t in sr.steps[sr.index]]
            finished = sorted(sr.returned, key=lambda o: order.index(o.task.record.source))
            previous = next((o.report for o in finished if o.report is not None), None)
            sr.index += 1
            self._queue_step(sr, previous, front=True)

    def _store(self, outcome: Outcome) -> None:
        source = outcome.task.record.source
        try:
            store.save(self.engine, self.run_id, source, outcome.values, outcome.flags)
        except SQLAlchemyError as err:
            reason = f"cannot store results ({err.__class__.__name__}); every result stored before this one is kept"
            raise StoreError(f"{self.summary.database}: {reason}") from None
        if outcome.error is not None:
            self.summary.failures.append((source, outcome.error))
        else:
            self.summary.scored += 1
            self.summary.repeated += outcome.values["n_repeated"]
            if outcome.values["n_drift"]:
                self.summary.drifting.append((source, outcome.values["n_drift"], outcome.values["max_carried"]))
        self.bar.advance(self.bar.task_ids[0])


def run_batch(
    paths: list[Path],
    database: str,
    *,
    workers: int = 2,
    scheduler: str | None = None,
    manifest: Path | None = None,
    store_text: bool = False,
    rubric: dict[str, Any] | None = None,
    err: IO[str] | None = None,
) -> progress.Summary:
    """Score every record under `paths` (and in `manifest`) into `database`; raises InputError for bad arguments, StoreError if the database fails."""
    records = discover(paths, manifest)
    engine = store.connect(database, create=True)
    summary = progress.Summary(found=len(records), database=store.describe(database))
    try:
        version = analyser_version(rubric)
        series_runs, summary.skipped = plan(link(records), engine, version, store_text, rubric)
        todo = sum(1 for sr in series_runs for step in sr.steps for t in step if t.store)
        pool = pools.open_pool(workers, scheduler) if todo else None
        summary.pool = pool.description if pool else ""
        run_id = store.start_run(engine, version, pool.workers if pool else 0, scheduler or "local processes", len(records), summary.skipped)
        _run(engine, run_id, pool, series_runs, summary, progress.bar(todo, Console(file=err) if err else Console(stderr=True), visible=todo > 0))
    finally:
        engine.dispose()
    return summary


def _run(engine: Any, run_id: int, pool: pools.LocalPool | pools.DaskPool | None, series_runs: list[SeriesRun], summary: progress.Summary, bar: Any) -> None:
    started = time.perf_counter()
    completed = False
    try:
        with bar:
            if pool is not None:
                Batch(engine, run_id, pool, summary, bar).run(series_runs)
        store.finish_run(engine, run_id)
        completed = True
    except KeyboardInterrupt:
        summary.interrupted = True
    finally:
        if pool is not None:
            pool.close(cancel=not completed)
        summary.seconds = time.perf_counter() - started
