"""Placing a new article: the same post, a near-duplicate, another outlet's account of a story
already seen, or a new story. Cheapest test first; the index is handed in.

The index (:class:`StoryIndex`) is what the store provides (an in-memory one is in
:mod:`redraft.stories.memory`): look-ups by post identity, by LSH band and by key term within a
time window, the document frequencies, and ``add`` to record a placement.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from datetime import datetime, timedelta
from operator import attrgetter
from typing import Literal, Protocol

from redraft.records import Article
from redraft.stories.profile import DocumentFrequencies, Profile, read
from redraft.stories.scoring import WINDOW_HOURS, Comparison
from redraft.stories.signatures import (
    MAX_CHARS_PER_WORD,
    SHINGLE_WORDS,
    band_keys,
    best_match,
    signature,
)
from redraft.stories.urls import post_identities

Layer = Literal["same-post", "near-duplicate", "same-story", "new"]

NEAR_DUPLICATE = 0.7  # estimated Jaccard of 3-word shingles: a copy with a sentence or two
#                       edited in a 300-word article stays above 0.7, two accounts stay < 0.2
JOIN_THRESHOLD = 0.46  # dev split: where B-cubed precision plateaus at 0.997 (0.42 gave 0.992 on
#                       dev but 0.972 held-out: other stories need the margin); dev recall 0.77
NEAR_DUPLICATE_DAYS = 30  # copies and reposts come within a month; later the same text is news again
KEY_TERMS = 10  # an article is filed under its 10 rarest-weighted terms and names for look-up
MAX_CANDIDATES = 40  # stories compared in full, those sharing the most key terms first


@dataclass(frozen=True, slots=True)
class Known:
    """An entry the index holds: its key and its story's id."""

    key: str
    story: str


@dataclass(frozen=True, slots=True)
class StoryView:
    """A story as the index shows it for comparison: its recent members' profiles."""

    id: str
    members: tuple[Profile, ...]
    last_seen: datetime | None = None


@dataclass(frozen=True, slots=True)
class Placement:
    """Where an article belongs, with what the index keeps about it.

    Attributes:
        key: the entry's key.
        story: the story's id (for a new story, the id the index gave it).
        layer: which test placed it: ``same-post``, ``near-duplicate``, ``same-story``, ``new``.
        of: the entry matched by ``same-post`` or ``near-duplicate`` (None otherwise).
        score: the similarity that decided (1.0 for the same post, 0.0 for a new story).
        identities: the post's names (:func:`~redraft.stories.urls.post_identities`).
        signature: the MinHash signature (None for a text too short to have one).
        bands: the signature's LSH band keys.
        profile: terms, names and numbers of the title and lead.
        key_terms: the terms the story is filed under for look-up.
    """

    key: str
    story: str
    layer: Layer
    of: str | None
    score: float
    identities: tuple[str, ...]
    signature: bytes | None
    bands: tuple[int, ...]
    profile: Profile
    key_terms: tuple[str, ...] = field(default=())

    def in_story(self, story: str) -> Placement:
        """The placement with its story's id (the id the index gave a new story)."""
        return self if story == self.story else _with(self, story=story)


# A placement is copied three or four times as it is decided and recorded: its fields are read
# at once and the changed ones swapped in, then passed by position, not through
# dataclasses.replace (its loop over the fields, then keywords): 33k to 24k instructions a copy.
_FIELDS = tuple(item.name for item in fields(Placement))
_NAMES = frozenset(_FIELDS)
_VALUES = attrgetter(*_FIELDS)


class StoryIndex(Protocol):
    """What placing needs from storage; the store implements it, so does ``MemoryIndex``."""

    def entry_named(self, identities: Sequence[str]) -> Known | None:
        """The entry recorded under any of these post identities."""

    def entries_in_bands(self, bands: Sequence[int],
                         since: datetime | None) -> list[tuple[Known, bytes]]:
        """Entries sharing at least one LSH band key, published since ``since`` (or undated),
        with their signatures."""

    def stories_with_terms(self, terms: Sequence[str], since: datetime | None) -> list[StoryView]:
        """Stories filed under any of these terms, seen since ``since`` (all when None)."""

    def document_frequencies(self, terms: Sequence[str]) -> DocumentFrequencies:
        """Article count and the document frequency of at least these terms."""

    def add(self, placement: Placement) -> str:
        """Record the placement; return its story id (a new id for ``story == ""``)."""


def facts(article: Article) -> Placement:
    """The pure part of placing an article (it reads no index, so a worker process can do it): a
    placement in no story yet (``layer="new"``) with the identities, signature, bands and
    profile that :meth:`Placer.decide` compares."""
    entry = article.entry
    reading = read(article)  # the lead's words, found once, open the signature's words too
    head = (reading.lead, reading.lead_words) if reading.lead_words is not None else None
    sig = signature(_opening(article.paragraphs), head=head)
    return Placement(key=entry.key, story="", layer="new", of=None, score=0.0,
                     identities=post_identities(entry), signature=sig,
                     bands=band_keys(sig) if sig is not None else (), profile=reading.profile)


class Placer:
    """Places articles into stories, one at a time, against the index it is given."""

    def __init__(self, index: StoryIndex, *, threshold: float = JOIN_THRESHOLD,
                 near_duplicate: float = NEAR_DUPLICATE) -> None:
        self.index = index
        self.threshold = threshold
        self.near_duplicate = near_duplicate

    def place(self, article: Article) -> Placement:
        """Decide the article's story, record it in the index and return the placement."""
        placement = self.decide(facts(article))
        return placement.in_story(self.index.add(placement))

    def decide(self, base: Placement) -> Placement:
        """Where the article of ``base`` (from :func:`facts`) belongs, by the cheapest layer that
        finds it: the same post, a near-duplicate, then the same story; else a new story. Reads
        the index, records nothing."""
        known = self.index.entry_named(base.identities)
        if known is not None:
            return _with(base, story=known.story, layer="same-post", of=known.key, score=1.0)
        if base.signature is not None:
            when = base.profile.published
            since = when - timedelta(days=NEAR_DUPLICATE_DAYS) if when is not None else None
            candidates = self.index.entries_in_bands(base.bands, since)
            best = best_match(base.signature, [(k.key, s) for k, s in candidates])
            if best is not None and best[1] >= self.near_duplicate:
                story = next(k.story for k, _ in candidates if k.key == best[0])
                return _with(base, story=story, layer="near-duplicate", of=best[0], score=best[1])
        return self._cluster(base)

    def _cluster(self, base: Placement) -> Placement:
        profile = base.profile
        frequencies = self.index.document_frequencies(list({*profile.terms, *profile.names}))
        comparison = Comparison(profile, frequencies)
        terms = comparison.key_terms(KEY_TERMS)
        since = (profile.published - timedelta(hours=WINDOW_HOURS)
                 if profile.published is not None else None)
        stories = self.index.stories_with_terms(terms, since)[:MAX_CANDIDATES]
        best_story, best_score = self._best(comparison, stories)
        if best_score >= self.threshold:
            return _with(base, story=best_story, layer="same-story", score=best_score,
                         key_terms=terms)
        return _with(base, key_terms=terms)

    def _best(self, comparison: Comparison, stories: Sequence[StoryView]) -> tuple[str, float]:
        """The story that scores highest, first of equals, with its score ("", 0.0 when none
        can reach the threshold). Stories whose bound misses it are not scored: the story
        chosen is the same, and their members' rarities are not read."""
        hopeful = [story for story in stories if comparison.bound(story.members) >= self.threshold]
        if not hopeful:
            return "", 0.0
        members = [member for story in hopeful for member in story.members]
        comparison.read_members(self.index.document_frequencies(
            list(set().union(*(m.terms for m in members), *(m.names for m in members)))))
        best_story, best_score = "", 0.0
        # The mean over the story's recent members, not the best one: an article must resemble
        # the story as a whole, so one stray member does not pull the next story in (chaining).
        for story in hopeful:
            scores = [comparison.score(member) for member in story.members]
            score = sum(scores) / len(scores)
            if score > best_score:
                best_story, best_score = story.id, score
        return best_story, best_score


def _opening(paragraphs: Sequence[str]) -> str:
    """The paragraphs joined, up to what a signature reads (a long post is not joined whole)."""
    limit = SHINGLE_WORDS * MAX_CHARS_PER_WORD
    taken, size = [], 0
    for paragraph in paragraphs:
        taken.append(paragraph)
        size += len(paragraph) + 1
        if size >= limit:
            break
    return " ".join(taken)


def _with(placement: Placement, **changes: object) -> Placement:
    """``dataclasses.replace(placement, **changes)``, faster (see :data:`_FIELDS`)."""
    if not changes.keys() <= _NAMES:
        raise TypeError(f"no such fields of a placement: {sorted(changes.keys() - _NAMES)}")
    return Placement(*map(changes.get, _FIELDS, _VALUES(placement)))  # type: ignore[arg-type]
