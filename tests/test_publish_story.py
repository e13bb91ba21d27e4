"""A story's post on a real WordPress (tests/wordpress): when another outlet's report joins a story
whose draft is already published, ``redraft publish`` updates that one post with the new credit
(every outlet linked, a ``javascript:`` link as text), never makes a second post, and still keeps
a post an editor changed on the site."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import lxml.html
import pytest
from click.testing import CliRunner, Result

from redraft.cli import main
from redraft.store import Store
from tests.review_fixtures import POSTS, STORY_LINK, STORY_POSTS, write_posts
from tests.wordpress import SiteOptions, WordPressSite, start_wordpress

pytestmark = pytest.mark.wordpress

LIBRARY = POSTS[1]  # the story's first report (harbourgazette); STORY_POSTS join it


def rewrite(folder: Path, db: Path, posts: list[dict[str, Any]], status: int = 0) -> Result:
    result = CliRunner().invoke(main, ["rewrite", str(write_posts(folder, posts)), "--db", str(db),
                                       "--out", str(folder.parent / "out")],
                                catch_exceptions=False)
    assert result.exit_code == status, result.output
    return result


def publish_to(target: WordPressSite, db: Path, *args: str) -> Result:
    env = {"REDRAFT_WP_USER": target.admin_user, "REDRAFT_WP_APP_PASSWORD": target.app_password}
    result = CliRunner().invoke(main, ["publish", "--to", target.base_url, "--db", str(db), *args],
                                env=env, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result


def posts_on(target: WordPressSite) -> dict[str, dict[str, Any]]:
    """Every post on the target but the one it was seeded with, by ID (any status)."""
    answer = httpx.get(target.rest("/wp/v2/posts", per_page=100, context="edit",
                                   status="draft,pending,publish,future,private"),
                       auth=(target.admin_user, target.app_password))
    return {str(post["id"]): post for post in answer.json() if post["id"] not in target.post_ids}


def credit_links(post: dict[str, Any]) -> dict[str, str]:
    """The credit paragraph's links (text -> href) and its text, as the post holds them."""
    tree = lxml.html.fragment_fromstring(post["content"]["raw"], create_parent="div")
    credit = tree.find_class("redraft-credit")
    assert len(credit) == 1, post["content"]["raw"]
    links = {a.text_content(): a.get("href") for a in credit[0].iter("a")}
    return {**links, "": credit[0].text_content()}


def test_a_story_s_post_is_updated_with_each_outlet_never_doubled_and_edits_are_kept(
    tmp_path: Path,
) -> None:
    db = tmp_path / "desk.db"
    with start_wordpress(SiteOptions(posts=1, seed=13)) as target:
        rewrite(tmp_path / "one", db, [LIBRARY])
        made = publish_to(target, db)
        assert "created 1" in made.output
        (post_id, post), = posts_on(target).items()
        first = credit_links(post)
        assert first[LIBRARY["title"]] == LIBRARY["link"] and len(first) == 2

        # another outlet reports the story: the draft's credit names both, the post follows
        joined = rewrite(tmp_path / "two", db, [LIBRARY, STORY_POSTS[0]])
        assert "joined" in joined.output
        with Store.open(db) as store:
            story = store.stories()[0]
            assert [e.url for e in story.entries] == [LIBRARY["link"], STORY_POSTS[0]["link"]]
        again = publish_to(target, db)
        assert "updated 1" in again.output, again.output
        now = posts_on(target)
        assert list(now) == [post_id]  # the same post, none made
        links = credit_links(now[post_id])
        assert links["harbourgazette.example"] == LIBRARY["link"]
        assert links["northernwire.example"] == STORY_POSTS[0]["link"]
        assert links[""].startswith("Sources: harbourgazette.example")

        # an editor changes the post; a third outlet joins: the editor's post is kept
        answer = httpx.post(target.rest(f"/wp/v2/posts/{post_id}"),
                            json={"content": "<p>The editor's own text.</p>"},
                            auth=(target.admin_user, target.app_password))
        assert answer.status_code == 200, answer.text
        edited = posts_on(target)[post_id]
        rewrite(tmp_path / "three", db, [LIBRARY, *STORY_POSTS])
        kept = publish_to(target, db)
        assert "kept 1" in kept.output and "edited on the site" in kept.output, kept.output
        assert posts_on(target) == {post_id: edited}

        # the editor's choice to overwrite: the credit names all three, the hostile link as text
        forced = publish_to(target, db, "--overwrite-edited")
        assert "updated 1" in forced.output, forced.output
        final = posts_on(target)
        assert list(final) == [post_id]
        links = credit_links(final[post_id])
        assert set(links) == {"", "harbourgazette.example", "northernwire.example"}
        assert f"civicpost.example ({STORY_LINK})" in links[""]
        assert "javascript:" not in "".join(v for k, v in links.items() if k)
        assert 'href="javascript' not in final[post_id]["content"]["raw"].lower()


def test_when_the_story_s_first_entry_is_withdrawn_the_next_draft_updates_the_same_post(
    tmp_path: Path,
) -> None:
    db = tmp_path / "desk.db"
    later = {**LIBRARY, "id": 401, "date": "2025-03-03T18:00:00",
             "link": "https://valleytimes.example/library",
             "guid": "https://valleytimes.example/?p=401"}
    withdrawn = {**LIBRARY, "paragraphs": ["Withdrawn."]}  # too short to draft now
    with start_wordpress(SiteOptions(posts=1, seed=15)) as target:
        rewrite(tmp_path / "one", db, [LIBRARY, STORY_POSTS[0]])
        assert "created 1" in publish_to(target, db).output
        (post_id, _), = posts_on(target).items()

        # the first outlet withdraws its report; then a third outlet reports the story
        withdrawal = rewrite(tmp_path / "two", db, [withdrawn, STORY_POSTS[0], later], status=1)
        assert "too-short 1" in withdrawal.output
        with Store.open(db) as store:
            assert store.current_draft(str(store.stories()[0].entries[0].key)) is None
            drafted = store.stories()[0].draft_key
            assert drafted is not None and drafted.endswith("#401")
        plan = publish_to(target, db, "--dry-run")
        assert "would update" in plan.output and "would create" not in plan.output, plan.output
        done = publish_to(target, db)
        assert "updated 1" in done.output and "created 0" in done.output, done.output
        now = posts_on(target)
        assert list(now) == [post_id]  # the story's post, carried on: no second post
        links = credit_links(now[post_id])
        assert links["valleytimes.example"] == later["link"]
        with Store.open(db) as store:
            records = [store.post_records(e.key) for e in store.stories()[0].entries]
        assert [[r.remote_id for r in rs] for rs in records] == [[], [], [post_id]]
        assert "unchanged 1" in publish_to(target, db).output
