"""One draft from several outlets' accounts of a story: multi-document extractive selection.

Each source is first condensed on its own by the extractive engine
(:class:`~redraft.condense.extractive.ExtractiveCondenser`), which already picks that source's
lead and central, readable units; its picks, in its own order, are the source's candidates.
Across sources:

1. **Units.** A candidate sentence that points back (``He``, ``But``: see
   :func:`redraft.text.points_back`) stays with the sentence before it: they are one unit.
2. **Corroboration.** A unit scores more the more *other* outlets report the same fact: an
   outlet corroborates a unit when one of its sentences and the unit share at least
   :data:`SAME_FACT_OVERLAP` of the smaller one's content stems. Score: ``(1 + CORROBORATION_WEIGHT x
   outlets) / (1 + POSITION_DECAY x rank)``, where rank is the unit's place in its source.
3. **Redundancy.** Units are taken best first; a unit that shares :data:`REDUNDANT_OVERLAP`
   of its stems with one already taken, or says nearly the same words
   (:func:`redraft.text.near_duplicate`), says it again and is passed over.
4. **Budget.** The budget applies to the longest source (a merged draft is one story's draft,
   not the sum of its outlets'): units are taken while they fit.
5. **Contradictions.** A picked sentence and another outlet's sentence about the same fact
   (:data:`CONTRADICTION_OVERLAP` of stems shared) that both state numbers, none in common,
   is a :class:`Conflict`: the caller flags it.

Pure: no store, no verification; :mod:`redraft.pipeline.merging` verifies each picked sentence
against the source it came from.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from redraft.condense.extractive import ExtractiveCondenser
from redraft.errors import NoText, Rejected
from redraft.records import Article, Budget
from redraft.text import (
    content_stemmer,
    near_duplicate,
    points_back,
    split_sentences,
    word_count,
    words,
)

# Each source's own extractive draft at this many sentences gives its candidates: more than any
# merged draft takes from one outlet, few enough that comparing across outlets stays cheap.
SOURCE_SENTENCES = 8
# An outlet reports the same fact when one sentence shares half the unit's content stems:
# outlets word a fact differently, but its names, numbers and key nouns are the same.
SAME_FACT_OVERLAP = 0.5
# Each corroborating outlet adds this much to a unit's score: a fact two outlets report
# outranks the next unit of the lead source, one only it reports does not outrank its lead.
CORROBORATION_WEIGHT = 0.5
# The lead bias within a source, as the single-article engine's (news says what matters first).
POSITION_DECAY = 0.3
# A unit sharing this share of its stems with a unit already taken says the same thing again.
REDUNDANT_OVERLAP = 0.6
# Two sentences sharing this share of stems speak of the same fact; disjoint numbers then
# contradict (lower than SAME_FACT_OVERLAP: the numbers themselves are not shared).
CONTRADICTION_OVERLAP = 0.4

_NUMBER = re.compile(r"^\d+(?:[.,]\d+)*$")


@dataclass(frozen=True, slots=True)
class Picked:
    """A sentence of the merged draft and where it came from.

    Attributes:
        text: the sentence, as its source wrote it (or as the extractive engine shortened it).
        source: the index of its source article in the list given.
        corroborated: how many other sources report the same fact.
    """

    text: str
    source: int
    corroborated: int


@dataclass(frozen=True, slots=True)
class Conflict:
    """A picked sentence whose numbers another source's sentence on the same fact contradicts.

    Attributes:
        sentence: the picked sentence.
        source: its source's index.
        other: the other source's sentence.
        other_source: that source's index.
    """

    sentence: str
    source: int
    other: str
    other_source: int


@dataclass(frozen=True, slots=True)
class Merged:
    """The multi-document selection: sentences in draft order, and the conflicts found."""

    sentences: tuple[Picked, ...]
    conflicts: tuple[Conflict, ...]


@dataclass(slots=True)
class _Unit:
    sentences: list[str]
    source: int
    rank: int
    stems: frozenset[str]
    words: int
    outlets: int = 0
    score: float = 0.0


def numbers_of(text: str) -> frozenset[str]:
    """The numbers a sentence writes, separators dropped (``1,200`` -> ``1200``)."""
    return frozenset(word.replace(",", "").rstrip(".") for word in words(text)
                     if _NUMBER.match(word))


def _overlap(first: frozenset[str], second: frozenset[str]) -> float:
    """The share of the smaller stem set that the other has: a short sentence inside a long
    one says the same thing, whichever is asked about."""
    smaller = min(len(first), len(second))
    return len(first & second) / smaller if smaller else 0.0


class MergeSelector:
    """Picks one draft's sentences from several articles about one story."""

    def __init__(self, condenser: ExtractiveCondenser | None = None) -> None:
        self.condenser = condenser or ExtractiveCondenser()

    def select(self, articles: Sequence[Article], budget: Budget) -> Merged:
        """The merged draft's sentences within ``budget`` (applied to the longest source).

        Raises:
            NoText: no source has a sentence to condense.
        """
        per_source = [self._candidates(article) for article in articles]
        if not any(per_source):
            first = articles[0].entry if articles else None
            raise NoText("no source of the story has sentences to condense",
                         key=first.key if first else "", source=first.source if first else "")
        stemmed = [[(s, self._stems(s, articles[i].language)) for s in sentences]
                   for i, sentences in enumerate(per_source)]
        units = [unit for i, sentences in enumerate(per_source)
                 for unit in self._units(sentences, i, articles[i].language)]
        for unit in units:
            unit.outlets = sum(
                1 for j, others in enumerate(stemmed) if j != unit.source
                and any(_overlap(unit.stems, stems) >= SAME_FACT_OVERLAP for _, stems in others))
            unit.score = (1 + CORROBORATION_WEIGHT * unit.outlets) / (1 + POSITION_DECAY * unit.rank)
        picked = self._pick(units, budget, max(a.words for a in articles))
        sentences = tuple(Picked(text, unit.source, unit.outlets)
                          for unit in picked for text in unit.sentences)
        return Merged(sentences, tuple(self._conflicts(sentences, stemmed, articles)))

    def _candidates(self, article: Article) -> list[str]:
        try:
            draft = self.condenser.condense(article, Budget.asked("sentences", SOURCE_SENTENCES))
        except (NoText, Rejected):
            return []  # a source without a usable sentence adds nothing (its outlet is credited)
        return [s for paragraph in draft.paragraphs
                for s in split_sentences(paragraph, article.language)]

    @staticmethod
    def _stems(text: str, language: str) -> frozenset[str]:
        stem = content_stemmer(language)
        return frozenset(term for word in words(text) if (term := stem(word)))

    def _units(self, sentences: Sequence[str], source: int, language: str) -> list[_Unit]:
        units: list[_Unit] = []
        for sentence in sentences:
            if units and points_back(sentence, language):
                units[-1].sentences.append(sentence)
                continue
            units.append(_Unit([sentence], source, len(units), frozenset(), 0))
        for unit in units:
            text = " ".join(unit.sentences)
            unit.stems = self._stems(text, language)
            unit.words = word_count(text)
        return units

    @staticmethod
    def _pick(units: list[_Unit], budget: Budget, source_words: int) -> list[_Unit]:
        limit = budget.target_words(source_words)
        most = int(budget.value) if budget.kind == "sentences" else None
        taken: list[_Unit] = []
        used_words = used_sentences = 0
        for unit in sorted(units, key=lambda u: (-u.score, u.rank, u.source)):
            if limit is not None and used_words + unit.words > limit and taken:
                continue
            if most is not None and used_sentences + len(unit.sentences) > most:
                continue
            if any(_overlap(unit.stems, other.stems) >= REDUNDANT_OVERLAP
                   or near_duplicate(" ".join(unit.sentences), " ".join(other.sentences))
                   for other in taken):
                continue
            taken.append(unit)
            used_words += unit.words
            used_sentences += len(unit.sentences)
        return taken

    def _conflicts(self, picked: Sequence[Picked],
                   stemmed: Sequence[Sequence[tuple[str, frozenset[str]]]],
                   articles: Sequence[Article]) -> list[Conflict]:
        found = []
        for item in picked:
            numbers = numbers_of(item.text)
            if not numbers:
                continue
            stems = self._stems(item.text, articles[item.source].language)
            for j, others in enumerate(stemmed):
                if j == item.source:
                    continue
                for other, other_stems in others:
                    other_numbers = numbers_of(other)
                    if (other_numbers and not numbers & other_numbers
                            and _overlap(stems, other_stems) >= CONTRADICTION_OVERLAP):
                        found.append(Conflict(item.text, item.source, other, j))
                        break
        return found
