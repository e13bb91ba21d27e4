"""What a sync of a site that is read without WordPress's API (a feed, a sitemap, a page) keeps
between runs, and how the next run reads it back: what each address given turned out to be (so
a later sync asks nothing before its conditional request), and the ETag / Last-Modified of its
feeds and sitemaps. The caller loads the state from the store and saves what
:func:`next_state` returns; nothing here touches the store.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from redraft.sources.discover import Found
from redraft.sources.site import SiteSource, Validators
from redraft.wp.api import site_url

# How a remembered address says where it came from, after how it was first found.
REMEMBERED = " (remembered)"
_WEB_KINDS = ("feed", "sitemap", "page")


def remembered(url: str, *, api_root: str | None,
               state: Mapping[str, Any] | None) -> Found | None:
    """What ``url`` turned out to be last time: a WordPress site when its site is stored with
    an API root, else what the web site's ``state`` says of the address; None when unknown."""
    if api_root:
        return Found("wordpress", site_url(url), url, "a WordPress site" + REMEMBERED)
    seen = (state.get("addresses") or {}).get(url) if state else None
    if not isinstance(seen, dict) or seen.get("kind") not in _WEB_KINDS:
        return None
    return Found(seen["kind"], str(seen["url"]), url, f"{seen.get('how', 'known')}{REMEMBERED}")


def validators(state: Mapping[str, Any] | None) -> Validators:
    """The validators of the last complete sync."""
    return dict((state.get("validators") or {}) if state else {})


def next_state(source: SiteSource, old: Mapping[str, Any] | None) -> dict[str, Any]:
    """The site's state to keep after ``source`` was read: new validators only when every item
    was handled (an interrupted sync keeps the old ones, so its unread items are read next
    time), and the address it was given beside those given before."""
    found = source.found
    addresses = dict((old.get("addresses") or {}) if old else {})
    addresses[found.given] = {"kind": found.kind, "url": found.url,
                              "how": found.how.removesuffix(REMEMBERED)}
    complete = source.checkpoint().complete
    return {"kind": found.kind, "url": found.url, "addresses": addresses,
            "validators": source.validators if complete else validators(old),
            "counts": source.counts}
