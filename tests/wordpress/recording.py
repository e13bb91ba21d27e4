"""An ``httpx.Client`` that records the URL of every request it sends, to count them."""

from __future__ import annotations

from dataclasses import dataclass, field

import httpx

from redraft.config import HttpOptions
from redraft.http import Retrier


@dataclass
class Recorder:
    """The URLs requested, in order."""

    urls: list[str] = field(default_factory=list)

    def __call__(self, request: httpx.Request) -> None:
        self.urls.append(str(request.url))

    def matching(self, text: str) -> list[str]:
        """The URLs that contain ``text``."""
        return [url for url in self.urls if text in url]


def recording_retrier(options: HttpOptions | None = None) -> tuple[Retrier, Recorder]:
    """A retrier over a real client (redirects followed, short timeouts) that records URLs."""
    options = options or HttpOptions(timeout=10.0, retries=2, backoff=0.05, max_backoff=2.0)
    recorder = Recorder()
    client = httpx.Client(timeout=options.timeout, follow_redirects=True,
                          event_hooks={"request": [recorder]})
    return Retrier(client, options), recorder
