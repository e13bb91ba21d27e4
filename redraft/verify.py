"""Check a draft against its source: is every sentence supported, and is the draft well formed?

1. **Form.** A paragraph or sentence said again, exactly or nearly, is ``repeated`` (and judged
   once); a draft without a credit naming its source fails ``credit``; one over its budget
   fails ``length``.
2. **Fast path.** A sentence found word for word in the source (case, punctuation and quote
   marks aside), or in a source sentence with an aside deleted (what the extractive engine
   does), is supported; a draft of such sentences never builds the index.
3. **Alignment.** Another sentence is aligned to the source sentences sharing most of its
   content stems (weighted by rarity); up to :data:`MAX_ALIGNED` form its passage.
4. **Support.** Each content word is supported by the passage (its stem, a listed synonym, a
   long shared prefix), weakly by the rest of the source, or not at all; framing words
   ("stated", "echoed these sentiments") are ignored. Coverage is the mean support.
5. **Facts.** Numbers must match the source's (digits, number words, scales, roman
   numerals, within the precision written), capitalised names must be named in the source
   (a demonym counts for its place), quotes must be verbatim and not given to someone the
   source does not name near them, no negation may appear or vanish, and no clause may be
   mostly unsupported. Each failure is a problem and multiplies the score by :data:`PENALTY`.
6. **Score.** A sentence scores coverage x (1 - skipped x copied) x (1 - NOVELTY_WEIGHT x
   new pairs) x penalties, where *copied* is its share of word pairs found in the source and
   *skipped* the share of content words it jumps over inside the source sentence it copies
   (a compression that drops the middle may join words the source never related). The
   draft scores the mean of its sentences; it passes when it has no problem at all, a
   sentence under the threshold being one.

Word lists and rules are data in :mod:`redraft.verify_rules`, per language.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import cached_property, lru_cache
from itertools import pairwise
from typing import Any

from redraft.records import Article, Block, Budget, Draft, Entry, Problem, ProblemKind, Verdict
from redraft.text import (
    NearDuplicates,
    content_stem,
    detect_language,
    normalise,
    paragraphs_of,
    split_sentences,
    stopwords,
    strip_asides,
)
from redraft.text import stem as stem_word
from redraft.verify_rules import (
    APPROXIMATORS,
    CREDIT_LINE,
    DECIMAL_COMMA,
    DEMONYM_ENDINGS,
    FRAMING,
    NAME_JOINERS,
    NEGATIONS,
    NOT_NAMES,
    NUMBER_WORDS,
    SCALES,
    SYNONYMS,
)

# The score each sentence needs. A verbatim sentence with one unsupported name, number, quote
# or negation scores 0.4; a faithful paraphrase (nine content words in ten supported, a third
# of its word pairs new) about 0.65: the threshold sits between the two.
PASS_THRESHOLD = 0.5
# What one factual problem does to a sentence's score: a verbatim sentence with one fails.
PENALTY = 0.4
# How much new word pairs lower a score: reworded text is wrong more often than copied text,
# yet a faithful paraphrase must clear the threshold.
NOVELTY_WEIGHT = 0.4
# Support of a content word found in the source outside the aligned passage: a fair fusion
# of distant facts, or a fact moved to the wrong place.
GLOBAL_CREDIT = 0.5
# A rewritten sentence rarely fuses more than three source sentences.
MAX_ALIGNED = 3
# Another source sentence joins the passage only if it brings this many of the sentence's
# content words: a fused clause brings several, a stray shared word one.
ALIGN_MIN_GAIN = 2
# Stems sharing a prefix this long are one word in two forms (relat-ion, relat-ionship).
PREFIX_MIN = 5
# A clause with this many unsupported content words, half or more of its own, is invented.
UNSUPPORTED_RUN = 3
# Below this coverage a sentence as a whole is unsupported.
MIN_COVERAGE = 0.5
# A paragraph this much of whose sentences repeat earlier ones is a repeated paragraph.
REPEATED_PARAGRAPH_SHARE = 0.8
# The budget of a draft read without one: its length is not checked.
NO_BUDGET = Budget("ratio", 1.0)

_WORD = re.compile(r"[^\W_]+(?:[.,][0-9]+)*")
_CLAUSE_BREAK = re.compile(r"[,;:()\u2013\u2014]|\s-\s")
_DIGITS = re.compile(r"^(\d+(?:[.,]\d+)*)([^\W\d_]*)$")
_ROMAN = re.compile(r"^(?=[IVXLC]{2,5}$)C{0,3}(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})$")
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
_SPLIT_THOUSANDS = re.compile(r"\b\d{1,3}(?:, \d{3})+\b(?:\s+[^\W\d_]+)?")  # "235, 000"
_DOUBLE_QUOTE = re.compile(r'"([^"]+)"')
# An opening ' or ` starts a word, a closing ' ends one; an apostrophe inside a word is neither.
_SINGLE_QUOTE = re.compile(r"(?<![\w'])[`']((?:[^'`]|(?<=\w)'(?=\w))+?)'(?!\w)")
_OPENING = tuple(".:;!?\"'`([{\u2014-")


@dataclass(slots=True)
class _Token:
    text: str
    lower: str
    start: int
    end: int


def _tokens(text: str) -> list[_Token]:
    return [_Token(m.group(), m.group().lower(), m.start(), m.end()) for m in _WORD.finditer(text)]


@lru_cache(maxsize=4096)
def _key(text: str) -> str:
    """Lower-case words joined by single spaces and framed by spaces, for substring tests.

    Cached: a draft sentence's key is asked for by the repetition check, the support check and
    the count of refrains, and a source paragraph's by every draft of the same article."""
    return " " + " ".join(_WORD.findall(text.lower())) + " "


def _rules(table: Mapping[str, Any], language: str) -> Any:
    return table.get(language, table["en"])


@lru_cache(maxsize=8)
def _framing(language: str) -> frozenset[str]:
    words: frozenset[str] = _rules(FRAMING, language)
    return frozenset(stem_word(w, language) for w in words) | words


@lru_cache(maxsize=8)
def _synonyms(language: str) -> dict[str, frozenset[int]]:
    groups: dict[str, set[int]] = {}
    for number, group in enumerate(_rules(SYNONYMS, language)):
        for word in group:
            groups.setdefault(stem_word(word, language), set()).add(number)
    return {word: frozenset(ids) for word, ids in groups.items()}


def _near(word: str, ordered: Sequence[str], shortest: int) -> bool:
    """Whether a word of the sorted list extends ``word`` or is extended by it."""
    if len(word) < shortest:
        return False
    i = bisect_left(ordered, word[:shortest])
    while i < len(ordered) and ordered[i].startswith(word[:shortest]):
        if ordered[i].startswith(word) or word.startswith(ordered[i]):
            return True
        i += 1
    return False


def _root(word: str, language: str) -> str:
    """A place name without its demonym ending: russ-ian, japan-ese."""
    for ending in _rules(DEMONYM_ENDINGS, language):
        if word.endswith(ending) and len(word) - len(ending) >= 4:
            return word[: -len(ending)]
    return word


# --- numbers -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Number:
    value: float  # scaled: "106 billion" is 1.06e11
    bare: float  # as written: 106
    text: str
    unit: float  # the precision it is written to: it matches within half a unit


def _value(digits: str, language: str) -> float:
    dec, group = (",", ".") if _rules(DECIMAL_COMMA, language) else (".", ",")
    if re.fullmatch(rf"\d{{1,3}}(?:\{group}\d{{3}})+(?:\{dec}\d+)?", digits):
        digits = digits.replace(group, "")
    try:
        return float(digits.replace(dec, "."))
    except ValueError:
        return float(re.sub(r"\D", "", digits))


def _numbers(tokens: Sequence[_Token], language: str) -> tuple[list[_Number], set[int]]:
    """The numbers of a token sequence ("106 billion", "80th", "dozen", "II") and their tokens."""
    words: dict[str, float] = _rules(NUMBER_WORDS, language)
    scales: dict[str, float] = _rules(SCALES, language)
    found: list[_Number] = []
    at: set[int] = set()
    for i, token in enumerate(tokens):
        match = _DIGITS.match(token.text)
        if i in at or not (match or token.lower in words or _ROMAN.match(token.text)):
            continue
        at.add(i)
        digits = match.group(1) if match else "1"
        value = _value(digits, language) if match else words.get(token.lower) or _roman(token.text)
        scale, text = scales.get(match.group(2).lower() if match else "", 1.0), token.text
        if scale == 1.0 and i + 1 < len(tokens) and tokens[i + 1].lower in scales:
            scale, text = scales[tokens[i + 1].lower], f"{text} {tokens[i + 1].text}"
            at.add(i + 1)
        approximate = i > 0 and tokens[i - 1].lower in _rules(APPROXIMATORS, language)
        found.append(_Number(value * scale, value, text, _unit(digits, approximate) * scale))
    return found, at


def _unit(digits: str, approximate: bool) -> float:
    """The precision a number is written to: 0.1 for "3.5"; 100 for "about 300"."""
    if re.search(r"[.,]\d{1,2}$", digits):
        return 10.0 ** -len(re.split(r"[.,]", digits)[-1])
    plain = re.sub(r"\D", "", digits)
    return 10.0 ** (len(plain) - len(plain.rstrip("0"))) if approximate and plain.strip("0") else 1.0


def _roman(text: str) -> float:
    values = [_ROMAN_VALUES[ch] for ch in text]
    return float(sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values)))


# --- the source ------------------------------------------------------------------------------


@dataclass(slots=True)
class _Sentence:
    text: str
    paragraph: int
    tokens: list[_Token]
    stems: list[str]  # content stem per token, "" for a stop word


class _Source:
    """The source article, indexed lazily: a draft of its own sentences needs only the key."""

    def __init__(self, paragraphs: Sequence[str], language: str) -> None:
        self.raw, self.language = paragraphs, language
        self._shortened: dict[int, str] = {}

    @cached_property
    def text(self) -> str:
        """The paragraphs as given, one a line: a sentence found here verbatim is supported."""
        return "\n".join(self.raw)

    @cached_property
    def keys(self) -> list[str]:
        return [_key(p) for p in self.raw]

    @cached_property
    def key(self) -> str:
        return "".join(self.keys)

    def has_verbatim(self, sentence: str) -> bool:
        """Whether the sentence is in the source exactly as written, on word boundaries (the
        fast path: a draft of source sentences needs no keys at all)."""
        at = self.text.find(sentence)
        if at < 0 or not sentence:
            return False
        end = at + len(sentence)
        return ((at == 0 or not self.text[at - 1].isalnum())
                and (end == len(self.text) or not self.text[end].isalnum()))

    @cached_property
    def paragraphs(self) -> list[str]:
        return [normalise(p) for p in self.raw]

    @cached_property
    def sentences(self) -> list[_Sentence]:
        result = []
        for number, paragraph in enumerate(self.paragraphs):
            for text in split_sentences(paragraph, self.language):
                tokens = _tokens(text)
                stems = [content_stem(t.text, self.language) for t in tokens]
                result.append(_Sentence(text, number, tokens, stems))
        return result

    def has_shortened(self, key: str) -> bool:
        """Whether a source sentence with its asides deleted (a first one's dateline too) has this key.

        Only the paragraphs holding the key's first and last words are split.
        """
        words = key.split() or [""]
        head, tail = f" {words[0]} ", f" {words[-1]} "
        for number, paragraph_key in enumerate(self.keys):
            if head in paragraph_key and tail in paragraph_key:
                if number not in self._shortened:
                    sentences = split_sentences(self.paragraphs[number], self.language)
                    self._shortened[number] = "".join(
                        _key(strip_asides(text, dateline=i == 0, language=self.language))
                        for i, text in enumerate(sentences))
                if key in self._shortened[number]:
                    return True
        return False

    @cached_property
    def index(self) -> dict[str, list[int]]:
        index: dict[str, list[int]] = {}
        for number, sentence in enumerate(self.sentences):
            for term in set(sentence.stems) - {""}:
                index.setdefault(term, []).append(number)
        return index

    @cached_property
    def bigrams(self) -> frozenset[tuple[str, str]]:
        pairs = ((t.lower for t in s.tokens) for s in self.sentences)
        return frozenset(pair for words in pairs for pair in pairwise(words))

    @cached_property
    def stems(self) -> list[str]:
        return sorted(self.index)

    @cached_property
    def vocabulary(self) -> frozenset[str]:
        return frozenset(t.lower for s in self.sentences for t in s.tokens)

    @cached_property
    def roots(self) -> list[str]:
        return sorted({_root(word, self.language) for word in self.vocabulary if word.isalpha()})

    @cached_property
    def numbers(self) -> list[float]:
        values = {v for s in self.sentences for n in _numbers(s.tokens, self.language)[0]
                  for v in (n.value, n.bare)}
        for paragraph in self.paragraphs:
            for match in _SPLIT_THOUSANDS.finditer(paragraph):
                values.update(n.value for n in _numbers(_tokens(match.group().replace(" ", "")),
                                                        self.language)[0])
        return sorted(values)

    def idf(self, term: str) -> float:
        return math.log(1 + len(self.sentences) / len(self.index[term])) if term in self.index else 0.0

    def names(self, word: str) -> bool:
        """Whether the source names ``word`` (lower-case), as itself or as its demonym."""
        return word in self.vocabulary or _near(_root(word, self.language), self.roots, 4)

    def has_number(self, number: _Number) -> bool:
        tolerance = number.unit / 2 + 1e-9 * abs(number.value)
        i = bisect_left(self.numbers, number.value - tolerance)
        return i < len(self.numbers) and self.numbers[i] <= number.value + tolerance


# --- one sentence ------------------------------------------------------------------------------


@dataclass(slots=True)
class _Judgement:
    score: float
    problems: list[Problem] = field(default_factory=list)
    evidence: str = ""


def _quotes(text: str) -> list[tuple[int, int, str]]:
    """Quoted spans ``(start, end, text)`` of a sentence whose quote marks are ASCII."""
    spans = [(m.start(), m.end(), m.group(1)) for m in _DOUBLE_QUOTE.finditer(text)]
    spans += [(m.start(), m.end(), m.group(1)) for m in _SINGLE_QUOTE.finditer(text)
              if len(m.group(1).split()) >= 2 and not any(a <= m.start() < b for a, b, _ in spans)]
    return spans


class _Check:
    """The support of one draft sentence that is not verbatim in the source."""

    def __init__(self, text: str, source: _Source) -> None:
        self.original, self.source, self.language = text, source, source.language
        self.text = normalise(text, ascii_quotes=True).replace("``", '"').replace("''", '"')
        self.tokens = _tokens(self.text)
        self.quotes = _quotes(self.text)
        self.numbers, numerals = _numbers(self.tokens, self.language)
        framing = _framing(self.language)
        self.items = [(i, term) for i, token in enumerate(self.tokens)
                      if i not in numerals and token.lower not in framing
                      and (term := content_stem(token.text, self.language)) and term not in framing]
        self.passage = self._align()
        self.evidence = " ".join(source.sentences[n].text for n in self.passage)

    def run(self) -> _Judgement:
        """Score the sentence and list its problems."""
        support = self._support()
        coverage = sum(support) / len(support) if support else 1.0
        problems = [*self._unsupported(support, coverage), *self._names(), *self._facts(),
                    *self._quotes(), *self._negation()]
        copied = self._copied()
        score = coverage * (1.0 - self._skipped() * copied) * (1.0 - NOVELTY_WEIGHT * (1.0 - copied))
        return _Judgement(score * PENALTY ** len(problems), problems, self.evidence)

    def problem(self, kind: ProblemKind, detail: str) -> Problem:
        return Problem(kind, self.original, self.evidence, detail)

    def _align(self) -> list[int]:
        """The source sentences that best cover this sentence's content words, in order."""
        source, terms = self.source, {term for _, term in self.items}
        weights: dict[int, float] = {}
        for term in terms:
            for number in source.index.get(term, ()):
                weights[number] = weights.get(number, 0.0) + source.idf(term)
        if not weights:
            return []
        chosen = [max(weights, key=lambda n: (weights[n], -n))]
        covered = terms.intersection(source.sentences[chosen[0]].stems)
        while len(chosen) < MAX_ALIGNED:
            gains = {n: terms.intersection(source.sentences[n].stems) - covered
                     for n in weights if n not in chosen}
            best = max(gains, key=lambda n: (len(gains[n]), weights[n], -n), default=None)
            if best is None or len(gains[best]) < ALIGN_MIN_GAIN:
                break
            chosen.append(best)
            covered |= gains[best]
        return sorted(chosen)

    def _support(self) -> list[float]:
        local = sorted({t for n in self.passage for t in self.source.sentences[n].stems if t})
        synonyms = _synonyms(self.language)
        groups = frozenset().union(*(synonyms.get(t, frozenset()) for t in local))
        return [1.0 if synonyms.get(term, frozenset()) & groups or _near(term, local, PREFIX_MIN)
                or term in local else GLOBAL_CREDIT
                if term in self.source.index or _near(term, self.source.stems, PREFIX_MIN) else 0.0
                for _, term in self.items]

    def _copied(self) -> float:
        """The share of the sentence's word pairs that the source has too (ROUGE-2 precision)."""
        pairs = list(pairwise(t.lower for t in self.tokens))
        return sum(pair in self.source.bigrams for pair in pairs) / len(pairs) if pairs else 1.0

    def _skipped(self) -> float:
        """The share of content words skipped inside the source span the sentence copies.

        Dropping the middle of a sentence may join words the source never related ("made up
        [half of] the income", "were [investigated after X was] arrested"); its ends rarely.
        """
        words = [t.lower for t in self.tokens]
        best, share = 0, 0.0
        for number in self.passage:
            sentence = self.source.sentences[number]
            matcher = SequenceMatcher(None, [t.lower for t in sentence.tokens], words, autojunk=False)
            blocks = [b for b in matcher.get_matching_blocks() if b.size]
            matched = sum(b.size for b in blocks)
            if matched > best:
                copied = {i for b in blocks for i in range(b.a, b.a + b.size)}
                inside = range(blocks[0].a, blocks[-1].a + blocks[-1].size)
                skipped = sum(1 for i in inside if i not in copied and sentence.stems[i])
                kept = sum(1 for i in copied if sentence.stems[i])
                best, share = matched, skipped / (skipped + kept) if skipped + kept else 0.0
        return share

    def _unsupported(self, support: list[float], coverage: float) -> list[Problem]:
        """The sentence, or one of its clauses, says mostly what the source does not."""
        if coverage < MIN_COVERAGE:
            return [self.problem("unsupported", f"only {coverage:.0%} of its content is in the source")]
        clauses: list[list[tuple[str, float]]] = [[]]
        previous_end = 0
        for (i, _), value in zip(self.items, support, strict=True):
            token = self.tokens[i]
            if _CLAUSE_BREAK.search(self.text, previous_end, token.start):
                clauses.append([])
            previous_end = token.end
            clauses[-1].append((token.text, value))
        for clause in clauses:
            missing = [word for word, value in clause if value == 0.0]
            if len(missing) >= UNSUPPORTED_RUN and 2 * len(missing) >= len(clause):
                return [self.problem("unsupported", "the source does not support: " + ", ".join(missing))]
        return []

    def _in_quote(self, position: int) -> bool:
        return any(start <= position < end for start, end, _ in self.quotes)

    def _capitals(self) -> list[tuple[list[_Token], bool]]:
        """Runs of capitalised words outside quotes ("Bank of England"), each with whether it
        opens a sentence or a quotation (where one capital proves nothing)."""
        joiners = _rules(NAME_JOINERS, self.language)
        runs: list[list[_Token]] = [[]]
        for token in self.tokens:
            capital = token.text[0].isupper() and not self._in_quote(token.start)
            if capital or (runs[-1] and token.lower in joiners):
                runs[-1].append(token)
            elif runs[-1]:
                runs.append([])
        result = []
        for run in runs:
            capitals = [t for t in run if t.text[0].isupper()]
            before = self.text[: capitals[0].start].rstrip() if capitals else ""
            if capitals:
                result.append((capitals, not before or before.endswith(_OPENING)))
        return result

    def _names(self) -> list[Problem]:
        skip = _rules(NOT_NAMES, self.language) | stopwords(self.language)
        missing = [t.text for run, opening in self._capitals() if len(run) > 1 or not opening
                   for t in run if t.lower not in skip and not t.text[0].isdigit()
                   and not _ROMAN.match(t.text) and not self.source.names(t.lower)]
        return [self.problem("name", f"the source never names {name}") for name in dict.fromkeys(missing)]

    def _facts(self) -> list[Problem]:
        return [self.problem("number", f"{n.text} is not a number of the source")
                for n in self.numbers if not self.source.has_number(n)]

    def _quotes(self) -> list[Problem]:
        problems = []
        for _, _, quoted in self.quotes:
            parts = [p for p in re.split(r"\.\.\.|\u2026", quoted) if _key(p).strip()]
            if not all(_key(p) in self.source.key for p in parts):
                detail = f"\u201c{quoted.strip()}\u201d is not verbatim in the source"
                problems.append(self.problem("quote", detail))
            elif parts and (wrong := self._wrong_speaker(parts[0])):
                problems.append(self.problem("quote", wrong))
        return problems

    def _wrong_speaker(self, quoted: str) -> str:
        """Why the quote's speaker is wrong, when the draft names one the source does not name
        in the quote's paragraph or the one before; "" when it is fine or cannot be told."""
        framing, skip = _framing(self.language), _rules(NOT_NAMES, self.language) | stopwords(self.language)
        if not any(t.lower in framing for t in self.tokens if not self._in_quote(t.start)):
            return ""
        speakers = {t.lower for run, _ in self._capitals() for t in run} - skip
        where = next((n for n, k in enumerate(self.source.keys) if _key(quoted) in k), None)
        if not speakers or where is None:
            return ""
        context = [t for p in self.source.paragraphs[max(0, where - 1) : where + 1] for t in _tokens(p)]
        if speakers & {t.lower for t in context} or not any(t.text[0].isupper() for t in context[1:]):
            return ""
        return f"the source does not give this quote to {', '.join(sorted(speakers))}"

    def _negation(self) -> list[Problem]:
        """A negation the passage lacks, or one of the passage's that the sentence drops."""
        negations = _rules(NEGATIONS, self.language)
        mine = [t.text for t in self.tokens if t.lower in negations]
        if not self.passage:
            return []
        sentences = [self.source.sentences[n] for n in self.passage]
        if mine and not any(t.lower in negations for s in sentences for t in s.tokens):
            return [self.problem("unsupported", f"the source has no negation here ({mine[0]})")]
        terms = {term for _, term in self.items}
        best = max(sentences, key=lambda s: len(terms.intersection(s.stems)))
        for i, token in enumerate(best.tokens):
            near = terms.intersection(best.stems[max(0, i - 2) : i + 4])
            if not mine and token.lower in negations and len(near) >= 2:
                return [self.problem("unsupported", f"the source says the opposite ({token.text})")]
        return []


def _judge(text: str, source: _Source) -> _Judgement:
    if source.has_verbatim(text):
        return _Judgement(1.0)
    key = _key(text)
    if key in source.key or source.has_shortened(key):
        return _Judgement(1.0)
    return _Check(text, source).run()


# --- the whole draft ---------------------------------------------------------------------------


def _sentences(paragraphs: Sequence[str], source: _Source) -> tuple[list[Problem], list[str]]:
    """Repeated paragraphs and sentences as problems, and the sentences left to judge.

    A paragraph most of whose sentences repeat earlier ones is one repeated paragraph; a
    sentence the source itself says as often (a refrain) is no repetition of the draft's.
    """
    problems: list[Problem] = []
    seen, home, times = NearDuplicates(), dict[str, str](), Counter[str]()
    met: list[str] = []
    kept: list[str] = []
    for paragraph in paragraphs:
        sentences = split_sentences(paragraph, source.language)
        earlier: list[str | None] = []
        for sentence in sentences:
            number = seen.repeats(sentence)
            if number is None:
                met.append(sentence)
            earlier.append(None if number is None else met[number])
        for number, sentence in enumerate(sentences):
            times[key := _key(sentence)] += 1
            if earlier[number] is not None and source.key.count(key) >= times[key]:
                earlier[number] = None
        repeats = [e for e in earlier if e is not None]
        if repeats and len(repeats) >= REPEATED_PARAGRAPH_SHARE * len(sentences):
            detail = "this paragraph repeats an earlier one"
            problems.append(Problem("repeated", paragraph, home.get(repeats[0], repeats[0]), detail))
            continue
        for sentence, before in zip(sentences, earlier, strict=True):
            if before is None:
                kept.append(sentence)
                home[sentence] = paragraph
            else:
                problems.append(Problem("repeated", sentence, before, "this sentence repeats an earlier one"))
    return problems, kept


def _credit(draft: Draft) -> list[Problem]:
    entry = draft.article.entry
    if not draft.credit.strip():
        return [Problem("credit", "", entry.credit(), "the draft does not name its source")]
    names = [_key(name) for name in (entry.title, entry.url) if _key(name).strip()]
    if names and not any(name in _key(draft.credit) for name in names):
        detail = "the credit names neither the source's title nor its link"
        return [Problem("credit", draft.credit, entry.credit(), detail)]
    return []


def _length(draft: Draft, sentences: Sequence[str]) -> list[Problem]:
    """A draft over its budget (a budget is a maximum: short is fine). A word budget is over
    when passed by more than the draft's longest sentence: a condenser that stops at the
    sentence crossing the target, or keeps a lead longer than the budget, stays within."""
    budget = draft.budget
    if budget == NO_BUDGET or not sentences:
        return []
    if budget.kind == "sentences":
        have, target, unit = len(sentences), int(budget.value), "sentences"
        over = have > target
    else:
        have, target, unit = draft.words, budget.target_words(draft.article.words) or 0, "words"
        over = have > target + max(len(s.split()) for s in sentences)
    detail = f"too long: {have} {unit} for a budget of {budget.describe()} ({target} {unit})"
    return [Problem("length", "", "", detail)] if over else []


def _judged(draft: Draft, *, threshold: float, form: bool) -> Verdict:
    source = _Source(draft.article.paragraphs, draft.article.language)
    problems, sentences = _sentences(draft.paragraphs, source)
    scores = []
    for sentence in sentences:
        judgement = _judge(sentence, source)
        problems.extend(judgement.problems)
        if judgement.score < threshold and not judgement.problems:
            detail = f"weakly supported (score {judgement.score:.2f})"
            problems.append(Problem("unsupported", sentence, judgement.evidence, detail))
        scores.append(judgement.score)
    if form:
        problems.extend([*_credit(draft), *_length(draft, sentences)])
    score = sum(scores) / len(scores) if scores else 0.0
    return Verdict(draft=draft, score=round(score, 4), passed=bool(scores) and not problems,
                   problems=tuple(problems))


def verify(draft: Draft, *, threshold: float = PASS_THRESHOLD) -> Verdict:
    """Judge a draft against its source article.

    Args:
        draft: the draft; ``draft.article`` is its source, ``draft.credit`` its attribution
            line and ``draft.budget`` the length asked for (:data:`NO_BUDGET`: not checked).
        threshold: the score each sentence needs.

    Returns:
        The verdict: the mean sentence score in [0, 1], and every problem with the draft
        sentence and the closest source evidence; it passes when there is none.
    """
    return _judged(draft, threshold=threshold, form=True)


def draft_from_text(article: Article, text: str, *, budget: Budget | None = None) -> Draft:
    """A draft read from plain text: one paragraph a line, or blank-line separated.

    A last line naming the source (``Source: ...``, ``Fuente: ...``, ``Source : ...``) becomes
    the draft's credit, not a paragraph.

    Args:
        article: the source article.
        text: the draft's text.
        budget: the length asked for; None skips the length check.
    """
    lines = text.strip().splitlines()
    credit = normalise(lines.pop()) if lines and CREDIT_LINE.match(lines[-1]) else ""
    return Draft(article=article, paragraphs=tuple(paragraphs_of("\n".join(lines))), engine="external",
                 budget=budget if budget is not None else NO_BUDGET, credit=credit)


def verify_pairs(pairs: Iterable[Mapping[str, Any]]) -> Iterator[dict[str, Any]]:
    """Verify bare ``{id, source, summary}`` pairs, one result at a time.

    The texts are plain (paragraphs one a line or blank-line separated); the language is
    detected from the source. A bare summary has neither credit line nor budget, so pair mode
    checks support and repetition, never ``credit`` or ``length``.

    Args:
        pairs: mappings with ``id``, ``source`` and ``summary``.

    Yields:
        ``{id, score, passed, problems: [{kind, sentence, evidence[, detail]}]}`` per pair.
    """
    for pair in pairs:
        source, summary = str(pair["source"]), str(pair["summary"])
        entry = Entry(source="pairs", key=str(pair.get("id", "")), url="", title="", html="")
        blocks = tuple(Block("p", paragraph) for paragraph in paragraphs_of(source))
        article = Article(entry=entry, blocks=blocks, language=detect_language(source))
        draft = Draft(article=article, paragraphs=tuple(paragraphs_of(summary)), engine="external",
                      budget=NO_BUDGET)
        verdict = _judged(draft, threshold=PASS_THRESHOLD, form=False)
        problems = [{"kind": p.kind, "sentence": p.sentence, "evidence": p.evidence,
                     **({"detail": p.detail} if p.detail else {})} for p in verdict.problems]
        yield {"id": pair.get("id"), "score": verdict.score, "passed": verdict.passed, "problems": problems}
