"""Near-duplicate text: MinHash signatures over shingles, and the LSH bands that find them.

A signature is :data:`PERMUTATIONS` 32-bit minimum hashes (rensa's ``RMinHash``, a Rust
MinHash with a fixed seed, so signatures made in different runs compare), stored as bytes.
Locality-sensitive hashing cuts it into :data:`BANDS` bands of :data:`ROWS` rows; two texts
whose Jaccard similarity is ``s`` share at least one band with probability
``1 - (1 - s**ROWS)**BANDS``: a new text is compared only with the entries that share a band
(an indexed look-up), never with everything.
"""

from __future__ import annotations

import hashlib
import struct
from array import array
from collections.abc import Sequence

from rensa import RMinHash  # type: ignore[import-untyped]

from redraft.text import spaceless, words
from redraft.text.tokens import spaced_words

PERMUTATIONS = 64  # estimate error ~ sqrt(s(1-s)/64) = 0.05 at s=0.8: enough to tell 0.8 from 0.5
BANDS = 16  # 16 bands x 4 rows: a pair at s=0.8 shares a band with p=0.9998, at s=0.3 p=0.12
ROWS = PERMUTATIONS // BANDS
SEED = 20240611  # fixed for ever: stored signatures are only comparable under the same seed
WORD_SHINGLE = 3  # three-word shingles: one edited word changes three shingles, not the page
CHAR_SHINGLE = 4  # scripts without spaces (Chinese, Japanese, Thai): four characters a shingle
SPACELESS_CHARS_PER_SPACE = 15  # English averages ~6 characters a space; 15+ means no spaces
SHINGLE_WORDS = 400  # a copy shows in its first 400 words; longer posts cost no more to sign
MAX_CHARS_PER_WORD = 12  # English averages ~6 with its space: 400 words are well inside 4,800
SPACELESS_CHARS_PER_WORD = 2  # ~2 characters a word in Chinese or Japanese: the same extent
GUESSED_CHARS_PER_WORD = 7  # ~6.5 in English, Spanish or French, the space included: a first
#                            piece held enough words in 690 of 714 posts' openings (then a second)
MIN_SHINGLES = 12  # fewer shingles than this and Jaccard is noise: the story layer decides
Head = tuple[str, Sequence[str]]  # a beginning of a text and its words, already found
# Each band's rows in a signature (4 bytes a row), hashed under the band's number.
_BANDS = tuple((bytes([band]), slice(band * ROWS * 4, (band + 1) * ROWS * 4)) for band in range(BANDS))
# The band's number already hashed: a copy of the state, given the rows, digests the number
# and the rows (a copy costs less than a hasher made from its arguments, digest_size and all).
_BAND_STATES = tuple((hashlib.blake2b(number, digest_size=8), rows) for number, rows in _BANDS)
_KEYS = struct.Struct(f"<{BANDS}q")
SCHEME = (f"rensa-minhash/{PERMUTATIONS}/{BANDS}/{SEED}/{WORD_SHINGLE}/{CHAR_SHINGLE}/"
          f"{SHINGLE_WORDS}")


def shingles_of(text: str) -> list[str]:
    """The distinct shingles of a text's first :data:`SHINGLE_WORDS` words (read from its first
    ``SHINGLE_WORDS * MAX_CHARS_PER_WORD`` characters): lower-case word n-grams, or character
    n-grams for text written without spaces between words."""
    return list(dict.fromkeys(_shingles(text)))


def _shingles(text: str, head: Head | None = None) -> list[str]:
    """The shingles of :func:`shingles_of`, repeats included, in order."""
    if len(text) > SPACELESS_CHARS_PER_SPACE * (text.count(" ") + 1):
        letters = "".join(text.lower().split())[: SHINGLE_WORDS * SPACELESS_CHARS_PER_WORD]
        return [letters[i : i + CHAR_SHINGLE] for i in range(len(letters) - CHAR_SHINGLE + 1)]
    cut = text[: SHINGLE_WORDS * MAX_CHARS_PER_WORD]
    lowered = (_lowered_words(cut, head) or words(cut.lower()))[:SHINGLE_WORDS]
    return list(map(" ".join, zip(*(lowered[i:] for i in range(WORD_SHINGLE)), strict=False)))


def _lowered_words(cut: str, head: Head | None) -> list[str] | None:
    """``words(cut.lower())``, its first :data:`SHINGLE_WORDS` at least, with the words of a
    beginning already read lower-cased, not found again; None when they do not serve: not
    ``cut``'s beginning, ending inside a word, or a script written without spaces (where the
    words depend on the text around them).

    The same words: white space ends every word, and lower-casing changes no character's kind
    (a letter or digit stays one, maybe with a combining mark, as ``İ``; a mark stays a mark;
    anything else stays neither, nor becomes a digit, ``.`` or ``,``), checked for every code
    point by ``tests/test_stories.py``.
    """
    if head is None:
        return None
    prefix, found = head
    end = len(prefix)
    if not cut.startswith(prefix) or (end < len(cut) and not cut[end].isspace()) or spaceless(cut):
        return None
    # The rest of a text not spaceless is not either: its words are the spaced ones.
    lowered = list(map(str.lower, found))
    return lowered + _first_lowered_words(cut[end:], SHINGLE_WORDS - len(lowered))


def _first_lowered_words(text: str, count: int) -> list[str]:
    """``spaced_words(text.lower())``, at least its first ``count`` (all when it has fewer),
    found in as little of the text as likely holds them (a long post's opening has twice what
    a signature reads). A piece of the text that ends at a space has the words the text begins
    with (white space ends every word), and lower-cased has the same letters as in the whole
    (a space ends the context of a final sigma, the one letter lower-cased by its neighbours)."""
    found: list[str] = []
    start = 0
    while start < len(text) and len(found) < count:
        stop = text.find(" ", start + (count - len(found)) * GUESSED_CHARS_PER_WORD)
        stop = len(text) if stop < 0 else stop
        found += spaced_words(text[start:stop].lower())
        start = stop
    return found


def signature(text: str, *, head: Head | None = None) -> bytes | None:
    """The MinHash signature of a text as bytes, or None when it is too short to judge.

    Args:
        text: the text.
        head: a beginning of the text and its words (:func:`redraft.text.words`), already read:
            they are not looked for again when they serve (the signature is the same).
    """
    grams = _shingles(text, head)
    if not _at_least(grams, MIN_SHINGLES):
        return None
    minhash = RMinHash(num_perm=PERMUTATIONS, seed=SEED)
    minhash.update(grams)  # a minimum over the set: a repeated shingle changes nothing
    return array("I", minhash.digest()).tobytes()


def _at_least(items: Sequence[str], count: int) -> bool:
    """Whether ``items`` holds ``count`` distinct ones (read only as far as needed)."""
    seen: set[str] = set()
    for item in items:
        if len(seen) >= count:
            return True
        seen.add(item)
    return len(seen) >= count


def _values(sig: bytes) -> array[int]:
    values = array("I")
    values.frombytes(sig)
    return values


def band_keys(sig: bytes) -> tuple[int, ...]:
    """One signed 64-bit key per band (the band's number is part of the key), for an index."""
    digests = []
    for state, rows in _BAND_STATES:  # blake2b(number + rows), the number's part hashed once
        band = state.copy()
        band.update(sig[rows])
        digests.append(band.digest())
    return _KEYS.unpack(b"".join(digests))  # each digest read as a little-endian signed 64-bit number


def similarity(first: bytes, second: bytes) -> float:
    """The estimated Jaccard similarity of the two texts: the share of equal minimum hashes."""
    a, b = _values(first), _values(second)
    if len(a) != len(b) or not a:
        return 0.0
    return sum(1 for x, y in zip(a, b, strict=True) if x == y) / len(a)


def best_match(sig: bytes, candidates: Sequence[tuple[str, bytes]]) -> tuple[str, float] | None:
    """The candidate (key, signature) most similar to ``sig``, with its similarity."""
    best: tuple[str, float] | None = None
    for key, other in candidates:
        score = similarity(sig, other)
        if best is None or score > best[1]:
            best = (key, score)
    return best
