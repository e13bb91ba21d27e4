"""The LLM engine: condensed rewrites from any OpenAI-compatible chat-completions server.

1. The prompt (:mod:`redraft.condense.prompts`) is rendered for the budget; an article longer
   than ``LLMOptions.context_words`` is condensed in sections (split between paragraphs, or
   between sentences of a very long paragraph, never inside one), the parts are joined and,
   when the join is over budget, condensed once more.
2. Each request goes through :class:`~redraft.condense.openai_chat.ChatServer` with
   temperature 0, the prompt's stop sequences and a ``max_tokens`` derived from the budget
   (:func:`max_tokens_for`), so a model that runs on stops at what the budget needs.
3. The answer is cleaned (:mod:`redraft.condense.cleanup`): thinking, markup, preambles,
   credits and notes out, repeats dropped. An answer cut off at ``max_tokens`` is a draft
   too: its unfinished sentence goes. A draft over budget is shortened by dropping whole
   sentences, least central first (:func:`~redraft.condense.cleanup.fit`), before anyone
   judges it. The draft carries its credit line (the entry's, its label in the article's
   language: ``Fuente:``, ``出典:``).
4. :meth:`LLMCondenser.revise` asks once more, naming each problem sentence and what the
   source says; a sentence found wrong that the revision repeats unchanged is dropped
   (:func:`~redraft.condense.cleanup.drop_flagged`). Verifying and falling back are the
   pipeline's business, not the engine's.

Every failure for an item is an :class:`~redraft.errors.EngineError` naming the item, with a
``code`` (those of :mod:`redraft.condense.openai_chat`, and :data:`TOO_LONG`,
:data:`NO_TEXT`, :data:`CUT_OFF` here); a refused API key is an
:class:`~redraft.errors.EngineAuthError`.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass

from redraft.condense.cleanup import clean, dedupe, drop_flagged, drop_unfinished, fit
from redraft.condense.openai_chat import ChatServer, snippet
from redraft.condense.prompts import Prompt, get_prompt, language_name
from redraft.config import LLMOptions
from redraft.errors import ConfigError, EngineError
from redraft.http import Retrier
from redraft.records import Article, Budget, Draft, Problem, Usage
from redraft.text import normalise, split_sentences, word_count

__all__ = ["LLMCondenser", "clean", "dedupe", "max_tokens_for", "sections"]

log = logging.getLogger(__name__)

# EngineError codes of the strategy (the wire's are in openai_chat).
TOO_LONG = "too-long"  # still over the context after every round of sections
NO_TEXT = "no-text"  # nothing left once the answer is cleaned
CUT_OFF = "cut-off"  # cut off at max_tokens before a single whole sentence

# A joined, sectioned draft this much over its word target is condensed once more; under it,
# the parts stand (and are cut to the budget like any draft).
JOIN_SLACK = 1.2
# A section is asked for at least this many words: fewer cannot carry its news.
MIN_SECTION_WORDS = 25
# Rounds of section-then-join before the engine gives up on an article (each round shrinks
# the text by the budget ratio, so two suffice for anything a news site publishes).
MAX_JOIN_ROUNDS = 3
# Words -> tokens: BPE tokenizers (Llama 3, Qwen, SmolLM2, GPT-4's) spend about 1.3 tokens
# per English word and up to 1.7 per Spanish or French word; the larger covers both.
TOKENS_PER_WORD = 1.7
# An answer may run this much over its budget before it is stopped: fit() cuts the excess
# sentence by sentence, and beyond it generating more is time spent on text thrown away.
ANSWER_MARGIN = 1.5
# Tokens for what clean() drops around the draft (a preamble line, a closing remark).
ANSWER_OVERHEAD = 32
# A sentence budget in words, for max_tokens: a long news sentence.
WORDS_PER_SENTENCE = 30
# Problem kinds that say a sentence itself is wrong: a revision that keeps one unchanged has
# not corrected it, so it is dropped (form kinds such as "dangling" depend on the neighbours).
WRONG_SENTENCE = frozenset({"unsupported", "number", "name", "quote", "unattributed", "junk"})


@dataclass(frozen=True, slots=True)
class _Target:
    """A budget made concrete for one text: a word count or a sentence count."""

    words: int | None
    sentences: int | None

    @classmethod
    def of(cls, budget: Budget, source_words: int) -> _Target:
        if budget.kind == "sentences":
            return cls(None, int(budget.value))
        return cls(budget.target_words(source_words), None)

    def share(self, part_words: int, total_words: int) -> _Target:
        """The part of this target a section of ``part_words`` of ``total_words`` gets."""
        share = part_words / max(1, total_words)
        if self.sentences is not None:
            return _Target(None, max(1, round(self.sentences * share)))
        assert self.words is not None
        return _Target(max(MIN_SECTION_WORDS, round(self.words * share)), None)

    def exceeded_by(self, paragraphs: Sequence[str], language: str) -> bool:
        if self.sentences is not None:
            return sum(len(split_sentences(p, language)) for p in paragraphs) > self.sentences
        assert self.words is not None
        return sum(word_count(p) for p in paragraphs) > self.words * JOIN_SLACK

    @property
    def word_count(self) -> int:
        """The target in words (a sentence budget at :data:`WORDS_PER_SENTENCE`)."""
        if self.words is not None:
            return self.words
        return (self.sentences or 1) * WORDS_PER_SENTENCE

    def describe(self) -> str:
        if self.sentences is not None:
            return "1 sentence" if self.sentences == 1 else f"{self.sentences} sentences"
        return f"about {self.words} words"


def max_tokens_for(words: int, ceiling: int) -> int:
    """The completion limit for an answer of about ``words`` words, at most ``ceiling``.

    ``words`` x :data:`TOKENS_PER_WORD` x :data:`ANSWER_MARGIN` + :data:`ANSWER_OVERHEAD`:
    a 100-word budget gets 287 tokens.
    """
    return max(1, min(ceiling, math.ceil(words * TOKENS_PER_WORD * ANSWER_MARGIN)
                      + ANSWER_OVERHEAD))


class LLMCondenser:
    """Condense articles through an OpenAI-compatible chat-completions server.

    Thread-safe: it holds no state between calls, so the pipeline may run it in many threads
    (the :class:`~redraft.http.Retrier`'s per-host cap bounds the requests in flight).

    Attributes:
        name: ``"llm:<model>"``, the engine label stored with each draft.
        prompt: the prompt in use; drafts carry its ``"<name>@<version>"``.
    """

    def __init__(self, retrier: Retrier, options: LLMOptions, *,
                 ascii_quotes: bool | None = None) -> None:
        """Set up the engine; nothing is sent until :meth:`check` or :meth:`condense`.

        Args:
            retrier: sends the requests (it holds the injected ``httpx.Client``).
            options: server URL, model, API key, prompt, context budget, limits.
            ascii_quotes: write drafts and credits with straight quotes (True), as the
                article is written (None: straight when the article has no curly quotes).

        Raises:
            ConfigError: the URL or the model is missing, or the prompt is unknown.
        """
        if not options.url or not options.model:
            raise ConfigError("the LLM engine needs a server URL and a model name")
        if not options.url.startswith(("http://", "https://")):
            raise ConfigError(f"the LLM server URL must start with http:// or https://, "
                              f"not {options.url!r}")
        self._options = options
        self._ascii = ascii_quotes
        self._server = ChatServer(retrier, url=options.url, model=options.model,
                                  api_key=options.api_key, timeout=options.timeout,
                                  temperature=options.temperature)
        self.name = f"llm:{options.model}"
        self.prompt: Prompt = get_prompt(options.prompt)

    def __repr__(self) -> str:
        return f"LLMCondenser(url={self._server.base!r}, model={self._options.model!r})"

    def check(self) -> None:
        """Fail fast, before any item: reach the server, test the key, find the model.

        Raises:
            EngineAuthError: the server refused the API key.
            EngineError: the server cannot be reached or does not know the model.
        """
        self._server.check()

    # --- condensing -----------------------------------------------------------------------

    def condense(self, article: Article, budget: Budget) -> Draft:
        """Return an LLM-written draft of ``article`` within ``budget``.

        Args:
            article: the clean article.
            budget: a ratio of the source's words, a word count or a sentence count.

        Returns:
            The cleaned draft, cut to the budget, with its credit line; ``usage`` holds the
            tokens of every request this call made (sections included), ``attempts`` is 1.

        Raises:
            EngineAuthError: the server refused the API key.
            EngineError: no usable answer for this article (the message names it).
        """
        item = _item(article)
        target = _Target.of(budget, article.words)
        paragraphs, usage = self._condense_text(article, article.paragraphs, target, item)
        return self._draft(article, paragraphs, target, budget, usage, attempts=1)

    def revise(self, draft: Draft, problems: Sequence[Problem]) -> Draft:
        """Ask once more, naming each problem sentence and what the source says.

        Args:
            draft: the draft that failed verification (its article and budget are reused).
            problems: what the verifier found.

        Returns:
            The cleaned revision, cut to the budget; ``usage`` holds this call's tokens only
            (the pipeline sums its attempts), ``attempts`` is one more than ``draft``'s.

        Raises:
            EngineAuthError: the server refused the API key.
            EngineError: no usable answer for this article.
        """
        article = draft.article
        item = _item(article)
        target = _Target.of(draft.budget, article.words)
        listed = self._problems(problems)
        fields = {"budget": target.describe(), "problems": listed,
                  "language": _language(article)}
        if article.words <= self._options.context_words:
            messages = self._messages(self._condense_prompt(article, article.paragraphs, target))
            messages.append({"role": "assistant", "content": "\n".join(draft.paragraphs)})
            messages.append({"role": "user", "content": self.prompt.revise.format(**fields)})
        else:
            messages = self._messages(self.prompt.revise_alone.format(
                draft="\n".join(draft.paragraphs), **fields))
        paragraphs, usage = self._ask(messages, article, target, item)
        flagged = [p.sentence for p in problems if p.kind in WRONG_SENTENCE and p.sentence]
        kept = drop_flagged(paragraphs, flagged, article.language)
        if not kept:
            raise EngineError(f"{item}: the revision kept only sentences the verifier had found "
                              f"wrong ({snippet(' '.join(paragraphs))!r})", code=NO_TEXT)
        if kept != paragraphs:
            log.debug("%s: the revision repeated sentences found wrong; they were dropped", item)
        return self._draft(article, kept, target, draft.budget, usage,
                           attempts=draft.attempts + 1)

    def _draft(self, article: Article, paragraphs: Sequence[str], target: _Target,
               budget: Budget, usage: Usage, *, attempts: int) -> Draft:
        fitted = fit(paragraphs, words=target.words, sentences=target.sentences,
                     language=article.language, source=article.paragraphs)
        if fitted != tuple(paragraphs):
            log.debug("%s: cut from %d to %d words to fit %s", _item(article),
                      sum(map(word_count, paragraphs)), sum(map(word_count, fitted)),
                      budget.describe())
        return Draft(article, fitted, self.name, budget, prompt=self.prompt.label,
                     attempts=attempts, usage=usage, credit=self._credit(article))

    def _credit(self, article: Article) -> str:
        credit = article.entry.credit(article.language)  # its label in the article's language
        return normalise(credit, ascii_quotes=True) if self._ascii_for(article) else credit

    def _ascii_for(self, article: Article) -> bool:
        return _ascii_article(article) if self._ascii is None else self._ascii

    def _condense_text(self, article: Article, paragraphs: Sequence[str], target: _Target,
                       item: str, rounds: int = 0) -> tuple[tuple[str, ...], Usage]:
        total = sum(word_count(p) for p in paragraphs)
        if total <= self._options.context_words:
            prompt = self._condense_prompt(article, paragraphs, target)
            return self._ask(self._messages(prompt), article, target, item)
        if rounds >= MAX_JOIN_ROUNDS:
            raise EngineError(f"{item}: the article is still over {self._options.context_words} "
                              f"words after {rounds} rounds of condensing it in sections",
                              code=TOO_LONG)
        language = _language(article)
        parts = sections(paragraphs, self._options.context_words, article.language)
        joined: list[str] = []
        usage = Usage()
        for number, part in enumerate(parts, start=1):
            share = target.share(sum(word_count(p) for p in part), total)
            prompt = self.prompt.section.format(
                part=number, parts=len(parts), budget=share.describe(), language=language,
                lead=self.prompt.first_part if number == 1 else self.prompt.later_part,
                title=article.entry.title, article="\n\n".join(part))
            text, spent = self._ask(self._messages(prompt), article, share, item)
            joined.extend(text)
            usage = usage + spent
        if not target.exceeded_by(joined, article.language):
            return dedupe(joined, article.language), usage
        if sum(word_count(p) for p in joined) > self._options.context_words:
            again, spent = self._condense_text(article, joined, target, item, rounds + 1)
            return again, usage + spent
        prompt = self.prompt.combine.format(budget=target.describe(), language=language,
                                            drafts="\n\n".join(joined))
        text, spent = self._ask(self._messages(prompt), article, target, item)
        return text, usage + spent

    def _condense_prompt(self, article: Article, paragraphs: Sequence[str],
                         target: _Target) -> str:
        return self.prompt.condense.format(
            budget=target.describe(), language=_language(article),
            title=article.entry.title, article="\n\n".join(paragraphs))

    def _messages(self, user: str) -> list[dict[str, str]]:
        return [{"role": "system", "content": self.prompt.system},
                {"role": "user", "content": user}]

    def _problems(self, problems: Sequence[Problem]) -> str:
        lines = []
        for problem in problems:
            hint = self.prompt.hints.get(problem.kind, "")
            if problem.detail:
                hint = f"{hint} ({problem.detail})" if hint else problem.detail
            if problem.evidence and problem.kind != "repeated":
                hint += self.prompt.evidence.format(evidence=problem.evidence)
            sentence = problem.sentence or "(the whole condensation)"
            lines.append(self.prompt.problem.format(sentence=sentence, hint=hint))
        return "\n".join(lines) or "- (the fact-checker gave no detail; check every sentence)"

    def _ask(self, messages: list[dict[str, str]], article: Article, target: _Target,
             item: str) -> tuple[tuple[str, ...], Usage]:
        """Send one request; return the cleaned paragraphs of its answer and its usage."""
        limit = max_tokens_for(target.word_count, self._options.max_tokens)
        reply = self._server.complete(messages, item=item, max_tokens=limit,
                                      stop=self.prompt.stop)
        paragraphs = clean(reply.text, title=article.entry.title, language=article.language,
                           ascii_quotes=self._ascii_for(article))
        if reply.cut_off:
            log.debug("%s: the answer was cut off at max_tokens=%d", item, limit)
            paragraphs = drop_unfinished(paragraphs, article.language)
            if not paragraphs:
                raise EngineError(f"{item}: the answer was cut off at max_tokens={limit} (the "
                                  f"smaller of [llm] max_tokens and what the budget needs) "
                                  f"before its first sentence ended ({snippet(reply.text)!r})",
                                  code=CUT_OFF)
        if not paragraphs:
            raise EngineError(f"{item}: the model {self._options.model!r} answered with no "
                              f"usable text ({snippet(reply.text)!r})", code=NO_TEXT)
        return paragraphs, reply.usage


def _item(article: Article) -> str:
    entry = article.entry
    return entry.key or entry.url or entry.title or "the article"


def _language(article: Article) -> str:
    return language_name(article.language)


def _ascii_article(article: Article) -> bool:
    """Whether the article uses straight quotes only, so the draft should too."""
    return not any(ch in p for p in article.paragraphs for ch in "“”‘’«»—–")


def sections(paragraphs: Sequence[str], limit: int, language: str = "en") -> list[list[str]]:
    """Group paragraphs into sections of at most ``limit`` words, in order.

    Sections break between paragraphs; a paragraph longer than ``limit`` is broken between
    its sentences, and a sentence longer than ``limit`` makes a section on its own. No
    sentence is ever cut.

    Args:
        paragraphs: the text, one paragraph per item.
        limit: the most words a section should hold.
        language: for sentence splitting.
    """
    pieces: list[str] = []
    for paragraph in paragraphs:
        if word_count(paragraph) <= limit:
            pieces.append(paragraph)
            continue
        chunk: list[str] = []
        for sentence in split_sentences(paragraph, language):
            if chunk and word_count(" ".join([*chunk, sentence])) > limit:
                pieces.append(" ".join(chunk))
                chunk = []
            chunk.append(sentence)
        if chunk:
            pieces.append(" ".join(chunk))
    result: list[list[str]] = []
    size = 0
    for piece in pieces:
        words_in = word_count(piece)
        if result and size + words_in <= limit:
            result[-1].append(piece)
            size += words_in
        else:
            result.append([piece])
            size = words_in
    return result
