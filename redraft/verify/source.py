"""The source article, indexed lazily: sentences, keys, stems and the places of each term."""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from itertools import pairwise

from redraft.text import (
    content_stem,
    negated_tokens,
    normalise,
    split_sentences,
    strip_asides,
    word_spans_of,
)
from redraft.verify.numbers import _Number, _numbers
from redraft.verify.words import (
    _SPLIT_THOUSANDS,
    Lines,
    _key,
    _lowered_key,
    _near,
    _negations,
    _root,
    _Token,
    _tokens,
)

# --- the source ------------------------------------------------------------------------------

# A paragraph's key is made only if its text holds this many of the longest words of the key
# looked for: long words are rare, so few paragraphs hold three of them and not the key (whose
# key is then made for nothing), while testing every word of the key, paragraph by paragraph,
# cost more than those few keys do.
TELLING_WORDS = 3


@dataclass(slots=True)
class _Sentence:
    text: str
    paragraph: int
    tokens: list[_Token]
    stems: list[str]  # content stem per token, "" for a stop word


def _negation_count(text: str, language: str) -> int:
    return len(negated_tokens(text, word_spans_of(text, language), language, strict=True))


def _holds_all(text: str, words: Sequence[str]) -> bool:
    """Whether the lower-cased text holds each of ``words`` (a text whose key has them does)."""
    lower = text.lower()
    return all(word in lower for word in words)


def _telling(words: Iterable[str]) -> list[str]:
    """The :data:`TELLING_WORDS` longest of ``words`` (each once): a text holding a key holds
    them, and a text holding them and not the key is rare, so only they are looked for."""
    return sorted(set(words), key=len, reverse=True)[:TELLING_WORDS]


class _Source:
    """The source article, indexed lazily: a draft of its own sentences needs only the key."""

    def __init__(self, paragraphs: Sequence[str], language: str) -> None:
        self.raw, self.language = paragraphs, language
        self._shortened: dict[tuple[int, int], str] = {}
        self._keys: dict[int, str] = {}
        self._normalised: dict[int, str] = {}
        self._negated: dict[int, list[int]] = {}

    @cached_property
    def text(self) -> str:
        """The paragraphs as given, one a line: a sentence found here verbatim is supported."""
        return "\n".join(self.raw)

    @cached_property
    def keys(self) -> list[str]:
        return [self._paragraph_key(n) for n in range(len(self.raw))]

    @cached_property
    def key(self) -> str:
        return "".join(self.keys)

    @cached_property
    def lines(self) -> Lines:
        """The paragraphs as given, lower-cased, one a line: a paragraph's key words are found
        in its line."""
        return Lines([p.lower() for p in self.raw])

    def holding(self, word: str) -> Iterator[int]:
        """The numbers of the paragraphs, in order, whose lower-cased text holds ``word``."""
        return self.lines.holding(word)

    def holds(self, number: int, word: str) -> bool:
        """Whether paragraph ``number``, lower-cased, holds ``word`` (a word without line breaks)."""
        return self.lines.holds(number, word)

    def _paragraph_key(self, number: int) -> str:
        found = self._keys.get(number)
        if found is None:
            # the key of the paragraph's line, lower-cased already (:attr:`lines`: made for the
            # look-ups that come before a key is wanted)
            found = self._keys[number] = _lowered_key(self.lines.line(number))
        return found

    def keys_with(self, key: str) -> Iterator[tuple[int, str]]:
        """``(number, key)`` of each paragraph, in order, whose lower-cased text holds the
        :data:`TELLING_WORDS` longest words of ``key`` (as substrings): the others cannot hold
        the key, and their keys are never made."""
        needed = _telling(key.split())
        first, rest = (needed[0], needed[1:]) if needed else ("", [])
        for number in self.holding(first):
            if all(self.holds(number, word) for word in rest):
                yield number, self._paragraph_key(number)

    def has_key(self, key: str) -> bool:
        """``key in self.key``, making only the keys of paragraphs that may hold it (a key of
        words never spans two paragraphs' keys; a key of none, two spaces, may)."""
        if not key.strip():
            return key in self.key
        return any(key in paragraph_key for _, paragraph_key in self.keys_with(key))

    def count_key(self, key: str) -> int:
        """``self.key.count(key)``, making only the keys of paragraphs that may hold it."""
        if not key.strip():
            return self.key.count(key)
        return sum(paragraph_key.count(key) for _, paragraph_key in self.keys_with(key))

    def has_verbatim(self, sentence: str) -> bool:
        """Whether the sentence is in the source exactly as written, on word boundaries (the
        fast path: a draft of source sentences needs no keys at all)."""
        at = self.text.find(sentence)
        if at < 0 or not sentence:
            return False
        end = at + len(sentence)
        return ((at == 0 or not self.text[at - 1].isalnum())
                and (end == len(self.text) or not self.text[end].isalnum()))

    @cached_property
    def paragraphs(self) -> list[str]:
        return [self.paragraph(n) for n in range(len(self.raw))]

    def paragraph(self, number: int) -> str:
        """Paragraph ``number``, normalised (only the paragraphs a check reads are)."""
        found = self._normalised.get(number)
        if found is None:
            found = self._normalised[number] = normalise(self.raw[number])
        return found

    @cached_property
    def sentences(self) -> list[_Sentence]:
        result = []
        for number, paragraph in enumerate(self.paragraphs):
            for text in split_sentences(paragraph, self.language):
                tokens = _tokens(text)
                stems = [content_stem(t.text, self.language) for t in tokens]
                result.append(_Sentence(text, number, tokens, stems))
        return result

    def has_shortened(self, key: str) -> bool:
        """Whether a source sentence with its asides deleted (a first one's dateline too) has this key.

        Only the paragraphs holding the key's first and last words are split, and only their
        sentences holding its telling words (the longest, :func:`_telling`) are shortened: a
        word of a shortened sentence is in the sentence as written, unless it spans a deletion
        (then it holds the punctuation that follows every deleted aside) or holds a sigma (whose
        final form depends on what follows).
        """
        words = key.split() or [""]
        head, tail = f" {words[0]} ", f" {words[-1]} "
        telling = _telling(w for w in words if w.isalnum() and "σ" not in w and "ς" not in w)
        for number in self.holding(words[0]):
            # A sentence holding the telling words is in the paragraph: without them there is
            # nothing to shorten, and the paragraph's key is not made for nothing.
            if not self.holds(number, words[-1]) or not self._holds_telling(number, telling):
                continue  # its key cannot hold them
            paragraph_key = self._paragraph_key(number)
            if head in paragraph_key and tail in paragraph_key:
                sentences = split_sentences(self.paragraph(number), self.language)
                shortened = [self._shortened_key(number, i, text) for i, text in enumerate(sentences)
                             if _holds_all(text, telling)]
                if key in "".join(shortened):  # a key of words is never found across two keys
                    return True
        return False

    def _holds_telling(self, number: int, words: Sequence[str]) -> bool:
        """``_holds_all(self.paragraph(number), words)``: of a paragraph given normalised (most
        are), the line of :attr:`lines` is its text lower-cased already, searched in place
        rather than lower-cased again (a paragraph of a few hundred characters, once for every
        sentence the fast path misses; lower-casing is a table look-up a character for text
        beyond ASCII)."""
        paragraph = self.paragraph(number)
        if paragraph == self.raw[number]:
            return all(self.holds(number, word) for word in words)
        return _holds_all(paragraph, words)

    def _shortened_key(self, number: int, sentence: int, text: str) -> str:
        """The key of sentence ``sentence`` (``text``) of paragraph ``number``, asides deleted."""
        found = self._shortened.get((number, sentence))
        if found is None:
            shortened = strip_asides(text, dateline=sentence == 0, language=self.language)
            found = self._shortened[number, sentence] = _key(shortened)
        return found

    def drops_negation(self, key: str, text: str) -> bool:
        """Whether the draft sentence ``text`` (its ``key`` a run of the source's words) is cut
        from a source sentence that negates more than it does: "one was hurt" out of "No one
        was hurt", or Turkish "geçerli" out of "geçerli değil", where the negation ends the
        sentence. Only the sentences holding the key's longest words are keyed."""
        words = _telling(key.split())
        for number, paragraph_key in self.keys_with(key):
            if key not in paragraph_key:
                continue
            for sentence in split_sentences(self.paragraph(number), self.language):
                if _holds_all(sentence, words) and key in _key(sentence):
                    return _negation_count(sentence, self.language) > _negation_count(text, self.language)
        return False

    @cached_property
    def index(self) -> dict[str, list[int]]:
        index: dict[str, list[int]] = {}
        for number, sentence in enumerate(self.sentences):
            for term in set(sentence.stems) - {""}:
                index.setdefault(term, []).append(number)
        return index

    @cached_property
    def bigrams(self) -> frozenset[tuple[str, str]]:
        pairs = ((t.lower for t in s.tokens) for s in self.sentences)
        return frozenset(pair for words in pairs for pair in pairwise(words))

    @cached_property
    def stems(self) -> list[str]:
        return sorted(self.index)

    @cached_property
    def vocabulary(self) -> frozenset[str]:
        return frozenset(t.lower for s in self.sentences for t in s.tokens)

    @cached_property
    def roots(self) -> list[str]:
        return sorted({_root(word, self.language) for word in self.vocabulary if word.isalpha()})

    @cached_property
    def numbers(self) -> list[float]:
        values = {v for s in self.sentences for n in _numbers(s.tokens, self.language)[0]
                  for v in (n.value, n.bare)}
        for paragraph in self.paragraphs:
            for match in _SPLIT_THOUSANDS.finditer(paragraph):
                values.update(n.value for n in _numbers(_tokens(match.group().replace(" ", "")),
                                                        self.language)[0])
        return sorted(values)

    def negated(self, number: int) -> list[int]:
        """The indices of the tokens of source sentence ``number`` that negate."""
        if number not in self._negated:
            sentence = self.sentences[number]
            self._negated[number] = _negations(sentence.text, sentence.tokens, self.language)
        return self._negated[number]

    def idf(self, term: str) -> float:
        return math.log(1 + len(self.sentences) / len(self.index[term])) if term in self.index else 0.0

    def names(self, word: str) -> bool:
        """Whether the source names ``word`` (lower-case), as itself or as its demonym."""
        return word in self.vocabulary or _near(_root(word, self.language), self.roots, 4)

    def has_number(self, number: _Number) -> bool:
        tolerance = number.unit / 2 + 1e-9 * abs(number.value)
        i = bisect_left(self.numbers, number.value - tolerance)
        return i < len(self.numbers) and self.numbers[i] <= number.value + tolerance
