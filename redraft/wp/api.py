"""WordPress REST API facts shared by the WordPress source and the publisher.

- A site's identity (:func:`site_url`, :func:`site_key`): one canonical name for every spelling
  of its address, an API URL or a post's ``_links.self`` included.
- Route URLs in either form the API takes (``/wp-json/`` or ``?rest_route=``).
- Discovery (:func:`discover`): from a site's address to its REST API root and its feed.
- Origins (:func:`origin`, :func:`foreign_origin`): where credentials may go.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, quote, urlencode, urljoin, urlsplit

import lxml.html
from lxml import etree

from redraft.errors import FetchError, NotJSONError

if TYPE_CHECKING:  # a run of files must not pay for httpx (about 70 ms of imports)
    import httpx

    from redraft.http import Retrier

log = logging.getLogger(__name__)

PER_PAGE = 100  # the largest page the REST API serves (101 is a 400): fewest requests
AUTH_STATUSES = frozenset({401, 403})  # refused: not logged in, or not allowed
API_REL = "https://api.w.org/"  # the Link relation a WordPress site names its API root with
_SUFFIXES = ("/index.php", "/feed")  # stripped from a site URL to get the site itself
_DEFAULT_PORTS = {"http": 80, "https": 443}
_MAX_HEAD_HTML = 2 * 1024 * 1024  # enough of a home page to find its <link> tags
# Digits of a JSON integer kept as a number (as redraft.wp.posts.MAX_INT_DIGITS, which cannot
# be imported here: posts imports this module): no WordPress field needs more than 20, and a
# longer one stays text, so a post with an id of 5,000 digits is rejected alone.
_MAX_INT_DIGITS = 20


def site_key(url: str) -> str:
    """The name a site's entries and sync state are kept under: ``wordpress:<site URL>``.

    The same for every spelling of the site's address (see :func:`site_url`).
    """
    return "wordpress:" + site_url(url)


def site_url(url: str) -> str:
    """The canonical URL of a site from any of its addresses: the one function that says
    which site a URL belongs to (entry keys are ``<site_url>#<post id>``).

    Scheme and host lowercased, the default port, query, fragment, trailing slash and API or
    feed suffixes dropped: ``https://News.Example.org:443/wp-json/wp/v2/posts/12``,
    ``news.example.org/?rest_route=/wp/v2/posts`` and ``https://news.example.org/feed/`` all
    give ``https://news.example.org``.
    """
    text = url.strip()
    if "://" not in text:
        text = "https://" + text
    parts = urlsplit(text)
    scheme = parts.scheme.lower()
    try:
        port = parts.port
    except ValueError:
        port = None
    host = (parts.hostname or "").lower()
    netloc = host if port in (None, _DEFAULT_PORTS.get(scheme)) else f"{host}:{port}"
    path = parts.path.split("/wp-json", 1)[0].rstrip("/")
    for suffix in _SUFFIXES:
        path = path.removesuffix(suffix)
    return f"{scheme}://{netloc}{path.rstrip('/')}"


# Query parameters that only say where a reader came from; an article's address without them
# is the same article (Google Analytics, Facebook, Google Ads, Mailchimp, HubSpot, Matomo).
TRACKING_PARAMS = re.compile(r"^(?:utm_\w+|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|_hs\w+|"
                             r"mtm_\w+|pk_\w+|ref|ref_src|amp)$", re.IGNORECASE)


def web_host(url: str) -> str:
    """A site's host as one source whatever the address: lowercased, ``www.`` and the default
    port dropped (``http``/``https`` are the same site)."""
    parts = urlsplit(url.strip() if "://" in url else "https://" + url.strip())
    host = (parts.hostname or "").lower().removeprefix("www.")
    try:
        port = parts.port
    except ValueError:
        port = None
    return host if port in (None, 80, 443) else f"{host}:{port}"


def web_site_key(url: str) -> str:
    """The source name of a site that is not read through WordPress's API (a feed, a
    sitemap, pages): ``site:<host>`` for its home page, feed, sitemap or any article."""
    return "site:" + web_host(url)


def article_key(url: str) -> str:
    """The key of an article known by its address: its site, then its path and the query
    without tracking parameters; scheme, ``www.``, fragment and trailing slash ignored, so a
    feed's link, a sitemap's ``<loc>`` and a shared link of the same post are one entry."""
    parts = urlsplit(url.strip() if "://" in url else "https://" + url.strip())
    pairs = [(k, v) for k, v in _query_pairs(parts.query) if not TRACKING_PARAMS.match(k)]
    path = parts.path.rstrip("/") or "/"
    query = urlencode(sorted(pairs))
    return f"{web_site_key(url)}#{path}" + (f"?{query}" if query else "")


def origin(url: str) -> str:
    """``scheme://host[:port]`` of a URL, lowercased, default port dropped."""
    parts = urlsplit(url.strip() if "://" in url else "https://" + url.strip())
    scheme = parts.scheme.lower()
    try:
        port = parts.port
    except ValueError:
        port = None
    host = (parts.hostname or "").lower()
    return f"{scheme}://{host}" + ("" if port in (None, _DEFAULT_PORTS.get(scheme)) else f":{port}")


def same_site_origin(named: str, url: str) -> bool:
    """``url`` is on the origin of ``named``, or its HTTPS upgrade (same host, default ports)."""
    if origin(url) == origin(named):
        return True
    return origin(named).startswith("http://") and origin(url) == "https://" + \
        origin(named).removeprefix("http://")


def foreign_origin(named: str, url: str, allowed: Collection[str] = ()) -> str | None:
    """The origin of ``url`` when credentials for ``named`` must not go there, else None.

    Credentials go only to the origin the user named (or its HTTPS upgrade) and to the origins
    the user allowed explicitly.
    """
    if same_site_origin(named, url) or any(same_site_origin(a, url) for a in allowed):
        return None
    return origin(url)


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


# --- discovery -------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Discovery:
    """What a site's address led to.

    Attributes:
        root: the REST API root, either form.
        feed: the RSS feed the home page advertises (None when it names none).
        landed: the URL the address ended at after redirects (the address itself when no
            request was needed).
    """

    root: str
    feed: str | None
    landed: str


def discover(retrier: Retrier, url: str) -> Discovery:
    """Find the REST API root from a site's address (an API URL is taken as it is).

    The root comes from the ``Link: <...>; rel="https://api.w.org/"`` header, else the home
    page's ``<link>`` of that relation, else the first of ``/wp-json/`` and ``?rest_route=/``
    that answers as a WordPress API index. No credentials are sent.

    Raises:
        FetchError: the site cannot be reached, or shows no REST API.
    """
    address = url if "://" in url else "https://" + url.strip()
    parts = urlsplit(address)
    if "/wp-json" in parts.path or "rest_route=" in parts.query:
        path = parts.path.split("/wp-json", 1)[0] + "/wp-json/" if "/wp-json" in parts.path \
            else parts.path
        query = "rest_route=/" if "rest_route=" in parts.query else ""
        root = parts._replace(path=path, query=query, fragment="").geturl()
        return Discovery(root=root, feed=None, landed=address)
    response = retrier.get(address, kind="page")
    landed = str(response.url)
    link = response.links.get(API_REL)
    html = _head_html(response)
    advertised = urljoin(landed, link["url"]) if link and link.get("url") else None
    advertised = advertised or _html_link(html, f'//link[@rel="{API_REL}"]/@href', landed)
    feed = _html_link(html, '//link[@rel="alternate"][@type="application/rss+xml"]'
                            '[not(contains(@href, "comments"))]/@href', landed)
    root = advertised or _guess_root(retrier, site_url(landed), address)
    log.info("%s: REST API root %s", site_url(address), root)
    return Discovery(root=root, feed=feed, landed=landed)


def _guess_root(retrier: Retrier, site: str, address: str) -> str:
    """No advertised root: try both forms, trusting only a JSON index with ``wp/v2``."""
    for root in (site + "/wp-json/", site + "/?rest_route=/"):
        response = retrier.get(root)
        if response.status_code in AUTH_STATUSES and error_code(response).startswith("rest_"):
            return root
        try:
            index = json_body(response, root) if response.status_code == 200 else None
        except NotJSONError:
            continue
        if isinstance(index, Mapping) and "wp/v2" in (index.get("namespaces") or []):
            return root
    raise FetchError(f"no WordPress REST API found at {address}: no Link "
                     f'rel="{API_REL}" header or <link>, and neither /wp-json/ nor '
                     "?rest_route=/ answers; is it a WordPress site?", url=address)


def json_body(response: httpx.Response, url: str) -> Any:
    """The JSON of a REST answer.

    Over-long integers stay text, so a post with an id of 5,000 digits is rejected alone
    instead of failing its page.

    Raises:
        NotJSONError: the body is not JSON (an HTML page, a truncated body, nesting deeper
            than Python can parse), naming the URL.
    """
    kind = response.headers.get("content-type", "")
    body = response.content
    if "json" not in kind and body.lstrip()[:1] not in (b"[", b"{"):
        raise NotJSONError(f"{url} answered {response.status_code} with {kind or 'no type'}, "
                           "not JSON (a site without pretty permalinks serves the API only at "
                           "?rest_route=)", url=url, status=response.status_code)
    try:
        return json.loads(body, parse_int=_bounded_int)
    except RecursionError as exc:
        raise NotJSONError(f"{url} answered JSON nested too deep to read ({len(body)} bytes); "
                           "no WordPress answer looks like that", url=url,
                           status=response.status_code) from exc
    except ValueError as exc:
        raise NotJSONError(f"{url} answered {len(body)} bytes that are not valid JSON "
                           f"(truncated?): {exc}", url=url, status=response.status_code) from exc


def _bounded_int(text: str) -> int | str:
    return int(text) if len(text.lstrip("-")) <= _MAX_INT_DIGITS else text


def error_code(response: httpx.Response) -> str:
    """WordPress's error ``code`` in a JSON error answer ("" when there is none)."""
    try:
        data = json.loads(response.content)
    except (ValueError, RecursionError):
        return ""
    return str(data.get("code") or "") if isinstance(data, Mapping) else ""


def _head_html(response: httpx.Response) -> str:
    if response.status_code != 200 or "html" not in response.headers.get("content-type", ""):
        return ""
    return response.content[:_MAX_HEAD_HTML].decode(response.encoding or "utf-8", errors="replace")


def _html_link(html: str, xpath: str, base: str) -> str | None:
    if not html.strip():
        return None
    try:
        hrefs = lxml.html.document_fromstring(html).xpath(xpath)
    except (etree.ParserError, ValueError):
        return None
    return urljoin(base, str(hrefs[0])) if isinstance(hrefs, list) and hrefs else None
