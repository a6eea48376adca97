"""Where the analysis runs: this machine's processes (the default) or a Dask distributed cluster; both hand back futures."""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from recqual.batch import work
from recqual.ingest import InputError

Callback = Callable[[Any], None]


def _watch_parent(batch_pid: int) -> None:
    """Worker start-up: leave when the batch's process is gone (killed with -9, nobody is left to send work)."""
    work.ignore_interrupt()
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent and _alive(batch_pid):
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="recqual-parent-watch", daemon=True).start()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class LocalPool:
    """A pool of worker processes on this machine."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self.description = f"{workers} local process{'es' if workers != 1 else ''}"
        methods = multiprocessing.get_all_start_methods()
        # forkserver: workers start from a clean process that has already imported the analyser,
        # not from a copy of this one with its progress-bar thread and open database connections.
        self._context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
        if "forkserver" in methods:
            self._context.set_forkserver_preload(["recqual.batch.work"])
        self._executor = self._start()

    def _start(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(self.workers, mp_context=self._context, initializer=_watch_parent, initargs=(os.getpid(),))

    def submit(self, task: work.Task, callback: Callback) -> Future:
        try:
            future = self._executor.submit(work.score, task)
        except BrokenProcessPool:
            # A worker died (killed, out of memory, a crash in a reader): replace the pool; the lost tasks are resubmitted.
            self._executor.shutdown(wait=False)
            self._executor = self._start()
            future = self._executor.submit(work.score, task)
        future.add_done_callback(callback)
        return future

    @staticmethod
    def lost(error: BaseException) -> bool:
        """Whether `error` means the worker died under the task (rather than a bug in this program)."""
        return isinstance(error, BrokenProcessPool)

    def close(self, cancel: bool = False) -> None:
        self._executor.shutdown(wait=not cancel, cancel_futures=cancel)


class DaskPool:
    """The workers of a Dask distributed cluster; they must see the files at the same paths (a shared filesystem)."""

    def __init__(self, address: str) -> None:
        try:
            from distributed import Client
        except ImportError:
            raise InputError(address, "running on a Dask cluster needs Dask: pip install 'recqual[dask]'") from None
        try:
            # How long to try is Dask's own setting (distributed.comm.timeouts.connect), like every Dask client.
            self._client = Client(address, set_as_default=False)
        except (OSError, TimeoutError) as err:
            raise InputError(address, f"cannot reach the Dask scheduler ({err.__class__.__name__})") from None
        self.workers = max(1, sum(w.get("nthreads", 1) for w in self._client.scheduler_info().get("workers", {}).values()))
        self.description = f"Dask scheduler {address} ({self.workers} worker thread{'s' if self.workers != 1 else ''})"

    def submit(self, task: work.Task, callback: Callback) -> Any:
        future = self._client.submit(work.score, task, pure=False)
        future.add_done_callback(callback)
        return future

    @staticmethod
    def lost(error: BaseException) -> bool:
        from distributed import KilledWorker

        return isinstance(error, KilledWorker | OSError)

    def close(self, cancel: bool = False) -> None:
        self._client.close()


def open_pool(workers: int, scheduler: str | None) -> LocalPool | DaskPool:
    return DaskPool(scheduler) if scheduler else LocalPool(workers)
