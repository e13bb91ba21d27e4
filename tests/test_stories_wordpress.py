"""Stories against the real WordPress fixture (tests/wordpress): a post synced through the REST
API and again through the site's feed is one entry; a syndicated copy of a real post, served as
another site's REST object with a line edited, joins the original's story."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from redraft.cli import main
from tests.wordpress import WordPressSite

pytestmark = pytest.mark.wordpress

SYNCED = 6  # the newest posts: enough for several stories, few enough to draft quickly


def query(db: Path, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(db) as connection:
        return connection.execute(sql).fetchall()


def test_a_post_synced_by_rest_and_by_its_feed_is_one_entry(
    wordpress_site: WordPressSite, tmp_path: Path,
) -> None:
    db = tmp_path / "state.db"
    by_rest = CliRunner().invoke(main, ["sync", wordpress_site.base_url, "--db", str(db),
                                        "--limit", str(SYNCED)])
    assert by_rest.exit_code == 0, by_rest.output
    held = query(db, "SELECT key FROM entries ORDER BY key")
    assert len(held) == SYNCED
    by_feed = CliRunner().invoke(main, ["sync", f"{wordpress_site.base_url}/feed/", "--db",
                                        str(db), "--limit", str(SYNCED)])
    assert by_feed.exit_code == 0, by_feed.output
    assert query(db, "SELECT key FROM entries ORDER BY key") == held  # no second entry
    members = query(db, "SELECT count(*), count(DISTINCT key) FROM story_members")
    assert members == [(SYNCED, SYNCED)]
    assert query(db, "SELECT count(*) FROM drafts WHERE current = 1") == [(SYNCED,)]


def test_a_syndicated_copy_on_another_site_joins_the_original_story(
    wordpress_site: WordPressSite, tmp_path: Path,
) -> None:
    db = tmp_path / "state.db"
    synced = CliRunner().invoke(main, ["sync", wordpress_site.base_url, "--db", str(db),
                                       "--limit", "1"])
    assert synced.exit_code == 0, synced.output
    [(original_key, original_url)] = query(db, "SELECT key, url FROM entries")
    post_id = int(str(original_key).rsplit("#", 1)[1])
    post = httpx.get(wordpress_site.rest(f"/wp/v2/posts/{post_id}")).json()
    copy = dict(post, id=9001, link="https://syndicated.example/wire/copied-story/",
                guid={"rendered": "https://syndicated.example/?p=9001"})
    content = str(post["content"]["rendered"])
    copy["content"] = {"rendered": content.replace("</p>", " (Syndicated.)</p>", 1)}
    path = tmp_path / "copy.json"
    path.write_text(json.dumps(copy), encoding="utf-8")
    rewritten = CliRunner().invoke(main, ["rewrite", str(path), "--db", str(db)])
    assert rewritten.exit_code == 0, rewritten.output
    listed = CliRunner().invoke(main, ["stories", "--db", str(db), "--json"])
    stories = [json.loads(line) for line in listed.output.splitlines()]
    assert len(stories) == 1
    urls = [entry["url"] for entry in stories[0]["entries"]]
    assert urls[0] == original_url and "syndicated.example" in urls[1]
    layers = query(db, "SELECT layer FROM story_members ORDER BY rowid")
    assert layers == [("new",), ("near-duplicate",)]
