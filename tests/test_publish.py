"""``redraft publish`` against a real WordPress (tests/wordpress): one draft per verified draft
with categories, tags and the credit; nothing twice; a wrong password stops before posting;
a post made by a run killed before it could record it is found again, not duplicated."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner, Result

from redraft.cli.publish import publish
from redraft.cli.sync import sync
from redraft.config import HttpOptions
from redraft.http import Retrier
from redraft.sinks.wordpress import Credentials, WordPressPublisher, marker
from redraft.store import Store
from redraft.wp_rest import site_url
from tests.wordpress import SiteOptions, WordPressSite, start_wordpress

pytestmark = pytest.mark.wordpress

POSTS = 40


@pytest.fixture(scope="module")
def site() -> Iterator[WordPressSite]:
    with start_wordpress(SiteOptions(posts=POSTS, seed=3)) as running:
        yield running


@pytest.fixture
def synced(site: WordPressSite, tmp_path: Path) -> Path:
    db = tmp_path / "state.db"
    result = CliRunner().invoke(sync, [site.base_url, "--db", str(db)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return db


def run_publish(site: WordPressSite, db: Path, password: str | None = None) -> Result:
    env = {"REDRAFT_WP_USER": site.admin_user,
           "REDRAFT_WP_APP_PASSWORD": password or site.app_password}
    return CliRunner().invoke(publish, ["--to", site.base_url, "--db", str(db)], env=env,
                              catch_exceptions=False)


def ours(site: WordPressSite) -> list[dict[str, Any]]:
    """Every post on the site made by redraft (drafts included)."""
    found: list[dict[str, Any]] = []
    for page in range(1, 10):
        answer = httpx.get(site.rest("/wp/v2/posts", search="redraft rdk", status="draft,publish",
                                     context="edit", per_page=100, page=page),
                           auth=(site.admin_user, site.app_password))
        if answer.status_code == 400:
            break
        found += answer.json()
    return found


def delete_ours(site: WordPressSite) -> None:
    for post in ours(site):
        httpx.delete(site.rest(f"/wp/v2/posts/{post['id']}", force="true"),
                     auth=(site.admin_user, site.app_password))


def test_publish_makes_one_draft_per_verified_draft_and_none_twice(
    site: WordPressSite, synced: Path,
) -> None:
    delete_ours(site)
    first = run_publish(site, synced)
    assert first.exit_code == 0, first.output
    posts = ours(site)
    with sqlite3.connect(synced) as connection:
        passed = connection.execute("SELECT count(*) FROM drafts WHERE current = 1 AND passed = 1"
                                    ).fetchone()[0]
        recorded = dict(connection.execute("SELECT remote_id, key FROM publications").fetchall())
    assert len(posts) == passed == len(recorded) == POSTS
    assert {str(p["id"]) for p in posts} == set(recorded)
    categories = {c["id"]: c["name"] for c in httpx.get(site.rest("/wp/v2/categories",
                                                                  per_page=100)).json()}
    with Store.open(synced) as store:
        for post in posts:
            entry = store.entry(recorded[str(post["id"])])
            assert entry is not None
            assert post["status"] == "draft" and post["title"]["raw"] == entry.title
            assert sorted(categories[c] for c in post["categories"]) == sorted(
                entry.meta["category_names"])
            assert len(post["tags"]) == len(entry.meta.get("tag_names", []))
            assert f'<a href="{entry.url}">' in post["content"]["raw"]
            assert marker(entry.key) in post["content"]["raw"]
            assert post["excerpt"]["raw"]

    seen = len(site.requests())
    second = run_publish(site, synced)
    assert second.exit_code == 0, second.output
    assert len(ours(site)) == POSTS
    assert not [line for line in site.requests()[seen:] if line.startswith("POST")]


def test_a_wrong_password_fails_before_anything_is_posted(site: WordPressSite, synced: Path) -> None:
    seen = len(site.requests())
    result = run_publish(site, synced, password="abcd efgh ijkl mnop qrst uvwx")
    assert result.exit_code == 2  # a configuration error: nothing was attempted
    assert "refused the credentials" in result.output and "REDRAFT_WP_APP_PASSWORD" in result.output
    assert "abcd" not in result.output
    assert not [line for line in site.requests()[seen:] if line.startswith("POST")]
    with sqlite3.connect(synced) as connection:
        assert connection.execute("SELECT count(*) FROM publications").fetchone()[0] == 0


def test_a_post_left_by_a_killed_run_is_found_not_duplicated(site: WordPressSite, synced: Path) -> None:
    delete_ours(site)
    client = httpx.Client(timeout=10)
    publisher = WordPressPublisher(Retrier(client, HttpOptions()), site.rest_url,
                                   site=site_url(site.base_url),
                                   credentials=Credentials(site.admin_user, site.app_password))
    with Store.open(synced) as store:
        stored = next(store.drafts())
        orphan = publisher.publish(stored.verdict)  # posted, never recorded: the run died here
    result = run_publish(site, synced)
    assert result.exit_code == 0, result.output
    key = stored.verdict.draft.article.entry.key
    carrying = [p for p in ours(site) if marker(key) in p["content"]["raw"]]
    assert [str(p["id"]) for p in carrying] == [orphan.remote_id]
    assert len(ours(site)) == POSTS
