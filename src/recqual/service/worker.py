"""Checks run in a pool of worker processes: each loads the pipeline once and serves many requests.

A process, unlike a thread, can be stopped: a check that overruns the time limit (a huge record,
a pathological PDF) is killed and its worker replaced, so one bad request cannot keep a CPU busy.
Two processes also use both cores, which threads under the GIL cannot.
"""

from __future__ import annotations

import atexit
import multiprocessing
import threading
from concurrent.futures import BrokenExecutor
from dataclasses import dataclass
from typing import Any

from pebble import ProcessExpired, ProcessPool

from recqual.analyse import analyse
from recqual.ingest import InputError, preload_readers, read_bytes
from recqual.nlp import models
from recqual.service.errors import describe
from recqual.service.matches import matches

# This module is the fork server's preload: loading the models here, once, means a replaced
# worker starts with them in memory instead of spending a second reading them back.
models.preload()
preload_readers()

# A fictional two-line record, analysed once in each worker so that every vocabulary file,
# compiled pattern and cache is ready before the first real request.
WARM_UP = "Date of review: 14/03/2025\nRecommendations\n1. Social worker to hold the PEP meeting by 30/04/2025.\n2. Monitor contact asap.\n"


@dataclass(frozen=True)
class Record:
    """A record as sent: pasted text, or an upload's bytes (decoded in the worker, under the time limit)."""

    content: str | bytes
    source: str


@dataclass(frozen=True)
class Job:
    record: Record
    previous: tuple[Record, ...] = ()  # earlier reviews of the child, oldest first
    review_date: str | None = None


class CheckTimeout(Exception):
    """The check did not finish within the time limit and was stopped."""


class Unavailable(Exception):
    """No worker could run the check (the pool is closed, or a worker died)."""


class CheckFailed(Exception):
    """The analysis raised; the message gives the exception's type and place, never its text."""


def run(job: Job) -> dict[str, Any]:
    """Runs in a worker: the report-v1 object with its matches, or what went wrong without any of the record's text."""
    try:
        previous = None
        for earlier in job.previous:  # each review is compared with the one before it, as the CLI does
            previous = analyse(_text(earlier), source=earlier.source, previous=previous)
        report = analyse(_text(job.record), source=job.record.source, review_date=job.review_date, previous=previous).to_dict()
    except InputError as err:
        return {"input_error": (err.source, err.reason)}
    except Exception as err:  # noqa: BLE001 - reported as its type and place; the message may quote the record
        return {"failure": describe(err)}
    report["matches"] = matches(report)
    return {"report": report}


def _text(record: Record) -> str:
    return read_bytes(record.content, record.source) if isinstance(record.content, bytes) else record.content


def _warm_up() -> None:
    analyse(WARM_UP, source="warm-up")


def _context() -> Any:
    # Forking a threaded server is unsafe; a fork server is a clean single-threaded parent
    # that has already imported the pipeline, so replacing a worker takes milliseconds.
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload([__name__])
        return context
    return multiprocessing.get_context("spawn")


class CheckPool:
    """The worker processes of one app, started on first use (or by `start`) and shared by all its requests."""

    def __init__(self, workers: int, timeout: float) -> None:
        self.workers = workers
        self.timeout = timeout
        self._pool: ProcessPool | None = None
        self._lock = threading.Lock()
        self._closed = False
        self._registered = False

    def start(self) -> None:
        self._running()

    def _running(self) -> ProcessPool:
        """The pool, started now if it is not running (or has broken, say after a worker failed to start)."""
        with self._lock:
            if self._closed:
                raise Unavailable("the analysis workers have been shut down")
            if self._pool is not None and not self._pool.active:
                self._pool.stop()
                self._pool = None
            if self._pool is None:
                self._pool = ProcessPool(max_workers=self.workers, initializer=_warm_up, context=_context())
                if not self._registered:
                    atexit.register(self.close)
                    self._registered = True
            return self._pool

    def check(self, job: Job) -> dict[str, Any]:
        """The worker's answer for `job`; raises CheckTimeout, Unavailable or CheckFailed, or InputError for an unreadable record."""
        pool = self._running()
        try:
            future = pool.schedule(run, args=(job,), timeout=self.timeout)
        except RuntimeError as err:  # stopped between the two lines
            raise Unavailable("the analysis workers are not running") from err
        try:
            outcome = future.result(timeout=self.timeout)
        except TimeoutError:
            future.cancel()  # stops the worker if it is still running; pebble starts a fresh one
            raise CheckTimeout(self.timeout) from None
        except (ProcessExpired, BrokenExecutor) as err:
            raise Unavailable(f"an analysis worker stopped unexpectedly ({type(err).__name__})") from None
        if "input_error" in outcome:
            raise InputError(*outcome["input_error"])
        if "failure" in outcome:
            raise CheckFailed(outcome["failure"])
        return outcome["report"]

    def close(self) -> None:
        with self._lock:
            self._closed = True
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.stop()
            pool.join()
