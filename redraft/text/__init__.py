"""Pure text helpers shared by the stages: normalising, sentences, tokens, stems, language.

Everything here is deterministic and free of I/O; word lists live in :mod:`redraft.vocab`.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from functools import lru_cache

import snowballstemmer

from redraft.text.lang import UNDETERMINED, detect_language
from redraft.text.negation import has_negation_rules, negated_tokens, negation_word_in
from redraft.text.segment import has_segmented_script, latin1_but_punctuation, split_segmented
from redraft.text.tokens import (
    spaced_words,
    spaceless,
    word_count,
    word_spans_of,
    words,
    words_in,
)
from redraft.vocab import (
    ABBREVIATIONS,
    BACK_REFERENCES,
    STEMMERS,
    STOPWORDS,
    TITLES,
)

_NONE: frozenset[str] = frozenset()  # an unknown language gets no language's word list
_SNOWBALL = frozenset(snowballstemmer.algorithms())

# Soft hyphens, zero-width spaces and joiners, word joiners, byte-order marks: deleted.
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
_SPACE_BEFORE_PUNCT = re.compile(r"  *([,.;:!?)\]}%])(?=\s|$)")  # " *": see _BOUNDARY
_SPACE_AFTER_OPEN = re.compile(r"([(\[{]) +")


def normalise(text: str, *, ascii_quotes: bool = False) -> str:
    """Unicode NFC, one space between words, no invisible characters, trimmed.

    Args:
        text: any text, already free of markup and entities.
        ascii_quotes: turn typographic quotes, dashes and ellipses into their ASCII forms.
    """
    if "\u00a0" in text:  # a space to split at, as any other; composes with nothing under NFC
        text = text.replace("\u00a0", " ")
    if text.isprintable() and (text.isascii() or latin1_but_punctuation(text)
                               or unicodedata.is_normalized("NFC", text)):
        # Most text (nine lines in ten of WordPress posts): printable, so its only white space
        # is the plain space and it holds no invisible character, and in NFC already; only its
        # runs of spaces and its ends are left to mend, without splitting it into words. Text
        # Latin-1 but for curly quotes and dashes is always NFC (no character of it composes):
        # not asked (is_normalized reads each character's record; with the look at the middle
        # character in latin1_but_punctuation, 7.5M instructions fewer over 150 Spanish and
        # French posts, 19M over 145 in six languages).
        while "  " in text:
            text = text.replace("  ", " ")
        text = text.strip(" ")
    else:
        text = unicodedata.normalize("NFC", _INVISIBLE.sub("", text))
        # str.split() splits on every Unicode space (thin spaces included) and on the C0/C1
        # separators, which are no text either; it is three times faster than a regex.
        text = " ".join(text.split())
    if ascii_quotes:
        text = text.translate(_ASCII_MAP)
    return text


def tidy_spacing(text: str) -> str:
    """Remove spaces before closing punctuation and after opening brackets (``word ,`` → ``word,``)."""
    return _SPACE_AFTER_OPEN.sub(r"\1", _SPACE_BEFORE_PUNCT.sub(r"\1", text))


# --- sentences -------------------------------------------------------------------------------

_CLOSERS = "\"'”’)]}」』›"
_OPENERS = "\"'“‘«„‹([{¿¡「『"
# A candidate boundary: terminal punctuation, any closing quotes or brackets (a French closing
# guillemet may follow a space), then white space. Searched patterns here open with one
# character class ("[.!?][.!?]*", not "[.!?]+"): the regex engine then skips to the next
# character of that class instead of trying a whole match at every position (3x faster).
_TERMINALS = ".!?…।॥؟۔։።፧"
_BOUNDARY = re.compile(
    rf"([{_TERMINALS}][{_TERMINALS}]*)((?:[{re.escape(_CLOSERS)}]|[ \u00a0\u202f]*»)*)(\s+)"
)
# _BOUNDARY for a text whose only terminal is the full stop (nine paragraphs in ten): opening
# with a literal, the search skips to the next "." in a tight loop, where a class is tested
# against every character (about 60 instructions each); 33M fewer instructions splitting the
# 4,312 paragraphs of both benchmark sets (137M to 104M).
_FULL_STOP_BOUNDARY = re.compile(
    rf"(\.\.*)((?:[{re.escape(_CLOSERS)}]|[ \u00a0\u202f]*»)*)(\s+)"
)
# Tuples, as the marks looked for one by one below: iterating over a string makes each of its
# characters beyond Latin-1 anew, every call.
_WIDE_TERMINALS = tuple(mark for mark in _TERMINALS if not mark.isascii())
_NEXT_WORD = re.compile(rf"[{re.escape(_OPENERS)}\-–—\s]*(?:([^\W\d_]+)(\.?)|\d)")
_INITIAL = re.compile(r"^(?:[^\W\d_]\.)+$")
_MAX_INITIAL_CHARS = 4  # "j." or "u.s." are initials; longer dotted tokens are not
# In a language without titles of its own (Thai, German, an undetermined one), an ASCII title
# is the English one quoted in it ("Mr. Smith" in a Thai article): no sentence ends on it.
_ASCII_TITLES = TITLES["en"]


def split_sentences(text: str, language: str = "en") -> list[str]:
    """Split a paragraph into sentences, keeping each sentence's text exactly as written.

    A boundary is ``.``, ``!``, ``?``, ``…`` or ``...`` (with any closing quotes, brackets or
    guillemets) followed by white space and a word or number. It is not a boundary when the
    next word is lower-case (``"Stop!" he said``, ``¿Vienes? —preguntó``), after a title
    (``Mr.``, ``Sra.``, ``Mme``), or after another abbreviation or an initial (``U.S.``,
    ``p.m.``, ``J.``) unless a capitalised stop word follows (``at 9 a.m. The rest``).
    Text tokenised Penn-Treebank style (``it 's fine .``) splits the same way, and so does
    text all in lower case, where the case of the next word says nothing.

    Args:
        text: one paragraph of plain text.
        language: ISO 639-1 code choosing the abbreviations and stop words.

    The condenser, the verifier and its source index split the same paragraphs one after
    another, so recent answers are cached; each call returns a fresh list.
    """
    return list(_split_sentences(text, language))


# A sentence end in Chinese and Japanese (full-width ones too), with its closing brackets and
# quotes; no space follows it. Devanagari's danda and Arabic's question mark end like "?".
_CJK_STOPS = "。！？｡"
_CJK_STOP_MARKS = tuple(_CJK_STOPS)
_CJK_END = re.compile(rf"[{_CJK_STOPS}][{_CJK_STOPS}]*[」』）〕】”’\"')]*")


@lru_cache(maxsize=1024)  # a few articles' paragraphs: the stages of one article share them
def _split_sentences(text: str, language: str) -> tuple[str, ...]:
    if text.isascii():
        return _split_spaced(text, language, _boundary(text))
    # Looked for one by one (a C scan each; none at all in a Latin-1 text), not by a pattern.
    cjk = any(map(text.__contains__, _CJK_STOP_MARKS))
    sentences = _split_cjk(text, language) if cjk else _split_spaced(text, language, _boundary(text))
    if has_segmented_script(text):  # Thai, Lao, Khmer, Myanmar: ICU's boundaries as well
        return tuple(part for sentence in sentences for part in split_segmented(sentence, language))
    return sentences


def _split_cjk(text: str, language: str) -> tuple[str, ...]:
    sentences: list[str] = []
    start = 0
    for match in _CJK_END.finditer(text):
        sentences.extend(_split_spaced(text[start : match.end()], language))
        start = match.end()
    sentences.extend(_split_spaced(text[start:], language))
    return tuple(sentences)


def _boundary(text: str) -> re.Pattern[str]:
    """The pattern finding a whole paragraph's boundaries: the full stop's when it has no other
    terminal (looked for one by one, a C scan each: "!" and "?", then the others only outside
    ASCII). The pieces of a Chinese or Japanese paragraph, short, are not worth the scans."""
    if "!" in text or "?" in text or (
            not text.isascii() and any(map(text.__contains__, _WIDE_TERMINALS))):
        return _BOUNDARY
    return _FULL_STOP_BOUNDARY


def _split_spaced(text: str, language: str,
                  boundary: re.Pattern[str] = _BOUNDARY) -> tuple[str, ...]:
    """Sentences of a text whose sentences end in punctuation followed by white space, found
    by ``boundary`` (:data:`_BOUNDARY`, or one finding the same in this text)."""
    sentences: list[str] = []
    start = 0
    caseless = text.islower()  # lower-cased text: a lower-case word can start a sentence
    for match in boundary.finditer(text):
        if not _is_boundary(text, match, language, caseless=caseless):
            continue
        sentence = text[start : match.end(2)].strip()
        if sentence:
            sentences.append(sentence)
        start = match.end()
    tail = text[start:].strip()
    if tail:
        sentences.append(tail)
    return tuple(sentences)


def _is_boundary(text: str, match: re.Match[str], language: str, *, caseless: bool) -> bool:
    following = _NEXT_WORD.match(text, match.end())
    if following is None:
        return False
    word = following.group(1)
    if word is not None and word[0].islower() and not caseless:
        return False
    if match.group(1) != "." or match.group(2):
        return True
    end = match.start(1)
    token = text[max(text.rfind(" ", 0, end), text.rfind("\n", 0, end)) + 1 : end]
    token = token.lower().lstrip(_OPENERS)
    if token in TITLES.get(language, _NONE) or (language not in TITLES and token in _ASCII_TITLES
                                                 and token.isascii()):
        return False
    is_initial = len(token) <= _MAX_INITIAL_CHARS and bool(_INITIAL.match(token + "."))
    if token in ABBREVIATIONS.get(language, _NONE) or is_initial:
        return not caseless and _starts_sentence(word, following.group(2), language)
    return True


def _starts_sentence(word: str | None, dot: str, language: str) -> bool:
    """After an abbreviation, only a capitalised stop word (``The``, ``El``, ``Il``) starts one."""
    if word is None or (dot and len(word) == 1):
        return False
    return word.lower() in stopwords(language)


# --- safe deletions --------------------------------------------------------------------------

_DASH = r"(?:--|[–—])"
# "(CNN) --", "LONDON, England (Reuters) -", "(AP)": an agency tag, maybe after a place.
_DATELINE_TAG = re.compile(
    rf"^(?:[A-ZÀ-Ý]{{2,}}[\w’'.,-]*(?:[ ,]+[\w’'.-]+){{0,3}}\s+)?\([^()\s]+(?:\s[^()\s]+){{0,2}}\)"
    rf"(?:\s*(?:{_DASH}|-)\s+|\s*)"
)
# "MADRID — ", "NEW YORK, N.Y. -- ": a place in capitals, then a dash.
_DATELINE_PLACE = re.compile(rf"^[A-ZÀ-Ý]{{2,}}(?:[ ,.'’-]+[A-ZÀ-Ý.]+)*\s+{_DASH}\s+")
# A bracketed aside (no quotes or nested brackets in it), with one comma when it sits in a
# comma pair, so that "a, (b), c" becomes "a, c".
_BRACKET = re.compile(r"(,?)\s\(([^()\"“”«»]{1,200})\)(?=([,.;:!?…\s]|$))")
# A dash-paired aside: " – words – " or " —words— " (a spaced hyphen counts as a dash), not
# a range of numbers ("2010 - 2012 and 2015 - 2017"): no digit before its space (looked back on
# from after the space, so that the pattern opens with a class; see _BOUNDARY).
_DASH_ASIDE = re.compile(
    rf"\s(?<!\d\s)(?:{_DASH}\s?|-\s)[^–—()\"“”«»]{{1,200}}?(?:\s?{_DASH}|\s-)(?=\s\D)"
)
_DASH_MARKS = ("-", "–", "—")  # what follows the white space opening a dash aside
_ACRONYM = re.compile(r"^[A-ZÀ-Ý0-9&.-]{2,}$")
_MIN_KEPT_WORDS = 4  # a deletion leaving fewer words than this has cut into the statement


def strip_dateline(sentence: str) -> str:
    """The sentence without a leading dateline (``(CNN) --``, ``MADRID —``): a safe deletion."""
    text = _DATELINE_PLACE.sub("", _DATELINE_TAG.sub("", sentence, count=1), count=1)
    return sentence if len(text.split()) < _MIN_KEPT_WORDS else text.strip()


def strip_asides(sentence: str, *, dateline: bool = False, language: str = "en") -> str:
    """The sentence without its asides: a safe deletion, never a rewording.

    Deletes bracketed asides (``(pictured)``, ``(left)``), asides between a pair of dashes
    (``– as expected –``) and, when ``dateline`` is true (the article's first sentence), a
    leading dateline such as ``(CNN) --`` or ``MADRID —``. An aside stays when it is inside a
    quotation, defines an acronym (``(WHO)``) or holds a negation (``—not for long—``). What is
    left is the sentence with some spans removed, in order, so a verifier can find it in the
    source. When a deletion would leave fewer than four words, the sentence comes back whole.

    Args:
        sentence: one sentence as written in the source.
        dateline: also remove a leading dateline.
        language: ISO 639-1 code choosing the negation words.
    """
    text = sentence
    if dateline:
        text = _DATELINE_TAG.sub("", text, count=1)
        text = _DATELINE_PLACE.sub("", text, count=1)
    if "(" in text:
        text = _drop_brackets(text, language)
    # An aside between dashes takes two (an opening and a closing one): a sentence with one
    # dash, or one hyphen besides, is not searched (a search costs ~100k instructions in a
    # long sentence; half the sentences with a dash have no second one).
    if ("–" in text or "—" in text or " -" in text) and (
            text.count("-") + text.count("–") + text.count("—") >= 2):
        text = _drop_dash_asides(text, language)
    if text == sentence or len(text.split()) < _MIN_KEPT_WORDS:
        return sentence
    return text.strip()


def _inside_quotes(text: str, position: int) -> bool:
    """Whether ``position`` falls inside a quotation, whose words must stay as spoken."""
    before = text[:position]
    return (
        before.count('"') % 2 == 1
        or before.count("“") > before.count("”")
        or before.count("«") > before.count("»")
        or before.count("「") > before.count("」")
    )


def _negates(aside: str, language: str) -> bool:
    """Whether the aside negates, by the language's rules; in a language without any, whether
    it may (an aside is then never deleted: nothing says it is safe to)."""
    if not has_negation_rules(language):
        return True
    # Most asides hold no script written without spaces: their words are the pattern's matches,
    # which word_spans_of would find one by one, and a word list needs no more than the words.
    found = None if spaceless(aside) else negation_word_in(spaced_words(aside), language)
    if found is not None:
        return found
    return bool(negated_tokens(aside, word_spans_of(aside, language), language))


def _drop_dash_aside(match: re.Match[str], language: str) -> str:
    keep = _inside_quotes(match.string, match.start()) or _negates(match.group(0), language)
    return match.group(0) if keep else ""


def _drop_dash_asides(text: str, language: str) -> str:
    """``_DASH_ASIDE.sub`` with :func:`_drop_dash_aside`, the pattern tried only where a match
    can start: at a white space before a dash or a hyphen, in order, as the substitution's
    scan tries them (it tries every white space, and reads up to 200 characters on from each
    dash it meets there)."""
    dashes: list[int] = []
    for mark in _DASH_MARKS:
        at = text.find(mark)
        while at >= 0:
            dashes.append(at)
            at = text.find(mark, at + 1)
    pieces: list[str] = []
    last = 0  # where the last match ended: no match starts before it
    for dash in sorted(dashes):
        start = dash - 1
        if start >= last and text[start].isspace() and (
                match := _DASH_ASIDE.match(text, start)) is not None:
            pieces += text[last:start], _drop_dash_aside(match, language)
            last = match.end()
    if not pieces:
        return text
    pieces.append(text[last:])
    return "".join(pieces)


def _drop_brackets(text: str, language: str) -> str:
    """``_BRACKET.sub`` with :func:`_drop_bracket`, the pattern tried only where a match can
    start: a bracket's opening is two characters after its start at most (``, (``), so only
    the two positions before each "(" are tried, in order, as the substitution's scan tries
    them. The pattern opens with an optional comma, which leaves its search no character to
    skip to: it is tried at every position, and the substitution cost twice as much
    (168M instructions to 82M over the sentences of both benchmark sets)."""
    pieces: list[str] = []
    last = 0  # where the last match ended: no match starts before it
    opening = text.find("(")
    while opening >= 0:
        for start in (opening - 2, opening - 1):
            if start >= last and (match := _BRACKET.match(text, start)) is not None:
                pieces += text[last:start], _drop_bracket(match, language)
                last = match.end()
                break
        opening = text.find("(", max(opening + 1, last))
    if not pieces:
        return text
    pieces.append(text[last:])
    return "".join(pieces)


def _drop_bracket(match: re.Match[str], language: str) -> str:
    aside = match.group(2)
    if (
        _ACRONYM.match(aside)
        or _inside_quotes(match.string, match.start())
        or _negates(aside, language)
    ):
        return match.group(0)
    # Keep the comma before "(aside)" only when no comma follows it: "a, (b), c" -> "a, c".
    return "" if match.group(3) == "," else match.group(1)


# --- tokens: redraft.text.tokens (words, word_spans_of, word_count) -----------------------


@lru_cache(maxsize=64)
def stopwords(language: str) -> frozenset[str]:
    """The stop words of a language: redraft's curated list, else stopwords-iso's, else none."""
    curated = STOPWORDS.get(language)
    if curated is not None:
        return curated
    import stopwordsiso  # noqa: PLC0415  (JSON parsed on import: only when needed)  its lists ship inside the wheel (one JSON file); loaded on first use

    if language not in stopwordsiso.langs():
        return _NONE
    return frozenset(word.lower() for word in stopwordsiso.stopwords(language))


def back_references(language: str) -> frozenset[str]:
    """Words that, opening a sentence, point back to the one before (``he``, ``but``, ``elle``)."""
    return BACK_REFERENCES.get(language, _NONE)


@lru_cache(maxsize=64)
def _stemmer(language: str) -> snowballstemmer.stemmer | None:
    """Snowball's stemmer for the language, or None where Snowball has none (no stemming)."""
    name = STEMMERS.get(language)
    if name not in _SNOWBALL:
        return None
    stemmer = snowballstemmer.stemmer(name)
    if hasattr(stemmer, "maxCacheSize"):  # PyStemmer (C): its own cache off, ours is in front
        stemmer.maxCacheSize = 0
    return stemmer


# Bounded caches: a language's working vocabulary fits (Zipf: the top 50,000 forms cover
# nearly every running word), and memory stays flat however many articles a run reads.
_CACHED_WORDS = 50_000
# A Snowball stemmer keeps its word in the object while it works: one thread at a time.
_STEM_LOCK = threading.Lock()


@lru_cache(maxsize=_CACHED_WORDS)
def stem(word: str, language: str = "en") -> str:
    """The Snowball stem of a lower-case word; numbers come back unchanged."""
    stemmer = _stemmer(language)
    if stemmer is None or not word.isalpha():
        return word
    with _STEM_LOCK:
        result: str = stemmer.stemWord(word)
    return result


def content_stem(word: str, language: str = "en") -> str:
    """The lower-case stem of a word as written, or ``""`` for a stop word."""
    return content_stemmer(language)(word)


@lru_cache(maxsize=64)
def content_stemmer(language: str) -> Callable[[str], str]:
    """:func:`content_stem` for one language, as a one-argument function (faster in a ``map``).

    Each language's function keeps its own bounded cache of the words it has seen: a dictionary
    whose look-up is the function (a word met before costs one C look-up), emptied when full.
    """
    return _Terms(stopwords(language), _stemmer(language)).__getitem__


class _Terms(dict[str, str]):
    """Words met so far and their :func:`content_stem`, worked out on first sight."""

    # Slots, not an instance dictionary: a run looks its two attributes up for every word it
    # meets first (some 30,000 over the benchmark sets).
    __slots__ = ("stemmer", "stops")

    def __init__(self, stops: frozenset[str], stemmer: snowballstemmer.stemmer | None) -> None:
        super().__init__()
        self.stops, self.stemmer = stops, stemmer

    def __missing__(self, word: str) -> str:
        lower = word.lower()
        stemmer = self.stemmer
        if lower in self.stops:
            result = ""
        elif stemmer is None or not lower.isalpha():
            result = lower
        else:
            with _STEM_LOCK:
                result = stemmer.stemWord(lower)
        if len(self) >= _CACHED_WORDS:
            self.clear()  # memory stays flat however many articles a run reads
        self[word] = result
        return result


def content_terms(text: str, language: str = "en") -> list[str]:
    """Lower-case stems of the words that carry content (stop words dropped), in order."""
    return [term for word in words(text) if (term := content_stem(word, language))]


def shingles(tokens: Sequence[str], n: int) -> set[tuple[str, ...]]:
    """The set of ``n``-grams of a token sequence."""
    return {tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1)}


# --- language --------------------------------------------------------------------------------
# detect_language lives in redraft.text.lang (py3langid); it answers "und" when unsure.


def paragraphs_of(text: str) -> Iterator[str]:
    """Paragraphs of plain text: blank-line separated, or one a line when there are no blanks."""
    chunks = re.split(r"\n\s*\n", text.strip())
    if len(chunks) == 1:
        chunks = text.strip().splitlines()
    for chunk in chunks:
        paragraph = normalise(chunk)
        if paragraph:
            yield paragraph


from redraft.text.discourse import (  # noqa: E402  (they use the helpers above)
    attributes,
    junk,
    points_back,
    quote_flow,
    signpost,
    unattributed_quote,
)
from redraft.text.duplicates import (  # noqa: E402
    NEAR_DUPLICATE_BUCKET,
    NEAR_DUPLICATE_WORDS_PER_EDIT,
    NearDuplicates,
    duplicate_key,
    near_duplicate,
    split_at_blanks,
)

__all__ = [
    "NEAR_DUPLICATE_BUCKET",
    "NEAR_DUPLICATE_WORDS_PER_EDIT",
    "UNDETERMINED",
    "NearDuplicates",
    "attributes",
    "back_references",
    "content_stem",
    "content_stemmer",
    "content_terms",
    "detect_language",
    "duplicate_key",
    "has_negation_rules",
    "junk",
    "near_duplicate",
    "negated_tokens",
    "normalise",
    "paragraphs_of",
    "points_back",
    "quote_flow",
    "shingles",
    "signpost",
    "spaceless",
    "split_at_blanks",
    "split_sentences",
    "stem",
    "stopwords",
    "strip_asides",
    "strip_dateline",
    "tidy_spacing",
    "unattributed_quote",
    "word_count",
    "word_spans_of",
    "words",
    "words_in",
]
