"""Entries from a site that is not read through WordPress's API: a feed, a sitemap or one page.

A feed item that carries the whole article becomes an entry as it is (``text_from="feed"``);
one that carries only an excerpt, and every sitemap URL, gets its page fetched and the article
is extracted from the whole page (``text_from="page"``), keeping the item's own title, date,
author, categories and image. A good citizen: robots.txt is asked before every page, the
feed and sitemap are fetched with ``If-None-Match`` / ``If-Modified-Since`` (an unchanged feed
costs one 304 and nothing else), a page whose entry the store already holds is not fetched
again (unless ``force``), and pages of one host are spaced by ``delay`` seconds (or the
site's Crawl-delay).
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import feedparser
import httpx

from redraft.errors import FetchError
from redraft.http import Retrier
from redraft.records import Entry
from redraft.sources import DEFAULT_DELAY, Checkpoint, SourceItem
from redraft.sources.discover import Found
from redraft.sources.feeds import item_body, item_terms, item_time, item_title, own_field
from redraft.sources.jsonfeed import read_json_feed
from redraft.sources.robots import Disallowed, Robots
from redraft.sources.sitemaps import parse_sitemap
from redraft.sources.web import META_NAMES, fetch_page
from redraft.text import normalise
from redraft.wp.api import article_key, web_site_key
from redraft.wp.posts import plain_text

log = logging.getLogger(__name__)

# A feed body with fewer words than this is an excerpt: the page holds the article.
FULL_TEXT_MIN_WORDS = 150
# How excerpts end (WordPress's "[…]", "Read more", an ellipsis): such a body is never whole.
_TRUNCATED = re.compile(r"(?:\[(?:…|\.\.\.)\]|…|\.\.\.|read more|continue reading|weiterlesen|"
                        r"leer más|lire la suite)\W*$", re.IGNORECASE)
# Sitemaps of a sitemap index read at most in one sync.
MAX_CHILD_SITEMAPS = 50

Validators = dict[str, dict[str, str]]


@dataclass
class SiteOptions:
    """How a site is read.

    Attributes:
        validators: ETag / Last-Modified per feed or sitemap URL from the last sync.
        known: whether the store already holds an entry (its page is then not fetched again).
        force: ignore validators and ``known``: fetch everything.
        delay: seconds between two pages of one host (at least the site's Crawl-delay).
        limit: entries to yield at most.
        sleep: how to wait (an event's ``wait`` makes the wait end when asked to stop).
        stop: asked before each page: True ends the sync there, incomplete.
        left_out: asked with a feed item's own fields (title, categories, excerpt) before its
            page is fetched: True when they already decide that the sync leaves it out (the
            watch list's include/exclude words), so the page is not fetched at all.
    """

    validators: Validators = field(default_factory=dict)
    known: Callable[[str], bool] = lambda _key: False
    force: bool = False
    delay: float = DEFAULT_DELAY
    limit: int | None = None
    sleep: Callable[[float], object] = time.sleep
    stop: Callable[[], bool] = lambda: False
    left_out: Callable[[Mapping[str, Any]], bool] = lambda _known: False


class SiteSource:
    """A feed, sitemap or single page, read politely, with full text."""

    def __init__(self, retrier: Retrier, found: Found, *, robots: Robots,
                 options: SiteOptions | None = None) -> None:
        self.retrier = retrier
        self.found = found
        self.robots = robots
        self.options = options or SiteOptions()
        self.name = web_site_key(found.given)
        self.validators: Validators = dict(self.options.validators)
        self.unchanged = False
        self.counts = {"feed": 0, "page": 0, "skipped": 0, "disallowed": 0, "left_out": 0}
        self._complete = False
        self._last: dict[str, float] = {}
        self._yielded = 0

    def checkpoint(self) -> Checkpoint:
        return Checkpoint(complete=self._complete)

    def entries(self) -> Iterator[SourceItem]:
        """Every entry of the feed, sitemap or page (nothing when the feed is unchanged)."""
        self._complete, self.unchanged, self._yielded = False, False, 0
        kind = self.found.kind
        try:
            if kind == "feed":
                yield from self._feed(self.found.url)
            elif kind == "sitemap":
                yield from self._sitemap(self.found.url, depth=0)
            else:
                yield from self._page(self.found.url, {})
        except FetchError as exc:
            yield exc
            return
        self._complete = not self.options.stop()

    # --- feeds -------------------------------------------------------------------------------

    def _feed(self, url: str) -> Iterator[SourceItem]:
        body = self._conditional(url)
        if body is None:
            return
        if body.lstrip()[:1] == b"{":
            items: list[Mapping[str, Any]] = list(read_json_feed(body, url=url))
        else:
            parsed = feedparser.parse(body, sanitize_html=False, resolve_relative_uris=False)
            if parsed.bozo and not parsed.entries:
                raise FetchError(f"{url} is not a readable RSS or Atom feed "
                                 f"({parsed.get('bozo_exception') or 'no items'})", url=url)
            items = list(parsed.entries)
        for item in items:
            if self._full():
                return
            yield from self._item(item, url)

    def _item(self, item: Mapping[str, Any], feed: str) -> Iterator[SourceItem]:
        link = str(item.get("link") or item.get("id") or "")
        if not link:
            return
        key = article_key(link)
        known = _known_fields(item, feed)
        body = item_body(item)
        if body and not _excerpt(body):
            self.counts["feed"] += 1
            self._yielded += 1
            yield Entry(source=self.name, key=key, url=link, title=known.get("title", ""), html=body,
                        published=known.get("published"), modified=known.get("modified"),
                        meta={**_meta(known), "text_from": "feed"})
            return
        known["excerpt"] = plain_text(body) if body else ""
        if self.options.left_out(known):
            self.counts["left_out"] += 1
            return
        yield from self._page(link, known)

    # --- sitemaps ------------------------------------------------------------------------------

    def _sitemap(self, url: str, *, depth: int) -> Iterator[SourceItem]:
        body = self._conditional(url)
        if body is None:
            return
        sitemap = parse_sitemap(body)
        if sitemap is None:
            raise FetchError(f"{url} is not a readable sitemap", url=url)
        if sitemap.index:
            for child in sitemap.urls[:MAX_CHILD_SITEMAPS] if depth == 0 else ():
                yield from self._sitemap(child.loc, depth=depth + 1)
            return
        for node in sorted(sitemap.urls, key=lambda u: u.lastmod or _EPOCH, reverse=True):
            if self._full():
                return
            known: dict[str, Any] = {"title": node.title,
                                     "published": node.published, "modified": node.lastmod}
            yield from self._page(node.loc, {k: v for k, v in known.items() if v})

    # --- pages ---------------------------------------------------------------------------------

    def _page(self, url: str, known: Mapping[str, Any]) -> Iterator[SourceItem]:
        key = article_key(url)
        if not self.options.force and self.options.known(key):
            self.counts["skipped"] += 1
            return
        if not self.robots.allowed(url):
            self.counts["disallowed"] += 1
            yield Disallowed(f"robots.txt of {httpx.URL(url).host} disallows {url}; it was not "
                             "fetched", key=key, source=self.name)
            return
        self._wait(url)
        if self.options.stop():
            return
        item = fetch_page(self.retrier, url, source=self.name, key=key,
                          known={**known, "text_from": "page"})
        self._yielded += 1
        if isinstance(item, Entry):
            self.counts["page"] += 1
        yield item

    def _wait(self, url: str) -> None:
        host = httpx.URL(url).host
        gap = max(self.options.delay, self.robots.delay(url))
        last = self._last.get(host)
        if last is not None and gap > 0:
            remaining = last + gap - time.monotonic()
            if remaining > 0:
                self.options.sleep(remaining)
        self._last[host] = time.monotonic()

    def _full(self) -> bool:
        return self.options.limit is not None and self._yielded >= self.options.limit

    def _conditional(self, url: str) -> bytes | None:
        """The body of a feed or sitemap, or None when it has not changed since last time."""
        headers = {}
        saved = {} if self.options.force else self.validators.get(url, {})
        if saved.get("etag"):
            headers["If-None-Match"] = saved["etag"]
        if saved.get("last_modified"):
            headers["If-Modified-Since"] = saved["last_modified"]
        response = self.retrier.get(url, kind="feed", headers=headers)
        if response.status_code == 304:
            log.info("%s has not changed since the last sync", url)
            self.unchanged = True
            return None
        if response.status_code != 200:
            raise FetchError(f"{url} answered {response.status_code} "
                             f"{response.reason_phrase}", url=url,
                             status=response.status_code)
        fresh = {name: response.headers[header] for name, header in
                 (("etag", "ETag"), ("last_modified", "Last-Modified")) if header in response.headers}
        if fresh:
            self.validators[url] = fresh
        return response.content


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _excerpt(html: str) -> bool:
    text = plain_text(html)
    return len(text.split()) < FULL_TEXT_MIN_WORDS or bool(_TRUNCATED.search(text))


def _known_fields(item: Mapping[str, Any], feed: str) -> dict[str, Any]:
    known: dict[str, Any] = {"title": item_title(item), "feed": feed,
                             "published": item_time(item.get("published_parsed")),
                             "modified": item_time(own_field(item, "updated_parsed")),
                             "categories": item_terms(item)}
    if item.get("author"):
        known["author"] = normalise(str(item["author"]))
    image = item.get("image") or {}
    images = [m.get("url") for m in item.get("media_content") or [] if m.get("url")]
    if isinstance(image, Mapping) and image.get("href"):
        images.insert(0, image["href"])
    if images:
        known["image"] = str(images[0])
    return {k: v for k, v in known.items() if v}


def _meta(known: Mapping[str, Any]) -> dict[str, Any]:
    return {META_NAMES.get(k, k): v for k, v in known.items()
            if k in ("author", "categories", "image", "feed")}
