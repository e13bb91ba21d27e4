"""The LLM engine end to end: a real OpenAI-compatible server on 127.0.0.1 (scripted), the
pipeline's repair-or-fall-back policy, real extraction and verification, a real SQLite store
and the JSON output. Each case asserts the final draft and what was recorded."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from redraft.condense.extractive import ExtractiveCondenser
from redraft.condense.llm import LLMCondenser, dedupe
from redraft.config import HttpOptions, LLMOptions
from redraft.errors import EngineAuthError
from redraft.http import Retrier
from redraft.pipeline import Engines, Report, RunOptions, run
from redraft.records import Budget, Entry
from redraft.sinks.files import FileSink
from redraft.sources.files import FileSource
from redraft.store import Store
from tests.llm_server import LLMServer, completion, from_spec, lead_of

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "llm"
ARTICLES: dict[str, dict[str, Any]] = json.loads((FIXTURES / "articles.json").read_text("utf-8"))
PIPELINE = json.loads((FIXTURES / "pipeline_cases.json").read_text("utf-8"))
ANSWERS: dict[str, str] = PIPELINE["answers"]
CASES: list[dict[str, Any]] = PIPELINE["cases"]
BUDGET = Budget("words", 60)  # GOOD and INVENTED fit: the verifier, not the cut, judges


def entry(name: str = "harbour", n: int = 1) -> Entry:
    data = ARTICLES[name]
    return Entry(source="file:test", key=f"{data['key']}#{n}", url=data["url"],
                 title=data["title"], html="".join(f"<p>{p}</p>" for p in data["paragraphs"]),
                 published=datetime.fromisoformat(data["published"]))


def expand(text: str) -> str:
    """Replace answer names (GOOD, INVENTED, INVENTED_AGAIN) by their text."""
    return "\n".join(ANSWERS.get(line, line) for line in text.split("\n"))


class Rig:
    """A server, an engine on a real client, a store and a JSON sink, torn down together."""

    def __init__(self, tmp: Path, server: LLMServer, *, on_fail: str = "fallback",
                 timeout: float = 5.0, api_key: str = "") -> None:
        self.server = server.start()
        self.sleeps: list[float] = []
        self.client = httpx.Client(timeout=5.0)
        http = HttpOptions(retries=2, backoff=0.01, concurrency=8)
        options = LLMOptions(url=server.url, model="test-model", timeout=timeout,
                             api_key=api_key, on_fail=on_fail)  # type: ignore[arg-type]
        self.engine = LLMCondenser(Retrier(self.client, http, sleep=self.sleeps.append), options)
        self.engines = Engines(self.engine, fallback=ExtractiveCondenser(), on_fail=options.on_fail)
        self.store = Store.open(tmp / "redraft.db")

    def run(self, items: Sequence[Any], *, concurrency: int = 1,
            budget: Budget = BUDGET) -> tuple[Report, list[dict[str, Any]]]:
        stream = io.StringIO()
        report = run(items, engines=self.engines, store=self.store,
                     sinks=[FileSink("json", stream=stream)],
                     options=RunOptions(budget=budget, concurrency=concurrency))
        return report, [json.loads(line) for line in stream.getvalue().splitlines()]

    def close(self) -> None:
        self.store.close()
        self.client.close()
        self.server.stop()


@pytest.fixture
def rigs(tmp_path: Path) -> Iterator[list[Rig]]:
    made: list[Rig] = []
    yield made
    for rig in made:
        rig.close()


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_every_scripted_reply_ends_in_a_good_fallback_or_recorded_draft(
        case: dict[str, Any], rigs: list[Rig], tmp_path: Path) -> None:
    script = [from_spec({**s, "answer": expand(s["answer"])} if "answer" in s else s)
              for s in case["script"]]
    server = LLMServer(script, models=tuple(case.get("models", ["test-model"])))
    rig = Rig(tmp_path, server, on_fail=case.get("on_fail", "fallback"),
              timeout=case.get("timeout", 5.0))
    rigs.append(rig)
    budget = Budget("words", case["budget"]) if "budget" in case else BUDGET
    report, (line,) = rig.run([entry()], budget=budget)
    expect = case["expect"]
    if line["engine"].startswith("llm:"):  # (the extractive engine's budget is its own)
        assert sum(len(p.split()) for p in line["paragraphs"]) <= budget.value
    assert re.search(expect["engine"], line["engine"]), line["engine"]
    assert (line["attempts"], line["verdict"]["passed"]) == (expect["attempts"], expect["passed"])
    assert line["credit"].startswith("Source: Harbour town opens its new lifeboat station "
                                     "https://news.example/?p=101")
    assert dedupe(line["paragraphs"]) == tuple(line["paragraphs"])
    if "paragraphs" in expect:
        assert len(line["paragraphs"]) == expect["paragraphs"]
    if "tokens" in expect:
        assert [line["tokens"]["prompt"], line["tokens"]["completion"]] == expect["tokens"]
    if "sleeps" in expect:
        assert rig.sleeps == expect["sleeps"]
    if "revise_names" in expect:
        assert f'"{ANSWERS[expect["revise_names"]]}"' in rig.server.chats[1].messages[-1]["content"]
    stored = rig.store.attempts(line["key"])
    assert len(stored) == len(expect["stored"]) == line["attempts"]
    for got, (engine, passed, error) in zip(stored, expect["stored"], strict=True):
        assert re.search(engine, got["engine"]) and got["passed"] == passed, got
        assert (got["error"] is None) if error is None else (error in got["error"]), got
        if got["engine"].startswith("llm:") and got["error"] is None:
            assert got["prompt"] == rig.engine.prompt.label
    counts = {k: getattr(report, k) for k in ("passed", "repaired", "fallbacks",
                                              "failed_verification")}
    assert counts == {"passed": 0, "repaired": 0, "fallbacks": 0, "failed_verification": 0} \
        | expect["report"]


def test_a_refused_key_stops_the_run(rigs: list[Rig], tmp_path: Path) -> None:
    rig = Rig(tmp_path, LLMServer(api_key="sk-right"), api_key="sk-wrong")
    rigs.append(rig)
    with pytest.raises(EngineAuthError, match="REDRAFT_LLM_API_KEY"):
        rig.run([entry(n=1), entry(n=2)])
    assert rig.store.current_draft(entry(n=1).key) is None
    assert len(rig.server.requests) == 1


def test_a_mixed_run_is_counted_in_the_summary(rigs: list[Rig], tmp_path: Path) -> None:
    good, invented = expand("GOOD"), expand("GOOD\nINVENTED")
    script = [completion(good), completion(invented), completion(good),
              completion(invented), completion(expand("GOOD\nINVENTED_AGAIN")),
              from_spec({"malformed": True})]
    rig = Rig(tmp_path, LLMServer(script))
    rigs.append(rig)
    report, lines = rig.run([entry(n=n) for n in range(1, 5)])
    assert [line["attempts"] for line in lines] == [1, 2, 3, 2]
    assert (report.done, report.passed, report.repaired, report.fallbacks) == (4, 4, 1, 2)
    assert report.ok and report.usage.prompt_tokens == 100 * 5


def test_concurrent_items_all_come_back(rigs: list[Rig], tmp_path: Path) -> None:
    rig = Rig(tmp_path, LLMServer(default=lead_of(2)))
    rigs.append(rig)
    items = [entry(name, n) for n in range(6) for name in ("harbour", "mercado")]
    report, lines = rig.run(items, concurrency=4)
    assert (report.done, report.passed, report.fallbacks) == (12, 12, 0)
    assert {line["engine"] for line in lines} == {"llm:test-model"}
    assert len(rig.server.chats) == 12


def test_the_seed_output_is_repaired_or_replaced(shared_seeds: Path, rigs: list[Rig],
                                                  tmp_path: Path) -> None:
    """A server answering the seed post with the seed output, every time."""
    seed = (shared_seeds / "000_0de3942d49ced44d.txt").read_text("utf-8")
    rig = Rig(tmp_path, LLMServer(default=completion(seed)))
    rigs.append(rig)
    items = list(FileSource([shared_seeds / "001_a6e7064a90790140.txt"],
                            input_format="wp-json").entries())
    stream = io.StringIO()
    run(items, engines=rig.engines, store=rig.store, sinks=[FileSink("json", stream=stream)],
        options=RunOptions(budget=Budget("ratio", 0.35)))
    (line,) = [json.loads(text) for text in stream.getvalue().splitlines()]
    assert line["verdict"]["passed"] and line["verdict"]["problems"] == []
    assert len(set(line["paragraphs"])) == len(line["paragraphs"])
    assert line["url"] and line["url"] in line["credit"]
    first, *_ = rig.store.attempts(line["key"])
    assert first["passed"] == 0 and {p["kind"] for p in first["problems"]} >= {"unsupported"}
    assert not {p["kind"] for p in first["problems"]} & {"repeated"}  # cleaned before judging
    follow_up = rig.server.chats[1].messages[-1]["content"]
    for problem in first["problems"]:
        if problem["sentence"]:
            assert problem["sentence"] in follow_up
    if line["attempts"] == 3:
        assert line["engine"].startswith("extractive (fallback: verification failed")
