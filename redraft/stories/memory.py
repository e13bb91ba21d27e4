"""An in-memory :class:`~redraft.stories.placement.StoryIndex`: for tests, benchmarks and runs
without a store. Every :data:`SWEEP_EVERY` additions, stories that left the time window and
signatures older than the near-duplicate window are forgotten, so memory follows the live
window; post identities (a few dozen bytes an entry) are kept for good."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import NamedTuple

from redraft.stories.placement import NEAR_DUPLICATE_DAYS, Known, Placement, StoryView
from redraft.stories.profile import DocumentFrequencies, Profile
from redraft.stories.scoring import WINDOW_HOURS

MAX_MEMBERS = 6  # a story is compared through its six latest articles: its current wording
SWEEP_EVERY = 2000  # forget what left the windows this often: amortised, memory stays bounded


@dataclass(slots=True)
class _Story:
    id: str
    members: list[Profile] = field(default_factory=list)
    last_seen: datetime | None = None


class _Signed(NamedTuple):
    """An entry's signature, with its place in the order of placements (its story's as now)."""

    placed: int  # placements before it: unique, so entries sort by it alone
    known: Known
    signature: bytes


class MemoryIndex:
    """Post identities, LSH bands, key-term postings and document frequencies, in dicts."""

    def __init__(self, *, sweep_every: int = SWEEP_EVERY) -> None:
        self.sweep_every = sweep_every
        self.names: dict[str, Known] = {}
        self.bands: dict[int, list[tuple[Known, datetime | None]]] = {}
        self.signatures: dict[str, _Signed] = {}
        self.postings: dict[str, dict[str, None]] = {}
        self.stories: dict[str, _Story] = {}
        self.frequencies = DocumentFrequencies()
        self.newest: datetime | None = None
        self.added = 0

    def entry_named(self, identities: Sequence[str]) -> Known | None:
        """The entry recorded under any of these post identities."""
        for identity in identities:
            if identity in self.names:
                return self.names[identity]
        return None

    def entries_in_bands(self, bands: Sequence[int],
                         since: datetime | None) -> list[tuple[Known, bytes]]:
        """Entries sharing at least one band key, each once, with their signatures, in the
        order they were placed (as the store gives them); entries older than ``since`` are
        dropped from the buckets met."""
        found: set[str] = set()
        for band in bands:
            bucket = self.bands.get(band)
            if not bucket:
                continue
            if any(_stale(when, since) for _, when in bucket):
                for known, when in bucket:
                    if _stale(when, since):
                        self.signatures.pop(known.key, None)
                bucket[:] = [(known, when) for known, when in bucket if not _stale(when, since)]
            found.update(known.key for known, _ in bucket)
        held = sorted(signed for key in found if (signed := self.signatures.get(key)) is not None)
        return [(signed.known, signed.signature) for signed in held]

    def stories_with_terms(self, terms: Sequence[str], since: datetime | None) -> list[StoryView]:
        """Stories filed under any of the terms and seen since ``since``, most shared first."""
        shared: dict[str, int] = {}
        for term in terms:
            posting = self.postings.get(term)
            if not posting:
                continue
            for story_id in list(posting):
                story = self.stories[story_id]
                if _stale(story.last_seen, since):
                    del posting[story_id]
                    continue
                shared[story_id] = shared.get(story_id, 0) + 1
        ranked = sorted(shared, key=lambda story_id: (-shared[story_id], story_id))
        return [StoryView(s, tuple(self.stories[s].members), self.stories[s].last_seen)
                for s in ranked]

    def document_frequencies(self, terms: Sequence[str]) -> DocumentFrequencies:
        """All the counts (a superset of what was asked)."""
        return self.frequencies

    def add(self, placement: Placement) -> str:
        """Record the placement; a new story is named after its first entry's key."""
        story_id = placement.story or placement.key
        story = self.stories.setdefault(story_id, _Story(story_id))
        if placement.layer == "same-post":  # its new names lead to the post already held
            for identity in placement.identities:
                self.names.setdefault(identity, Known(placement.of or placement.key, story_id))
            return story_id
        known = Known(placement.key, story_id)
        for identity in placement.identities:
            self.names.setdefault(identity, known)
        if placement.signature is None:  # placed again without one: no candidate any more
            self.signatures.pop(placement.key, None)
        else:
            self.signatures[placement.key] = _Signed(self.added, known, placement.signature)
            for band in placement.bands:
                self.bands.setdefault(band, []).append((known, placement.profile.published))
        profile = placement.profile
        self.frequencies.add([*profile.terms, *profile.names])
        story.members = [*story.members[-(MAX_MEMBERS - 1):], profile]
        when = profile.published
        if when is not None and (story.last_seen is None or _later(when, story.last_seen)):
            story.last_seen = when
        for term in placement.key_terms:
            self.postings.setdefault(term, {})[story_id] = None
        self._tick(when)
        return story_id

    def _tick(self, when: datetime | None) -> None:
        if when is not None and (self.newest is None or _later(when, self.newest)):
            self.newest = when
        self.added += 1
        if self.added % self.sweep_every or self.newest is None:
            return
        story_since = self.newest - timedelta(hours=WINDOW_HOURS)
        closed = {s for s, story in self.stories.items() if _stale(story.last_seen, story_since)}
        for story_id in closed:
            del self.stories[story_id]
        for term in list(self.postings):
            posting = self.postings[term]
            for story_id in [s for s in posting if s in closed]:
                del posting[story_id]
            if not posting:
                del self.postings[term]
        copy_since = self.newest - timedelta(days=NEAR_DUPLICATE_DAYS)
        for band in list(self.bands):
            kept = [(known, w) for known, w in self.bands[band] if not _stale(w, copy_since)]
            for known, w in self.bands[band]:
                if _stale(w, copy_since):
                    self.signatures.pop(known.key, None)
            if kept:
                self.bands[band] = kept
            else:
                del self.bands[band]


def _later(first: datetime, second: datetime) -> bool:
    if (first.tzinfo is None) != (second.tzinfo is None):
        return True
    return first > second


def _stale(last_seen: datetime | None, since: datetime | None) -> bool:
    if last_seen is None or since is None or (last_seen.tzinfo is None) != (since.tzinfo is None):
        return False
    return last_seen < since
