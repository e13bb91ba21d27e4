"""Entries from an RSS or Atom feed (parsed by feedparser), with WordPress's feed paging.

A feed is the one public door of a site whose REST API is locked, so the WordPress source
falls back to it (:mod:`redraft.sources.wordpress`); :class:`FeedSource` also reads any feed
on its own. Item bodies come from ``content:encoded`` (or Atom ``content``) as HTML, else from
the summary. WordPress serves older items at ``?paged=2``, ``3``...; other feeds ignore that
parameter, which shows as a page with nothing new, where reading stops. Paging is bounded
too: at most ``MAX_FEED_PAGES`` pages (more when the store holds more of the site), so a feed
that invents new items on every page ends; :attr:`FeedSource.stopped` says why.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import feedparser
import httpx

from redraft.errors import FetchError, Malformed, Protected, Rejected
from redraft.http import Retrier
from redraft.records import Entry
from redraft.sources import SourceItem
from redraft.sources.jsonfeed import text_paragraphs
from redraft.text import normalise
from redraft.wp.posts import plain_text

log = logging.getLogger(__name__)

KeyFunction = Callable[[Mapping[str, Any]], str]

# WordPress answers a page past the end of a paged feed with one of these.
_END_STATUSES = frozenset({404, 410})
# Pages of a feed read at most: 2,000 items at WordPress's default of 10 a page, a site's
# whole archive as a locked site's feed shows it; twice the store's count when that is more.
MAX_FEED_PAGES = 200
# Items a feed page holds by default (WordPress's posts_per_rss), to turn a count into pages.
_FEED_PAGE_ITEMS = 10
# The mark WordPress leaves in a feed item whose post is password-protected.
_PASSWORD_FORM = "post-password-form"


@dataclass(frozen=True, slots=True)
class FeedOptions:
    """How much of a feed to read.

    Attributes:
        max_pages: pages to read (``?paged=N``); None reads until the feed runs out.
        limit: items to yield at most (None for all).
        via: the ``meta["via"]`` mark of the entries.
        known: how many of the site's items the store holds (raises the page ceiling).
    """

    max_pages: int | None = 1
    limit: int | None = None
    via: str = "feed"
    known: int = 0


def guid_key(item: Mapping[str, Any]) -> str:
    """The default key of a feed item: its guid, else its link."""
    return str(item.get("id") or item.get("link") or "")


class FeedSource:
    """Entries from one feed URL.

    Args:
        retrier: sends the requests (retries, back-off, per-host cap).
        url: the feed's URL.
        options: pages, limit and the ``via`` mark.
        name: the entries' ``source`` (default ``"feed:<url>"``).
        key: makes an entry's key from the feedparser item (default: its guid or link).

    After iterating, :attr:`complete` tells whether every page was read without a failure,
    and :attr:`stopped` why paging stopped early (None when it did not).
    """

    def __init__(self, retrier: Retrier, url: str, *, options: FeedOptions | None = None,
                 name: str | None = None, key: KeyFunction = guid_key) -> None:
        self.retrier = retrier
        self.url = url
        self.options = options or FeedOptions()
        self.name = name or f"feed:{url}"
        self.key = key
        self.complete = False
        self.stopped: str | None = None

    def entries(self) -> Iterator[SourceItem]:
        """Yield each item of each page once, newest first as the feed orders them."""
        self.complete, self.stopped = False, None
        seen: set[str] = set()
        page = 1
        limit = self.options.limit
        ceiling = max(MAX_FEED_PAGES, 2 * -(-self.options.known // _FEED_PAGE_ITEMS))
        while self.options.max_pages is None or page <= self.options.max_pages:
            if page > ceiling:
                self.stopped = (f"stopped reading the feed after {ceiling:,} pages, each with "
                                "new items: more than one sync reads; the sync is incomplete")
                return
            url = self.page_url(page)
            try:
                items = self._fetch(url, first=page == 1)
            except FetchError as exc:
                yield exc
                return
            fresh = [item for item in items if self.key(item) not in seen]
            if not fresh:
                break
            for item in fresh:
                seen.add(self.key(item))
                yield self.entry(item)
                if limit is not None and len(seen) >= limit:
                    return
            page += 1
        self.complete = True

    def page_url(self, page: int) -> str:
        """The URL of a page of the feed (WordPress's ``paged`` parameter after the first)."""
        if page == 1:
            return self.url
        return str(httpx.URL(self.url).copy_set_param("paged", str(page)))

    def _fetch(self, url: str, *, first: bool) -> list[Mapping[str, Any]]:
        response = self.retrier.get(url, kind="feed")
        if response.status_code in _END_STATUSES and not first:
            return []
        if response.status_code != 200:
            raise FetchError(f"the feed at {url} answered {response.status_code} "
                             f"{response.reason_phrase}", url=url, status=response.status_code)
        parsed = feedparser.parse(response.content, response_headers=dict(response.headers),
                                  sanitize_html=False, resolve_relative_uris=False)
        if parsed.bozo and not parsed.entries:
            raise FetchError(f"{url} is not a readable RSS or Atom feed "
                             f"({parsed.get('bozo_exception') or 'no items'})", url=url)
        return list(parsed.entries)

    def entry(self, item: Mapping[str, Any]) -> Entry | Rejected:
        """An entry from one feedparser item (or why it cannot be one)."""
        key = self.key(item)
        html = item_body(item)
        if _PASSWORD_FORM in html:
            return Protected("password-protected post: the feed shows only its password form",
                             key=key, source=self.name)
        if not key or not html.strip():
            return Malformed("feed item without an id, a link or any content",
                             key=key or f"{self.name}#?", source=self.name)
        meta: dict[str, Any] = {"via": self.options.via, "feed": self.url,
                                "guid": str(item.get("id") or "")}
        if terms := item_terms(item):
            meta["tag_names"] = terms
        if item.get("author"):
            meta["author_name"] = normalise(str(item["author"]))
        if item.get("content") and item.get("summary"):
            meta["excerpt"] = plain_text(str(item["summary"]))
        return Entry(
            source=self.name, key=key, url=str(item.get("link") or ""),
            title=item_title(item), html=html,
            published=item_time(item.get("published_parsed")),
            modified=item_time(own_field(item, "updated_parsed")),
            meta=meta, raw=_raw(item, html),
        )


def item_body(item: Mapping[str, Any]) -> str:
    """A feedparser item's body as HTML: its HTML content, else its plain-text content (escaped
    into paragraphs: a ``<`` in it is text), else its summary."""
    parts = [part for part in item.get("content") or [] if part.get("value")]
    for part in parts:
        if "html" in str(part.get("type", "")):
            return str(part["value"])
    for part in parts:
        if str(part.get("type", "")) == "text/plain":
            return text_paragraphs(str(part["value"]))
    return str(item.get("summary") or "")


def item_title(item: Mapping[str, Any]) -> str:
    """A feedparser item's title as text, its entities decoded once."""
    detail = item.get("title_detail") or {}
    title = str(item.get("title") or "")
    # feedparser has decoded a text/plain title already; decoding it again would be once too many.
    return plain_text(title) if "html" in str(detail.get("type", "")) else normalise(title)


def item_terms(item: Mapping[str, Any]) -> list[str]:
    """A feedparser item's categories and tags, as their names."""
    terms = [normalise(str(tag.get("term") or "")) for tag in item.get("tags") or []]
    return [term for term in terms if term]


def own_field(item: Mapping[str, Any], name: str) -> Any:
    """A field the item really has: feedparser maps a missing ``updated`` to ``published``
    (with a deprecation warning), which would pass a publication date off as a modification."""
    return dict.get(item, name) if isinstance(item, dict) else item.get(name)


def item_time(parsed: time.struct_time | None) -> datetime | None:
    """A feedparser ``*_parsed`` time (UTC) as an aware datetime."""
    return datetime(*parsed[:6], tzinfo=UTC) if parsed else None


def _raw(item: Mapping[str, Any], html: str) -> str:
    kept = {name: own_field(item, name) for name in ("id", "link", "title", "published",
                                                     "updated", "author", "summary")
            if own_field(item, name)}
    kept["tags"] = [tag.get("term") for tag in item.get("tags") or []]
    kept["content"] = html
    return json.dumps(kept, ensure_ascii=False)
