"""Sitemaps: a ``urlset`` (with Google News tags), or a sitemap index of further sitemaps."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from lxml import etree

from redraft.sources.web import parse_time

_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9",
       "n": "http://www.google.com/schemas/sitemap-news/0.9"}
# URLs read from one sitemap at most (the protocol's own limit is 50,000).
MAX_SITEMAP_URLS = 50_000


@dataclass(frozen=True, slots=True)
class SitemapURL:
    """One ``<url>`` (or, in an index, one ``<sitemap>``)."""

    loc: str
    lastmod: datetime | None = None
    title: str = ""  # a Google News sitemap's <news:title>
    published: datetime | None = None  # its <news:publication_date>


@dataclass(frozen=True, slots=True)
class Sitemap:
    """A parsed sitemap: ``index`` when its URLs are further sitemaps."""

    index: bool
    urls: tuple[SitemapURL, ...]


def is_sitemap(data: bytes) -> bool:
    """Whether ``data`` looks like a sitemap or a sitemap index."""
    head = data[:2048]
    return b"<urlset" in head or b"<sitemapindex" in head


def parse_sitemap(data: bytes) -> Sitemap | None:
    """The sitemap in ``data``, or None when it is not one (or not well-formed XML)."""
    try:
        root = etree.fromstring(data, parser=etree.XMLParser(resolve_entities=False,
                                                             no_network=True, huge_tree=False))
    except etree.XMLSyntaxError:
        return None
    tag = etree.QName(root).localname
    if tag not in ("urlset", "sitemapindex"):
        return None
    index = tag == "sitemapindex"
    urls: list[SitemapURL] = []
    for node in root.iterchildren():
        if not isinstance(node.tag, str) or etree.QName(node).localname not in ("url", "sitemap"):
            continue
        loc = _text(node, "s:loc") or _text(node, "loc")
        if not loc:
            continue
        urls.append(SitemapURL(
            loc=loc, lastmod=parse_time(_text(node, "s:lastmod") or _text(node, "lastmod")),
            title=_text(node, "n:news/n:title"),
            published=parse_time(_text(node, "n:news/n:publication_date"))))
        if len(urls) >= MAX_SITEMAP_URLS:
            break
    return Sitemap(index=index, urls=tuple(urls))


def _text(node: etree._Element, path: str) -> str:
    found = node.find(path, _NS)
    return (found.text or "").strip() if found is not None else ""
