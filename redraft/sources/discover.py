"""What a URL is: a WordPress site, a feed, a sitemap, a home page's feed or sitemap, or one
article page.

A home page is searched in this order: the WordPress REST API (the ``api.w.org`` link), the
page's ``<link rel="alternate">`` feeds, the well-known feed paths, the sitemaps robots.txt
names. A page that is none of these (an article) is read as one page.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urljoin, urlsplit

import httpx
import lxml.html
from lxml import etree

from redraft.errors import FetchError
from redraft.http import Retrier
from redraft.sources.robots import Robots
from redraft.sources.sitemaps import is_sitemap
from redraft.wp.api import API_REL, site_url

log = logging.getLogger(__name__)

Kind = Literal["wordpress", "feed", "sitemap", "page"]

# Paths where sites commonly serve a feed, tried in order when a home page names none.
WELL_KNOWN_FEEDS = ("/feed", "/feed/", "/rss", "/rss.xml", "/feed.xml", "/atom.xml",
                    "/index.xml", "/feed.json", "/rss/index.xml")
_FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/feed+json",
               "application/json", "application/rdf+xml")
_FEED_ROOT = re.compile(rb"\A(?:\s+|<\?[^>]*\?>|<!--.*?-->|<!DOCTYPE[^>]*>)*<(?:rss|feed|rdf:RDF)[\s>]",
                        re.IGNORECASE | re.DOTALL)
_JSON_FEED = re.compile(rb'"version"\s*:\s*"https://jsonfeed\.org/version/')
_HTML_SNIFF = 256 * 1024  # a home page names its feeds and API in its head
# A WordPress feed names its generator in the channel's head, before the first items.
_GENERATOR_SNIFF = 8192
_WORDPRESS_GENERATOR = re.compile(rb"<generator[^>]*>\s*https?://wordpress\.org/", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Found:
    """What a URL turned out to be.

    Attributes:
        kind: ``wordpress``, ``feed``, ``sitemap`` or ``page``.
        url: what to read: the site (WordPress), the feed, the sitemap or the page.
        given: the URL as given.
        how: how it was found, in words, for the run's report.
    """

    kind: Kind
    url: str
    given: str
    how: str


def is_feed(data: bytes) -> bool:
    """Whether ``data`` is an RSS, Atom, RDF or JSON feed."""
    head = data[:4096]
    return bool(_FEED_ROOT.match(head) or _JSON_FEED.search(head))


def identify(retrier: Retrier, url: str, robots: Robots) -> Found:
    """Find out what ``url`` is, fetching as little as possible.

    Raises:
        FetchError: the URL cannot be fetched, or it is a home page with no API, feed or
            sitemap.
    """
    given = url if "://" in url else "https://" + url.strip()
    response = _get(retrier, given)
    landed = str(response.url)
    body = response.content
    if is_feed(body):
        if _WORDPRESS_GENERATOR.search(body[:_GENERATOR_SNIFF]):
            return Found("wordpress", site_url(landed), given,
                         "a WordPress site's feed (read through its REST API)")
        return Found("feed", landed, given, "a feed")
    if is_sitemap(body):
        return Found("sitemap", landed, given, "a sitemap")
    links = _head_links(body, landed)
    header = response.links.get(API_REL, {}).get("url")
    api = [urljoin(landed, header)] if header else [
        href for rel, _type, href in links if rel == API_REL]
    if api:
        return Found("wordpress", site_url(api[0]), given, "a WordPress site (its REST API)")
    if not _is_home(landed):
        return Found("page", landed, given, "an article page")
    return _from_home(retrier, landed, given, links, robots)


def _from_home(retrier: Retrier, landed: str, given: str, links: list[tuple[str, str, str]],
               robots: Robots) -> Found:
    for rel, kind, feed in links:
        if rel == "alternate" and kind in _FEED_TYPES and "comments" not in feed:
            return Found("feed", feed, given, "the feed the home page names")
    base = f"{urlsplit(landed).scheme}://{urlsplit(landed).netloc}"
    for path in WELL_KNOWN_FEEDS:
        try:
            answer = retrier.get(base + path, kind="feed")
        except FetchError:
            continue
        if answer.status_code == 200 and is_feed(answer.content):
            return Found("feed", str(answer.url), given, f"a feed at {path}")
    for sitemap in robots.sitemaps(landed):
        return Found("sitemap", sitemap, given, "the sitemap robots.txt names")
    raise FetchError(f"{given} is a home page with no WordPress REST API, no feed (none named "
                     "in the page, none at the usual paths) and no sitemap in robots.txt; give "
                     "the address of its feed or sitemap", url=given)


def _get(retrier: Retrier, url: str) -> httpx.Response:
    response = retrier.get(url, kind="feed")
    if response.status_code != 200:
        raise FetchError(f"{url} answered {response.status_code} {response.reason_phrase}; "
                         "check the address", url=url, status=response.status_code)
    return response


def _is_home(url: str) -> bool:
    parts = urlsplit(url)
    return parts.path.strip("/") in ("", "index.html", "index.php", "home")


def _head_links(body: bytes, base: str) -> list[tuple[str, str, str]]:
    """The ``<link>`` elements of an HTML page as (rel, type, absolute href), in page order;
    none for JSON or what cannot be parsed."""
    if body.lstrip()[:1] in (b"{", b"["):
        try:
            json.loads(body)
            return []
        except ValueError:
            pass
    try:
        root = lxml.html.document_fromstring(body[:_HTML_SNIFF])
    except (etree.ParserError, ValueError):
        return []
    found = []
    for link in root.iter("link"):
        href = link.get("href")
        try:
            address = urljoin(base, str(href)) if href is not None else ""
        except ValueError:  # a malformed address ("https://[fonts..."): not a link to follow
            continue
        if address:
            found.append((str(link.get("rel") or ""), str(link.get("type") or ""), address))
    return found
