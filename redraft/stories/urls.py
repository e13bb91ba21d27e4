"""The same post by another route: one identity for a post's links, feeds and REST objects.

A WordPress post is reached as ``https://www.example.org/2024/05/title/``, as
``http://example.org/?p=123``, with ``?utm_source=...`` appended, through its feed (whose guid
is the ``?p=`` link) and through the REST API (which gives the id). :func:`canonical_url` makes
the links one string; :func:`post_identity` prefers the site and post id when anything says it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from redraft.records import Entry
from redraft.stories.rules import ALTERNATE_SUFFIXES, TRACKING_PARAMETERS, TRACKING_PREFIXES

_POST_ID = re.compile(r"^[1-9][0-9]{0,18}$")
_DEFAULT_PORTS = {"http": 80, "https": 443}
_SLASHES = re.compile(r"/{2,}")
SITES_CACHED = 256  # a run reads a few sites, each post naming its own: kept, the memory bounded


def _tracking(name: str) -> bool:
    lower = name.lower()
    return lower in TRACKING_PARAMETERS or lower.startswith(TRACKING_PREFIXES)


def canonical_url(url: str) -> str:
    """One spelling of a link: no scheme, no ``www.``, no default port, no fragment, no
    tracking parameters, remaining parameters sorted, no trailing slash or AMP suffix.

    ``""`` for a value that is not an http(s) link (a guid such as ``tag:...`` is compared
    as written by :func:`post_identity`).
    """
    parts = urlsplit(url.strip())
    scheme, hostname = parts.scheme.lower(), parts.hostname  # (the hostname is worked out anew)
    if scheme not in _DEFAULT_PORTS or not hostname:
        return ""
    host = hostname.lower().removeprefix("www.")
    port = parts.port
    if port is not None and port != _DEFAULT_PORTS[scheme]:
        host = f"{host}:{port}"
    path = parts.path or "/"
    if "//" in path:
        path = _SLASHES.sub("/", path)
    for suffix in ALTERNATE_SUFFIXES:
        stripped = path.rstrip("/")
        if stripped.endswith(suffix):
            path = stripped.removesuffix(suffix)
    path = path.rstrip("/") or "/"
    if not parts.query:  # most links: what urlunsplit makes of the host and a path opening
        return host + path  # with "/", less its "//" (an empty host: the path alone)
    query = sorted((name, value) for name, value in parse_qsl(parts.query, keep_blank_values=True)
                   if not _tracking(name))
    return urlunsplit(("", host, path, urlencode(query), "")).removeprefix("//")


@lru_cache(maxsize=SITES_CACHED)
def _site(url: str) -> str:
    """The site part of a canonical link (host and any folder a ``?p=`` link was under)."""
    return canonical_url(url).split("?", 1)[0].rstrip("/").removesuffix("/index.php")


def wordpress_post_id(url: str) -> str | None:
    """The post id of a ``?p=123`` (or ``?page_id=``) link, else None."""
    if "?" not in url:  # no query (most links, and a missing guid): not parsed
        return None
    query = dict(parse_qsl(urlsplit(url).query))
    for name in ("p", "page_id"):
        value = query.get(name, "")
        if _POST_ID.match(value):
            return value
    return None


def post_identities(entry: Entry) -> tuple[str, ...]:
    """The names under which two entries are the same post, most specific first:
    ``post:<site>/<id>`` when the post id is known (REST meta, a ``?p=`` link or guid) and
    ``url:<canonical link>`` when the entry has a link; ``key:<key>`` when it has neither.

    A REST object and its feed item share the first (the guid is the ``?p=`` link); a pretty
    link met elsewhere shares the second. Any shared name makes the two one post.
    """
    found: list[str] = []
    meta: Mapping[str, Any] = entry.meta
    site = str(meta.get("site") or "")
    post_id = meta.get("id")
    if site and isinstance(post_id, int) and not isinstance(post_id, bool) and post_id > 0:
        found.append(f"post:{_site(site)}/{post_id}")
    for link in (str(meta.get("guid") or ""), entry.url):
        number = wordpress_post_id(link)
        if number is not None and canonical_url(link):
            found.append(f"post:{_site(link)}/{number}")
    canonical = canonical_url(entry.url)
    if canonical:
        found.append(f"url:{canonical}")
    return tuple(dict.fromkeys(found)) or (f"key:{entry.key}",)
