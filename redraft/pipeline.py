"""The one place where stages meet: entries in, verdicts stored and written out.

```
source ──Entry──▶ extract ──Article──▶ condense ──Draft──▶ verify ──Verdict──▶ store, sinks
                                          ▲  │ failed
                                          │  ▼
                                  revise once (LLM), then fall back to the extractive engine
```

:func:`run` drives any source; :func:`sync` adds a site's high-water mark around it;
:func:`publish` sends stored drafts to a remote target. Every item is committed to the store
on its own, so a run killed at any point loses at most the item in hand, and running it again
redoes only what is missing. Items whose content and recipe are unchanged are not redone: their
stored drafts are written out again instead.
"""

from __future__ import annotations

import dataclasses
import logging
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Literal

from redraft.condense import Condenser, Reviser
from redraft.config import ExtractOptions, OnFail
from redraft.errors import (
    EngineAuthError,
    EngineError,
    FetchError,
    PublishAuthError,
    PublishError,
    RedraftError,
    Rejected,
)
from redraft.extract import extract
from redraft.records import Article, Attempt, Budget, Draft, Entry, Usage, Verdict
from redraft.sinks import Publisher, Sink
from redraft.sources import SiteSource, SourceItem
from redraft.store import EntryState, Store
from redraft.text import normalise
from redraft.verify import verify

log = logging.getLogger(__name__)

Verifier = Callable[[Draft], Verdict]
ItemOutcome = Literal["done", "failed-verification", "unchanged", "rejected", "failed"]
Progress = Callable[[ItemOutcome, str], None]

# In-flight items per worker: enough to keep every worker busy, few enough to bound memory.
_WINDOW_PER_WORKER = 2


@dataclass(frozen=True, slots=True)
class Engines:
    """The engines of a run and what to do when a draft fails verification.

    Attributes:
        condenser: the main engine.
        fallback: the engine used when the main one fails (the extractive engine), or None.
        on_fail: ``"fallback"`` to use ``fallback``; ``"keep"`` to keep the failed draft.
    """

    condenser: Condenser
    fallback: Condenser | None = None
    on_fail: OnFail = "fallback"


@dataclass(frozen=True, slots=True)
class RunOptions:
    """How a run goes.

    Attributes:
        budget: the length of the drafts.
        extract: extraction options (quotes, language, minimum length).
        concurrency: items worked on at once (worth more than 1 only for remote engines).
        force: redo items even when their content and recipe are unchanged.
    """

    budget: Budget = field(default_factory=Budget)
    extract: ExtractOptions = field(default_factory=ExtractOptions)
    concurrency: int = 1
    force: bool = False


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


@dataclass(frozen=True, slots=True)
class _Outcome:
    entry: Entry
    verdict: Verdict | None = None
    attempts: tuple[Attempt, ...] = ()
    error: RedraftError | None = None
    repaired: bool = False
    fallback: bool = False


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
    worker = _Worker(engines, options, verifier)
    state = _RunState(store, sinks, recipe(engines, options), progress)
    if options.concurrency <= 1:
        for entry in state.admit(items, force=options.force):
            state.record(worker.process(entry))
        return state.report
    window: deque[Future[_Outcome]] = deque()
    with ThreadPoolExecutor(max_workers=options.concurrency,
                            thread_name_prefix="redraft") as pool:
        try:
            for entry in state.admit(items, force=options.force):
                window.append(pool.submit(worker.process, entry))
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
        for item in items:
            if isinstance(item, Rejected):
                with self.store.transaction():
                    self.store.save_rejection(item)
                self._skipped(item.key, item.source, item, "rejected")
            elif isinstance(item, FetchError):
                key = item.url
                with self.store.transaction():
                    self.store.save_failure(key, source=item.url, stage="fetch", error=str(item))
                self._skipped(key, item.url, item, "failed")
            elif not force and self.store.state_of(item, self.recipe) is EntryState.UNCHANGED:
                self._replay(item)
            else:
                yield item

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

    def record(self, outcome: _Outcome) -> None:
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


class _Worker:
    """One item's work, free of the store and the sinks, so it can run in any thread."""

    def __init__(self, engines: Engines, options: RunOptions, verifier: Verifier) -> None:
        self.engines = engines
        self.options = options
        self.verifier = verifier

    def process(self, entry: Entry) -> _Outcome:
        try:
            article = extract(entry, self.options.extract)
        except Rejected as rejected:
            return _Outcome(entry, error=rejected)
        return self._draft(entry, article)

    def _draft(self, entry: Entry, article: Article) -> _Outcome:
        condenser = self.engines.condenser
        attempts: list[Attempt] = []
        try:
            draft = condenser.condense(article, self.options.budget)
        except EngineAuthError:
            raise
        except EngineError as exc:
            attempts.append(Attempt(engine=condenser.name, error=str(exc)))
            return self._fall_back(entry, article, attempts, f"engine error: {exc}")
        verdict = self._judge(draft, attempts)
        if verdict.passed:
            return _Outcome(entry, self._final(verdict, attempts), tuple(attempts))
        if isinstance(condenser, Reviser):
            try:
                revised = condenser.revise(verdict.draft, verdict.problems)
            except EngineAuthError:
                raise
            except EngineError as exc:
                attempts.append(Attempt(engine=condenser.name, prompt=draft.prompt,
                                        error=str(exc)))
            else:
                verdict = self._judge(revised, attempts)
                if verdict.passed:
                    return _Outcome(entry, self._final(verdict, attempts), tuple(attempts),
                                    repaired=True)
        kinds = sorted({problem.kind for problem in verdict.problems})
        reason = "verification failed" + (f" ({', '.join(kinds)})" if kinds else "")
        if self.engines.on_fail == "keep" or self._fallback() is None:
            return _Outcome(entry, self._final(verdict, attempts), tuple(attempts))
        return self._fall_back(entry, article, attempts, reason)

    def _fallback(self) -> Condenser | None:
        fallback = self.engines.fallback
        if fallback is None or fallback.name == self.engines.condenser.name:
            return None
        return fallback

    def _fall_back(self, entry: Entry, article: Article, attempts: list[Attempt],
                   reason: str) -> _Outcome:
        fallback = self._fallback()
        if fallback is None:
            return _Outcome(entry, attempts=tuple(attempts),
                            error=EngineError(f"{entry.key}: {reason}; no fallback engine"))
        try:
            draft = fallback.condense(article, self.options.budget)
        except EngineError as exc:
            attempts.append(Attempt(engine=fallback.name, error=str(exc)))
            return _Outcome(entry, attempts=tuple(attempts), error=exc)
        short = reason if len(reason) <= 120 else reason[:117] + "..."
        draft = dataclasses.replace(draft, engine=f"{fallback.name} (fallback: {short})")
        verdict = self._judge(draft, attempts)
        return _Outcome(entry, self._final(verdict, attempts), tuple(attempts), fallback=True)

    def _judge(self, draft: Draft, attempts: list[Attempt]) -> Verdict:
        if not draft.credit:
            credit = draft.article.entry.credit()
            if self.options.extract.ascii_quotes:
                credit = normalise(credit, ascii_quotes=True)
            draft = dataclasses.replace(draft, credit=credit)
        verdict = self.verifier(draft)
        attempts.append(Attempt(
            engine=draft.engine, prompt=draft.prompt, score=verdict.score,
            passed=verdict.passed, problems=verdict.problems, usage=draft.usage,
        ))
        return verdict

    @staticmethod
    def _final(verdict: Verdict, attempts: Sequence[Attempt]) -> Verdict:
        usage = Usage()
        for attempt in attempts:
            usage = usage + attempt.usage
        draft = dataclasses.replace(verdict.draft, attempts=len(attempts), usage=usage)
        return dataclasses.replace(verdict, draft=draft)


def sync(
    source: SiteSource,
    *,
    engines: Engines,
    store: Store,
    sinks: Sequence[Sink],
    options: RunOptions | None = None,
    verifier: Verifier = verify,
    progress: Progress | None = None,
) -> Report:
    """Run a site source, then keep what it learned: its API root, and its high-water mark
    when the sync completed (so an interrupted sync is simply resumed next time)."""
    report = run(source.entries(), engines=engines, store=store, sinks=sinks, options=options,
                 verifier=verifier, progress=progress)
    checkpoint = source.checkpoint()
    with store.transaction():
        store.save_site(
            source.name,
            api_root=checkpoint.api_root,
            high_water=checkpoint.high_water if checkpoint.complete else None,
            synced=checkpoint.complete,
            state={"via_feed": checkpoint.via_feed, "complete": checkpoint.complete},
        )
    return report


@dataclass
class PublishReport:
    """What a publish run did."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: list[str] = field(default_factory=list)


def publish(
    store: Store,
    publisher: Publisher,
    *,
    include_failed: bool = False,
    progress: Callable[[str, str], None] | None = None,
) -> PublishReport:
    """Send every current draft not yet published on ``publisher``'s target.

    A draft already published is left alone; an entry whose draft changed since it was
    published is updated in place, never posted twice. Drafts that failed verification are
    skipped unless ``include_failed``.

    Raises:
        PublishAuthError: the target refused the credentials (checked before posting anything).
    """
    publisher.check()
    report = PublishReport()
    for stored in store.drafts(passed_only=not include_failed):
        key = stored.verdict.draft.article.entry.key
        previous = store.publication(key, publisher.name)
        if previous is not None and previous.draft_id == stored.id:
            report.unchanged += 1
            _say(progress, "unchanged", key)
            continue
        try:
            publication = publisher.publish(
                stored.verdict, remote_id=previous.remote_id if previous else None
            )
        except PublishAuthError:
            raise
        except PublishError as exc:
            report.failed.append(f"{key}: {exc}")
            _say(progress, "failed", key)
            continue
        with store.transaction():
            store.save_publication(key, publisher.name, draft_id=stored.id,
                                   remote_id=publication.remote_id, link=publication.location,
                                   status="published")
        if previous is None:
            report.created += 1
        else:
            report.updated += 1
        _say(progress, "published", key)
    return report


def _say(progress: Callable[[str, str], None] | None, kind: str, key: str) -> None:
    if progress is not None:
        progress(kind, key)
