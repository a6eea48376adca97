"""Run a document reader in a child process under a time and memory limit, so no file hangs or exhausts the caller.

PDF and Word parsing runs C code (pdfium, libxml2) that a Python-level timeout cannot interrupt,
so the reader runs in a forked child: on the deadline the child is killed, and its address space
is capped so a file that needs too much memory fails there, not in the caller. The child is
forked directly (not through multiprocessing) because forking is cheap, needs no pickling of
the reader, and works inside the daemonic worker processes a batch pool uses.
Where fork is unavailable (Windows) the reader runs in this process without the hard limits.
"""

from __future__ import annotations

import os
import pickle
import select
import signal
import time
from collections.abc import Callable
from pathlib import Path

from recqual.ingest.errors import InputError
from recqual.ingest.limits import Limits, megabytes

Reader = Callable[[bytes, str, Limits], str]


def run_isolated(reader: Reader, data: bytes, source: Path | str, limits: Limits) -> str:
    """`reader(data, source, limits)` in a child process; its text, or InputError (timeout, memory, crash, bad file)."""
    if not hasattr(os, "fork"):
        return _call(reader, data, str(source), limits)
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: read the file, send back the outcome, never return into the caller's code
        status = 0
        try:
            os.close(read_end)
            _cap_memory(limits.memory_bytes)
            _cap_cpu(limits.seconds)
            try:
                outcome = ("text", _call(reader, data, str(source), limits))
            except InputError as err:
                outcome = ("error", err.reason)
            except MemoryError:
                outcome = ("error", f"needs more memory to read than the limit of {megabytes(limits.memory_bytes)}")
            payload = pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)
            view = memoryview(len(payload).to_bytes(8, "big") + payload)
            while view:
                view = view[os.write(write_end, view) :]
        except BaseException:
            status = 1
        finally:
            os._exit(status)
    os.close(write_end)
    try:
        payload = _collect(read_end, pid, limits.seconds, source)
    finally:
        os.close(read_end)
    if not payload:
        raise InputError(source, "could not be read: the reader stopped (a damaged file, or one that needs more memory than allowed)")
    kind, value = pickle.loads(payload)
    if kind == "error":
        raise InputError(source, value)
    return value


def _call(reader: Reader, data: bytes, source: str, limits: Limits) -> str:
    try:
        return reader(data, source, limits)
    except (InputError, MemoryError):
        raise
    except RecursionError:
        raise InputError(source, "could not be read: its structure is nested too deeply") from None
    except Exception as err:  # a damaged file can fail anywhere inside a parser; say so, without its content
        raise InputError(source, f"could not be read: the file is damaged ({err.__class__.__name__})") from None


def _collect(fd: int, pid: int, seconds: float, source: Path | str) -> bytes:
    """The child's length-prefixed answer (empty if it died without one); kills it at the deadline."""
    deadline = time.monotonic() + seconds
    received = bytearray()
    try:
        # the length prefix tells when the answer is complete: EOF can come late when another
        # thread's child has inherited this pipe's write end
        while len(received) < 8 or len(received) < 8 + int.from_bytes(received[:8], "big"):
            left = deadline - time.monotonic()
            if left <= 0:
                raise InputError(source, f"took longer than {seconds:g} seconds to read and was stopped; the limit is {seconds:g} seconds")
            ready, _, _ = select.select([fd], [], [], left)
            if ready:
                chunk = os.read(fd, 1 << 20)
                if not chunk:
                    return b""
                received += chunk
        return bytes(received[8:])
    finally:
        _reap(pid)


def _reap(pid: int) -> None:
    """Make sure the child is gone: it exits as soon as it has answered; past that or its deadline it is killed."""
    try:
        for _ in range(50):
            if os.waitpid(pid, os.WNOHANG)[0]:
                return
            time.sleep(0.001)
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    except ChildProcessError:
        pass


def _cap_cpu(seconds: float) -> None:
    """Stop the child by itself once it has used its time in CPU: if the caller is killed first (a
    service worker over its own time limit), nobody is left to kill the child at the deadline."""
    try:
        import math
        import resource

        _, hard = resource.getrlimit(resource.RLIMIT_CPU)
        soft = math.ceil(seconds) + 1
        if hard != resource.RLIM_INFINITY:
            soft = min(soft, hard)
        resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))
    except (ImportError, OSError, ValueError):
        pass  # no rlimits on this platform: the caller's deadline still applies


def _cap_memory(budget: int) -> None:
    """Cap the child's address space at what it has already mapped (copied from the caller) plus `budget`."""
    try:
        import resource

        with open("/proc/self/statm") as f:
            mapped = int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        limit = mapped + budget
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ImportError, OSError, ValueError):
        pass  # no /proc (macOS) or no rlimits: the time limit still applies
