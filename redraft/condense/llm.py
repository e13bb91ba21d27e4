"""The LLM engine: condensed rewrites from any OpenAI-compatible chat-completions server.

vLLM, llama.cpp's server, Ollama, LM Studio, OpenAI and the like all answer
``POST {url}/chat/completions``. The engine:

1. renders the prompt (:mod:`redraft.condense.prompts`) for the budget; an article longer than
   ``LLMOptions.context_words`` is condensed in sections (split between paragraphs, or between
   sentences of a very long paragraph, never inside one), the parts are joined and, when the
   join is over budget, condensed once more;
2. sends it through :class:`redraft.http.Retrier` (retries, back-off, ``Retry-After``, a
   per-host cap) with temperature 0, ``max_tokens`` and a timeout;
3. cleans the answer (:func:`clean`): thinking, markup, preambles, credits and notes out,
   repeated paragraphs and sentences (exact or nearly) dropped, white space and quotes
   normalised like the extractor's;
4. on :meth:`LLMCondenser.revise`, asks once more, naming each problem sentence and what the
   source says. Verifying and falling back are the pipeline's business, not the engine's.

Every failure for an item (server down after retries, timeout, unknown model, a reply that is
not the expected JSON, an empty or truncated answer) is an :class:`~redraft.errors.EngineError`
naming the item; a refused API key is an :class:`~redraft.errors.EngineAuthError`. The API key
travels in the ``Authorization`` header only: never logged, stored or shown in a repr.
"""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import httpx

from redraft.condense.prompts import (
    LANGUAGE_NAMES,
    LEADING_LABEL,
    META_LINE,
    PREAMBLE,
    THINKING,
    Prompt,
    get_prompt,
)
from redraft.config import LLMOptions
from redraft.errors import ConfigError, EngineAuthError, EngineError, FetchError
from redraft.http import Retrier
from redraft.records import Article, Budget, Draft, Problem, Usage
from redraft.text import normalise, shingles, split_sentences, word_count, words

log = logging.getLogger(__name__)

# A joined, sectioned draft this much over its word target is condensed once more; under it,
# the parts stand (the verifier's length check has the last word).
JOIN_SLACK = 1.2
# A section is asked for at least this many words: fewer cannot carry its news.
MIN_SECTION_WORDS = 25
# Rounds of section-then-join before the engine gives up on an article (each round shrinks
# the text by the budget ratio, so two suffice for anything a news site publishes).
MAX_JOIN_ROUNDS = 3
# Shingle size for near-duplicate detection: word trigrams tolerate a changed word or two.
SHINGLE = 3
# A sentence or paragraph whose trigrams are this much contained in an earlier one's is a
# repeat: a restatement that changes one word in a 15-word sentence still shares ~80%.
NEAR_DUPLICATE = 0.8
# Below this many words, only an exact repeat counts (trigram overlap of short texts is noise).
NEAR_MIN_WORDS = 6
# Connection set-up is quick or never; only the answer itself may take long.
CONNECT_TIMEOUT = 10.0
# Model names listed in an "unknown model" message.
MAX_LISTED_MODELS = 12

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
_LETTER = re.compile(r"[^\W\d_]")


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

    def describe(self) -> str:
        if self.sentences is not None:
            return "1 sentence" if self.sentences == 1 else f"{self.sentences} sentences"
        return f"about {self.words} words"


class LLMCondenser:
    """Condense articles through an OpenAI-compatible chat-completions server.

    Thread-safe: it holds no state between calls, so the pipeline may run it in many threads
    (the :class:`~redraft.http.Retrier`'s per-host cap bounds the requests in flight).

    Attributes:
        name: ``"llm:<model>"``, the engine label stored with each draft.
        prompt: the prompt in use; drafts carry its ``"<name>@<version>"``.
    """

    def __init__(self, retrier: Retrier, options: LLMOptions) -> None:
        """Set up the engine; nothing is sent until :meth:`check` or :meth:`condense`.

        Args:
            retrier: sends the requests (it holds the injected ``httpx.Client``).
            options: server URL, model, API key, prompt, context budget, limits.

        Raises:
            ConfigError: the URL or the model is missing, or the prompt is unknown.
        """
        if not options.url or not options.model:
            raise ConfigError("the LLM engine needs a server URL and a model name")
        if not options.url.startswith(("http://", "https://")):
            raise ConfigError(f"the LLM server URL must start with http:// or https://, "
                              f"not {options.url!r}")
        self._retrier = retrier
        self._options = options
        self._base = options.url.rstrip("/")
        self.name = f"llm:{options.model}"
        self.prompt: Prompt = get_prompt(options.prompt)

    def __repr__(self) -> str:
        return f"LLMCondenser(url={self._base!r}, model={self._options.model!r})"

    # --- start-up -------------------------------------------------------------------------

    def check(self) -> None:
        """Fail fast, before any item: reach the server, test the key, find the model.

        Asks ``GET {url}/models``; when the server has no such list, or does not list the
        model (llama.cpp's server answers to any name), sends a one-token request instead.

        Raises:
            EngineAuthError: the server refused the API key.
            EngineError: the server cannot be reached or does not know the model.
        """
        url = f"{self._base}/models"
        response = self._send("GET", url, what="start-up check", timeout=None)
        self._refuse_auth(response)
        listed = _model_ids(response) if response.status_code == 200 else None
        if listed is not None and self._options.model in listed:
            return
        probe = {"model": self._options.model, "max_tokens": 1, "temperature": 0,
                 "messages": [{"role": "user", "content": "Say OK."}]}
        response = self._send("POST", f"{self._base}/chat/completions", what="start-up check",
                              json=probe)
        self._refuse_auth(response)
        if response.status_code == 404:
            offered = ", ".join((listed or [])[:MAX_LISTED_MODELS]) or "none listed"
            raise EngineError(
                f"the LLM server at {self._base} does not know the model "
                f"{self._options.model!r} ({_server_message(response)}); models it offers: "
                f"{offered}. Check --llm-model or REDRAFT_LLM_MODEL."
            )
        if response.status_code >= 400:
            raise EngineError(f"the LLM server at {self._base} refused a test request "
                              f"({response.status_code}: {_server_message(response)})")

    # --- condensing -----------------------------------------------------------------------

    def condense(self, article: Article, budget: Budget) -> Draft:
        """Return an LLM-written draft of ``article`` within ``budget``.

        Args:
            article: the clean article.
            budget: a ratio of the source's words, a word count or a sentence count.

        Returns:
            The cleaned draft; ``usage`` holds the tokens of every request this call made
            (sections included), ``attempts`` is 1.

        Raises:
            EngineAuthError: the server refused the API key.
            EngineError: no usable answer for this article (the message names it).
        """
        item = _item(article)
        target = _Target.of(budget, article.words)
        paragraphs, usage = self._condense_text(article, article.paragraphs, target, item)
        return Draft(article, paragraphs, self.name, budget, prompt=self.prompt.label,
                     usage=usage)

    def revise(self, draft: Draft, problems: Sequence[Problem]) -> Draft:
        """Ask once more, naming each problem sentence and what the source says.

        Args:
            draft: the draft that failed verification (its article and budget are reused).
            problems: what the verifier found.

        Returns:
            The cleaned revision; ``usage`` holds this call's tokens only (the pipeline sums
            its attempts), ``attempts`` is one more than ``draft``'s.

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
        text, usage = self._ask(messages, item)
        paragraphs = self._clean(text, article, item)
        return Draft(article, paragraphs, self.name, draft.budget, prompt=self.prompt.label,
                     attempts=draft.attempts + 1, usage=usage)

    def _condense_text(self, article: Article, paragraphs: Sequence[str], target: _Target,
                       item: str, rounds: int = 0) -> tuple[tuple[str, ...], Usage]:
        total = sum(word_count(p) for p in paragraphs)
        if total <= self._options.context_words:
            prompt = self._condense_prompt(article, paragraphs, target)
            text, usage = self._ask(self._messages(prompt), item)
            return self._clean(text, article, item), usage
        if rounds >= MAX_JOIN_ROUNDS:
            raise EngineError(f"{item}: the article is still over {self._options.context_words} "
                              f"words after {rounds} rounds of condensing it in sections")
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
            text, spent = self._ask(self._messages(prompt), item)
            joined.extend(self._clean(text, article, item))
            usage = usage + spent
        if not target.exceeded_by(joined, article.language):
            return dedupe(joined, article.language), usage
        if sum(word_count(p) for p in joined) > self._options.context_words:
            again, spent = self._condense_text(article, joined, target, item, rounds + 1)
            return again, usage + spent
        prompt = self.prompt.combine.format(budget=target.describe(), language=language,
                                            drafts="\n\n".join(joined))
        text, spent = self._ask(self._messages(prompt), item)
        return self._clean(text, article, item), usage + spent

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

    def _clean(self, text: str, article: Article, item: str) -> tuple[str, ...]:
        paragraphs = clean(text, title=article.entry.title, language=article.language,
                           ascii_quotes=_ascii_article(article))
        if not paragraphs:
            raise EngineError(f"{item}: the model {self._options.model!r} answered with no "
                              f"usable text ({_snippet(text)!r})")
        return paragraphs

    # --- the wire -------------------------------------------------------------------------

    def _ask(self, messages: list[dict[str, str]], item: str) -> tuple[str, Usage]:
        body = {"model": self._options.model, "messages": messages,
                "temperature": self._options.temperature,
                "max_tokens": self._options.max_tokens, "stream": False}
        response = self._send("POST", f"{self._base}/chat/completions", what=item, json=body)
        self._refuse_auth(response)
        if response.status_code == 404:
            raise EngineError(f"{item}: the LLM server at {self._base} answered 404 "
                              f"({_server_message(response)}): check the model name "
                              f"{self._options.model!r} and that the URL ends in /v1")
        if response.status_code >= 400:
            raise EngineError(f"{item}: the LLM server refused the request "
                              f"({response.status_code}: {_server_message(response)})")
        return _parse_reply(response, item, self._options.max_tokens)

    def _send(self, method: str, url: str, *, what: str, **kwargs: Any) -> httpx.Response:
        if "timeout" not in kwargs:
            kwargs["timeout"] = httpx.Timeout(self._options.timeout,
                                              connect=min(CONNECT_TIMEOUT, self._options.timeout))
        elif kwargs["timeout"] is None:
            del kwargs["timeout"]  # the client's own (shorter) timeout
        if self._options.api_key:
            kwargs["headers"] = {"Authorization": f"Bearer {self._options.api_key}"}
        try:
            return self._retrier.request(method, url, **kwargs)
        except FetchError as exc:
            # The cause first: a fallback's engine label keeps only the start of the message.
            cause = str(exc).removeprefix(f"{method} {url} ")
            raise EngineError(f"{what}: the LLM server {cause} ({url})") from exc

    def _refuse_auth(self, response: httpx.Response) -> None:
        if response.status_code in (401, 403):
            given = "the API key in REDRAFT_LLM_API_KEY" if self._options.api_key else "no API key"
            raise EngineAuthError(
                f"the LLM server at {self._base} refused {given} ({response.status_code}: "
                f"{_server_message(response)}); set REDRAFT_LLM_API_KEY to a valid key"
            )


def _parse_reply(response: httpx.Response, item: str, max_tokens: int) -> tuple[str, Usage]:
    """The answer's text and usage, or an EngineError saying what is wrong with the reply."""
    try:
        data = response.json()
    except ValueError as exc:
        raise EngineError(f"{item}: the LLM server's reply is not JSON "
                          f"({response.status_code}, {_snippet(response.text)!r})") from exc
    choices = data.get("choices") if isinstance(data, dict) else None
    choice = choices[0] if isinstance(choices, list) and choices else None
    message = choice.get("message") if isinstance(choice, dict) else None
    if not isinstance(choice, dict) or not isinstance(message, dict):
        raise EngineError(f"{item}: the LLM server's reply has no choices[0].message "
                          f"({_snippet(response.text)!r}); is the URL an OpenAI-compatible /v1?")
    usage = _usage(data.get("usage"))
    content = message.get("content")
    if choice.get("finish_reason") == "length":
        raise EngineError(f"{item}: the answer was cut off at max_tokens={max_tokens}; "
                          f"raise [llm] max_tokens or lower the budget")
    if not isinstance(content, str) or not content.strip():
        refusal = message.get("refusal")
        why = f"the model refused: {refusal}" if refusal else "the answer is empty"
        raise EngineError(f"{item}: {why}")
    log.debug("%s: %d prompt + %d completion tokens", item, usage.prompt_tokens,
              usage.completion_tokens)
    return content, usage


def _usage(value: object) -> Usage:
    if not isinstance(value, dict):
        return Usage()
    prompt, completion = value.get("prompt_tokens"), value.get("completion_tokens")
    return Usage(prompt if isinstance(prompt, int) else 0,
                 completion if isinstance(completion, int) else 0)


def _model_ids(response: httpx.Response) -> list[str] | None:
    try:
        data = response.json()
    except ValueError:
        return None
    entries = data.get("data") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        return None
    return [str(e["id"]) for e in entries if isinstance(e, dict) and "id" in e]


def _server_message(response: httpx.Response) -> str:
    """The server's own error message (OpenAI's ``{"error": {"message": ...}}``), short."""
    try:
        data = response.json()
    except ValueError:
        return _snippet(response.text) or response.reason_phrase
    error = data.get("error") if isinstance(data, dict) else None
    if isinstance(error, dict) and error.get("message"):
        return _snippet(str(error["message"]))
    if isinstance(error, str):
        return _snippet(error)
    return _snippet(response.text)


def _snippet(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _item(article: Article) -> str:
    entry = article.entry
    return entry.key or entry.url or entry.title or "the article"


def _language(article: Article) -> str:
    return LANGUAGE_NAMES.get(article.language, article.language)


def _ascii_article(article: Article) -> bool:
    """Whether the article uses straight quotes only, so the draft should too."""
    return not any(ch in p for p in article.paragraphs for ch in "“”‘’«»—–")


# --- pure helpers (tested on their own) -----------------------------------------------------


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
    return dedupe([p for p in paragraphs if _LETTER.search(p)], language)


def _strip_line(raw: str) -> str:
    if _MARKUP_LINE.match(raw):
        return ""
    line = _QUOTE_MARK.sub("", _BULLET.sub("", raw)).strip()
    for pattern, replacement in _INLINE:
        line = pattern.sub(replacement, line)
    return LEADING_LABEL.sub("", line).strip()


def dedupe(paragraphs: Sequence[str], language: str = "en") -> tuple[str, ...]:
    """Drop every paragraph and sentence that repeats an earlier one, exactly or nearly.

    A repeat is a text whose word trigrams are at least :data:`NEAR_DUPLICATE` contained in
    an earlier one's (texts under :data:`NEAR_MIN_WORDS` words must match exactly, case and
    punctuation aside). The first occurrence stays where it is.
    """
    kept_paragraphs: list[tuple[list[str], set[tuple[str, ...]]]] = []
    kept_sentences: list[tuple[list[str], set[tuple[str, ...]]]] = []
    result: list[str] = []
    for paragraph in paragraphs:
        signature = _signature(paragraph)
        if any(_repeats(signature, earlier) for earlier in kept_paragraphs):
            continue
        kept_paragraphs.append(signature)
        sentences = []
        for sentence in split_sentences(paragraph, language):
            mark = _signature(sentence)
            if mark[0] and not any(_repeats(mark, earlier) for earlier in kept_sentences):
                kept_sentences.append(mark)
                sentences.append(sentence)
        if sentences:
            result.append(" ".join(sentences))
    return tuple(result)


def _key(text: str) -> str:
    return " ".join(w.casefold() for w in words(text))


def _signature(text: str) -> tuple[list[str], set[tuple[str, ...]]]:
    tokens = [w.casefold() for w in words(text)]
    return tokens, shingles(tokens, SHINGLE)


def _repeats(text: tuple[list[str], set[tuple[str, ...]]],
             earlier: tuple[list[str], set[tuple[str, ...]]]) -> bool:
    (tokens, grams), (earlier_tokens, earlier_grams) = text, earlier
    if tokens == earlier_tokens:
        return True
    if min(len(tokens), len(earlier_tokens)) < NEAR_MIN_WORDS or not grams:
        return False
    return len(grams & earlier_grams) / len(grams) >= NEAR_DUPLICATE
