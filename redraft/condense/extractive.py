"""The default engine: offline, deterministic, faithful by construction.

The draft is made of the source's own sentences, whole or shortened by a safe deletion
(:func:`redraft.text.strip_asides`: a bracketed aside, an aside between dashes, the lead's
dateline), never reworded; the one mark it adds closes a quotation it stops quoting (below):

1. **Sentences.** Every paragraph, list item and block quote is split into sentences in the
   article's language. Headings are never picked (unless the article is nothing but headings),
   nor are fragments of fewer than :data:`MIN_SENTENCE_WORDS` words (datelines, bylines,
   "Scroll down"), unpunctuated lines of fewer than twice that (labels, credits), junk (a bare
   URL, a footnote marker, a reference, an image credit), nor a sentence that repeats an
   earlier one; and no picked sentence repeats another even nearly
   (:func:`redraft.text.near_duplicate`). Block quotes are
   someone else's words: they are picked only when the article's own sentences cannot fill
   the budget.
2. **Units.** A sentence that cannot be read alone is taken with the sentences it depends on,
   or not at all (:mod:`redraft.text.discourse`): one that opens by pointing back ("He",
   "But", "Hours later", "Sin embargo", "Cela dit") needs the one before; a quotation running
   over several sentences is one unit; a quoted claim without a speaker needs the sentence
   beside it that names one (else it is never picked); a list item needs the items and the
   lead-in before it; a sentence announcing what follows (a colon, "the following", "below")
   needs the one after. A unit longer than :data:`MAX_UNIT_SENTENCES` is never picked. A
   quotation the source never closes (left open at its paragraph's end, not reopened) ends
   with its paragraph: the draft closes it there when its speaker introduces it
   (:func:`redraft.text.discourse.closing_mark`); otherwise a unit reaching it is unusable.
3. **Lead.** The unit of the first statement of the body opens the draft when it fits. When
   its quotation runs on past the budget, the draft quotes the quotation's first whole
   sentences that fit and closes it after them, as an editor quoting part of a statement
   does, if its speaker introduces it ("X said: “…") and the sentence where it closes names
   no speaker (the cut would drop them); the rest of that quotation is then never picked.
   Else the nearest whole unit after it that fits, among the first :data:`LEAD_REACH`
   statements. A budget that holds fewer than :data:`LEAD_SENTENCES` sentences (a sentence
   count, or a word count over the article's mean statement length) is filled from the lead
   alone: the first units, in source order, that fit (one quotation among them cut so). The
   shorter a summary of news, the more it is its lead; closing the lead's quotation keeps
   the lead's own words where refusing it would lose them.
4. **Centrality.** A sentence scores the mean, over its content stems, of how many *later*
   sentences use the stem: news states its topics first and elaborates after, so a sentence
   that introduces what follows is central (the forward direction of PACSUM's directed
   centrality, Zheng & Lapata 2019). It is computed in one backward pass, O(words), and
   divided by ``1 + POSITION_DECAY * index`` for the lead bias of news. Only the
   :data:`MAX_CANDIDATES` best sentences are candidates, so the work per article is bounded.
5. **Redundancy.** Picking is greedy; a candidate loses ``REDUNDANCY_PENALTY`` of its score
   times the share of its stems already in the closest picked sentence.
6. **Budget.** A budget is a maximum, never exceeded: a sentence budget takes at most that
   many sentences, a word budget (a ratio of the source's words, or a word count) at most that
   many words. The best unit that still fits is taken until none fits. Under a word or
   sentence count, a draft whose every unit is too long is rejected with the reason; under a
   ratio the lead's unit is kept even when it alone is longer (a draft has at least one unit).
7. **Paragraphs.** Picked sentences keep source order; sentences from one source paragraph
   share a draft paragraph. The draft carries its credit line (:meth:`Entry.credit`).
"""

from __future__ import annotations

import heapq
import re
from collections import Counter
from dataclasses import dataclass
from itertools import repeat

from redraft.errors import NoText, Rejected
from redraft.records import Article, Budget, Draft
from redraft.text import (
    NearDuplicates,
    attributes,
    content_stemmer,
    junk,
    normalise,
    points_back,
    quote_flow,
    signpost,
    split_sentences,
    strip_asides,
    strip_dateline,
    unattributed_quote,
    word_count,
    words,
)
from redraft.text.discourse import closing_mark

# Lead bias: news says what matters first. Best and flat from 0.15 to 0.4 on random halves of
# the CNN/DM development set (ROUGE at 3 sentences), so a middle value.
POSITION_DECAY = 0.3
# Share of a score lost by a sentence whose stems all appear in one picked sentence: enough to
# pass over a restatement of the lead, not so much that a sentence on the same topic is lost.
REDUNDANCY_PENALTY = 0.5
# A "sentence" with fewer words than this is a dateline, byline or caption stub, not a statement.
MIN_SENTENCE_WORDS = 5
# Candidates kept, best first: a draft of any readable length uses a few dozen sentences, and
# comparing each candidate with each pick stays bounded (at most this many squared).
MAX_CANDIDATES = 400
# Sentences read per article: the longest real articles have a few hundred, and the lead bias
# leaves later ones almost no score; past this, a "post" is a dump, and the work stays bounded.
MAX_SENTENCES = 3000
# A unit of more sentences than this (a long quotation, a long list) is too long to condense.
MAX_UNIT_SENTENCES = 6
# When the constraints refuse the lead's unit (a quotation running on, a budget it overflows),
# the draft opens with the first whole unit among this many statements that fits.
LEAD_REACH = 3
# A budget of fewer sentences than this is filled from the lead, in source order. At 2 sentences
# on the development halves of the news sets, centrality lost to LEAD-2 on Portuguese (-0.9 R-1)
# and Vietnamese (-0.6 R-2), lead-first did not (it differs from LEAD only where the constraints
# refuse a sentence); at 3, centrality beats LEAD-3 on CNN/DM by 1.6 R-1.
LEAD_SENTENCES = 3

_STOP = frozenset({""})  # what content_stem gives for a stop word
_REOPEN = "\"“«„"  # a quotation running over paragraphs reopens each with one of these
# Closing punctuation (Chinese and Japanese full-width marks too), then quotes or brackets.
_ENDED = re.compile(r"[.!?…:;。！？：；][\"'”’»)\]」』）]*\s*$")


@dataclass(slots=True)
class _Sentence:
    index: int  # position among the article's sentences
    block: int  # the source block it came from
    kind: str  # the source block's kind: "p", "li", "quote", "h"
    text: str
    words: int
    statement: bool  # enough words to say something: may be ranked
    usable: bool  # not a label, junk or a repeat: may be part of a unit
    label: bool  # a short line without closing punctuation: a label, a byline
    quoted: bool  # from a block quote: someone else's words
    terms: frozenset[str]
    key: tuple[str, ...]  # its words, case-folded: what a near repeat is judged on
    score: float = 0.0
    needs_prev: bool = False  # cannot be read without the sentence before
    needs_next: bool = False  # cannot be read without the sentence after
    continues: bool = False  # continues a quotation opened before it
    open_after: bool = False  # leaves a quotation open
    resolved: bool = False  # needs_prev, needs_next and usable are worked out
    gap: bool = False  # a heading or junk stood between it and the sentence before
    close: str = ""  # the mark closing, after it, a quotation its source never closes
    ahead: bool = False  # needs the sentence after for more than an open quotation


class ExtractiveCondenser:
    """Condense an article by picking its lead and its most central, least redundant units.

    Attributes:
        name: ``"extractive"``, the engine label stored with each draft.
    """

    name = "extractive"

    def __init__(self, *, ascii_quotes: bool = False) -> None:
        """Args: ascii_quotes: write the credit line with ASCII quotes and dashes."""
        self.ascii_quotes = ascii_quotes

    def condense(self, article: Article, budget: Budget) -> Draft:
        """Return a draft of ``article`` within ``budget``, made of the source's sentences.

        Args:
            article: the clean article.
            budget: a ratio of the source's words, a word count or a sentence count (a
                maximum).

        Raises:
            NoText: the article has no sentence at all.
            Rejected: no unit of sentences fits within a word or sentence count.
        """
        entry = article.entry
        sentences = _sentences(article, asides=budget.kind != "sentences")
        if not sentences:
            raise NoText("the article has no sentences to condense", key=entry.key, source=entry.source)
        _link(sentences, article.language)
        _score(sentences)
        candidates = _candidates(sentences, budget, article.words)
        picked = _pick(sentences, candidates, budget, article.words, article.language)
        if not picked:
            raise Rejected(
                f"no sentence of the article, with those it depends on, fits within "
                f"{budget.describe()}: give a larger budget", key=entry.key, source=entry.source,
            )
        credit = entry.credit(article.language)
        return Draft(
            article=article,
            paragraphs=_paragraphs(picked),
            engine=self.name,
            budget=budget,
            prompt=None,
            credit=normalise(credit, ascii_quotes=True) if self.ascii_quotes else credit,
        )


def _sentences(article: Article, *, asides: bool = True) -> list[_Sentence]:
    """The body's sentences, the lead without its dateline, and without their asides when
    ``asides`` (a word budget, where they buy room); the headings' when there is no body."""
    language = article.language
    body = [(i, b.kind, b.text) for i, b in enumerate(article.blocks) if b.kind != "h"]
    if not any(text.strip() for _, _, text in body):
        body = [(i, "p", b.text) for i, b in enumerate(article.blocks)]
    result: list[_Sentence] = []
    term = content_stemmer(language)
    seen: set[tuple[str, ...]] = set()  # a sentence the source says twice is said once
    before_lead = True  # a dateline can only open the lead
    gap = False  # a heading or junk stood between this block and the sentence before
    previous = -1
    for block, kind, text in body:
        if junk(text):
            gap = True
            continue
        gap = gap or block != previous + 1
        previous = block
        if len(result) >= MAX_SENTENCES:
            break
        for raw in split_sentences(text, language)[: MAX_SENTENCES - len(result)]:
            if asides:
                sentence = strip_asides(raw, dateline=before_lead, language=language)
            else:
                sentence = strip_dateline(raw) if before_lead else raw
            tokens = words(sentence.casefold())  # one cache entry per word, whatever its case
            letters = sum(map(str.isalpha, tokens))
            # Unpunctuated and short: a label ("Max Burton Keynotes"), a caption, a byline.
            label = letters < 2 * MIN_SENTENCE_WORDS and not _ENDED.search(sentence)
            key = tuple(tokens)  # its words: compared only with this article's own keys
            usable = not label and letters > 0 and key not in seen
            seen.add(key)
            statement = usable and letters >= MIN_SENTENCE_WORDS
            before_lead = before_lead and not (statement and kind != "quote")
            result.append(
                _Sentence(
                    index=len(result), block=block, kind=kind, text=sentence,
                    words=word_count(sentence), statement=statement, usable=usable, label=label,
                    quoted=kind == "quote", terms=frozenset(map(term, tokens)) - _STOP, gap=gap,
                    key=key,
                )
            )
            gap = False
    return result


def _link(sentences: list[_Sentence], language: str) -> None:
    """Follow quotation marks through the article: which sentences continue or leave open one,
    and where a quotation its source never closes (left open at a paragraph's end and not
    reopened) is closed by the draft: after that paragraph, when its speaker introduces it."""
    inside = False
    opener: _Sentence | None = None  # the sentence opening the quotation open now
    for i, sentence in enumerate(sentences):
        text = sentence.text
        if i and sentences[i - 1].block != sentence.block and text[:1] not in _REOPEN:
            if inside:  # a quotation left open at a paragraph's end and not reopened
                _unclosed(sentences[i - 1], opener, language)
            inside = False
        sentence.continues, leaves_open = quote_flow(text, inside)
        if leaves_open and not (inside and sentence.continues and opener is not None):
            opener = sentence
        inside = sentence.open_after = leaves_open
    if inside and sentences:
        _unclosed(sentences[-1], opener, language)


def _unclosed(last: _Sentence, opener: _Sentence | None, language: str) -> None:
    """``last`` ends a paragraph inside a quotation its source never closes: the draft closes it
    there when the quotation's speaker introduces it (else a unit reaching it is unusable)."""
    if opener is not None and opener.block == last.block:
        last.close = closing_mark(opener.text, language)


def _resolve(sentences: list[_Sentence], sentence: _Sentence, language: str) -> None:
    """Mark what a sentence needs from its neighbours (see the module's "Units"); done once,
    for the sentences a unit reaches, since most are never offered."""
    if sentence.resolved:
        return
    sentence.resolved = True
    i, text, continues = sentence.index, sentence.text, sentence.continues
    before = sentences[i - 1] if i else None
    after = sentences[i + 1] if i + 1 < len(sentences) else None
    needs_prev = continues or bool(points_back(text, language))
    needs_prev = needs_prev or (sentence.kind == "li" and before is not None)
    ahead = signpost(text, language)
    if not continues and unattributed_quote(text, language):
        if before is not None and attributes(before.text, language):
            needs_prev = True
        elif after is not None and attributes(after.text, language, colon=False):
            ahead = True
        else:
            sentence.usable = False  # a claim nobody makes
    quoting = sentence.open_after and not sentence.close  # its quotation goes on after it
    needs_next = quoting or ahead
    broken = quoting and (
        after is None or (after.block != sentence.block and after.text[:1] not in _REOPEN))
    broken = broken or (continues and before is None)  # closes a quotation never opened
    # The article's first sentence points forward or to the page ("This is the moment...").
    cut_before = sentence.gap  # what it points back to is no text (a heading, junk)
    needs_prev = needs_prev and (before is not None or cut_before)
    cut_after = after is None or after.gap
    if broken or (needs_prev and cut_before) or (needs_next and cut_after):
        sentence.usable = False
    sentence.needs_prev, sentence.needs_next, sentence.ahead = needs_prev, needs_next, ahead


def _unit(sentences: list[_Sentence], sentence: _Sentence, language: str,
          cut: int = -1) -> list[_Sentence] | None:
    """The sentence with all it depends on, in order; None when that is unusable or too long.
    With ``cut``, the quotation open after that sentence is closed there (see :func:`_partial`)."""
    members = {sentence.index}
    todo = [sentence]
    while todo:
        current = todo.pop()
        _resolve(sentences, current, language)
        if not current.usable:
            return None
        after = current.ahead if current.index == cut else current.needs_next
        for needed, index in ((current.needs_prev, current.index - 1), (after, current.index + 1)):
            if needed and index not in members:
                members.add(index)
                todo.append(sentences[index])
        if len(members) > MAX_UNIT_SENTENCES:
            return None
    return [sentences[i] for i in sorted(members)]


def _partial(sentences: list[_Sentence], lead: _Sentence, draft: _Draft,
             language: str) -> tuple[list[_Sentence], int, str] | None:
    """The lead's unit with its quotation cut short, when the budget cannot hold it whole: its
    longest run of whole sentences that fits, closed after the last (``(unit, last index,
    closing mark)``); None when the quotation's speaker does not introduce it (then the part
    kept would not name who speaks), when the sentence closing it names a speaker (the cut
    would drop them), or when no cut fits."""
    _resolve(sentences, lead, language)
    if not lead.open_after or lead.close or not lead.usable:
        return None
    opener = lead
    while opener.continues and opener.index and sentences[opener.index - 1].open_after:
        opener = sentences[opener.index - 1]
    end = lead.index  # where the quotation closes: a speaker named there is not to be dropped
    while end + 1 < len(sentences) and sentences[end].open_after and not sentences[end].close:
        end += 1
    mark = "" if attributes(sentences[end].text, language, colon=False) else closing_mark(
        opener.text, language)
    best = None
    for cut in range(lead.index, min(len(sentences) - 1, lead.index + MAX_UNIT_SENTENCES) if mark else 0):
        if not sentences[cut].open_after or sentences[cut].close or cut + 1 in draft.chosen:
            break
        unit = _unit(sentences, lead, language, cut)
        if unit is None or not draft.fits(unit):
            break
        best = (unit, cut, mark)
    return best


def _candidates(sentences: list[_Sentence], budget: Budget, words: int) -> list[_Sentence]:
    """The statements that may be picked, the lead first, at most :data:`MAX_CANDIDATES`.

    Block quotes are someone else's words: they are used only when the article's own
    statements cannot fill the budget (a post that reproduces a statement in full). Fragments
    are used only when there is nothing else.
    """
    own = [s for s in sentences if s.statement and not s.quoted]
    target = budget.target_words(words)
    short = len(own) < budget.value if target is None else sum(s.words for s in own) < target
    if own and not short:
        chosen = own
    else:
        every = ([s for s in sentences if s.statement] or [s for s in sentences if s.usable]
                 or _labels(sentences))
        chosen = sorted(every, key=lambda s: (s.quoted, s.index)) if own else every
    if len(chosen) > MAX_CANDIDATES:
        best = sorted(chosen[1:], key=lambda s: (-s.score, s.index))[: MAX_CANDIDATES - 1]
        chosen = [chosen[0], *sorted(best, key=lambda s: s.index)]
    return chosen


def _labels(sentences: list[_Sentence]) -> list[_Sentence]:
    """The last resort of an article with nothing else: its labels and unpunctuated lines (a
    script the splitter does not punctuate), each a unit of its own."""
    labels = [s for s in sentences if s.label]
    for sentence in labels:
        sentence.usable, sentence.resolved = True, True
    return labels


def _score(sentences: list[_Sentence]) -> None:
    """Forward centrality with a lead bias, in one backward pass over the sentences."""
    later: Counter[str] = Counter()
    for sentence in reversed(sentences):
        terms = sentence.terms
        if terms:
            forward = sum(map(later.get, terms, repeat(0))) / len(terms)
            sentence.score = forward / (1.0 + POSITION_DECAY * sentence.index)
            later.update(terms)


class _Ranking:
    """The candidates best first, each one's score lowered by its redundancy with the picks.

    Lazy greedy selection: a penalty only grows as sentences are picked, so a candidate whose
    penalised score, brought up to date, still tops the heap is the best one; most candidates
    are never compared with most picks.
    """

    def __init__(self, candidates: list[_Sentence]) -> None:
        self.picked: list[_Sentence] = []
        self.comparisons = 0  # candidate-pick comparisons: at most candidates x picks
        # (-penalised score, index, picks compared with, largest overlap): ties go early-first.
        self._heap = [(-s.score, s.index, 0, 0.0) for s in candidates]
        heapq.heapify(self._heap)
        self._by_index = {s.index: s for s in candidates}

    def next(self) -> _Sentence | None:
        """The best candidate not yet offered, or None when none is left."""
        picked = self.picked
        while self._heap:
            _, index, seen, overlap = heapq.heappop(self._heap)
            sentence = self._by_index[index]
            if seen == len(picked):
                return sentence
            self.comparisons += len(picked) - seen
            overlap = max(overlap, _overlap(sentence, picked[seen:]))
            penalised = sentence.score * (1.0 - REDUNDANCY_PENALTY * overlap)
            heapq.heappush(self._heap, (-penalised, index, len(picked), overlap))
        return None

    def pick(self, sentence: _Sentence) -> None:
        """Put ``sentence`` in the draft; later candidates are compared with it."""
        self.picked.append(sentence)


def _overlap(sentence: _Sentence, others: list[_Sentence]) -> float:
    """The largest share of the sentence's terms found in one of ``others``."""
    terms = sentence.terms
    if not terms:
        return 0.0
    return max(map(len, map(terms.intersection, [other.terms for other in others]))) / len(terms)


class _Draft:
    """The units picked so far, and whether another one fits the budget."""

    def __init__(self, budget: Budget, source_words: int) -> None:
        self.target = budget.target_words(source_words)
        self.most = int(budget.value) if self.target is None else self.target
        self.used = 0  # words, or sentences for a sentence budget
        self.chosen: dict[int, _Sentence] = {}
        self.seen = NearDuplicates()  # the draft's sentences: none may repeat another
        self.closes: dict[int, str] = {}  # a quotation the draft cuts short, closed after it
        self.cut_off = -1  # the sentence after such a cut: no unit may hold it

    def new(self, unit: list[_Sentence]) -> list[_Sentence]:
        return [s for s in unit if s.index not in self.chosen]

    def fits(self, unit: list[_Sentence]) -> bool:
        """Whether the unit fits the budget and repeats no sentence of the draft, even nearly."""
        new = self.new(unit)
        if self.used + self._size(new) > self.most or any(s.index == self.cut_off for s in new):
            return False
        trial = NearDuplicates()
        for sentence in new:
            if self.seen.find_key(sentence.key) is not None or trial.repeats_key(sentence.key) is not None:
                return False
        return True

    def take_cut(self, unit: list[_Sentence], cut: int, mark: str, ranking: _Ranking) -> None:
        """Take a unit whose quotation is cut short after sentence ``cut`` and closed there."""
        self.take(unit, ranking)
        self.closes[cut], self.cut_off = mark, cut + 1

    def has_room(self, sentence: _Sentence) -> bool:
        """Whether the sentence alone fits (its unit may not)."""
        return self.used + self._size([sentence]) <= self.most

    def take(self, unit: list[_Sentence], ranking: _Ranking) -> None:
        for sentence in self.new(unit):
            self.used += self._size([sentence])
            self.chosen[sentence.index] = sentence
            self.seen.add_key(sentence.key)
            ranking.pick(sentence)

    def holds(self, sentences: list[_Sentence]) -> float:
        """About how many of the article's statements the budget holds."""
        if self.target is None:
            return self.most
        sizes = [s.words for s in sentences if s.statement] or [1]
        return self.most * len(sizes) / max(1, sum(sizes))

    def full(self) -> bool:
        room = self.most - self.used
        return room < (1 if self.target is None else MIN_SENTENCE_WORDS)

    def _size(self, unit: list[_Sentence]) -> int:
        return len(unit) if self.target is None else sum(s.words for s in unit)


def _pick(sentences: list[_Sentence], candidates: list[_Sentence], budget: Budget,
          source_words: int, language: str) -> list[tuple[_Sentence, str]]:
    """The sentences of the draft, in source order: the lead's unit (or the nearest whole unit
    after it that fits), then the best that fit; a budget of fewer than
    :data:`LEAD_SENTENCES` sentences is filled from the lead in source order."""
    draft = _Draft(budget, source_words)
    if not candidates:
        return []
    ranking = _Ranking(candidates)
    lead = _unit(sentences, candidates[0], language)
    short = draft.holds(sentences) < LEAD_SENTENCES
    for candidate in candidates if short else candidates[:LEAD_REACH]:
        if candidate.index in draft.chosen:
            continue
        unit = lead if candidate is candidates[0] else _unit(sentences, candidate, language)
        if unit is not None and draft.fits(unit):
            draft.take(unit, ranking)
        elif (short or candidate is candidates[0]) and draft.cut_off < 0 and (
                cut := _partial(sentences, candidate, draft, language)):
            draft.take_cut(*cut, ranking)
        else:
            continue
        if not short or draft.full():
            break
    while not short and not draft.full():
        sentence = ranking.next()
        if sentence is None:
            break
        if sentence.index in draft.chosen or not draft.has_room(sentence):
            continue  # it came in with a unit, or it cannot fit, let alone its unit
        unit = _unit(sentences, sentence, language)
        if unit is not None and draft.fits(unit):
            draft.take(unit, ranking)
    if not draft.chosen and lead is not None and budget.kind == "ratio":
        draft.take(lead, ranking)  # a draft has at least one unit; a ratio is no count
    picked = sorted(draft.chosen.values(), key=lambda s: s.index)
    return [(s, s.close or draft.closes.get(s.index, "")) for s in picked]


def _paragraphs(picked: list[tuple[_Sentence, str]]) -> tuple[str, ...]:
    """Join picked sentences of the same source block into one paragraph, in source order, each
    followed by the mark closing a quotation the draft closes after it (if any)."""
    paragraphs: list[str] = []
    block = -1
    for sentence, close in picked:
        text = sentence.text.rstrip() + close if close else sentence.text
        if sentence.block == block:
            paragraphs[-1] += " " + text
        else:
            paragraphs.append(text)
            block = sentence.block
    return tuple(paragraphs)


__all__ = ["MIN_SENTENCE_WORDS", "POSITION_DECAY", "REDUNDANCY_PENALTY", "ExtractiveCondenser"]
