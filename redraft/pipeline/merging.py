"""``--merge-story``: one draft from all of a story's sources, verified sentence by sentence
against the source each sentence came from, crediting every outlet.

- The extractive engine: :class:`redraft.condense.merge.MergeSelector` picks non-redundant
  sentences across the sources (a fact several outlets report ranks higher); each source's
  sentences are verified against that source; a sentence whose numbers another outlet
  contradicts is flagged (a ``number`` problem naming the other outlet), so the draft goes to
  review instead of out.
- The LLM engine gets the same sources as one multi-document request
  (:mod:`redraft.condense.merge_prompt`); each sentence of its answer is verified against the
  source that supports it best, and fails when none does.

The merged draft is stored as the story's draft (under the entry drafted for the story, with
the run's recipe) and written to the sinks again.
"""

from __future__ import annotations

import copy
import dataclasses
import logging
from collections.abc import Sequence

from redraft.condense.merge import Merged, MergeSelector
from redraft.condense.merge_prompt import OUTLETS_JOIN, SOURCE_HEADING, merge_prompt
from redraft.config import ExtractOptions
from redraft.errors import RedraftError, Rejected
from redraft.extract import extract
from redraft.pipeline.policy import Engines, RunOptions, Verifier
from redraft.pipeline.recipes import recipe
from redraft.records import Article, Block, Budget, Draft, Entry, Problem, Verdict
from redraft.sinks import Sink
from redraft.store import Store
from redraft.stories.credit import outlet, story_credit
from redraft.text import split_sentences
from redraft.verify import verify
from redraft.verify.words import NO_BUDGET

log = logging.getLogger(__name__)


def merge_story(articles: Sequence[Article], engines: Engines, budget: Budget, *,
                verifier: Verifier = verify) -> Verdict:
    """One verified draft of a story from its sources; ``articles[0]`` is the story's anchor
    (the entry its draft is stored under) and is credited first.

    Raises:
        NoText: no source has a sentence to condense.
        EngineError: the LLM engine gave no usable answer.
    """
    condenser = engines.condenser
    if condenser.name.startswith("llm:"):
        return _merged_by_llm(articles, condenser, budget, verifier)
    merged = MergeSelector().select(articles, budget)
    return verify_merged(articles, merged, condenser.name, budget, verifier)


def _credit(articles: Sequence[Article]) -> str:
    return story_credit(articles[0].entry, [a.entry for a in articles[1:]])


def verify_merged(articles: Sequence[Article], merged: Merged, engine: str, budget: Budget,
                  verifier: Verifier = verify) -> Verdict:
    """The merged draft of an extractive selection, each source's sentences verified against
    that source, each contradicted number a ``number`` problem naming the other outlet."""
    problems: list[Problem] = []
    scores: list[tuple[float, int]] = []
    for index, article in enumerate(articles):
        own = tuple(p.text for p in merged.sentences if p.source == index)
        if own:
            verdict = _against(article, own, verifier)
            problems.extend(verdict.problems)
            scores.append((verdict.score, len(own)))
    for conflict in merged.conflicts:
        other = articles[conflict.other_source].entry
        problems.append(Problem(
            "number", conflict.sentence, conflict.other,
            f"{outlet(other)} gives other numbers for this: check before publishing"))
    paragraphs = _paragraphs([(p.source, p.text) for p in merged.sentences])
    draft = Draft(article=articles[0], paragraphs=paragraphs, engine=engine, budget=budget,
                  credit=_credit(articles))
    return _verdict(draft, scores, problems)


def _against(article: Article, sentences: tuple[str, ...], verifier: Verifier) -> Verdict:
    """The verdict of these sentences against ``article`` alone (its own credit, no length)."""
    draft = Draft(article=article, paragraphs=sentences, engine="merge", budget=NO_BUDGET,
                  credit=article.entry.credit(article.language))
    return verifier(draft)


def _paragraphs(sentences: Sequence[tuple[int, str]]) -> tuple[str, ...]:
    """Consecutive sentences of one source share a paragraph."""
    paragraphs: list[list[str]] = []
    last = -1
    for source, text in sentences:
        if source != last or not paragraphs:
            paragraphs.append([])
        paragraphs[-1].append(text)
        last = source
    return tuple(" ".join(p) for p in paragraphs)


def _verdict(draft: Draft, scores: Sequence[tuple[float, int]],
             problems: Sequence[Problem]) -> Verdict:
    count = sum(n for _, n in scores)
    score = sum(s * n for s, n in scores) / count if count else 0.0
    return Verdict(draft=draft, score=round(score, 4), passed=bool(count) and not problems,
                   problems=tuple(problems))


def multi_document(articles: Sequence[Article]) -> Article:
    """The sources as one article for the LLM's multi-document request: a heading per report
    (:data:`~redraft.condense.merge_prompt.SOURCE_HEADING`), then its paragraphs."""
    blocks: list[Block] = []
    for number, article in enumerate(articles, start=1):
        heading = SOURCE_HEADING.format(number=number, outlet=outlet(article.entry),
                                        title=article.entry.title)
        blocks.append(Block("p", heading))
        blocks.extend(block for block in article.blocks if block.text)
    outlets = OUTLETS_JOIN.join(dict.fromkeys(outlet(a.entry) for a in articles))
    entry = dataclasses.replace(articles[0].entry, title=outlets)
    return dataclasses.replace(articles[0], entry=entry, blocks=tuple(blocks))


def _merged_by_llm(articles: Sequence[Article], condenser: object, budget: Budget,
                   verifier: Verifier) -> Verdict:
    engine = copy.copy(condenser)
    engine.prompt = merge_prompt(engine.prompt)  # type: ignore[attr-defined]
    asked = budget
    if budget.kind == "ratio":  # the ratio is of one story, not of every outlet's words
        longest = max(a.words for a in articles)
        asked = Budget.asked("words", budget.target_words(longest) or 1)
    draft: Draft = engine.condense(multi_document(articles), asked)  # type: ignore[attr-defined]
    problems: list[Problem] = []
    scores: list[tuple[float, int]] = []
    for paragraph in draft.paragraphs:
        for sentence in split_sentences(paragraph, articles[0].language):
            verdicts = [_against(article, (sentence,), verifier) for article in articles]
            best = max(verdicts, key=lambda v: (v.passed, v.score))
            problems.extend(best.problems)
            scores.append((best.score, 1))
    merged = dataclasses.replace(draft, article=articles[0], budget=budget,
                                 credit=_credit(articles))
    return _verdict(merged, scores, problems)


def merge_stories(store: Store, engines: Engines, sinks: Sequence[Sink], *, since: str,
                  budget: Budget, extract_options: ExtractOptions, recipe: str,
                  verifier: Verifier = verify) -> list[Verdict]:
    """Merge every story that gained an entry since ``since`` (UTC ISO) and has two or more:
    store each merged draft as the story's draft and write it to the sinks. A story that
    cannot be merged keeps its draft; the reason is logged."""
    done = []
    for story in store.stories_changed(since):
        entries = list(story.entries)
        anchor = next((e for e in entries if e.key == story.draft_key), entries[0])
        articles = _articles([anchor, *(e for e in entries if e.key != anchor.key)],
                             extract_options)
        if len(articles) < 2 or articles[0].entry.key != anchor.key:
            continue
        try:
            verdict = merge_story(articles, engines, budget, verifier=verifier)
        except RedraftError as error:
            log.warning("story %s: not merged (%s); its draft stays", story.id, error)
            continue
        with store.transaction():
            store.save_draft(verdict, recipe=recipe)
            store.set_story_draft(story.id, anchor.key)
        for sink in sinks:
            sink.write(verdict)
        log.info("story %s: merged from %d sources", story.id, len(articles))
        done.append(verdict)
    return done


def _articles(entries: Sequence[Entry], options: ExtractOptions) -> list[Article]:
    articles = []
    for entry in entries:
        try:
            articles.append(extract(entry, options))
        except Rejected as error:
            log.info("%s: left out of its story's merged draft (%s)", entry.key, error)
    return articles


def merge_run(store: Store, engines: Engines, sinks: Sequence[Sink], options: RunOptions, *,
              since: str) -> list[Verdict]:
    """:func:`merge_stories` after a run with ``options`` (its budget, extraction and recipe),
    of the stories drafted ``since`` (a store time); nothing with ``--per-entry`` (each post
    keeps its own draft). :func:`~redraft.pipeline.running.run` calls it when
    ``options.merge_story`` is set."""
    if not options.stories:
        log.warning("--merge-story does nothing with --per-entry: each post keeps its draft")
        return []
    return merge_stories(store, engines, sinks, since=since, budget=options.budget,
                         extract_options=options.extract, recipe=recipe(engines, options))
