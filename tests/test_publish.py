"""``redraft publish`` against a real WordPress (tests/wordpress): one draft per verified draft
with categories, tags and the credit; nothing twice; a wrong password stops before posting;
a post made by a run killed before it could record it is found again, not duplicated."""

from __future__ import annotations

import html
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import lxml.html
import pytest
from click.testing import CliRunner, Result

from redraft.cli import main
from redraft.cli.publish import publish
from redraft.cli.sync import sync
from redraft.config import HttpOptions
from redraft.errors import PublishError
from redraft.http import Retrier
from redraft.records import Article, Block, Draft, Entry, Verdict
from redraft.sinks.wordpress import Credentials, WordPressPublisher, marker
from redraft.store import Store
from redraft.wp.api import site_url
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
            assert marker(entry.key, store.identity()) in post["content"]["raw"]
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
    with Store.open(synced) as store:
        publisher = WordPressPublisher(Retrier(client, HttpOptions()), site.rest_url,
                                       site=site_url(site.base_url), identity=store.identity(),
                                       credentials=Credentials(site.admin_user, site.app_password))
        stored = next(store.drafts())
        orphan = publisher.create(stored.verdict)  # posted, never recorded: the run died here
        identity = store.identity()
    client.close()
    result = run_publish(site, synced)
    assert result.exit_code == 0, result.output
    key = stored.verdict.draft.article.entry.key
    carrying = [p for p in ours(site) if marker(key, identity) in p["content"]["raw"]]
    assert [str(p["id"]) for p in carrying] == [orphan.post.remote_id]
    assert len(ours(site)) == POSTS


# --- hostile sources on the real site (issue 15, items 1, 4, 18) -------------------------------

HOSTILE_LINKS = ("javascript:alert(1)", "JaVaScRiPt:alert(1)",
                 "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==")
SHORTCODE_TEXT = ('The council showed [gallery ids="1,2,3"] at the meeting.',
                  "Residents heard [audio src=\"http://127.0.0.1/a.mp3\"] and [playlist].",
                  "A [caption]note[/caption] ended the report.")


def hostile_verdict(n: int, url: str) -> Verdict:
    entry = Entry(source="file:hostile.json", key=f"hostile-{n}", url=url,
                  title=f"Hostile [gallery] source {n}", html="<p>x</p>",
                  meta={"category_names": ["<script>alert(1)</script>", "Hostile <b>desk</b>"],
                        "tag_names": ["[playlist]"]})
    return Verdict(Draft(Article(entry, (Block("p", "x"),)), SHORTCODE_TEXT, "extractive",
                         credit=entry.credit()), 1.0, True)


def test_the_rendered_page_shows_shortcodes_as_text_and_links_no_script(site: WordPressSite) -> None:
    made: list[str] = []
    try:
        check_rendered_pages(site, made)
    finally:  # live posts: the next sync of this site would take them for sources
        for post_id in made:
            httpx.delete(site.rest(f"/wp/v2/posts/{post_id}", force="true"),
                         auth=(site.admin_user, site.app_password))


def check_rendered_pages(site: WordPressSite, made: list[str]) -> None:
    with httpx.Client(timeout=30) as client:
        publisher = WordPressPublisher(Retrier(client, HttpOptions()), site.rest_url,
                                       site=site_url(site.base_url), status="publish",
                                       credentials=Credentials(site.admin_user, site.app_password))
        for n, url in enumerate(HOSTILE_LINKS):
            written = publisher.create(hostile_verdict(n, url))
            made.append(written.post.remote_id)
            assert written.post.status == "publish"
            assert any("shown as text" in note for note in written.notes)
            page = client.get(written.post.link, follow_redirects=True)
            assert page.status_code == 200
            tree = lxml.html.fromstring(page.text)
            for element in tree.iter():
                for attribute in ("href", "src", "action", "formaction", "data"):
                    value = (element.get(attribute) or "").strip().lower()
                    assert not value.startswith(("javascript:", "data:")), value
            body = " ".join(str(text) for main in tree.iter("main") for text in main.itertext())
            for shortcode in ('[gallery ids="1,2,3"]', "[playlist]", "[caption]note[/caption]"):
                assert shortcode in body.replace("\u201d", '"').replace("\u2033", '"')
            assert not tree.xpath("//*[contains(@class, 'gallery') or contains(@class, "
                                  "'wp-audio-shortcode') or contains(@class, 'wp-playlist')]")
            assert url in body  # the credit names the link, as text
            post = httpx.get(site.rest(f"/wp/v2/posts/{written.post.remote_id}", context="edit"),
                             auth=(site.admin_user, site.app_password)).json()
            names = [httpx.get(site.rest(f"/wp/v2/categories/{c}")).json()["name"]
                     for c in post["categories"]]
            assert names == ["Hostile desk"]


def test_a_500_that_is_wordpress_answer_is_not_retried(site: WordPressSite) -> None:
    with httpx.Client(timeout=30) as client:
        publisher = WordPressPublisher(Retrier(client, HttpOptions(retries=4)), site.rest_url,
                                       site=site_url(site.base_url),
                                       credentials=Credentials(site.admin_user, site.app_password))
        seen = len(site.requests())
        with pytest.raises(PublishError) as raised:  # WordPress strips the name to nothing
            publisher._term_id("categories", "<script>alert(1)</script>")
    assert (raised.value.status, raised.value.code) == (500, "empty_term_name")
    posts = [line for line in site.requests()[seen:] if line.startswith("POST")]
    assert len(posts) == 1, posts


# --- safe updates (issue 8): a source site, a target site, an editor, two databases ------------

def sync_into(source: WordPressSite, db: Path) -> None:
    result = CliRunner().invoke(sync, [source.base_url, "--db", str(db)], catch_exceptions=False)
    assert result.exit_code in (0, 1), result.output


def publish_to(target: WordPressSite, db: Path, *args: str) -> Result:
    env = {"REDRAFT_WP_USER": target.admin_user, "REDRAFT_WP_APP_PASSWORD": target.app_password}
    return CliRunner().invoke(publish, ["--to", target.base_url, "--db", str(db), *args],
                              env=env, catch_exceptions=False)


def posts_on(target: WordPressSite) -> dict[str, dict[str, Any]]:
    """Every post on the target but the one it was seeded with, by ID (any status)."""
    answer = httpx.get(target.rest("/wp/v2/posts", per_page=100, context="edit",
                                   status="draft,pending,publish,future,private"),
                       auth=(target.admin_user, target.app_password))
    return {str(post["id"]): post for post in answer.json() if post["id"] not in target.post_ids}


def edit_as_editor(target: WordPressSite, post_id: str, **fields: str) -> None:
    answer = httpx.post(target.rest(f"/wp/v2/posts/{post_id}"), json=fields,
                        auth=(target.admin_user, target.app_password))
    assert answer.status_code == 200, answer.text


def recorded(db: Path) -> dict[str, str]:
    """remote id → entry key, as the database recorded them."""
    with sqlite3.connect(db) as connection:
        return dict(connection.execute("SELECT remote_id, key FROM publications").fetchall())


def test_publish_updates_untouched_drafts_and_keeps_what_editors_touched(tmp_path: Path) -> None:
    with start_wordpress(SiteOptions(posts=4, seed=11)) as source, \
            start_wordpress(SiteOptions(posts=1, seed=12)) as target:
        first, second = tmp_path / "first.db", tmp_path / "second.db"
        sync_into(source, first)
        with Store.open(first) as store:
            titles = [d.verdict.draft.article.entry.title for d in store.drafts()]
        assert len(titles) >= 3

        seen = len(target.requests())
        dry = publish_to(target, first, "--dry-run")
        assert dry.exit_code == 0, dry.output
        assert dry.output.count("would create") == len(titles)
        assert all(title[:40] in dry.output for title in titles)
        assert not posts_on(target) and not recorded(first)
        assert not [line for line in target.requests()[seen:] if line.startswith("POST")]

        made = publish_to(target, first)
        assert made.exit_code == 0, made.output
        assert f"created {len(titles)}" in made.output and "/wp-admin/post.php?post=" in made.output
        assert all(len(line) <= 80 for line in made.output.splitlines() if "wp-admin" not in line)
        before = posts_on(target)
        assert len(before) == len(titles) and set(before) == set(recorded(first))
        with Store.open(first) as store:
            images = {post_id: bool(entry.meta.get("featured_image"))
                      for post_id, key in recorded(first).items()
                      if (entry := store.entry(key)) is not None}
        assert any(images.values())
        assert images == {k: bool(post["featured_media"]) for k, post in before.items()}
        edited, live, *untouched = sorted(before)
        # no pause: an editor's save in the second of redraft's write is caught too (by what
        # the post holds; test_publish_same_second.py makes that case certain)
        edit_as_editor(target, edited, title="The editor's title", content="<p>The editor's text.</p>")
        edit_as_editor(target, live, status="publish")
        after_editor = posts_on(target)

        # Every source post changes where every draft shows it (its title): an edit that a
        # draft leaves out gives the same payload, which publish rightly leaves unchanged.
        for source_id in source.post_ids:
            edit_as_editor(source, str(source_id), title=f"Corrected report number {source_id}")
        sync_into(source, first)

        plan = publish_to(target, first, "--dry-run")
        assert plan.output.count("would update") == len(untouched), plan.output
        assert "edited on the site" in plan.output and "live" in plan.output
        assert posts_on(target) == after_editor

        again = publish_to(target, first)
        assert again.exit_code == 0, again.output
        assert f"updated {len(untouched)}" in again.output and "kept 2" in again.output
        assert f"post={edited}&action=edit" in again.output
        now = posts_on(target)
        assert set(now) == set(before)  # in place: nothing created
        for post_id in (edited, live):
            assert {k: now[post_id][k] for k in ("title", "content", "status", "modified_gmt")} == \
                {k: after_editor[post_id][k] for k in ("title", "content", "status", "modified_gmt")}
        assert now[edited]["status"] == "draft" and now[live]["status"] == "publish"
        with Store.open(first) as store:
            for post_id in untouched:
                current = store.current_draft(recorded(first)[post_id])
                assert current is not None
                assert now[post_id]["modified_gmt"] != before[post_id]["modified_gmt"]
                assert html.escape(current.verdict.draft.paragraphs[0], quote=False) \
                    in now[post_id]["content"]["raw"]

        sync_into(source, second)  # a second database, the same sources
        others = publish_to(target, second, "--status", "pending")
        assert others.exit_code == 0, others.output
        assert f"created {len(titles)}" in others.output
        theirs = set(recorded(second))
        assert not theirs & set(before)
        assert {k: v["modified_gmt"] for k, v in posts_on(target).items() if k in before} == \
            {k: v["modified_gmt"] for k, v in now.items()}
        assert {posts_on(target)[k]["status"] for k in theirs} == {"pending"}
        redone = publish_to(target, second, "--status", "draft")  # --status applies to updates
        assert f"updated {len(titles)}" in redone.output, redone.output
        final = posts_on(target)
        assert {final[k]["status"] for k in theirs} == {"draft"}
        assert {k: final[k]["modified_gmt"] for k in before} == \
            {k: now[k]["modified_gmt"] for k in before}


def test_publish_refuses_a_database_that_does_not_exist(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.db"
    result = CliRunner().invoke(publish, ["--to", "http://127.0.0.1:9", "--db", str(missing)],
                                env={"REDRAFT_WP_USER": "u", "REDRAFT_WP_APP_PASSWORD": "p"})
    assert result.exit_code == 2 and "no database at" in result.output
    assert not missing.exists()


@pytest.mark.parametrize("how", ["flag", "config"])
def test_publish_approved_sends_only_what_an_editor_approved(site: WordPressSite, synced: Path,
                                                             tmp_path: Path, how: str) -> None:
    delete_ours(site)
    with Store.open(synced) as store:
        chosen = [d.verdict.draft.article.entry.key for d in store.drafts()][:3]
    runner = CliRunner()
    assert runner.invoke(main, ["approve", *chosen[:2], "--db", str(synced)]).exit_code == 0
    assert runner.invoke(main, ["reject", chosen[2], "--note", "off topic",
                                "--db", str(synced)]).exit_code == 0
    env = {"REDRAFT_WP_USER": site.admin_user, "REDRAFT_WP_APP_PASSWORD": site.app_password}
    config = tmp_path / "redraft.toml"  # [publish] require_approval: as if --approved
    config.write_text("[publish]\nrequire_approval = true\n", encoding="utf-8")
    chosen_way = ["--approved"] if how == "flag" else ["--config", str(config)]
    result = runner.invoke(main, ["publish", "--to", site.base_url, "--db", str(synced),
                                  *chosen_way], env=env, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "created 2 " in result.output and f"held back {POSTS - 2}" in result.output
    with sqlite3.connect(synced) as connection:
        published = {key for (key,) in connection.execute("SELECT key FROM publications")}
    assert published == set(chosen[:2]) and len(ours(site)) == 2
    listed = runner.invoke(main, ["drafts", "--state", "published", "--db", str(synced)]).output
    assert all(key in listed for key in chosen[:2]) and chosen[2] not in listed
