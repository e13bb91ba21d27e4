"""Worker processes (``--workers``): the same drafts, stored and written in the same order, as
one process; the pool only starts once a run is long enough."""

from __future__ import annotations

import json
import random
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from redraft.cli import main
from redraft.pipeline import Engines, Job, Outcome, draft_entry
from redraft.pipeline.workers import POOL_AFTER, outcomes
from redraft.records import Entry

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


def test_outcomes_keep_input_order_and_pass_other_items_through() -> None:
    job = Job(Engines.with_fallback())
    entries = [Entry(source="test", key=f"k{number}", url=f"https://o.example/{number}",
                     title=f"Post {number}", html=post["content"]["rendered"])
               for number, post in enumerate(varied_posts(14))]
    items: list[Entry | str] = [*entries[:5], "marker", *entries[5:]]

    pooled = list(outcomes(items, job, workers=2, pool_after=0))

    assert pooled[5] == "marker"
    drafted = [item for item in pooled if isinstance(item, Outcome)]
    assert [outcome.entry.key for outcome in drafted] == [entry.key for entry in entries]
    for outcome, entry in zip(drafted, entries, strict=True):
        here = draft_entry(entry, job)
        assert outcome.verdict == here.verdict
        assert str(outcome.error) == str(here.error)
    assert any(outcome.error is not None for outcome in drafted)
    assert any(outcome.verdict is not None for outcome in drafted)


@pytest.mark.parametrize("workers", [1, 2])
def test_a_short_run_never_starts_a_pool(workers: int) -> None:
    job = Job(Engines.with_fallback())
    entry = Entry(source="test", key="k", url="https://o.example/k", title="T",
                  html=varied_posts(1)[0]["content"]["rendered"])
    done = list(outcomes(iter([entry]), job, workers=workers))
    assert len(done) == 1
    assert isinstance(done[0], Outcome)
