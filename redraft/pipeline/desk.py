"""The editor's desk: list, show and export stored drafts, and record approvals and rejections.

A draft's desk state is ``published`` once a post was made from it, else the latest review of
its current draft (``approved`` / ``rejected``), else ``new``. A review belongs to one draft: an
entry redone since (a changed source, another engine) is ``new`` again and needs a new decision.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from redraft.errors import InputError
from redraft.pipeline.publishing import utc_naive as _naive
from redraft.sinks import Sink
from redraft.store import PostRecord, Review, Store, StoredDraft

DeskState = Literal["new", "approved", "rejected", "published"]
DESK_STATES: tuple[DeskState, ...] = ("new", "approved", "rejected", "published")
Decision = Literal["approved", "rejected"]


@dataclass(frozen=True, slots=True)
class DeskItem:
    """A stored draft with what the desk knows of it."""

    stored: StoredDraft
    state: DeskState
    review: Review | None
    posts: tuple[PostRecord, ...]

    @property
    def key(self) -> str:
        """The entry's key."""
        return self.stored.verdict.draft.article.entry.key


@dataclass(frozen=True, slots=True)
class DeskFilter:
    """Which drafts to list (every field optional)."""

    source: str | None = None
    since: datetime | None = None
    verdict: Literal["passed", "failed"] | None = None
    state: DeskState | None = None
    limit: int | None = None


def desk_item(store: Store, stored: StoredDraft) -> DeskItem:
    """One draft's desk state."""
    key = stored.verdict.draft.article.entry.key
    posts = tuple(p for p in store.post_records(key) if p.remote_id)
    review = store.review(key)
    state: DeskState = "published" if posts else (
        "new" if review is None else review.decision)  # type: ignore[assignment]
    return DeskItem(stored, state, review, posts)


def list_drafts(store: Store, filters: DeskFilter | None = None) -> list[DeskItem]:
    """Current drafts, newest first, that pass ``filters``."""
    filters = filters or DeskFilter()
    items: list[DeskItem] = []
    drafts = store.drafts(passed_only=filters.verdict == "passed", source=filters.source)
    for stored in reversed(list(drafts)):
        verdict = stored.verdict
        if filters.verdict == "failed" and verdict.passed:
            continue
        if filters.since is not None and _when(stored) < _naive(filters.since):
            continue
        item = desk_item(store, stored)
        if filters.state is not None and item.state != filters.state:
            continue
        items.append(item)
        if filters.limit is not None and len(items) >= filters.limit:
            break
    return items


def find_draft(store: Store, key: str) -> DeskItem:
    """The current draft of ``key``.

    Raises:
        InputError: no entry with that key has a current draft.
    """
    stored = store.current_draft(key)
    if stored is None:
        raise InputError(f"no stored draft has the key {key!r}; `redraft drafts` lists them")
    return desk_item(store, stored)


def decide(store: Store, keys: Sequence[str], decision: Decision, *, who: str,
           note: str = "") -> list[str]:
    """Record ``decision`` on the current draft of every key, in one transaction.

    Returns:
        The keys decided.

    Raises:
        InputError: a key has no current draft (nothing is recorded then).
    """
    for key in keys:
        find_draft(store, key)
    with store.transaction():
        for key in keys:
            store.save_review(key, decision=decision, who=who, note=note)
    return list(keys)


def export(items: Iterable[DeskItem], sink: Sink) -> int:
    """Write the drafts through ``sink``; how many were written."""
    count = 0
    for item in items:
        sink.write(item.stored.verdict)
        count += 1
    sink.close()
    return count


def _when(stored: StoredDraft) -> datetime:
    published = stored.verdict.draft.article.entry.published
    return _naive(published or datetime.fromisoformat(stored.created_at))
