"""Clean-up of an LLM's answer: from what a model writes to the paragraphs of a draft.

- :func:`clean` removes what is not the draft (thinking, markup, preambles, labels, credit and
  note lines, a repeated title, closing offers, sentences about "the article"), joins
  hard-wrapped lines, normalises white space and quotes, and drops repeated paragraphs and
  sentences (:func:`dedupe`).
- :func:`drop_flagged` drops from a revision the sentences the verifier had flagged that it
  repeats unchanged.
- :func:`drop_unfinished` drops the sentence an answer cut off at ``max_tokens`` stopped in.
- :func:`fit` shortens a draft over its budget by dropping whole sentences, least central
  first, keeping the lead, a sentence together with the one it points back to, a quotation
  whole, and never ending on a signpost (":"); then, if still over, by safe deletions of
  asides.

The patterns are data, in :mod:`redraft.condense.prompts`.
"""

from __future__ import annotations

import html
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from redraft.condense.prompts import ABOUT_THE_ARTICLE, LEADING_LABEL, META_LINE, PREAMBLE, THINKING
from redraft.text import (
    NearDuplicates,
    back_references,
    content_terms,
    normalise,
    split_sentences,
    strip_asides,
    word_count,
    words,
)

# Fences, headings, rules, and a line that is all bold (a heading in disguise).
_MARKUP_LINE = re.compile(r"^\s*(?:```.*|#{1,6}\s.*|[-*_=]{3,}|(\*\*|__)[^*_]+\1:?)\s*$")
_BULLET = re.compile(r"^\s*(?:>\s*)*(?:[-*+•·▪◦]|\d{1,2}[.)])\s+")
_QUOTE_MARK = re.compile(r"^\s*(?:>\s*)+")
_INLINE = (
    (re.compile(r"\[([^\]]+)\]\((?:[^)]*)\)"), r"\1"),  # [text](url)
    (re.compile(r"(\*\*|__|~~)(.+?)\1"), r"\2"),  # **bold**, __bold__, ~~struck~~
    (re.compile(r"(?<![\w*])\*(?!\s)([^*]+?)(?<!\s)\*(?![\w*])"), r"\1"),  # *italic*
    (re.compile(r"`([^`]*)`"), r"\1"),  # `code`
)
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)\b[^<>]*>")
_BREAK_TAGS = frozenset({"p", "br", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6"})
_SENTENCE_END = re.compile(r"[.!?…:;][\"'”’»)\]]*$")
_FINISHED = re.compile(r"[.!?…][\"'”’»)\]]*$")
_SIGNPOST = re.compile(r"[:;][\"'”’»)\]]*$")
_LETTER = re.compile(r"[^\W\d_]")
_FIRST_WORD = re.compile(r"[^\W\d_]+")


def clean(text: str, *, title: str = "", language: str = "en",
          ascii_quotes: bool = False) -> tuple[str, ...]:
    """The paragraphs of an engine's answer, without what is not the draft itself.

    Removes thinking (``<think>``), HTML tags and entities, code fences, headings, rules,
    bullets, bold/italic/links markup, an opening "Here is the summary:", labels such as
    "Summary:", credit, source, note and word-count lines, a repeated title and closing
    offers; joins hard-wrapped lines; normalises white space (and quotes when
    ``ascii_quotes``); then drops repeated paragraphs and sentences (:func:`dedupe`).

    Args:
        text: the raw answer.
        title: the article's title; a line that only repeats it is dropped.
        language: for sentence splitting.
        ascii_quotes: write straight quotes and plain dashes, as an ASCII article does.
    """
    text = THINKING.sub("", text)
    text = _TAG.sub(lambda m: "\n" if m.group(2).lower() in _BREAK_TAGS else "", text)
    text = html.unescape(text)
    title_key = _key(title)
    paragraphs: list[str] = []
    wrapped = False  # the previous line ended mid-sentence
    for raw in text.splitlines():
        line = _strip_line(raw)
        if not line:
            wrapped = False
            continue
        if (not paragraphs and PREAMBLE.match(line)) or META_LINE.match(line):
            continue
        if title_key and _key(line) == title_key:
            continue
        line = normalise(line, ascii_quotes=ascii_quotes)
        if wrapped and paragraphs and not _BULLET.match(raw):
            paragraphs[-1] += " " + line
        else:
            paragraphs.append(line)
        wrapped = not _SENTENCE_END.search(line)
    kept = [" ".join(s for s in split_sentences(p, language) if not ABOUT_THE_ARTICLE.match(s))
            for p in paragraphs]
    return dedupe([p for p in kept if _LETTER.search(p)], language)


def _strip_line(raw: str) -> str:
    if _MARKUP_LINE.match(raw):
        return ""
    line = _QUOTE_MARK.sub("", _BULLET.sub("", raw)).strip()
    for pattern, replacement in _INLINE:
        line = pattern.sub(replacement, line)
    return LEADING_LABEL.sub("", line).strip()


def dedupe(paragraphs: Sequence[str], language: str = "en") -> tuple[str, ...]:
    """Drop every paragraph and sentence that repeats an earlier one, exactly or nearly.

    A repeat is judged by the project's one rule, :func:`redraft.text.near_duplicate` (the
    same words, give or take punctuation, case and a word or two). The first occurrence stays
    where it is.
    """
    seen_paragraphs, seen_sentences = NearDuplicates(), NearDuplicates()
    result: list[str] = []
    for paragraph in paragraphs:
        if seen_paragraphs.repeats(paragraph) is not None:
            continue
        sentences = [sentence for sentence in split_sentences(paragraph, language)
                     if words(sentence) and seen_sentences.repeats(sentence) is None]
        if sentences:
            result.append(" ".join(sentences))
    return tuple(result)


def drop_flagged(paragraphs: Sequence[str], flagged: Sequence[str],
                 language: str = "en") -> tuple[str, ...]:
    """``paragraphs`` without every sentence that repeats one of ``flagged``, even nearly.

    A revision was asked to correct or leave out each flagged sentence; one it keeps as it was
    is still wrong, so it goes (the rest of the revision is judged as any draft).
    """
    known = NearDuplicates()
    for sentence in flagged:
        known.add(sentence)
    result = []
    for paragraph in paragraphs:
        kept = [s for s in split_sentences(paragraph, language) if known.find(s) is None]
        if kept:
            result.append(" ".join(kept))
    return tuple(result)


def _key(text: str) -> str:
    return " ".join(w.casefold() for w in words(text))


def drop_unfinished(paragraphs: Sequence[str], language: str = "en") -> tuple[str, ...]:
    """Drop the unfinished sentence an answer cut off at ``max_tokens`` ends in.

    The last sentence of the last paragraph goes unless it ends as a sentence does (``.``,
    ``!``, ``?``, ``…``, then any closing quotes or brackets); a paragraph left empty goes.
    """
    result = list(paragraphs)
    while result:
        sentences = split_sentences(result[-1], language)
        if sentences and _FINISHED.search(sentences[-1]):
            break
        kept = " ".join(sentences[:-1])
        if kept:
            result[-1] = kept
        else:
            result.pop()
    return tuple(result)


@dataclass(slots=True)
class _Unit:
    """Sentences that stay or go together: one that points back goes with the one before it,
    and a quotation running over several sentences is one unit. Each sentence keeps the
    number of its paragraph."""

    sentences: list[tuple[int, str]] = field(default_factory=list)
    score: float = 0.0

    @property
    def words(self) -> int:
        return sum(word_count(s) for _, s in self.sentences)

    @property
    def text(self) -> str:
        return " ".join(s for _, s in self.sentences)


def fit(paragraphs: Sequence[str], *, words: int | None = None, sentences: int | None = None,
        language: str = "en", source: Sequence[str] = ()) -> tuple[str, ...]:
    """Shorten a draft to at most ``words`` words or ``sentences`` sentences.

    Whole sentences are dropped, least central first: centrality is a sentence's cosine
    similarity (content-word stems) to the rest of the draft plus its similarity to the
    ``source`` article, so what the draft and the article are mostly about stays, and an
    aside or an invented detail goes first. The lead (the first sentence) is dropped only if
    nothing else is left to drop; a sentence that opens by pointing back (``He``, ``But``:
    :func:`redraft.text.back_references`) goes with the one before it; a quotation that runs
    over several sentences goes whole; a sentence that ends in a signpost (``:``) never ends the
    draft. If the lead alone is over, its asides (brackets, dashes, a dateline) are deleted,
    longest sentence first; what is still over is left for the verifier to judge. A draft
    within its budget comes back as it is (signpost ending aside).

    Args:
        paragraphs: the draft.
        words: the most words, or None.
        sentences: the most sentences, or None.
        language: for sentence splitting and stems.
        source: the article's paragraphs.
    """
    units = _units(paragraphs, language)
    _score(units, language, Counter(content_terms(" ".join(source), language)))

    def over() -> bool:
        if words is not None and sum(u.words for u in units) > words:
            return True
        return sentences is not None and sum(len(u.sentences) for u in units) > sentences

    while len(units) > 1 and over():
        units.remove(min(units[1:], key=lambda u: u.score))
    if words is not None and over():
        _strip_asides(units, words, language)
    while len(units) > 1 and _SIGNPOST.search(units[-1].sentences[-1][1]):
        units.pop()
    result: list[str] = []
    last = -1
    for number, sentence in (pair for unit in units for pair in unit.sentences):
        if number == last:
            result[-1] += " " + sentence
        else:
            result.append(sentence)
        last = number
    return tuple(result)


def _strip_asides(units: list[_Unit], words: int, language: str) -> None:
    """Safe deletions (:func:`redraft.text.strip_asides`) in the longest sentences first,
    until the draft fits or none is left to make."""
    order = sorted(((len(s.split()), u, i) for u in units for i, (_, s) in enumerate(u.sentences)),
                   key=lambda item: -item[0])
    for _, unit, index in order:
        if sum(u.words for u in units) <= words:
            return
        number, sentence = unit.sentences[index]
        first = unit is units[0] and index == 0
        unit.sentences[index] = (number, strip_asides(sentence, dateline=first, language=language))


def _units(paragraphs: Sequence[str], language: str) -> list[_Unit]:
    back = back_references(language)
    units: list[_Unit] = []
    for number, paragraph in enumerate(paragraphs):
        open_quote = False
        for sentence in split_sentences(paragraph, language):
            first = _FIRST_WORD.search(sentence)
            points_back = first is not None and first.group().casefold() in back
            if units and (open_quote or points_back):
                units[-1].sentences.append((number, sentence))
            else:
                units.append(_Unit([(number, sentence)]))
            open_quote ^= _quote_parity(sentence)
    return units


def _quote_parity(sentence: str) -> bool:
    """Whether a sentence leaves a quotation open (or closes one opened before it)."""
    curly = sentence.count("“") + sentence.count("«") != sentence.count("”") + sentence.count("»")
    return curly or sentence.count('"') % 2 == 1


def _score(units: list[_Unit], language: str, source: Counter[str]) -> None:
    bags = [Counter(content_terms(unit.text, language)) for unit in units]
    total: Counter[str] = Counter()
    for bag in bags:
        total.update(bag)
    for unit, bag in zip(units, bags, strict=True):
        rest = total - bag
        unit.score = _cosine(bag, rest) + _cosine(bag, source)


def _cosine(a: Counter[str], b: Counter[str]) -> float:
    if not a or not b:
        return 0.0
    dot = sum(count * b[term] for term, count in a.items())
    return dot / math.sqrt(sum(v * v for v in a.values()) * sum(v * v for v in b.values()))
