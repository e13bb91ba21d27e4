"""The typed records that flow through a run, one stage to the next.

```
Entry ──extract──▶ Article ──condense──▶ Draft ──verify──▶ Verdict ──sink──▶ Publication
```

Each record wraps the one before it (``verdict.draft.article.entry.url``), so provenance
travels with the data. Records are frozen and hold no I/O.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import cache
from types import MappingProxyType
from typing import Any, Literal

from redraft.vocab import COUNTED_WORD, CREDIT_LABELS, UNSPACED_CHARS

BlockKind = Literal["p", "h", "quote", "li"]
BudgetKind = Literal["ratio", "words", "sentences"]
ProblemKind = Literal[
    "repeated", "unsupported", "number", "name", "quote", "credit", "length",
    "unbalanced", "unattributed", "dangling", "signpost", "junk", "unchecked",
]
# A ratio budget's ceiling in words: a condensed draft is read in about a minute, whatever the
# article's length (digest items run 100-250 words), so a 2,000-word story is not 700 words.
RATIO_MAX_WORDS = 200

_EMPTY: Mapping[str, Any] = MappingProxyType({})

# A character that may be of a script written without spaces (Chinese and Japanese, or Thai,
# Lao, Khmer and Myanmar): any but those below U+0E00 (Latin, Greek, Cyrillic, Arabic,
# Devanagari...) and general punctuation and currency signs, where neither kind begins
# (SEGMENTED_CHARS starts at U+0E00, UNSPACED_CHARS at U+3040). Its two ranges cost 3.9 M
# instructions to compile and 48 instructions a character to search, where the class of
# either kind's characters costs 61 a character (and the Chinese and Japanese one ~25 M to
# compile: some 28,000 code points set one by one in the compiler's map).
MAYBE_SPACELESS = re.compile("[^\x00-\u0dff\u2000-\u20cf]")


@cache
def unspaced_chars() -> re.Pattern[str]:
    """A Chinese or Japanese character (:data:`~redraft.vocab.UNSPACED_CHARS`), compiled on
    first use: text of other scripts is answered by :data:`MAYBE_SPACELESS` alone."""
    return re.compile(f"[{UNSPACED_CHARS}]")


def has_unspaced(text: str) -> bool:
    """Whether the text holds a Chinese or Japanese character: searched for from the first
    character that may be one (none in most text, which is read in one cheaper scan)."""
    maybe = MAYBE_SPACELESS.search(text)
    return maybe is not None and unspaced_chars().search(text, maybe.start()) is not None


@cache
def counted_words() -> re.Pattern[str]:
    """The pattern of a counted word (:data:`~redraft.vocab.COUNTED_WORD`), compiled on first
    use: only Chinese or Japanese text needs it, and its character classes of some 28,000
    ideographs and kana take ~1.5 ms of every start-up to compile."""
    return re.compile(COUNTED_WORD)


def _count(text: str) -> int:
    """Words of a normalised text (single spaces, trimmed): one more than its spaces, which is
    several times faster than splitting; Chinese and Japanese characters count one each."""
    if text.isascii() or not has_unspaced(text):
        return text.count(" ") + 1
    return len(counted_words().findall(text))


_SURROGATES = re.compile("[\ud800-\udfff]")


def valid_text(text: str) -> str:
    """``text`` with lone surrogates replaced by U+FFFD (the replacement character)."""
    return _SURROGATES.sub("\ufffd", text)


# Texts at least this long have their UTF-8 kept (a post's body and its JSON, 7-20 KB each);
# a title or a URL is cheaper to encode again than to look up.
UTF8_KEPT_CHARS = 1024
# How many such texts are kept: an item's body and raw JSON, and the next item's (a source
# may be read one item ahead of the one stored).
UTF8_KEPT = 4
# (text, its UTF-8 or None), most recent first: a tuple swapped whole, safe between threads.
_utf8_kept: tuple[tuple[str, bytes | None], ...] = ()


def encoded(text: str) -> bytes | None:
    """``text`` as UTF-8, or None when it holds a lone surrogate (which no encoder writes).

    An item's body is encoded by the valid-text check, its content hash, extraction's search
    for control characters and the store, and its raw JSON by the source and the store: a
    long text's bytes are kept (by the string's identity, while the string is held here, so
    no other string can have it) and the same bytes are given to each who asks. Encoding
    every time cost 1.5% of a run's instructions."""
    for seen, data in _utf8_kept:
        if seen is text:
            return data
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:
        data = None
    keep_encoded(text, data)
    return data


def keep_encoded(text: str, data: bytes | None) -> None:
    """Keep ``data`` as ``text``'s UTF-8 (None: it has none) for :func:`encoded`, when the text
    is long enough to be worth it: the caller decoded ``text`` from ``data`` as UTF-8, or
    encoded it, so an encode would write the same bytes again."""
    global _utf8_kept  # noqa: PLW0603
    if len(text) >= UTF8_KEPT_CHARS:
        _utf8_kept = ((text, data), *_utf8_kept[:UTF8_KEPT - 1])


def encodable(text: str) -> bool:
    """Whether ``text`` holds no lone surrogate: the one thing that does not encode as UTF-8
    (an encode runs in C; a search of the surrogates' range tests each character)."""
    if text.isascii():  # a flag of the string: no copy, no scan
        return True
    return encoded(text) is not None


# The types of a JSON value's numbers, true, false and null: exactly these (not subclasses)
# hold no string and are no mapping or sequence, and are told before the Mapping check (an
# ABC's, some 20 times a type comparison's cost), which a post's tag and category ids met
# one by one.
_SCALARS = frozenset({int, float, bool, type(None)})


def _encodable_value(value: Any) -> bool:
    """Whether every string in a JSON-like value (keys included) can be encoded."""
    if isinstance(value, str):
        return encodable(value)
    if type(value) in _SCALARS:
        return True
    if isinstance(value, Mapping):
        return all(_encodable_value(k) and _encodable_value(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return all(_encodable_value(v) for v in value)
    return True


def _valid_value(value: Any) -> Any:
    if isinstance(value, str):
        return valid_text(value)
    if isinstance(value, Mapping):
        return {valid_text(str(k)): _valid_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_valid_value(v) for v in value]
    return value


def _frozen_mapping(value: Mapping[str, Any]) -> Mapping[str, Any]:
    return value if isinstance(value, MappingProxyType) else MappingProxyType(dict(value))


@dataclass(frozen=True, slots=True)
class Entry:
    """One item as a source yields it: a post, a feed item, a file.

    Attributes:
        source: where it came from, e.g. ``"wordpress:https://example.org"``, or
            ``"posts.json"`` (a file's path).
        key: the stable identity (site + post id, feed guid, file path); the idempotency key.
        url: the item's public link ("" when it has none).
        title: plain text, entities decoded once.
        html: the article body as HTML (``content.rendered`` for WordPress).
        published: publication time, timezone-aware when the source says so.
        modified: last modification time as the source reports it.
        meta: categories, tags, author, featured image, excerpt, ``via`` (e.g. ``"feed"``).
        raw: the item exactly as received (JSON text for WordPress), kept in the store.
    """

    source: str
    key: str
    url: str
    title: str
    html: str
    published: datetime | None = None
    modified: datetime | None = None
    meta: Mapping[str, Any] = field(default_factory=lambda: _EMPTY)
    raw: str = ""
    # content_hash once worked out: the store and the pipeline each ask for it, and it hashes
    # the whole body ("" until asked; a copy made by replace() works it out again)
    _digest: str = field(default="", init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "meta", _frozen_mapping(self.meta))

    def credit(self, language: str = "en") -> str:
        """The attribution line a draft ends with: ``Source: <title> <url> (<date>)``, its label
        in ``language`` (``Fuente:``, ``出典:``; English where none is listed)."""
        parts = [part for part in (self.title, self.url) if part]
        if self.published is not None:
            parts.append(f"({self.published.date().isoformat()})")
        return CREDIT_LABELS.get(language, "Source: ") + " ".join(parts) if parts else ""

    def with_valid_text(self) -> Entry:
        """This entry with every lone surrogate (text no file or database can encode, such
        as a JSON ``"\\ud800"``) replaced by U+FFFD; the same entry when it has none."""
        fields = {name: getattr(self, name) for name in ("source", "key", "url", "title",
                                                          "html", "raw")}
        changes: dict[str, Any] = {name: valid_text(value) for name, value in fields.items()
                                   if not encodable(value)}
        meta = self.meta
        if meta and not _encodable_value(meta):
            changes["meta"] = _valid_value(dict(meta))
        return replace(self, **changes) if changes else self

    @property
    def content_hash(self) -> str:
        """A digest of what the rewrite depends on: title and body (worked out once)."""
        if not self._digest:
            digest = hashlib.sha256()
            digest.update(self.title.encode("utf-8", "surrogatepass"))
            digest.update(b"\x00")
            html = encoded(self.html)
            digest.update(html if html is not None else
                          self.html.encode("utf-8", "surrogatepass"))
            object.__setattr__(self, "_digest", digest.hexdigest()[:32])
        return self._digest


@dataclass(frozen=True, slots=True)
class Block:
    """One block of an article's body, in reading order.

    ``words`` is its word count as :func:`redraft.text.word_count` gives it (ICU words for
    Thai, Lao, Khmer and Myanmar), set by whoever made the block with that function at hand
    (extraction, the store); ``None`` lets :attr:`Article.words` count it here.
    """

    kind: BlockKind
    text: str
    words: int | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class Article:
    """The clean article extracted from an entry.

    Attributes:
        entry: the entry it came from.
        blocks: paragraphs, headings, block quotes and list items, in order, each kept once.
        captions: figure captions, kept apart from the body.
        language: ISO 639-1 code of the body text (``"en"``, ``"es"``, ``"fr"``, ...).
    """

    entry: Entry
    blocks: tuple[Block, ...]
    captions: tuple[str, ...] = ()
    language: str = "en"
    # words once counted (-1 until asked): the condenser, the draft's checks and the outputs
    # each ask for it (four times an item), and it walks every block
    _words: int = field(default=-1, init=False, repr=False, compare=False)

    @property
    def paragraphs(self) -> tuple[str, ...]:
        """The text of every block, in order."""
        return tuple(block.text for block in self.blocks)

    @property
    def lead(self) -> str:
        """The first body paragraph that is not a heading ("" for an empty article)."""
        for block in self.blocks:
            if block.kind != "h":
                return block.text
        return ""

    @property
    def words(self) -> int:
        """Word count of the body (headings included).

        Block texts are normalised (single spaces, trimmed), so a block has one word more than
        it has spaces: counting spaces is several times faster than splitting. Text that is not
        ASCII is counted as :func:`redraft.text.word_count` counts it (a Chinese or Japanese
        character is a word)."""
        if self._words < 0:
            object.__setattr__(self, "_words", sum(
                block.words if block.words is not None else _count(block.text)
                for block in self.blocks if block.text))
        return self._words


@dataclass(frozen=True, slots=True)
class Budget:
    """How long a draft may be: a share of the source's words, a word count or sentences."""

    kind: BudgetKind = "ratio"
    value: float = 0.35
    # The default length is a ratio with a ceiling (see RATIO_MAX_WORDS); a ratio the user asks
    # for (``--ratio``, ``budget = {ratio = ...}``) has none, so it means what it says.
    ceiling: int | None = RATIO_MAX_WORDS

    def __post_init__(self) -> None:
        if self.kind != "ratio" and self.ceiling is not None:  # a ceiling only bounds a ratio
            object.__setattr__(self, "ceiling", None)
        if self.kind == "ratio" and not 0 < self.value <= 1:
            raise ValueError(f"a ratio budget must be in (0, 1], not {self.value}")
        if self.kind != "ratio" and (self.value < 1 or self.value != int(self.value)):
            raise ValueError(f"a {self.kind} budget must be a whole number >= 1, not {self.value}")

    def target_words(self, source_words: int) -> int | None:
        """The word target for a source of ``source_words`` words (None for a sentence budget)."""
        if self.kind == "ratio":
            target = max(1, round(source_words * self.value))
            return min(target, self.ceiling) if self.ceiling else target
        if self.kind == "words":
            return int(self.value)
        return None

    def describe(self) -> str:
        """A short stable label, e.g. ``ratio=0.35`` or ``sentences=3``."""
        value = f"{self.value:g}" if self.kind == "ratio" else str(int(self.value))
        ceiling = f",max={self.ceiling}" if self.kind == "ratio" and self.ceiling else ""
        return f"{self.kind}={value}{ceiling}"

    @classmethod
    def parse(cls, label: str) -> Budget:
        """The budget a :meth:`describe` label names (``ratio=0.35,max=200``, ``words=120``)."""
        kind, _, rest = label.partition("=")
        value, _, ceiling = rest.partition(",max=")
        return cls(kind, float(value), int(ceiling) if ceiling else None)  # type: ignore[arg-type]

    @classmethod
    def asked(cls, kind: BudgetKind, value: float) -> Budget:
        """A budget the user asked for: a ratio without the default's ceiling."""
        return cls(kind, value, None)


@dataclass(frozen=True, slots=True)
class Usage:
    """Tokens an engine spent on one request (or summed over a draft's attempts)."""

    prompt_tokens: int = 0
    completion_tokens: int = 0

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            self.prompt_tokens + other.prompt_tokens,
            self.completion_tokens + other.completion_tokens,
        )

    @property
    def total_tokens(self) -> int:
        """Prompt and completion tokens together."""
        return self.prompt_tokens + self.completion_tokens


@dataclass(frozen=True, slots=True)
class Draft:
    """A condensed rewrite of an article.

    Attributes:
        article: the article it condenses.
        paragraphs: the draft's paragraphs, in order.
        engine: ``"extractive"``, ``"llm:<model>"`` or ``"extractive (fallback: <reason>)"``.
        budget: the length it was asked for.
        prompt: ``"<name>@<version>"`` of the prompt used, for LLM engines.
        attempts: how many engine calls it took (1 for the extractive engine).
        usage: tokens spent over all attempts.
        credit: the attribution line naming the source ("" when the draft has none); the
            pipeline sets it from the entry, a draft read from a file carries its own.
    """

    article: Article
    paragraphs: tuple[str, ...]
    engine: str
    budget: Budget = field(default_factory=Budget)
    prompt: str | None = None
    attempts: int = 1
    usage: Usage = field(default_factory=Usage)
    credit: str = ""

    @property
    def text(self) -> str:
        """The paragraphs joined by blank lines."""
        return "\n\n".join(self.paragraphs)



@dataclass(frozen=True, slots=True)
class Problem:
    """One defect a verifier found, with the draft sentence and the closest source evidence."""

    kind: ProblemKind
    sentence: str
    evidence: str = ""
    detail: str = ""


@dataclass(frozen=True, slots=True)
class Verdict:
    """How well a draft is supported by its source.

    Attributes:
        draft: the draft judged.
        score: in [0, 1]; 1 means every sentence is supported.
        passed: whether the score and the problems clear the shipped threshold.
        problems: each defect with its evidence.
    """

    draft: Draft
    score: float
    passed: bool
    problems: tuple[Problem, ...] = ()


@dataclass(frozen=True, slots=True)
class Publication:
    """Where a sink put a verdict's draft: a file path, or a remote post."""

    verdict: Verdict
    sink: str
    location: str
    remote_id: str | None = None


@dataclass(frozen=True, slots=True)
class Attempt:
    """One engine call made for a draft, kept in the store whatever its outcome.

    Attributes:
        engine: the engine that answered (``"llm:<model>"``, ``"extractive"``).
        prompt: ``"<name>@<version>"`` for LLM engines.
        score: the verdict's score for this attempt's draft (None when the call failed).
        passed: whether that draft passed verification.
        problems: what the verifier found.
        usage: tokens spent on this call.
        error: what went wrong, when the call itself failed.
    """

    engine: str
    prompt: str | None = None
    score: float | None = None
    passed: bool | None = None
    problems: tuple[Problem, ...] = ()
    usage: Usage = field(default_factory=Usage)
    error: str | None = None
