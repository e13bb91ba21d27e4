"""Every core: the per-item job in worker processes, the outcomes back in input order.

```
entries ──▶ first POOL_AFTER in this process ──▶ then chunks ──▶ worker processes (draft_entry)
                                                                     │ outcomes, in order
                                          one writer (the caller) ◀──┘
```

:func:`redraft.pipeline.policy.draft_entry` is a pure function of the entry and the
:class:`~redraft.pipeline.policy.Job`, so a worker computes exactly what this process would: the
drafts do not depend on the number of workers. Only the caller touches the store and the sinks,
one item at a time and in input order, so a run killed at any point still loses at most the
items in flight. At most ``workers * WINDOW_PER_WORKER`` chunks are in flight, which keeps
memory flat in the number of items.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import islice
from multiprocessing.reduction import ForkingPickler
from types import MappingProxyType
from typing import Any, TypeVar

from redraft.pipeline.policy import Job, Outcome, draft_entry
from redraft.records import Entry

T = TypeVar("T")

# Items done in this process before a pool starts: a worker's start-up (a fresh interpreter
# importing redraft, about half a second of CPU each) pays off only over some dozens of posts.
POOL_AFTER = 48
# Items per task sent to a worker: fewer round trips between processes, still a small unit.
CHUNK = 4
# How often a worker checks that the run's process is still there (an orphan exits this late).
PARENT_CHECK_SECONDS = 1.0
# Chunks in flight per worker: one being worked on, one waiting, one coming back.
WINDOW_PER_WORKER = 3


def read_only(mapping: dict[Any, Any]) -> Mapping[Any, Any]:
    """A read-only view of ``mapping`` (how a record's metadata is rebuilt in a worker)."""
    return MappingProxyType(mapping)


def _mapping_proxy(proxy: MappingProxyType[Any, Any]) -> tuple[Any, tuple[dict[Any, Any]]]:
    return read_only, (dict(proxy),)


# Records keep their metadata read-only (a mapping proxy), which plain pickle refuses; the
# pickler between processes rebuilds it as one.
ForkingPickler.register(MappingProxyType, _mapping_proxy)


def draft_chunk(entries: list[Entry], job: Job) -> list[Outcome]:
    """The job over a few entries (what one worker task does)."""
    return [draft_entry(entry, job) for entry in entries]


def outcomes(items: Iterable[Entry | T], job: Job, *, workers: int,
             pool_after: int = POOL_AFTER) -> Iterator[Outcome | T]:
    """Each entry's outcome, in input order, from ``workers`` processes (here when 1); any
    other item is passed through in its place.

    The first ``pool_after`` items are done in this process, so a small run never pays for
    a pool; the rest go to the workers in chunks of :data:`CHUNK`.
    """
    stream = iter(items)
    for item in islice(stream, pool_after if workers > 1 else None):
        yield draft_entry(item, job) if isinstance(item, Entry) else item
    if workers <= 1:
        return
    first = list(islice(stream, CHUNK))
    if not first:
        return
    with ProcessPoolExecutor(max_workers=workers, mp_context=_context(),
                             initializer=_watch_parent, initargs=(os.getpid(),)) as pool:
        yield from _windowed(pool, first, stream, job, workers)


def _windowed(pool: ProcessPoolExecutor, first: list[Entry | T], stream: Iterator[Entry | T],
              job: Job, workers: int) -> Iterator[Outcome | T]:
    window: deque[tuple[list[Entry | T], Future[list[Outcome]]]] = deque()
    chunk = first
    try:
        while chunk or window:
            if chunk:
                entries = [item for item in chunk if isinstance(item, Entry)]
                window.append((chunk, pool.submit(draft_chunk, entries, job)))
            if not chunk or len(window) >= workers * WINDOW_PER_WORKER:
                items, future = window.popleft()
                done = iter(future.result())
                for item in items:
                    yield next(done) if isinstance(item, Entry) else item
            chunk = list(islice(stream, CHUNK))
    finally:
        for _, pending in window:
            pending.cancel()


def _context() -> multiprocessing.context.BaseContext:
    """``spawn``: a fresh interpreter per worker (no fork of a process with threads), whose
    parent is this process; each worker watches it (:func:`_watch_parent`)."""
    return multiprocessing.get_context("spawn")


def _watch_parent(parent: int) -> None:
    """In a worker: exit when the run's process is gone (killed, even by SIGKILL), rather than
    wait forever for work that will not come."""
    def watch() -> None:
        while True:
            time.sleep(PARENT_CHECK_SECONDS)
            try:
                os.kill(parent, 0)
            except ProcessLookupError:
                os._exit(1)

    threading.Thread(target=watch, name="redraft-parent-watch", daemon=True).start()


def record_all(items: Iterable[Entry | Callable[[], None]], job: Job, *, workers: int,
               record: Callable[[Outcome], None]) -> None:
    """In input order, hand every entry's outcome to ``record`` (the one writer) and call
    every other item (what accounts for an item that needs no work)."""
    for done in outcomes(items, job, workers=workers):
        if isinstance(done, Outcome):
            record(done)
        else:
            done()
