"""A live WordPress site read through its REST API: discovery, paging, incremental sync.

```
site URL ──discover──▶ API root ──/wp/v2/posts?page=1──▶ totals ──pages 2..N (concurrent)──▶ entries
                         │ (Link rel="https://api.w.org/", or <link>, or a guess: redraft.wp.api)
                         └── REST API locked (401/403)? ──▶ the site's RSS feed, marked via=feed
```

- Both URL forms: ``/wp-json/wp/v2/posts?...`` and ``index.php?rest_route=/wp/v2/posts&...``.
  A 200 that is not JSON (a plain-permalink site answers ``/wp-json/`` with its home page) is a
  :class:`~redraft.errors.NotJSONError` naming the URL, never data.
- Pages of 100, ordered by ID (unique, so no ties between pages), fetched ahead in threads
  while entries are yielded in page order; duplicates (posts that moved between pages while
  paging) are dropped by ID. A page that still fails after the retries (or breaks a size or
  time cap, see :mod:`redraft.http`) is yielded as a :class:`~redraft.errors.FetchError` and
  the run goes on.
- Paging is bounded: it stops at a page that brings no post not seen already (a site that
  ignores ``page``, or claims a billion empty pages), at the page count the totals make
  plausible, and at ``MAX_PAGES`` (more when the store already holds more of the site's
  posts); :attr:`Checkpoint.stopped` says why. Such a sync is incomplete: the mark stays.
- A site whose address redirects to another site is read as that site, said so, and its
  posts are keyed by it (``redraft.wp.api.site_url`` of where it landed).
- Incremental: the high-water mark's rules live in :mod:`redraft.sources.high_water`.
"""

from __future__ import annotations

import dataclasses
import json
import logging
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit

from redraft.errors import FetchError, Malformed, NotJSONError, Rejected
from redraft.http import Retrier
from redraft.records import Entry
from redraft.sources import Checkpoint, SourceItem
from redraft.sources.feeds import FeedOptions, FeedSource
from redraft.sources.high_water import Mark, modified_of
from redraft.sources.wp_pages import (
    Locked,
    Page,
    PageStream,
    PastTheEnd,
    ceiling_for,
    page_size,
    plausible_pages,
    read_page,
)
from redraft.wp.api import (
    PER_PAGE,
    discover,
    origin,
    route_url,
    same_site_origin,
    site_url,
)
from redraft.wp.posts import wp_entry

log = logging.getLogger(__name__)

EMBED = "author,wp:term,wp:featuredmedia"  # names of terms and author, featured image URL
# What a post object of an unexpected shape makes the mapping raise (a dict where WordPress
# sends a list, an int where it sends an object): that post is malformed, the run goes on.
_SHAPE_ERRORS = (KeyError, IndexError, TypeError, ValueError, AttributeError)


@dataclass(frozen=True, slots=True)
class WordPressOptions:
    """What to read from a site.

    Attributes:
        high_water: the stored mark (``modified_gmt`` as ISO 8601): every post modified at or
            before it was synced already.
        since: read only posts modified after this (the CLI's ``--since``); a sync that starts
            later than the stored mark does not move the mark.
        limit: yield at most this many posts (newest first); a limited sync is never complete.
        api_root: the API root found by an earlier sync; skips discovery (found again if stale).
        prefetch: pages fetched ahead of the one being yielded (None: the per-host cap).
        known: how many of the site's posts the store holds (raises the page ceiling).
    """

    high_water: str | None = None
    since: datetime | None = None
    limit: int | None = None
    api_root: str | None = None
    prefetch: int | None = None
    known: int = 0


class _Moved(FetchError):
    """A page of the stored API root was redirected to another site (internal)."""


class WordPressSource:
    """Posts of a WordPress site, as entries.

    Args:
        retrier: sends every request (retries, back-off, ``Retry-After``, per-host cap, caps).
        url: any address of the site (its home page, a post, its API root).
        options: mark, ``since``, limit, known API root, prefetch.

    Attributes:
        name: ``wordpress:<site URL>``, the source of every entry (see :func:`site_key`).
        site: the canonical site URL; entry keys are ``<site>#<post id>``. When the address
            redirects to another site, both become that site's.
    """

    def __init__(self, retrier: Retrier, url: str, *, options: WordPressOptions | None = None) -> None:
        self.retrier = retrier
        self.url = url if "://" in url else "https://" + url.strip()
        self.options = options or WordPressOptions()
        self.site = site_url(url)
        self.name = "wordpress:" + self.site
        self.mark = Mark.of(self.options.high_water, self.options.since)
        self._root: str | None = self.options.api_root
        self._feed_url: str | None = None
        self._state = _SyncState()

    # --- the protocol ------------------------------------------------------------------------

    def entries(self) -> Iterator[SourceItem]:
        """Yield the site's posts (or the errors met) newest first, each post once."""
        self._state = _SyncState()
        try:
            stored = self._root is not None
            if not stored:
                self.discover()
            try:
                yield from self._listing()
            except FetchError as exc:  # page 1 failed: nothing was yielded yet
                if not stored or not (exc.status == 404 or isinstance(exc, NotJSONError | _Moved)):
                    raise
                log.info("%s: the stored API root %s failed (%s); discovering it again",
                         self.site, self._root, exc)
                self.discover()
                self._state = _SyncState()
                yield from self._listing()
        except Locked as locked:
            yield from self._from_feed(locked)
        except FetchError as exc:
            self._state.failures += 1
            yield exc
        if self._state.stopped:
            log.warning("%s: %s", self.site, self._state.stopped)

    def checkpoint(self) -> Checkpoint:
        """What the last :meth:`entries` learned: API root, new mark, completeness."""
        state = self._state
        mark = None if state.via_feed else self.mark.advance(
            complete=state.complete, newest=state.newest, server_date=state.server_date)
        return Checkpoint(api_root=self._root, high_water=mark, complete=state.complete,
                          via_feed=state.via_feed, stopped=state.stopped)

    def discover(self) -> str:
        """Find the REST API root (see :func:`redraft.wp.api.discover`); when the address
        redirected to another site, read that site under its own name and say so.

        Raises:
            FetchError: the site cannot be reached, or shows no REST API.
        """
        found = discover(self.retrier, self.url)
        if not same_site_origin(self.url, found.landed):
            self._moved_to(found.landed)
        elif not same_site_origin(self.url, found.root):
            log.warning("%s names its REST API on another origin, %s; reading it there",
                        self.site, origin(found.root))
        self._root, self._feed_url = found.root, found.feed
        return found.root

    def _moved_to(self, landed: str) -> None:
        site = site_url(landed)
        log.warning("%s redirects to another site, %s: reading that site's posts and keeping "
                    "them under its name (not %s); sync %s directly to silence this",
                    self.site, site, self.site, site)
        self.site, self.name = site, "wordpress:" + site
        self.mark = Mark.of(None, self.mark.since)  # the stored mark was the named site's

    # --- paging ------------------------------------------------------------------------------

    def _listing(self) -> Iterator[SourceItem]:
        """The posts route page by page. A full sync asks for the first pages at once (page
        1's totals would only delay them); an incremental one, usually one page or none,
        asks for page 1 alone, then for as many more as it counts."""
        state, lower, limit = self._state, self.mark.lower, self.options.limit
        per_page = min(PER_PAGE, limit or PER_PAGE)
        params: dict[str, Any] = {"per_page": per_page, "orderby": "id", "order": "desc",
                                  "_embed": EMBED}
        if lower is not None:
            params["modified_after"] = lower.isoformat()
        wanted = -(-limit // per_page) if limit else None
        root = self._root or ""
        stream = self._pages(lambda n: route_url(root, "/wp/v2/posts", {**params, "page": n}),
                             per_page)
        stream.bound = 1 if lower is not None else wanted
        pages = stream.pages()
        for number, page in pages:
            if number == 1 and isinstance(page, Page):
                if self.mark.ignored_by(page.items):
                    log.warning("%s ignores modified_after (WordPress before 5.7?): listing IDs "
                                "and modification times, then fetching only the changed posts",
                                self.site)
                    pages.close()
                    yield from self._changed_only()
                    return
                state.expected, state.server_date = page.total, page.date
                stream.bound = min(filter(None, (plausible_pages(page.total, page.pages,
                                                                 len(page.items)), wanted)),
                                   default=None)
            before = len(state.seen)
            yield from self._take(page)
            if state.truncated:
                return
            if isinstance(page, Page) and len(state.seen) == before:
                stream.nothing_new(number, page)
        state.finished = stream.stopped is None
        state.stopped = stream.stopped

    def _changed_only(self) -> Iterator[SourceItem]:
        """For sites without ``modified_after``: a lean listing, then the changed posts."""
        state, root = self._state, self._root or ""
        lean = {"per_page": PER_PAGE, "orderby": "id", "order": "desc", "_fields": "id,modified_gmt"}
        stream = self._pages(lambda n: route_url(root, "/wp/v2/posts", {**lean, "page": n}),
                             PER_PAGE)
        listing: dict[int, Any] = {}
        for number, page in stream.pages():
            if isinstance(page, FetchError):
                state.failures += 1
                yield page
                continue
            if number == 1:
                stream.bound = plausible_pages(page.total, page.pages, len(page.items))
                state.server_date = page.date
            fresh = {p["id"]: p for p in page.items if isinstance(p, Mapping)
                     and isinstance(p.get("id"), int) and p["id"] not in listing}
            listing.update(fresh)
            if not fresh:
                stream.nothing_new(number, page)
        if stream.stopped is not None:
            state.stopped = stream.stopped
            return
        changed = self.mark.changed(listing.values())
        state.expected = len(changed)
        batches = [",".join(map(str, changed[i:i + PER_PAGE])) for i in range(0, len(changed), PER_PAGE)]
        full = {"per_page": PER_PAGE, "orderby": "id", "order": "desc", "_embed": EMBED}
        posts = self._pages(lambda n: route_url(root, "/wp/v2/posts", {
            **full, "include": batches[n - 1]}), PER_PAGE)
        posts.bound = len(batches)
        for _, page in posts.pages():
            yield from self._take(page)
            if state.truncated:
                return
        state.finished = True

    def _pages(self, url_of: Callable[[int], str], per_page: int) -> PageStream[Page]:
        return PageStream(url_of=url_of, fetch=self._fetch, size=page_size, per_page=per_page,
                          ahead=self.options.prefetch or self.retrier.options.concurrency,
                          ceiling=ceiling_for(self.options.known, per_page),
                          errors=(FetchError, Locked), as_error=_as_fetch_error, end=PastTheEnd)

    def _take(self, page: Page | FetchError) -> Iterator[SourceItem]:
        if isinstance(page, FetchError):
            self._state.failures += 1
            yield page
        else:
            yield from self._posts(page.items)

    def _fetch(self, url: str) -> Page:
        response = self.retrier.get(url, kind="posts")
        if self._root and not same_site_origin(self._root, str(response.url)):
            raise _Moved(f"{url} redirected to another site, {origin(str(response.url))}",
                         url=url)
        return read_page(response, url)

    # --- entries -----------------------------------------------------------------------------

    def _posts(self, items: list[Any]) -> Iterator[SourceItem]:
        state = self._state
        for post in items:
            if self.options.limit is not None and state.yielded >= self.options.limit:
                state.truncated = True
                return
            post_id = post.get("id") if isinstance(post, Mapping) else None
            if not isinstance(post_id, int) or isinstance(post_id, bool):
                state.yielded += 1
                yield Malformed(f"a post without a numeric id in the listing of {self.site}",
                                key=f"{self.site}#?{state.yielded}", source=self.name)
                continue
            if post_id in state.seen:
                continue
            state.seen.add(post_id)
            state.yielded += 1
            modified = modified_of(post)
            if modified is not None and (state.newest is None or modified > state.newest):
                state.newest = modified
            yield self._entry(post)

    def _entry(self, post: Mapping[str, Any]) -> Entry | Rejected:
        key = f"{self.site}#{post['id']}"
        try:
            item = wp_entry(post, label=self.site, where=f"post {post['id']}",
                            raw=json.dumps(post, ensure_ascii=False))
        except RecursionError:
            return Malformed(f"post {post['id']} is nested too deep to read; no WordPress post "
                             "looks like that", key=key, source=self.name)
        except _SHAPE_ERRORS as exc:  # a field of a shape the mapping did not expect
            log.debug("post %s of %s: the mapping failed", post["id"], self.site, exc_info=True)
            return Malformed(f"post {post['id']} has a field of an unexpected shape "
                             f"({type(exc).__name__}: {exc}); not a REST post object as "
                             "WordPress makes them", key=key, source=self.name)
        if isinstance(item, Rejected):
            item.key, item.source = key, self.name
            return item
        meta = {**item.meta, "via": "rest", "site": self.site}
        return dataclasses.replace(item, source=self.name, key=key, meta=meta)

    def _from_feed(self, locked: Locked) -> Iterator[SourceItem]:
        feed_url = self._feed_url or self._default_feed()
        log.warning("%s: the REST API is locked to logged-in users (%s); reading the RSS feed "
                    "%s instead, so entries are marked via=feed and lack modified times",
                    self.site, locked, feed_url)
        self._state.via_feed = True
        feed = FeedSource(self.retrier, feed_url, name=self.name, key=self._feed_key,
                          options=FeedOptions(max_pages=None, limit=self.options.limit,
                                              known=self.options.known))
        for item in feed.entries():
            if isinstance(item, Entry):
                post_id = item.key.rsplit("#", 1)[1]
                meta = {**item.meta, "site": self.site}
                if post_id.isdigit():
                    meta["id"] = int(post_id)
                yield dataclasses.replace(item, meta=meta)
                continue
            if isinstance(item, FetchError):
                self._state.failures += 1
            yield item
        self._state.finished = feed.complete
        self._state.stopped = feed.stopped

    def _feed_key(self, item: Mapping[str, Any]) -> str:
        """``<site>#<id>`` when the guid or link carries ``?p=<id>``: the REST key."""
        for candidate in (item.get("id"), item.get("link")):
            ids = parse_qs(urlsplit(str(candidate or "")).query).get("p")
            if ids and ids[0].isdigit():
                return f"{self.site}#{ids[0]}"
        return f"{self.site}#{item.get('id') or item.get('link') or ''}"

    def _default_feed(self) -> str:
        plain = self._root is not None and "rest_route=" in self._root
        return self.site + ("/?feed=rss2" if plain else "/feed/")


@dataclass(slots=True)
class _SyncState:
    seen: set[int] = dataclasses.field(default_factory=set)
    yielded: int = 0
    failures: int = 0
    expected: int | None = None
    newest: datetime | None = None
    server_date: datetime | None = None
    truncated: bool = False
    finished: bool = False
    via_feed: bool = False
    stopped: str | None = None

    @property
    def complete(self) -> bool:
        counted = self.expected is None or self.via_feed or len(self.seen) >= self.expected
        return self.finished and not self.failures and not self.truncated and counted


def _as_fetch_error(exc: Exception, url: str) -> FetchError:
    if isinstance(exc, FetchError):
        return exc
    status = exc.status if isinstance(exc, Locked) else None
    return FetchError(f"{url} answered {exc} after earlier pages were served (locked halfway?)",
                      url=url, status=status)
