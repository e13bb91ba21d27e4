"""The watch list's per-source options and ``--every``'s clean stop on a WordPress site read
through its REST API (the real fixture, tests/wordpress), as they already apply to feeds."""

from __future__ import annotations

import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner

from redraft.cli import main
from tests.wordpress import WordPressSite

pytestmark = pytest.mark.wordpress

ROOT = Path(__file__).resolve().parents[1]
DEADLINE = 180.0  # seconds a sync may take before the test gives up on it
POOLED = 60  # entries stored once the worker pool is busy (workers.POOL_AFTER is 48)


def cli(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def query(db: Path, sql: str, *params: object) -> list[tuple[Any, ...]]:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as connection:
        return connection.execute(sql, params).fetchall()


def site_posts(site: WordPressSite) -> list[dict[str, Any]]:
    """Every post with its category names, as the site itself lists them."""
    posts: list[dict[str, Any]] = []
    for page in (1, 2, 3):
        response = httpx.get(site.rest("/wp/v2/posts", per_page=100, page=page,
                                       _embed="wp:term"), timeout=30)
        posts += response.json()
    return posts


def categories(post: dict[str, Any]) -> set[str]:
    return {term["name"] for group in post["_embedded"]["wp:term"] for term in group
            if term["taxonomy"] == "category"}


def test_watch_list_options_apply_to_a_wordpress_site(wordpress_site: WordPressSite,
                                                      tmp_path: Path) -> None:
    site = wordpress_site  # only read: the session's shared site
    db = str(tmp_path / "s.db")
    posts = site_posts(site)
    # The words name categories and no title or excerpt: the categories decide alone.
    mention = re.compile(r"\b(?:science|opinion)\b", re.IGNORECASE)
    assert not any(mention.search(p["title"]["rendered"] + p["excerpt"]["rendered"])
                   for p in posts)
    wanted = {p["id"] for p in posts if "Science" in categories(p)
              and "Opinion" not in categories(p)}
    assert 0 < len(wanted) < len({p["id"] for p in posts if "Science" in categories(p)})
    cli("sources", "add", site.base_url, "--include", "science", "--exclude", "Opinion",
        "--category", "Blogs/Harbour", "--budget", "words=45", "--language", "en", "--db", db)

    result = CliRunner().invoke(main, ["sync", "--db", db])
    assert result.exit_code == 0, result.output

    rows = query(Path(db), "SELECT e.key, e.meta, d.recipe FROM entries e "
                           "JOIN drafts d ON d.key = e.key AND d.current = 1")
    assert {int(key.rsplit("#", 1)[1]) for key, _, _ in rows} == wanted
    assert len(rows) == len(wanted)
    assert {json.loads(meta)["watch_category"] for _, meta, _ in rows} == {"Blogs/Harbour"}
    for _, _, recipe in rows:
        assert "words=45" in recipe and "language=en" in recipe, recipe
    # The sync was complete: the next one asks only for what changed since.
    assert query(Path(db), "SELECT high_water IS NOT NULL FROM sites") == [(1,)]


def stored(db: Path) -> int:
    try:
        return int(query(db, "SELECT count(*) FROM entries")[0][0])
    except sqlite3.OperationalError:  # not created yet, or being migrated
        return 0


def sync_until_stopped(site: WordPressSite, db: Path, *, workers: int, after: int, signum: int,
                       group: bool = False) -> tuple[int, str]:
    """Run ``redraft sync URL --every 1h`` in a process of its own and send it ``signum`` once
    ``after`` entries are stored (to its whole process group with ``group``, as a terminal's
    Ctrl-C does); its exit code and output."""
    process = subprocess.Popen(
        [sys.executable, "-m", "redraft", "sync", site.base_url, "--every", "1h",
         "--workers", str(workers), "--db", str(db)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"}, start_new_session=group)

    def send(signal_number: int) -> None:
        if group:
            os.killpg(process.pid, signal_number)
        else:
            process.send_signal(signal_number)

    try:
        deadline = time.monotonic() + DEADLINE
        while stored(db) < after:
            assert process.poll() is None, process.communicate()[0]
            assert time.monotonic() < deadline, f"the sync stored fewer than {after} entries"
            time.sleep(0.02)
        send(signum)
        output, _ = process.communicate(timeout=DEADLINE)
    finally:
        if process.poll() is None:
            send(signal.SIGKILL)
            process.wait()
    return process.returncode, output


def test_every_stops_a_wordpress_sync_cleanly_on_sigterm(wordpress_site: WordPressSite,
                                                         tmp_path: Path) -> None:
    site = wordpress_site
    db = tmp_path / "s.db"
    code, output = sync_until_stopped(site, db, workers=1, after=3, signum=signal.SIGTERM)
    assert code == 0, output
    assert "SIGTERM" in output and "incomplete sync" in output, output
    kept = query(db, "SELECT e.key, count(d.id) FROM entries e LEFT JOIN drafts d "
                     "ON d.key = e.key AND d.current = 1 GROUP BY e.key")
    assert 3 <= len(kept) < len(site.post_ids)  # it stopped mid-run...
    assert all(drafts == 1 for _, drafts in kept)  # ...and what it took was finished
    assert query(db, "SELECT count(*) FROM failures") == [(0,)]
    assert query(db, "SELECT high_water FROM sites") == [(None,)]  # nothing marked as read
    drafted = dict(query(db, "SELECT key, id FROM drafts WHERE current = 1"))

    rest = CliRunner().invoke(main, ["sync", site.base_url, "--db", str(db)])
    assert rest.exit_code == 0, rest.output
    keys = [key for (key,) in query(db, "SELECT key FROM entries")]
    assert sorted(keys) == sorted(f"{site.base_url}#{n}" for n in site.post_ids)
    current = query(db, "SELECT key, count(*) FROM drafts WHERE current = 1 GROUP BY key")
    assert len(current) == len(site.post_ids) and all(n == 1 for _, n in current)
    # What the stopped run drafted stands: the next run did not redo it.
    now = dict(query(db, "SELECT key, id FROM drafts WHERE current = 1"))
    assert {key: now[key] for key in drafted} == drafted


def test_ctrl_c_stops_a_sync_with_workers_cleanly(wordpress_site: WordPressSite,
                                                  tmp_path: Path) -> None:
    """Ctrl-C in a terminal sends SIGINT to the whole process group, worker processes too."""
    site = wordpress_site
    db = tmp_path / "s.db"
    # The first items are drafted in the process itself: stop it once the pool is busy.
    code, output = sync_until_stopped(site, db, workers=2, after=POOLED, signum=signal.SIGINT,
                                      group=True)
    assert code == 0, output
    assert "Traceback" not in output, output
    kept = query(db, "SELECT e.key, count(d.id) FROM entries e LEFT JOIN drafts d "
                     "ON d.key = e.key AND d.current = 1 GROUP BY e.key")
    assert len(kept) < len(site.post_ids) and all(drafts == 1 for _, drafts in kept)
