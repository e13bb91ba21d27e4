"""JSON Feed 1.0/1.1 (jsonfeed.org), read into the item shape feedparser gives RSS and Atom
(feedparser 6.0 does not read JSON Feed)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from html import escape
from typing import Any

from redraft.errors import FetchError
from redraft.text import paragraphs_of

_VERSION = "https://jsonfeed.org/version/"


def read_json_feed(body: bytes, *, url: str) -> list[dict[str, Any]]:
    """The items of a JSON Feed, as feedparser-like dicts.

    Raises:
        FetchError: the body is not a JSON Feed.
    """
    try:
        feed = json.loads(body)
    except ValueError as exc:
        raise FetchError(f"{url} is not a readable JSON Feed ({exc})", url=url) from exc
    if not isinstance(feed, dict) or not str(feed.get("version", "")).startswith(_VERSION):
        raise FetchError(f"{url} is JSON but not a JSON Feed (no jsonfeed.org version)", url=url)
    items = feed.get("items")
    return [_item(item) for item in items if isinstance(item, dict)] if isinstance(items, list) \
        else []


def _item(item: dict[str, Any]) -> dict[str, Any]:
    html = item.get("content_html")
    text = item.get("content_text")
    out: dict[str, Any] = {
        "id": str(item.get("id") or ""), "link": str(item.get("url") or item.get("id") or ""),
        "title": str(item.get("title") or ""),
        "summary": str(item.get("summary") or ""),
        "content": [{"type": "text/html", "value": str(html)}] if html else
        [{"type": "text/html", "value": text_paragraphs(str(text))}] if text else [],
    }
    for name, field in (("published_parsed", "date_published"),
                        ("updated_parsed", "date_modified")):
        when = _when(item.get(field))
        if when is not None:
            out[name] = when.utctimetuple()
    authors = item.get("authors") or ([item["author"]] if isinstance(item.get("author"), dict)
                                      else [])
    names = [str(a.get("name")) for a in authors if isinstance(a, dict) and a.get("name")]
    if names:
        out["author"] = ", ".join(names)
    tags = item.get("tags")
    if isinstance(tags, list):
        out["tags"] = [{"term": str(tag)} for tag in tags]
    if item.get("image") or item.get("banner_image"):
        out["image"] = {"href": str(item.get("image") or item.get("banner_image"))}
    return out


def _when(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        when = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def text_paragraphs(text: str) -> str:
    """Plain text as HTML paragraphs: its ``<`` and ``&`` are text, not markup."""
    return "".join(f"<p>{escape(paragraph, quote=False)}</p>" for paragraph in paragraphs_of(text))
