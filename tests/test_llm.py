"""condense/llm.py: the LLM engine against a real OpenAI-compatible server on 127.0.0.1
(tests/llm_server.py, scripted per request), and its pure parts (cleaning, sections) from
data. Back-off sleeps are recorded instead of slept, so nothing here waits for long."""

from __future__ import annotations

import dataclasses
import json
import logging
import re
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from redraft.condense import Reviser
from redraft.condense.llm import LLMCondenser, dedupe, max_tokens_for
from redraft.condense.prompts import CONDENSE
from redraft.config import HttpOptions, LLMOptions
from redraft.errors import ConfigError, EngineAuthError, EngineError
from redraft.http import Retrier
from redraft.records import Article, Block, Budget, Draft, Entry, Problem, Usage
from redraft.text import split_sentences, words_in
from redraft.verify import verify
from tests.llm_server import LLMServer, Reply, Seen, completion, failure, from_spec, lead_of, malformed

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "llm"
ARTICLES: dict[str, dict[str, Any]] = json.loads((FIXTURES / "articles.json").read_text("utf-8"))
SERVER_CASES = json.loads((FIXTURES / "server_cases.json").read_text("utf-8"))
SECRET = "sk-test-d0n0tl0g-9f2"
WORDS = Budget("words", 60)


def article(name: str = "harbour") -> Article:
    data = ARTICLES[name]
    paragraphs = data["paragraphs"]
    entry = Entry(source="file:test", key=data["key"], url=data["url"], title=data["title"],
                  html="".join(f"<p>{p}</p>" for p in paragraphs),
                  published=datetime.fromisoformat(data["published"]))
    return Article(entry, tuple(Block("p", p) for p in paragraphs), language=data["language"])


Serve = Callable[..., LLMServer]
Engine = Callable[..., tuple[LLMCondenser, list[float]]]


@pytest.fixture
def serve() -> Iterator[Serve]:
    """Start scripted servers; every one is stopped when the test ends."""
    started: list[LLMServer] = []

    def start(*script: Reply | Callable[[Seen], Reply], **kwargs: Any) -> LLMServer:
        server = LLMServer(list(script), **kwargs).start()
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture
def engine() -> Iterator[Engine]:
    """Build engines on real HTTP clients; back-off sleeps are recorded, not slept."""
    clients: list[httpx.Client] = []

    def build(url: str, **options: Any) -> tuple[LLMCondenser, list[float]]:
        sleeps: list[float] = []
        http = HttpOptions(timeout=5.0, retries=2, backoff=0.01, max_backoff=5.0)
        client = httpx.Client(timeout=http.timeout)
        clients.append(client)
        settings: dict[str, Any] = {"model": "test-model", "timeout": 5.0} | options
        return LLMCondenser(Retrier(client, http, sleep=sleeps.append),
                            LLMOptions(url=url, **settings)), sleeps

    yield build
    for client in clients:
        client.close()


# --- scripted replies, from data ---------------------------------------------------------


@pytest.mark.parametrize("case", SERVER_CASES, ids=[c["id"] for c in SERVER_CASES])
def test_scripted_replies(case: dict[str, Any], serve: Serve, engine: Engine) -> None:
    server = serve(*[from_spec(spec) for spec in case["script"]])
    condenser, sleeps = engine(server.url, **case.get("options", {}))
    expect = case["expect"]
    if "error" in expect:
        with pytest.raises(EngineError) as caught:
            condenser.condense(article(), WORDS)
        assert not isinstance(caught.value, EngineAuthError)
        assert re.search(expect["error"], str(caught.value)), str(caught.value)
        assert (caught.value.code, caught.value.status) == (expect["code"], expect["status"])
    else:
        draft = condenser.condense(article(), WORDS)
        assert list(draft.paragraphs) == expect["paragraphs"]
        assert (draft.engine, draft.prompt, draft.attempts) == (
            "llm:test-model", CONDENSE.label, 1)
        assert draft.budget == WORDS
        if "usage" in expect:
            assert draft.usage == Usage(*expect["usage"])
    assert len(server.chats) == expect["chats"]
    if "sleeps" in expect:
        assert sleeps == expect["sleeps"]
    if "sleeps_count" in expect:
        assert len(sleeps) == expect["sleeps_count"]


def test_the_request_is_an_openai_chat_completion(serve: Serve, engine: Engine) -> None:
    server = serve(completion("Westcliff opened its new lifeboat station on Saturday."))
    condenser, _ = engine(server.url, max_tokens=300)
    condenser.condense(article(), WORDS)
    (seen,) = server.requests
    assert (seen.method, seen.path) == ("POST", "/v1/chat/completions")
    body = seen.body
    assert {k: body[k] for k in ("model", "temperature", "max_tokens", "stream", "stop")} == {
        "model": "test-model", "temperature": 0.0, "max_tokens": max_tokens_for(60, 300),
        "stream": False, "stop": list(CONDENSE.stop)}
    assert [m["role"] for m in body["messages"]] == ["system", "user"]
    assert body["messages"][0]["content"] == CONDENSE.system
    user = seen.user
    assert "to about 60 words" in user and "English news article" in user
    assert "Title: Harbour town opens its new lifeboat station" in user
    assert user.endswith("\n\n".join(article().paragraphs))
    assert "authorization" not in seen.headers  # no key configured, none sent


@pytest.mark.parametrize(("name", "budget", "says"), [
    ("harbour", Budget("sentences", 3), "to 3 sentences"),
    ("harbour", Budget("sentences", 1), "to 1 sentence"),
    ("harbour", Budget("ratio", 0.5), "to about 45 words"),
    ("mercado", Budget("words", 40), "Condense this Spanish news article to about 40 words"),
])
def test_the_prompt_states_budget_and_language(name: str, budget: Budget, says: str,
                                               serve: Serve, engine: Engine) -> None:
    server = serve(default=lead_of(1))
    condenser, _ = engine(server.url)
    draft = condenser.condense(article(name), budget)
    assert says in server.chats[0].user
    assert draft.paragraphs == (article(name).paragraphs[0],)


def test_quotes_follow_the_article(serve: Serve, engine: Engine) -> None:
    server = serve(completion("“We can now launch in under eight minutes, whatever the tide,” "
                              "said Ruth Penhale."))
    condenser, _ = engine(server.url)
    draft = condenser.condense(article(), WORDS)  # the article uses straight quotes
    assert draft.paragraphs == ('"We can now launch in under eight minutes, whatever the tide," '
                                "said Ruth Penhale.",)


# --- keys, models, servers that are not there ---------------------------------------------


def test_the_api_key_is_sent_and_never_shown(serve: Serve, engine: Engine,
                                             caplog: pytest.LogCaptureFixture) -> None:
    server = serve(failure(500, "down"), failure(500, "down"), failure(500, "down"),
                   api_key=SECRET)
    condenser, _ = engine(server.url, api_key=SECRET)
    caplog.set_level(logging.DEBUG)
    with pytest.raises(EngineError) as caught:
        condenser.condense(article(), WORDS)
    assert {s.headers["authorization"] for s in server.requests} == {f"Bearer {SECRET}"}
    shown = [str(caught.value), repr(condenser), str(condenser), caplog.text]
    assert not [text for text in shown if SECRET in text]


@pytest.mark.parametrize("key", [SECRET[::-1], ""], ids=["wrong key", "no key"])
def test_a_refused_key_stops_everything(key: str, serve: Serve, engine: Engine) -> None:
    server = serve(api_key=SECRET)
    condenser, _ = engine(server.url, api_key=key)
    for call in (condenser.check, lambda: condenser.condense(article(), WORDS)):
        with pytest.raises(EngineAuthError, match=r"refused .*\(401: Incorrect API key "
                                                  r"provided\.\); set REDRAFT_LLM_API_KEY") as caught:
            call()
        assert (caught.value.code, caught.value.status) == ("auth", 401)
        assert SECRET not in str(caught.value) and (not key or key not in str(caught.value))
    assert len(server.requests) == 2  # neither is retried


def test_an_unknown_model_is_named(serve: Serve, engine: Engine) -> None:
    server = serve(models=("llama-3-8b", "qwen2.5-7b"))
    condenser, _ = engine(server.url, model="gpt-nope")
    with pytest.raises(EngineError, match=r"^file:harbour\.json:1: .*404 \(The model `gpt-nope` "
                                          r"does not exist.*\): check the model name 'gpt-nope'") as caught:
        condenser.condense(article(), WORDS)
    assert (caught.value.code, caught.value.status) == ("unknown-model", 404)
    with pytest.raises(EngineError, match=r"does not know the model 'gpt-nope' .*models it "
                                          r"offers: llama-3-8b, qwen2.5-7b\. Check --llm-model") as caught:
        condenser.check()
    assert (caught.value.code, caught.value.status) == ("unknown-model", 404)


def test_a_server_that_is_down(serve: Serve, engine: Engine) -> None:
    server = serve()
    url = server.url
    server.stop()
    condenser, sleeps = engine(url)
    with pytest.raises(EngineError, match=r"^file:harbour\.json:1: the LLM server failed after 3 "
                                          r"attempts: ConnectError: .* \(http://127\.0\.0\.1:\d+"
                                          r"/v1/chat/completions\)$") as caught:
        condenser.condense(article(), WORDS)
    assert (caught.value.code, caught.value.status) == ("unreachable", None)
    with pytest.raises(EngineError, match=r"^start-up check: the LLM server failed after 3 "
                                          r"attempts: ConnectError: .*/v1/models\)$"):
        condenser.check()
    assert len(sleeps) == 4


@pytest.mark.parametrize(("kwargs", "paths"), [
    ({}, ["GET /v1/models"]),
    ({"models": ("models/llama.gguf",), "accept_any_model": True},
     ["GET /v1/models", "POST /v1/chat/completions"]),
    ({"list_models": False}, ["GET /v1/models", "POST /v1/chat/completions"]),
], ids=["listed", "answers to any name (llama.cpp)", "no model list"])
def test_check_passes(kwargs: dict[str, Any], paths: list[str], serve: Serve,
                      engine: Engine) -> None:
    server = serve(completion("OK", finish_reason="length"), **kwargs)
    condenser, _ = engine(server.url)
    condenser.check()
    assert [f"{s.method} {s.path}" for s in server.requests] == paths
    if len(paths) == 2:
        assert server.requests[1].body["max_tokens"] == 1


def test_check_reports_a_server_that_is_not_openai_compatible(serve: Serve,
                                                              engine: Engine) -> None:
    server = serve(list_models=False)
    condenser, _ = engine(server.url.removesuffix("/v1") + "/api")
    with pytest.raises(EngineError, match=r"does not know the model 'test-model' \(no route "
                                          r"for POST /api/chat/completions\); models it offers: "
                                          r"none listed"):
        condenser.check()


def test_settings_that_cannot_work_are_refused() -> None:
    retrier = Retrier(httpx.Client())
    for options in (LLMOptions(model="m"), LLMOptions(url="http://x/v1"),
                    LLMOptions(url="http://x/v1", model="m", prompt="nope")):
        with pytest.raises(ConfigError):
            LLMCondenser(retrier, options)
    with pytest.raises(ConfigError, match="http"):  # a URL without its scheme: refused when made
        LLMCondenser(retrier, LLMOptions(url="127.0.0.1:8000/v1", model="m"))
    retrier.client.close()


# --- revising -------------------------------------------------------------------------------

INVENTED = "The station was paid for by the government."
GOOD = "Westcliff opened its new lifeboat station on Saturday."


def test_revise_names_the_problems_and_what_the_source_says(serve: Serve,
                                                           engine: Engine) -> None:
    server = serve(completion(f"{GOOD}\n{INVENTED}", usage=(300, 30)),
                   completion(GOOD, usage=(350, 12)))
    condenser, _ = engine(server.url)
    assert isinstance(condenser, Reviser)
    draft = condenser.condense(article(), WORDS)
    problems = [Problem("unsupported", INVENTED, article().paragraphs[1]),
                Problem("length", "", detail="70 words for a budget of 60")]
    revised = condenser.revise(draft, problems)
    assert revised.paragraphs == (GOOD,)
    assert (revised.attempts, revised.usage, revised.prompt) == (2, Usage(350, 12), CONDENSE.label)
    first, second = server.chats
    assert second.messages[:2] == first.messages
    assert second.messages[2] == {"role": "assistant", "content": f"{GOOD}\n{INVENTED}"}
    follow_up = second.messages[3]["content"]
    assert f'- "{INVENTED}": the article does not say this. The article says: ' \
           f'"{article().paragraphs[1]}"' in follow_up
    assert '- "(the whole condensation)": the condensation is outside the length asked for. ' \
           "(70 words for a budget of 60)" in follow_up
    assert "to about 60 words" in follow_up


def test_revise_of_a_long_article_sends_the_draft_and_the_evidence(serve: Serve,
                                                                  engine: Engine) -> None:
    server = serve(completion(GOOD))
    condenser, _ = engine(server.url, context_words=30)
    source = article()
    draft = Draft(source, (GOOD, INVENTED), "llm:test-model", WORDS)
    revised = condenser.revise(draft, [Problem("unsupported", INVENTED, source.paragraphs[1])])
    assert revised.paragraphs == (GOOD,)
    (seen,) = server.chats
    assert [m["role"] for m in seen.messages] == ["system", "user"]
    assert f"{GOOD}\n{INVENTED}" in seen.user and source.paragraphs[1] in seen.user
    assert source.paragraphs[4] not in seen.user  # the article itself did not fit


def test_a_revision_loses_the_wrong_sentences_it_repeats(serve: Serve, engine: Engine) -> None:
    """A model that repeats a sentence it was told is wrong (a small one does) has not fixed
    it: the sentence goes, nearly-same copies too; a new sentence stays, to be judged."""
    reworded = INVENTED.replace("the government", "the national government")
    server = serve(completion(f"{GOOD} {reworded}\nThe article says: \"{GOOD}\""),
                   completion(INVENTED))
    condenser, _ = engine(server.url)
    draft = Draft(article(), (GOOD, INVENTED), "llm:test-model", WORDS)
    problems = [Problem("unsupported", INVENTED, article().paragraphs[1]),
                Problem("dangling", GOOD)]  # a form problem depends on the neighbours: kept
    revised = condenser.revise(draft, problems)
    assert revised.paragraphs == (GOOD,)
    with pytest.raises(EngineError, match="kept only sentences the verifier had found wrong") as info:
        condenser.revise(draft, problems)
    assert info.value.code == "no-text"


def test_revise_failures_are_engine_errors(serve: Serve, engine: Engine) -> None:
    server = serve(malformed())
    condenser, _ = engine(server.url)
    draft = Draft(article(), (INVENTED,), "llm:test-model", WORDS)
    with pytest.raises(EngineError, match="not JSON"):
        condenser.revise(draft, [Problem("unsupported", INVENTED)])


# --- long articles: sections ------------------------------------------------------------------


def test_a_long_article_is_condensed_in_sections_then_joined(serve: Serve,
                                                            engine: Engine) -> None:
    server = serve(default=lead_of(1))
    condenser, _ = engine(server.url, context_words=60)
    source = article()  # 90 words in paragraphs of 22, 23, 17, 17 and 11
    draft = condenser.condense(source, Budget("words", 25))
    *parts, combine = server.chats
    assert len(parts) == 2
    sent = [p for seen in parts for p in seen.user.split(":\n", 2)[-1].split("\n\n")]
    assert sent == list(source.paragraphs)  # every paragraph once, in order, none cut
    assert "Part 1 of 2" in parts[0].user and "main news" in parts[0].user
    assert "Part 2 of 2" in parts[1].user and "main news" not in parts[1].user
    assert "Join them into one condensation of about 25 words" in combine.user
    assert draft.paragraphs == source.paragraphs[:1]  # the lead of the joined parts
    assert draft.usage.prompt_tokens == sum(round(len(s.user.split()) * 4 / 3)
                                            for s in server.chats)
    assert draft.attempts == 1


def test_sections_within_budget_are_joined_without_another_request(serve: Serve,
                                                                  engine: Engine) -> None:
    server = serve(default=lead_of(1))
    condenser, _ = engine(server.url, context_words=45)
    source = article()
    draft = condenser.condense(source, Budget("words", 80))
    assert len(server.chats) == 2
    assert draft.paragraphs == (source.paragraphs[0], source.paragraphs[2])


def test_joined_sections_still_too_long_are_sectioned_again(serve: Serve,
                                                           engine: Engine) -> None:
    server = serve(lead_of(2), lead_of(2), default=lead_of(1))
    condenser, _ = engine(server.url, context_words=45)
    source = article()
    draft = condenser.condense(source, Budget("words", 20))
    # round 1: two parts give 79 words, over the context; round 2: two parts give 39 words,
    # over the budget; then one request joins them.
    assert len(server.chats) == 5
    assert draft.paragraphs == source.paragraphs[:1]


def test_a_model_that_never_shortens_is_an_engine_error(serve: Serve, engine: Engine) -> None:
    server = serve(default=lead_of(2))
    condenser, _ = engine(server.url, context_words=45)
    with pytest.raises(EngineError, match=r"^file:harbour\.json:1: the article is still over "
                                          r"45 words after 3 rounds"):
        condenser.condense(article(), Budget("words", 20))


def test_the_engine_is_safe_to_share_between_threads(serve: Serve, engine: Engine) -> None:
    server = serve(default=lead_of(1))
    condenser, _ = engine(server.url)
    names = ["harbour", "mercado"] * 6
    with ThreadPoolExecutor(max_workers=4) as pool:
        drafts = list(pool.map(lambda n: condenser.condense(article(n), WORDS), names))
    assert [d.paragraphs[0] for d in drafts] == [article(n).paragraphs[0] for n in names]
    assert len(server.chats) == len(names)


def test_the_seed_output_comes_out_without_repeats(shared_seeds: Path, serve: Serve,
                                                   engine: Engine) -> None:
    seed = (shared_seeds / "000_0de3942d49ced44d.txt").read_text("utf-8")
    server = serve(completion(seed), completion(seed))
    condenser, _ = engine(server.url)
    draft = condenser.condense(article(), Budget("words", 1000))  # within budget: not cut
    lines = [line for line in seed.splitlines() if line.strip()]
    assert len(draft.paragraphs) == len(set(lines)) < len(lines)
    assert len(set(draft.paragraphs)) == len(draft.paragraphs)
    assert dedupe(draft.paragraphs) == draft.paragraphs
    cut = condenser.condense(article(), WORDS)  # 400 words for 60: whole sentences dropped
    assert 0 < words_in(cut.paragraphs) <= 60
    sentences = [s for p in draft.paragraphs for s in split_sentences(p)]
    kept = [s for p in cut.paragraphs for s in split_sentences(p)]
    assert kept == [s for s in sentences if s in kept]  # the draft's own sentences, in order


# --- the credit --------------------------------------------------------------------------------


@pytest.mark.parametrize(("ascii_quotes", "expect"), [
    (None, "Source: Harbour opens its “new” station https://news.example/?p=101 (2026-03-14)"),
    (True, 'Source: Harbour opens its "new" station https://news.example/?p=101 (2026-03-14)'),
])
def test_the_draft_carries_its_credit(ascii_quotes: bool | None, expect: str, serve: Serve) -> None:
    server = serve(completion(GOOD))
    source = article()
    curly = dataclasses.replace(source.entry, title="Harbour opens its “new” station")
    source = dataclasses.replace(source, entry=curly)
    source = dataclasses.replace(source, blocks=(Block("p", "It opened “today”."), *source.blocks))
    with httpx.Client() as client:
        condenser = LLMCondenser(Retrier(client), LLMOptions(url=server.url, model="test-model"),
                                 ascii_quotes=ascii_quotes)
        draft = condenser.condense(source, WORDS)
    assert draft.credit == expect
    assert not [p for p in verify(draft).problems if p.kind == "credit"]


def test_the_credit_speaks_the_article_s_language(serve: Serve, engine: Engine) -> None:
    server = serve(default=lead_of(1))
    condenser, _ = engine(server.url)
    source = article("mercado")
    draft = condenser.condense(source, Budget("sentences", 1))
    assert draft.credit.startswith("Fuente: " + source.entry.title)
    assert draft.credit == source.entry.credit("es")
    assert not [p for p in verify(draft).problems if p.kind == "credit"]


@pytest.mark.parametrize(("language", "says"), [
    ("vi", "Condense this Vietnamese news article"),
    ("zh", "Condense this Chinese news article"),
    ("und", "Condense this original-language news article"),
])
def test_the_prompt_names_any_article_s_language(language: str, says: str, serve: Serve,
                                                 engine: Engine) -> None:
    server = serve(default=lead_of(1))
    condenser, _ = engine(server.url)
    source = dataclasses.replace(article(), language=language)
    condenser.condense(source, Budget("sentences", 1))
    assert says in server.chats[0].user
