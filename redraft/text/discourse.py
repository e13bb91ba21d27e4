"""What a sentence needs from its neighbours to be read alone, and text that is no prose at all.

Shared by the extractive engine (which keeps dependent sentences together or drops them) and
the verifier (which flags a draft that breaks them). Word lists are data in :mod:`redraft.vocab`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from itertools import islice

from redraft.text import back_references
from redraft.vocab import (
    ATTRIBUTION,
    BACK_PHRASES,
    DEICTIC_NOUNS,
    DEMONSTRATIVES,
    LOW_QUOTE_CLOSES_HIGH,
    NOT_BACK_PHRASES,
    SIGNPOST_ENDINGS,
)

_NONE: frozenset[str] = frozenset()  # a language without lists gets none (never English's)

# The longest opening phrase in BACK_PHRASES, in words.
_PHRASE_WORDS = 4
# A quotation of fewer words is a phrase ("called it 'a disaster'"), not a quoted claim.
QUOTE_MIN_WORDS = 4
# With this many words outside its quotation marks, a sentence names its own context (its
# speaker or what the quoted words describe): it is not a bare quoted claim.
QUOTE_CONTEXT_WORDS = 4
# The same in letters, for scripts written without spaces (four words of a name and title).
QUOTE_CONTEXT_LETTERS = 20

_OPENING_MARKS = "\"'“‘«„([{¿¡-–— "
_OPEN = "“«„「『"  # English/Spanish, French/Russian/German, Chinese/Japanese openings
_CLOSE = "”»」』"
_MARK = re.compile(f"[{_OPEN}{_CLOSE}\"]")
_CLOSING = {"“": "”", "«": "»", "「": "」", "『": "』", '"': '"'}
_LOWER_WORDS = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
_QUOTED = re.compile(r"“[^”]*”?|«[^»]*»?|„[^“”]*[“”]?|「[^」]*」?|『[^』]*』?|\"[^\"]*\"?")
# "[x][x]*", not "[x]+": the regex engine then skips to that class (see redraft.text._BOUNDARY).
_TAIL = re.compile(r"[\s\"'”’»)\]}.…!?][\s\"'”’»)\]}.…!?]*$")


def _opening_words(sentence: str, count: int) -> list[str]:
    return [m.group().lower() for m in islice(_LOWER_WORDS.finditer(sentence, 0, 120), count)]


# Cached, as attributes and unattributed_quote are: the engine's units and then the verifier's
# form checks ask about the same sentences of the same article.
@lru_cache(maxsize=4096)
def points_back(sentence: str, language: str = "en") -> str:
    """The opening word or phrase by which a sentence points back to the one before, or "".

    Pronouns, demonstratives, contrastive and additive connectives ("He", "But", "Also",
    "Sin embargo", "Cela dit") and time sequels ("Hours later", "Le lendemain"). A sentence
    opening with a quotation is the speaker's, not a pointer; a demonstrative before a time
    noun ("This year", "Esta semana") is a time of its own.
    """
    stripped = sentence.lstrip(_OPENING_MARKS)
    if not stripped or sentence[:1] in "\"“«„":
        return ""
    opening = _opening_words(stripped, _PHRASE_WORDS)
    if not opening:
        return ""
    first = opening[0].replace("’", "'")
    if " ".join(opening[:2]) in NOT_BACK_PHRASES.get(language, _NONE):
        return ""
    if first in back_references(language):
        nouns = DEICTIC_NOUNS.get(language, _NONE)
        demonstrative = first in DEMONSTRATIVES.get(language, _NONE)
        if demonstrative and len(opening) > 1 and opening[1] in nouns:
            return ""
        return opening[0]
    phrases = BACK_PHRASES.get(language, _NONE)
    for size in range(min(_PHRASE_WORDS, len(opening)), 1, -1):
        phrase = " ".join(opening[:size]).replace("’", "'")
        if phrase in phrases:
            return phrase
    if first.replace("’", "'") in phrases:  # "c'est" is one word to the tokenizer
        return opening[0]
    return ""


def quote_flow(sentence: str, inside: bool = False) -> tuple[bool, bool]:
    """How a sentence's double quotation marks join it to its neighbours.

    Args:
        sentence: one sentence.
        inside: whether a quotation was left open before it.

    Returns:
        ``(continues, leaves_open)``: whether it continues a quotation opened before it (it
        starts inside one, or closes one it never opened), and whether it leaves one open.
    """
    continues, depth, _ = _flow(sentence, inside)
    return continues, depth > 0


def quote_marks(text: str) -> bool:
    """Whether a text holds any double quotation mark :func:`quote_flow` follows (if none, no
    sentence of it continues or leaves open a quotation)."""
    return _MARK.search(text) is not None


def marked(texts: Iterable[str]) -> list[bool]:
    """:func:`quote_marks` of each text, in one pass over them."""
    return [found is not None for found in map(_MARK.search, texts)]


def _flow(sentence: str, inside: bool) -> tuple[bool, int, int]:
    """:func:`quote_flow`'s walk: whether the sentence continues a quotation, the depth it
    leaves, and where (in ``sentence``) the outermost quotation it leaves open opens (-1: none
    opens in it)."""
    if not inside and _MARK.search(sentence) is None:
        return False, 0, -1  # most sentences quote nobody
    depth, closes_unopened, opened = (1 if inside else 0), False, -1
    skip = len(sentence) - len(sentence.lstrip())
    text = sentence[skip:]
    if inside and text[:1] in _OPEN + '"':
        text, skip = text[1:], skip + 1  # a quotation running over paragraphs reopens each one
    for mark in _MARK.finditer(text):
        at, char = mark.start(), mark.group()
        opening, closing = _position(text, at)
        if not opening and not closing:
            continue  # "Blog » Page": a separator between spaces, not a quotation mark
        if depth and closing and not opening:
            depth -= 1  # "«así«", "“so“": a mark standing where a quotation closes
        elif char in _CLOSE and not depth and not opening:
            closes_unopened = True
        elif depth and (char in _CLOSE or char == '"'):
            depth -= 1
        else:
            depth += 1
            if depth == 1:
                opened = skip + at
        if not depth:
            opened = -1
    return inside or closes_unopened, depth, opened if depth == 1 else -1


def closing_mark(sentence: str, language: str) -> str:
    """The mark that closes the quotation ``sentence`` opens and leaves open, when its speaker
    introduces it in the sentence; "" otherwise.

    Introduced: a word stands before the opening mark, and the text before it ends in a colon
    ("He said: “…", "官员表示：“…") or holds an attribution word of the language ("says,
    “…"). Then a draft that keeps only the quotation's first sentences may close it after
    them, as an editor quoting part of a statement does, and the speaker is still named. The
    mark matches the opening one (French guillemets with the opening's space; „ closed by “
    where :data:`redraft.vocab.LOW_QUOTE_CLOSES_HIGH`). Only a double quotation opened in the
    sentence itself (not one continued from before it, nor nested) qualifies.
    """
    _, depth, at = _flow(sentence, False)
    if depth != 1 or at < 0:
        return ""
    before = sentence[:at].rstrip()
    if not _LOWER_WORDS.search(before) or not _position(sentence, at)[0]:
        return ""
    introduced = before.endswith((":", "：")) or not ATTRIBUTION.get(language, _NONE).isdisjoint(
        w.lower() for w in _LOWER_WORDS.findall(_QUOTED.sub(" ", before)))
    if not introduced:
        return ""
    mark = sentence[at]
    space = sentence[at + 1 : at + 2] if sentence[at + 1 : at + 2].isspace() else ""
    if mark == "„":
        return space + ("“" if language in LOW_QUOTE_CLOSES_HIGH else "”")
    return space + _CLOSING.get(mark, mark)


def _position(text: str, at: int) -> tuple[bool, bool]:
    """Whether the mark at ``at`` stands where a quotation opens (after a space or a colon,
    before a word) and where one closes (after a word, before a space or punctuation)."""
    before, after = text[at - 1 : at] if at else "", text[at + 1 : at + 2]
    # Scripts without spaces (Japanese, Chinese) open a quotation right after a word.
    spaced = not before or before.isspace() or before in "([{—–-:/" or not before.isascii()
    opening = spaced and (after.isalnum() or after in "¿¡.…'‘")
    closing = bool(before) and not before.isspace() and not after.isalnum()
    if before.isspace() and (not after or after.isspace()):
        return False, False
    return opening, closing


def _outside_quotes(sentence: str) -> tuple[list[str], int]:
    """The words outside quotation marks, and the number of words inside the longest quotation."""
    quoted = [len(_LOWER_WORDS.findall(m.group())) for m in _QUOTED.finditer(sentence)]
    if not quoted and sentence.count("”") + sentence.count("»"):
        # the close of a quotation opened in an earlier sentence
        cut = max(sentence.rfind("”"), sentence.rfind("»"))
        quoted, sentence = [len(_LOWER_WORDS.findall(sentence[:cut]))], sentence[cut:]
    outside = [w.lower() for w in _LOWER_WORDS.findall(_QUOTED.sub(" ", sentence))]
    return outside, max(quoted, default=0)


@lru_cache(maxsize=4096)
def attributes(sentence: str, language: str = "en", *, colon: bool = True) -> bool:
    """Whether a sentence names who speaks: an attribution word outside quotes, or (with
    ``colon``, for the sentence before a quotation) a closing colon."""
    if colon and sentence.rstrip().endswith(":"):
        return True
    outside, _ = _outside_quotes(sentence)
    return not ATTRIBUTION.get(language, _NONE).isdisjoint(outside)


@lru_cache(maxsize=4096)
def unattributed_quote(sentence: str, language: str = "en") -> bool:
    """Whether a sentence is a quoted claim that names no speaker of its own.

    It quotes at least :data:`QUOTE_MIN_WORDS` words and has fewer than
    :data:`QUOTE_CONTEXT_WORDS` words outside the quotation marks, none an attribution word.
    In a language without a list of attribution words it cannot tell, and says no.
    """
    if language not in ATTRIBUTION or not _MARK.search(sentence):
        return False
    outside, longest = _outside_quotes(sentence)
    context = len(outside) >= QUOTE_CONTEXT_WORDS or sum(map(len, outside)) >= QUOTE_CONTEXT_LETTERS
    if longest < QUOTE_MIN_WORDS or context:
        return False
    return ATTRIBUTION.get(language, _NONE).isdisjoint(outside)


@lru_cache(maxsize=4096)
def signpost(sentence: str, language: str = "en") -> bool:
    """Whether a sentence announces what follows: it ends in a colon or in "the following",
    "below", "a continuación", "ci-dessous"."""
    text = sentence.rstrip(" \"'”’»)]")
    if text.endswith(":"):
        return True
    tail = _TAIL.sub("", text[-40:]).lower()
    for ending in SIGNPOST_ENDINGS.get(language, _NONE):
        if tail.endswith(ending) and not tail[-len(ending) - 1 : -len(ending)].isalnum():
            return True
    return False


# --- junk: paragraphs that are no prose --------------------------------------------------------

# Longer than this, a paragraph is prose even when it starts like a credit or a reference.
JUNK_MAX_WORDS = 30
JUNK_MAX_CHARS = 400  # thirty words and a long link at most

_JUNK = (
    ("bare-url", re.compile(r"<?(?:https?://|www\.)\S+>?", re.I)),
    ("footnote", re.compile(r"(?:\[\d{1,3}\]|\^?\d{1,3}|\*{1,3}|[†‡]|\(\d{1,3}\))[.)]?")),
    ("reference", re.compile(
        r"(?:\[\d{1,3}\]|\^|↑).*"
        r"|\d{1,3}[.)]\s.*(?:\bdoi\b|\bISBN\b|\bISSN\b|\bpp?\.\s*\d|Retrieved|Consultado|Consulté|et al\.).*"
        r"|[A-ZÀ-Ý][\w'’-]+,\s(?:[A-ZÀ-Ý]\.\s?){1,3}.*\(\d{4}[a-z]?\).*"
        r"|(?:references|bibliography|referencias|bibliografía|références|bibliographie|notes|notas)\s*:?",
        re.I)),
    ("image-credit", re.compile(
        r"(?:©|\(c\)\s).*"
        r"|(?:photo|photos|image|images|picture|pictures|photograph|photography|illustration|credit"
        r"|foto|fotos|fotografía|imagen|imágenes|crédito|créditos|crédit|crédits|illustración)"
        r"(?:\s(?:credit|crédit|de|by|par|por))?\s*(?::|©|\||/|-|–|—|by\b|par\b|por\b).*"
        r"|\(?(?:getty images|reuters|afp|ap photo|epa|shutterstock)\)?\.?",
        re.I)),
)


def junk(paragraph: str) -> str:
    """What a paragraph is when it is no prose: ``bare-url``, ``footnote``, ``reference``,
    ``image-credit``; "" for a paragraph of text."""
    text = paragraph.strip()
    # Splitting stops past the bound: a paragraph of up to 400 characters has some 65 words.
    if not text or len(text) > JUNK_MAX_CHARS or len(
            text.split(None, JUNK_MAX_WORDS)) > JUNK_MAX_WORDS:
        return ""
    for name, pattern in _JUNK:
        if pattern.fullmatch(text):
            return name
    return ""
