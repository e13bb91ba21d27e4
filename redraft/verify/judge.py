"""Judging one draft sentence against the source: alignment, support and facts."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from itertools import pairwise

from redraft.records import Problem, ProblemKind
from redraft.text import (
    content_stem,
    has_negation_rules,
    normalise,
    stopwords,
)
from redraft.verify.numbers import _numbers
from redraft.verify.rules import (
    NAME_JOINERS,
    NEGATION_REACH_BEFORE,
    NEGATION_REACH_DEFAULT,
    NOT_NAMES,
    NUMBER_WORDS,
    NUMERAL_CHARACTERS,
)
from redraft.verify.source import _Source
from redraft.verify.words import (
    _CLAUSE_BREAK,
    _DOUBLE_QUOTE,
    _OPENING,
    _ROMAN,
    _SINGLE_QUOTE,
    ALIGN_MIN_GAIN,
    GLOBAL_CREDIT,
    MAX_ALIGNED,
    MIN_COVERAGE,
    NOVELTY_WEIGHT,
    PENALTY,
    PREFIX_MIN,
    UNCHECKED_PENALTY,
    UNSUPPORTED_RUN,
    _framing,
    _key,
    _near,
    _negations,
    _rules,
    _synonyms,
    _Token,
    _tokens,
)

# --- one sentence ------------------------------------------------------------------------------

# Chinese and Japanese quotation brackets, read as the ASCII double quote the checks look for.
_CJK_QUOTES = str.maketrans({"「": '"', "」": '"', "『": '"', "』": '"'})
# Katakana runs of two or more characters (with the long-vowel mark): names and loanwords.
_KATAKANA_RUN = re.compile(r"[\u30a1-\u30fa\u30fc]{2,}")
_KATAKANA = re.compile(r"[\u30a1-\u30fa\u30fc]+")


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
        self.text = self.text.translate(_CJK_QUOTES)
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
        unchecked = self._unchecked(support)
        copied = self._copied()
        score = coverage * (1.0 - self._skipped() * copied) * (1.0 - NOVELTY_WEIGHT * (1.0 - copied))
        score *= PENALTY ** len(problems) * (UNCHECKED_PENALTY if unchecked else 1.0)
        return _Judgement(score, [*problems, *unchecked], self.evidence)

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
        # Japanese writes foreign names in katakana, with no capitals: a run the source lacks.
        missing += [run for run in _KATAKANA_RUN.findall(self.text) if not self.source.has_key(_key(run))]
        return [self.problem("name", f"the source never names {name}") for name in dict.fromkeys(missing)]

    def _facts(self) -> list[Problem]:
        return [self.problem("number", f"{n.text} is not a number of the source")
                for n in self.numbers if not self.source.has_number(n)]

    def _quotes(self) -> list[Problem]:
        problems = []
        for _, _, quoted in self.quotes:
            parts = [p for p in re.split(r"\.\.\.|\u2026", quoted) if _key(p).strip()]
            if not all(self.source.has_key(_key(p)) for p in parts):
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
        mine = [self.tokens[i].text for i in _negations(self.text, self.tokens, self.language)]
        if not self.passage:
            return []
        if mine and not any(self.source.negated(n) for n in self.passage):
            return [self.problem("unsupported", f"the source has no negation here ({mine[0]})")]
        terms = {term for _, term in self.items}
        number = max(self.passage, key=lambda n: len(terms.intersection(self.source.sentences[n].stems)))
        best = self.source.sentences[number]
        reach = NEGATION_REACH_BEFORE.get(self.language, NEGATION_REACH_DEFAULT)
        for i in self.source.negated(number):
            near = terms.intersection(best.stems[max(0, i - reach) : i + 4])
            if not mine and len(near) >= 2:
                return [self.problem("unsupported", f"the source says the opposite ({best.tokens[i].text})")]
        return []

    def _unchecked(self, support: list[float]) -> list[Problem]:
        """What this reworded sentence could not be checked for, as one ``unchecked`` problem.

        - negation: the language has no negation rules;
        - names: a word the passage does not support is in a script without capitals (Chinese,
          Arabic, Thai, Korean ...), where a name cannot be told by its capital (Japanese
          katakana runs excepted: they are checked);
        - numbers: a word the passage does not support may be a number written in words, and
          the language has no number words (in Chinese and Japanese: a numeral character).
        A sentence whose words are all in its passage carries only the passage's names and
        number words, so only negation can go unchecked there.
        """
        language = "an undetermined language" if self.language == "und" else f"'{self.language}'"
        reasons = []
        if not has_negation_rules(self.language):
            reasons.append(f"negation (no negation rules for {language})")
        missing = [self.tokens[i].text for (i, _), value in zip(self.items, support, strict=True)
                   if value < 1.0]
        uncased = [w for w in missing if unicodedata.category(w[0]) == "Lo"
                   and not (self.language == "ja" and _KATAKANA.fullmatch(w))]
        if uncased:
            reasons.append(f"names ({_listing(uncased)}: not in the source, in a script without capitals)")
        numerals = NUMERAL_CHARACTERS.get(self.language)
        if numerals is not None:
            missing = [w for w in missing if w in numerals]
        if missing and not _rules(NUMBER_WORDS, self.language):
            reasons.append(f"numbers in words ({_listing(missing)}: not in the source, and no number "
                           f"words for {language})")
        return [self.problem("unchecked", "not checked for " + "; ".join(reasons))] if reasons else []


def _listing(words: list[str]) -> str:
    shown = list(dict.fromkeys(words))
    return ", ".join(shown[:UNCHECKED_SHOWN]) + (", ..." if len(shown) > UNCHECKED_SHOWN else "")


# An editor reads the first few words a check could not vouch for; the rest are alike.
UNCHECKED_SHOWN = 3


def _judge(text: str, source: _Source) -> _Judgement:
    if source.has_verbatim(text):
        return _Judgement(1.0)
    key = _key(text)
    # A negation dropped is looked for only in the paragraphs whose keys hold this key: with
    # none, the sentence cut from one with its asides deleted needs no such look.
    if source.has_key(key):
        return _Check(text, source).run() if source.drops_negation(key, text) else _Judgement(1.0)
    return _Judgement(1.0) if source.has_shortened(key) else _Check(text, source).run()
