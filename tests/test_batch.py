"""``redraft batch`` on a real local Ray (two CPUs, one cluster for every test here): one row
per input, the drafts of ``rewrite``, Parquet in and out, and a rerun that redoes only the
shards a killed run left unfinished."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from redraft.cli import main
from redraft.pipeline import Engines, Job
from redraft.pipeline.batch import DONE, BatchOptions, run_batch, shard_path
from redraft.pipeline.cluster import batch_inputs, ray_executor

from .test_workers import varied_posts

ray = pytest.importorskip("ray")
pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

SHARD = 7  # small shards, so a few dozen posts make several


@pytest.fixture(scope="session")
def local_ray() -> Iterator[None]:
    """One local Ray for the session: 2 CPUs, no dashboard, loopback only."""
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False,
             _node_ip_address="127.0.0.1")
    yield
    ray.shutdown()


def invoke(*args: str | Path | int) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture
def inputs(tmp_path: Path) -> Path:
    """A folder of posts: single-object files, a JSON Lines file, and an item that is no post."""
    folder = tmp_path / "posts"
    folder.mkdir()
    posts = varied_posts(30)
    for post in posts[:12]:
        (folder / f"post-{post['id']}.json").write_text(json.dumps(post), encoding="utf-8")
    lines = [json.dumps(post) for post in posts[12:]]
    lines.insert(5, json.dumps({"id": "not a post"}))
    (folder / "more.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def rows_of(out: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for path in sorted(out.glob("shard-*.jsonl"))
            for line in path.read_text(encoding="utf-8").splitlines()]


def test_one_row_per_input_with_the_drafts_of_rewrite(local_ray: None, inputs: Path,
                                                     tmp_path: Path) -> None:
    result = invoke("batch", inputs, "--out", tmp_path / "batch", "--shard-size", SHARD)
    assert result.exit_code == 1, result.output  # one item is no post: a rejection row
    invoke("rewrite", inputs, "--format", "json", "--out", tmp_path / "rewrite",
           "--db", tmp_path / "r.db", "--workers", "1", "--per-entry")  # batch: one draft a post

    rows = rows_of(tmp_path / "batch")
    expected = [json.loads(line) for line in
                (tmp_path / "rewrite" / "drafts.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 31  # 30 posts and the item that is no post
    assert rows == expected
    assert sum("verdict" in row for row in rows) > 20
    assert [row for row in rows if "rejected" in row and row["rejected"] == "malformed"]
    assert len(list((tmp_path / "batch").glob("shard-*.jsonl"))) == 5
    assert "5 shards, 5 written, 0 already done" in result.output


def test_a_rerun_redoes_only_the_shards_left_unfinished(local_ray: None, inputs: Path,
                                                       tmp_path: Path) -> None:
    options = BatchOptions(out=tmp_path / "batch", shard_size=SHARD, recipe="test")
    job = Job(Engines.with_fallback())
    first = run_batch(batch_inputs([inputs]), job, options, execute=ray_executor(None))
    assert first.written == [0, 1, 2, 3, 4]
    complete = rows_of(options.out)
    # A kill while shard 1 was being written, and another before shard 3 was marked done.
    shard_path(options, 1).unlink()
    (options.out / DONE / "00001").unlink()
    (options.out / ".shard-00001.jsonl.tmp").write_text('{"key": "half a li', encoding="utf-8")
    (options.out / DONE / "00003").unlink()
    untouched = {n: shard_path(options, n).stat().st_mtime_ns for n in (0, 2, 4)}

    again = run_batch(batch_inputs([inputs]), job, options, execute=ray_executor(None))

    assert again.written == [1, 3]
    assert sorted(again.skipped) == [0, 2, 4]
    assert again.rows == 2 * SHARD
    assert rows_of(options.out) == complete
    assert {n: shard_path(options, n).stat().st_mtime_ns for n in (0, 2, 4)} == untouched
    assert not list(options.out.glob(".*.tmp"))


def test_parquet_in_and_out(local_ray: None, tmp_path: Path) -> None:
    posts = varied_posts(16)
    table = pa.Table.from_pylist([{"id": p["id"], "link": p["link"], "title": p["title"],
                                   "content": p["content"]} for p in posts])
    pq.write_table(table, tmp_path / "posts.parquet")
    (tmp_path / "posts.jsonl").write_text("".join(json.dumps(p) + "\n" for p in posts),
                                          encoding="utf-8")

    invoke("batch", tmp_path / "posts.parquet", "--out", tmp_path / "pq", "--format", "parquet",
           "--shard-size", SHARD)
    invoke("batch", tmp_path / "posts.jsonl", "--out", tmp_path / "js", "--shard-size", SHARD)

    rows = [row for path in sorted((tmp_path / "pq").glob("shard-*.parquet"))
            for row in pq.read_table(path).to_pylist()]
    from_json = rows_of(tmp_path / "js")
    assert len(rows) == len(posts) == len(from_json)
    for row, other in zip(rows, from_json, strict=True):
        assert row["paragraphs"] == other.get("paragraphs")
        assert row["rejected"] == other.get("rejected")
        assert (row["verdict"] or {}).get("passed") == other.get("verdict", {}).get("passed")
    assert sum(row["verdict"] is not None for row in rows) > 10


def test_a_folder_of_another_batch_is_refused(local_ray: None, inputs: Path,
                                              tmp_path: Path) -> None:
    out = tmp_path / "batch"
    invoke("batch", inputs, "--out", out, "--shard-size", SHARD)
    result = invoke("batch", inputs, "--out", out, "--shard-size", "5")
    assert result.exit_code == 2
    assert "other settings (shard_size 7 -> 5)" in result.output
    assert "Traceback" not in result.output
