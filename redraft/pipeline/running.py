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

from redraft.errors import FetchError, InternalError, RedraftError, Rejected
from redraft.pipeline.policy import Engines, Job, Outcome, RunOptions, Verifier, draft_entry
from redraft.pipeline.recipes import recipe
from redraft.pipeline.stories import StoryDesk
from redraft.pipeline.workers import record_all
from redraft.records import Entry, Usage, Verdict, valid_text
from redraft.sinks import Sink
from redraft.sources import SourceItem
from redraft.store import EntryState, Store
from redraft.verify import verify

log = logging.getLogger(__name__)

ItemOutcome = Literal["done", "failed-verification", "unchanged", "rejected", "failed", "joined"]
Progress = Callable[[ItemOutcome, str], None]

# The note added to an exception that escapes a run while an item is in hand (the CLI reads it).
ITEM_NOTE = "redraft item: "
# How much of an unexpected exception's message a failure record keeps.
_MAX_DETAIL_CHARS = 300

# In-flight items per worker: enough to keep every worker busy, few enough to bound memory.
_WINDOW_PER_WORKER = 2


@dataclass
class Report:
    """What a run did, item by item counted."""

    done: int = 0
    passed: int = 0
    failed_verification: int = 0
    unchanged: int = 0
    joined: int = 0
    repaired: int = 0
    fallbacks: int = 0
    rejected: Counter[str] = field(default_factory=Counter)
    failed: Counter[str] = field(default_factory=Counter)
    usage: Usage = field(default_factory=Usage)
    errors: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        """Every item accounted for."""
        return (self.done + self.unchanged + self.joined + sum(self.rejected.values())
                + sum(self.failed.values()))

    @property
    def ok(self) -> bool:
        """True when every item went through: nothing rejected, failed or unfaithful."""
        return not (self.rejected or self.failed or self.failed_verification)


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
    job = functools.partial(_guarded, job=drafting)
    state = _RunState(store, sinks, recipe(engines, options), progress)
    state.desk = StoryDesk(store, options.extract, per_entry=not options.stories)
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


def _guarded(entry: Entry, job: Job) -> Outcome:
    """:func:`draft_entry`, with an unexpected exception (a bug) recorded as this item's
    failure so that the run goes on; ``-v`` logs its traceback."""
    try:
        return draft_entry(entry, job)
    except RedraftError as error:
        error.add_note(ITEM_NOTE + entry.key)
        raise
    except Exception as error:
        log.info("unexpected error while working on %s", entry.key, exc_info=True)
        detail = str(error).replace("\n", " ")[:_MAX_DETAIL_CHARS] or "no detail"
        return Outcome(entry, error=InternalError(
            f"{entry.key}: unexpected {type(error).__name__} ({detail}); this is a bug in "
            "redraft, please report it (-v shows the traceback)"))


class _RunState:
    """The main thread's side of a run: the store, the sinks and the report."""

    def __init__(self, store: Store, sinks: Sequence[Sink], recipe: str,
                 progress: Progress | None) -> None:
        self.store = store
        self.sinks = sinks
        self.recipe = recipe
        self.progress = progress
        self.report = Report()
        self.desk: StoryDesk | None = None
        self.last_key = ""

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
        iterator = iter(items)
        while True:
            try:
                item = next(iterator)
            except StopIteration:
                return
            except Exception as error:
                if self.last_key:
                    error.add_note(f"{ITEM_NOTE}the item after {self.last_key}")
                raise
            if isinstance(item, Rejected):
                self.last_key = item.key = valid_text(item.key)
                item.source, item.detail = valid_text(item.source), valid_text(item.detail)
                yield functools.partial(self._rejected_at_source, item)
            elif isinstance(item, FetchError):
                self.last_key = key = valid_text(item.url)
                yield functools.partial(self._failed_at_source, key, item)
            else:
                entry = item.with_valid_text()
                if entry is not item:
                    log.warning("%s: text that is not valid Unicode (lone surrogates) was "
                                "replaced with U+FFFD", entry.key)
                self.last_key = entry.key
                if not force and self.store.state_of(entry, self.recipe) is EntryState.UNCHANGED:
                    yield functools.partial(self._replay, entry)
                else:
                    try:
                        joined = self._joined(entry)
                    except Exception as error:  # the desk stores what it decides
                        error.add_note(ITEM_NOTE + entry.key)
                        raise
                    yield joined or entry

    def _joined(self, entry: Entry) -> Callable[[], None] | None:
        """Stories: when the entry joined a story already drafted (or is the same post as an
        entry held), what accounts for it: the story's draft written again with its credit."""
        if self.desk is None:
            return None
        joined, verdict = self.desk.admit(entry)
        if joined is None:
            return None

        def account() -> None:
            for sink in self.sinks:
                if verdict is not None:
                    sink.write(verdict)
                sink.skip(entry.key, entry.source, joined)
            self.report.joined += 1
            self._tell("joined", entry.key)

        return account

    def _story_verdict(self, entry: Entry, verdict: Verdict | None) -> Verdict | None:
        """Stories: the verdict with the story's credit (or the story freed when none)."""
        return verdict if self.desk is None else self.desk.settled(entry, verdict)

    def _rejected_at_source(self, item: Rejected) -> None:
        with self.store.transaction():
            self.store.save_rejection(item)
        self._skipped(item.key, item.source, item, "rejected")

    def _failed_at_source(self, key: str, item: FetchError) -> None:
        with self.store.transaction():
            self.store.save_failure(key, source=key, stage="fetch", error=valid_text(str(item)))
        self._skipped(key, key, item, "failed")

    def _replay(self, entry: Entry) -> None:
        """Write out an unchanged item's stored result; a rejection still counts as one (a
        rerun's exit status is the first run's)."""
        stored = self.store.current_draft(entry.key)
        if stored is not None:
            for sink in self.sinks:
                sink.write(stored.verdict)
            self.report.unchanged += 1
            self._tell("unchanged", entry.key)
            return
        rejection = self.store.rejection(entry.key)
        if rejection is None:  # state_of says one of the two exists; be safe all the same
            self.report.unchanged += 1
            self._tell("unchanged", entry.key)
            return
        if rejection.reason == "duplicate":  # stories: it joined a story, which is no failure
            for sink in self.sinks:
                sink.skip(entry.key, entry.source, rejection)
            self.report.joined += 1
            self._tell("joined", entry.key)
            return
        self._skipped(entry.key, entry.source, rejection, "rejected")

    def record(self, outcome: Outcome) -> None:
        """Store one item's outcome, write it out and count it."""
        try:
            self._record(outcome)
        except Exception as error:
            error.add_note(ITEM_NOTE + outcome.entry.key)
            raise

    def _record(self, outcome: Outcome) -> None:
        entry = outcome.entry
        report = self.report
        with self.store.transaction():
            self.store.save_entry(entry, bounded=outcome.verdict is None)
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
        verdict = self._story_verdict(entry, outcome.verdict)
        if outcome.verdict is None:
            assert outcome.error is not None
            kind: ItemOutcome = "rejected" if isinstance(outcome.error, Rejected) else "failed"
            self._skipped(entry.key, entry.source, outcome.error, kind)
            return
        for sink in self.sinks:
            sink.write(verdict or outcome.verdict)
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
        else:  # by type, and by the engine's or target's code when it gave one
            code, name = getattr(error, "code", ""), type(error).__name__
            self.report.failed[f"{name} {code}" if code else name] += 1
        self.report.errors.append(str(error) if isinstance(error, Rejected) else
                                  f"{key}: {error}")
        self._tell(kind, key)

    def _tell(self, kind: ItemOutcome, key: str) -> None:
        if self.progress is not None:
            self.progress(kind, key)
