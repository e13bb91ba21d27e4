"""``redraft sync`` end to end against a real WordPress (tests/wordpress), asserting on the
state database and on the site's access log: first sync, a second one that fetches and redoes
nothing, edits redone exactly, plain permalinks, and a locked API read through its feed."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from redraft.cli.sync import sync
from redraft.wp.api import site_key
from tests.wordpress import SiteOptions, WordPressSite, start_wordpress

pytestmark = pytest.mark.wordpress


@pytest.fixture(scope="module")
def site() -> Iterator[WordPressSite]:
    with start_wordpress(SiteOptions(posts=250)) as running:
        yield running


@pytest.fixture
def plain(wordpress_plain_site: WordPressSite) -> WordPressSite:
    return wordpress_plain_site  # read, and locked for one test only: the session's shared site


def run_sync(url: str, db: Path, *args: str) -> Result:
    return CliRunner().invoke(sync, [url, "--db", str(db), *args], catch_exceptions=False)


def query(db: Path, sql: str, *params: object) -> list[tuple[object, ...]]:
    with sqlite3.connect(db) as connection:
        return connection.execute(sql, params).fetchall()


def post_requests(site: WordPressSite, since: int) -> list[str]:
    return [line for line in site.requests()[since:] if "/wp/v2/posts" in line]


def test_first_sync_drafts_all_second_fetches_nothing_edits_are_redone(
    site: WordPressSite, tmp_path: Path,
) -> None:
    db = tmp_path / "state.db"
    first = run_sync(site.base_url, db)
    assert first.exit_code == 0, first.output
    assert query(db, "SELECT count(*) FROM entries WHERE source = ?", site_key(site.base_url)) == [(250,)]
    assert query(db, "SELECT count(*), sum(passed) FROM drafts WHERE current = 1") == [(250, 250)]
    (last_draft,) = query(db, "SELECT max(id) FROM drafts")[0]

    seen = len(site.requests())
    second = run_sync(site.base_url, db)
    assert second.exit_code == 0, second.output
    requests = site.requests()[seen:]
    assert len(requests) == 1 and "modified_after=" in requests[0]  # no discovery, no page
    assert query(db, "SELECT max(id) FROM drafts") == [(last_draft,)]

    edited = site.post_ids[100:103]
    site.edit_posts(edited)
    third = run_sync(site.base_url, db)
    assert third.exit_code == 0, third.output
    redone = query(db, "SELECT key FROM drafts WHERE id > ? ORDER BY key", last_draft)
    assert redone == sorted((f"{site.base_url}#{n}",) for n in edited)
    assert query(db, "SELECT count(*) FROM drafts WHERE current = 1") == [(250,)]
    assert "Update: this report was corrected" in str(
        query(db, "SELECT html FROM entries WHERE key = ?", f"{site.base_url}#{edited[0]}"))


def test_plain_permalinks_sync_the_same_posts_through_rest_route(
    plain: WordPressSite, tmp_path: Path,
) -> None:
    seen = len(plain.requests())
    result = run_sync(plain.base_url, tmp_path / "plain.db", "--out", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    keys = query(tmp_path / "plain.db", "SELECT key FROM entries ORDER BY key")
    assert keys == sorted((f"{plain.base_url}#{n}",) for n in plain.post_ids)
    listing = post_requests(plain, seen)
    assert listing and all(line.startswith("GET /index.php?rest_route=/wp/v2/posts&")
                           for line in listing)
    assert len(list((tmp_path / "out").glob("*.txt"))) == 250


def test_a_locked_api_is_read_through_the_feed_under_the_same_keys(
    plain: WordPressSite, tmp_path: Path,
) -> None:
    db = tmp_path / "locked.db"
    plain.lock_rest("rest_not_logged_in")
    try:
        result = run_sync(plain.base_url, db)
    finally:
        plain.lock_rest(None)
    assert result.exit_code == 0, result.output
    assert "RSS feed" in result.output
    keys = query(db, "SELECT key FROM entries ORDER BY key")
    assert keys == sorted((f"{plain.base_url}#{n}",) for n in plain.post_ids)
    assert query(db, "SELECT count(*) FROM entries WHERE json_extract(meta, '$.via') = 'feed'") \
        == [(250,)]
    assert query(db, "SELECT count(*) FROM drafts WHERE current = 1") == [(250,)]
    assert query(db, "SELECT high_water FROM sites") == [(None,)]
