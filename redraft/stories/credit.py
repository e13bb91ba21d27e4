"""The credit line of a story's draft: every outlet that reported it, the drafted one first."""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import urlsplit

from redraft.records import Entry


def outlet(entry: Entry) -> str:
    """A short name for where an entry comes from: its site's host (``www.`` dropped), else
    its link's host, else its source label."""
    for link in (str(entry.meta.get("site") or ""), entry.url):
        host = urlsplit(link).hostname if link else None
        if host:
            return host.removeprefix("www.")
    return entry.source


def _joined(names: Sequence[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def story_credit(drafted: Entry, others: Sequence[Entry]) -> str:
    """``Source: ...`` (the entry's own credit) for a story of one outlet; else
    ``Sources: A (link, date), B (link) and C (link)``: the drafted entry first, one mention
    per outlet, in the order given."""
    if not others:
        return drafted.credit()
    seen = {outlet(drafted)}
    date = f", {drafted.published.date().isoformat()}" if drafted.published else ""
    parts = [f"{outlet(drafted)} ({drafted.url}{date})" if drafted.url else outlet(drafted)]
    for entry in others:
        name = outlet(entry)
        if name in seen:
            continue
        seen.add(name)
        parts.append(f"{name} ({entry.url})" if entry.url else name)
    if len(parts) == 1:
        return drafted.credit()
    return "Sources: " + _joined(parts)
