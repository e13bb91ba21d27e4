"""redraft.pipeline: the policy around the stages (skip, redo, revise, fall back, record), with a
real SQLite store and real extraction; the engines and the verifier are scripted here so each
branch of the policy is exercised on purpose."""

from __future__ import annotations

import dataclasses
import io
import json
import re
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from redraft.condense.extractive import ExtractiveCondenser
from redraft.config import HttpOptions, LLMOptions, Settings
from redraft.errors import (
    ConfigError,
    EngineAuthError,
    EngineError,
    Malformed,
    NotAnArticle,
)
from redraft.extract import extract
from redraft.pipeline import ITEM_NOTE, Engines, Report, RunOptions, run, sync
from redraft.pipeline.recipes import RULE_MODULES, rule_source, rules_digest
from redraft.records import Article, Budget, Draft, Entry, Problem, Usage, Verdict
from redraft.sinks.files import FileSink
from redraft.sources import Checkpoint, SourceItem
from redraft.sources.files import FileSource
from redraft.store import KEEP_REJECTED_CHARS, Store
from redraft.text import normalise
from redraft.verify import verify

from .conftest import EXAMPLES, ROOT

SENTENCES = [
    "The river authority opened the new flood gate at Millbrook on Monday morning.",
    "Engineers said the gate can hold back water two metres above the old record.",
    "The project cost 14 million pounds and took three years to finish.",
    "Residents who were flooded in 2019 watched the first test from the bank.",
    "The authority will test the gate again in the spring before the wet season.",
]


def entry(n: int, body: Sequence[str] = SENTENCES) -> Entry:
    html = "".join(f"<p>{s}</p>" for s in body)
    return Entry(source="file:test", key=f"k{n}", url=f"https://news.example/?p={n}",
                 title=f"Flood gate {n}", html=html,
                 published=datetime(2025, 3, n, tzinfo=UTC),
                 modified=datetime(2025, 3, n, tzinfo=UTC))


class Scripted:
    """A condenser that answers from a script; records its calls."""

    def __init__(self, name: str, script: Sequence[str | Exception],
                 revisions: Sequence[str | Exception] = ()):
        self.name = name
        self.script = list(script)
        self.revisions = list(revisions)
        self.calls: list[str] = []

    def _answer(self, article: Article, budget: Budget, answer: str | Exception) -> Draft:
        if isinstance(answer, Exception):
            raise answer
        return Draft(article, tuple(answer.split("\n")), self.name, budget,
                     prompt="test@1", usage=Usage(100, 20), credit=article.entry.credit())

    def condense(self, article: Article, budget: Budget) -> Draft:
        self.calls.append("condense")
        answer = self.script.pop(0) if self.script else article.paragraphs[0]
        return self._answer(article, budget, answer)


class Revising(Scripted):
    def revise(self, draft: Draft, problems: Sequence[Problem]) -> Draft:
        self.calls.append(f"revise:{problems[0].kind}")
        return self._answer(draft.article, draft.budget, self.revisions.pop(0))


def judge(draft: Draft) -> Verdict:
    """Fails any draft containing INVENTED; no credit → a credit problem."""
    problems = [Problem("unsupported", p, "") for p in draft.paragraphs if "INVENTED" in p]
    if not draft.credit:
        problems.append(Problem("credit", "", ""))
    return Verdict(draft, 0.2 if problems else 1.0, not problems, tuple(problems))


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "r.db") as opened:
        yield opened


def go(store: Store, items: Iterable[SourceItem], engines: Engines,
       **options: Any) -> tuple[Report, list[dict[str, Any]]]:
    stream = io.StringIO()
    report = run(items, engines=engines, store=store, sinks=[FileSink("json", stream=stream)],
                 options=RunOptions(**options), verifier=judge)
    return report, [json.loads(line) for line in stream.getvalue().splitlines()]


def test_drafts_are_credited_stored_and_written(store: Store) -> None:
    engine = Scripted("extractive", [])
    report, lines = go(store, [entry(1), entry(2)], Engines(engine))
    assert (report.done, report.passed, report.ok) == (2, 2, True)
    assert [line["key"] for line in lines] == ["k1", "k2"]
    assert lines[0]["credit"] == "Source: Flood gate 1 https://news.example/?p=1 (2025-03-01)"
    assert store.count_entries() == 2
    assert store.current_draft("k1") is not None


def test_second_run_redoes_nothing_but_writes_everything(store: Store) -> None:
    engine = Scripted("extractive", [])
    _, first = go(store, [entry(1), entry(2)], Engines(engine))
    report, second = go(store, [entry(1), entry(2)], Engines(engine))
    assert engine.calls == ["condense", "condense"]
    assert (report.done, report.unchanged) == (0, 2)
    assert second == first


def test_changed_content_and_forced_runs_are_redone(store: Store) -> None:
    engine = Scripted("extractive", [])
    go(store, [entry(1), entry(2)], Engines(engine))
    edited = dataclasses.replace(entry(2), html="<p>" + " ".join(SENTENCES[::-1]) + "</p>")
    report, _ = go(store, [entry(1), edited], Engines(engine))
    assert (report.done, report.unchanged) == (1, 1)
    report, _ = go(store, [entry(1)], Engines(engine), force=True)
    assert report.done == 1
    assert store.count_entries() == 2


def test_rejections_from_the_source_and_from_extraction_are_recorded(store: Store) -> None:
    bad = Malformed("line 3: invalid JSON", key="file:x:3", source="x.jsonl")
    short = entry(3, body=["Too short to condense."])
    report, lines = go(store, [bad, short, entry(1)], Engines(Scripted("extractive", [])))
    assert dict(report.rejected) == {"malformed": 1, "too-short": 1}
    assert report.ok is False
    assert [line.get("rejected") for line in lines] == ["malformed", "too-short", None]
    assert {r["reason"] for r in store.rejections()} == {"malformed", "too-short"}
    # unchanged rejected items are still rejected on the next run (same exit status)
    report, lines = go(store, [short], Engines(Scripted("extractive", [])))
    assert (report.unchanged, dict(report.rejected)) == (0, {"too-short": 1})
    assert lines[0]["rejected"] == "too-short" and report.ok is False


def test_a_failing_draft_is_revised_once(store: Store) -> None:
    llm = Revising("llm:m", [SENTENCES[0] + "\nINVENTED claim."], revisions=[SENTENCES[0]])
    report, (line,) = go(store, [entry(1)], Engines(llm, Scripted("extractive", []), "fallback"))
    assert llm.calls == ["condense", "revise:unsupported"]
    assert (line["engine"], line["attempts"], line["verdict"]["passed"]) == ("llm:m", 2, True)
    assert line["tokens"] == {"prompt": 200, "completion": 40}
    assert report.repaired == 1
    assert [a["passed"] for a in store.attempts("k1")] == [0, 1]


def test_a_draft_that_fails_twice_falls_back(store: Store) -> None:
    llm = Revising("llm:m", ["INVENTED one."], revisions=["INVENTED two."])
    fallback = Scripted("extractive", [])
    report, (line,) = go(store, [entry(1)], Engines(llm, fallback, "fallback"))
    assert line["engine"] == "extractive (fallback: verification failed (unsupported))"
    assert line["attempts"] == 3 and line["verdict"]["passed"] is True
    assert "INVENTED" not in line["text"]
    assert report.fallbacks == 1
    assert [a["engine"] for a in store.attempts("k1")] == ["llm:m", "llm:m", line["engine"]]


def test_keep_marks_the_failed_draft(store: Store) -> None:
    llm = Revising("llm:m", ["INVENTED one."], revisions=["INVENTED two."])
    report, (line,) = go(store, [entry(1)], Engines(llm, Scripted("extractive", []), "keep"))
    assert line["verdict"]["passed"] is False and line["text"] == "INVENTED two."
    assert report.failed_verification == 1 and not report.ok


def test_engine_errors_fall_back_or_fail_per_item(store: Store) -> None:
    llm = Revising("llm:m", [EngineError("server answered 500 five times")])
    _, (line,) = go(store, [entry(1)], Engines(llm, Scripted("extractive", [])))
    assert line["engine"].startswith("extractive (fallback: engine error: server answered 500")
    assert store.attempts("k1")[0]["error"] == "server answered 500 five times"
    alone = Revising("llm:m", [EngineError("timeout")])
    report, (line,) = go(store, [entry(2)], Engines(alone))
    assert line["failed"] == "EngineError" and dict(report.failed) == {"EngineError": 1}
    assert store.failures()[0]["key"] == "k2"
    coded = Revising("llm:m", [EngineError("the server answered 503", status=503,
                                           code="unavailable")])
    report, _ = go(store, [entry(3)], Engines(coded))
    assert dict(report.failed) == {"EngineError unavailable": 1}


def test_a_refused_key_stops_the_run(store: Store) -> None:
    llm = Revising("llm:m", [EngineAuthError("the server refused the API key (401)")])
    with pytest.raises(EngineAuthError):
        go(store, [entry(1), entry(2)], Engines(llm, Scripted("extractive", [])))


def test_concurrent_runs_keep_order_and_results(store: Store) -> None:
    items = [entry(n) for n in range(1, 21)]
    report, lines = go(store, items, Engines(Scripted("llm:m", [])), concurrency=4)
    assert [line["key"] for line in lines] == [f"k{n}" for n in range(1, 21)]
    assert report.done == 20 and store.count_entries() == 20


class Site:
    name = "wordpress:https://news.example"

    def __init__(self, complete: bool) -> None:
        self.complete = complete

    def entries(self) -> Iterator[SourceItem]:
        yield entry(1)

    def checkpoint(self) -> Checkpoint:
        return Checkpoint("https://news.example/wp-json/", "2025-03-01T00:00:00", self.complete)


@pytest.mark.parametrize(("complete", "mark"), [(True, "2025-03-01T00:00:00"), (False, None)])
def test_sync_advances_the_mark_only_when_complete(store: Store, complete: bool, mark: str | None) -> None:
    sync(Site(complete), engines=Engines(Scripted("extractive", [])), store=store, sinks=[],
         verifier=judge)
    state = store.site(Site.name)
    assert state is not None and state.high_water == mark
    assert state.api_root == "https://news.example/wp-json/"


# --- errors: each item's own, the run goes on ------------------------------------------------

def test_a_rejection_from_any_stage_is_recorded_and_the_run_goes_on(store: Store) -> None:
    engine = Scripted("extractive", [NotAnArticle("the engine found a listing, not a story")])
    report, lines = go(store, [entry(1), entry(2)], Engines(engine))
    assert dict(report.rejected) == {"not-an-article": 1} and report.done == 1
    assert [line.get("rejected") for line in lines] == ["not-an-article", None]
    (rejection,) = store.rejections()
    assert (rejection["key"], rejection["source"]) == ("k1", "file:test")


def test_an_unexpected_error_fails_only_its_item(store: Store) -> None:
    engine = Scripted("extractive", [ValueError("a bug in an engine")])
    report, lines = go(store, [entry(1), entry(2)], Engines(engine))
    assert dict(report.failed) == {"InternalError": 1} and report.done == 1
    assert lines[0]["failed"] == "InternalError"
    (failure,) = store.failures()
    assert failure["key"] == "k1" and "ValueError (a bug in an engine)" in failure["error"]


def test_an_error_escaping_the_run_names_the_item_in_hand(store: Store) -> None:
    def items() -> Iterator[SourceItem]:
        yield entry(1)
        raise RecursionError("maximum recursion depth exceeded")

    with pytest.raises(RecursionError) as caught:
        go(store, items(), Engines(Scripted("extractive", [])))
    assert caught.value.__notes__ == [ITEM_NOTE + "the item after k1"]
    assert store.current_draft("k1") is not None


def test_lone_surrogates_are_replaced_and_the_item_is_done(store: Store) -> None:
    broken = dataclasses.replace(entry(1), key="k\ud800", title="Flood \udfff gate",
                                 meta={"tag_names": ["\ud800"]})
    report, (line,) = go(store, [broken], Engines(Scripted("extractive", [])))
    assert report.done == 1 and line["key"] == "k\ufffd"
    assert line["credit"].startswith("Source: Flood \ufffd gate")
    report, _ = go(store, [broken], Engines(Scripted("extractive", [])))
    assert report.unchanged == 1


def test_a_rejected_items_body_is_not_kept_whole(store: Store) -> None:
    short = dataclasses.replace(entry(3, body=["Too short to condense."]),
                                raw="x" * (KEEP_REJECTED_CHARS * 4))
    report, _ = go(store, [short], Engines(Scripted("extractive", [])))
    assert dict(report.rejected) == {"too-short": 1}
    stored = store.entry("k3")
    assert stored is not None and len(stored.raw) == KEEP_REJECTED_CHARS
    assert stored.meta["truncated"]["raw"]["chars"] == KEEP_REJECTED_CHARS * 4
    report, _ = go(store, [short], Engines(Scripted("extractive", [])))
    assert dict(report.rejected) == {"too-short": 1} and report.unchanged == 0


# --- the recipe: what redoes an item ---------------------------------------------------------

class Prompted(Scripted):
    """An engine with a versioned prompt, as the LLM engine has."""

    def __init__(self, label: str) -> None:
        super().__init__("llm:m", [])
        self.prompt = Prompt(label)


@dataclasses.dataclass
class Prompt:
    label: str


@pytest.mark.parametrize("change", ["version", "prompt", "rules"])
def test_a_new_version_prompt_or_rules_redoes_every_item(
    store: Store, monkeypatch: pytest.MonkeyPatch, change: str
) -> None:
    go(store, [entry(1), entry(2)], Engines(Prompted("condense@1")))
    report, _ = go(store, [entry(1), entry(2)], Engines(Prompted("condense@1")))
    assert (report.done, report.unchanged) == (0, 2)
    engine = Prompted("condense@1")
    if change == "version":
        monkeypatch.setattr("redraft.pipeline.recipes.__version__", "99.0")
    elif change == "prompt":
        engine = Prompted("condense@2")
    else:
        monkeypatch.setattr("redraft.pipeline.recipes.rules_digest", lambda: "changed")
    report, _ = go(store, [entry(1), entry(2)], Engines(engine))
    assert (report.done, report.unchanged) == (2, 0)


def test_the_rules_digest_follows_each_rule_module(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    package = tmp_path / "rulespkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    for name in ("boilerplate", "verify_rules", "vocab"):
        (package / f"{name}.py").write_text(f"WORDS = ('{name}',)\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    modules = tuple((f"rulespkg.{name}",) for name in ("boilerplate", "verify_rules", "vocab"))
    digests = {rules_digest.__wrapped__(modules)}
    for name in ("boilerplate", "verify_rules", "vocab"):
        (package / f"{name}.py").write_text(f"WORDS = ('{name}', 'changed')\n")
        digests.add(rules_digest.__wrapped__(modules))
    assert len(digests) == 4
    assert rules_digest() == rules_digest() and len(rules_digest()) == 16
    for names in RULE_MODULES:  # each rules module of the package is found and read
        assert rule_source(names)[1]
    with pytest.raises(LookupError, match=r"rulespkg\.gone"):
        rules_digest.__wrapped__((("rulespkg.gone",),))


# --- the library's defaults (once the CLI's policy) ------------------------------------------

def test_the_library_falls_back_to_the_extractive_engine_and_runs_remote_engines_at_once() -> None:
    assert Engines.with_fallback().fallback is None
    assert Engines.with_fallback().condenser.name == "extractive"
    remote = Engines.with_fallback(Scripted("llm:m", []), on_fail="keep")
    assert remote.fallback is not None and remote.fallback.name == "extractive"
    assert remote.on_fail == "keep"
    settings = Settings(http=HttpOptions(concurrency=6))
    assert RunOptions.from_settings(settings).concurrency == 1
    llm = RunOptions.from_settings(dataclasses.replace(settings, engine="llm"), force=True)
    assert (llm.concurrency, llm.force) == (6, True)


def test_engines_from_settings() -> None:
    assert Engines.from_settings(Settings()).condenser.name == "extractive"
    llm = Settings(engine="llm", llm=LLMOptions(url="http://127.0.0.1:9/v1", model="m",
                                                on_fail="keep"))
    with pytest.raises(ConfigError, match="HTTP client"):
        Engines.from_settings(llm)
    with httpx.Client() as client:  # nothing is sent until the engine's check()
        with pytest.raises(ConfigError, match="--llm-url and --llm-model"):
            Engines.from_settings(dataclasses.replace(llm, llm=LLMOptions()), client)
        engines = Engines.from_settings(llm, client)
    assert engines.condenser.name == "llm:m" and engines.on_fail == "keep"
    assert engines.fallback is not None and engines.fallback.name == "extractive"


# --- the library path: the stages compose without the pipeline --------------------------------

def test_the_extractive_engine_credits_its_draft_so_the_stages_compose() -> None:
    (item,) = FileSource([str(EXAMPLES / "en-wendbury-flood-barrier.json")]).entries()
    assert isinstance(item, Entry)
    for condenser in (ExtractiveCondenser(), ExtractiveCondenser(ascii_quotes=True)):
        draft = condenser.condense(extract(item), Budget("ratio", 0.35))
        verdict = verify(draft)
        assert draft.credit == normalise(item.credit(), ascii_quotes=condenser.ascii_quotes)
        assert verdict.passed, verdict.problems


def test_the_readme_library_example_runs(monkeypatch: pytest.MonkeyPatch,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    (example,) = re.findall(r"^```python\n(.*?)^```", readme, re.M | re.S)
    monkeypatch.chdir(ROOT)
    exec(compile(example, "README.md", "exec"), {})
    assert capsys.readouterr().out.startswith("True Source: ")


def test_report_keeps_the_first_error_lines_and_counts_every_one() -> None:
    from redraft.pipeline.report import KEEP_ERRORS, Errors, Report

    errors = Errors()
    assert not errors and errors.total == 0
    assert Report() == Report()
    for n in range(KEEP_ERRORS + 5):
        errors.append(f"item {n}: rejected")
    assert errors and errors.total == KEEP_ERRORS + 5  # what "… and N more" counts
    assert list(errors) == [f"item {n}: rejected" for n in range(KEEP_ERRORS)]
    assert errors[0] == "item 0: rejected" and errors.kept[:2] == ["item 0: rejected", "item 1: rejected"]
