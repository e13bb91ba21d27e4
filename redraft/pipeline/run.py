"""A run: entries in, verdicts stored and written out.

:func:`run` drives any source. Each entry that needs work goes through
:func:`redraft.pipeline.policy.draft_entry` (in a thread pool when the engine is remote, in
worker processes when ``workers`` > 1: :mod:`.workers`); the main thread alone touches the
store and the sinks. Every item is committed to the store on its
own, so a run killed at any point loses at most the item in hand, and running it again redoes
only what is missing. Items whose content and recipe are unchanged are not redone: their stored
drafts are written out again instead.
"""

from __future__ import annotations

import functools
import logging
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Literal

from redraft.errors import FetchError, RedraftError, Rejected
from redraft.pipeline.policy import Engines, Job, Outcome, RunOptions, Verifier, draft_entry
from redraft.pipeline.workers import record_all
from redraft.records import Entry, Usage
from redraft.sinks import Sink
from redraft.sources import SourceItem
from redraft.store import EntryState, Store
from redraft.verify import verify

log = logging.getLogger(__name__)

ItemOutcome = Literal["done", "failed-verification", "unchanged", "rejected", "failed"]
Progress = Callable[[ItemOutcome, str], None]

# In-flight items per worker: enough to keep every worker busy, few enough to bound memory.
_WINDOW_PER_WORKER = 2


@dataclass
class Report:
    """What a run did, item by item counted."""

    done: int = 0
    passed: int = 0
    failed_verification: int = 0
    unchanged: int = 0
    repaired: int = 0
    fallbacks: int = 0
    rejected: Counter[str] = field(default_factory=Counter)
    failed: Counter[str] = field(default_factory=Counter)
    usage: Usage = field(default_factory=Usage)
    errors: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        """Every item accounted for."""
        return (self.done + self.unchanged + sum(self.rejected.values())
                + sum(self.failed.values()))

    @property
    def ok(self) -> bool:
        """True when every item went through: nothing rejected, failed or unfaithful."""
        return not (self.rejected or self.failed or self.failed_verification)


def recipe(engines: Engines, options: RunOptions) -> str:
    """What a draft depends on besides its entry: redone when this changes."""
    extract_options = options.extract
    return "|".join((
        engines.condenser.name,
        options.budget.describe(),
        f"ascii={int(extract_options.ascii_quotes)}",
        f"language={extract_options.language}",
        f"min_words={extract_options.min_words}",
        f"on_fail={engines.on_fail}",
    ))


def run(
    items: Iterable[SourceItem],
    *,
    engines: Engines,
    store: Store,
    sinks: Sequence[Sink],
    options: RunOptions | None = None,
    verifier: Verifier = verify,
    progress: Progress | None = None,
) -> Report:
    """Rewrite every item: extract, condense, verify, store, write.

    Args:
        items: what a source yields (entries, or per-item errors to record).
        engines: the condenser, its fallback and the failure policy.
        store: where state is kept; every item is committed on its own.
        sinks: where drafts (and, in JSON, rejections) are written.
        options: budget, extraction options, concurrency, force.
        verifier: checks a draft against its source.
        progress: called once per item with its outcome and key.

    Raises:
        EngineAuthError: the engine refused the credentials (nothing else would work).
    """
    options = options or RunOptions()
    drafting = Job(engines, options.budget, options.extract, verifier)
    job = functools.partial(draft_entry, job=drafting)
    state = _RunState(store, sinks, recipe(engines, options), progress)
    if options.concurrency <= 1 and options.workers > 1:
        record_all(state.triage(items, force=options.force), drafting,
                   workers=options.workers, record=state.record)
        return state.report
    if options.concurrency <= 1:
        for entry in state.admit(items, force=options.force):
            state.record(job(entry))
        return state.report
    window: deque[Future[Outcome]] = deque()
    with ThreadPoolExecutor(max_workers=options.concurrency,
                            thread_name_prefix="redraft") as pool:
        try:
            for entry in state.admit(items, force=options.force):
                window.append(pool.submit(job, entry))
                while len(window) >= options.concurrency * _WINDOW_PER_WORKER:
                    state.record(window.popleft().result())
            while window:
                state.record(window.popleft().result())
        except BaseException:
            for future in window:
                future.cancel()
            raise
    return state.report


class _RunState:
    """The main thread's side of a run: the store, the sinks and the report."""

    def __init__(self, store: Store, sinks: Sequence[Sink], recipe: str,
                 progress: Progress | None) -> None:
        self.store = store
        self.sinks = sinks
        self.recipe = recipe
        self.progress = progress
        self.report = Report()

    def admit(self, items: Iterable[SourceItem], *, force: bool) -> Iterator[Entry]:
        """Yield the entries that need work; account for everything else on the way."""
        for item in self.triage(items, force=force):
            if isinstance(item, Entry):
                yield item
            else:
                item()

    def triage(self, items: Iterable[SourceItem], *,
               force: bool) -> Iterator[Entry | Callable[[], None]]:
        """The entries that need work, and in their places, what accounts for the others (to
        be called in order, so that every item is stored and written in input order)."""
        for item in items:
            if isinstance(item, Rejected):
                yield functools.partial(self._rejected_at_source, item)
            elif isinstance(item, FetchError):
                yield functools.partial(self._failed_at_source, item)
            elif not force and self.store.state_of(item, self.recipe) is EntryState.UNCHANGED:
                yield functools.partial(self._replay, item)
            else:
                yield item

    def _rejected_at_source(self, item: Rejected) -> None:
        with self.store.transaction():
            self.store.save_rejection(item)
        self._skipped(item.key, item.source, item, "rejected")

    def _failed_at_source(self, item: FetchError) -> None:
        with self.store.transaction():
            self.store.save_failure(item.url, source=item.url, stage="fetch", error=str(item))
        self._skipped(item.url, item.url, item, "failed")

    def _replay(self, entry: Entry) -> None:
        stored = self.store.current_draft(entry.key)
        if stored is not None:
            for sink in self.sinks:
                sink.write(stored.verdict)
        else:
            rejection = self.store.rejection(entry.key)
            if rejection is not None:
                for sink in self.sinks:
                    sink.skip(entry.key, entry.source, rejection)
        self.report.unchanged += 1
        self._tell("unchanged", entry.key)

    def record(self, outcome: Outcome) -> None:
        """Store one item's outcome, write it out and count it."""
        entry = outcome.entry
        report = self.report
        with self.store.transaction():
            self.store.save_entry(entry)
            if outcome.verdict is not None:
                self.store.save_draft(outcome.verdict, recipe=self.recipe,
                                      attempts=outcome.attempts)
            elif isinstance(outcome.error, Rejected):
                self.store.save_rejection(outcome.error, content_hash=entry.content_hash)
            else:
                self.store.save_failure(entry.key, source=entry.source, stage="engine",
                                        error=str(outcome.error), attempts=outcome.attempts)
        for attempt in outcome.attempts:
            report.usage = report.usage + attempt.usage
        if outcome.verdict is None:
            assert outcome.error is not None
            kind: ItemOutcome = "rejected" if isinstance(outcome.error, Rejected) else "failed"
            self._skipped(entry.key, entry.source, outcome.error, kind)
            return
        for sink in self.sinks:
            sink.write(outcome.verdict)
        report.done += 1
        report.repaired += outcome.repaired
        report.fallbacks += outcome.fallback
        if outcome.verdict.passed:
            report.passed += 1
            self._tell("done", entry.key)
        else:
            report.failed_verification += 1
            report.errors.append(f"{entry.key}: draft failed verification")
            self._tell("failed-verification", entry.key)

    def _skipped(self, key: str, source: str, error: RedraftError, kind: ItemOutcome) -> None:
        for sink in self.sinks:
            sink.skip(key, source, error)
        if isinstance(error, Rejected):
            self.report.rejected[error.reason] += 1
        else:
            self.report.failed[type(error).__name__] += 1
        self.report.errors.append(str(error) if isinstance(error, Rejected) else
                                  f"{key}: {error}")
        self._tell(kind, key)

    def _tell(self, kind: ItemOutcome, key: str) -> None:
        if self.progress is not None:
            self.progress(kind, key)
