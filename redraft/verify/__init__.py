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

The package splits along these seams: :mod:`~redraft.verify.words` (thresholds, tokens,
keys), :mod:`~redraft.verify.numbers`, :mod:`~redraft.verify.source` (the source index),
:mod:`~redraft.verify.judge` (one sentence), :mod:`~redraft.verify.draft` and
:mod:`~redraft.verify.form` (the whole draft). Word lists and rules are data in
:mod:`redraft.verify.rules`, per language.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from redraft.records import Article, Block, Budget, Draft, Entry, Problem, Verdict
from redraft.text import detect_language, normalise, paragraphs_of, split_sentences, word_count
from redraft.verify.draft import _credit, _length, _sentences
from redraft.verify.form import form_problems
from redraft.verify.judge import _judge
from redraft.verify.rules import CREDIT_LINE
from redraft.verify.source import _Source
from redraft.verify.words import (
    ALIGN_MIN_GAIN,
    GLOBAL_CREDIT,
    MAX_ALIGNED,
    MIN_COVERAGE,
    NO_BUDGET,
    NOVELTY_WEIGHT,
    PASS_THRESHOLD,
    PENALTY,
    PREFIX_MIN,
    REPEATED_PARAGRAPH_SHARE,
    UNCHECKED_PENALTY,
    UNSUPPORTED_RUN,
)


def _judged(draft: Draft, *, threshold: float, form: bool) -> Verdict:
    language, original = draft.article.language, draft.article.paragraphs
    source = _Source(original, language)
    split = [split_sentences(paragraph, language) for paragraph in draft.paragraphs]  # once for every check
    problems, sentences = _sentences(draft.paragraphs, split, source)
    scores = []
    for sentence in sentences:
        judgement = _judge(sentence, source)
        problems.extend(judgement.problems)
        if judgement.score < threshold and not judgement.problems:
            detail = f"weakly supported (score {judgement.score:.2f})"
            problems.append(Problem("unsupported", sentence, judgement.evidence, detail))
        scores.append(judgement.score)
    if form:
        problems.extend([*_credit(draft), *_length(draft, sentences),
                         *form_problems(draft.paragraphs, split, original, language)])
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
        blocks = tuple(Block("p", paragraph, word_count(paragraph))
                       for paragraph in paragraphs_of(source))
        article = Article(entry=entry, blocks=blocks, language=detect_language(source))
        draft = Draft(article=article, paragraphs=tuple(paragraphs_of(summary)), engine="external",
                      budget=NO_BUDGET)
        verdict = _judged(draft, threshold=PASS_THRESHOLD, form=False)
        problems = [{"kind": p.kind, "sentence": p.sentence, "evidence": p.evidence,
                     **({"detail": p.detail} if p.detail else {})} for p in verdict.problems]
        yield {"id": pair.get("id"), "score": verdict.score, "passed": verdict.passed, "problems": problems}


__all__ = [
    "ALIGN_MIN_GAIN", "GLOBAL_CREDIT", "MAX_ALIGNED", "MIN_COVERAGE", "NOVELTY_WEIGHT", "NO_BUDGET",
    "PASS_THRESHOLD", "PENALTY", "PREFIX_MIN", "REPEATED_PARAGRAPH_SHARE", "UNCHECKED_PENALTY",
    "UNSUPPORTED_RUN",
    "draft_from_text", "verify", "verify_pairs",
]
