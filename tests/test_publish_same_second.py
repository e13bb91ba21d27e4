"""An editor's save in the same second as redraft's own write, on a real WordPress
(tests/wordpress): WordPress keeps ``modified`` to the second, so that save leaves it as redraft
recorded it; publish still sees the edit, because the post no longer holds what WordPress answered
redraft's write with, and keeps the post. Untouched posts are still updated."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import httpx
import pytest

from redraft.store import Store
from tests.review_fixtures import POSTS
from tests.test_publish_story import posts_on, publish_to, rewrite
from tests.wordpress import SiteOptions, start_wordpress

pytestmark = pytest.mark.wordpress


def test_an_edit_in_the_second_of_redraft_s_write_is_kept(tmp_path: Path) -> None:
    db = tmp_path / "desk.db"
    with start_wordpress(SiteOptions(posts=1, seed=14)) as target:
        rewrite(tmp_path / "one", db, POSTS)
        assert "created 3" in publish_to(target, db).output
        before = posts_on(target)
        with sqlite3.connect(db) as connection:
            keys = dict(connection.execute("SELECT remote_id, key FROM publications"))
            digests = dict(connection.execute("SELECT remote_id, remote_digest FROM publications"))
        assert set(keys) == set(before) and all(digests.values())
        edited, *untouched = sorted(before)
        answer = httpx.post(target.rest(f"/wp/v2/posts/{edited}"),
                            json={"content": "<p>The editor's own text.</p>"},
                            auth=(target.admin_user, target.app_password))
        assert answer.status_code == 200, answer.text
        after_editor = posts_on(target)[edited]
        # as if the editor saved in the very second of redraft's write: the modified time
        # redraft recorded is the one the post has now
        with sqlite3.connect(db) as connection:
            connection.execute("UPDATE publications SET modified = ? WHERE remote_id = ?",
                               (after_editor["modified_gmt"], edited))
        with Store.open(db) as store:
            record = store.post_record(keys[edited], f"wordpress:{target.base_url}")
            assert record is not None and record.modified == after_editor["modified_gmt"]

        # every source post changes, so that every draft would be sent again
        changed: list[dict[str, Any]] = [{**post, "title": f"Corrected: {post['title']}"}
                                          for post in POSTS]
        rewrite(tmp_path / "two", db, changed)
        plan = publish_to(target, db, "--dry-run")
        assert plan.output.count("would update") == len(untouched), plan.output
        done = publish_to(target, db)
        assert f"updated {len(untouched)}" in done.output and "kept 1" in done.output, done.output
        assert "edited on the site" in done.output
        now = posts_on(target)
        assert set(now) == set(before)
        assert now[edited]["content"] == after_editor["content"]
        assert now[edited]["modified_gmt"] == after_editor["modified_gmt"]
        for post_id in untouched:
            assert now[post_id]["title"]["raw"].startswith("Corrected: ")
        # and the editor may still choose to write over it
        forced = publish_to(target, db, "--overwrite-edited")
        assert "updated 1" in forced.output and "overwriting edits" in forced.output, forced.output
        assert posts_on(target)[edited]["title"]["raw"].startswith("Corrected: ")
