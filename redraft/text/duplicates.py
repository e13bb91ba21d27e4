"""Near duplicates: one rule for the whole project, deterministic (see :func:`near_duplicate`)."""

from __future__ import annotations

from collections import _count_elements  # type: ignore[attr-defined]  # see _near
from collections.abc import Iterator, Sequence
from itertools import repeat

from redraft.text.segment import MARK_CHARS, latin1_bytes, latin1_fold, word_spans
from redraft.text.tokens import blanked, spaceless

# --- near duplicates ---------------------------------------------------------------------------

# One changed word is tolerated per this many words of the longer text: "give or take a word
# or two" in a news sentence (15-30 words), and texts under 8 words must repeat exactly, since
# two short sentences differing by one word ("resigned on Tuesday" / "arrived on Tuesday")
# usually say different things.
NEAR_DUPLICATE_WORDS_PER_EDIT = 8
# Candidates compared in full per text, most-shared first: a repeat shares far more trigrams
# with the text it repeats than any other text does, so it is among the first few.
NEAR_DUPLICATE_BUCKET = 16
# Every third trigram of a text is indexed: an edit breaks at most three trigrams in a row, so
# at most one indexed one, and a text within the allowed edits keeps most of them.
_INDEX_STEP = 3


class _Blanks(dict[int, str]):
    """A translation table: every character that is neither letter nor digit becomes a space
    (looked up once per character, then kept)."""

    def __missing__(self, code: int) -> str:
        value = chr(code) if chr(code).isalnum() or chr(code) in MARK_CHARS else " "
        self[code] = value
        return value


_BLANKS = _Blanks()


def duplicate_key(text: str) -> tuple[str, ...]:
    """The words a repeat is judged on: case-folded, punctuation and spacing dropped. In a
    script without spaces, ICU's dictionary words; without ICU, the runs between spaces (a
    sentence then repeats only exactly: characters as words would allow one changed character
    in eight, 周二 for 周三)."""
    if spaceless(text):
        spans = word_spans(text)
        if spans is not None:
            return tuple(text[a:b].casefold() for a, b in spans)
    return spaced_duplicate_key(text)


def spaced_duplicate_key(text: str) -> tuple[str, ...]:
    """:func:`duplicate_key` of a text known to hold no script without spaces (not
    :func:`spaceless`), for a caller that has asked that already."""
    key = latin1_duplicate_key(text)
    return key if key is not None else general_spaced_key(text)


def general_spaced_key(text: str) -> tuple[str, ...]:
    """:func:`spaced_duplicate_key` by the general rule, for a caller that has found the text
    is not Latin-1 (:func:`latin1_duplicate_key` gave None)."""
    return tuple(_blank_split(text.casefold()))


def latin1_duplicate_key(text: str) -> tuple[str, ...] | None:
    """:func:`duplicate_key` of a text that is Latin-1 once its curly quotes and dashes are
    blanks (most Latin script text), which holds no script without spaces (not
    :func:`spaceless`, so its caller need not ask); None for any other text.

    Its case folding and blanking are one C pass over its bytes (:data:`_LATIN1_KEY`): case
    folding a string that is not ASCII looks each character up in Unicode's tables, and with
    the blank passes and the check of the words that took 123 M of the 740 M instructions of a
    pass of extraction's block cleaning over 150 Spanish and French posts."""
    data = latin1_bytes(text)
    if data is None:
        return None
    if any(map(data.__contains__, _UNFOLDED)):
        return general_spaced_key(text)
    return tuple(data.translate(_LATIN1_KEY).decode("latin-1").split())


def split_at_blanks(text: str) -> bool:
    """Whether :func:`duplicate_key` takes the text's words between blanks and punctuation (no
    script without spaces in it): such a word is then letters and digits only."""
    return not spaceless(text)


# The punctuation most texts hold (all of it blank in :data:`_BLANKS`): replaced by spaces in
# one C pass each, after which the words of most texts are simply the runs between spaces.
_COMMON_PUNCTUATION = ",.;:!?\"'()[]“”‘’«»—–-/…¿¡%&"


# Each Latin-1 character (as a byte) to its case fold, or to a space where :data:`_BLANKS`
# blanks that fold (the common punctuation beyond Latin-1, segment's curly quotes, dashes and
# ellipsis, is all in _COMMON_PUNCTUATION: blanked before, it leaves most Latin script text
# Latin-1).
_LATIN1_KEY, _UNFOLDED = latin1_fold(lambda fold: _BLANKS[ord(fold)] != " ")


def _blank_split(text: str) -> list[str]:
    """``text.translate(_BLANKS).split()``: the common punctuation replaced by spaces first;
    then, when every remaining token is letters and digits only (checked in one call), those
    tokens are the words, else :func:`_token_split` takes the rest token by token."""
    tokens = blanked(text, _COMMON_PUNCTUATION).split()
    return tokens if "".join(tokens).isalnum() else _token_split(text)


def _token_split(text: str) -> list[str]:
    """``text.translate(_BLANKS).split()``, token by token: most tokens are one word (maybe with
    a comma or full stop), and testing that is much cheaper than translating every character."""
    out: list[str] = []
    append = out.append
    for token in text.split():
        if token.isalnum():
            append(token)
        elif token[:-1].isalnum() and _BLANKS[ord(token[-1])] == " ":
            append(token[:-1])
        else:
            out.extend(token.translate(_BLANKS).split())
    return out


def near_duplicate(first: str, second: str) -> bool:
    """Whether two texts say the same words, give or take punctuation, case and a word or two.

    The rule (one for the whole project): on the case-folded words, the word-level edit
    distance (insertions, deletions, substitutions) is at most one per
    :data:`NEAR_DUPLICATE_WORDS_PER_EDIT` words of the longer text. Deterministic.
    """
    return _within_edits(duplicate_key(first), duplicate_key(second))


def _allowed_edits(first: Sequence[str], second: Sequence[str]) -> int:
    return max(len(first), len(second)) // NEAR_DUPLICATE_WORDS_PER_EDIT


def _within_edits(first: Sequence[str], second: Sequence[str]) -> bool:
    """Banded Levenshtein on words: only the diagonal band of width ``limit`` is computed."""
    limit = _allowed_edits(first, second)
    if abs(len(first) - len(second)) > limit:
        return False
    if limit == 0:
        return tuple(first) == tuple(second)
    # Each word of one text found nowhere in the other takes an edit of its own: more such
    # words than the edits allowed is no repeat, told without the table (most candidates that
    # share a few trigrams differ in many words).
    if len(set(first).difference(second)) > limit or len(set(second).difference(first)) > limit:
        return False
    first, second = _without_common_ends(first, second)
    far = limit + 1
    previous = [j if j <= limit else far for j in range(len(second) + 1)]
    for i, word in enumerate(first, start=1):
        current = [far] * (len(second) + 1)
        current[0] = i if i <= limit else far
        for j in range(max(1, i - limit), min(len(second), i + limit) + 1):
            cost = previous[j - 1] + (word != second[j - 1])
            current[j] = min(cost, previous[j] + 1, current[j - 1] + 1, far)
        if min(current) > limit:
            return False
        previous = current
    return previous[-1] <= limit


def _without_common_ends(first: Sequence[str], second: Sequence[str],
                         ) -> tuple[Sequence[str], Sequence[str]]:
    """The two texts without the words they start and end with alike: those take no edit, so
    the distance of what is left is theirs, and a repeat (words alike but a few) leaves the
    table little to fill."""
    most = min(len(first), len(second))
    start = 0
    while start < most and first[start] == second[start]:
        start += 1
    end = 0
    while end < most - start and first[-1 - end] == second[-1 - end]:
        end += 1
    return first[start : len(first) - end], second[start : len(second) - end]


class NearDuplicates:
    """Texts met so far, to recognise one that repeats an earlier one (:func:`near_duplicate`).

    Every third word trigram of a text points at it (the latest text that has it). A repeat
    within the allowed edits keeps most of those (an edit breaks at most one), so many of them
    still point there; the texts most pointed at are compared in full, most-shared first, then
    in the order they were added, so the answer never depends on hashing or set order. Index
    updates and look-ups run in C, which matters for thousands of sentences.
    """

    def __init__(self) -> None:
        self.texts: list[tuple[str, ...]] = []
        self.exact: dict[tuple[str, ...], int] = {}
        self.where: dict[tuple[str, ...], int] = {}
        self.comparisons = 0  # full comparisons made: at most NEAR_DUPLICATE_BUCKET per text

    def find(self, text: str) -> int | None:
        """The number of an added text that ``text`` repeats (most shared words first), or None."""
        return self.find_key(duplicate_key(text))

    def find_key(self, key: tuple[str, ...]) -> int | None:
        """:meth:`find` for a text's :func:`duplicate_key`."""
        if key in self.exact:
            return self.exact[key]
        return self._near(key)

    def _near(self, key: tuple[str, ...]) -> int | None:
        """The added text that ``key`` repeats within the allowed edits."""
        if len(key) < NEAR_DUPLICATE_WORDS_PER_EDIT:
            return None
        # Only the trigrams the index has are looked up and counted: most trigrams of most
        # texts are in no other text (one pass, where a test for any shared one and then a
        # count of all, found or not, took two for the half of texts that share one).
        # Counted by Counter's own loop (C, in ``collections``) into a plain dict, as they are
        # found: a Counter's making (its update's frames and Mapping check) cost more than the
        # look-ups of a text that shares none, so they were listed first and counted only when
        # there were some (7M instructions fewer over 150 Spanish and French posts, 6M over 145
        # in six languages).
        where = self.where
        shared: dict[int, int] = {}
        _count_elements(shared, map(where.__getitem__, filter(where.__contains__, _trigrams(key))))
        if not shared:
            return None
        # A repeat within the allowed edits keeps most indexed trigrams (an edit breaks at most
        # one); half of that floor leaves room for trigrams a later text has taken over.
        edits = len(key) // (NEAR_DUPLICATE_WORDS_PER_EDIT - 1) + 1
        floor = max(1, ((len(key) - 2) // _INDEX_STEP - edits) // 2)
        likely = sorted((-count, number) for number, count in shared.items() if count >= floor)
        for _, number in likely[:NEAR_DUPLICATE_BUCKET]:
            self.comparisons += 1
            if _within_edits(key, self.texts[number]):
                return number
        return None

    def add(self, text: str) -> int:
        """Record a text; its number (its position among those added)."""
        return self.add_key(duplicate_key(text))

    def add_key(self, key: tuple[str, ...]) -> int:
        """:meth:`add` for a text's :func:`duplicate_key`."""
        number = len(self.texts)
        self.texts.append(key)
        self.exact.setdefault(key, number)
        if len(key) >= NEAR_DUPLICATE_WORDS_PER_EDIT:  # a shorter one must repeat exactly
            self.where.update(zip(_indexed(key), repeat(number)))
        return number

    def repeats(self, text: str) -> int | None:
        """:meth:`find`, and the text is recorded when it repeats nothing."""
        return self.repeats_key(duplicate_key(text))

    def repeats_key(self, key: tuple[str, ...]) -> int | None:
        """:meth:`repeats` for a text's :func:`duplicate_key`."""
        if key in self.exact:
            return self.exact[key]
        found = self._near(key)
        if found is None:
            self.add_key(key)
        return found


def _trigrams(key: tuple[str, ...]) -> Iterator[tuple[str, str, str]]:
    """The key's word trigrams, in order, made as they are read: a look-up keeps none of them,
    so zip reuses one tuple for all (a list of them, made per text, was a tenth of a run's
    duplicate checks)."""
    return zip(key, key[1:], key[2:], strict=False)


def _indexed(key: tuple[str, ...]) -> Iterator[tuple[str, str, str]]:
    """The trigrams the index holds: every :data:`_INDEX_STEP`-th, from the first (those
    starting at 0, 3, 6, ...), without making the others."""
    return zip(key[0::_INDEX_STEP], key[1::_INDEX_STEP], key[2::_INDEX_STEP], strict=False)
