"""Word and sentence boundaries for scripts without spaces between words, from ICU.

Thai, Lao, Khmer and Myanmar write no spaces between words, and Thai and Lao have no sentence
punctuation either: a space ends a sentence or a clause. Their words come from ICU's dictionary
break iterators (the ``icu4py`` wheel bundles ICU: ``pip install 'redraft[icu]'``); ICU is
imported on the first text in one of these scripts, never for Latin, Cyrillic or CJK text.

Without ICU these scripts are read as before: words are what white space separates and a
paragraph is one sentence. A warning naming the extra is logged once per process.

Latin text never goes through ICU: its sentence breaker ends sentences after "Mr." and "U.S.",
which redraft's own abbreviation rules (:func:`redraft.text.split_sentences`) do not.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from redraft.vocab import SEGMENTED_CHARS, SEGMENTED_SENTENCE_ENDS

logger = logging.getLogger(__name__)

# A Thai or Lao sentence is ended by a space, but so are many phrases (a title before a name,
# a date, a figure): a piece shorter than this many words is joined to the next one. Thai news
# sentences run 10-30 words; a name or a date is one to three.
MIN_SENTENCE_WORDS = 4

_SEGMENTED = re.compile(f"[{SEGMENTED_CHARS}]")
# A space between two letters of Thai or Lao: where a sentence or a clause may end.
_SPACE_BETWEEN = re.compile("(?<=[\u0e00-\u0eff])[ \u00a0]+(?=[\u0e00-\u0eff])")
_WORDLIKE = re.compile(r"[^\W_]")
# Khmer's and Myanmar's full stops (with the spaces after them) end a sentence.
_FULL_STOP = re.compile(f"(?<=[{SEGMENTED_SENTENCE_ENDS}])\\s*")


def _mark_codes() -> list[int]:
    """The combining marks of the scripts of the Basic Multilingual Plane: the vowel signs of
    Devanagari and Thai, Arabic and Hebrew points. Python's ``\\w`` leaves them out, which
    would cut "नहीं" into pieces."""
    return [code for code in [*range(0x0300, 0x1CFF), *range(0x1DC0, 0x1E00),
                              *range(0x20D0, 0x2100), *range(0xFE20, 0xFE30)]
            if unicodedata.category(chr(code))[0] == "M"]


def _ranges(codes: list[int]) -> str:
    """Ascending code points as a character class body of ranges."""
    ranges: list[str] = []
    start = previous = -2
    for code in codes:
        if code != previous + 1:
            if start >= 0:
                ranges.append(f"{chr(start)}-{chr(previous)}")
            start = code
        previous = code
    ranges.append(f"{chr(start)}-{chr(previous)}")
    return "".join(ranges)


# The combining marks a word may hold after its first letter (computed once, about 1 ms): as
# characters, and as a character class body for patterns.
_MARK_CODES = _mark_codes()
MARK_CHARS = frozenset(map(chr, _MARK_CODES))
MARKS = _ranges(_MARK_CODES)


def latin1(text: str) -> bool:
    """Whether every character of the text is Latin-1 (U+0000 to U+00FF), as in most Latin
    script text: then it holds no letter of a script beyond (Thai, Chinese...). Encoding
    copies it in C where a pattern's search tests each character against a class; a strict
    encode stops at the first character beyond (curly quotes, Greek, Cyrillic), so such a
    text pays little more than the search it goes on to."""
    try:
        text.encode("latin-1")
    except UnicodeEncodeError:
        return False
    return True


# The punctuation beyond Latin-1 that Latin script text holds most (curly quotes, dashes, the
# ellipsis), in no script written without spaces: a text Latin-1 but for these has none.
WIDE_PUNCTUATION = ("\u2018", "\u2019", "\u201c", "\u201d", "\u2013", "\u2014", "\u2026")


def latin1_but_punctuation(text: str) -> bool:
    """Whether the text is Latin-1 once :data:`WIDE_PUNCTUATION` is blanked (most Latin script
    text): it then holds no letter of a script beyond, which :func:`latin1` alone would tell
    a text with a curly quote only after a pattern's search of it (about 60 instructions a
    character, where the blanking is a C scan per mark). The character in the middle (a
    letter, in most texts of other scripts) is looked at before the encoding's exception
    (about 6,000 instructions): :func:`foreign_middle` and :func:`latin1_bytes` written out,
    as this is asked of every paragraph, sentence and block several times (the calls cost 0.3%
    of a run's instructions)."""
    if text and (middle := text[len(text) // 2]) > "\xff" and middle not in WIDE_PUNCTUATION:
        return False
    try:
        text.encode("latin-1")
    except UnicodeEncodeError as error:
        if text[error.start] not in WIDE_PUNCTUATION:
            return False
        for mark in WIDE_PUNCTUATION:
            if mark in text:
                text = text.replace(mark, " ")
        return latin1(text)
    return True


def foreign_middle(text: str) -> bool:
    """Whether the text's middle character is beyond Latin-1 and none of
    :data:`WIDE_PUNCTUATION`: a letter of another script (Greek, Cyrillic, Chinese...), in most
    texts that hold one, told by one look where a Latin-1 encoding fails only by an exception."""
    if not text:
        return False
    middle = text[len(text) // 2]
    return middle > "\xff" and middle not in WIDE_PUNCTUATION


def latin1_bytes(text: str) -> bytes | None:
    """The text's Latin-1 bytes once each of :data:`WIDE_PUNCTUATION` is a space (most Latin
    script text); None when it holds another character beyond Latin-1. The first character
    beyond tells most texts of other scripts at once (a strict encoding stops there)."""
    try:
        return text.encode("latin-1")
    except UnicodeEncodeError as error:
        if text[error.start] not in WIDE_PUNCTUATION:
            return None
    for mark in WIDE_PUNCTUATION:
        if mark in text:
            text = text.replace(mark, " ")
    try:
        return text.encode("latin-1")
    except UnicodeEncodeError:
        return None


def latin1_fold(kept: Callable[[str], bool]) -> tuple[bytes, tuple[bytes, ...]]:
    """A ``bytes.translate`` table taking each Latin-1 character (as a byte) to its case fold
    where ``kept`` keeps that fold, else to a space; and the characters whose fold is no single
    Latin-1 character (ß folds to "ss", µ to Greek mu), which the table cannot say: a text
    holding one is left to ``str.casefold``."""
    table = bytearray(b" " * 256)
    unfolded: list[bytes] = []
    for code in range(256):
        fold = chr(code).casefold()
        if len(fold) != 1 or ord(fold) > 0xFF:
            unfolded.append(bytes([code]))
        elif kept(fold):
            table[code] = ord(fold)
    return bytes(table), tuple(unfolded)


# The last text :func:`redraft.text.tokens.spaceless` found beyond Latin-1 and in no script
# written without spaces (a holder: that module notes it); has_segmented_script, asked next
# about the same paragraph (the condenser asks one, then the sentence splitter the other),
# answers it at once. The text it holds is kept alive, so no other text can be it; a thread
# asking about another text meanwhile only makes the next answer take the scan.
_spaced: list[str] = [""]


def note_spaced(text: str) -> None:
    """Note a text found to hold no script written without spaces (see :data:`_spaced`)."""
    _spaced[0] = text


def has_segmented_script(text: str) -> bool:
    """Whether the text has Thai, Lao, Khmer or Myanmar letters (ASCII and Latin-1 text, with
    curly quotes and dashes too, answers at once)."""
    return (not text.isascii() and text is not _spaced[0] and not latin1_but_punctuation(text)
            and _SEGMENTED.search(text) is not None)


@lru_cache(maxsize=1)
def _breakers() -> Any:
    """icu4py's break iterators, or None when the ``icu`` extra is not installed."""
    try:
        from icu4py import breakers  # noqa: PLC0415  (loaded for the first text that needs it)
    except ImportError:
        logger.warning("Thai, Lao, Khmer or Myanmar text without ICU: words are cut at spaces only "
                       "and a paragraph is one sentence (install redraft[icu] for word breaks)")
        return None
    return breakers


def icu_available() -> bool:
    """Whether ICU's break iterators can be loaded."""
    return _breakers() is not None


def _locale(language: str) -> str:
    return language if len(language) == 2 else ""


@lru_cache(maxsize=1024)
def word_spans(text: str, language: str = "") -> tuple[tuple[int, int], ...] | None:
    """``(start, end)`` of each word or number of the text (ICU's word boundaries, pieces
    without a letter or digit left out), or None without ICU. Offsets index the Python string."""
    breakers = _breakers()
    if breakers is None:
        return None
    spans = []
    at = 0
    for piece in breakers.WordBreaker(text, _locale(language)):
        end = at + len(piece)
        # Most pieces are letters and digits only (isalnum is [^\W_] for every character),
        # which one call tells without the pattern's search.
        if piece.isalnum() or _WORDLIKE.search(piece):
            spans.append((at, end))
        at = end
    return tuple(spans)


def split_segmented(text: str, language: str = "") -> list[str]:
    """The sentences of a paragraph in a script without spaces between words.

    Khmer ។ and Myanmar ။ end sentences; in Thai and Lao, so do the spaces between two
    letters, once the piece before has :data:`MIN_SENTENCE_WORDS` words (ICU's words); a short
    last piece joins the one before. Without ICU, Thai and Lao paragraphs are not cut at spaces.
    ICU's own sentence breaker is not used: it ends a sentence after "Mr." in a Thai text too.
    """
    sentences: list[str] = []
    for piece in _FULL_STOP.split(text):
        sentences.extend(_split_at_spaces(piece, language) if icu_available() else [piece.strip()])
    return [s for s in sentences if s]


def _split_at_spaces(text: str, language: str) -> list[str]:
    cuts: list[tuple[int, int]] = []  # (end of a sentence, start of the next)
    start = 0
    for match in _SPACE_BETWEEN.finditer(text):
        if _word_total(text[start : match.start()], language) >= MIN_SENTENCE_WORDS:
            cuts.append((match.start(), match.end()))
            start = match.end()
    if cuts and _word_total(text[start:], language) < MIN_SENTENCE_WORDS:
        cuts.pop()  # a short last piece joins the sentence before it
    bounds = [0, *(n for cut in cuts for n in cut), len(text)]
    return [text[a:b].strip() for a, b in zip(bounds[::2], bounds[1::2], strict=True)]


def _word_total(text: str, language: str) -> int:
    spans = word_spans(text, language)
    return len(spans) if spans is not None else len(text.split())
