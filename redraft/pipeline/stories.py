"""One draft per story: which entries are condensed, which join a story already drafted.

Each entry that needs work is extracted and placed (:class:`redraft.stories.Placer`, with the
store as its index) before it is condensed:

- the same post by another route (its feed item after its REST object) is a ``Duplicate`` of
  the entry already held: one entry, not two;
- the first complete entry of a story is condensed: the story's draft;
- a later entry of a story already drafted is stored as part of the story, not condensed; its
  outlet is added to the credit of the story's draft ("Sources: A, B and C"), which the sinks
  get again, and it is recorded as a ``Duplicate`` of the drafted entry, so it is not redone.

With ``per_entry`` every entry is placed (the store knows its story) and condensed, the same
post by another route included: the run behaves as it did before stories.
"""

from __future__ import annotations

import dataclasses
import logging

from redraft.config import ExtractOptions
from redraft.errors import Duplicate, Rejected
from redraft.extract import extract
from redraft.records import Entry, Verdict
from redraft.store import Store
from redraft.stories import Placer
from redraft.stories.credit import story_credit

log = logging.getLogger(__name__)


class StoryDesk:
    """Stories in a run: placing entries and keeping the story's draft and credit."""

    def __init__(self, store: Store, extract_options: ExtractOptions, *,
                 per_entry: bool = False) -> None:
        self.store = store
        self.extract_options = extract_options
        self.per_entry = per_entry
        self.placer = Placer(store)

    def admit(self, entry: Entry) -> tuple[Duplicate | None, Verdict | None]:
        """Place the entry. Returns ``(None, None)`` when it is to be condensed, else the
        ``Duplicate`` it is recorded as and, when the story's credit changed, the story's
        draft to write out again. Stores what it decides (entry, rejection, credit)."""
        try:
            article = extract(entry, self.extract_options)
        except Rejected:
            return None, None  # the job extracts it again and records why it was rejected
        with self.store.transaction():
            placement = self.placer.place(article)
            if self.per_entry:  # placed, so the store knows its story; drafted as before
                if self.store.story_draft(placement.story) is None:
                    self.store.set_story_draft(placement.story, entry.key)
                return None, None
            if placement.layer == "same-post" and placement.of not in (None, entry.key):
                of = placement.of or entry.key
                return Duplicate(f"{entry.key}: the same post as {of} (by another route)",
                                 of=of, key=entry.key, source=entry.source), None
            drafted = self.store.story_draft(placement.story)
            if drafted in (None, entry.key):
                if drafted is None:
                    self.store.set_story_draft(placement.story, entry.key)
                return None, None
            self.store.save_entry(entry)
            joined = Duplicate(
                f"{entry.key}: joins story {placement.story} ({placement.layer}, score "
                f"{placement.score:.2f}), drafted from {drafted}; its source is credited there",
                of=drafted, key=entry.key, source=entry.source)
            self.store.save_rejection(joined, content_hash=entry.content_hash)
            verdict = self._credit(placement.story, drafted)
        return joined, verdict

    def settled(self, entry: Entry, verdict: Verdict | None) -> Verdict | None:
        """After an entry's outcome is stored: free the story for its next entry when no
        draft came of it; else return the verdict with the story's credit (to write out)."""
        if self.per_entry:  # each post keeps its own draft and credit
            return verdict
        story = self.store.story_of(entry.key)
        if story is None or story.draft_key != entry.key:
            return verdict
        with self.store.transaction():
            if verdict is None:
                self.store.set_story_draft(story.id, None)
                return None
            return self._credit(story.id, entry.key) or verdict

    def _credit(self, story_id: str, drafted: str) -> Verdict | None:
        """Set the story's draft credit from its members; the updated verdict, or None."""
        story = self.store.story_of(drafted)
        stored = self.store.current_draft(drafted)
        if story is None or stored is None:
            return None
        first = next((e for e in story.entries if e.key == drafted), None)
        if first is None:
            return None
        credit = story_credit(first, [e for e in story.entries if e.key != drafted],
                              stored.verdict.draft.article.language)
        if credit == stored.verdict.draft.credit or len(story.entries) < 2:
            return None
        self.store.set_draft_credit(drafted, credit)
        log.info("story %s: credit now %s", story_id, credit)
        draft = dataclasses.replace(stored.verdict.draft, credit=credit)
        return dataclasses.replace(stored.verdict, draft=draft)
