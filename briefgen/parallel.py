"""Spread a pure, per-item job over the machine's cores, results in input order.

Loading entries and rendering pages are the two long stages of a build; both
map a function over thousands of independent items. Workers are forked, so
they inherit the model, the configuration and the Jinja environment instead
of receiving them pickled; only the items' results travel back. Where fork
is not available or threads are running, or the work is small, everything
runs in this process:
the output is the same bytes either way.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

# below this many items a worker pool costs more than it saves
MIN_ITEMS = 400
CHUNK = 64

# the job of a worker process, set once when the worker starts (fork: never pickled)
_job: Callable[[Any], Any] | None = None


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
    if jobs < 2 or total < MIN_ITEMS or not _can_fork():
        for done, item in enumerate(items, 1):
            yield job(item)
            if progress is not None:
                progress(done, total)
        return
    chunks = [items[start : start + CHUNK] for start in range(0, total, CHUNK)]
    context = multiprocessing.get_context("fork")
    with context.Pool(jobs, initializer=_start, initargs=(job,)) as pool:
        done = 0
        for results in pool.imap(_run_chunk, chunks):
            yield from results
            done += len(results)
            if progress is not None:
                progress(done, total)


def _can_fork() -> bool:
    """Fork only a single-threaded process: a thread holding a lock at fork time (the live
    preview's server and watcher run threads) could leave a worker waiting forever."""
    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


def _start(job: Callable[[Any], Any]) -> None:
    global _job
    _job = job


def _run_chunk(chunk: Sequence[Any]) -> list[Any]:
    assert _job is not None, "the worker was started without a job"
    return [_job(item) for item in chunk]
