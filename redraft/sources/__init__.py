"""Sources: where entries come from. Each yields :class:`~redraft.records.Entry` records.

A source never stops a run for one bad item: it yields the error instead (a
:class:`~redraft.errors.Rejected` for an item that is unfit, a
:class:`~redraft.errors.FetchError` for one that could not be fetched after retries), and the
pipeline records it and goes on.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol

from redraft.errors import FetchError, Rejected
from redraft.records import Entry

SourceItem = Entry | Rejected | FetchError


class Source(Protocol):
    """Anything that yields entries (or the per-item errors met on the way)."""

    name: str

    def entries(self) -> Iterator[SourceItem]:
        """Yield every item in a stable order."""
        ...


__all__ = ["Source", "SourceItem"]
