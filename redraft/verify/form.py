"""Checks of a draft's form, for any engine: can each sentence be read where the draft puts it?

- ``unbalanced``: a quotation the draft opens and never closes, or closes and never opened.
- ``unattributed``: a quoted claim with no speaker in the draft, where the source names one.
- ``dangling``: a sentence opening with a word that points back ("But", "He", "Hours later")
  to nothing in the draft: the draft's first sentence (unless the source opens so too), or one
  whose sentence before it in the source is not the one before it in the draft.
- ``signpost``: a draft ending on a sentence that announces what follows (a colon, "below"),
  or a colon-ended sentence followed by something other than what followed it in the source.
- ``junk``: a paragraph that is a bare URL, a footnote marker, a reference or an image credit.

Sentences are placed in the source by their words (case and punctuation aside), also with an
aside deleted; a sentence the draft rewords is not placed, and only checks that need no place
apply to it.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import suppress
from functools import cached_property
from itertools import chain, repeat

from redraft.records import Problem
from redraft.text import (
    attributes,
    duplicate_key,
    junk,
    points_back,
    quote_flow,
    signpost,
    split_at_blanks,
    split_sentences,
    strip_asides,
    unattributed_quote,
)
from redraft.text.discourse import quote_marks
from redraft.verify.words import Lines

_REOPENING = "\"“«„"


class _Order:
    """The source's sentences in order, found again by their words."""

    def __init__(self, paragraphs: Sequence[str], language: str) -> None:
        self.paragraphs, self.language = paragraphs, language
        self._variant_keys: dict[int, list[tuple[str, ...]]] = {}
        self._keyed_texts: dict[int, str] = {}

    @cached_property
    def sentences(self) -> list[str]:
        return list(chain.from_iterable(map(split_sentences, self.paragraphs, repeat(self.language))))

    @cached_property
    def _folded(self) -> Lines:
        """The sentences case-folded, one a line: every word of a sentence's key (and of its
        variants') is in its line, so a key with a word missing there cannot be the sentence's."""
        return Lines([s.casefold() for s in self.sentences])

    def _holding(self, words: Sequence[str]) -> list[int]:
        """The numbers of the sentences, in order, whose folded text holds every one of ``words``."""
        return self._folded.holding_all(words)

    def _variants(self, number: int) -> list[tuple[str, ...]]:
        """The keys of sentence ``number``, as written and with its asides (a dateline too) cut."""
        found = self._variant_keys.get(number)
        if found is None:
            sentence = self.sentences[number]
            variants = {sentence, strip_asides(sentence, language=self.language)}
            if number < 2:  # a dateline opens the article
                variants.add(strip_asides(sentence, dateline=True, language=self.language))
            found = self._variant_keys[number] = [duplicate_key(v) for v in variants]
        return found

    def _keyed(self, number: int) -> str:
        found = self._keyed_texts.get(number)
        if found is None:
            found = self._keyed_texts[number] = " " + " ".join(duplicate_key(self.sentences[number])) + " "
        return found

    def place(self, sentence: str) -> int | None:
        """The source sentence this one is, or is cut from (a run of its words); None if reworded.

        The first sentence one of whose keys is this one's, else the first holding its words as
        a run; only sentences whose folded text has every word of it are keyed.
        """
        # The fast path: a sentence copied as it is, found by one scan in C (a draft places a
        # sentence or two, too few to pay for a table of the source's sentences).
        with suppress(ValueError):
            return self.sentences.index(sentence)
        key = duplicate_key(sentence)
        needed = sorted(set(key), key=len, reverse=True)  # a long word rules out most sentences
        candidates = self._holding(needed)
        # A variant cut by ICU's words may join a word across a cut ("x (y).com": "x.com"),
        # which a word split at blanks and punctuation never is: then every sentence is tried.
        tried = candidates if split_at_blanks(sentence) else range(len(self.sentences))
        found = next((n for n in tried if key in self._variants(n)), None)
        if found is not None or not key:
            return found
        run = " " + " ".join(key) + " "
        return next((n for n in candidates if run in self._keyed(n)), None)

    def sentence(self, number: int) -> str:
        return self.sentences[number] if 0 <= number < len(self.sentences) else ""


def form_problems(paragraphs: Sequence[str], split: Sequence[Sequence[str]], source: Sequence[str],
                  language: str) -> list[Problem]:
    """Every form problem of a draft (its paragraphs, and ``split``: each one's sentences)
    against its source's paragraphs."""
    order = _Order(source, language)
    texts = [s for sentences in split for s in sentences]
    problems = [Problem("junk", p, "", f"this paragraph is no prose ({kind})")
                for p in paragraphs if (kind := junk(p))]
    quoting = any(map(quote_marks, paragraphs))  # without a mark no sentence opens or continues one
    problems += _unbalanced(paragraphs, split) if quoting else []
    inside = False
    for i, sentence in enumerate(texts):
        continues, inside = quote_flow(sentence, inside) if quoting else (False, False)
        # Each check first reads the sentence alone; most sentences pass all three, and are
        # never placed in the source.
        opening = points_back(sentence, language)
        # a quotation's later sentence has its speaker where it opens
        bare_quote = not continues and unattributed_quote(sentence, language)
        announces = signpost(sentence, language)
        if not (opening or bare_quote or announces):
            continue
        before = texts[i - 1] if i else None
        after = texts[i + 1] if i + 1 < len(texts) else None
        if opening:
            problems += _dangling(sentence, opening, before, order)
        if bare_quote:
            problems += _unattributed(sentence, before, after, order)
        if announces:
            problems += _signpost(sentence, after, order)
    return problems


def _unbalanced(paragraphs: Sequence[str], split: Sequence[Sequence[str]]) -> list[Problem]:
    problems, inside, opened = [], False, ""
    for paragraph, sentences in zip(paragraphs, split, strict=True):
        if inside and paragraph[:1] not in _REOPENING:
            detail = "a quotation opened here is never closed"
            problems.append(Problem("unbalanced", opened, "", detail))
            inside = False
        for sentence in sentences:
            was_inside = inside
            continues, inside = quote_flow(sentence, inside)
            if continues and not was_inside:
                detail = "this sentence closes a quotation the draft never opened"
                problems.append(Problem("unbalanced", sentence, "", detail))
            if inside and not was_inside:
                opened = sentence
    if inside:
        problems.append(Problem("unbalanced", opened, "", "a quotation opened here is never closed"))
    return problems


def _dangling(sentence: str, opening: str, before: str | None, order: _Order) -> list[Problem]:
    """A sentence opening with ``opening`` (:func:`points_back`), after ``before`` in the draft."""
    here = order.place(sentence)
    if before is None:
        if here == 0:
            return []  # the source opens so too
        evidence = order.sentence(here - 1) if here is not None else ""
        detail = f"the draft opens with {opening!r}, which points back to nothing"
        return [Problem("dangling", sentence, evidence, detail)]
    previous = order.place(before)
    if here is None or previous is None or previous == here - 1:
        return []
    detail = f"{opening!r} points back to a sentence the draft left out"
    return [Problem("dangling", sentence, order.sentence(here - 1), detail)]


def _unattributed(sentence: str, before: str | None, after: str | None,
                  order: _Order) -> list[Problem]:
    """A quoted claim with no speaker of its own (:func:`unattributed_quote`) whose speaker the
    source names (in it or beside it) and the draft does not."""
    language = order.language
    here = order.place(sentence)
    if here is None:
        return []  # reworded: its speaker cannot be looked up
    speakers = [n for n in (here, here - 1, here + 1)
                if order.sentence(n) and attributes(order.sentence(n), language, colon=n < here)]
    kept = {order.place(n) for n in (before, after) if n is not None}
    if not speakers or (kept & set(speakers)) - {here}:
        return []
    detail = "the draft drops who said this, which the source names"
    return [Problem("unattributed", sentence, order.sentence(speakers[0]), detail)]


def _signpost(sentence: str, after: str | None, order: _Order) -> list[Problem]:
    """A sentence announcing what follows (:func:`signpost`), before ``after`` in the draft."""
    here = order.place(sentence)
    if after is None:
        detail = "the draft ends announcing something it never gives"
        return [Problem("signpost", sentence, order.sentence(here + 1) if here is not None else "", detail)]
    following = order.place(after)
    if here is None or following is None or following == here + 1:
        return []
    detail = "what this sentence announces is not what follows it in the draft"
    return [Problem("signpost", sentence, order.sentence(here + 1), detail)]
