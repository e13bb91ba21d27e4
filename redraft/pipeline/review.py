"""The review app's library side: the queue, an editor's edit verified again, and the map from
each draft sentence to the source sentences that support it.

The web face (:mod:`redraft.web`) only calls these and renders what they return.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Literal

from redraft.errors import InputError
from redraft.pipeline.desk import DeskItem, DeskState, desk_item, find_draft
from redraft.records import Attempt, Entry, Problem, Verdict
from redraft.store import QueueRow, Store
from redraft.text import content_terms, normalise, split_sentences
from redraft.verify import draft_from_text, verify

# A draft sentence is linked to a source sentence it is not copied from only when they share
# this many content words: one shared word ("government") links unrelated sentences.
MIN_SHARED_TERMS = 2
# A rewritten sentence rarely fuses more than three source sentences (as the verifier aligns).
MAX_LINKED = 3
# The longest draft an editor may save, in characters: a pasted page is a mistake, not a draft.
MAX_EDIT_CHARS = 100_000

Verdicts = Literal["passed", "failed"]
QueueOrder = Literal["newest", "outlets"]
QUEUE_ORDERS: tuple[QueueOrder, ...] = ("newest", "outlets")
_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True, slots=True)
class QueueItem:
    """A row of the queue with its desk state."""

    row: QueueRow
    state: DeskState


@dataclass(frozen=True, slots=True)
class QueueFilter:
    """What the queue shows: free text (title, source, key), a verdict, a state, a source, a
    least number of outlets covering the story, and the order (newest first, or the stories
    most outlets cover first, newest first among equals)."""

    search: str = ""
    verdict: Verdicts | None = None
    state: DeskState | None = None
    source: str | None = None
    outlets: int | None = None
    order: QueueOrder = "newest"


def queue(store: Store, filters: QueueFilter | None = None) -> list[QueueItem]:
    """Current drafts, newest first, that pass ``filters``."""
    items = [QueueItem(row, _state(row)) for row in store.queue_rows()]
    return matching(items, filters) if filters is not None else items


def matching(items: Sequence[QueueItem], filters: QueueFilter) -> list[QueueItem]:
    """The items that pass ``filters``, in their order."""
    needle = filters.search.strip().casefold()
    chosen = [item for item in items
              if (filters.state is None or item.state == filters.state)
              and (filters.verdict is None or item.row.passed == (filters.verdict == "passed"))
              and (filters.source is None or item.row.source == filters.source)
              and (filters.outlets is None or item.row.outlets >= filters.outlets)
              and (not needle or needle in f"{item.row.title}\n{item.row.source}\n{item.row.key}"
                   .casefold())]
    if filters.order == "outlets":
        chosen.sort(key=lambda item: -item.row.outlets)  # stable: newest first among equals
    return chosen


def story_entries(store: Store, key: str) -> list[Entry]:
    """The other entries of the story ``key``'s draft stands for, oldest first, as a credit
    reads them (no bodies; none without a story)."""
    return [entry for entry in store.story_outlets(key) if entry.key != key]


def _state(row: QueueRow) -> DeskState:
    """As the desk says: published once posted, else the latest review of this draft."""
    if row.posted:
        return "published"
    if row.decision == "approved":
        return "approved"
    return "rejected" if row.decision == "rejected" else "new"


def edit(store: Store, key: str, text: str, *, who: str) -> DeskItem:
    """Store an editor's text as the entry's new current draft, verified again.

    The draft keeps the stored draft's budget and credit (a last line naming the source
    replaces the credit); it is recorded as an attempt by ``editor:<who>``. Its review state
    starts again at ``new``: an approval was of the old text.

    Raises:
        InputError: no current draft for ``key``, or the text is empty or too long.
    """
    current = find_draft(store, key).stored
    if not text.strip():
        raise InputError(f"the edited draft of {key!r} is empty; write at least one sentence")
    if len(text) > MAX_EDIT_CHARS:
        raise InputError(f"the edited draft of {key!r} is over {MAX_EDIT_CHARS} characters")
    old = current.verdict.draft
    draft = draft_from_text(old.article, text, budget=old.budget)
    draft = replace(draft, engine=f"editor:{who}", credit=draft.credit or old.credit)
    verdict = verify(draft)
    attempt = Attempt(engine=draft.engine, score=verdict.score, passed=verdict.passed,
                      problems=verdict.problems)
    with store.transaction():
        store.save_draft(verdict, recipe=current.recipe, attempts=[attempt])
    stored = store.current_draft(key)
    assert stored is not None  # saved just above, in the same connection
    return desk_item(store, stored)


# --- evidence: draft sentences to source sentences --------------------------------------------

@dataclass(frozen=True, slots=True)
class SourceSentence:
    """A sentence of the source, numbered across the article."""

    number: int
    paragraph: int
    text: str


@dataclass(frozen=True, slots=True)
class DraftSentence:
    """A sentence of the draft, the source sentences that support it and its problems."""

    number: int
    paragraph: int
    text: str
    links: tuple[int, ...]
    problems: tuple[Problem, ...]


@dataclass(frozen=True, slots=True)
class EvidenceMap:
    """The source and the draft sentence by sentence, linked; problems not tied to a sentence
    (credit, length) apart."""

    source: tuple[SourceSentence, ...]
    draft: tuple[DraftSentence, ...]
    general: tuple[Problem, ...]

    def linked(self, number: int) -> tuple[int, ...]:
        """The draft sentences linked to source sentence ``number``."""
        return tuple(s.number for s in self.draft if number in s.links)


def _key(text: str) -> str:
    return " " + " ".join(_WORD.findall(text.casefold())) + " "


def evidence_map(verdict: Verdict) -> EvidenceMap:
    """Split source and draft into sentences and link each draft sentence to its support: the
    verifier's evidence for a flagged sentence, else the source sentence it is copied from,
    else the source sentences sharing most of its content words."""
    article = verdict.draft.article
    language = article.language
    source = tuple(
        SourceSentence(0, number, text)
        for number, paragraph in enumerate(article.paragraphs)
        for text in split_sentences(normalise(paragraph), language)
    )
    source = tuple(replace(s, number=n) for n, s in enumerate(source))
    keys = [_key(s.text) for s in source]
    terms = [set(content_terms(s.text, language)) for s in source]
    sentences: list[DraftSentence] = []
    used: set[Problem] = set()
    for number, paragraph in enumerate(verdict.draft.paragraphs):
        for text in split_sentences(paragraph, language):
            problems = tuple(p for p in verdict.problems if p.sentence and (
                p.sentence == text or (p.kind == "repeated" and text in p.sentence)))
            used.update(problems)
            links = _links(text, problems, keys, terms, language)
            sentences.append(DraftSentence(len(sentences), number, text, links, problems))
    general = tuple(p for p in verdict.problems if p not in used)
    return EvidenceMap(source, tuple(sentences), general)


def _links(text: str, problems: Sequence[Problem], keys: Sequence[str],
           terms: Sequence[set[str]], language: str) -> tuple[int, ...]:
    evidence = [_key(p.evidence) for p in problems if p.evidence and p.kind != "repeated"]
    if evidence:
        return tuple(n for n, key in enumerate(keys)
                     if key.strip() and any(key in found for found in evidence))
    key = _key(text)
    if key.strip():
        for n, source_key in enumerate(keys):
            if key in source_key:
                return (n,)
    wanted = set(content_terms(text, language))
    chosen: list[int] = []
    covered: set[str] = set()
    while len(chosen) < MAX_LINKED:
        gains = [(len((wanted & found) - covered), -n) for n, found in enumerate(terms)
                 if n not in chosen]
        if not gains:
            break
        gain, best = max(gains)
        if gain < MIN_SHARED_TERMS:
            break
        chosen.append(-best)
        covered |= wanted & terms[-best]
    return tuple(sorted(chosen))
