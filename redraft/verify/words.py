"""Shared pieces of the verifier: its thresholds, tokens, keys and per-language rule look-ups."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import accumulate
from typing import Any

from redraft.records import Budget, has_unspaced
from redraft.text import negated_tokens, spaceless, word_spans_of, words
from redraft.text import stem as stem_word
from redraft.text.tokens import spaced_words
from redraft.verify.rules import (
    DEMONYM_ENDINGS,
    FRAMING,
    SYNONYMS,
)
from redraft.vocab import UNSPACED_CHARS

# The score each sentence needs. A verbatim sentence with one unsupported name, number, quote
# or negation scores 0.4; a faithful paraphrase (nine content words in ten supported, a third
# of its word pairs new) about 0.65: the threshold sits between the two.
PASS_THRESHOLD = 0.5
# What one factual problem does to a sentence's score: a verbatim sentence with one fails.
PENALTY = 0.4
# How much new word pairs lower a score: reworded text is wrong more often than copied text,
# yet a faithful paraphrase must clear the threshold.
NOVELTY_WEIGHT = 0.4
# Support of a content word found in the source outside the aligned passage: a fair fusion
# of distant facts, or a fact moved to the wrong place.
GLOBAL_CREDIT = 0.5
# A rewritten sentence rarely fuses more than three source sentences.
MAX_ALIGNED = 3
# Another source sentence joins the passage only if it brings this many of the sentence's
# content words: a fused clause brings several, a stray shared word one.
ALIGN_MIN_GAIN = 2
# Stems sharing a prefix this long are one word in two forms (relat-ion, relat-ionship).
PREFIX_MIN = 5
# A clause with this many unsupported content words, half or more of its own, is invented.
UNSUPPORTED_RUN = 3
# Below this coverage a sentence as a whole is unsupported.
MIN_COVERAGE = 0.5
# A paragraph this much of whose sentences repeat earlier ones is a repeated paragraph.
REPEATED_PARAGRAPH_SHARE = 0.8
# What a reworded sentence keeps of its score when a check could not be made (the language has
# no negation rules, names or number words could hide in words the source lacks): it is less
# certain than a checked sentence, yet a faithful one stays above PASS_THRESHOLD x PENALTY.
UNCHECKED_PENALTY = 0.8
# The budget of a draft read without one: its length is not checked.
NO_BUDGET = Budget.asked("ratio", 1.0)

_WORD = re.compile(r"[^\W_]+(?:[.,][0-9]+)*")
_CLAUSE_BREAK = re.compile(r"[,;:()\u2013\u2014]|\s-\s")
_DIGITS = re.compile(r"^(\d+(?:[.,]\d+)*)([^\W\d_]*)$")
_ROMAN = re.compile(r"^(?=[IVXLC]{2,5}$)C{0,3}(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})$")
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
_SPLIT_THOUSANDS = re.compile(r"\b\d{1,3}(?:, \d{3})+\b(?:\s+[^\W\d_]+)?")  # "235, 000"
_DOUBLE_QUOTE = re.compile(r'"([^"]+)"')
# An opening ' or ` starts a word, a closing ' ends one; an apostrophe inside a word is neither.
_SINGLE_QUOTE = re.compile(r"(?<![\w'])[`']((?:[^'`]|(?<=\w)'(?=\w))+?)'(?!\w)")
_OPENING = tuple(".:;!?\"'`([{\u2014-")



@dataclass(slots=True)
class _Token:
    text: str
    lower: str
    start: int
    end: int


_CJK_CHARS = UNSPACED_CHARS  # Chinese and Japanese: each character is a token


@cache
def _cjk_words() -> re.Pattern[str]:
    """The tokens of Chinese and Japanese text: a number keeps its scale ("3万", "1.2億");
    every other character is a token of its own, as words are not marked. Compiled on first
    use: only such text needs it, and its character classes of some 28,000 characters take
    ~1.7 ms of every start-up to compile."""
    return re.compile(
        rf"\d+(?:[.,]\d+)*[万萬億亿兆千]?|[{_CJK_CHARS}]|(?:(?![{_CJK_CHARS}])[^\W_])+(?:[.,][0-9]+)*"
    )


def _tokens(text: str) -> list[_Token]:
    if text.isascii():
        return [_Token(m.group(), m.group().lower(), m.start(), m.end()) for m in _WORD.finditer(text)]
    if has_unspaced(text):
        return [_Token(m.group(), m.group().lower(), m.start(), m.end()) for m in _cjk_words().finditer(text)]
    return [_Token(text[a:b], text[a:b].lower(), a, b) for a, b in word_spans_of(text)]


def _negations(text: str, tokens: Sequence[_Token], language: str) -> list[int]:
    """The indices of ``tokens`` (the words of ``text``) that negate, by the strict rules."""
    return negated_tokens(text, [(t.start, t.end) for t in tokens], language, strict=True,
                          lowers=[t.lower for t in tokens])


@lru_cache(maxsize=4096)
def _key(text: str) -> str:
    """Lower-case words joined by single spaces and framed by spaces, for substring tests.

    Cached: a draft sentence's key is asked for by the repetition check, the support check and
    the count of refrains (a source paragraph's is made by :func:`_lowered_key`)."""
    return _key_of_lower(text.lower())


@lru_cache(maxsize=1024)
def _lowered_key(lower: str) -> str:
    """:func:`_key` of a text already lower-cased (``lower`` is ``text.lower()``): a source
    paragraph's key is made from its line of :class:`Lines`, not lower-cased again (a few
    hundred characters, looked up in Unicode's tables a character beyond ASCII). Cached, as
    :func:`_key` is: every draft of the same article asks for the same paragraphs' keys."""
    return _key_of_lower(lower)


def _key_of_lower(lower: str) -> str:
    """:func:`_key`'s words of a text lower-cased already."""
    if lower.isascii():
        return " " + " ".join(spaced_words(lower)) + " "
    if has_unspaced(lower):
        return " " + " ".join(_cjk_words().findall(lower)) + " "
    return " " + " ".join(spaced_words(lower) if not spaceless(lower) else words(lower)) + " "


def _rules(table: Mapping[str, Any], language: str) -> Any:
    """The language's entry of a rule table; for a language without one, an empty rule of the
    same kind (no English rule is applied to other languages)."""
    if language in table:
        return table[language]
    return type(table["en"])()  # frozenset(), dict(), tuple() or bool() == False


@lru_cache(maxsize=8)
def _framing(language: str) -> frozenset[str]:
    words: frozenset[str] = _rules(FRAMING, language)
    return frozenset(stem_word(w, language) for w in words) | words


@lru_cache(maxsize=8)
def _synonyms(language: str) -> dict[str, frozenset[int]]:
    groups: dict[str, set[int]] = {}
    for number, group in enumerate(_rules(SYNONYMS, language)):
        for word in group:
            groups.setdefault(stem_word(word, language), set()).add(number)
    return {word: frozenset(ids) for word, ids in groups.items()}


def _near(word: str, ordered: Sequence[str], shortest: int) -> bool:
    """Whether a word of the sorted list extends ``word`` or is extended by it."""
    if len(word) < shortest:
        return False
    i = bisect_left(ordered, word[:shortest])
    while i < len(ordered) and ordered[i].startswith(word[:shortest]):
        if ordered[i].startswith(word) or word.startswith(ordered[i]):
            return True
        i += 1
    return False


def _root(word: str, language: str) -> str:
    """A place name without its demonym ending: russ-ian, japan-ese."""
    for ending in _rules(DEMONYM_ENDINGS, language):
        if word.endswith(ending) and len(word) - len(ending) >= 4:
            return word[: -len(ending)]
    return word


class Lines:
    """Texts (paragraphs or sentences, already lower-cased or case-folded), one a line, searched
    as one text: a word without line breaks is never found across two lines, so the lines
    holding a word are found by searching the whole text, not by testing each line."""

    def __init__(self, lines: Sequence[str]) -> None:
        self.text = "\n".join(lines)
        self.count = len(lines)
        self.starts = [0, *accumulate(len(line) + 1 for line in lines)]  # and one more

    def holding(self, word: str) -> Iterator[int]:
        """The numbers of the lines, in order, that hold ``word``."""
        text, starts = self.text, self.starts
        at = text.find(word)
        while at >= 0:
            number = bisect_right(starts, at) - 1
            yield number
            at = text.find(word, starts[number + 1]) if number + 1 < self.count else -1

    def line(self, number: int) -> str:
        """Line ``number``, as given."""
        return self.text[self.starts[number]:self.starts[number + 1] - 1]

    def holds(self, number: int, word: str) -> bool:
        """Whether line ``number`` holds ``word``."""
        return self.text.find(word, self.starts[number], self.starts[number + 1] - 1) >= 0

    def holding_all(self, words: Sequence[str]) -> list[int]:
        """The numbers of the lines, in order, that hold every one of ``words`` (every line
        when there are none)."""
        if not words:
            return list(range(self.count))
        return [n for n in self.holding(words[0]) if all(self.holds(n, w) for w in words[1:])]
