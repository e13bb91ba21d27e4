"""Entries from web pages: a whole article page fetched by URL (or read from a file).

A page becomes an :class:`~redraft.records.Entry` whose ``html`` is the whole page (the
extractor finds the main content); its title, canonical URL, date, author, image and
categories come from the page's own metadata (Open Graph, ``article:*``, ``<time>``, JSON-LD
is left to the extractor). A source that already knows some of these (a feed item) passes them
in ``known``; they win over what the page says.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any

import lxml.html
from lxml import etree

from redraft.errors import FetchError, Malformed, Rejected
from redraft.http import Retrier
from redraft.records import Entry
from redraft.sources import high_water
from redraft.sources.charsets import decode
from redraft.sources.files import first_text
from redraft.text import normalise

log = logging.getLogger(__name__)

_XML_DECLARATION = re.compile(r"\A\s*<\?xml[^>]*\?>")
_TITLE = ("//meta[@property='og:title']/@content", "//meta[@name='twitter:title']/@content",
          "//h1//text()", "//title/text()")
_CANONICAL = ("//link[@rel='canonical']/@href", "//meta[@property='og:url']/@content")
_PUBLISHED = ("//meta[@property='article:published_time']/@content",
              "//meta[@name='date']/@content", "//meta[@itemprop='datePublished']/@content",
              "//time/@datetime")
_MODIFIED = ("//meta[@property='article:modified_time']/@content",)
_AUTHOR = ("//meta[@name='author']/@content", "//meta[@property='article:author']/@content",
           "//*[@rel='author']//text()")
_IMAGE = ("//meta[@property='og:image']/@content",)
_CATEGORIES = "//meta[@property='article:section']/@content | //meta[@property='article:tag']/@content"
# HTML media types a page may be served as; anything else is not an article page.
HTML_TYPES = ("text/html", "application/xhtml+xml")


# What a feed item or a page says of itself, under the meta names every source uses (those of
# WordPress posts, which the sinks read: the author's name, the featured image, category names).
META_NAMES = {"author": "author_name", "image": "featured_image", "categories": "category_names"}


def page_key(url: str) -> str:
    """The idempotency key of a page known only by its URL."""
    return "page:" + hashlib.sha256(url.encode("utf-8", "surrogatepass")).hexdigest()[:24]


def page_entry(text: str, *, url: str, source: str, key: str | None = None,
               known: Mapping[str, Any] | None = None) -> Entry | Rejected:
    """An entry for a whole HTML page.

    Args:
        text: the page, decoded.
        url: where it was fetched (or the file's path); its canonical link wins when present.
        source: the entry's source label.
        key: the entry's key (default: from the canonical URL).
        known: title, url, published, modified, author, image, categories a feed already
            gave; they win over the page's own.
    """
    known = dict(known or {})
    text = _XML_DECLARATION.sub("", text, count=1)
    try:
        root = lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError) as exc:
        return Malformed(f"{url} cannot be read as HTML ({exc}); check that it is a web page",
                         key=key or page_key(url), source=source)
    canonical = known.get("url") or first_text(root, _CANONICAL) or url
    meta: dict[str, Any] = {"via": "page", "fetched_from": url}
    for name, xpaths in (("author", _AUTHOR), ("image", _IMAGE)):
        value = known.get(name) or first_text(root, xpaths)
        if value:
            meta[META_NAMES[name]] = value
    categories = known.get("categories") or _all(root, _CATEGORIES)
    if categories:
        meta[META_NAMES["categories"]] = list(categories)
    for name in ("excerpt", "text_from"):
        if known.get(name):
            meta[name] = known[name]
    return Entry(
        source=source, key=key or page_key(canonical), url=canonical,
        title=known.get("title") or first_text(root, _TITLE),
        html=text,
        published=known.get("published") or parse_time(first_text(root, _PUBLISHED)),
        modified=known.get("modified") or parse_time(first_text(root, _MODIFIED)),
        meta=meta,
    )


def fetch_page(retrier: Retrier, url: str, *, source: str, key: str | None = None,
               known: Mapping[str, Any] | None = None) -> Entry | Rejected | FetchError:
    """Fetch one article page and make it an entry (an error for the pipeline otherwise)."""
    try:
        response = retrier.get(url, kind="page")
    except FetchError as exc:
        return exc
    if response.status_code != 200:
        return FetchError(f"GET {url} answered {response.status_code} "
                          f"{response.reason_phrase}; check the address", url=url,
                          status=response.status_code)
    kind = response.headers.get("Content-Type", "text/html").split(";")[0].strip().lower()
    if kind and kind not in HTML_TYPES:
        return Malformed(f"{url} is {kind}, not a web page", key=key or page_key(url),
                         source=source)
    text = decode(response.content, label=url)
    if isinstance(text, Rejected):  # decode names a file; this is a page of the site's source
        why = str(text.args[0]).removesuffix("; re-save it as UTF-8")
        return Malformed(f"{url}: {why}; the page cannot be read as text (ask the site to "
                         "declare its charset)", key=key or page_key(url), source=source)
    return page_entry(text, url=str(response.url), source=source, key=key, known=known)


def parse_time(value: str) -> datetime | None:
    """An ISO 8601 date or time in UTC (a date or time without a zone is taken as UTC, so that
    a sitemap mixing ``2024-05-01`` and ``2024-05-01T10:00:00+02:00`` sorts), or None when there
    is none or it does not parse."""
    return high_water.parse_time(value.strip() if value else None)



def _all(root: Any, xpath: str) -> list[str]:
    seen: list[str] = []
    for value in root.xpath(xpath):
        cleaned = normalise(str(value))
        if cleaned and cleaned not in seen:
            seen.append(cleaned)
    return seen
