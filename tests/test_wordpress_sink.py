"""The WordPress publisher's logic around the server, with httpx.MockTransport: credentials,
term mapping (term_exists), escaping, updates, and recovering a post whose answer was lost.
The real thing is exercised in test_publish.py."""

from __future__ import annotations

import dataclasses
import html
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from redraft.config import HttpOptions
from redraft.errors import PublishAuthError, PublishError
from redraft.http import Retrier
from redraft.records import Article, Block, Draft, Entry, Verdict
from redraft.sinks.wordpress import Credentials, PostStatus, WordPressPublisher, marker
from redraft.sinks.wp_content import post_html
from redraft.sinks.wp_rest import WordPressRest
from redraft.wp.api import route_url, site_key

ROOT = "https://blog.example/index.php?rest_route=/"
ENTRY = Entry(source="wordpress:https://news.example", key="https://news.example#42",
              url="https://news.example/?p=42", title="Q&A: the <tram> plan",
              html="<p>x</p>", published=datetime(2025, 5, 2, tzinfo=UTC),
              meta={"category_names": ["News & Views", "Local"], "tag_names": ["trams"]})
DRAFT = Draft(Article(ENTRY, (Block("p", "One."),)),
              ("The council met & voted <script>alert(1)</script>.", "Work starts in May."),
              "extractive")
VERDICT = Verdict(DRAFT, 1.0, True)


class FakeWordPress:
    """Users, terms and posts routes, enough for the publisher; records what was sent."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, str, Any]] = []
        self.me: httpx.Response = httpx.Response(
            200, json={"id": 1, "name": "Ed", "capabilities": {"edit_posts": True}})
        self.lose_creates = 0
        self.posts: dict[int, str] = {}

    def __call__(self, request: httpx.Request) -> httpx.Response:
        route = request.url.params.get("rest_route", "")
        body = json.loads(request.content) if request.content else None
        self.sent.append((request.method, route, body))
        if route == "/wp/v2/users/me":
            return self.me
        if route == "/wp/v2/categories" and request.method == "GET":
            return httpx.Response(200, json=[{"id": 5, "name": "News &amp; Views"}])
        if route == "/wp/v2/categories":
            return httpx.Response(400, json={"code": "term_exists", "data": {"term_id": 77}})
        if route == "/wp/v2/tags":
            return httpx.Response(200 if request.method == "GET" else 201,
                                  json=[] if request.method == "GET" else {"id": 9})
        if route == "/wp/v2/posts" and request.method == "GET":
            found = [{"id": i, "content": {"raw": c}} for i, c in self.posts.items()
                     if request.url.params["search"].split()[-1] in c]
            return httpx.Response(200, json=found)
        if route == "/wp/v2/posts":
            assert body is not None
            self.posts[100 + len(self.posts)] = body["content"]
            if self.lose_creates:
                self.lose_creates -= 1
                return httpx.Response(502)
            return httpx.Response(201, json={"id": 99 + len(self.posts), "link": "https://blog.example/?p=x"})
        return httpx.Response(200, json={"id": int(route.rsplit("/", 1)[1]), "link": "l"})


def publisher(fake: FakeWordPress, status: PostStatus = "draft",
              retries: int = 1) -> WordPressPublisher:
    client = httpx.Client(transport=httpx.MockTransport(fake))
    retrier = Retrier(client, HttpOptions(retries=retries, backoff=0.0), sleep=lambda _: None)
    return WordPressPublisher(retrier, ROOT, site="https://blog.example",
                              credentials=Credentials("ed", "secret pass word"), status=status)


def test_a_new_post_maps_terms_escapes_the_body_and_credits_the_source() -> None:
    fake = FakeWordPress()
    written = publisher(fake).create(VERDICT)
    assert written.post.remote_id == "100"
    assert written.post.edit_link == "https://blog.example/wp-admin/post.php?post=100&action=edit"
    (created,) = [body for method, route, body in fake.sent if method == "POST" and route == "/wp/v2/posts"]
    assert created["categories"] == [5, 77]  # found by its decoded name; reused on term_exists
    assert created["tags"] == [9] and created["status"] == "draft"
    assert created["title"] == "Q&A: the &lt;tram&gt; plan"
    assert "&lt;script&gt;" in created["content"] and "<script>" not in created["content"]
    assert '<a href="https://news.example/?p=42">' in created["content"]
    assert "(2025-05-02)" in created["content"]
    assert created["excerpt"].startswith("The council met &amp; voted")


def test_an_update_sends_the_runs_status_unless_told_to_keep_it() -> None:
    fake = FakeWordPress()
    written = publisher(fake, status="pending").update("321", VERDICT)
    assert written.post.remote_id == "321"
    assert [(m, r) for m, r, _ in fake.sent if r.startswith("/wp/v2/posts")] == [
        ("POST", "/wp/v2/posts/321")]
    assert fake.sent[-1][2]["status"] == "pending"
    publisher(fake).update("321", VERDICT, keep_status=True)
    assert "status" not in fake.sent[-1][2]
    assert written.digest == publisher(fake, status="pending").payload(VERDICT).digest
    assert written.digest != publisher(fake).payload(VERDICT).digest  # the status is sent too


def test_a_create_whose_answer_was_lost_is_found_by_its_marker() -> None:
    fake = FakeWordPress()
    fake.lose_creates = 2  # created twice over, answered 502 both times
    written = publisher(fake).create(VERDICT)
    assert written.post.remote_id == "100"  # the oldest, updated in place
    assert fake.sent[-1][1] == "/wp/v2/posts/100"
    assert marker(ENTRY.key, "db1") not in fake.posts[100]
    assert marker(ENTRY.key) in fake.posts[100]


def test_a_post_is_found_only_by_the_database_that_made_it() -> None:
    fake = FakeWordPress()
    mine, theirs = publisher(fake), publisher(fake)
    mine.identity, theirs.identity = "a" * 32, "b" * 32
    made = mine.create(VERDICT)
    assert mine.find(ENTRY.key) == made.post.remote_id
    assert theirs.find(ENTRY.key) is None and marker(ENTRY.key, "a" * 32) != marker(ENTRY.key, "b" * 32)


@pytest.mark.parametrize(("me", "error", "words"), [
    (httpx.Response(401, json={"code": "rest_not_logged_in"}), PublishAuthError, "REDRAFT_WP_USER"),
    (httpx.Response(200, json={"id": 3, "capabilities": {"read": True}}), PublishAuthError, "edit_posts"),
    (httpx.Response(200, html="<html>Welcome</html>"), PublishError, "not a WordPress REST answer"),
])
def test_check_refuses_before_anything_is_posted(
    me: httpx.Response, error: type[PublishError], words: str,
) -> None:
    fake = FakeWordPress()
    fake.me = me
    with pytest.raises(error, match=words) as raised:
        publisher(fake).check()
    assert "secret" not in str(raised.value)
    assert all(method == "GET" for method, _, _ in fake.sent)


def test_publishing_live_needs_the_publish_posts_capability() -> None:
    with pytest.raises(PublishAuthError, match="publish_posts"):
        publisher(FakeWordPress(), status="publish").check()


def test_the_body_of_an_entry_without_url_carries_its_credit_text() -> None:
    entry = Entry(source="file:x", key="file:x", url="", title="Notes", html="")
    draft = Draft(Article(entry, ()), ("A < B.",), "extractive", credit="Source: Notes")
    body = post_html(draft, entry.key)
    assert "<p>A &lt; B.</p>" in body and "Source: Notes" in body and marker("file:x") in body


def test_the_publisher_builds_the_same_route_urls_as_the_source() -> None:
    root = "https://s.example/index.php?rest_route=/&lang=fr"
    with httpx.Client() as client:
        retrier = Retrier(client, HttpOptions())
        publisher = WordPressPublisher(retrier, root, site="s.example",
                                       credentials=Credentials("u", "p"))
        url = WordPressRest(retrier, root, credentials=Credentials("u", "p")).url(
            "/wp/v2/posts", {"page": 2})
    assert url == route_url(root, "/wp/v2/posts", {"page": 2})
    assert "lang=fr" in url and publisher.name == site_key("https://s.example/")


# --- hostile sources (issue 15, items 1, 4, 18) -----------------------------------------------

HOSTILE = json.loads((Path(__file__).parent / "fixtures" / "sinks" / "hostile.json").read_text())
SHORTCODES = ("[gallery ids=\"1,2\"]", "[playlist]", "[audio src=\"https://x.example/a.mp3\"]",
              "[[caption]x[/caption]]", "[embed]https://x.example[/embed]")


def hostile(url: str = "https://news.example/?p=42", categories: tuple[str, ...] = ("Local",),
            paragraphs: tuple[str, ...] = ("One.",), title: str = "Plain") -> Verdict:
    entry = Entry(source="wordpress:https://news.example", key="https://news.example#7",
                  url=url, title=title, html="<p>x</p>",
                  meta={"category_names": list(categories), "tag_names": []})
    return Verdict(Draft(Article(entry, (Block("p", "x"),)), paragraphs, "extractive",
                         credit=entry.credit()), 1.0, True)


def created_post(fake: FakeWordPress) -> dict[str, Any]:
    (body,) = [b for m, r, b in fake.sent if m == "POST" and r == "/wp/v2/posts"]
    assert isinstance(body, dict)
    return body


@pytest.mark.parametrize("url", HOSTILE["links"])
def test_a_link_that_is_not_http_is_credited_as_text_with_a_note(url: str) -> None:
    fake = FakeWordPress()
    written = publisher(fake).create(hostile(url=url))
    content = created_post(fake)["content"]
    assert "href=" not in content and "<script" not in content.lower()
    assert "redraft-credit" in content  # the credit is still there, as text
    assert any("shown as text" in note for note in written.notes)


@pytest.mark.parametrize("url", HOSTILE["safe_links"])
def test_an_http_link_is_credited_as_a_link(url: str) -> None:
    fake = FakeWordPress()
    written = publisher(fake).create(hostile(url=url))
    assert f'href="{html.escape(url)}"' in created_post(fake)["content"]
    assert written.notes == ()


def test_no_square_bracket_reaches_wordpress_so_no_shortcode_runs() -> None:
    fake = FakeWordPress()
    publisher(fake).create(hostile(paragraphs=SHORTCODES, title="[gallery] in a title",
                                   categories=("[audio]",)))
    body = created_post(fake)
    for name in ("title", "content", "excerpt"):
        assert "[" not in body[name] and "]" not in body[name], name
    assert "&#91;playlist&#93;" in body["content"]
    sent = [v for m, _, b in fake.sent if m == "POST" for v in b.values() if isinstance(v, str)]
    assert sent and not [text for text in sent if "[" in text or "]" in text]


def test_term_names_are_their_text_and_empty_ones_are_never_sent() -> None:
    fake = FakeWordPress()
    written = publisher(fake).create(hostile(categories=(
        "<script>alert(1)</script>", "<style>x{}</style>", "   ", "<b>News &amp; Views</b>")))
    assert created_post(fake)["categories"] == [5]  # "News & Views", found by its text
    searched = [r for m, r, _ in fake.sent if r == "/wp/v2/categories"]
    assert len(searched) == 1
    assert sum("no text once its markup is removed" in note for note in written.notes) == 3


class RefusingTerms(FakeWordPress):
    """Answers a category POST with WordPress's 500, JSON body and all, and counts the tries."""

    def __init__(self, body: dict[str, Any] | None) -> None:
        super().__init__()
        self.body = body

    def __call__(self, request: httpx.Request) -> httpx.Response:
        route = request.url.params.get("rest_route", "")
        if route == "/wp/v2/categories" and request.method == "POST":
            self.sent.append(("POST", route, json.loads(request.content)))
            return httpx.Response(500, json=self.body) if self.body else httpx.Response(500)
        if route == "/wp/v2/categories":
            return httpx.Response(200, json=[])
        return super().__call__(request)


def test_a_500_with_a_wordpress_code_is_answered_once_and_the_term_left_out() -> None:
    fake = RefusingTerms({"code": "empty_term_name", "message": "A name is required.",
                          "data": None})
    written = publisher(fake, retries=4).create(hostile(categories=("Odd",)))
    assert [r for m, r, _ in fake.sent if m == "POST"].count("/wp/v2/categories") == 1
    assert created_post(fake)["categories"] == []
    assert any("empty_term_name" in note for note in written.notes)


def test_a_500_without_a_wordpress_code_is_retried_then_fails_the_draft() -> None:
    fake = RefusingTerms(None)
    with pytest.raises(PublishError) as raised:
        publisher(fake, retries=4).create(hostile(categories=("Odd",)))
    assert [r for m, r, _ in fake.sent if m == "POST"].count("/wp/v2/categories") == 5
    assert raised.value.code == "unreachable" and raised.value.status == 500


class WithImages(FakeWordPress):
    """Serves a PNG at /photo.png and 404 elsewhere on the source; accepts media uploads."""

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.url.host == "news.example":
            self.sent.append(("GET", request.url.path, request.headers.get("authorization")))
            if request.url.path == "/photo.png":
                return httpx.Response(200, content=b"\x89PNG fake", headers={"content-type": "image/png"})
            return httpx.Response(404, text="gone")
        if request.url.params.get("rest_route") == "/wp/v2/media":
            self.sent.append(("POST", "/wp/v2/media", request.headers["content-disposition"]))
            return httpx.Response(201, json={"id": 55})
        return super().__call__(request)


@pytest.mark.parametrize(("image", "media", "note"), [
    ("https://news.example/photo.png", 55, ""),
    ("https://news.example/missing.png", None, "answered 404"),
    ("javascript:alert(1)", None, "not http(s)"),
])
def test_the_featured_image_is_uploaded_or_skipped_with_a_note(
    image: str, media: int | None, note: str,
) -> None:
    fake = WithImages()
    verdict = hostile()
    entry = dataclasses.replace(verdict.draft.article.entry, meta={"featured_image": image})
    verdict = dataclasses.replace(verdict, draft=dataclasses.replace(
        verdict.draft, article=dataclasses.replace(verdict.draft.article, entry=entry)))
    written = publisher(fake).create(verdict)
    assert created_post(fake).get("featured_media") == media
    assert all(auth is None for method, route, auth in fake.sent if route.endswith(".png"))
    if note:
        assert any(note in n and "featured image skipped" in n for n in written.notes)
    else:
        assert ("POST", "/wp/v2/media", 'attachment; filename="photo.png"') in fake.sent
