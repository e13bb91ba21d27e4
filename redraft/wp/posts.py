"""One WordPress REST API post object (the ``/wp/v2/posts`` item shape) as an
:class:`~redraft.records.Entry`, for a sync of a site and for an export file alike.

A post is keyed ``<site>#<id>`` (``<site>#<type>/<id>`` for pages and custom types), where
``<site>`` is :func:`redraft.wp.api.site_url`'s canonical name of the site, so an export of a
site and a sync of it name the same post the same way.

Posts come from other people's servers and files, so every field is checked for its shape
before it is used: a required field that is missing or of the wrong shape (``content.rendered``,
``id``, ``type``) rejects the item as :class:`~redraft.errors.Malformed`, naming it; an optional
one (dates, excerpt, terms, author, featured image) is left out. Lone UTF-16 surrogates (a JSON
``"\\ud800"`` escape, which no encoder can write) are replaced with U+FFFD, with a warning.
"""

from __future__ import annotations

import functools
import html as htmllib
import json
import logging
import re
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta, timezone
from typing import Any
from urllib.parse import urlsplit

import lxml.html
from lxml import etree

from redraft.errors import Malformed, Protected, Rejected
from redraft.records import Entry, encodable
from redraft.text import normalise
from redraft.wp.api import site_url

log = logging.getLogger(__name__)

# The largest post id accepted: SQLite's largest integer (WordPress ids are unsigned BIGINT,
# and no real site comes near it).
MAX_POST_ID = 2**63 - 1
# JSON integers longer than this are kept as their digits, not converted: no WordPress field
# needs more than 20 digits, and Python refuses to convert more than 4,300 (a ValueError).
MAX_INT_DIGITS = 20
# A post type as register_post_type() accepts it: sanitize_key()'s characters, 20 at most.
_POST_TYPE = re.compile(r"[a-z0-9_-]{1,20}")
_API_MARKERS = ("/wp-json/", "/index.php?rest_route=", "/?rest_route=")
_SITE_OF_LINK = re.compile(r"https?://[^/?#]+", re.IGNORECASE)
_SURROGATE = re.compile("[\ud800-\udfff]")
# Python's exceptions for a value of a shape the checks did not foresee: the item is rejected.
_SHAPE_ERRORS = (RecursionError, ValueError, TypeError, KeyError, IndexError, AttributeError)


class LongNumber(str):
    """A JSON integer with more than :data:`MAX_INT_DIGITS` digits, kept as its digits."""

    __slots__ = ()


def _json_int(digits: str) -> int | str:
    return int(digits) if len(digits.lstrip("-")) <= MAX_INT_DIGITS else LongNumber(digits)


_DECODER = json.JSONDecoder(parse_int=_json_int)


def parse_json(text: str) -> Any:
    """``json.loads`` for untrusted text: over-long integers stay text (:class:`LongNumber`).

    Raises:
        ValueError: :class:`json.JSONDecodeError` for bad syntax; a plain ``ValueError`` for
            JSON nested more deeply than Python's parser goes.
    """
    try:
        if text.startswith("\ufeff"):  # json.loads's own error for a byte-order mark
            return json.loads(text, parse_int=_json_int)
        return _DECODER.decode(text)  # what json.loads does, less a decoder made per call
    except RecursionError:
        raise ValueError("the JSON is nested too deeply to read (arrays or objects inside "
                         "each other hundreds of levels deep)") from None


def wp_entry(item: Any, *, label: str, where: str, raw: str | None = None) -> Entry | Rejected:
    """An entry from one WordPress REST API post object, or why it cannot be one.

    Args:
        item: the parsed JSON of the post.
        label: where it came from (a file's path, a site), the rejection's ``source``.
        where: the item within it (``"item 3"``, ``"line 7"``), or "" for the whole file.
        raw: the post's JSON text as received (else it is serialised from ``item``).
    """
    prefix = f"{where}: " if where else ""
    fallback_key = f"file:{label}" + (f":{where}" if where else "")
    try:
        return _entry(item, label=label, prefix=prefix, fallback_key=fallback_key, raw=raw)
    except _SHAPE_ERRORS as exc:
        log.debug("%s %s: unreadable post", label, where, exc_info=True)
        return Malformed(f"{prefix}an unreadable WordPress post ({type(exc).__name__}); "
                         "check its JSON against what /wp/v2/posts returns",
                         key=fallback_key, source=label)


def _entry(item: Any, *, label: str, prefix: str, fallback_key: str,
           raw: str | None) -> Entry | Rejected:
    item, raw = _cleaned(item, raw, label=label, prefix=prefix)
    if not isinstance(item, Mapping):
        return Malformed(f"{prefix}expected a WordPress post object, got {type(item).__name__}",
                         key=fallback_key, source=label)
    content = item.get("content")
    if not isinstance(content, Mapping) or not isinstance(body := content.get("rendered"), str):
        return Malformed(f"{prefix}not a WordPress post object: it has no content.rendered "
                         "(expected what /wp/v2/posts returns)", key=fallback_key, source=label)
    kind = item.get("type") or "post"
    if not isinstance(kind, str) or not _POST_TYPE.fullmatch(kind):
        return Malformed(f"{prefix}its type {_shown(kind)} is not a post type name",
                         key=fallback_key, source=label)
    post_id = item.get("id")
    if post_id is not None and not _is_id(post_id):
        return Malformed(f"{prefix}its id {_shown(post_id)} is not a post id (a whole number "
                         f"from 1 to {MAX_POST_ID})", key=fallback_key, source=label)
    site = post_site(item)
    base = site or f"file:{label}"  # a site nobody can name: the file's own posts, not another's
    key = fallback_key if post_id is None else (
        f"{base}#{post_id}" if kind == "post" else f"{base}#{kind}/{post_id}")
    if content.get("protected") and not body.strip():
        return Protected("password-protected post: its content is not public; skip it or "
                         "export it with credentials", key=key, source=label)
    return Entry(
        source=label, key=key, url=_str(item.get("link")),
        title=plain_text(_rendered(item.get("title"))), html=body,
        published=_wp_time(item.get("date"), item.get("date_gmt")),
        modified=_wp_time(item.get("modified"), item.get("modified_gmt")),
        meta=_wp_meta(item, site, kind), raw=raw,
    )


def _cleaned(item: Any, raw: str | None, *, label: str, prefix: str) -> tuple[Any, str]:
    """The item with lone surrogates replaced, and its JSON text (``raw`` when it was clean)."""
    # A text with no \u escape (text saved unescaped, most files) is scanned for one once, not
    # for each case of a surrogate's (a scan of a text beyond Latin-1 is a few instructions a
    # character: 6 M of 130 M reading 150 posts); escaped JSON has one in its first lines.
    if raw is not None and ("\\u" not in raw or ("\\ud" not in raw and "\\uD" not in raw)) \
            and encodable(raw):
        return item, raw  # no surrogate in the text, none written as an escape: none parsed
    text = json.dumps(item, ensure_ascii=False)
    found = len(_SURROGATE.findall(text))
    if not found:
        return item, raw if raw is not None else text
    log.warning("%s: %s%d lone UTF-16 surrogate(s) (invalid text) replaced with U+FFFD",
                label, prefix, found)
    text = _SURROGATE.sub("\ufffd", text)
    return parse_json(text), text


def _is_id(value: Any) -> bool:
    return type(value) is int and 0 < value <= MAX_POST_ID


def _shown(value: Any) -> str:
    """A value for a message: short, and an over-long number by its length only."""
    if isinstance(value, LongNumber):
        return f"(a number of {len(value.lstrip('-'))} digits)"
    text = json.dumps(value, ensure_ascii=True) if isinstance(value, str | int | float) else (
        type(value).__name__)
    return text if len(text) <= 40 else text[:37] + "..."


def _str(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _rendered(field: Any) -> str:
    """The ``rendered`` form of a field (``{"rendered": ...}``, or a plain string)."""
    if isinstance(field, Mapping):
        return _str(field.get("rendered"))
    return _str(field)


def plain_text(fragment: str) -> str:
    """Text of an HTML fragment (a title, an excerpt): tags stripped, entities decoded once."""
    if "<" not in fragment:
        return normalise(htmllib.unescape(fragment))
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (etree.ParserError, ValueError):
        return normalise(htmllib.unescape(re.sub(r"<[^>]*>", " ", fragment)))
    return normalise(root.text_content())


def post_site(item: Mapping[str, Any]) -> str | None:
    """The canonical name of a post's site (:func:`~redraft.wp.api.site_url`): from its REST
    ``self`` link (which shows a site in a folder), else from its link or guid; None when they
    are all relative or unreadable (a static mirror's, say)."""
    links = item.get("_links")
    selves = links.get("self") if isinstance(links, Mapping) else None
    for link in selves if isinstance(selves, list) else []:
        href = link.get("href") if isinstance(link, Mapping) else None
        if not isinstance(href, str):
            continue
        for marker in _API_MARKERS:
            if marker in href and (site := _canonical(href.split(marker, 1)[0])):
                return site
    for field in (item.get("link"), _rendered(item.get("guid"))):
        match = _SITE_OF_LINK.match(field) if isinstance(field, str) else None
        if match and (site := _canonical(match.group(0))):
            return site
    return None


@functools.lru_cache(maxsize=256)
def _canonical(url: str) -> str | None:
    """:func:`~redraft.wp.api.site_url` of a site's address, None for one without a host.

    Kept by address: every post of a site gives the same one (its REST link before the API
    path, or its link's scheme and host), and reading it (the address split and its host and
    port checked, twice) cost 30 K instructions a post (5 M over 150 posts)."""
    try:
        site = site_url(url)
        return site if urlsplit(site).hostname else None
    except ValueError:  # an unreadable host or port ("https://[::1", ":99999")
        return None


def _wp_time(local: Any, gmt: Any) -> datetime | None:
    """The site's local time, with its UTC offset when both forms are given."""
    try:
        when = datetime.fromisoformat(local) if isinstance(local, str) and local else None
        utc = datetime.fromisoformat(gmt) if isinstance(gmt, str) and gmt else None
    except ValueError:
        return None
    if when is None:
        return utc.replace(tzinfo=UTC) if utc is not None else None
    if when.tzinfo is None and utc is not None and utc.tzinfo is None:
        offset = when - utc
        if abs(offset) <= timedelta(hours=14):
            return when.replace(tzinfo=timezone(offset))
    return when


def _wp_meta(item: Mapping[str, Any], site: str | None, kind: str) -> dict[str, Any]:
    meta: dict[str, Any] = {"via": "file", "type": kind}
    if site:
        meta["site"] = site
    for name in ("id", "author", "featured_media"):
        if _is_id(item.get(name)):
            meta[name] = item[name]
    if slug := _str(item.get("slug")):
        meta["slug"] = slug
    for name in ("categories", "tags"):
        ids = item.get(name)
        if isinstance(ids, list) and ids and all(_is_id(i) for i in ids):
            meta[name] = list(ids)
    if excerpt := plain_text(_rendered(item.get("excerpt"))):
        meta["excerpt"] = excerpt
    meta.update(embedded_meta(item.get("_embedded")))
    return meta


def embedded_meta(embedded: Any) -> dict[str, Any]:
    """Category and tag names, author name and featured image URL from ``_embedded``
    (parts of another shape are left out)."""
    if not isinstance(embedded, Mapping):
        return {}
    meta: dict[str, Any] = {}
    if author := _first(embedded.get("author"), "name"):
        meta["author_name"] = author
    if image := _first(embedded.get("wp:featuredmedia"), "source_url"):
        meta["featured_image"] = image
    groups = embedded.get("wp:term")
    for group in groups if isinstance(groups, list) else []:
        for term in group if isinstance(group, list) else []:
            taxonomy = term.get("taxonomy") if isinstance(term, Mapping) else None
            if taxonomy in ("category", "post_tag") and isinstance(term.get("name"), str):
                field = "category_names" if taxonomy == "category" else "tag_names"
                meta.setdefault(field, []).append(plain_text(term["name"]))
    return meta


def _first(objects: Any, field: str) -> str:
    """``objects[0][field]`` when ``objects`` is a list whose first item has it as text."""
    if isinstance(objects, list) and objects and isinstance(objects[0], Mapping):
        return _str(objects[0].get(field))
    return ""


__all__ = ["MAX_POST_ID", "LongNumber", "embedded_meta", "parse_json", "plain_text",
           "post_site", "wp_entry"]
