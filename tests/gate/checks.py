"""The publishable-draft checks of issue 16, as the gate applies them (lists in ``defects.json``).

Each detector reads a draft beside its source article and returns evidence, one string per
defect found. They are the gate's own, deliberately simple and independent of the engine's
selection rules; the verifier's findings join them through each defect's ``problem_kinds``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path

from redraft.records import Draft, Verdict
from redraft.text import split_sentences, words_in

# Draft sentences whose words match this closely say the same thing (a comma, a word or two).
REPEAT_RATIO = 0.85
# A draft sentence is placed in the source sentence it matches this closely, or nowhere
# (a sentence an LLM wrote, or one shortened beyond recognition).
PLACE_RATIO = 0.6
# Evidence quotes this many characters of a sentence.
EVIDENCE_CHARS = 90

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_LEADING = "“”‘’«»\"'¿¡—–-([ "
_TRAILING = "“”‘’«»\"')] "


@dataclass(frozen=True, slots=True)
class Checks:
    """The lists that drive the detectors, and each defect's verifier problem kinds."""

    defects: Mapping[str, frozenset[str]]
    openers: Mapping[str, tuple[str, ...]]
    signposts: Mapping[str, tuple[str, ...]]
    junk: tuple[re.Pattern[str], ...]

    @classmethod
    def load(cls, path: Path) -> Checks:
        data = json.loads(path.read_text(encoding="utf-8"))
        longest_first = {lang: tuple(sorted(words, key=len, reverse=True))
                         for lang, words in data["openers"].items()}
        return cls(
            defects={name: frozenset(spec["problem_kinds"]) for name, spec in data["defects"].items()},
            openers=longest_first,
            signposts={lang: tuple(words) for lang, words in data["signposts"].items()},
            junk=tuple(re.compile(pattern, re.IGNORECASE) for pattern in data["junk_patterns"]),
        )


@dataclass(frozen=True, slots=True)
class _Source:
    text: str
    block: int
    kind: str


@dataclass(frozen=True, slots=True)
class _Placed:
    text: str
    index: int  # the source sentence it comes from, -1 when none matches


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def _short(text: str) -> str:
    return text if len(text) <= EVIDENCE_CHARS else text[:EVIDENCE_CHARS - 1] + "…"


def _source(draft: Draft) -> list[_Source]:
    article = draft.article
    return [_Source(sentence, number, block.kind)
            for number, block in enumerate(article.blocks)
            for sentence in split_sentences(block.text, article.language)]


def _place(sentences: Sequence[str], source: Sequence[_Source]) -> list[_Placed]:
    keys = [" ".join(_words(s.text)) for s in source]
    placed = []
    for sentence in sentences:
        key = " ".join(_words(sentence))
        index = next((i for i, k in enumerate(keys) if key and key == k), -1)
        if index < 0:
            ratios = [SequenceMatcher(None, key.split(), k.split(), autojunk=False).ratio() for k in keys]
            best = max(range(len(ratios)), key=ratios.__getitem__, default=-1)
            index = best if best >= 0 and ratios[best] >= PLACE_RATIO else -1
        placed.append(_Placed(sentence, index))
    return placed


def _opener(sentence: str, phrases: Sequence[str]) -> str | None:
    lower = sentence.lstrip(_LEADING).lower()
    for phrase in phrases:
        if lower.startswith(phrase) and not lower[len(phrase):len(phrase) + 1].isalpha():
            return phrase
    return None


def dangling(draft: Draft, placed: Sequence[_Placed], source: Sequence[_Source],
             checks: Checks) -> Iterator[str]:
    phrases = checks.openers.get(draft.article.language, checks.openers["en"])
    for number, sentence in enumerate(placed):
        opener = _opener(sentence.text, phrases)
        if opener is None:
            continue
        before = placed[number - 1].index if number else None
        if (sentence.index > 0 and before != sentence.index - 1) or (sentence.index < 0 and not number):
            yield (f"“{_short(sentence.text)}” opens with “{opener}”, pointing back to a sentence "
                   "the draft left out")


def unbalanced_quotes(draft: Draft) -> Iterator[str]:
    for paragraph in draft.paragraphs:
        pairs = (paragraph.count("“") - paragraph.count("”"), paragraph.count("«") - paragraph.count("»"))
        if any(pairs) or paragraph.count('"') % 2:
            yield f"quotation marks do not balance in “{_short(paragraph)}”"


def signposts(draft: Draft, placed: Sequence[_Placed], source: Sequence[_Source],
              checks: Checks) -> Iterator[str]:
    if placed:
        last = placed[-1].text.rstrip(_TRAILING)
        lower = last.lower().rstrip(".!?… ")
        phrases = checks.signposts.get(draft.article.language, ())
        if last.endswith(":") or any(lower.endswith(p) for p in phrases):
            yield f"the draft ends on a signpost: “{_short(last)}”"
    kept = {p.index for p in placed}
    for sentence in placed:
        lead_in = _lead_in(sentence.index, source)
        if lead_in is not None and lead_in not in kept:
            yield (f"“{_short(sentence.text)}” is a list item kept without its lead-in "
                   f"“{_short(source[lead_in].text)}”")


def _lead_in(index: int, source: Sequence[_Source]) -> int | None:
    """The sentence ending in ':' that introduces the list ``index`` belongs to, if any."""
    at = index - 1
    while at >= 0 and index > 0:
        text = source[at].text.rstrip(_TRAILING)
        if text.endswith(":"):
            return at
        if not (source[at].kind == "li" or text.endswith(";")):
            return None
        at -= 1
    return None


def repeated(placed: Sequence[_Placed]) -> Iterator[str]:
    words = [_words(p.text) for p in placed]
    for later in range(len(words)):
        for earlier in range(later):
            if SequenceMatcher(None, words[earlier], words[later], autojunk=False).ratio() >= REPEAT_RATIO:
                yield f"“{_short(placed[later].text)}” repeats “{_short(placed[earlier].text)}”"
                break


def junk(draft: Draft, checks: Checks) -> Iterator[str]:
    for paragraph in draft.paragraphs:
        if any(pattern.search(paragraph.strip()) for pattern in checks.junk):
            yield f"junk paragraph “{_short(paragraph)}”"


def over_budget(draft: Draft, placed: Sequence[_Placed]) -> Iterator[str]:
    """A words or sentences budget is a maximum (issue 16); a ratio is a target."""
    budget = draft.budget
    if budget.kind == "sentences" and len(placed) > budget.value:
        yield f"{len(placed)} sentences for a budget of {budget.describe()}"
    if budget.kind == "words" and (count := words_in(draft.paragraphs)) > budget.value:
        yield f"{count} words for a budget of {budget.describe()}"


def defects_of(draft: Draft, verdict: Verdict, checks: Checks) -> list[tuple[str, str]]:
    """``(defect, evidence)`` for every defect the gate's detectors or the verifier find."""
    language = draft.article.language
    sentences = [s for p in draft.paragraphs for s in split_sentences(p, language)]
    source = _source(draft)
    placed = _place(sentences, source)
    detectors: dict[str, Callable[[], Iterator[str]]] = {
        "dangling": lambda: dangling(draft, placed, source, checks),
        "quote": lambda: unbalanced_quotes(draft),
        "signpost": lambda: signposts(draft, placed, source, checks),
        "repeated": lambda: repeated(placed),
        "junk": lambda: junk(draft, checks),
        "budget": lambda: over_budget(draft, placed),
    }
    found: list[tuple[str, str]] = []
    for name, kinds in checks.defects.items():
        evidence = list(detectors[name]()) if name in detectors else []
        evidence += [f"verifier: {p.kind}: {p.detail} {_short(p.sentence)}".rstrip()
                     for p in verdict.problems if p.kind in kinds]
        found.extend((name, line) for line in evidence)
    return found
