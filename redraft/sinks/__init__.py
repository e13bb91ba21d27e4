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


class Publisher(Protocol):
    """A remote target that holds one post per entry (a WordPress site).

    Attributes:
        name: the target's label, e.g. ``"wordpress:https://example.org"``; the store keys
            publications by entry and this name.
    """

    name: str

    def check(self) -> None:
        """Verify credentials and reachability before anything is posted.

        Raises:
            PublishAuthError: the target refused the credentials.
            PublishError: the target cannot be used (unreachable, not WordPress).
        """
        ...

    def publish(self, verdict: Verdict, *, remote_id: str | None = None) -> Publication:
        """Create the remote post, or update ``remote_id`` when the entry was published before.

        Raises:
            PublishError: this draft could not be published (the run goes on).
            PublishAuthError: the credentials stopped working (the run stops).
        """
        ...


__all__ = ["Publisher", "Sink"]
