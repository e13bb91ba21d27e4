"""Words as redraft counts and compares them, in every script.

ASCII text is split by a regular expression; Chinese and Japanese characters are one word each
(their usual length unit, and ROUGE's); Thai, Lao, Khmer and Myanmar words are ICU's
(:mod:`redraft.text.segment`); elsewhere a word keeps its combining marks.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import cache, lru_cache

from redraft.records import MAYBE_SPACELESS, counted_words, has_unspaced, unspaced_chars
from redraft.text.segment import (
    MARKS,
    WIDE_PUNCTUATION,
    has_segmented_script,
    latin1,
    latin1_but_punctuation,
    latin1_fold,
    note_spaced,
    word_spans,
)
from redraft.vocab import SEGMENTED_CHARS, UNSPACED_CHARS

_WORD = re.compile(r"[^\W_]+(?:[.,][0-9]+)*", re.UNICODE)
# Outside ASCII a word may hold combining marks after its first letter (Devanagari and Thai
# vowel signs, Arabic and Hebrew points), which Python's \w leaves out.
_MARKED_WORD = re.compile(rf"[^\W_]+(?:[{MARKS}]+[^\W_]*)*(?:[.,][0-9]+)*")
# Chinese and Japanese write no spaces between words: each ideograph or kana is one "word"
# (a character), the unit ROUGE uses for them too. Korean writes spaces and is counted by them.
_CJK_CHARS = UNSPACED_CHARS


@cache
def _cjk_words() -> re.Pattern[str]:
    """A Chinese or Japanese text's words: each ideograph or kana, and the runs of other
    letters. Compiled on first use: only such text needs it, and its character classes of some
    28,000 characters take ~1.7 ms of every start-up to compile."""
    return re.compile(rf"[{_CJK_CHARS}]|(?:(?![{_CJK_CHARS}])[^\W_])+(?:[.,][0-9]+)*")


# A text with no character that may be of a script written without spaces (most text beyond
# Latin-1) is read in one scan of two ranges (MAYBE_SPACELESS); one with such a character has
# the two kinds' classes searched from it. A class of both kinds' characters, which this
# replaces, cost 27.5 M instructions to compile at every start-up (some 28,000 code points set
# one by one in the compiler's map), and 61 instructions a character to search.
_SEGMENTED = re.compile(f"[{SEGMENTED_CHARS}]")


def spaceless(text: str) -> bool:
    """Whether the text holds a script written without spaces between words (Chinese,
    Japanese, Thai, Lao, Khmer, Myanmar): its words are then not the runs between blanks."""
    if text.isascii():
        return False
    if not latin1_but_punctuation(text) and (maybe := MAYBE_SPACELESS.search(text)) is not None:
        start = maybe.start()  # no such character comes before it
        if (unspaced_chars().search(text, start) is not None
                or _SEGMENTED.search(text, start) is not None):
            return True
    note_spaced(text)  # has_segmented_script, asked next about it, need not scan it again
    return False


def words(text: str) -> list[str]:
    """The words and numbers of a text, as written (``3.5``, ``1,000`` and ``l'`` pieces split).

    Chinese and Japanese characters come out one by one: those scripts do not mark words.
    """
    if not spaceless(text):
        return spaced_words(text)
    if unspaced_chars().search(text):  # compiled: spaceless searched for it
        return _cjk_words().findall(text)
    if has_segmented_script(text) and (spans := word_spans(text)) is not None:
        return [text[a:b] for a, b in spans]
    return _MARKED_WORD.findall(text)


def spaced_words(text: str) -> list[str]:
    """:func:`words` of a text known to hold no script written without spaces (not
    :func:`spaceless`; a part of such a text, or its case-folded form, has none either).

    An ASCII text has each character no word holds blanked in one C pass over its bytes, as
    :func:`folded_spaced_words` does a Latin-1 text's (4M instructions fewer over 150 posts
    in Spanish, French and English, 2M over 145 in six languages; ``str.translate``, building
    its table anew each call, cost more than the scans)."""
    if not text.isascii():
        return _split_words(text, _MARKED_WORD)
    return _blanked_words(text.encode("ascii").translate(_ASCII_BLANKS).decode("ascii"))


# Characters never part of a word (neither letters, digits nor combining marks): the ones most
# texts hold are replaced by spaces in one C pass each, after which the words of most texts are
# simply the runs between spaces.
_SEPARATORS = "\"'()[]“”‘’«»—–-/…¿¡:;!?%&"
# As a tuple: iterating over a string makes each of its characters beyond Latin-1 anew (the
# curly quotes, the dashes), one object a mark a call (20M instructions fewer over the 9,500
# sentences of the benchmark sets, 105M to 86M).
_SEPARATOR_MARKS = tuple(_SEPARATORS)


def _split_words(text: str, pattern: re.Pattern[str]) -> list[str]:
    """``pattern.findall(text)`` (a word pattern that no separator or white space can be part
    of), several times faster: the separators become spaces, and the runs between spaces that
    are letters and digits only are words as they stand; the pattern reads only the others.
    A match never spans a character it cannot hold, so reading the runs apart finds the same."""
    text = blanked(text, _SEPARATOR_MARKS)
    if "." in text or "," in text:
        # Inside a word only before a digit ("3.5", "1,000"): never before a space or at the end.
        text = text.replace(". ", " ").replace(", ", " ").rstrip(".,")
    return runs_or_matches(text, str.isalnum, pattern)


# Each Latin-1 character (as a byte) to its case fold when that is a letter or digit (the
# characters of :data:`_WORD`'s words) or the full stop or comma (a number's, "3.5"), every
# other to a space: no word holds one, so a word pattern splits there as it does at a space.
# Unpacked: µ and ß are the two characters it cannot fold (to Greek mu, to "ss").
_LATIN1_FOLD, (_MICRO, _SHARP_S) = latin1_fold(lambda fold: fold.isalnum() or fold in ".,")
# The same for ASCII without the case fold: every ASCII character no word holds, but the full
# stop and the comma, to a space.
_ASCII_BLANKS = bytes(code if chr(code).isalnum() or chr(code) in ".," else 32 for code in range(256))


def _blanked_words(text: str) -> list[str]:
    """The words of a text whose every character no word holds is a blank but the full stop and
    the comma: its runs between blanks, letters and digits only once no full stop or comma is
    left inside one (a number's, looked for by :data:`_WORD`), as :func:`_split_words` reads
    them."""
    if "." in text or "," in text:
        text = text.replace(". ", " ").replace(", ", " ").rstrip(".,")
        if "." in text or "," in text:
            return runs_or_matches(text, str.isalnum, _WORD)
    return text.split()


def folded_spaced_words(text: str) -> list[str]:
    """``spaced_words(text.casefold())``, for a text known to hold no script written without
    spaces (not :func:`spaceless`). A text Latin-1 once its curly quotes and dashes are
    blanks (most Latin script text, ASCII too) is case-folded and its separators blanked in one
    C pass over its bytes, where case folding looks each character beyond ASCII up in Unicode's
    tables and each separator is a scan of its own. The same words: case folding takes each of
    its characters to one character (ß and µ aside, left to the general rule), a letter or
    digit to a letter or digit and nothing else to one; a character no word holds (a
    separator, a symbol) splits the words around it as a blank does; and a Latin-1 text holds
    no combining mark, where :data:`_WORD` and :data:`_MARKED_WORD` differ. Its runs between
    blanks are then letters and digits but for a full stop or comma inside (a number's): with
    neither left, they are the words, not checked again (with the symbols blanked, 44M
    instructions fewer over 150 Spanish and French posts, 9M over 145 in six languages)."""
    # latin1_bytes and _blanked_words written out: this is asked of every sentence (the two
    # calls cost 0.3% of a run's instructions over 150 Spanish and French posts)
    try:
        data = text.encode("latin-1")
    except UnicodeEncodeError as error:
        if text[error.start] not in WIDE_PUNCTUATION:
            return spaced_words(text.casefold())
        try:
            data = blanked(text, WIDE_PUNCTUATION).encode("latin-1")
        except UnicodeEncodeError:
            return spaced_words(text.casefold())
    if _MICRO in data or _SHARP_S in data:
        return spaced_words(text.casefold())
    folded = data.translate(_LATIN1_FOLD).decode("latin-1")
    if "." in folded or "," in folded:  # as _blanked_words
        folded = folded.replace(". ", " ").replace(", ", " ").rstrip(".,")
        if "." in folded or "," in folded:
            return runs_or_matches(folded, str.isalnum, _WORD)
    return folded.split()


def blanked(text: str, marks: Iterable[str]) -> str:
    """``text`` with each of ``marks`` (characters; a tuple of them is iterated fastest)
    replaced by a space: one C pass per mark it holds."""
    for mark in marks:
        if mark in text:
            text = text.replace(mark, " ")
    return text


def runs_or_matches(text: str, whole: Callable[[str], bool],
                    pattern: re.Pattern[str]) -> list[str]:
    """The runs between white space that are ``whole`` (most, checked in one call), and in the
    others what ``pattern`` finds: ``pattern.findall(text)`` for a pattern whose matches are
    exactly such runs and never hold white space."""
    runs = text.split()
    if whole("".join(runs)):  # the common case
        return runs
    found: list[str] = []
    for run in runs:
        if whole(run):
            found.append(run)
        else:
            found.extend(pattern.findall(run))
    return found


def word_spans_of(text: str, language: str = "") -> list[tuple[int, int]]:
    """``(start, end)`` of each word of the text, as :func:`words` finds them."""
    if not text.isascii() and has_segmented_script(text) and not has_unspaced(text):
        spans = word_spans(text, language)
        if spans is not None:
            return list(spans)
    pattern = (_WORD if text.isascii() else _MARKED_WORD if latin1(text)
               else _cjk_words() if has_unspaced(text) else _MARKED_WORD)
    return [m.span() for m in pattern.finditer(text)]


def words_in(paragraphs: Iterable[str]) -> int:
    """How many words these paragraphs have, each counted by :func:`word_count` (a draft's
    length, as budgets, the store and every output count it). The same paragraphs asked for
    again are not counted again: the length check, the store and the JSON output ask for a
    draft's one after another, and a paragraph beyond Latin-1 (curly quotes) is scanned for
    scripts without spaces before it is split (counted once, a run over 150 posts takes 0.4%
    fewer instructions)."""
    return _words_in(tuple(paragraphs))  # a tuple (a draft's paragraphs) is not copied


@lru_cache(maxsize=16)  # the drafts in hand: a run asks for each within one item
def _words_in(paragraphs: tuple[str, ...]) -> int:
    return sum(map(word_count, paragraphs))


def word_count(text: str) -> int:
    """How many words a text has: the count budgets and the ``too-short`` rule use.

    White-space separated words, except that each Chinese or Japanese character counts as one
    word (those scripts put no spaces between words; a character is their usual length unit)
    and that Thai, Lao, Khmer and Myanmar words are ICU's (white-space separated without ICU).
    """
    if not spaceless(text):
        return len(text.split())
    if unspaced_chars().search(text):  # compiled: spaceless searched for it
        return len(counted_words().findall(text))
    if has_segmented_script(text) and (spans := word_spans(text)) is not None:
        return len(spans)
    return len(text.split())
