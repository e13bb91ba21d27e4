"""Sinks: where verdicts go (files, stdout, WordPress)."""

from __future__ import annotations

from typing import Protocol

from redraft.errors import RedraftError
from redraft.records import Publication, Verdict


class Sink(Protocol):
    """A destination for drafts.

    Attributes:
        name: a label such as ``"file:out/"`` or ``"wordpress:https://example.org"``.
    """

    name: str

    def write(self, verdict: Verdict) -> Publication:
        """Write one draft with its verdict; return where it went."""
        ...

    def skip(self, key: str, source: str, error: RedraftError) -> None:
        """Account for an item that produced no draft (rejected or failed)."""
        ...

    def close(self) -> None:
        """Flush and release whatever the sink holds open."""
        ...


__all__ = ["Sink"]
