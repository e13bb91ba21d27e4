"""One draft per story: which entries are condensed, which join a story already drafted.

Placing an entry has a pure part and a part that reads the store.
:func:`redraft.stories.placement.facts` (post identities, MinHash signature and bands, profile)
is computed with the extraction, in a worker
process when there are workers; the run's one writer then places the entry
(:meth:`StoryDesk.decide`, look-ups only) and records it (:meth:`StoryDesk.enter`), one entry at
a time and in input order, so the decisions do not depend on the number of workers:

- the same post by another route (its feed item after its REST object) is a ``Duplicate`` of
  the entry already held: one entry, not two;
- the first complete entry of a story is condensed: the story's draft;
- a later entry of a story already drafted is stored as part of the story, not condensed (a
  worker may have drafted it already: that draft is dropped); its outlet is added to the
  credit of the story's draft ("Sources: A, B and C"), which the sinks get again, and it is
  recorded as a ``Duplicate`` of the drafted entry, so it is not redone.

With ``per_entry`` every entry is placed (the store knows its story) and condensed, the same
post by another route included: the run behaves as it did before stories.
"""

from __future__ import annotations

import dataclasses
import logging
from dataclasses import dataclass

from redraft.errors import Duplicate
from redraft.records import Entry, Verdict
from redraft.store import Store
from redraft.stories import Placement, Placer
from redraft.stories.credit import story_credit

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Decision:
    """Where an entry goes: its placement, the story's drafted entry before it and, when it
    is not to be condensed, the ``Duplicate`` it is recorded as.

    Attributes:
        added: the placement is in the index (:meth:`StoryDesk.add`).
        entered: what the decision implies is stored too (:meth:`StoryDesk.enter`).
    """

    placement: Placement
    drafted: str | None = None
    joined: Duplicate | None = None
    added: bool = False
    entered: bool = False


class StoryDesk:
    """Stories in a run: placing entries and keeping the story's draft and credit.

    Placing (:meth:`decide`, :meth:`add`) depends only on the entries placed before, not on
    their outcomes, so it may run ahead of the recording; whether an entry is the story's draft
    (:meth:`resolve`) depends on the outcomes recorded before it, so it is decided (again) when
    the entry's turn comes. Call the writing methods inside a transaction.

    Args:
        store: the index and the state.
        per_entry: every entry condensed (see the module's docstring).
        ahead: entries are entered before the outcomes of earlier ones are recorded (threads
            drafting for a remote engine), so a new story may have gained members meanwhile.
    """

    def __init__(self, store: Store, *, per_entry: bool = False, ahead: bool = False) -> None:
        self.store = store
        self.per_entry = per_entry
        self.ahead = ahead
        self.placer = Placer(store)
        self.drafting: dict[str, str] = {}  # story -> the entry in flight that may draft it
        self.unrecorded: set[str] = set()  # entries added ahead of their turn, not yet entered

    def decide(self, entry: Entry, facts: Placement) -> Decision:
        """Place the entry against the store (reads only: :meth:`enter` records it)."""
        placement = self.placer.decide(facts)  # the index's look-ups, layer by layer
        return self.resolve(entry, Decision(placement))

    def add(self, decision: Decision) -> Decision:
        """Record the placement in the index ahead of the entry's turn; the decision with its
        story's id. Until it is entered, the entry counts in no story's credit."""
        self.unrecorded.add(decision.placement.key)
        return dataclasses.replace(decision, placement=self._placed(decision.placement), added=True)

    def _placed(self, placement: Placement, *, draft: str | None = None) -> Placement:
        """The placement recorded in the index, with its story's id (``draft``: the key of the
        entry that drafts the story, stored with a story made now)."""
        return placement.in_story(self.store.add(placement, draft=draft))

    def resolve(self, entry: Entry, decision: Decision) -> Decision:
        """Whether the entry drafts its story or joins it, as the store stands now."""
        placement = decision.placement
        key, source = entry.key, entry.source
        drafted = self.store.story_draft(placement.story) if placement.story else None
        if self.per_entry:
            return dataclasses.replace(decision, drafted=drafted, joined=None)
        if placement.layer == "same-post" and placement.of not in (None, key):
            of = placement.of or key
            return dataclasses.replace(decision, drafted=drafted, joined=Duplicate(
                f"{key}: the same post as {of} (by another route)", of=of, key=key,
                source=source))
        if drafted in (None, key):
            return dataclasses.replace(decision, drafted=drafted, joined=None)
        return dataclasses.replace(decision, drafted=drafted, joined=Duplicate(
            f"{key}: joins story {placement.story} ({placement.layer}, score "
            f"{placement.score:.2f}), drafted from {drafted}; its source is credited there",
            of=drafted, key=key, source=source))

    def place_ahead(self, entry: Entry, facts: Placement) -> tuple[bool, Decision]:
        """Add the entry's placement ahead of its turn; whether it will probably draft its
        story, counting the entries in flight that may draft it (:attr:`drafting`). Only a
        guess, to spare drafting what will join a story: :meth:`resolve` decides in its turn."""
        added = self.add(Decision(self.placer.decide(facts)))
        decision = self.resolve(entry, added)
        if decision.joined is not None:
            return False, added
        story = decision.placement.story
        if self.per_entry or decision.drafted is not None:
            return True, added
        return self.drafting.setdefault(story, entry.key) == entry.key, added

    def enter(self, entry: Entry, decision: Decision) -> tuple[Decision, Verdict | None]:
        """Store what the decision implies: the placement (unless added), the story's draft
        claimed or, for an entry that joins a drafted story, its entry and rejection. Returns
        the decision entered and, when the story's credit changed, the story's draft to write
        out again."""
        joined = decision.joined
        drafts = (joined is None or self.per_entry) and decision.drafted is None
        placement, claimed = decision.placement, False
        if not decision.added:  # a story made now is stored with its draft: nothing to set
            placement = self._placed(placement, draft=entry.key if drafts else None)
            claimed = drafts and not decision.placement.story
        decision = dataclasses.replace(decision, placement=placement, added=True, entered=True)
        story = placement.story
        if self.drafting.get(story) == entry.key:
            del self.drafting[story]
        self.unrecorded.discard(entry.key)
        if joined is None or self.per_entry:
            if drafts and not claimed:
                self.store.set_story_draft(story, entry.key)
            return decision, None
        if decision.placement.layer == "same-post":  # the entry already held stands for it
            return decision, None
        assert decision.drafted is not None
        self.store.save_entry(entry)
        self.store.save_rejection(joined, content_hash=entry.content_hash)
        return decision, self._credit(story, decision.drafted)

    def released(self, entry: Entry) -> None:
        """An entry not placed this time (it could not be extracted, say a withdrawn post):
        when it drafted its story before, the story is free for its next entry (call inside
        the transaction that records it)."""
        if self.per_entry:
            return
        story = self.store.story_draft_of(entry.key)
        if story is not None and story[1] == entry.key:
            self.store.set_story_draft(story[0], None)

    def settled(self, entry: Entry, verdict: Verdict | None,
                decision: Decision) -> Verdict | None:
        """After a drafted entry's outcome is stored (same transaction): free the story for its
        next entry when no draft came of it; else the verdict with the story's credit."""
        if self.per_entry:  # each post keeps its own draft and credit
            return verdict
        story = decision.placement.story
        if verdict is None:
            self.store.set_story_draft(story, None)
            return None
        if decision.placement.layer == "new" and not self.ahead:
            return verdict  # a story of one entry: the draft's own credit stands
        return self._credit(story, entry.key) or verdict

    def _credit(self, story_id: str, drafted: str) -> Verdict | None:
        """Set the story's draft credit from its members; the updated verdict, or None. Reads
        the members' outlets and the draft's credit line; the whole draft only when the line
        changed (to write it out again)."""
        entries = self.store.story_outlets(drafted)
        current = self.store.draft_credit(drafted)
        if not entries or current is None:
            return None
        first = next((e for e in entries if e.key == drafted), None)
        if first is None:
            return None
        members = [e for e in entries if e.key not in self.unrecorded]
        line, language = current
        credit = story_credit(first, [e for e in members if e.key != drafted], language)
        if credit == line or len(members) < 2:
            return None
        stored = self.store.current_draft(drafted)
        if stored is None:
            return None
        self.store.set_draft_credit(drafted, credit)
        log.info("story %s: credit now %s", story_id, credit)
        draft = dataclasses.replace(stored.verdict.draft, credit=credit)
        return dataclasses.replace(stored.verdict, draft=draft)
