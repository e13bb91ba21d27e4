"""A live WordPress site read through its REST API: discovery, paging, incremental sync.

```
site URL ──discover──▶ API root ──/wp/v2/posts?page=1──▶ totals ──pages 2..N (concurrent)──▶ entries
                         │ (Link rel="https://api.w.org/", or <link>, or a guess)
                         └── REST API locked (401/403)? ──▶ the site's RSS feed, marked via=feed
```

- Both URL forms: ``/wp-json/wp/v2/posts?...`` and ``index.php?rest_route=/wp/v2/posts&...``.
  A 200 that is not JSON (a plain-permalink site answers ``/wp-json/`` with its home page) is a
  :class:`~redraft.errors.NotJSONError` naming the URL, never data.
- Pages of 100, ordered by ID (unique, so no ties between pages), fetched ahead in threads
  while entries are yielded in page order; duplicates (posts that moved between pages while
  paging) are dropped by ID. A page that still fails after the retries is yielded as a
  :class:`~redraft.errors.FetchError` and the run goes on.
- Incremental: with a high-water mark, only posts modified after it are asked for
  (``modified_after``, WordPress 5.7+). A site that ignores the parameter is detected from
  its answer and read with a lean ``id,modified_gmt`` listing, then only the changed posts.
- :meth:`WordPressSource.checkpoint` says what the pipeline keeps: the API root, and a new mark
  only after a complete sync (every page read, as many posts as the site counted).
"""

from __future__ import annotations

import dataclasses
import json
import logging
from collections import deque
from collections.abc import Callable, Generator, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import parse_qs, urljoin, urlsplit

import httpx
import lxml.html
from lxml import etree

from redraft.errors import FetchError, Malformed, NotJSONError, Rejected
from redraft.http import Retrier
from redraft.records import Entry
from redraft.sources import Checkpoint, SourceItem
from redraft.sources.feeds import FeedOptions, FeedSource
from redraft.sources.files import wp_entry
from redraft.wp_rest import AUTH_STATUSES, PER_PAGE, route_url, site_url

log = logging.getLogger(__name__)

API_REL = "https://api.w.org/"
EMBED = "author,wp:term,wp:featuredmedia"  # names of terms and author, featured image URL
LOCKED_STATUSES = AUTH_STATUSES  # a public listing refused: the API is locked
_MAX_HTML = 2 * 1024 * 1024  # enough of a home page to find its <link> tags


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
    """

    high_water: str | None = None
    since: datetime | None = None
    limit: int | None = None
    api_root: str | None = None
    prefetch: int | None = None


class _Locked(Exception):
    """The REST API refused an anonymous listing (internal: triggers the feed fallback)."""

    def __init__(self, status: int, code: str) -> None:
        super().__init__(f"{status} {code}".strip())
        self.status = status
        self.code = code


@dataclass(slots=True)
class _Page:
    items: list[Any]
    total: int | None = None
    pages: int | None = None
    date: datetime | None = None


class WordPressSource:
    """Posts of a WordPress site, as entries.

    Args:
        retrier: sends every request (retries, back-off, ``Retry-After``, per-host cap).
        url: any address of the site (its home page, a post, its API root).
        options: mark, ``since``, limit, known API root, prefetch.

    Attributes:
        name: ``wordpress:<site URL>``, the source of every entry (see :func:`site_key`).
        site: the canonical site URL; entry keys are ``<site>#<post id>``.
    """

    def __init__(self, retrier: Retrier, url: str, *, options: WordPressOptions | None = None) -> None:
        self.retrier = retrier
        self.url = url if "://" in url else "https://" + url.strip()
        self.options = options or WordPressOptions()
        self.site = site_url(url)
        self.name = "wordpress:" + self.site
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
                if not stored or not (exc.status == 404 or isinstance(exc, NotJSONError)):
                    raise
                log.info("%s: the stored API root %s failed (%s); discovering it again",
                         self.site, self._root, exc)
                self.discover()
                self._state = _SyncState()
                yield from self._listing()
        except _Locked as locked:
            yield from self._from_feed(locked)
        except FetchError as exc:
            self._state.failures += 1
            yield exc

    def checkpoint(self) -> Checkpoint:
        """What the last :meth:`entries` learned: API root, new mark, completeness."""
        state = self._state
        return Checkpoint(api_root=self._root, high_water=self._new_mark(),
                          complete=state.complete, via_feed=state.via_feed)

    def discover(self) -> str:
        """Find the REST API root from the site's address (and note its feed on the way).

        Raises:
            FetchError: the site cannot be reached, or shows no REST API.
        """
        parts = urlsplit(self.url)
        if "/wp-json" in parts.path or "rest_route=" in parts.query:
            path = parts.path.split("/wp-json", 1)[0] + "/wp-json/" if "/wp-json" in parts.path \
                else parts.path
            query = "rest_route=/" if "rest_route=" in parts.query else ""
            self._root = parts._replace(path=path, query=query, fragment="").geturl()
            return self._root
        response = self.retrier.get(self.url)
        link = response.links.get(API_REL)
        html = _head_html(response)
        root = urljoin(str(response.url), link["url"]) if link and link.get("url") else None
        root = root or _html_link(html, f'//link[@rel="{API_REL}"]/@href', str(response.url))
        self._feed_url = _html_link(
            html, '//link[@rel="alternate"][@type="application/rss+xml"]'
                  '[not(contains(@href, "comments"))]/@href', str(response.url))
        self._root = root or self._guess_root()
        log.info("%s: REST API root %s", self.site, self._root)
        return self._root

    # --- paging ------------------------------------------------------------------------------

    def _listing(self) -> Iterator[SourceItem]:
        """The posts route page by page. A full sync asks for the first pages at once (page
        1's totals would only delay them); an incremental one, usually one page or none,
        asks for page 1 alone, then for as many more as it counts."""
        state, lower, limit = self._state, self._lower_bound(), self.options.limit
        per_page = min(PER_PAGE, limit or PER_PAGE)
        params: dict[str, Any] = {"per_page": per_page, "orderby": "id", "order": "desc",
                                  "_embed": EMBED}
        if lower is not None:
            params["modified_after"] = lower.isoformat()
        wanted = -(-limit // per_page) if limit else None
        last: list[int | None] = [1 if lower is not None else wanted]
        root = self._root or ""
        pages = self._stream(lambda n: route_url(root, "/wp/v2/posts", {**params, "page": n}),
                             lambda: last[0], per_page)
        for number, page in pages:
            if number == 1 and isinstance(page, _Page):
                if lower is not None and any((_modified(p) or lower) <= lower for p in page.items):
                    log.warning("%s ignores modified_after (WordPress before 5.7?): listing IDs "
                                "and modification times, then fetching only the changed posts",
                                self.site)
                    pages.close()
                    yield from self._changed_only(lower)
                    return
                state.expected, state.server_date = page.total, page.date
                last[0] = min(filter(None, (page.pages, wanted)), default=None)
            yield from self._take(page)
            if state.truncated:
                return
        state.finished = True

    def _changed_only(self, lower: datetime) -> Iterator[SourceItem]:
        """For sites without ``modified_after``: a lean listing, then the changed posts."""
        state, root = self._state, self._root or ""
        lean = {"per_page": PER_PAGE, "orderby": "id", "order": "desc", "_fields": "id,modified_gmt"}
        last: list[int | None] = [None]
        changed: list[int] = []
        for number, page in self._stream(lambda n: route_url(root, "/wp/v2/posts", {**lean, "page": n}),
                                         lambda: last[0], PER_PAGE):
            if isinstance(page, FetchError):
                state.failures += 1
                yield page
                continue
            if number == 1:
                last[0], state.server_date = page.pages, page.date
            changed += [p["id"] for p in page.items if isinstance(p, Mapping)
                        and isinstance(p.get("id"), int) and (_modified(p) or lower) > lower]
        state.expected = len(changed)
        batches = [",".join(map(str, changed[i:i + PER_PAGE])) for i in range(0, len(changed), PER_PAGE)]
        full = {"per_page": PER_PAGE, "orderby": "id", "order": "desc", "_embed": EMBED}
        for _, page in self._stream(lambda n: route_url(root, "/wp/v2/posts", {
                **full, "include": batches[n - 1]}), lambda: len(batches), PER_PAGE):
            yield from self._take(page)
            if state.truncated:
                return
        state.finished = True

    def _stream(self, url_of: Callable[[int], str], last: Callable[[], int | None],
                per_page: int) -> Generator[tuple[int, _Page | FetchError], None, None]:
        """Pages 1, 2, ... fetched ahead in threads and yielded in order, up to ``last()``
        (asked again as pages arrive; None: until a short page or the end). Page 1's errors
        are raised: without it nothing is known. Later ones are yielded."""
        ahead = self.options.prefetch or self.retrier.options.concurrency
        window: deque[tuple[int, Future[_Page]]] = deque()
        number = 1
        with ThreadPoolExecutor(max_workers=ahead, thread_name_prefix="redraft-wp") as pool:
            try:
                while True:
                    bound = last()
                    while len(window) < ahead and (bound is None or number <= bound):
                        window.append((number, pool.submit(self._fetch, url_of(number))))
                        number += 1
                    if not window or (bound is not None and window[0][0] > bound):
                        return
                    current, future = window.popleft()
                    try:
                        page = future.result()
                    except _End:  # past the end: an empty site, or one that shrank
                        return
                    except (FetchError, _Locked) as exc:
                        if current == 1:
                            raise
                        yield current, _as_fetch_error(exc, url_of(current))
                        continue
                    yield current, page
                    if last() is None and len(page.items) < per_page:
                        return  # no totals sent: a page that is not full is the last
            finally:
                for _, future in window:
                    future.cancel()

    def _take(self, page: _Page | FetchError) -> Iterator[SourceItem]:
        if isinstance(page, FetchError):
            self._state.failures += 1
            yield page
        else:
            yield from self._posts(page.items)

    def _fetch(self, url: str) -> _Page:
        response = self.retrier.get(url)
        status = response.status_code
        if status == 200:
            data = _json(response, url)
            if not isinstance(data, list):
                raise NotJSONError(f"{url} answered JSON that is not a list of posts "
                                   f"({type(data).__name__})", url=url, status=status)
            return _Page(data, _int_header(response, "X-WP-Total"),
                         _int_header(response, "X-WP-TotalPages"), _date_header(response))
        code = _error_code(response)
        if status == 400 and code == "rest_post_invalid_page_number":
            raise _End
        if status in LOCKED_STATUSES:
            raise _Locked(status, code)
        raise FetchError(f"{url} answered {status} {response.reason_phrase}"
                         + (f" ({code})" if code else ""), url=url, status=status)

    # --- entries -----------------------------------------------------------------------------

    def _posts(self, items: list[Any]) -> Iterator[SourceItem]:
        state = self._state
        for post in items:
            if self.options.limit is not None and state.yielded >= self.options.limit:
                state.truncated = True
                return
            post_id = post.get("id") if isinstance(post, Mapping) else None
            if not isinstance(post_id, int):
                state.yielded += 1
                yield Malformed(f"a post without a numeric id in the listing of {self.site}",
                                key=f"{self.site}#?{state.yielded}", source=self.name)
                continue
            if post_id in state.seen:
                continue
            state.seen.add(post_id)
            state.yielded += 1
            modified = _modified(post)
            if modified is not None and (state.newest is None or modified > state.newest):
                state.newest = modified
            yield self._entry(post)

    def _entry(self, post: Mapping[str, Any]) -> Entry | Rejected:
        key = f"{self.site}#{post['id']}"
        item = wp_entry(post, label=self.site, where=f"post {post['id']}",
                        raw=json.dumps(post, ensure_ascii=False))
        if isinstance(item, Rejected):
            item.key, item.source = key, self.name
            return item
        meta = {**item.meta, "via": "rest", "site": self.site}
        return dataclasses.replace(item, source=self.name, key=key, meta=meta)

    def _from_feed(self, locked: _Locked) -> Iterator[SourceItem]:
        feed_url = self._feed_url or self._default_feed()
        log.warning("%s: the REST API is locked to logged-in users (%s); reading the RSS feed "
                    "%s instead, so entries are marked via=feed and lack modified times",
                    self.site, locked, feed_url)
        self._state.via_feed = True
        feed = FeedSource(self.retrier, feed_url, name=self.name, key=self._feed_key,
                          options=FeedOptions(max_pages=None, limit=self.options.limit))
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

    def _guess_root(self) -> str:
        """No advertised root: try both forms, trusting only a JSON index with ``wp/v2``."""
        for root in (self.site + "/wp-json/", self.site + "/?rest_route=/"):
            response = self.retrier.get(root)
            if response.status_code in LOCKED_STATUSES and _error_code(response).startswith("rest_"):
                return root
            try:
                index = _json(response, root) if response.status_code == 200 else None
            except NotJSONError:
                continue
            if isinstance(index, Mapping) and "wp/v2" in (index.get("namespaces") or []):
                return root
        raise FetchError(f"no WordPress REST API found at {self.url}: no Link "
                         f'rel="{API_REL}" header or <link>, and neither /wp-json/ nor '
                         "?rest_route=/ answers; is it a WordPress site?", url=self.url)

    # --- the mark ----------------------------------------------------------------------------

    def _lower_bound(self) -> datetime | None:
        marks = [m for m in (_parse_mark(self.options.high_water), _aware(self.options.since)) if m]
        return max(marks) if marks else None

    def _new_mark(self) -> str | None:
        """The new mark: only for a complete sync that started at the stored mark; never past
        the second before the server's clock at the start (an edit made in that second, after
        its page was read, must not fall at or before the mark)."""
        state, old = self._state, _parse_mark(self.options.high_water)
        since = _aware(self.options.since)
        if not state.complete or state.via_feed or (since is not None and (old is None or since > old)):
            return None
        mark = state.newest
        if mark is not None and state.server_date is not None:
            mark = min(mark, state.server_date - timedelta(seconds=1))
        if old is not None and (mark is None or mark < old):
            mark = old
        return mark.isoformat() if mark is not None else None


class _End(Exception):
    """A page past the end (400 rest_post_invalid_page_number)."""


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

    @property
    def complete(self) -> bool:
        counted = self.expected is None or self.via_feed or len(self.seen) >= self.expected
        return self.finished and not self.failures and not self.truncated and counted


def _as_fetch_error(exc: FetchError | _Locked, url: str) -> FetchError:
    if isinstance(exc, FetchError):
        return exc
    return FetchError(f"{url} answered {exc} after earlier pages were served (locked halfway?)",
                      url=url, status=exc.status)


def _json(response: httpx.Response, url: str) -> Any:
    kind = response.headers.get("content-type", "")
    body = response.content
    if "json" not in kind and body.lstrip()[:1] not in (b"[", b"{"):
        raise NotJSONError(f"{url} answered {response.status_code} with {kind or 'no type'}, "
                           "not JSON (a site without pretty permalinks serves the API only at "
                           "?rest_route=)", url=url, status=response.status_code)
    try:
        return json.loads(body)
    except ValueError as exc:
        raise NotJSONError(f"{url} answered {len(body)} bytes that are not valid JSON "
                           f"(truncated?): {exc}", url=url, status=response.status_code) from exc


def _error_code(response: httpx.Response) -> str:
    try:
        data = json.loads(response.content)
    except ValueError:
        return ""
    return str(data.get("code") or "") if isinstance(data, Mapping) else ""


def _int_header(response: httpx.Response, name: str) -> int | None:
    value = response.headers.get(name, "").strip()
    return int(value) if value.isdigit() else None


def _date_header(response: httpx.Response) -> datetime | None:
    try:
        return _aware(parsedate_to_datetime(response.headers.get("Date", "")))
    except (TypeError, ValueError):
        return None


def _head_html(response: httpx.Response) -> str:
    if response.status_code != 200 or "html" not in response.headers.get("content-type", ""):
        return ""
    return response.content[:_MAX_HTML].decode(response.encoding or "utf-8", errors="replace")


def _html_link(html: str, xpath: str, base: str) -> str | None:
    if not html.strip():
        return None
    try:
        hrefs = lxml.html.document_fromstring(html).xpath(xpath)
    except (etree.ParserError, ValueError):
        return None
    return urljoin(base, str(hrefs[0])) if isinstance(hrefs, list) and hrefs else None


def _modified(post: Any) -> datetime | None:
    value = post.get("modified_gmt") if isinstance(post, Mapping) else None
    try:
        return datetime.fromisoformat(str(value)).replace(tzinfo=UTC) if value else None
    except ValueError:
        return None


def _parse_mark(value: str | None) -> datetime | None:
    try:
        return _aware(datetime.fromisoformat(value)) if value else None
    except ValueError:
        return None


def _aware(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
