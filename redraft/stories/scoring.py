"""How much an article and a story look like the same event: rarity-weighted term cosine,
shared names, shared numbers, and how far apart in time they are.

The design follows Miranda et al. (2018), "Multilingual clustering of streaming news": each
article is compared with the recent stories only, on TF-IDF similarities of its parts and on
time, and joins the best story above a threshold or starts its own. Here the parts are the
title and lead terms (with IDF kept incrementally), the names and the numbers; the weights are
set for precision, because merging two stories loses one for the editor.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime

from redraft.stories.profile import DocumentFrequencies, Profile

TERM_WEIGHT = 1.0  # the cosine of title + lead terms is the main evidence, on a 0..1 scale
NAME_WEIGHT = 0.35  # shared rare names (people, places, bodies) add up to this much
NUMBER_WEIGHT = 0.1  # each shared number (a toll, a vote count, an age) adds this, twice at most
NUMBER_CAP = 2  # two shared numbers are strong; more says little more (dates, years repeat)
GRACE_HOURS = 12.0  # outlets cover one event within half a day: no penalty inside it
HALF_LIFE_HOURS = 24.0  # then the evidence counts half as much each day: later is a development
WINDOW_HOURS = 24.0 * 7  # a story untouched for a week is closed: later news is a new story
BOUND_SLACK = 1e-9  # added to each bound: covers float rounding (~1e-16) in the score it bounds


def time_factor(first: datetime | None, second: datetime | None) -> float:
    """1 within :data:`GRACE_HOURS`, halving every :data:`HALF_LIFE_HOURS` after, 0 outside
    :data:`WINDOW_HOURS`; 1 when either time is unknown (nothing says they are apart)."""
    if first is None or second is None or (first.tzinfo is None) != (second.tzinfo is None):
        return 1.0
    hours = abs((first - second).total_seconds()) / 3600.0
    if hours > WINDOW_HOURS:
        return 0.0
    return float(0.5 ** (max(0.0, hours - GRACE_HOURS) / HALF_LIFE_HOURS))


_TF = [0.0, *(1.0 + math.log(count) for count in range(1, 512))]  # sub-linear TF, looked up


class Comparison:
    """One article compared with many stories' members, each term's rarity computed once and the
    article's vector and norm kept (a placement compares a few dozen members that share most of
    their terms)."""

    def __init__(self, profile: Profile, frequencies: DocumentFrequencies) -> None:
        self.profile = profile
        self.frequencies = frequencies
        self.names = frozenset(profile.names)
        self.idf = frequencies.idfs([*profile.terms, *self.names])
        self.vector = self._weighted(profile.terms)
        self.norm = _norm(self.vector)
        # Sums over sets go through fsum: exact whatever the set's order, which the hash seed sets,
        # so every process (a worker, the next run) makes the same decision at a threshold.
        self.names_weight = math.fsum(self.idf[name] for name in self.names)

    def read_members(self, frequencies: DocumentFrequencies) -> None:
        """Weigh the members' terms with ``frequencies``: a table read for them from the same
        index at the same moment as the article's (its weights, already kept, stay valid)."""
        self.frequencies = frequencies

    def _rarities(self, terms: Iterable[str]) -> dict[str, float]:
        """The IDF table, completed with these terms (in one pass, not one call a term)."""
        idf = self.idf
        missing = set(terms).difference(idf)
        if missing:
            idf.update(self.frequencies.idfs(missing))
        return idf

    def _weighted(self, terms: Mapping[str, int]) -> dict[str, float]:
        idf, tf = self._rarities(terms), _TF
        return {term: (tf[count] if count < 512 else 1.0 + math.log(count)) * idf[term]
                for term, count in terms.items()}

    def key_terms(self, count: int) -> tuple[str, ...]:
        """The ``count`` names and terms that weigh most (the article's vector, plus each
        name's rarity), rarest first; ties in name order."""
        vector = dict(self.vector)
        for name in self.profile.names:
            vector[name] = vector.get(name, 0.0) + self.idf[name]
        # A stable sort by weight of the names in order: equal weights stay in name order.
        return tuple(sorted(sorted(vector), key=vector.__getitem__, reverse=True)[:count])

    def bound(self, members: Sequence[Profile]) -> float:
        """An upper bound of the mean :meth:`score` over ``members`` that weighs none of their
        terms (no rarities read): a story below the join threshold by its bound is not scored.

        The term cosine is bounded by the share of the article's weight on the terms it shares
        with the member (Cauchy-Schwarz: ``a.b <= |a_shared| |b|``), the share of names by 1.
        """
        if not members:
            return 0.0
        vector, norm, names, numbers = self.vector, self.norm, self.names, self.profile.numbers
        total = 0.0
        for member in members:
            decay = time_factor(self.profile.published, member.published)
            if decay == 0.0:
                continue
            bound = 0.0
            if norm and (shared := vector.keys() & member.terms.keys()):
                bound = TERM_WEIGHT * math.sqrt(sum(vector[t] * vector[t] for t in shared)) / norm
            if not names.isdisjoint(member.names):
                bound += NAME_WEIGHT
            bound += NUMBER_WEIGHT * min(NUMBER_CAP, len(numbers & member.numbers))
            total += bound * decay
        return total / len(members) + BOUND_SLACK

    def score(self, member: Profile) -> float:
        """How strongly the article and ``member`` look like one story, time included (0 =
        unrelated): rarity-weighted term cosine (sub-linear TF), rarity-weighted share of shared
        names, shared numbers, times the time decay."""
        decay = time_factor(self.profile.published, member.published)
        if decay == 0.0:
            return 0.0
        score = 0.0
        vector = self.vector
        if vector and member.terms:
            other = self._weighted(member.terms)
            dot = sum(value * other[term] for term, value in vector.items() if term in other)
            if dot:
                norm = _norm(other)
                score = TERM_WEIGHT * dot / (self.norm * norm)
        if self.names and member.names:
            idf = self._rarities(member.names)
            shared = math.fsum(idf[name] for name in self.names & member.names)
            if shared:
                smaller = min(self.names_weight, math.fsum(idf[name] for name in member.names))
                score += NAME_WEIGHT * shared / smaller
        score += NUMBER_WEIGHT * min(NUMBER_CAP, len(self.profile.numbers & member.numbers))
        return score * decay


def _norm(vector: Mapping[str, float]) -> float:
    """The vector's length (the products summed in order, as a generator would: same bits)."""
    values = list(vector.values())
    return math.sqrt(sum(map(operator.mul, values, values)))
