"""The drafting policy: one entry in, one outcome out.

```
entry ──▶ extract ──▶ condense ──▶ verify ──passed──▶ outcome
                         │            │ failed
                         │            ▼
                         │     revise once (an engine that can), verify again
                         ▼            │ still failed
                 engine error ──▶ fall back to the extractive engine (unless on_fail="keep")
```

:func:`draft_entry` is a pure function of the entry and a :class:`Job` (engines, options,
verifier): it touches neither the store nor the sinks, so a run may call it in any thread (or,
later, any process). What the library decides by default (the extractive engine as the
fallback, one item at a time unless the engine is remote) lives here too, not in the CLI.
"""

from __future__ import annotations

import dataclasses
import logging
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeVar

from redraft.condense import Condenser, Reviser
from redraft.condense.extractive import ExtractiveCondenser
from redraft.config import ExtractOptions, OnFail, Settings
from redraft.errors import (
    ConfigError,
    EngineAuthError,
    EngineError,
    InternalError,
    RedraftError,
    Rejected,
)
from redraft.extract import extract
from redraft.records import Article, Attempt, Budget, Draft, Entry, Usage, Verdict
from redraft.stories import Placement
from redraft.stories.placement import facts as story_facts
from redraft.verify import verify

if TYPE_CHECKING:
    import httpx

Verifier = Callable[[Draft], Verdict]

log = logging.getLogger(__name__)

# A fallback reason longer than this is cut in the engine label (it is stored with each draft).
_MAX_REASON_CHARS = 120
# The note added to an exception that escapes a run while an item is in hand (the CLI reads it).
ITEM_NOTE = "redraft item: "
# How much of an unexpected exception's message a failure record keeps.
_MAX_DETAIL_CHARS = 300


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

    @classmethod
    def with_fallback(cls, condenser: Condenser | None = None, *, on_fail: OnFail = "fallback",
                      ascii_quotes: bool = False) -> Engines:
        """The library's default: ``condenser`` (the extractive engine when None), backed by
        the extractive engine when it is any other engine; ``ascii_quotes`` for the
        extractive engine's credit lines."""
        extractive = ExtractiveCondenser(ascii_quotes=ascii_quotes)
        if condenser is None or condenser.name == extractive.name:
            return cls(condenser or extractive)
        return cls(condenser, fallback=extractive, on_fail=on_fail)

    @classmethod
    def from_settings(cls, settings: Settings, client: httpx.Client | None = None) -> Engines:
        """The engines the settings ask for: the extractive engine, or the LLM engine (through
        ``client``) backed by it. Nothing is sent yet: call the LLM engine's ``check()`` to
        fail fast on a wrong server, key or model.

        Raises:
            ConfigError: the LLM engine lacks a server, a model or an HTTP client.
        """
        ascii_quotes = settings.extract.ascii_quotes
        if settings.engine == "extractive":
            return cls.with_fallback(ascii_quotes=ascii_quotes)
        llm = settings.llm
        if not llm.url or not llm.model:
            raise ConfigError("the LLM engine needs a server and a model: --llm-url and "
                              "--llm-model (or REDRAFT_LLM_URL and REDRAFT_LLM_MODEL)")
        if client is None:
            raise ConfigError("the LLM engine needs an HTTP client")
        # Imported here: a local run never needs httpx (start-up time).
        from redraft.condense.llm import LLMCondenser  # noqa: PLC0415
        from redraft.http import Retrier  # noqa: PLC0415

        condenser = LLMCondenser(Retrier(client, settings.http), llm,
                                 ascii_quotes=True if ascii_quotes else None)
        return cls.with_fallback(condenser, on_fail=llm.on_fail, ascii_quotes=ascii_quotes)


def machine_cores() -> int:
    """The cores this process may run on (its CPU affinity, where the system has one)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


@dataclass(frozen=True, slots=True)
class RunOptions:
    """How a run goes.

    Attributes:
        budget: the length of the drafts.
        extract: extraction options (quotes, language, minimum length).
        concurrency: items worked on at once (worth more than 1 only for remote engines).
        force: redo items even when their content and recipe are unchanged.
        stories: one draft per story (:mod:`redraft.pipeline.stories`); the CLI's default,
            off here so that a library caller opts in.
        workers: processes drafting at once (the local engine, which is CPU-bound); 1 keeps
            the work in this process.
        merge_story: after the run, merge each story it drafted into one draft from all its
            outlets (:func:`~redraft.pipeline.merging.merge_stories`).
    """

    budget: Budget = field(default_factory=Budget)
    extract: ExtractOptions = field(default_factory=ExtractOptions)
    concurrency: int = 1
    force: bool = False
    stories: bool = False
    workers: int = 1
    merge_story: bool = False

    @classmethod
    def from_settings(cls, settings: Settings, *, force: bool = False, per_entry: bool = False,
                      workers: int | None = None, merge_story: bool = False) -> RunOptions:
        """Options from settings: a remote (LLM) engine works on ``[http] concurrency`` items
        at once in threads; the local engine, CPU-bound, in ``workers`` processes (default:
        every core this process may use). One draft per story unless ``per_entry``."""
        remote = settings.engine == "llm"
        concurrency = settings.http.concurrency if remote else 1
        if remote:
            workers = 1
        return cls(budget=settings.budget, extract=settings.extract, concurrency=concurrency,
                   force=force, stories=not per_entry, workers=workers or machine_cores(),
                   merge_story=merge_story)


@dataclass(frozen=True, slots=True)
class Job:
    """Everything one item's work depends on besides the item itself.

    Attributes:
        stories: also compute each article's story facts
            (:func:`~redraft.stories.placement.facts`: the pure part of placing it in a story),
            for the run's one writer to place it.
    """

    engines: Engines
    budget: Budget = field(default_factory=Budget)
    extract: ExtractOptions = field(default_factory=ExtractOptions)
    verifier: Verifier = verify
    stories: bool = False


@dataclass(frozen=True, slots=True)
class Outcome:
    """What became of one entry: a verdict, or the error that stopped it, and every attempt."""

    entry: Entry
    verdict: Verdict | None = None
    attempts: tuple[Attempt, ...] = ()
    error: RedraftError | None = None
    repaired: bool = False
    fallback: bool = False
    facts: Placement | None = None


@dataclass(frozen=True, slots=True)
class Prepared:
    """An entry extracted, with its story facts when the job asks for them (``Job.stories``)."""

    entry: Entry
    article: Article
    facts: Placement | None = None


S = TypeVar("S", Entry, Prepared)
R = TypeVar("R")


def draft_entry(entry: Entry, job: Job) -> Outcome:
    """Extract, condense, verify (revise, fall back) one entry: :func:`prepare` then
    :func:`finish`, each with an unexpected exception (a bug) made this item's failure.

    Raises:
        EngineAuthError: the engine refused the credentials (no later item can succeed).
        RedraftError: any other typed error that escapes the stages (noted with the item).
    """
    prepared = guarded(prepare, entry, job)
    return prepared if isinstance(prepared, Outcome) else guarded(finish, prepared, job)


def prepare(entry: Entry, job: Job) -> Prepared | Outcome:
    """Extract the entry (and compute its story facts); a rejection as its outcome."""
    try:
        article = extract(entry, job.extract)
    except Rejected as rejected:
        return Outcome(entry, error=_named(rejected, entry))
    return Prepared(entry, article, story_facts(article) if job.stories else None)


def finish(prepared: Prepared, job: Job) -> Outcome:
    """Condense and verify (revise, fall back) an extracted entry."""
    entry = prepared.entry
    drafting = _Drafting(job, entry, prepared.article)
    try:
        outcome = drafting.run()
    except Rejected as rejected:  # an engine or the verifier may reject an item too
        outcome = Outcome(entry, attempts=tuple(drafting.attempts), error=_named(rejected, entry))
    return outcome if prepared.facts is None else dataclasses.replace(outcome, facts=prepared.facts)


def guarded(step: Callable[[S, Job], R], item: S, job: Job) -> R | Outcome:
    """``step(item, job)``, with an unexpected exception (a bug) recorded as this item's
    failure so that the run goes on (``-v`` logs its traceback); a typed error is noted with
    the item and raised."""
    entry = item if isinstance(item, Entry) else item.entry
    try:
        return step(item, job)
    except RedraftError as error:
        error.add_note(ITEM_NOTE + entry.key)
        raise
    except Exception as error:
        log.info("unexpected error while working on %s", entry.key, exc_info=True)
        detail = str(error).replace("\n", " ")[:_MAX_DETAIL_CHARS] or "no detail"
        return Outcome(entry, facts=None if isinstance(item, Entry) else item.facts,
                       error=InternalError(
            f"{entry.key}: unexpected {type(error).__name__} ({detail}); this is a bug in "
            "redraft, please report it (-v shows the traceback)"))


def _named(rejected: Rejected, entry: Entry) -> Rejected:
    """``rejected`` naming the entry it rejects (a stage may not know the key)."""
    rejected.key = rejected.key or entry.key
    rejected.source = rejected.source or entry.source
    return rejected


class _Drafting:
    """One entry's attempts, from the first draft to the verdict kept."""

    def __init__(self, job: Job, entry: Entry, article: Article) -> None:
        self.job = job
        self.entry = entry
        self.article = article
        self.attempts: list[Attempt] = []

    def run(self) -> Outcome:
        condenser = self.job.engines.condenser
        try:
            draft = condenser.condense(self.article, self.job.budget)
        except EngineAuthError:
            raise
        except EngineError as exc:
            self.attempts.append(Attempt(engine=condenser.name, error=str(exc)))
            return self._fall_back(f"engine error: {exc}", cause=exc)
        verdict = self._judge(draft)
        if verdict.passed:
            return self._outcome(verdict)
        if isinstance(condenser, Reviser):
            try:
                revised = condenser.revise(verdict.draft, verdict.problems)
            except EngineAuthError:
                raise
            except EngineError as exc:
                self.attempts.append(Attempt(engine=condenser.name, prompt=draft.prompt,
                                             error=str(exc)))
            else:
                verdict = self._judge(revised)
                if verdict.passed:
                    return self._outcome(verdict, repaired=True)
        kinds = sorted({problem.kind for problem in verdict.problems})
        reason = "verification failed" + (f" ({', '.join(kinds)})" if kinds else "")
        if self.job.engines.on_fail == "keep" or self._fallback() is None:
            return self._outcome(verdict)
        return self._fall_back(reason)

    def _fallback(self) -> Condenser | None:
        engines = self.job.engines
        if engines.fallback is None or engines.fallback.name == engines.condenser.name:
            return None
        return engines.fallback

    def _fall_back(self, reason: str, cause: EngineError | None = None) -> Outcome:
        fallback = self._fallback()
        if fallback is None:
            # The engine's own status and code travel on, for callers to decide on.
            return Outcome(self.entry, attempts=tuple(self.attempts), error=EngineError(
                f"{self.entry.key}: {reason}; no fallback engine",
                status=cause.status if cause else None,
                code=cause.code if cause else "verification-failed"))
        try:
            draft = fallback.condense(self.article, self.job.budget)
        except EngineError as exc:
            self.attempts.append(Attempt(engine=fallback.name, error=str(exc)))
            return Outcome(self.entry, attempts=tuple(self.attempts), error=exc)
        short = (reason if len(reason) <= _MAX_REASON_CHARS
                 else reason[:_MAX_REASON_CHARS - 3] + "...")
        draft = dataclasses.replace(draft, engine=f"{fallback.name} (fallback: {short})")
        return self._outcome(self._judge(draft), fallback=True)

    def _judge(self, draft: Draft) -> Verdict:
        verdict = self.job.verifier(draft)
        self.attempts.append(Attempt(
            engine=draft.engine, prompt=draft.prompt, score=verdict.score,
            passed=verdict.passed, problems=verdict.problems, usage=draft.usage,
        ))
        return verdict

    def _outcome(self, verdict: Verdict, *, repaired: bool = False,
                 fallback: bool = False) -> Outcome:
        return Outcome(self.entry, _final(verdict, self.attempts), tuple(self.attempts),
                       repaired=repaired, fallback=fallback)


def _final(verdict: Verdict, attempts: Sequence[Attempt]) -> Verdict:
    usage = Usage()
    for attempt in attempts:
        usage = usage + attempt.usage
    draft = dataclasses.replace(verdict.draft, attempts=len(attempts), usage=usage)
    return dataclasses.replace(verdict, draft=draft)
