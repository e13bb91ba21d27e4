"""The LLM engine end to end against a real model (SmolLM2-135M under llama.cpp's server,
tests/real_llm.py): start-up check, rewrite, verify, revise, fall back, and what the store
records. A 135M model invents facts readily, so these tests assert the mechanism (requests
sent, limits kept, attempts recorded, every item accounted for), never the model's words.

Kept small for CI (2 cores): one server for the session, short articles, a 30-word budget
(so ``max_tokens`` stays near 110), and few requests in all."""

from __future__ import annotations

import dataclasses
import io
import json
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from redraft.condense.extractive import ExtractiveCondenser
from redraft.condense.llm import CUT_OFF, LLMCondenser, max_tokens_for
from redraft.config import HttpOptions, LLMOptions
from redraft.errors import EngineError
from redraft.http import Retrier
from redraft.pipeline import Engines, RunOptions, run
from redraft.records import Article, Block, Budget, Draft, Entry, Problem, Verdict
from redraft.sinks.files import FileSink
from redraft.store import Store
from redraft.text import split_sentences, words_in
from redraft.verify import verify
from tests.real_llm import RealModel, missing

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "llm"
ARTICLES: dict[str, dict[str, Any]] = json.loads((FIXTURES / "articles.json").read_text("utf-8"))
BUDGET = Budget("words", 30)
CEILING = 1024  # [llm] max_tokens as shipped: the budget's own limit is the smaller

pytestmark = pytest.mark.skipif(bool(missing()), reason=missing() or "installed")


@pytest.fixture(scope="session")
def real_model() -> Iterator[RealModel]:
    """One real server for the whole session, stopped at its end."""
    with RealModel.start() as model:
        yield model


class Recorder:
    """An HTTP client that keeps every chat request's body and every reply's JSON."""

    def __init__(self) -> None:
        self.sent: list[dict[str, Any]] = []
        self.replies: list[dict[str, Any]] = []
        self.client = httpx.Client(timeout=httpx.Timeout(600.0, pool=None),
                                   event_hooks={"request": [self._request],
                                                "response": [self._response]})

    def _request(self, request: httpx.Request) -> None:
        if request.url.path.endswith("/chat/completions"):
            self.sent.append(json.loads(request.content))

    def _response(self, response: httpx.Response) -> None:
        if response.request.url.path.endswith("/chat/completions"):
            response.read()
            self.replies.append(response.json())


@pytest.fixture
def recorder() -> Iterator[Recorder]:
    made = Recorder()
    yield made
    made.client.close()


def engine(model: RealModel, recorder: Recorder, **options: Any) -> LLMCondenser:
    settings: dict[str, Any] = {"timeout": 600.0, "max_tokens": CEILING} | options
    retrier = Retrier(recorder.client, HttpOptions(retries=1, backoff=0.01))
    return LLMCondenser(retrier, LLMOptions(url=model.url, model=model.name, **settings))


def entry(name: str) -> Entry:
    data = ARTICLES[name]
    return Entry(source="file:test", key=data["key"], url=data["url"], title=data["title"],
                 html="".join(f"<p>{p}</p>" for p in data["paragraphs"]),
                 published=datetime.fromisoformat(data["published"]))


def article(name: str) -> Article:
    data = ARTICLES[name]
    return Article(entry(name), tuple(Block("p", p) for p in data["paragraphs"]),
                   language=data["language"])


def test_a_real_model_is_checked_and_drafts_within_the_budget(real_model: RealModel,
                                                              recorder: Recorder) -> None:
    condenser = engine(real_model, recorder)
    condenser.check()  # llama.cpp lists the model under its alias
    draft = condenser.condense(article("harbour"), BUDGET)
    (sent,), (reply,) = recorder.sent, recorder.replies
    assert sent["max_tokens"] == max_tokens_for(30, CEILING) < CEILING
    assert sent["stop"] == list(condenser.prompt.stop)
    assert 0 < reply["usage"]["completion_tokens"] <= sent["max_tokens"]
    sentences = [s for p in draft.paragraphs for s in split_sentences(p)]
    # Cut to the budget, unless the lead alone is over (the verifier judges that).
    assert 0 < words_in(draft.paragraphs) <= 30 or len(sentences) == 1, draft.paragraphs
    assert (draft.engine, draft.prompt, draft.attempts) == (
        f"llm:{real_model.name}", condenser.prompt.label, 1)
    assert draft.usage.completion_tokens == reply["usage"]["completion_tokens"]
    assert draft.credit == article("harbour").entry.credit()
    assert all(p.strip() and "\n" not in p for p in draft.paragraphs)


def test_an_answer_cut_off_is_a_clean_draft_or_a_named_error(real_model: RealModel,
                                                             recorder: Recorder) -> None:
    condenser = engine(real_model, recorder, max_tokens=24)
    try:
        draft = condenser.condense(article("harbour"), Budget("words", 100))
    except EngineError as exc:
        assert exc.code == CUT_OFF, exc
    else:
        last = split_sentences(draft.paragraphs[-1])[-1]
        assert last.rstrip("\"'”’)]").endswith((".", "!", "?", "…")), last
        assert words_in(draft.paragraphs) <= 100
    (sent,), (reply,) = recorder.sent, recorder.replies
    assert sent["max_tokens"] == 24
    assert reply["choices"][0]["finish_reason"] == "length"


Verifier = Callable[[Draft], Verdict]


def failing_llm_drafts(always: set[str]) -> Verifier:
    """The real verifier, except that every first LLM draft fails (so each item is revised),
    and every LLM draft of the entries in ``always`` fails (so they fall back)."""

    def judge(draft: Draft) -> Verdict:
        verdict = verify(draft)
        key = draft.article.entry.key
        if draft.engine.startswith("llm:") and (draft.attempts == 1 or key in always):
            sentence = split_sentences(draft.paragraphs[0])[0]
            problem = Problem("unsupported", sentence, draft.article.paragraphs[0])
            return dataclasses.replace(verdict, passed=False,
                                       problems=(problem, *verdict.problems))
        return verdict

    return judge


def test_rewrite_verify_revise_and_fall_back_as_the_store_records(
        real_model: RealModel, recorder: Recorder, tmp_path: Path) -> None:
    condenser = engine(real_model, recorder)
    names = ["harbour", "mercado"]
    stream = io.StringIO()
    with Store.open(tmp_path / "redraft.db") as store:
        report = run([entry(name) for name in names],
                     engines=Engines(condenser, ExtractiveCondenser()), store=store,
                     sinks=[FileSink("json", stream=stream)],
                     options=RunOptions(budget=BUDGET),
                     verifier=failing_llm_drafts({entry("mercado").key}))
        attempts = {name: store.attempts(entry(name).key) for name in names}
    lines = {line["key"]: line for line in map(json.loads, stream.getvalue().splitlines())}
    assert report.done == len(names) and not report.failed
    assert report.repaired + report.fallbacks == len(names)
    # Each item: a first draft (failed), a revision asked with the problem named, then the
    # revision passes (repaired) or the extractive engine takes over (fallback). A first call
    # that is itself an engine error (no usable answer) falls back at once.
    revisions = [body for body in recorder.sent if len(body["messages"]) == 4]
    revised = 0
    for name in names:
        first, *rest = attempts[name]
        line = lines[entry(name).key]
        assert first["engine"] == f"llm:{real_model.name}"
        assert first["prompt"] == condenser.prompt.label
        if first["error"] is not None:
            (fallback,) = rest
            assert fallback["engine"].startswith("extractive (fallback: engine error: ")
            assert line["engine"] == fallback["engine"]
            continue
        revised += 1
        second, *rest = rest
        assert first["passed"] == 0 and first["completion_tokens"] > 0
        assert second["engine"] == first["engine"]
        assert second["error"] is not None or second["completion_tokens"] > 0
        if second["passed"]:
            assert not rest and line["engine"] == f"llm:{real_model.name}"
            assert line["verdict"]["passed"] and line["attempts"] == 2
        else:
            (fallback,) = rest
            assert fallback["engine"].startswith("extractive (fallback: ")
            assert line["engine"] == fallback["engine"] and line["attempts"] == 3
    assert revised >= 1 and len(revisions) == revised
    assert lines[entry("mercado").key]["engine"].startswith("extractive (fallback: ")
    for body in recorder.sent:
        assert body["max_tokens"] == max_tokens_for(30, CEILING)
    for revision in revisions:
        assert revision["messages"][2]["role"] == "assistant"
        assert "The article says:" in revision["messages"][-1]["content"]
