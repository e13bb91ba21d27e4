"""The WordPress source against a real WordPress (tests/wordpress): discovery in both URL forms,
paging, incremental sync, the feed fallback of a locked API, and the old-API fallback."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator

import pytest

from redraft.errors import FetchError, Protected
from redraft.records import Entry
from redraft.sources import SourceItem
from redraft.sources.wordpress import WordPressOptions, WordPressSource
from redraft.wp.api import route_url, site_key
from tests.wordpress import SiteOptions, WordPressSite, start_wordpress
from tests.wordpress.recording import recording_retrier

pytestmark = pytest.mark.wordpress


@pytest.fixture(scope="module")
def site() -> Iterator[WordPressSite]:
    with start_wordpress(SiteOptions(posts=250)) as running:
        yield running


@pytest.fixture
def plain(wordpress_plain_site: WordPressSite) -> WordPressSite:
    return wordpress_plain_site  # only read: the session's shared site


@pytest.fixture(scope="module")
def small() -> Iterator[WordPressSite]:
    with start_wordpress(SiteOptions(posts=30, protected=2, seed=7)) as running:
        yield running


def key_of(item: SourceItem) -> str:
    assert not isinstance(item, FetchError), item
    return item.key


def entries_of(items: list[SourceItem]) -> list[Entry]:
    assert all(isinstance(item, Entry) for item in items), [i for i in items if not isinstance(i, Entry)]
    return [item for item in items if isinstance(item, Entry)]


def test_full_sync_yields_every_post_once_with_names_and_plain_titles(site: WordPressSite) -> None:
    retrier, recorder = recording_retrier()
    source = WordPressSource(retrier, site.base_url)
    entries = entries_of(list(source.entries()))
    assert sorted(int(e.key.rsplit("#", 1)[1]) for e in entries) == sorted(site.post_ids)
    assert {e.source for e in entries} == {site_key(site.base_url)}
    # 250 posts: pages of 100. A full sync asks for the first pages at once (up to the host's
    # concurrency cap, 4) before page 1's totals arrive, so page 4 is asked for once and
    # answered 400 rest_post_invalid_page_number; no page is asked for twice, none past that.
    pages = [int(url.rsplit("page=", 1)[1]) for url in recorder.matching("/wp/v2/posts")]
    assert sorted(pages) == [1, 2, 3, 4]
    for entry in entries:
        assert "&#" not in entry.title and "<" not in entry.title and entry.title
        assert json.loads(entry.raw)["id"] == entry.meta["id"]
        assert entry.meta["via"] == "rest" and entry.meta["category_names"]
        assert entry.meta["author_name"] and entry.modified is not None
    assert any(e.meta.get("featured_image", "").endswith(".png") for e in entries)
    assert any("&" in e.title for e in entries) and any("“" in e.title for e in entries)
    checkpoint = source.checkpoint()
    assert checkpoint.complete and not checkpoint.via_feed
    assert checkpoint.api_root == f"{site.base_url}/wp-json/"
    newest = max(json.loads(e.raw)["modified_gmt"] for e in entries)
    assert checkpoint.high_water == newest + "+00:00"


def test_order_is_newest_first_and_the_same_every_time(site: WordPressSite) -> None:
    retrier, _ = recording_retrier()
    first = [e.key for e in entries_of(list(WordPressSource(retrier, site.base_url).entries()))]
    second = [e.key for e in entries_of(list(WordPressSource(retrier, site.base_url).entries()))]
    assert first == second
    assert [int(k.rsplit("#", 1)[1]) for k in first] == sorted(site.post_ids, reverse=True)


def test_second_sync_fetches_nothing_and_an_edit_brings_exactly_those_posts(
    site: WordPressSite,
) -> None:
    retrier, recorder = recording_retrier()
    first = WordPressSource(retrier, site.base_url)
    assert len(entries_of(list(first.entries()))) == 250
    mark = first.checkpoint()
    recorder.urls.clear()
    again = WordPressSource(retrier, site.base_url, options=WordPressOptions(
        high_water=mark.high_water, api_root=mark.api_root))
    assert list(again.entries()) == []
    assert len(recorder.urls) == 1 and "modified_after=" in recorder.urls[0]
    assert again.checkpoint().high_water == mark.high_water and again.checkpoint().complete

    edited = site.post_ids[10:13]
    site.edit_posts(edited)
    after = WordPressSource(retrier, site.base_url, options=WordPressOptions(
        high_water=mark.high_water, api_root=mark.api_root))
    assert sorted(e.meta["id"] for e in entries_of(list(after.entries()))) == sorted(edited)
    assert (after.checkpoint().high_water or "") > (mark.high_water or "")


def test_plain_permalinks_sync_the_same_posts_through_rest_route(plain: WordPressSite) -> None:
    retrier, recorder = recording_retrier()
    source = WordPressSource(retrier, plain.base_url + "/")
    entries = entries_of(list(source.entries()))
    assert sorted(e.meta["id"] for e in entries) == sorted(plain.post_ids)
    listing = recorder.matching("/wp/v2/posts")
    assert listing and all("index.php?rest_route=/wp/v2/posts&" in url for url in listing)
    assert source.checkpoint().api_root == f"{plain.base_url}/index.php?rest_route=/"


def test_a_stale_wp_json_root_on_a_plain_site_is_not_trusted(plain: WordPressSite) -> None:
    retrier, recorder = recording_retrier()
    stale = WordPressOptions(api_root=f"{plain.base_url}/wp-json/", limit=5)
    source = WordPressSource(retrier, plain.base_url, options=stale)
    assert len(entries_of(list(source.entries()))) == 5
    assert source.checkpoint().api_root == f"{plain.base_url}/index.php?rest_route=/"
    assert recorder.matching("/wp-json/wp/v2/posts")  # tried, answered HTML, not used


def test_a_limit_gives_the_newest_posts_and_leaves_the_mark_alone(small: WordPressSite) -> None:
    retrier, recorder = recording_retrier()
    source = WordPressSource(retrier, small.base_url, options=WordPressOptions(limit=7))
    items = list(source.entries())
    newest = sorted(small.post_ids + small.protected_ids, reverse=True)[:7]
    assert [int(key_of(item).rsplit("#", 1)[1]) for item in items] == newest
    assert "per_page=7" in recorder.matching("/wp/v2/posts")[0]
    assert not source.checkpoint().complete and source.checkpoint().high_water is None


def test_protected_posts_are_rejected_not_dropped(small: WordPressSite) -> None:
    retrier, _ = recording_retrier()
    items = list(WordPressSource(retrier, small.base_url).entries())
    protected = [item for item in items if isinstance(item, Protected)]
    assert sorted(int(p.key.rsplit("#", 1)[1]) for p in protected) == sorted(small.protected_ids)
    assert all(p.source == site_key(small.base_url) for p in protected)


@pytest.mark.parametrize("code", ["rest_not_logged_in", "rest_cannot_access"])
def test_a_locked_api_falls_back_to_the_feed_with_the_same_keys(
    small: WordPressSite, code: str, caplog: pytest.LogCaptureFixture,
) -> None:
    retrier, _ = recording_retrier()
    rest_keys = {key_of(item) for item in WordPressSource(retrier, small.base_url).entries()}
    small.lock_rest(code)  # type: ignore[arg-type]
    try:
        with caplog.at_level(logging.WARNING, logger="redraft.sources.wordpress"):
            source = WordPressSource(retrier, small.base_url)
            items = list(source.entries())
    finally:
        small.lock_rest(None)
    assert "locked" in caplog.text and "feed" in caplog.text
    assert {key_of(item) for item in items} == rest_keys
    entries = [item for item in items if isinstance(item, Entry)]
    assert len(entries) == 30 and all(e.meta["via"] == "feed" for e in entries)
    assert all("Reading Time" in e.html for e in entries)  # content:encoded, not the excerpt
    assert sum(isinstance(item, Protected) for item in items) == 2
    checkpoint = source.checkpoint()
    assert checkpoint.via_feed and checkpoint.complete and checkpoint.high_water is None


def test_a_site_ignoring_modified_after_gets_only_the_changed_posts(small: WordPressSite) -> None:
    retrier, recorder = recording_retrier()
    first = WordPressSource(retrier, small.base_url)
    list(first.entries())
    mark = first.checkpoint()
    edited = small.post_ids[3:5]
    small.edit_posts(edited)
    small.emulate_old_api()
    try:
        recorder.urls.clear()
        source = WordPressSource(retrier, small.base_url, options=WordPressOptions(
            high_water=mark.high_water, api_root=mark.api_root))
        entries = entries_of(list(source.entries()))
    finally:
        small.emulate_old_api(False)
    assert sorted(e.meta["id"] for e in entries) == sorted(edited)
    assert recorder.matching("_fields=id,modified_gmt") and recorder.matching("include=")
    assert source.checkpoint().complete


def test_an_unreachable_site_is_one_fetch_error_not_a_crash() -> None:
    retrier, _ = recording_retrier()
    items = list(WordPressSource(retrier, "http://127.0.0.1:9").entries())
    assert len(items) == 1 and isinstance(items[0], FetchError)
    assert "127.0.0.1:9" in str(items[0])


@pytest.mark.parametrize(("given", "key"), [
    ("example.org", "wordpress:https://example.org"),
    ("https://Example.ORG/", "wordpress:https://example.org"),
    ("https://example.org:443/blog/wp-json/wp/v2/posts", "wordpress:https://example.org/blog"),
    ("http://127.0.0.1:8080/index.php?rest_route=/", "wordpress:http://127.0.0.1:8080"),
    ("https://example.org/feed/", "wordpress:https://example.org"),
])
def test_site_key_is_the_same_for_every_spelling_of_a_site(given: str, key: str) -> None:
    assert site_key(given) == key


@pytest.mark.parametrize(("root", "url"), [
    ("https://s.example/wp-json/", "https://s.example/wp-json/wp/v2/posts?page=2&modified_after=2025-01-01T00:00:00%2B00:00"),
    ("https://s.example/index.php?rest_route=/", "https://s.example/index.php?rest_route=/wp/v2/posts&page=2&modified_after=2025-01-01T00:00:00%2B00:00"),
    ("https://s.example/?rest_route=/", "https://s.example/?rest_route=/wp/v2/posts&page=2&modified_after=2025-01-01T00:00:00%2B00:00"),
])
def test_route_urls_use_the_roots_form(root: str, url: str) -> None:
    params = {"page": 2, "modified_after": "2025-01-01T00:00:00+00:00"}
    assert route_url(root, "/wp/v2/posts", params) == url

