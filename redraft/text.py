"""Pure text helpers shared by the stages: normalising, sentences, tokens, stems, language.

Everything here is deterministic and free of I/O; word lists live in :mod:`redraft.vocab`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache

import snowballstemmer

from redraft.vocab import ABBREVIATIONS, LANGUAGES, STEMMERS, STOPWORDS

_SPACES = re.compile(r"[ \t\r\n\f\v\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+")
_INVISIBLE = re.compile(r"[\u00ad\u200b-\u200d\u2060\ufeff]")
_ASCII_MAP = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
        "\u00ab": '"', "\u00bb": '"', "\u2039": "'", "\u203a": "'",
        "\u2013": "-", "\u2014": "-", "\u2012": "-", "\u2015": "-", "\u2212": "-",
        "\u2026": "...",
    }
)
# Guillemets keep their inner space in French typography; the space is normalised, not removed.
_SPACE_BEFORE_PUNCT = re.compile(r" +([,.;:!?)\]}%])(?=\s|$)")
_SPACE_AFTER_OPEN = re.compile(r"([(\[{]) +")


def normalise(text: str, *, ascii_quotes: bool = False) -> str:
    """Unicode NFC, one space between words, no invisible characters, trimmed.

    Args:
        text: any text, already free of markup and entities.
        ascii_quotes: turn typographic quotes, dashes and ellipses into their ASCII forms.
    """
    text = unicodedata.normalize("NFC", _INVISIBLE.sub("", text))
    text = _SPACES.sub(" ", text).strip()
    if ascii_quotes:
        text = text.translate(_ASCII_MAP)
    return text


def tidy_spacing(text: str) -> str:
    """Remove spaces before closing punctuation and after opening brackets (``word ,`` → ``word,``)."""
    return _SPACE_AFTER_OPEN.sub(r"\1", _SPACE_BEFORE_PUNCT.sub(r"\1", text))


# --- sentences -------------------------------------------------------------------------------

_CLOSERS = "\"'”’»)]}"
_OPENERS = "\"'“‘«([{¿¡"
# A candidate boundary: terminal punctuation, optional closing quotes or brackets, then space.
_BOUNDARY = re.compile(rf"([.!?…]+)([{re.escape(_CLOSERS)}]*)(\s+)")
_NEXT_START = re.compile(rf"[{re.escape(_OPENERS)}\-–—]*\s*(?:[^\W\d_]|\d)")
_WORD_BEFORE = re.compile(r"(\S+)$")
_INITIAL = re.compile(r"^(?:[^\W\d_]\.)+$")


def split_sentences(text: str, language: str = "en") -> list[str]:
    """Split a paragraph into sentences, keeping each sentence's text exactly as written.

    A boundary is ``.``, ``!``, ``?`` or ``…`` (with any closing quotes or brackets) followed by
    white space and a word that can start a sentence. Abbreviations of the language (``Mr.``,
    ``Sra.``, ``Mme.``), initials (``J. F.``) and a lower-case continuation do not split.
    """
    abbreviations = ABBREVIATIONS.get(language, ABBREVIATIONS["en"])
    sentences: list[str] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        end = match.end(2)
        following = text[match.end() :]
        if not following or not _NEXT_START.match(following):
            continue
        if match.group(1) == "." and not match.group(2):
            word = _WORD_BEFORE.search(text, 0, match.start(1))
            token = word.group(1).lower().lstrip(_OPENERS) if word else ""
            if token in abbreviations or _INITIAL.match(token + ".") and len(token) <= 3:
                continue
            if _lowercase_start(following):
                continue
        elif _lowercase_start(following) and match.group(1) != "?" and match.group(1) != "!":
            continue
        sentence = text[start:end].strip()
        if sentence:
            sentences.append(sentence)
        start = match.end()
    tail = text[start:].strip()
    if tail:
        sentences.append(tail)
    return sentences


def _lowercase_start(following: str) -> bool:
    stripped = following.lstrip(_OPENERS + "-–— ")
    return bool(stripped) and stripped[0].islower()


# --- tokens ----------------------------------------------------------------------------------

_WORD = re.compile(r"[^\W_]+(?:[.,][0-9]+)*", re.UNICODE)


def words(text: str) -> list[str]:
    """The words and numbers of a text, as written (``3.5``, ``1,000`` and ``l'`` pieces split)."""
    return _WORD.findall(text)


def word_count(text: str) -> int:
    """How many words (white-space separated) a text has: the count budgets use."""
    return len(text.split())


def stopwords(language: str) -> frozenset[str]:
    """The stop words of a language (English when the language is unknown)."""
    return STOPWORDS.get(language, STOPWORDS["en"])


@lru_cache(maxsize=8)
def _stemmer(language: str) -> snowballstemmer.stemmer:
    return snowballstemmer.stemmer(STEMMERS.get(language, "english"))


@lru_cache(maxsize=200_000)
def stem(word: str, language: str = "en") -> str:
    """The Snowball stem of a lower-case word; numbers come back unchanged."""
    if not word.isalpha():
        return word
    result: str = _stemmer(language).stemWord(word)
    return result


def content_terms(text: str, language: str = "en") -> list[str]:
    """Lower-case stems of the words that carry content (stop words dropped), in order."""
    stops = stopwords(language)
    return [stem(w, language) for w in (t.lower() for t in words(text)) if w not in stops]


def shingles(tokens: Sequence[str], n: int) -> set[tuple[str, ...]]:
    """The set of ``n``-grams of a token sequence."""
    return {tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1)}


# --- language --------------------------------------------------------------------------------

_DETECT_MIN_HITS = 3  # fewer stop-word hits than this is too little evidence to leave English


def detect_language(text: str, candidates: Iterable[str] = LANGUAGES) -> str:
    """The most likely language among ``candidates``, by counting each one's stop words.

    Stop words are the most frequent words of every language, so a few hundred characters
    suffice; with too little evidence the answer is ``"en"``.
    """
    sample = [w.lower() for w in words(text[:4000])]
    best, best_hits = "en", 0
    for language in candidates:
        stops = STOPWORDS[language]
        hits = sum(1 for w in sample if w in stops)
        if hits > best_hits:
            best, best_hits = language, hits
    return best if best_hits >= _DETECT_MIN_HITS else "en"


def paragraphs_of(text: str) -> Iterator[str]:
    """Paragraphs of plain text: blank-line separated, or one a line when there are no blanks."""
    chunks = re.split(r"\n\s*\n", text.strip())
    if len(chunks) == 1:
        chunks = text.strip().splitlines()
    for chunk in chunks:
        paragraph = normalise(chunk)
        if paragraph:
            yield paragraph
