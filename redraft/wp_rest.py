"""WordPress REST API facts shared by the WordPress source and the publisher: a site's
canonical name, route URLs in either form the API takes (``/wp-json/`` or
``?rest_route=``), the page size and the statuses that mean "not allowed"."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qs, quote, urlencode, urlsplit

PER_PAGE = 100  # the largest page the REST API serves (101 is a 400): fewest requests
AUTH_STATUSES = frozenset({401, 403})  # refused: not logged in, or not allowed
_SUFFIXES = ("/index.php", "/feed")  # stripped from a site URL to get the site itself


def site_key(url: str) -> str:
    """The name a site's entries and sync state are kept under: ``wordpress:<site URL>``.

    The same for every spelling of the site's address: scheme and host lowercased, default
    port, query, trailing slash and API or feed suffixes dropped (``https://Example.org/wp-json/``
    and ``example.org`` give ``wordpress:https://example.org``).
    """
    return "wordpress:" + site_url(url)


def site_url(url: str) -> str:
    """The canonical URL of a site from any of its addresses (see :func:`site_key`)."""
    text = url.strip()
    if "://" not in text:
        text = "https://" + text
    parts = urlsplit(text)
    host = (parts.hostname or "").lower()
    default = {"http": 80, "https": 443}.get(parts.scheme.lower())
    netloc = host if parts.port in (None, default) else f"{host}:{parts.port}"
    path = parts.path.split("/wp-json", 1)[0].rstrip("/")
    for suffix in _SUFFIXES:
        path = path.removesuffix(suffix)
    return f"{parts.scheme.lower()}://{netloc}{path.rstrip('/')}"


def route_url(api_root: str, route: str, params: Mapping[str, Any] | None = None) -> str:
    """The URL of a REST route under ``api_root``, in whichever form the root uses.

    ``https://s/wp-json/`` gives ``https://s/wp-json/wp/v2/posts?page=2``;
    ``https://s/index.php?rest_route=/`` gives ``https://s/index.php?rest_route=/wp/v2/posts&page=2``.
    """
    query = urlencode(params or {}, quote_via=quote, safe="/:,")
    parts = urlsplit(api_root)
    if "rest_route=" in parts.query:
        others = [(k, v) for k, v in _query_pairs(parts.query) if k != "rest_route"]
        head = urlencode([("rest_route", route), *others], quote_via=quote, safe="/:,")
        return parts._replace(query=head + (f"&{query}" if query else "")).geturl()
    return api_root.rstrip("/") + route + (f"?{query}" if query else "")


def _query_pairs(query: str) -> list[tuple[str, str]]:
    return [(k, v) for k, values in parse_qs(query, keep_blank_values=True).items() for v in values]
