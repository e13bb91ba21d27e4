"""Sources: where entries come from. Each yields :class:`~redraft.records.Entry` records.

A source never stops a run for one bad item: it yields the error instead (a
:class:`~redraft.errors.Rejected` for an item that is unfit, a
:class:`~redraft.errors.FetchError` for one that could not be fetched after retries), and the
pipeline records it and goes on.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Protocol

from redraft.errors import FetchError, Rejected
from redraft.records import Entry

SourceItem = Entry | Rejected | FetchError

# Seconds between two pages of one host when the site asks for nothing longer (here, not in
# sources.site, so that `redraft sync --help` shows it without importing the feed readers).
DEFAULT_DELAY = 1.0


class Source(Protocol):
    """Anything that yields entries (or the per-item errors met on the way)."""

    name: str

    def entries(self) -> Iterator[SourceItem]:
        """Yield every item in a stable order."""
        ...


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """What a site source learned during a sync, for the pipeline to keep in the store.

    Attributes:
        api_root: the REST API root it discovered (None when it did not get that far).
        high_water: the new high-water mark (the site's ``modified_gmt`` as an ISO string) that
            the next sync may ask from; the source only sets it when it is safe to skip
            everything at or before it.
        complete: the sync reached the end without a page or post failing.
        via_feed: entries came from the site's feed because its REST API is locked.
        stopped: why paging stopped before the end (a page with nothing new, a page
            ceiling), for people; None when it did not.
    """

    api_root: str | None = None
    high_water: str | None = None
    complete: bool = False
    via_feed: bool = False
    stopped: str | None = None


class SiteSource(Source, Protocol):
    """A source with state between runs (a WordPress site): it reports a checkpoint."""

    def checkpoint(self) -> Checkpoint:
        """What the last call to :meth:`entries` learned (call after iterating)."""
        ...


__all__ = ["Checkpoint", "SiteSource", "Source", "SourceItem"]
