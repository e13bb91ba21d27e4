"""Paging a REST listing: what a page says (:func:`read_page`), and pages fetched ahead in
threads, yielded in order, and bounded (:class:`PageStream`).

A listing stops at the last page the totals make plausible, at a page that brings nothing new
(:meth:`PageStream.nothing_new`: a site that ignores ``page``, or claims a billion empty
pages), and at a ceiling of pages; :attr:`PageStream.stopped` says why when it stopped early.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Generator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import parsedate_to_datetime
from typing import Any, Generic, TypeVar

import httpx

from redraft.errors import FetchError, NotJSONError
from redraft.sources.high_water import aware
from redraft.wp.api import AUTH_STATUSES, error_code, json_body

# Pages one sync reads at most (100,000 posts at 100 a page): more than a news site publishes
# between two syncs, and a bound on a site that claims a billion pages of fresh posts. The
# store raises it: a sync reads twice as many pages as the posts it already holds would fill.
MAX_PAGES = 1000

_MAX_HEADER_DIGITS = 12  # a total with more digits is not a count (int() of 5,000 digits fails)

P = TypeVar("P")


@dataclass(slots=True)
class Page:
    """One page of the posts route: its items and what its headers said."""

    items: list[Any]
    total: int | None = None
    pages: int | None = None
    date: datetime | None = None


class PastTheEnd(Exception):
    """A page past the end (400 rest_post_invalid_page_number)."""


class Locked(Exception):
    """The REST API refused an anonymous listing (401/403): the API is locked."""

    def __init__(self, status: int, code: str) -> None:
        super().__init__(f"{status} {code}".strip())
        self.status = status
        self.code = code


def read_page(response: httpx.Response, url: str) -> Page:
    """A page of posts from the answer to ``url``.

    Raises:
        PastTheEnd: a page past the end.
        Locked: the API refused an anonymous listing.
        FetchError: any other status; NotJSONError for a body that is not a JSON list.
    """
    status = response.status_code
    if status == 200:
        data = json_body(response, url)
        if not isinstance(data, list):
            raise NotJSONError(f"{url} answered JSON that is not a list of posts "
                               f"({type(data).__name__})", url=url, status=status)
        return Page(data, _int_header(response, "X-WP-Total"),
                    _int_header(response, "X-WP-TotalPages"), _date_header(response))
    code = error_code(response)
    if status == 400 and code == "rest_post_invalid_page_number":
        raise PastTheEnd
    if status in AUTH_STATUSES:
        raise Locked(status, code)
    raise FetchError(f"{url} answered {status} {response.reason_phrase}"
                     + (f" ({code})" if code else ""), url=url, status=status)


def page_size(page: Page) -> int:
    """The number of items of a page."""
    return len(page.items)


def _int_header(response: httpx.Response, name: str) -> int | None:
    value = response.headers.get(name, "").strip()
    return int(value) if value.isdigit() and len(value) <= _MAX_HEADER_DIGITS else None


def _date_header(response: httpx.Response) -> datetime | None:
    try:
        return aware(parsedate_to_datetime(response.headers.get("Date", "")))
    except (TypeError, ValueError):
        return None


def plausible_pages(total: int | None, total_pages: int | None, served: int) -> int | None:
    """The page count the totals make plausible: the smaller of ``X-WP-TotalPages`` and
    ``X-WP-Total`` over the size of the first page as served (a site may serve fewer than
    asked); None when the site sent neither."""
    by_total = -(-total // max(served, 1)) if total is not None else None
    claims = [count for count in (total_pages, by_total) if count is not None]
    return min(claims) if claims else None


def ceiling_for(known: int, per_page: int) -> int:
    """The most pages one sync reads, given how many of the site's posts the store holds."""
    return max(MAX_PAGES, 2 * -(-known // per_page))


@dataclass
class PageStream(Generic[P]):
    """Pages 1, 2, ... of a listing.

    Attributes:
        url_of: the URL of page ``n``.
        fetch: fetches and parses one page (runs in a worker thread).
        size: the number of items in a page.
        per_page: the page size asked for (a shorter page is the last when there are no totals).
        ahead: pages in flight at once.
        ceiling: the most pages to read.
        errors: the exceptions of ``fetch`` that are a page's failure (page 1's are raised;
            later ones are yielded, made a :class:`FetchError` by ``as_error``).
        as_error: turns a later page's failure into a :class:`FetchError`.
        end: the exception ``fetch`` raises for a page past the end (stops quietly).
        bound: the last page to read (None: until a short page); the caller may change it.
        stopped: why the listing stopped early (None when it ran to its end).
    """

    url_of: Callable[[int], str]
    fetch: Callable[[str], P]
    size: Callable[[P], int]
    per_page: int
    ahead: int
    ceiling: int
    errors: tuple[type[Exception], ...]
    as_error: Callable[[Exception, str], FetchError]
    end: type[Exception]
    bound: int | None = None
    stopped: str | None = None
    _halt: bool = field(default=False, repr=False)

    def nothing_new(self, number: int, page: P) -> None:
        """Page ``number`` brought no item not seen before: stop, unless it is the end anyway."""
        last = self.bound is not None and number >= self.bound
        short_end = self.bound is None and self.size(page) < self.per_page
        if not (last or short_end):
            what = "was empty" if self.size(page) == 0 else "repeated only posts seen already"
            claimed = f" of {self.bound:,} claimed" if self.bound is not None else ""
            self.stopped = (f"stopped paging: page {number}{claimed} {what} (a site that ignores "
                            "paging, or a wrong page count); the sync is incomplete")
            self._halt = True

    def pages(self) -> Generator[tuple[int, P | FetchError], None, None]:
        """Yield ``(number, page or its failure)`` in order, fetching ahead."""
        window: deque[tuple[int, Future[P]]] = deque()
        number = 1
        with ThreadPoolExecutor(max_workers=self.ahead, thread_name_prefix="redraft-wp") as pool:
            try:
                while not self._halt:
                    bound = self._last()
                    while len(window) < self.ahead and number <= bound:
                        window.append((number, pool.submit(self.fetch, self.url_of(number))))
                        number += 1
                    if not window:
                        self._note_ceiling(number)
                        return
                    current, future = window.popleft()
                    try:
                        page = future.result()
                    except self.end:  # past the end: an empty site, or one that shrank
                        return
                    except self.errors as exc:
                        if current == 1:
                            raise
                        yield current, self.as_error(exc, self.url_of(current))
                        continue
                    yield current, page
                    if self.bound is None and self.size(page) < self.per_page:
                        return  # no totals sent: a page that is not full is the last
            finally:
                for _, future in window:
                    future.cancel()

    def _last(self) -> int:
        return min(self.bound, self.ceiling) if self.bound is not None else self.ceiling

    def _note_ceiling(self, number: int) -> None:
        if number > self.ceiling and (self.bound is None or self.bound > self.ceiling):
            claimed = f"{self.bound:,}" if self.bound is not None else "more"
            self.stopped = (f"stopped paging after {self.ceiling:,} pages (the site claims "
                            f"{claimed}): more than one sync reads; the sync is incomplete, and "
                            "the next one, knowing more of the site, reads further")
