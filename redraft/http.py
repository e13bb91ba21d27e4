"""Polite, patient HTTP on top of an injected ``httpx.Client``: retries, back-off, caps.

Shared by every stage that talks to a server (WordPress sites, feeds, LLM servers). Stages never
build a client: the CLI and the review app build one with :func:`client`, and tests pass one with
a ``MockTransport``.

- Retries connection errors, timeouts, 429 and 5xx, up to ``HttpOptions.retries`` times, with
  exponential back-off and full jitter, honouring ``Retry-After`` (seconds or an HTTP date)
  up to ``HttpOptions.max_backoff``.
- Caps requests in flight per host with :class:`HostLimiter`.
- Streams every body within a :class:`Cap` per kind of response (a page of posts, a feed, a
  web page, any other answer): a size cap counted after decompression (gzip is inflated a
  bounded step at a time, so a bomb stops at the cap) and a deadline for the whole request,
  not per read (a server trickling a byte a second is cut off). A breach is not retried.
- Follows redirects itself: at most ``MAX_REDIRECTS`` hops, to http(s) URLs only, and a
  request carrying credentials never to another origin unless the caller trusts it.
- Translates every failure into :class:`~redraft.errors.FetchError`, with the URL in it.
"""

from __future__ import annotations

import random
import threading
import time
import zlib
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any, Literal

import httpx

from redraft._version import __version__
from redraft.config import USER_AGENT, HttpOptions
from redraft.errors import FetchError

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504, 520, 521, 522, 523, 524})


def user_agent(options: HttpOptions) -> str:
    """The User-Agent to send: the configured one, or redraft's own with its version."""
    return options.user_agent or USER_AGENT.format(version=__version__)


def client(options: HttpOptions) -> httpx.Client:
    """The one HTTP client of a command or an app: timeouts and an honest User-Agent."""
    return httpx.Client(
        timeout=httpx.Timeout(options.timeout, pool=None),
        headers={"User-Agent": user_agent(options)},
        follow_redirects=True,
        limits=httpx.Limits(max_connections=max(10, options.concurrency * 2)),
    )


class HostLimiter:
    """At most ``limit`` requests in flight per host, shared by every thread of a run."""

    def __init__(self, limit: int) -> None:
        if limit < 1:
            raise ValueError(f"a concurrency limit must be at least 1, not {limit}")
        self._limit = limit
        self._lock = threading.Lock()
        self._gates: dict[str, threading.BoundedSemaphore] = {}

    @contextmanager
    def slot(self, url: str) -> Iterator[None]:
        """Hold one of the host's slots for the duration of a request."""
        host = httpx.URL(url).host
        with self._lock:
            gate = self._gates.setdefault(host, threading.BoundedSemaphore(self._limit))
        with gate:
            yield


Kind = Literal["posts", "feed", "page", "answer"]

MIB = 1024 * 1024
# A page of 100 posts with embedded terms runs to a few MB; 32 MiB is 320 KB a post, and four
# pages fetched ahead stay far under 300 MB while a hostile server sends endless bytes.
POSTS_PAGE_BYTES = 32 * MIB
# A feed page holds 10 items by default (WordPress's posts_per_rss); 50 long full-text items
# make about 2 MB.
FEED_BYTES = 8 * MIB
# An HTML page (a home page, an article): the extractor keeps 2 M characters of one at most.
PAGE_BYTES = 8 * MIB
# Every other answer (the API index, the publisher's JSON, an LLM server's completion) is small.
ANSWER_BYTES = 16 * MIB
# Seconds for a whole request to a site or a feed, body included: a slow host serves 100 posts
# with embeds in about 10 s; a server that trickles a byte at a time is cut off within a minute.
FETCH_DEADLINE = 45.0
# Seconds for any other answer: an LLM server on a CPU may take minutes over one completion.
ANSWER_DEADLINE = 600.0
# A moved site (http → https, a new host) takes one or two hops; a loop stops here.
MAX_REDIRECTS = 5
# Bytes inflated at a time from a gzip body, so a bomb never expands past its cap in memory.
_INFLATE_STEP = 256 * 1024
_REDIRECT_SCHEMES = frozenset({"http", "https"})


@dataclass(frozen=True, slots=True)
class Cap:
    """What one kind of response may cost.

    Attributes:
        what: the kind, in words (for messages).
        max_bytes: the most bytes of its body, after decompression.
        deadline: the most seconds for the whole request, redirects and body included.
    """

    what: str
    max_bytes: int
    deadline: float


@dataclass(frozen=True, slots=True)
class Caps:
    """The cap of each kind of response (tests lower them; the defaults are the constants)."""

    posts: Cap = Cap("a page of posts", POSTS_PAGE_BYTES, FETCH_DEADLINE)
    feed: Cap = Cap("a feed", FEED_BYTES, FETCH_DEADLINE)
    page: Cap = Cap("a web page", PAGE_BYTES, FETCH_DEADLINE)
    answer: Cap = Cap("an answer", ANSWER_BYTES, ANSWER_DEADLINE)
    redirects: int = MAX_REDIRECTS

    def of(self, kind: Kind) -> Cap:
        """The cap of ``kind``."""
        cap: Cap = getattr(self, kind)
        return cap


class _Refused(Exception):
    """A response that is not retried: too big, too slow, a bad redirect or body."""


@dataclass
class Retrier:
    """Sends requests through a client, retrying what is worth retrying, within caps.

    Attributes:
        client: the injected ``httpx.Client``.
        options: retries, back-off and concurrency settings.
        limiter: the per-host cap; one is made from ``options.concurrency`` when omitted.
        sleep: how to wait (tests pass a fake).
        jitter: a source of numbers in [0, 1) for full jitter (tests pass a fixed one).
        caps: size and time caps per kind of response, and the redirects followed.
    """

    client: httpx.Client
    options: HttpOptions = field(default_factory=HttpOptions)
    limiter: HostLimiter | None = None
    sleep: Callable[[float], None] = time.sleep
    jitter: Callable[[], float] = random.random
    caps: Caps = field(default_factory=Caps)

    def __post_init__(self) -> None:
        if self.limiter is None:
            self.limiter = HostLimiter(self.options.concurrency)

    def request(self, method: str, url: str, *, kind: Kind = "answer",
                trust: Collection[str] = (), **kwargs: Any) -> httpx.Response:
        """Send a request, retrying connection errors, timeouts, 429 and 5xx.

        Redirects are followed up to ``caps.redirects`` hops, to http(s) URLs only; a request
        with credentials (``auth`` or an ``Authorization`` header) follows one to another
        origin only when ``trust`` names it (an HTTPS upgrade of the same host is the same
        origin). The body is read within the cap of ``kind``.

        Returns:
            The first response that is not retried (any status, 4xx included), read.

        Raises:
            FetchError: the server kept failing (or could not be reached) after the retries,
                or its answer broke a cap, redirected where it may not, or could not be decoded.
        """
        assert self.limiter is not None
        attempts = self.options.retries + 1
        cap = self.caps.of(kind)
        for attempt in range(attempts):
            last = attempt == attempts - 1
            try:
                with self.limiter.slot(url):
                    response = self._send(method, url, cap, trust, kwargs, read_retried=last)
            except httpx.TransportError as exc:
                if last:
                    raise FetchError(
                        f"{method} {url} failed after {attempts} attempts: "
                        f"{type(exc).__name__}: {exc or 'no detail'}",
                        url=url,
                    ) from exc
                self.sleep(self._backoff(attempt, None))
                continue
            except (_Refused, httpx.HTTPError, httpx.InvalidURL, httpx.StreamError) as exc:
                raise _fetch_error(method, url, exc) from exc
            if response.status_code not in RETRY_STATUSES:
                return response
            if last:
                raise FetchError(
                    f"{method} {url} answered {response.status_code} "
                    f"{response.reason_phrase} {attempts} times; try again later",
                    url=url,
                    status=response.status_code,
                )
            self.sleep(self._backoff(attempt, response.headers.get("Retry-After")))
        raise AssertionError("unreachable")  # pragma: no cover

    def attempt(self, method: str, url: str, *, kind: Kind = "answer",
                trust: Collection[str] = (), **kwargs: Any) -> httpx.Response:
        """One try, not retried, under the same caps and redirect rules as :meth:`request`:
        the response whatever its status, read (for a caller that must see the body of a 5xx
        before deciding whether to retry it).

        Raises:
            FetchError: the server could not be reached, or its answer broke a cap,
                redirected where it may not, or could not be decoded.
        """
        assert self.limiter is not None
        try:
            with self.limiter.slot(url):
                return self._send(method, url, self.caps.of(kind), trust, kwargs,
                                  read_retried=True)
        except (_Refused, httpx.HTTPError, httpx.InvalidURL, httpx.StreamError) as exc:
            raise _fetch_error(method, url, exc) from exc

    def get(self, url: str, **kwargs: Any) -> httpx.Response:
        """``request("GET", ...)``."""
        return self.request("GET", url, **kwargs)

    def post(self, url: str, **kwargs: Any) -> httpx.Response:
        """``request("POST", ...)``."""
        return self.request("POST", url, **kwargs)

    def _send(self, method: str, url: str, cap: Cap, trust: Collection[str],
              kwargs: dict[str, Any], *, read_retried: bool) -> httpx.Response:
        """One attempt: the request, its redirects, and its body (unless it will be retried)."""
        deadline = time.monotonic() + cap.deadline
        options = dict(kwargs)
        auth = options.pop("auth", None)
        options.pop("follow_redirects", None)
        request = self.client.build_request(method, url, **options)
        credentialed = auth is not None or "authorization" in request.headers
        hops = 0
        while True:
            try:
                response = self.client.send(request, auth=auth, follow_redirects=False,
                                            stream=True)
            except httpx.InvalidURL as exc:  # a Location that is no URL httpx can follow
                raise _Refused(f"redirected to a URL that is not a valid http(s) URL (a "
                               f"javascript: or data: link?: {exc}); only http(s) redirects "
                               "are followed") from exc
            following = response.next_request
            if following is None:
                break
            response.close()
            hops += 1
            self._check_redirect(request.url, following.url, hops, credentialed, trust)
            if time.monotonic() > deadline:
                raise _Refused(f"took longer than {cap.deadline:g} s (the cap for {cap.what})")
            request = following
        try:
            if response.status_code in RETRY_STATUSES and not read_retried:
                return response
            _read_within(response, cap, deadline)
        finally:
            response.close()
        return response

    def _check_redirect(self, source: httpx.URL, target: httpx.URL, hops: int,
                        credentialed: bool, trust: Collection[str]) -> None:
        if hops > self.caps.redirects:
            raise _Refused(f"more than {self.caps.redirects} redirects (a redirect loop?); "
                           f"the last one went to {target}")
        if target.scheme not in _REDIRECT_SCHEMES:
            raise _Refused(f"redirected to a {target.scheme or 'schemeless'} URL; only http(s) "
                           "redirects are followed")
        if credentialed and not _same_or_upgrade(source, target) and \
                not any(_same_or_upgrade(httpx.URL(t), target) for t in trust):
            raise _Refused(f"redirected from {_origin(source)} to {_origin(target)}; credentials "
                           f"go only to {_origin(source)}, so the redirect was not followed "
                           "(allow that origin explicitly if it is the same site)")

    def _backoff(self, attempt: int, retry_after: str | None) -> float:
        waited = retry_after_seconds(retry_after)
        if waited is not None:
            return min(waited, self.options.max_backoff)
        ceiling = min(self.options.max_backoff, self.options.backoff * 2.0**attempt)
        return ceiling * self.jitter()


def _fetch_error(method: str, url: str, exc: Exception) -> FetchError:
    """The :class:`FetchError` for an attempt that failed with ``exc``."""
    if isinstance(exc, _Refused):
        return FetchError(f"{method} {url}: {exc}", url=url)
    return FetchError(f"{method} {url} failed: {type(exc).__name__}: {exc or 'no detail'}",
                      url=url)


def _origin(url: httpx.URL) -> str:
    port = url.port
    return f"{url.scheme}://{url.host}" + (f":{port}" if port is not None else "")


def _same_or_upgrade(source: httpx.URL, target: httpx.URL) -> bool:
    if _origin(source) == _origin(target):
        return True
    return source.scheme == "http" and target.scheme == "https" and source.host == target.host \
        and source.port is None and target.port is None


def _read_within(response: httpx.Response, cap: Cap, deadline: float) -> None:
    """Read the body into ``response`` (``.content`` works after), or refuse it: over
    ``cap.max_bytes`` once decompressed, or still arriving at the deadline."""
    declared = response.headers.get("Content-Length", "").strip()
    encoded = response.headers.get("Content-Encoding", "").strip().lower()
    if declared.isdigit() and int(declared) > cap.max_bytes and encoded in ("", "identity"):
        raise _Refused(f"declared {int(declared):,} bytes, over the {cap.max_bytes:,}-byte cap for "
                       f"{cap.what}")
    body = bytearray()
    for chunk in _decoded(response, encoded):
        body += chunk
        if len(body) > cap.max_bytes:
            raise _Refused(f"sent more than {cap.max_bytes:,} bytes"
                           + (" once decompressed" if encoded not in ("", "identity") else "")
                           + f", the cap for {cap.what}; the answer was cut off")
        if time.monotonic() > deadline:
            raise _Refused(f"still sending after {cap.deadline:g} s (the cap for {cap.what}, "
                           f"{len(body):,} bytes so far); the answer was cut off")
    response._content = bytes(body)


def _decoded(response: httpx.Response, encoded: str) -> Iterator[bytes]:
    """The body's bytes as they arrive, gzip inflated a bounded step at a time (at least one,
    maybe empty, chunk per network read, so the caller can watch the clock)."""
    if response.is_stream_consumed:  # built in memory (a MockTransport answer): read already
        yield response.content
        return
    if encoded in ("", "identity"):
        yield from response.iter_raw()
        return
    if encoded not in ("gzip", "x-gzip"):
        yield from response.iter_bytes()
        return
    inflater = zlib.decompressobj(zlib.MAX_WBITS | 16)
    try:
        for raw in response.iter_raw():
            data = raw
            yield b""
            while data and not inflater.eof:
                yield inflater.decompress(data, _INFLATE_STEP)
                data = inflater.unconsumed_tail
        yield inflater.flush(_INFLATE_STEP)
    except zlib.error as exc:
        raise _Refused(f"sent a gzip body that cannot be decompressed ({exc})") from exc


def retry_after_seconds(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())
