"""A sync against hostile servers on 127.0.0.1 (tests/hostile.py): each role ends by itself
with a clear per-page failure or a reason for stopping, the run goes on, and the store keeps
what it had (entries, the high-water mark, the API root).

Sizes are scaled down through the caps (a 256 KiB page cap instead of 32 MiB);
benchmarks/hostile.py runs each role at full size and prints time and peak memory."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from redraft.condense.extractive import ExtractiveCondenser
from redraft.config import HttpOptions
from redraft.errors import FetchError
from redraft.http import FETCH_DEADLINE, Cap, Caps, Retrier
from redraft.pipeline import Engines, Report, sync
from redraft.sources.wordpress import WordPressOptions, WordPressSource
from redraft.store import Store
from redraft.wp.api import site_key
from tests.hostile import HostileSite

SMALL = Caps(posts=Cap("a page of posts", 256 * 1024, FETCH_DEADLINE),
             feed=Cap("a feed", 256 * 1024, FETCH_DEADLINE),
             page=Cap("a web page", 256 * 1024, FETCH_DEADLINE))


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "state.db") as opened:
        yield opened


def retrier(caps: Caps = SMALL) -> Retrier:
    client = httpx.Client(timeout=httpx.Timeout(30.0), follow_redirects=True)
    return Retrier(client, HttpOptions(retries=1, backoff=0.0), sleep=lambda _: None, caps=caps)


def run_sync(site: HostileSite, store: Store, caps: Caps = SMALL) -> tuple[Report, WordPressSource]:
    known = store.site(site_key(site.base_url))
    source = WordPressSource(retrier(caps), site.base_url, options=WordPressOptions(
        high_water=known.high_water if known else None, api_root=known.api_root if known else None,
        prefetch=2))
    report = sync(source, engines=Engines(ExtractiveCondenser()), store=store, sinks=[])
    return report, source


Snapshot = tuple[int, tuple[str | None, str | None] | None, list[str]]


def snapshot(store: Store, site: HostileSite) -> Snapshot:
    """Entries, mark and API root, and each entry's body: what a failed sync must not change."""
    key = site_key(site.base_url)
    state = store.site(key)
    entries = [store.entry(f"{site.base_url}#{n}") for n in range(1, site.count + 1)]
    return (store.count_entries(key), (state.high_water, state.api_root) if state else None,
            [entry.html if entry else "" for entry in entries])


@pytest.mark.parametrize(("role", "message"), [
    ("endless", "sent more than 262,144 bytes, the cap for a page of posts"),
    ("huge", "over the 262,144-byte cap for a page of posts"),
    ("gzip_bomb", "sent more than 262,144 bytes once decompressed"),
    ("bad_gzip", "gzip body that cannot be decompressed"),
    ("redirect_loop", "more than 5 redirects"),
    ("redirect_js", "only http(s) redirects are followed"),
    ("deep", "nested too deep"),
])
def test_a_hostile_page_fails_alone_and_the_store_keeps_what_it_had(
    store: Store, role: str, message: str,
) -> None:
    size = 100_000 if role == "deep" else 1024 * 1024
    with HostileSite(size=size) as site:
        first, _ = run_sync(site, store)
        assert not first.errors, first.errors
        before = snapshot(store, site)
        assert before[0] == site.count and before[1] is not None and before[1][0]
        site.role = role
        report, source = run_sync(site, store)
    assert sum(report.failed.values()) == 1 and message in report.errors[0]
    assert not source.checkpoint().complete
    assert snapshot(store, site) == before


def test_a_trickling_page_is_cut_off_and_the_store_keeps_what_it_had(store: Store) -> None:
    with HostileSite(interval=0.02) as site:
        run_sync(site, store)
        before = snapshot(store, site)
        site.role = "trickle"
        report, _ = run_sync(site, store, Caps(posts=Cap("a page of posts", 1 << 20, 1.0)))
    assert sum(report.failed.values()) == 1 and "still sending after 1 s" in report.errors[0]
    assert snapshot(store, site) == before


@pytest.mark.parametrize(("role", "reason"), [
    ("empty_pages", "page 2 of 1,000,000,000 claimed was empty"),
    ("same_posts", "page 2 of 1,000,000,000 claimed repeated only posts seen already"),
])
def test_endless_pagination_stops_at_a_page_with_nothing_new(
    store: Store, role: str, reason: str, caplog: pytest.LogCaptureFixture,
) -> None:
    with HostileSite(role=role) as site, caplog.at_level(logging.WARNING):
        report, source = run_sync(site, store)
        asked = [r.path for r in site.requests if "/wp/v2/posts" in r.path]
    checkpoint = source.checkpoint()
    assert checkpoint.stopped is not None and reason in checkpoint.stopped
    assert reason in caplog.text
    assert not checkpoint.complete and checkpoint.high_water is None
    assert store.site(site_key(site.base_url)).high_water is None  # type: ignore[union-attr]
    assert report.done + report.unchanged + sum(report.rejected.values()) == site.count
    assert len(asked) <= 4  # page 1, page 2, and at most the pages fetched ahead of them


def test_an_incremental_sync_of_a_site_repeating_its_pages_keeps_the_mark(store: Store) -> None:
    with HostileSite() as site:
        run_sync(site, store)
        before = snapshot(store, site)
        site.role = "same_posts"  # and it ignores modified_after: the lean listing repeats too
        _, source = run_sync(site, store)
    assert source.checkpoint().stopped is not None and not source.checkpoint().complete
    assert snapshot(store, site) == before


def test_pages_of_fresh_posts_stop_at_the_ceiling(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("redraft.sources.wp_pages.MAX_PAGES", 3)
    with HostileSite(role="fresh_pages") as site:
        source = WordPressSource(retrier(), site.base_url, options=WordPressOptions(prefetch=2))
        items = list(source.entries())
        asked = [r.path for r in site.requests if "/wp/v2/posts" in r.path]
    assert len(asked) == 3 and len(items) == 3 * site.count
    assert "after 3 pages (the site claims 1,000,000,000)" in (source.checkpoint().stopped or "")
    known = WordPressSource(retrier(), site.base_url, options=WordPressOptions(known=1000))
    assert known._pages(lambda n: "", 100).ceiling == 20  # the store holds more: reads further


def test_a_locked_sites_endless_feed_stops_at_its_ceiling(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("redraft.sources.feeds.MAX_FEED_PAGES", 4)
    with HostileSite(role="locked_feed") as site:
        source = WordPressSource(retrier(), site.base_url)
        items = list(source.entries())
        feed_pages = [r.path for r in site.requests if r.path.startswith("/feed/")]
    assert len(feed_pages) == 4 and not any(isinstance(i, FetchError) for i in items)
    checkpoint = source.checkpoint()
    assert checkpoint.via_feed and not checkpoint.complete
    assert "after 4 pages" in (checkpoint.stopped or "")


def test_a_site_redirecting_to_another_host_is_read_and_keyed_as_that_host(
    store: Store, caplog: pytest.LogCaptureFixture,
) -> None:
    with HostileSite(host="127.0.0.2") as other, HostileSite(role="moved") as site:
        site.moved_to = other.base_url
        with caplog.at_level(logging.WARNING):
            report, source = run_sync(site, store)
    assert report.done == other.count and not report.errors
    assert source.name == site_key(other.base_url)
    assert f"{site.base_url} redirects to another site, {other.base_url}" in caplog.text
    assert store.count_entries(site_key(other.base_url)) == other.count
    assert store.count_entries(site_key(site.base_url)) == 0
    assert store.entry(f"{other.base_url}#1") is not None
    assert store.site(site_key(other.base_url)) is not None  # its mark is kept under its name


def test_a_stored_api_root_redirecting_to_another_host_is_a_failure_not_its_posts(
    store: Store,
) -> None:
    with HostileSite(host="127.0.0.2") as other, HostileSite() as site:
        run_sync(site, store)
        before = snapshot(store, site)
        site.role, site.moved_to = "moved_api", other.base_url
        report, _ = run_sync(site, store)
    assert sum(report.failed.values()) == 1
    assert f"redirected to another site, {other.base_url}" in report.errors[0]
    assert store.count_entries(site_key(other.base_url)) == 0
    assert snapshot(store, site) == before
