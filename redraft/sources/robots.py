"""robots.txt, honoured: one file per origin, read once per run, parsed by protego (which reads
wildcards, ``Allow`` and longest-match precedence as the big crawlers do)."""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from protego import Protego

from redraft.errors import FetchError, Rejected
from redraft.http import Retrier

log = logging.getLogger(__name__)

# The product token matched against robots.txt groups (the full User-Agent says more).
ROBOTS_AGENT = "redraft"
# robots.txt answered with one of these means "no rules": the site allows everything (RFC 9309).
_NO_RULES = frozenset({400, 401, 403, 404, 405, 410, 451})
# A Crawl-delay longer than this is capped: a site asking a minute between pages is read slowly
# but still read (a desk can still lower it with a shorter --every).
MAX_CRAWL_DELAY = 30.0


class Disallowed(Rejected):
    """robots.txt asks crawlers like redraft not to fetch the item's page."""

    reason = "disallowed"


class Robots:
    """The robots.txt rules of the origins a run visits.

    A robots.txt that cannot be fetched (a network failure, a 5xx) disallows the whole origin
    for the run, as RFC 9309 asks; a 4xx means no rules.
    """

    def __init__(self, retrier: Retrier, *, agent: str = ROBOTS_AGENT) -> None:
        self.retrier = retrier
        self.agent = agent
        self._rules: dict[str, Protego | None] = {}

    def _of(self, url: str) -> Protego | None:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in self._rules:
            self._rules[origin] = self._fetch(origin + "/robots.txt")
        return self._rules[origin]

    def _fetch(self, url: str) -> Protego | None:
        try:
            response = self.retrier.get(url, kind="feed")
        except FetchError as exc:
            log.warning("%s could not be read (%s): nothing on that site is fetched", url, exc)
            return None
        if response.status_code in _NO_RULES:
            return Protego.parse("")
        if response.status_code != 200:
            log.warning("%s answered %s: nothing on that site is fetched", url,
                        response.status_code)
            return None
        return Protego.parse(response.content.decode("utf-8", "replace"))

    def allowed(self, url: str) -> bool:
        """Whether robots.txt lets redraft fetch ``url``."""
        rules = self._of(url)
        return rules is not None and bool(rules.can_fetch(url, self.agent))

    def delay(self, url: str) -> float:
        """The Crawl-delay the site asks of redraft (0 when none), capped."""
        rules = self._of(url)
        value = rules.crawl_delay(self.agent) if rules is not None else None
        return min(float(value), MAX_CRAWL_DELAY) if value else 0.0

    def sitemaps(self, url: str) -> list[str]:
        """The sitemaps robots.txt names."""
        rules = self._of(url)
        return list(rules.sitemaps) if rules is not None else []
