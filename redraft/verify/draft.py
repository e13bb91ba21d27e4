"""Checks of the draft as a whole: repeated sentences, the credit line and the length."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from itertools import chain

from redraft.records import Draft, Entry, Problem
from redraft.text import (
    NEAR_DUPLICATE_WORDS_PER_EDIT,
    NearDuplicates,
    duplicate_key,
    spaceless,
    word_count,
    words_in,
)
from redraft.verify.source import _Source
from redraft.verify.words import NO_BUDGET, REPEATED_PARAGRAPH_SHARE, _key

# --- the whole draft ---------------------------------------------------------------------------


def _sentences(paragraphs: Sequence[str], split: Sequence[Sequence[str]],
               source: _Source) -> tuple[list[Problem], list[str]]:
    """Repeated paragraphs and sentences as problems, and the sentences left to judge
    (``split``: each paragraph's sentences).

    A paragraph most of whose sentences repeat earlier ones is one repeated paragraph; a
    sentence the source itself says as often (a refrain) is no repetition of the draft's.
    """
    problems: list[Problem] = []
    seen, home = _Met(), dict[str, str]()
    met: list[str] = []
    kept: list[str] = []
    said = _Said()
    for paragraph, sentences in zip(paragraphs, split, strict=True):
        earlier: list[str | None] = []
        for sentence in sentences:
            number = seen.repeats(sentence)
            if number is None:
                met.append(sentence)
            earlier.append(None if number is None else met[number])
        for number, sentence in enumerate(sentences):
            said.add(sentence)
            if earlier[number] is not None:
                key = _key(sentence)
                if source.count_key(key) >= said.times(key):
                    earlier[number] = None
        repeats = [e for e in earlier if e is not None]
        if repeats and len(repeats) >= REPEATED_PARAGRAPH_SHARE * len(sentences):
            detail = "this paragraph repeats an earlier one"
            problems.append(Problem("repeated", paragraph, home.get(repeats[0], repeats[0]), detail))
            continue
        for sentence, before in zip(sentences, earlier, strict=True):
            if before is None:
                kept.append(sentence)
                home[sentence] = paragraph
            else:
                problems.append(Problem("repeated", sentence, before, "this sentence repeats an earlier one"))
    return problems, kept


class _Met:
    """The draft's sentences met so far (:class:`NearDuplicates`), searched only when one may
    repeat: within the allowed edits, its words are as many as those of a sentence met, give or
    take the edits (each edit adds or removes at most one word), and each of its words that the
    sentence met lacks takes an edit; in most drafts no two sentences are that close. A
    sentence is indexed only when a search comes (in the order met, so the index and its
    numbers are the same): most drafts never search, and no draft indexes the sentences after
    its last search."""

    def __init__(self) -> None:
        self.texts = NearDuplicates()
        self.lengths: set[int] = set()
        self.waiting: list[tuple[str, ...]] = []  # the keys met and not yet indexed

    def repeats(self, sentence: str) -> int | None:
        """:meth:`NearDuplicates.repeats`: the number of the sentence met that this one repeats,
        or None (and this one is met)."""
        key = duplicate_key(sentence)
        size = len(key)
        # the lengths within the allowed edits: n <= size loses at most size // 8 words, n > size
        # gains d <= (size + d) // 8, that is d <= size // 7
        edits = NEAR_DUPLICATE_WORDS_PER_EDIT
        if (not self.lengths.isdisjoint(range(size - size // edits, size + size // (edits - 1) + 1))
                and self._may_repeat(key)):
            for waiting in self.waiting:
                self.texts.add_key(waiting)
            self.waiting.clear()
            number = self.texts.repeats_key(key)
            if number is not None:
                return number
        else:
            self.waiting.append(key)
        self.lengths.add(size)
        return None

    def _may_repeat(self, key: tuple[str, ...]) -> bool:
        """Whether a sentence met may be within the allowed edits of ``key``, by a test that
        never misses one: it is as long, give or take the edits, and the words of ``key`` it
        lacks (each, wherever it stands, to be replaced or deleted) are no more than the edits."""
        words = set(key)
        for other in chain(self.texts.texts, self.waiting):
            allowed = max(len(key), len(other)) // NEAR_DUPLICATE_WORDS_PER_EDIT
            if abs(len(key) - len(other)) <= allowed and len(words.difference(other)) <= allowed:
                return True
        return False


class _Said:
    """How often the draft has said each sentence so far (by :func:`_key`), counted only once a
    repeat asks: most drafts repeat nothing, and their sentences' keys are never made."""

    def __init__(self) -> None:
        self.sentences: list[str] = []
        self.counts: Counter[str] | None = None

    def add(self, sentence: str) -> None:
        if self.counts is None:
            self.sentences.append(sentence)
        else:
            self.counts[_key(sentence)] += 1

    def times(self, key: str) -> int:
        if self.counts is None:
            self.counts = Counter(map(_key, self.sentences))
        return self.counts[key]


def _credit(draft: Draft) -> list[Problem]:
    entry = draft.article.entry
    expected = entry.credit(draft.article.language)
    if not draft.credit.strip():
        return [Problem("credit", "", expected, "the draft does not name its source")]
    if draft.credit == expected and not spaceless(expected):
        return []  # the line an engine writes names the title (or link) itself: no keys needed
    if not _names_source(draft.credit, entry):
        detail = "the credit names neither the source's title nor its link"
        return [Problem("credit", draft.credit, expected, detail)]
    return []


def _names_source(credit: str, entry: Entry) -> bool:
    """Whether the credit line holds the words of the entry's title or link (or the entry has
    neither). The expected line (:meth:`Entry.credit`) always does, when its words are split at
    blanks: the title and link stand in it between blanks, and those words never join across a
    blank; in a script without spaces (the words ICU finds) that is not sure, so it is checked."""
    names = [_key(name) for name in (entry.title, entry.url) if _key(name).strip()]
    return not names or any(name in _key(credit) for name in names)


def _length(draft: Draft, sentences: Sequence[str]) -> list[Problem]:
    """A draft over its budget: more sentences than a sentence budget, or more words than a word
    target plus its longest sentence (the slack an engine stopping at the sentence crossing the
    target needs; the extractive engine never uses it, and LLM drafts are to be cut to the
    budget before they are judged, which will let this check be strict)."""
    budget = draft.budget
    if budget == NO_BUDGET or not sentences:
        return []
    if budget.kind == "sentences":
        have, target, unit = len(sentences), int(budget.value), "sentences"
        over = have > target
    else:
        have, unit = words_in(draft.paragraphs), "words"
        target = budget.target_words(draft.article.words) or 0
        # the slack: one sentence, counted as the draft is (counted only for a draft over target)
        over = have > target and have > target + max(word_count(s) for s in sentences)
    if not over:
        return []
    detail = f"too long: {have} {unit} for a budget of {budget.describe()} ({target} {unit})"
    return [Problem("length", "", "", detail)]
