"""Worker processes (``--workers``): the same drafts, stored and written in the same order, as
one process; the pool only starts once a run is long enough."""

from __future__ import annotations

import json
import random
import sqlite3
import sys
import threading
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from typing import Any, cast

import pytest
from click.testing import CliRunner

from redraft.cli import main
from redraft.pipeline import Engines, Job, Outcome, Report, RunOptions, draft_entry, run
from redraft.pipeline import workers as workers_module
from redraft.pipeline.policy import Prepared
from redraft.pipeline.workers import POOL_AFTER, Extracted, Staged, staged
from redraft.records import Draft, Entry, Verdict
from redraft.sinks.files import FileSink
from redraft.sources.files import FileSource
from redraft.store import Store
from redraft.verify import verify

from .conftest import EXAMPLES


def varied_posts(count: int) -> list[dict[str, Any]]:
    """``count`` posts made from the bundled examples: paragraphs reordered and cut per post,
    and every ninth one too short to draft (a rejection in its place)."""
    examples = [json.loads(path.read_text(encoding="utf-8"))
                for path in sorted(EXAMPLES.glob("*.json"))]
    shuffler = random.Random(13)
    made = []
    for number in range(count):
        post = dict(examples[number % len(examples)])
        paragraphs = post["content"]["rendered"].split("</p>")
        head, tail = paragraphs[:-1], paragraphs[-1:]
        shuffler.shuffle(head)
        if number % 9 == 8:
            head = head[:1]
        post["id"] = 1000 + number
        post["link"] = f"https://workers.example/?p={1000 + number}"
        post["content"] = {"rendered": "</p>".join(head + tail), "protected": False}
        made.append(post)
    return made


def rewrite(tmp_path: Path, inputs: Path, workers: int,
            *more: str) -> tuple[str, list[tuple[Any, ...]]]:
    out, db = tmp_path / f"out{workers}", tmp_path / f"w{workers}.db"
    result = CliRunner().invoke(main, ["rewrite", str(inputs), "--format", "json", "--out",
                                       str(out), "--db", str(db), "--workers", str(workers),
                                       *more], catch_exceptions=False)
    assert result.exit_code in (0, 1), result.output
    with sqlite3.connect(db) as connection:
        rows = connection.execute(
            "SELECT key, paragraphs, score, passed, problems FROM drafts ORDER BY id").fetchall()
    return (out / "drafts.jsonl").read_text(encoding="utf-8"), rows


@pytest.mark.parametrize("per_entry", [True, False], ids=["per-entry", "stories"])
def test_two_workers_write_and_store_what_one_does(tmp_path: Path, per_entry: bool) -> None:
    posts = varied_posts(POOL_AFTER + 40)
    posts.insert(60, {"id": "not a post"})  # rejected by the source, in its place
    inputs = tmp_path / "posts.json"
    inputs.write_text(json.dumps(posts), encoding="utf-8")
    more = ("--per-entry",) if per_entry else ()

    one_out, one_rows = rewrite(tmp_path, inputs, 1, *more)
    two_out, two_rows = rewrite(tmp_path, inputs, 2, *more)

    lines = one_out.splitlines()
    assert two_out == one_out
    assert two_rows == one_rows
    if per_entry:
        assert len(lines) == len(posts)
        assert sum("verdict" in json.loads(line) for line in lines) > POOL_AFTER
        assert len(one_rows) == sum("verdict" in json.loads(line) for line in lines)
    else:  # most posts join a story; a story's draft is written again as its credit grows
        assert len(lines) >= len(posts)


def draft_all(chunk: list[Prepared | Extracted]) -> list[tuple[bool, None]]:
    """A ``place`` that drafts every entry."""
    return [(True, None) for _ in chunk]


def outcome_of(stage: Staged) -> Outcome:
    if isinstance(stage.first, Outcome):
        return stage.first
    assert stage.outcome is not None
    return stage.outcome


def test_stages_keep_input_order_and_pass_other_items_through() -> None:
    job = Job(Engines.with_fallback())
    entries = [Entry(source="test", key=f"k{number}", url=f"https://o.example/{number}",
                     title=f"Post {number}", html=post["content"]["rendered"])
               for number, post in enumerate(varied_posts(14))]
    items: list[Entry | str] = [*entries[:5], "marker", *entries[5:]]

    pooled = list(staged(items, job, workers=2, place=draft_all, pool_after=0))

    assert pooled[5] == "marker"
    drafted = [outcome_of(item) for item in pooled if isinstance(item, Staged)]
    assert [outcome.entry.key for outcome in drafted] == [entry.key for entry in entries]
    for outcome, entry in zip(drafted, entries, strict=True):
        here = draft_entry(entry, job)
        assert outcome.verdict == here.verdict
        assert str(outcome.error) == str(here.error)
    assert any(outcome.error is not None for outcome in drafted)
    assert any(outcome.verdict is not None for outcome in drafted)


def test_results_come_back_with_the_callers_own_entries() -> None:
    """A worker gets an entry without its raw copy and names it by its place in its results:
    what comes back holds the caller's entries themselves, raw included, everywhere."""
    job = Job(Engines.with_fallback())
    posts = varied_posts(6)
    entries = [Entry(source="test", key=f"k{number}", url=f"https://o.example/{number}",
                     title=f"Post {number}", html=post["content"]["rendered"],
                     raw=json.dumps(post)) for number, post in enumerate(posts)]

    pooled = [item for item in staged(entries, job, workers=2, place=draft_all, pool_after=0)
              if isinstance(item, Staged)]

    assert len(pooled) == len(entries)
    for stage, entry in zip(pooled, entries, strict=True):
        outcome = outcome_of(stage)
        assert outcome.entry is entry
        if isinstance(stage.first, Prepared | Extracted):
            assert stage.first.entry is entry
            prepared = stage.first if isinstance(stage.first, Prepared) else stage.first.prepared()
            assert prepared.article.entry is entry
            if outcome.verdict is not None:  # named by its place, read back from the worker's
                assert outcome.verdict.draft.article == prepared.article
        if outcome.verdict is not None:
            assert outcome.verdict.draft.article.entry is entry
            assert outcome.verdict.draft.article.entry.raw == json.dumps(posts[int(entry.key[1:])])
    assert any(outcome_of(stage).verdict is not None for stage in pooled)
    assert any(isinstance(stage.first, Extracted) for stage in pooled)  # through the workers


def test_a_task_whose_worker_failed_is_done_here_with_the_same_results(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker that dies (here: every task fails as if it had) has its tasks done again in
    this process, drafts included, whose articles it reads back from what extracting gave."""
    def failed(*_: Any, **__: Any) -> Future[bytes]:
        future: Future[bytes] = Future()
        future.set_exception(RuntimeError("the worker died"))
        return future

    monkeypatch.setattr(ProcessPoolExecutor, "submit", failed)
    job = Job(Engines.with_fallback(), stories=True)
    entries = [Entry(source="test", key=f"k{number}", url=f"https://o.example/{number}",
                     title=f"Post {number}", html=post["content"]["rendered"], raw="{}")
               for number, post in enumerate(varied_posts(20))]

    done = [item for item in staged(entries, job, workers=2, place=draft_all, pool_after=0)
            if isinstance(item, Staged)]

    assert [outcome_of(stage).entry for stage in done] == entries
    assert any(isinstance(stage.first, Extracted) for stage in done)
    for stage, entry in zip(done, entries, strict=True):
        outcome, here = outcome_of(stage), draft_entry(entry, job)
        assert outcome.verdict == here.verdict
        assert str(outcome.error) == str(here.error)
        if outcome.verdict is not None:
            assert outcome.verdict.draft.article.entry is entry  # raw and all
    assert sum(outcome_of(stage).verdict is not None for stage in done) > 10


def test_workers_are_never_forked_from_a_process_with_threads() -> None:
    """A fork copies a lock another thread holds, and the child could wait on it forever:
    while a second thread runs, workers start as fresh interpreters."""
    release = threading.Event()
    waiting = threading.Thread(target=release.wait)
    waiting.start()
    try:
        assert workers_module._context().get_start_method() == "spawn"
    finally:
        release.set()
        waiting.join()
    if sys.platform == "linux" and threading.active_count() == 1:
        assert workers_module._context().get_start_method() == "fork"


@pytest.mark.parametrize("workers", [1, 2])
def test_a_short_run_never_starts_a_pool(workers: int) -> None:
    job = Job(Engines.with_fallback())
    entry = Entry(source="test", key="k", url="https://o.example/k", title="T",
                  html=varied_posts(1)[0]["content"]["rendered"])
    done = list(staged(iter([entry]), job, workers=workers, place=draft_all))
    assert len(done) == 1
    assert isinstance(done[0], Staged)
    assert outcome_of(done[0]).verdict is not None


BUG = "[bug]"  # a title with this makes the verifier below raise, as a bug would


def verify_or_raise(draft: Draft) -> Verdict:
    """The verifier, raising an unexpected exception for a title marked :data:`BUG`."""
    if BUG in draft.article.entry.title:
        raise RuntimeError("a bug in the verifier")
    return verify(draft)


def story_posts() -> list[dict[str, Any]]:
    """Stories told by several outlets, their members close together in the input: the same
    text lightly reordered from another site (near-duplicates) and the same post by another
    route (the same link) or even the same item twice; the first entry of one story fails (a
    bug), so its next member drafts it."""
    posts: list[dict[str, Any]] = []
    for round_ in range(4):
        for number, post in enumerate(varied_posts(5)):
            outlet = f"https://outlet{round_}.example"
            ident = 1000 + 100 * round_ + number
            copy = dict(post, id=ident, link=f"{outlet}/?p={ident}",
                        guid={"rendered": f"{outlet}/?p={ident}"})
            copy.pop("_links", None)
            copy["title"] = {"rendered": post["title"]["rendered"]
                             + (f" {BUG}" if round_ == 0 and number == 1 else "")}
            posts.append(copy)
            if round_ == 1 and number == 2:  # the same post again, by another route
                posts.append(dict(copy, id=999, guid={"rendered": f"{outlet}/?p=999"}))
            if round_ in (0, 2) and number == 0:  # the same item twice in a row (same key)
                posts.append(copy)
    return posts


def run_stories(tmp_path: Path, posts: list[dict[str, Any]], workers: int,
                monkeypatch: pytest.MonkeyPatch) -> tuple[str, list[Any], Report]:
    monkeypatch.setattr(workers_module, "POOL_AFTER", 0)  # every entry through the pool
    inputs = tmp_path / "stories.json"
    inputs.write_text(json.dumps(posts), encoding="utf-8")
    out = tmp_path / f"out{workers}"
    sink = FileSink("json", directory=out)
    with Store.open(tmp_path / f"s{workers}.db") as store:
        report = run(FileSource([inputs]).entries(), engines=Engines.with_fallback(),
                     store=store, sinks=[sink], verifier=verify_or_raise,
                     options=RunOptions(workers=workers, stories=True))
    sink.close()
    with sqlite3.connect(tmp_path / f"s{workers}.db") as connection:
        rows = connection.execute(
            "SELECT d.key, d.paragraphs, d.credit, d.current FROM drafts d ORDER BY d.id"
        ).fetchall() + connection.execute(
            "SELECT key, reason, detail FROM rejections ORDER BY key").fetchall() + \
            connection.execute("SELECT key, stage, error FROM failures ORDER BY key").fetchall()
    return (out / "drafts.jsonl").read_text(encoding="utf-8"), rows, report


def test_stories_and_a_bug_come_out_the_same_from_two_workers(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    posts = story_posts()

    one_out, one_rows, one = run_stories(tmp_path, posts, 1, monkeypatch)
    two_out, two_rows, two = run_stories(tmp_path, posts, 2, monkeypatch)

    assert two_out.splitlines() == one_out.splitlines()
    assert two_rows == one_rows
    assert (two.done, two.joined, two.unchanged, two.failed) == (
        one.done, one.joined, one.unchanged, one.failed)
    assert one.unchanged == 1  # the item given twice (the other one given twice joined a story)
    # The bug failed its item alone; the story it opened was drafted from its next member.
    assert sum(one.failed.values()) == 1
    assert "RuntimeError" in " ".join(one.errors)
    assert one.joined >= 10
    records = [json.loads(line) for line in one_out.splitlines()]
    credits = [r["credit"] for r in records if "credit" in r]
    assert any(credit.startswith("Sources: ") and "outlet2.example" in credit
               for credit in credits)


def test_chunks_start_small_and_grow_so_that_a_short_run_reaches_every_worker() -> None:
    def sizes(count: int) -> list[int]:
        stages: workers_module._Stages[Any] = workers_module._Stages(
            cast(Any, None), cast(Any, None), draft_all, count)
        found = []
        for _ in range(4 * count):
            found.append(stages._size())
            stages.sent += 1
        return found

    assert sizes(2) == [4, 4, 8, 8, 16, 16, 16, 16]
    eight = sizes(8)
    assert eight[:8] == [4] * 8 and eight[8:16] == [8] * 8 and set(eight[16:]) == {workers_module.CHUNK}
