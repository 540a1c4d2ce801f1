"""Spread a pure, per-item job over the machine's cores, results in input order.

Parsing entries, rendering bodies and rendering pages map a function over
thousands of independent items. `ordered_map` runs them in chunks on a
`concurrent.futures.ProcessPoolExecutor` that lives for one stage of one
`build()` call. Workers are forked, so they inherit the model, the
configuration and the Jinja environment instead of receiving them pickled;
only the chunks' results travel back, streamed in order to the caller (the
writer), at most a few chunks ahead. Where fork is not available, threads are
running, or the work is small, everything runs in this process: the output is
the same bytes either way.

Workers reset SIGINT and SIGTERM to their defaults as they start: a handler
installed by the command (the preview stops on SIGTERM by raising
`KeyboardInterrupt`) must not run in a worker, where it would print stray
tracebacks or swallow the signal the pool uses to stop it.
"""

from __future__ import annotations

import ctypes
import gc
import multiprocessing
import os
import signal
import threading
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

# below this many items a worker pool costs more than it saves
MIN_ITEMS = 400
CHUNK = 64
AHEAD = 3  # chunks in flight per worker: bounds what waits in memory for the writer


def workers() -> int:
    """How many processes may work at once: the CPUs this process may use, or BRIEFGEN_JOBS."""
    wanted = os.environ.get("BRIEFGEN_JOBS", "")
    if wanted.isdigit() and int(wanted) > 0:
        return int(wanted)
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def ordered_map(
    job: Callable[[Item], Result],
    items: Sequence[Item],
    progress: Callable[[int, int], None] | None = None,
) -> Iterator[Result]:
    """`job(item)` for every item, in order, over several processes when that pays."""
    jobs = min(workers(), len(items) // CHUNK + 1)
    total = len(items)
    if progress is not None and total:
        progress(0, total)  # the bar shows as the stage starts, whatever happens next
    if jobs < 2 or total < MIN_ITEMS or not _can_fork():
        for done, item in enumerate(items, 1):
            yield job(item)
            if progress is not None:
                progress(done, total)
        return
    yield from _pooled(job, items, jobs, progress)


def _pooled(
    job: Callable[[Item], Result],
    items: Sequence[Item],
    jobs: int,
    progress: Callable[[int, int], None] | None,
) -> Iterator[Result]:
    context = multiprocessing.get_context("fork")
    # the model is shared with the workers page by page until written to; a collection in a
    # worker writes to every object it scans, so the parent's objects are kept out of it
    gc.freeze()
    try:
        yield from _forked(job, items, jobs, progress, context)
    finally:
        gc.unfreeze()


def _forked(
    job: Callable[[Item], Result],
    items: Sequence[Item],
    jobs: int,
    progress: Callable[[int, int], None] | None,
    context: Any,
) -> Iterator[Result]:
    total = len(items)
    starts = iter(range(0, total, CHUNK))
    # `job` reaches the workers through fork, as an argument of their initializer: never pickled
    with ProcessPoolExecutor(
        jobs, mp_context=context, initializer=_start, initargs=(job, os.getpid())
    ) as pool:
        pending: deque[Future[list[Any]]] = deque()

        def submit() -> None:
            start = next(starts, None)
            if start is not None:
                pending.append(pool.submit(_run_chunk, items[start : start + CHUNK]))

        for _ in range(jobs * AHEAD):
            submit()
        done = 0
        try:
            while pending:
                results = pending.popleft().result()
                submit()
                yield from results
                done += len(results)
                if progress is not None:
                    progress(done, total)
        finally:
            for future in pending:
                future.cancel()


def _can_fork() -> bool:
    """Fork only a single-threaded process: a thread holding a lock at fork time (the live
    preview's server and watcher run threads) could leave a worker waiting forever."""
    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


class _Worker:
    """The job of this worker process, set once by `_start` as the worker begins."""

    job: Callable[[Any], Any] | None = None


def _start(job: Callable[[Any], Any], parent: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _die_with(parent)
    _Worker.job = job


def _die_with(parent: int) -> None:
    """Linux: end this worker when the build that forked it dies (a `kill -9` of the build
    would otherwise leave its workers waiting for work for ever)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # it died before the request was made
        os._exit(1)


def _run_chunk(chunk: Sequence[Any]) -> list[Any]:
    job = _Worker.job
    assert job is not None, "the worker was started without a job"
    return [job(item) for item in chunk]
