"""Where a text negates, by the language's own data (:mod:`redraft.vocab`), never another's.

Three kinds of rule, all data: negation words (``not``, ``не``, ``ไม่``); inflections matched
against a whole lower-case word (Korean 않았다, Turkish gelmedi); and, for Chinese and Japanese,
markers found in running text (不, ない, ません) with the words in which the same characters
negate nothing (非常, 未来, 少ない). A language with none of these has no negation rules: a
verifier cannot check its negations and must say so.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache

from redraft.vocab import NEGATION_SUBSTRINGS, NEGATION_WORD_PATTERNS, NEGATIONS, NOT_ONLY_NEGATIONS

_NONE: frozenset[str] = frozenset()


def has_negation_rules(language: str) -> bool:
    """Whether redraft knows how the language negates."""
    return language in NEGATIONS or language in NEGATION_SUBSTRINGS


@lru_cache(maxsize=16)
def _substrings(language: str) -> re.Pattern[str] | None:
    """Exceptions first (longest first), then markers: a scan consumes an exception whole."""
    if language not in NEGATION_SUBSTRINGS:
        return None
    markers, exceptions = NEGATION_SUBSTRINGS[language]
    hidden = "|".join(map(re.escape, sorted(exceptions, key=len, reverse=True)))
    return re.compile(f"(?:{hidden})|({'|'.join(markers)})")


@lru_cache(maxsize=32)
def _words(language: str, *, strict: bool) -> frozenset[str]:
    words = NEGATIONS.get(language, _NONE)
    return words - NOT_ONLY_NEGATIONS.get(language, _NONE) if strict else words


@lru_cache(maxsize=16)
def _inflections(language: str) -> re.Pattern[str] | None:
    pattern = NEGATION_WORD_PATTERNS.get(language)
    return re.compile(pattern) if pattern else None


def negation_word_in(words: Iterable[str], language: str) -> bool | None:
    """Whether one of ``words`` is, lower-cased, one of the language's negation words:
    ``bool(negated_tokens(text, spans, language))`` for the words at those spans, without the
    spans. None where the language negates otherwise too (markers in running text,
    inflections): :func:`negated_tokens` must then read the text."""
    if language in NEGATION_SUBSTRINGS or _inflections(language) is not None:
        return None
    return not _words(language, strict=False).isdisjoint(map(str.lower, words))


def negated_tokens(text: str, spans: Sequence[tuple[int, int]], language: str, *,
                   strict: bool = False, lowers: Sequence[str] | None = None) -> list[int]:
    """The indices of the words (``spans`` of ``text``) that are or hold a negation, in order.

    ``strict`` leaves out the words that are more often something else (French "personne");
    ``lowers``, the words already in lower case, spares slicing them again.
    """
    substrings = _substrings(language)
    if substrings is not None:
        marks = [m.span(1) for m in substrings.finditer(text) if m.group(1)]
        return [i for i, (start, end) in enumerate(spans)
                if any(a < end and start < b for a, b in marks)]
    words = _words(language, strict=strict)
    inflections = _inflections(language)
    if lowers is None:
        lowers = [text[start:end].lower() for start, end in spans]
    if inflections is None:
        return [i for i, lower in enumerate(lowers) if lower in words]
    return [i for i, lower in enumerate(lowers) if lower in words or (
        inflections.fullmatch(lower) and text[spans[i][0] : spans[i][1]] == lower)]


