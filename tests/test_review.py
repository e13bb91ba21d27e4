"""The review app without a browser: the library behind it (queue, edit, evidence), its
defences (anti-forgery token, sign-in off loopback, escaping, no secret on a page) and the
command's refusals. The browser flows are in test_review_browser.py."""

from __future__ import annotations

import html
import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from flask.testing import FlaskClient
from markupsafe import escape

from redraft.config import HttpOptions
from redraft.pipeline.desk import find_draft
from redraft.pipeline.review import QueueFilter, edit, evidence_map, queue, story_entries
from redraft.store import Store
from redraft.web import ReviewConfig, Target, create_app
from redraft.web.security import is_loopback, safe_link, safe_next
from tests.review_fixtures import (
    HOSTILE_LINK,
    POSTS,
    STORY_LINK,
    STORY_OUTLETS,
    STORY_POSTS,
    STORY_TITLE,
    drafted_db,
)

SECRET = "app-pass-word-never-shown"


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return drafted_db(tmp_path)


def client_for(db: Path, **changes: object) -> FlaskClient:
    config = ReviewConfig(db, "tess", **changes)  # type: ignore[arg-type]
    return create_app(config).test_client()


def csrf_of(page: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    assert found is not None, "the page has no anti-forgery token"
    return found.group(1)


def first_key(db: Path, title_start: str) -> str:
    with Store.open(db) as store:
        return next(r.key for r in store.queue_rows() if r.title.startswith(title_start))


def test_queue_lists_every_draft_newest_first_and_filters(db: Path) -> None:
    with Store.open(db) as store:
        items = queue(store)
        assert [i.row.title for i in items] == [p["title"] for p in reversed(POSTS)]
        assert {i.state for i in items} == {"new"}
        found = queue(store, QueueFilter(search="LIBRARY"))
        assert [i.row.title for i in found] == [POSTS[1]["title"]]
        assert queue(store, QueueFilter(verdict="failed")) == []
        assert queue(store, QueueFilter(state="approved")) == []


def test_an_edit_is_a_new_draft_verified_again_and_audited(db: Path) -> None:
    key = first_key(db, "Volunteers")
    with Store.open(db) as store:
        before = find_draft(store, key).stored
        text = before.verdict.draft.text.replace("250 apple", "975 apple")
        assert text != before.verdict.draft.text
        item = edit(store, key, text, who="tess")
        after = item.stored
        assert after.id != before.id and item.state == "new"
        assert not after.verdict.passed
        assert "number" in {p.kind for p in after.verdict.problems}
        assert after.verdict.draft.credit == before.verdict.draft.credit
        assert store.attempts(key)[-1]["engine"] == "editor:tess"
        assert [e.who for e in store.audit(key)] == [before.verdict.draft.engine, "editor:tess"]
        mapped = evidence_map(after.verdict)
        flagged = [s for s in mapped.draft if s.problems]
        assert flagged and flagged[0].links
        evidence = flagged[0].problems[0].evidence
        assert all(mapped.source[n].text in evidence for n in flagged[0].links)


def test_every_draft_sentence_copied_from_the_source_is_linked_to_it(db: Path) -> None:
    with Store.open(db) as store:
        for item in queue(store):
            verdict = find_draft(store, item.row.key).stored.verdict
            mapped = evidence_map(verdict)
            for sentence in mapped.draft:
                assert sentence.links, sentence.text
                assert sentence.text in " ".join(mapped.source[n].text for n in sentence.links)


def test_a_post_without_the_anti_forgery_token_is_refused(db: Path) -> None:
    key = first_key(db, "Kellin")
    client = client_for(db)
    page = client.get("/draft", query_string={"key": key}).text
    refused = client.post("/draft/decide", data={"key": key, "decision": "approved"})
    assert refused.status_code == 400
    assert "anti-forgery" in refused.text
    wrong = client.post("/draft/decide", data={"key": key, "decision": "approved", "csrf": "x"})
    assert wrong.status_code == 400
    with Store.open(db) as store:
        assert store.review(key) is None
    done = client.post("/draft/decide", data={"key": key, "decision": "approved",
                                              "note": "fine", "csrf": csrf_of(page)})
    assert done.status_code == 303
    with Store.open(db) as store:
        review = store.review(key)
        assert review is not None and (review.decision, review.who) == ("approved", "tess")


def test_source_markup_is_text_and_a_javascript_link_is_no_link(db: Path) -> None:
    key = first_key(db, "<script>")
    client = client_for(db)
    for page in (client.get("/").text, client.get("/draft", query_string={"key": key}).text):
        assert "<script>window" not in page and "<img src=x" not in page
        assert "&lt;script&gt;window.pwned = 1&lt;/script&gt;" in page
        assert 'href="javascript' not in page.lower()
    draft_page = client.get("/draft", query_string={"key": key}).text
    assert HOSTILE_LINK in draft_page  # shown, as text
    assert "script-src 'self'" in client.get("/").headers["Content-Security-Policy"]


def test_safe_link_keeps_only_absolute_http_links() -> None:
    assert safe_link("https://a.example/x?y=1") == "https://a.example/x?y=1"
    for bad in ("javascript:alert(1)", " JavaScript:alert(1)", "data:text/html,x", "//a.example",
                "/relative", "https://a.example/\nx", None, "http:///nohost"):
        assert safe_link(bad) is None, bad


def test_no_secret_reaches_a_page(db: Path) -> None:
    key = first_key(db, "Kellin")
    target = Target("http://127.0.0.1:9/", "editor", SECRET)
    client = client_for(db, target=target)
    pages = [client.get("/"), client.get("/draft", query_string={"key": key}),
             client.get("/draft", query_string={"key": "missing"})]
    assert [p.status_code for p in pages] == [200, 200, 404]
    assert all(SECRET not in p.text for p in pages)
    assert SECRET not in repr(target)


def test_off_loopback_every_page_needs_the_token(db: Path) -> None:
    client = client_for(db, token="tok-123")
    assert client.get("/").status_code == 302
    login = client.get("/login").text
    refused = client.post("/login", data={"token": "nope", "csrf": csrf_of(login)})
    assert refused.status_code == 200 and "not the one" in refused.text
    assert client.get("/").status_code == 302
    signed = client.post("/login", data={"token": "tok-123", "csrf": csrf_of(login)})
    assert signed.status_code == 302
    assert client.get("/").status_code == 200


def redraft(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("REDRAFT_")}
    return subprocess.run([sys.executable, "-m", "redraft", *args], env=env, text=True,
                          capture_output=True, timeout=120, check=False)


def test_the_command_refuses_another_host_without_a_token_and_a_missing_database(
    db: Path, tmp_path: Path,
) -> None:
    open_to_all = redraft("review", "--db", str(db), "--host", "0.0.0.0")
    assert open_to_all.returncode == 2 and "REDRAFT_REVIEW_TOKEN" in open_to_all.stderr
    missing = redraft("review", "--db", str(tmp_path / "none.db"))
    assert missing.returncode == 2 and "no database" in missing.stderr
    assert not (tmp_path / "none.db").exists()
    no_password = redraft("review", "--db", str(db), "--to", "https://my.site")
    assert no_password.returncode == 2 and "REDRAFT_WP_APP_PASSWORD" in no_password.stderr
    for ran in (open_to_all, missing, no_password):
        assert "Traceback" not in ran.stderr
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.4")


def test_on_loopback_another_host_name_is_refused(db: Path) -> None:
    client = client_for(db)
    assert client.get("/", headers={"Host": "127.0.0.1:8765"}).status_code == 200
    assert client.get("/", headers={"Host": "[::1]:8765"}).status_code == 200
    rebound = client.get("/", headers={"Host": "attacker.example:8765"})
    assert rebound.status_code == 400 and "127.0.0.1" in rebound.text
    signed_in_elsewhere = client_for(db, token="tok")
    assert signed_in_elsewhere.get("/", headers={"Host": "review.example"}).status_code == 302


def test_sign_in_goes_back_only_to_a_page_of_this_server() -> None:
    assert safe_next("/draft?key=a") == "/draft?key=a"
    for elsewhere in ("//evil.example/", "/\\evil.example", "https://evil.example/", ""):
        assert safe_next(elsewhere) == "/", elsewhere


def test_an_empty_edit_is_refused_with_a_message_and_nothing_is_stored(db: Path) -> None:
    key = first_key(db, "Kellin")
    client = client_for(db)
    page = client.get("/draft", query_string={"key": key}).text
    answer = client.post("/draft/edit", data={"key": key, "text": "  ", "csrf": csrf_of(page)},
                         follow_redirects=True)
    assert answer.status_code == 200 and "is empty" in answer.text
    with Store.open(db) as store:
        assert [e.what for e in store.audit(key)] == ["drafted"]


def test_publishing_to_a_site_that_does_not_answer_shows_the_error_on_the_page(
    db: Path,
) -> None:
    target = Target("http://127.0.0.1:9/", "editor", SECRET,
                    http=HttpOptions(retries=0, timeout=5.0))
    client = client_for(db, target=target)
    page = client.get("/").text
    answer = client.post("/publish", data={"csrf": csrf_of(page)}, follow_redirects=True)
    assert answer.status_code == 200
    assert 'role="alert"' in answer.text and "127.0.0.1:9" in answer.text
    assert SECRET not in answer.text


# --- stories: how many outlets cover a draft's story ---------------------------------------

def fixture_outlets() -> int:
    """The outlets of the library story as the fixture's posts name them (their GUIDs' hosts)."""
    posts = [POSTS[1], *STORY_POSTS]
    return len({urlsplit(str(post.get("guid") or post["link"])).hostname for post in posts})


def test_the_queue_counts_the_outlets_of_each_story_filters_and_sorts_by_them(
    tmp_path: Path,
) -> None:
    db = drafted_db(tmp_path, story=True)
    assert fixture_outlets() == STORY_OUTLETS
    with Store.open(db) as store:
        items = queue(store)
        assert [i.row.title for i in items] == [p["title"] for p in reversed(POSTS)]
        counts = {i.row.title: i.row.outlets for i in items}
        assert counts == {POSTS[0]["title"]: 1, POSTS[1]["title"]: STORY_OUTLETS,
                          POSTS[2]["title"]: 1}
        covered = queue(store, QueueFilter(outlets=2))
        assert [i.row.title for i in covered] == [POSTS[1]["title"]]
        assert queue(store, QueueFilter(outlets=STORY_OUTLETS + 1)) == []
        ordered = queue(store, QueueFilter(order="outlets"))
        assert [i.row.title for i in ordered] == [POSTS[1]["title"], POSTS[2]["title"],
                                                  POSTS[0]["title"]]
    client = client_for(db)
    page = client.get("/?outlets=2").text
    assert page.count("data-row") == 1 and 'data-outlets="3"' in page
    page = client.get("/?sort=outlets").text
    assert page.index(html.escape(POSTS[1]["title"])) < page.index(POSTS[2]["title"])


def test_the_draft_page_lists_the_story_s_other_entries_escaped_and_links_only_http(
    tmp_path: Path,
) -> None:
    db = drafted_db(tmp_path, story=True)
    key = first_key(db, "Kellin library")
    with Store.open(db) as store:
        others = story_entries(store, key)
        credit = find_draft(store, key).stored.verdict.draft.credit
    assert [e.url for e in others] == [STORY_POSTS[0]["link"], STORY_LINK]
    page = client_for(db).get("/draft", query_string={"key": key}).text
    story = page[page.index('id="story-h"'):page.index("</section>", page.index('id="story-h"'))]
    assert f'<a href="{STORY_POSTS[0]["link"]}" rel="noreferrer noopener">' in story
    assert str(escape(STORY_TITLE)) in story and "<img" not in story
    assert STORY_LINK in story and 'href="javascript' not in page.lower()
    assert "3 entries</a> from 3 outlets" in page
    # the credit names the three outlets, each linked when its link is http(s)
    assert credit.startswith("Sources: harbourgazette.example")
    facts = page[page.index('id="credit"'):page.index("</dd>", page.index('id="credit"'))]
    assert facts.count("<a href=") == 2 and "civicpost.example (javascript:" in facts
