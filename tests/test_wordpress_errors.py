"""The WordPress source's logic around the server, with httpx.MockTransport: how answers map
to entries, errors and checkpoints (retries, bad bodies, paging edge cases, the mark).

The same behaviours against a real WordPress are in test_wordpress_source.py and, through a
fault-injecting proxy, in test_wordpress_faults.py."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from redraft.config import HttpOptions
from redraft.errors import FetchError, Malformed, NotJSONError
from redraft.http import Retrier
from redraft.records import Entry
from redraft.sources import SourceItem
from redraft.sources.wordpress import WordPressOptions, WordPressSource

SITE = "https://news.example"
ROOT = f"{SITE}/wp-json/"
DATE = "Sun, 01 Jun 2025 12:00:00 GMT"
Override = Callable[[httpx.Request, int], httpx.Response | None]


def post(post_id: int, modified: str = "2025-05-01T10:00:00") -> dict[str, Any]:
    return {"id": post_id, "date": modified, "date_gmt": modified, "modified": modified,
            "modified_gmt": modified, "type": "post", "link": f"{SITE}/?p={post_id}",
            "title": {"rendered": f"Post &#8220;{post_id}&#8221;"},
            "content": {"rendered": f"<p>Body of {post_id}.</p>", "protected": False}}


class FakeSite:
    """A WordPress-like handler: a home page with the Link header and a paged posts route."""

    def __init__(self, posts: list[dict[str, Any]], *, per_page: int = 2, totals: bool = True,
                 override: Override | None = None, link: bool = True) -> None:
        self.posts, self.per_page, self.totals, self.override = posts, per_page, totals, override
        self.link = link
        self.seen: list[str] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.seen.append(str(request.url))
        page = int(request.url.params.get("page", "1"))
        if self.override is not None:
            answer = self.override(request, page)
            if answer is not None:
                return answer
        if request.url.path in ("", "/"):
            headers = {"Link": f'<{ROOT}>; rel="https://api.w.org/"'} if self.link else {}
            return httpx.Response(200, headers=headers, html="<html><head></head></html>")
        if request.url.path == "/wp-json/wp/v2/posts":
            return self.listing(page)
        return httpx.Response(404, json={"code": "rest_no_route"})

    def listing(self, page: int) -> httpx.Response:
        pages = -(-len(self.posts) // self.per_page)
        if page > max(pages, 1):
            return httpx.Response(400, json={"code": "rest_post_invalid_page_number"})
        chunk = self.posts[(page - 1) * self.per_page: page * self.per_page]
        headers = {"Date": DATE}
        if self.totals:
            headers |= {"X-WP-Total": str(len(self.posts)), "X-WP-TotalPages": str(pages)}
        return httpx.Response(200, headers=headers, json=chunk)


def run(fake: FakeSite, options: WordPressOptions | None = None,
        sleeps: list[float] | None = None) -> tuple[list[SourceItem], WordPressSource]:
    client = httpx.Client(transport=httpx.MockTransport(fake))
    retrier = Retrier(client, HttpOptions(retries=2, backoff=0.01),
                      sleep=(sleeps if sleeps is not None else []).append, jitter=lambda: 0.5)
    options = dataclasses.replace(options or WordPressOptions(), prefetch=2)
    source = WordPressSource(retrier, SITE, options=options)
    return list(source.entries()), source


def ids(items: list[SourceItem]) -> list[int]:
    return [item.meta["id"] for item in items if isinstance(item, Entry)]


POSTS = [post(n) for n in (9, 8, 7, 6, 5)]


def test_pages_are_read_in_order_and_the_sync_is_complete() -> None:
    items, source = run(FakeSite(POSTS))
    assert ids(items) == [9, 8, 7, 6, 5]
    assert items[0].title == "Post “9”"  # type: ignore[union-attr]
    checkpoint = source.checkpoint()
    assert checkpoint.complete and checkpoint.api_root == ROOT
    assert checkpoint.high_water == "2025-05-01T10:00:00+00:00"


def test_a_page_failing_after_the_retries_is_one_failure_and_the_rest_goes_on() -> None:
    def broken(request: httpx.Request, page: int) -> httpx.Response | None:
        return httpx.Response(503) if "/posts" in request.url.path and page == 2 else None

    sleeps: list[float] = []
    items, source = run(FakeSite(POSTS, override=broken), sleeps=sleeps)
    failures = [item for item in items if isinstance(item, FetchError)]
    assert ids(items) == [9, 8, 5] and len(failures) == 1
    assert "page=2" in failures[0].url and failures[0].status == 503
    assert len(sleeps) == 2  # two retries, backed off
    assert not source.checkpoint().complete and source.checkpoint().high_water is None


def test_retry_after_is_honoured_and_the_sync_completes() -> None:
    calls: list[int] = []

    def limited(request: httpx.Request, page: int) -> httpx.Response | None:
        if "/posts" in request.url.path and page == 1 and not calls:
            calls.append(page)
            return httpx.Response(429, headers={"Retry-After": "3"})
        return None

    sleeps: list[float] = []
    items, source = run(FakeSite(POSTS, override=limited), sleeps=sleeps)
    assert ids(items) == [9, 8, 7, 6, 5] and sleeps == [3.0] and source.checkpoint().complete


@pytest.mark.parametrize(("answer", "message"), [
    (httpx.Response(200, html="<!DOCTYPE html><html><body>Home</body></html>"), "not JSON"),
    (httpx.Response(200, headers={"Content-Type": "application/json"}, content=b'[{"id": 9, "ti'),
     "not valid JSON"),
    (httpx.Response(200, json={"id": 9}), "not a list"),
])
def test_a_body_that_is_not_a_json_page_is_an_error_naming_the_url(
    answer: httpx.Response, message: str,
) -> None:
    def bad(request: httpx.Request, page: int) -> httpx.Response | None:
        return answer if "/posts" in request.url.path and page == 2 else None

    items, source = run(FakeSite(POSTS, override=bad))
    errors = [item for item in items if isinstance(item, NotJSONError)]
    assert len(errors) == 1 and message in str(errors[0]) and "page=2" in str(errors[0])
    assert ids(items) == [9, 8, 5] and not source.checkpoint().complete


def test_without_totals_pages_are_read_until_a_short_one() -> None:
    many = [post(n) for n in range(230, 0, -1)]
    fake = FakeSite(many, per_page=100, totals=False)
    items, source = run(fake)
    assert ids(items) == list(range(230, 0, -1)) and source.checkpoint().complete
    assert max(int(httpx.URL(url).params.get("page", "0")) for url in fake.seen) <= 4


def test_a_site_that_shrank_while_paging_stops_cleanly_but_incomplete() -> None:
    fake = FakeSite(POSTS)

    def shrunk(request: httpx.Request, page: int) -> httpx.Response | None:
        if "/posts" in request.url.path and page == 3:
            return httpx.Response(400, json={"code": "rest_post_invalid_page_number"})
        return None

    fake.override = shrunk
    items, source = run(fake)
    assert ids(items) == [9, 8, 7, 6] and not any(isinstance(i, FetchError) for i in items)
    assert not source.checkpoint().complete  # 4 seen, 5 counted: the mark must not move


def test_a_post_seen_on_two_pages_is_yielded_once() -> None:
    def shifted(request: httpx.Request, page: int) -> httpx.Response | None:
        if "/posts" in request.url.path and page == 2:
            return httpx.Response(200, headers={"X-WP-Total": "5", "X-WP-TotalPages": "3"},
                                  json=[post(8), post(7)])  # 8 moved down a place
        return None

    items, _ = run(FakeSite(POSTS, override=shifted))
    assert ids(items) == [9, 8, 7, 5]


def test_malformed_objects_are_rejected_and_the_rest_is_kept() -> None:
    odd: list[dict[str, Any]] = [post(9), {"id": "x"}, {"id": 7, "title": {"rendered": "t"}}]
    items, _ = run(FakeSite(odd, per_page=3))
    assert ids(items) == [9]
    assert sum(isinstance(item, Malformed) for item in items) == 2


def test_discovery_reads_the_html_link_and_else_guesses_the_root() -> None:
    def html_link(request: httpx.Request, page: int) -> httpx.Response | None:
        if request.url.path == "/":
            return httpx.Response(200, html=f'<html><head><link rel="https://api.w.org/" '
                                            f'href="{ROOT}" /></head></html>')
        return None

    items, source = run(FakeSite(POSTS, override=html_link, link=False))
    assert ids(items) == [9, 8, 7, 6, 5] and source.checkpoint().api_root == ROOT

    def index(request: httpx.Request, page: int) -> httpx.Response | None:
        if request.url.path == "/wp-json/":
            return httpx.Response(200, json={"namespaces": ["oembed/1.0", "wp/v2"]})
        return None

    items, source = run(FakeSite(POSTS, override=index, link=False))
    assert ids(items) == [9, 8, 7, 6, 5] and source.checkpoint().api_root == ROOT


def test_a_site_without_a_rest_api_says_so() -> None:
    def nothing(request: httpx.Request, page: int) -> httpx.Response | None:
        return httpx.Response(200, html="<html></html>") if request.url.path != "/" else None

    items, _ = run(FakeSite(POSTS, override=nothing, link=False))
    assert len(items) == 1 and isinstance(items[0], FetchError)
    assert "no WordPress REST API found" in str(items[0])


def test_the_mark_stops_short_of_the_servers_clock() -> None:
    # An edit in the same second as the sync could land after its page was read: the mark
    # must stay below that second.
    _, source = run(FakeSite([post(9, "2025-06-01T12:00:00"), post(8)]))
    assert source.checkpoint().high_water == "2025-06-01T11:59:59+00:00"


@pytest.mark.parametrize(("stored", "since", "advances"), [
    (None, None, True),
    ("2025-04-01T00:00:00+00:00", datetime(2025, 3, 1, tzinfo=UTC), True),
    ("2025-04-01T00:00:00+00:00", datetime(2025, 4, 15, tzinfo=UTC), False),
    (None, datetime(2025, 4, 15, tzinfo=UTC), False),
])
def test_a_since_after_the_stored_mark_does_not_move_it(
    stored: str | None, since: datetime | None, advances: bool,
) -> None:
    items, source = run(FakeSite(POSTS), WordPressOptions(high_water=stored, since=since))
    assert ids(items) == [9, 8, 7, 6, 5]
    assert (source.checkpoint().high_water == "2025-05-01T10:00:00+00:00") is advances


@pytest.mark.parametrize("odd", [
    {"_embedded": {"author": {"name": "x"}, "wp:featuredmedia": {"a": 1}}},
    {"_embedded": {"wp:term": 3}},
    {"_links": {"self": 5}},
])
def test_a_post_of_an_unexpected_shape_never_stops_the_sync(odd: dict[str, Any]) -> None:
    # The mapping (redraft/wp/posts.py) ignores a field of the wrong shape or rejects the
    # post; either way the post is one item, keyed by the site, and the others go on.
    items, _ = run(FakeSite([post(9), {**post(8), **odd}, post(7)], per_page=3))
    assert [getattr(item, "key", None) for item in items] == [f"{SITE}#9", f"{SITE}#8", f"{SITE}#7"]
    assert isinstance(items[1], Entry | Malformed) and isinstance(items[2], Entry)


def test_an_id_of_five_thousand_digits_rejects_that_post_not_the_page() -> None:
    def huge_id(request: httpx.Request, page: int) -> httpx.Response | None:
        if "/posts" not in request.url.path:
            return None
        if page > 1:
            return httpx.Response(400, json={"code": "rest_post_invalid_page_number"})
        body = json.dumps([post(9), post(7)]).replace('"id": 7', '"id": ' + "7" * 5000)
        return httpx.Response(200, headers={"X-WP-Total": "2", "X-WP-TotalPages": "1"},
                              content=body.encode())
    items, _ = run(FakeSite(POSTS, override=huge_id))
    assert ids(items) == [9] and sum(isinstance(item, Malformed) for item in items) == 1
    assert not any(isinstance(item, FetchError) for item in items)
