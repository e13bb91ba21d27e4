"""A run: entries in, verdicts stored and written out.

:func:`run` drives any source. Each entry that needs work is extracted (with its story facts),
placed in its story by the one writer, then condensed and verified only when it drafts its
story (:mod:`redraft.pipeline.stories`). With ``workers`` > 1 the extracting and drafting are
done in worker processes (:mod:`.workers`) and the main process places each entry ahead and
decides in its turn; with a remote engine the drafting is done in threads. Only the main thread
touches the store and the sinks, in input order, one transaction an item, so a run killed at
any point loses at most the items in hand, and running it again redoes only what is missing.
Items whose content and recipe are unchanged are not redone: their stored drafts are written
out again instead.
"""

from __future__ import annotations

import functools
import logging
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING, Literal

from redraft.errors import Duplicate, FetchError, RedraftError, Rejected
from redraft.pipeline.policy import (
    ITEM_NOTE,
    Engines,
    Job,
    Outcome,
    Prepared,
    RunOptions,
    Verifier,
    finish,
    guarded,
    prepare,
)
from redraft.pipeline.recipes import recipe
from redraft.pipeline.report import Report
from redraft.pipeline.stories import Decision, StoryDesk
from redraft.records import Entry, Verdict, valid_text
from redraft.sinks import Sink
from redraft.sources import SourceItem
from redraft.store import EntryState, Store
from redraft.store.rows import now
from redraft.verify import verify

if TYPE_CHECKING:
    from redraft.pipeline.workers import Extracted, Staged

log = logging.getLogger(__name__)

ItemOutcome = Literal["done", "failed-verification", "unchanged", "rejected", "failed", "joined"]
Progress = Callable[[ItemOutcome, str], None]

# In-flight items per worker: enough to keep every worker busy, few enough to bound memory.
_WINDOW_PER_WORKER = 2


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
        options: budget, extraction options, concurrency, workers, force.
        verifier: checks a draft against its source.
        progress: called once per item with its outcome and key.

    Raises:
        EngineAuthError: the engine refused the credentials (nothing else would work).
    """
    options = options or RunOptions()
    started = now()  # what a --merge-story after the run merges: stories drafted since
    job = Job(engines, options.budget, options.extract, verifier, stories=True)
    threads = options.concurrency > 1
    state = _RunState(store, sinks, recipe(engines, options), progress)
    state.desk = StoryDesk(store, per_entry=not options.stories, ahead=threads)
    triaged = state.triage(items, force=options.force, job=job)
    if threads:
        _threaded(state, triaged, job, options.concurrency)
    elif options.workers > 1:  # extracted and drafted in workers, placed and recorded here
        from redraft.pipeline.workers import (  # noqa: PLC0415  (multiprocessing: only when used)
            Staged,
            staged,
        )

        for done in staged(triaged, job, workers=options.workers, place=state.place):
            if isinstance(done, Staged):
                state.recorded_stage(done, job)
            else:
                done()
    else:  # placed before it is drafted: an entry that joins a story is not condensed
        for item in triaged:
            if isinstance(item, Entry):
                state.work(item, job)
            else:
                item()
    if options.merge_story:
        from redraft.pipeline.merging import merge_run  # noqa: PLC0415  (only when asked)

        merge_run(store, engines, sinks, options, since=started)
    return state.report


def _threaded(state: _RunState, items: Iterable[Entry | Callable[[], None]], job: Job,
              concurrency: int) -> None:
    """A remote engine: each entry placed here, then condensed in a thread; every item
    accounted for in input order, ``concurrency * _WINDOW_PER_WORKER`` at most in hand."""
    window: deque[Callable[[], None]] = deque()
    pool = ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="redraft")
    try:
        for item in items:
            window.append(state.ahead(item, job, pool) if isinstance(item, Entry) else item)
            while len(window) >= concurrency * _WINDOW_PER_WORKER:
                window.popleft()()
        while window:
            window.popleft()()
    finally:  # drafts not yet started are not wanted any more (an error, an interrupt)
        pool.shutdown(wait=True, cancel_futures=True)


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
        self.in_hand: set[str] = set()  # keys of the entries sent to work, not yet recorded

    def triage(self, items: Iterable[SourceItem], *, force: bool,
               job: Job) -> Iterator[Entry | Callable[[], None]]:
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
                if entry.key in self.in_hand:  # the same key again: decided in its turn
                    yield functools.partial(self._in_turn, entry, force, job)
                elif not force and self.store.state_of(entry, self.recipe) is EntryState.UNCHANGED:
                    yield functools.partial(self._replay, entry)
                else:
                    self.in_hand.add(entry.key)
                    yield entry

    def _in_turn(self, entry: Entry, force: bool, job: Job) -> None:
        """An entry whose key is already in hand (twice in the input): once the first one is
        recorded, what a run one item at a time would do (here, in this process)."""
        if not force and self.store.state_of(entry, self.recipe) is EntryState.UNCHANGED:
            self._replay(entry)
        else:
            self.work(entry, job)

    def work(self, entry: Entry, job: Job) -> None:
        """One entry here: extracted and placed, condensed only when it is the draft of its
        story, then recorded."""
        prepared = guarded(prepare, entry, job)
        if isinstance(prepared, Outcome):
            self.record(prepared)
            return
        decision = None
        if self.desk is not None and prepared.facts is not None:
            try:
                decision = self.desk.decide(entry, prepared.facts)
            except Exception as error:
                error.add_note(ITEM_NOTE + entry.key)
                raise
            if decision.joined is not None:  # recorded without a draft
                self.record(Outcome(entry, facts=prepared.facts), decision)
                return
        self.record(guarded(finish, prepared, job), decision)

    def place(self, chunk: list[Prepared | Extracted]) -> list[tuple[bool, Decision | None]]:
        """Workers: place extracted entries ahead of their turn (in input order, one
        transaction); for each, whether to draft it (a guess: :meth:`recorded_stage` decides)
        and its placement."""
        desk = self.desk
        placed: list[tuple[bool, Decision | None]] = []
        key = chunk[0].entry.key if chunk else ""
        try:
            with self.store.transaction():
                for prepared in chunk:
                    key = prepared.entry.key
                    if desk is None or prepared.facts is None:
                        placed.append((True, None))
                    else:
                        placed.append(desk.place_ahead(prepared.entry, prepared.facts))
        except Exception as error:
            error.add_note(ITEM_NOTE + key)
            raise
        return placed

    def recorded_stage(self, done: Staged, job: Job) -> None:
        """Workers: record an entry in its turn. Whether it drafts its story is decided now,
        as the store stands after every earlier item: a draft made for an entry that joins a
        story is dropped; an entry that drafts one without a draft made is drafted here."""
        first = done.first
        if isinstance(first, Outcome):
            self.record(first)
            return
        decision = done.note
        if isinstance(decision, Decision) and self.desk is not None:
            decision = self.desk.resolve(first.entry, decision)
            if decision.joined is not None:
                self.record(Outcome(first.entry, facts=first.facts), decision)
                return
        if done.outcome is not None:
            outcome = done.outcome
        else:  # an extracted entry's article read back only now, when it is drafted here
            prepared = first if isinstance(first, Prepared) else first.prepared()
            outcome = guarded(finish, prepared, job)
        self.record(outcome, decision)

    def ahead(self, entry: Entry, job: Job, pool: ThreadPoolExecutor) -> Callable[[], None]:
        """Threads: the entry extracted and placed (its placement stored) now, condensed in
        the pool; returns what records it, to be called in input order."""
        prepared = guarded(prepare, entry, job)
        if isinstance(prepared, Outcome):
            return functools.partial(self.record, prepared)
        decision = None
        if self.desk is not None and prepared.facts is not None:
            try:
                with self.store.transaction():
                    decision, verdict = self.desk.enter(
                        entry, self.desk.decide(entry, prepared.facts))
            except Exception as error:
                error.add_note(ITEM_NOTE + entry.key)
                raise
            if decision.joined is not None:
                self.in_hand.discard(entry.key)
                return functools.partial(self._joined, entry, decision.joined, verdict)
        future = pool.submit(guarded, finish, prepared, job)
        return functools.partial(self._recorded, future, decision)

    def _recorded(self, future: Future[Outcome], decision: Decision | None) -> None:
        self.record(future.result(), decision)

    def _joined(self, entry: Entry, joined: Duplicate, verdict: Verdict | None) -> None:
        """Stories: the entry joined a story already drafted (or is the same post as an entry
        held): the story's draft written again with its credit, the entry skipped."""
        for sink in self.sinks:
            if verdict is not None:
                sink.write(verdict)
            sink.skip(entry.key, entry.source, joined)
        self.report.joined += 1
        self._tell("joined", entry.key)

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

    def record(self, outcome: Outcome, decision: Decision | None = None) -> None:
        """Enter the story decision (unless entered), store one item's outcome, write it out and count it:
        one transaction. An entry that joins a story already drafted is recorded as joined,
        whatever its (speculative) outcome."""
        self.in_hand.discard(outcome.entry.key)
        try:
            with self.store.transaction():
                verdict, joined = self._store(outcome, decision)
        except Exception as error:
            error.add_note(ITEM_NOTE + outcome.entry.key)
            raise
        if joined is not None:
            self._joined(outcome.entry, joined, verdict)
        else:
            self._written(outcome, verdict)

    def _store(self, outcome: Outcome, decision: Decision | None) -> tuple[Verdict | None, Duplicate | None]:
        """Inside the item's transaction: the placement, then the outcome; the verdict to
        write (with the story's credit) and, for an entry not drafted, its ``Duplicate``."""
        entry, desk = outcome.entry, self.desk
        if desk is not None and decision is not None and not decision.entered:
            decision, verdict = desk.enter(entry, decision)
            if decision.joined is not None:
                return verdict, decision.joined
        self._save(outcome)
        if desk is not None and decision is None and outcome.verdict is None:
            desk.released(entry)
        if desk is None or decision is None:
            return outcome.verdict, None
        return desk.settled(entry, outcome.verdict, decision), None

    def _save(self, outcome: Outcome) -> None:
        entry = outcome.entry
        self.store.save_entry(entry, bounded=outcome.verdict is None)
        if outcome.verdict is not None:
            self.store.save_draft(outcome.verdict, recipe=self.recipe, attempts=outcome.attempts)
        elif isinstance(outcome.error, Rejected):
            self.store.save_rejection(outcome.error, content_hash=entry.content_hash)
        else:
            self.store.save_failure(entry.key, source=entry.source, stage="engine",
                                    error=str(outcome.error), attempts=outcome.attempts)

    def _written(self, outcome: Outcome, verdict: Verdict | None) -> None:
        """Write an outcome stored out and count it."""
        entry, report = outcome.entry, self.report
        for attempt in outcome.attempts:
            report.usage = report.usage + attempt.usage
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
