"""Front matter: the ``---`` YAML block at the top of a Markdown or text file (Jekyll, Hugo,
Obsidian), read for the fields that credit a source: title, url, date."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Any

_BLOCK = re.compile(r"\A\ufeff?---[ \t]*\r?\n(.*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.DOTALL)
_URL_KEYS = ("url", "link", "source", "canonical_url", "permalink")
_DATE_KEYS = ("published", "date", "pubDate", "published_at")


def split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    """The fields of the file's front matter (``title``, ``url``, ``published``, ``author``)
    and the text after it; no block (or one that is not a YAML mapping) gives ``{}`` and the
    text unchanged."""
    match = _BLOCK.match(text)
    if not match:
        return {}, text
    # Imported here: only a file with front matter needs the YAML parser.
    import yaml  # noqa: PLC0415

    try:
        data = yaml.safe_load(match[1])
    except yaml.YAMLError:
        return {}, text
    if not isinstance(data, dict):
        return {}, text
    fields: dict[str, Any] = {}
    if isinstance(data.get("title"), str | int | float):
        fields["title"] = str(data["title"]).strip()
    url = next((data[k] for k in _URL_KEYS if isinstance(data.get(k), str)), None)
    if url and url.startswith(("http://", "https://")):
        fields["url"] = url.strip()
    when = next((_when(data[k]) for k in _DATE_KEYS if k in data), None)
    if when is not None:
        fields["published"] = when
    if isinstance(data.get("author"), str):
        fields["author"] = data["author"].strip()
    return fields, text[match.end():]


def _when(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=UTC)
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            return None
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    return None
