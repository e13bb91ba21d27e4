"""Sinks: where verdicts go (files, stdout, WordPress)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal, Protocol

from redraft.errors import RedraftError
from redraft.records import Publication, Verdict

if TYPE_CHECKING:
    from redraft.sinks.wordpress import RemotePost, Written
    from redraft.sinks.wp_content import Payload

# The statuses a published post may be given (here, not in sinks.wordpress, so that the CLI's
# options name them without importing the HTTP stack).
PostStatus = Literal["draft", "pending", "publish"]
POST_STATUSES: tuple[PostStatus, ...] = ("draft", "pending", "publish")


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

    The publisher only talks to the target; what to create, update or leave alone is the
    pipeline's decision (see ``redraft.pipeline.publishing``).

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

    def payload(self, verdict: Verdict) -> Payload:
        """What would be sent for ``verdict``, with its digest and notes (no request made)."""
        ...

    def read(self, remote_id: str) -> RemotePost | None:
        """The post as the target has it now, or None when it is gone."""
        ...

    def find(self, key: str) -> str | None:
        """The ID of a post this publisher made for ``key`` but never recorded, or None."""
        ...

    def edit_link(self, remote_id: str) -> str:
        """Where an editor opens the post."""
        ...

    def create(self, verdict: Verdict) -> Written:
        """Create the post.

        Raises:
            PublishError: this draft could not be published (the run goes on).
            PublishAuthError: the credentials stopped working (the run stops).
        """
        ...

    def update(self, remote_id: str, verdict: Verdict, *, set_image: bool = False,
               keep_status: bool = False) -> Written:
        """Replace the post's content (and status, unless ``keep_status``) with ``verdict``'s.

        Raises:
            PublishError: this draft could not be published (the run goes on).
            PublishAuthError: the credentials stopped working (the run stops).
        """
        ...


__all__ = ["Publisher", "Sink"]
