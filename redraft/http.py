"""Polite, patient HTTP on top of an injected ``httpx.Client``: retries, back-off, caps.

Shared by every stage that talks to a server (WordPress sites, feeds, LLM servers). It never
builds a client: the CLI does, and tests pass one with a ``MockTransport``.

- Retries connection errors, timeouts, 429 and 5xx, up to ``HttpOptions.retries`` times, with
  exponential back-off and full jitter, honouring ``Retry-After`` (seconds or an HTTP date)
  up to ``HttpOptions.max_backoff``.
- Caps requests in flight per host with :class:`HostLimiter`.
- Translates every failure into :class:`~redraft.errors.FetchError`, with the URL in it.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import httpx

from redraft._version import __version__
from redraft.config import USER_AGENT, HttpOptions
from redraft.errors import FetchError

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504, 520, 521, 522, 523, 524})


def user_agent(options: HttpOptions) -> str:
    """The User-Agent to send: the configured one, or redraft's own with its version."""
    return options.user_agent or USER_AGENT.format(version=__version__)


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


@dataclass
class Retrier:
    """Sends requests through a client, retrying what is worth retrying.

    Attributes:
        client: the injected ``httpx.Client``.
        options: retries, back-off and concurrency settings.
        limiter: the per-host cap; one is made from ``options.concurrency`` when omitted.
        sleep: how to wait (tests pass a fake).
        jitter: a source of numbers in [0, 1) for full jitter (tests pass a fixed one).
    """

    client: httpx.Client
    options: HttpOptions = field(default_factory=HttpOptions)
    limiter: HostLimiter | None = None
    sleep: Callable[[float], None] = time.sleep
    jitter: Callable[[], float] = random.random

    def __post_init__(self) -> None:
        if self.limiter is None:
            self.limiter = HostLimiter(self.options.concurrency)

    def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        """Send a request, retrying connection errors, timeouts, 429 and 5xx.

        Returns:
            The first response that is not retried (any status, 4xx included): the caller
            decides what a 404 or 401 means.

        Raises:
            FetchError: the server kept failing (or could not be reached) after the retries.
        """
        assert self.limiter is not None
        attempts = self.options.retries + 1
        for attempt in range(attempts):
            last = attempt == attempts - 1
            try:
                with self.limiter.slot(url):
                    response = self.client.request(method, url, **kwargs)
                    if response.status_code in RETRY_STATUSES and not last:
                        response.close()
                    else:
                        response.read()
            except httpx.TransportError as exc:
                if last:
                    raise FetchError(
                        f"{method} {url} failed after {attempts} attempts: "
                        f"{type(exc).__name__}: {exc or 'no detail'}",
                        url=url,
                    ) from exc
                self.sleep(self._backoff(attempt, None))
                continue
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

    def get(self, url: str, **kwargs: Any) -> httpx.Response:
        """``request("GET", ...)``."""
        return self.request("GET", url, **kwargs)

    def post(self, url: str, **kwargs: Any) -> httpx.Response:
        """``request("POST", ...)``."""
        return self.request("POST", url, **kwargs)

    def _backoff(self, attempt: int, retry_after: str | None) -> float:
        waited = retry_after_seconds(retry_after)
        if waited is not None:
            return min(waited, self.options.max_backoff)
        ceiling = min(self.options.max_backoff, self.options.backoff * 2.0**attempt)
        return ceiling * self.jitter()


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
