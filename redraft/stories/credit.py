"""The credit line of a story's draft: every outlet that reported it, the drafted one first.

The line is written in the article's language (:data:`redraft.vocab.CREDIT_PLURAL_LABELS`,
:data:`redraft.vocab.CREDIT_LIST_WORDS`; English where the language has none) in one shape the
sinks can link: ``<label><outlet> (<link>[, <date>])``, items joined by the language's list
words, e.g. ``Sources: a.example (https://a.example/x, 2026-01-02), b.example (https://…) and
c.example (https://…)``.
"""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import urlsplit

from redraft.records import Entry
from redraft.vocab import CREDIT_LIST_WORDS, CREDIT_PLURAL_LABELS

_FALLBACK = "en"  # the language of a label when the article's has none


def outlet_name(site: str, url: str, source: str) -> str:
    """A short name for an outlet: the host of its site (``www.`` dropped), else the host of
    the entry's link, else its source label."""
    for link in (site, url):
        try:
            host = urlsplit(link).hostname if link else None
        except ValueError:  # a malformed link ("http://[") names no host
            host = None
        if host:
            return host.removeprefix("www.")
    return source


def outlet(entry: Entry) -> str:
    """A short name for where an entry comes from (see :func:`outlet_name`)."""
    return outlet_name(str(entry.meta.get("site") or ""), entry.url, entry.source)


def _joined(names: Sequence[str], language: str) -> str:
    between, last = CREDIT_LIST_WORDS.get(language, CREDIT_LIST_WORDS[_FALLBACK])
    return names[0] if len(names) == 1 else f"{between.join(names[:-1])}{last}{names[-1]}"


def story_credit(drafted: Entry, others: Sequence[Entry], language: str = _FALLBACK) -> str:
    """The entry's own credit (:meth:`Entry.credit`) for a story of one outlet; else
    ``Sources: A (link, date), B (link) and C (link)`` in ``language``: the drafted entry first,
    one mention per outlet, in the order given."""
    if not others:
        return drafted.credit(language)
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
        return drafted.credit(language)
    label = CREDIT_PLURAL_LABELS.get(language, CREDIT_PLURAL_LABELS[_FALLBACK])
    return label + _joined(parts, language)
