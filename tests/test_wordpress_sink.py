"""The WordPress publisher's logic around the server, with httpx.MockTransport: credentials,
term mapping (term_exists), escaping, updates, and recovering a post whose answer was lost.
The real thing is exercised in test_publish.py."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from redraft.config import HttpOptions
from redraft.errors import PublishAuthError, PublishError
from redraft.http import Retrier
from redraft.records import Article, Block, Draft, Entry, Verdict
from redraft.sinks.wordpress import Credentials, PostStatus, WordPressPublisher, marker, post_html
from redraft.wp_rest import route_url, site_key

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


def publisher(fake: FakeWordPress, status: PostStatus = "draft") -> WordPressPublisher:
    client = httpx.Client(transport=httpx.MockTransport(fake))
    retrier = Retrier(client, HttpOptions(retries=1, backoff=0.0), sleep=lambda _: None)
    return WordPressPublisher(retrier, ROOT, site="https://blog.example",
                              credentials=Credentials("ed", "secret pass word"), status=status)


def test_a_new_post_maps_terms_escapes_the_body_and_credits_the_source() -> None:
    fake = FakeWordPress()
    publication = publisher(fake).publish(VERDICT)
    assert publication.remote_id == "100" and publication.sink == "wordpress:https://blog.example"
    (created,) = [body for method, route, body in fake.sent if method == "POST" and route == "/wp/v2/posts"]
    assert created["categories"] == [5, 77]  # found by its decoded name; reused on term_exists
    assert created["tags"] == [9] and created["status"] == "draft"
    assert created["title"] == "Q&A: the &lt;tram&gt; plan"
    assert "&lt;script&gt;" in created["content"] and "<script>" not in created["content"]
    assert '<a href="https://news.example/?p=42">' in created["content"]
    assert "(2025-05-02)" in created["content"]
    assert created["excerpt"].startswith("The council met &amp; voted")


def test_an_update_keeps_the_status_an_editor_gave_the_post() -> None:
    fake = FakeWordPress()
    publication = publisher(fake).publish(VERDICT, remote_id="321")
    assert publication.remote_id == "321"
    assert [(m, r) for m, r, _ in fake.sent if r.startswith("/wp/v2/posts")] == [
        ("POST", "/wp/v2/posts/321")]
    assert "status" not in fake.sent[-1][2]


def test_a_create_whose_answer_was_lost_is_found_by_its_marker() -> None:
    fake = FakeWordPress()
    fake.lose_creates = 2  # created twice over, answered 502 both times
    publication = publisher(fake).publish(VERDICT)
    assert publication.remote_id == "100"  # the oldest, updated in place
    assert fake.sent[-1][1] == "/wp/v2/posts/100"
    assert marker(ENTRY.key) in fake.posts[100]


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
        publisher = WordPressPublisher(Retrier(client, HttpOptions()), root, site="s.example",
                                       credentials=Credentials("u", "p"))
        url = publisher._url("/wp/v2/posts", {"page": 2})
    assert url == route_url(root, "/wp/v2/posts", {"page": 2})
    assert "lang=fr" in url and publisher.name == site_key("https://s.example/")
