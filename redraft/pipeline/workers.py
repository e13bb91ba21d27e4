"""Every core: the per-item job in worker processes, in two stages, back in input order.

```
entries ──▶ first POOL_AFTER in this process ──▶ then chunks ──▶ workers: extract (+ story facts)
                                                                     │ in order
                          place (this process, one writer) ◀─────────┘
                                   │ the entries likely to draft their story
                                   ▼
                             workers: condense, verify ──▶ outcomes, in order, to the writer
```

:func:`~redraft.pipeline.policy.prepare` and :func:`~redraft.pipeline.policy.finish` are pure
functions of the entry and the :class:`~redraft.pipeline.policy.Job`, so a worker computes
exactly what this process would: the drafts do not depend on the number of workers. Only the
caller touches the store and the sinks, in input order, so a run killed at any point still
loses at most the items in flight. An entry's text crosses to a worker without its ``raw``
copy (no stage reads it), and a worker's results name each entry of its task by its place
instead of sending it back (:func:`_packed`): the one writer, busy enough, unpickles less.
An extracted article comes back still pickled (:class:`Extracted`): this process places its
entry by its story facts and passes the bytes on to be drafted without reading them, and the
drafted outcome names the article and the facts by their places too.
At most ``workers * WINDOW_PER_WORKER`` chunks are in flight, which keeps memory flat in the
number of items.
"""

from __future__ import annotations

import dataclasses
import io
import logging
import multiprocessing
import operator
import os
import pickle
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from itertools import islice
from multiprocessing.reduction import ForkingPickler
from types import MappingProxyType
from typing import Any, Generic, TypeVar

from redraft.errors import InternalError, RedraftError
from redraft.pipeline.policy import Job, Outcome, Prepared, finish, guarded, prepare
from redraft.records import Article, Attempt, Block, Budget, Draft, Entry, Problem, Usage, Verdict
from redraft.stories import Placement, Profile

T = TypeVar("T")
A = TypeVar("A")
R = TypeVar("R")
log = logging.getLogger(__name__)

# Items done in this process before a pool starts: a worker's start-up (a fresh interpreter
# importing redraft, about half a second of CPU each) is not worth it for a handful of posts,
# and every item done here is one the main process (the one writer, busy enough) must do alone.
POOL_AFTER = 16
# Items per task sent to a worker: fewer round trips between processes, still a small unit.
# Each task costs the main process (the one writer, the bottleneck) a fixed share whatever its
# size: a future, the pool's threads passing it on, and one transaction to place the chunk.
# On 3,012 posts with two workers, 8 rather than 4 cut its CPU by about a tenth (4.4 s to
# 3.9 s), 16 by a few percent more; in flight, 16 items a chunk still hold only a few MB.
CHUNK = 16
# The first chunks are smaller (FIRST_CHUNK items, doubling after each round of one chunk per
# worker, up to CHUNK): a run of a hundred posts on many cores still gives every worker a share,
# instead of a few workers each doing 16 items in a row while the others wait.
FIRST_CHUNK = 4
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


def _by_fields(cls: type[R]) -> Callable[[R], tuple[type[R], tuple[Any, ...]]]:
    """A record rebuilt from its fields, in order, by its constructor: pickle's default for a
    frozen dataclass with slots reads and sets its state field by field in Python (its
    ``__getstate__`` lists the fields again for every object), which made up about a fifth of
    the cost of sending an article (some thirty blocks) between processes."""
    values = operator.attrgetter(*(field.name for field in dataclasses.fields(cls)  # type: ignore[arg-type]
                                   if field.init))  # a worked-out cache is worked out again

    def reduce(record: R) -> tuple[type[R], tuple[Any, ...]]:
        return cls, values(record)

    return reduce


@dataclass(frozen=True, slots=True)
class Extracted:
    """An entry extracted in a worker, as the main process holds it: its story facts, and its
    article still pickled (:func:`_packed`, its entry by its place). The main process places the
    entry by its facts alone and reads the article only if it drafts the entry itself; a
    worker that drafts it gets these bytes as they came. An entry that joins a story (most,
    when outlets repeat each other) never has its article read back at all, and no article is
    pickled twice on its way."""

    entry: Entry
    facts: Placement | None
    article: bytes

    def prepared(self) -> Prepared:
        """The extracted entry whole, its article read back (with this entry in it)."""
        article: Article = _unpacked(self.article, [self.entry])[0]
        return Prepared(self.entry, article, self.facts)


for _record in (Entry, Block, Article, Draft, Budget, Usage, Problem, Verdict, Attempt, Prepared,
                Outcome, Extracted, Placement, Profile):
    ForkingPickler.register(_record, _by_fields(_record))


# Places extracted entries, in input order; for each, whether to draft it and a note about it.
Place = Callable[[list[Prepared | Extracted]], list[tuple[bool, Any]]]


@dataclass(frozen=True, slots=True)
class Staged:
    """An entry through the stages: what extracting it gave (the prepared entry, here or, from
    a worker, as :class:`Extracted`; or its outcome: a rejection), what ``place`` noted about
    it, and its outcome when ``place`` asked for a draft (None when it did not)."""

    first: Prepared | Extracted | Outcome
    note: Any = None
    outcome: Outcome | None = None


def prepare_chunk(entries: list[Entry], job: Job) -> bytes:
    """Extract a few entries (with their story facts): a worker's first task; the results
    packed (:func:`_packed`), each extracted entry as :class:`Extracted`."""
    results = [guarded(prepare, entry, job) for entry in entries]
    return _packed([_extracted(item) if isinstance(item, Prepared) else item
                    for item in results], entries)


def _extracted(item: Prepared) -> Extracted:
    return Extracted(item.entry, item.facts, _packed([item.article], [item.entry]))


def finish_chunk(extracted: list[Extracted], job: Job) -> bytes:
    """Condense and verify a few extracted entries: a worker's second task; the outcomes
    packed (:func:`_packed`), with the task's articles and story facts, which the process
    that sent it holds, by their places too."""
    prepared = [item.prepared() for item in extracted]
    outcomes = [guarded(finish, item, job) for item in prepared]
    return _packed(outcomes, [item.entry for item in prepared],
                   [item.article for item in prepared], [item.facts for item in prepared])


def _packed(results: list[Any], entries: list[Entry], articles: list[Article] | None = None,
            facts: list[Placement | None] | None = None) -> bytes:
    """``results`` pickled with each of ``entries``, ``articles`` and ``facts`` (by identity)
    written as its place in its list: the process that sent the task has them, and reads them
    back in their places (:func:`_unpacked`). Any other one is pickled whole."""
    buffer = io.BytesIO()
    pickler = ForkingPickler(buffer, pickle.HIGHEST_PROTOCOL)
    table = pickler.dispatch_table  # a copy of the registered one, this pickler's own
    for kind, known, stand_in in ((Entry, entries, _entry_at), (Article, articles, _article_at),
                                  (Placement, facts, _facts_at)):
        if known:
            table[kind] = _by_place(known, table[kind], stand_in)
    pickler.dump(results)
    return buffer.getvalue()


def _by_place(known: list[Any], whole: Callable[[Any], Any],
              stand_in: Callable[[int], Any]) -> Callable[[Any], Any]:
    """A reducer writing each of ``known`` as ``stand_in(its place)``, anything else whole."""
    places = {id(item): number for number, item in enumerate(known) if item is not None}

    def reduce(item: Any) -> Any:
        number = places.get(id(item))
        return whole(item) if number is None else (stand_in, (number,))

    return reduce


def _entry_at(number: int) -> Entry:
    """Stands for the entry at ``number`` in a packed result (:class:`_Unpacker` reads it)."""
    raise InternalError(f"entry {number} of a task read without the task's entries")


def _article_at(number: int) -> Article:
    """Stands for the article at ``number`` in a packed result."""
    raise InternalError(f"article {number} of a task read without the task's articles")


def _facts_at(number: int) -> Placement:
    """Stands for the story facts at ``number`` in a packed result."""
    raise InternalError(f"facts {number} of a task read without the task's facts")


class _Unpacker(pickle.Unpickler):
    """Reads :func:`_packed` results back, each reference as the item it stands for: an entry
    of ``entries``, the article or the facts of an extracted entry of ``extracted`` (its
    article read back only when referred to)."""

    def __init__(self, data: bytes, entries: list[Entry],
                 extracted: list[Extracted] | None = None) -> None:
        super().__init__(io.BytesIO(data))
        self._entries = entries
        self._extracted = extracted or []

    def find_class(self, module: str, name: str) -> Any:
        if module == __name__:
            if name == _entry_at.__name__:
                return self._entries.__getitem__
            if name == _article_at.__name__:
                return self._article
            if name == _facts_at.__name__:
                return self._facts
        return super().find_class(module, name)

    def _article(self, number: int) -> Article:
        return self._extracted[number].prepared().article

    def _facts(self, number: int) -> Placement | None:
        return self._extracted[number].facts


def _unpacked(data: bytes, entries: list[Entry],
              extracted: list[Extracted] | None = None) -> list[Any]:
    results: list[Any] = _Unpacker(data, entries, extracted).load()
    return results


def _light(entry: Entry) -> Entry:
    """The entry as a worker gets it: without ``raw`` (the source's own copy, for the store)."""
    return dataclasses.replace(entry, raw="") if entry.raw else entry


def _light_extracted(item: Extracted) -> Extracted:
    light = _light(item.entry)
    return item if light is item.entry else dataclasses.replace(item, entry=light)


def staged(items: Iterable[Entry | T], job: Job, *, workers: int, place: Place,
           pool_after: int | None = None) -> Iterator[Staged | T]:
    """Each entry through the stages, in input order, from ``workers`` processes (here when
    1); any other item is passed through in its place.

    ``place`` is called here, in input order, on the extracted entries (a chunk at a time)
    before they are drafted; it returns, for each, whether to draft it and a note that comes
    back with it. The first
    ``pool_after`` items are done in this process, so a small run never pays for a pool; the
    rest go to the workers in chunks of :data:`FIRST_CHUNK` growing to :data:`CHUNK`
    (:data:`POOL_AFTER` when None).
    """
    stream = iter(items)
    pool_after = POOL_AFTER if pool_after is None else pool_after
    for item in islice(stream, pool_after if workers > 1 else None):
        yield _here(item, job, place) if isinstance(item, Entry) else item
    first = list(islice(stream, FIRST_CHUNK)) if workers > 1 else []
    if not first:
        return
    with ProcessPoolExecutor(max_workers=workers, mp_context=_context(),
                             initializer=_watch_parent, initargs=(os.getpid(),)) as pool:
        stages: _Stages[T] = _Stages(pool, job, place, workers)
        yield from stages.run(first, stream)


def _here(entry: Entry, job: Job, place: Place) -> Staged:
    first = guarded(prepare, entry, job)
    if isinstance(first, Outcome):
        return Staged(first)
    [(wanted, note)] = place([first])
    return Staged(first, note, guarded(finish, first, job) if wanted else None)


class _Stages(Generic[T]):
    """The two stages in flight: chunks being extracted, then placed here and drafted; at most
    ``workers * WINDOW_PER_WORKER`` chunks in all."""

    def __init__(self, pool: ProcessPoolExecutor, job: Job, place: Place, workers: int) -> None:
        self.pool, self.job, self.place = pool, job, place
        self.limit = workers * WINDOW_PER_WORKER
        self.workers, self.sent = workers, 0
        self.extracting: deque[tuple[list[Entry | T], _Task[Entry]]] = deque()
        self.drafting: deque[tuple[list[Entry | T], list[Staged], list[Extracted],
                                   _Task[Extracted] | None]] = deque()

    def run(self, chunk: list[Entry | T], stream: Iterator[Entry | T]) -> Iterator[Staged | T]:
        try:
            while True:
                while chunk and len(self.extracting) + len(self.drafting) < self.limit:
                    entries = [item for item in chunk if isinstance(item, Entry)]
                    self.extracting.append((chunk, _submit(
                        self.pool, prepare_chunk, [_light(e) for e in entries], entries,
                        self.job)))
                    self.sent += 1
                    chunk = list(islice(stream, self._size()))
                if not self.extracting and not self.drafting:
                    return
                heads = [_future(queue[0][-1]) for queue in (self.extracting, self.drafting)
                         if queue]
                if self.extracting and (_ready(self.extracting[0][1]) or not self.drafting):
                    self._placed(*self.extracting.popleft())
                elif self.drafting and (_ready(self.drafting[0][3]) or not self.extracting):
                    yield from self._done(*self.drafting.popleft())
                else:
                    wait([head for head in heads if head is not None],
                         return_when=FIRST_COMPLETED)
        finally:
            for queue in (self.extracting, self.drafting):
                for *_, pending in queue:
                    if (future := _future(pending)) is not None:
                        future.cancel()

    def _size(self) -> int:
        """Items in the next chunk: FIRST_CHUNK, doubled after each round of one chunk per
        worker, up to CHUNK."""
        return min(CHUNK, FIRST_CHUNK << min(self.sent // self.workers, 8))

    def _placed(self, chunk: list[Entry | T], sent: _Task[Entry]) -> None:
        firsts: list[Extracted | Outcome] = _results(sent, self.job)
        placed = iter(self.place([first for first in firsts if isinstance(first, Extracted)]))
        stages: list[Staged] = []
        wanted: list[Extracted] = []
        for first in firsts:
            if isinstance(first, Outcome):
                stages.append(Staged(first))
                continue
            draft, note = next(placed)
            stages.append(Staged(first, note))
            if draft:
                wanted.append(first)
        drafting = _submit(self.pool, finish_chunk, [_light_extracted(p) for p in wanted],
                           [p.entry for p in wanted], self.job, extracted=wanted) if wanted else None
        self.drafting.append((chunk, stages, wanted, drafting))

    def _done(self, chunk: list[Entry | T], stages: list[Staged], wanted: list[Extracted],
              sent: _Task[Extracted] | None) -> Iterator[Staged | T]:
        results: list[Outcome] = _results(sent, self.job) if sent is not None else []
        drafted = {id(item): outcome for item, outcome in zip(wanted, results, strict=True)}
        done = iter(stages)
        for item in chunk:
            if not isinstance(item, Entry):
                yield item
                continue
            stage = next(done)
            outcome = drafted.get(id(stage.first))
            yield stage if outcome is None else dataclasses.replace(stage, outcome=outcome)


@dataclass(frozen=True, slots=True)
class _Task(Generic[A]):
    """A task sent to a worker: the items sent (entries without ``raw``), the entries and
    extracted entries its packed results are read back with, and its future (None when the
    pool is broken: a worker died; the task is then done in this process)."""

    run: Callable[[list[A], Job], bytes]
    items: list[A]
    entries: list[Entry]
    extracted: list[Extracted] | None
    future: Future[bytes] | None


def _future(task: _Task[Any] | None) -> Future[bytes] | None:
    return None if task is None else task.future


def _ready(task: _Task[Any] | None) -> bool:
    future = _future(task)
    return future is None or future.done()


def _submit(pool: ProcessPoolExecutor, run: Callable[[list[A], Job], bytes], items: list[A],
            entries: list[Entry], job: Job, *,
            extracted: list[Extracted] | None = None) -> _Task[A]:
    """``run(items, job)`` sent to a worker, its results to be read with ``entries`` (and
    ``extracted``)."""
    try:
        future: Future[bytes] | None = pool.submit(run, items, job)
    except BrokenProcessPool:
        future = None
    return _Task(run, items, entries, extracted, future)


def _results(task: _Task[Any], job: Job) -> list[Any]:
    """A task's results. A failure of the worker itself (it died, or its results could not be
    sent back) is no failure of the items: the task is done again in this process, where an
    unexpected exception fails its item alone (:func:`~redraft.pipeline.policy.guarded`)."""
    if task.future is not None:
        try:
            return _unpacked(task.future.result(), task.entries, task.extracted)
        except RedraftError:  # a typed error the job raises (bad credentials): the run stops
            raise
        except Exception:
            log.warning("a worker process failed on %d items; doing them here",
                        len(task.items), exc_info=True)
    return _unpacked(task.run(task.items, job), task.entries, task.extracted)


def _context() -> multiprocessing.context.BaseContext:
    """``fork`` where it is safe: on Linux, from a process with no other thread (a run of the
    command line), each worker starts with redraft already imported, where a fresh interpreter
    imports it again (about 0.3 s of CPU a worker); ``spawn`` otherwise (a fork of a process
    with threads can deadlock the child, and macOS's system libraries refuse forks). Either
    way a worker's parent is this process, which each worker watches (:func:`_watch_parent`)."""
    if sys.platform == "linux" and threading.active_count() == 1:
        # What this process has written but not flushed would be written again by a worker.
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:
                stream.flush()
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def _watch_parent(parent: int) -> None:
    """In a worker: exit when the run's process is gone (killed, even by SIGKILL), rather than
    wait forever for work that will not come.

    A worker ignores SIGINT: Ctrl-C in a terminal reaches the whole process group, and the run's
    own process decides how to stop (finish the item in hand, commit, shut the pool down)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    def watch() -> None:
        while True:
            time.sleep(PARENT_CHECK_SECONDS)
            try:
                os.kill(parent, 0)
            except ProcessLookupError:
                os._exit(1)

    threading.Thread(target=watch, name="redraft-parent-watch", daemon=True).start()
