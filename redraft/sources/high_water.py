"""The sync high-water mark: which posts an incremental sync asks for, and when the mark moves.

The mark is the site's ``modified_gmt`` (UTC, ISO 8601) of the newest post a complete sync
saw: every post modified at or before it was read already. The rules, all here:

- The lower bound of a sync is the later of the stored mark and ``--since``; the site is
  asked for posts modified strictly after it (``modified_after``, WordPress 5.7+).
- A site that ignores ``modified_after`` shows it by listing a post at or before the bound
  (:meth:`Mark.ignored_by`); the source then lists ``id,modified_gmt`` and asks only for the
  posts that changed (:meth:`Mark.changed`), newest first, ties on ``modified`` by ID.
- The mark moves only after a complete sync that started at the stored mark (a later
  ``--since`` skipped posts, so it must not move it), never backwards, and never to the
  second of the server's clock at the start or later (an edit made in that second, after its
  page was read, would fall at or before the mark and be missed).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

# The server's clock resolution (modified_gmt has whole seconds): the mark stays this far
# below the server's Date at the start of the sync.
CLOCK_STEP = timedelta(seconds=1)


@dataclass(frozen=True, slots=True)
class Mark:
    """The mark a sync starts from.

    Attributes:
        stored: the mark kept by the last complete sync (None: never synced).
        since: the user's ``--since`` (None: not given).
    """

    stored: datetime | None = None
    since: datetime | None = None

    @classmethod
    def of(cls, stored: str | None, since: datetime | None = None) -> Mark:
        """From the stored ISO string (an unreadable one counts as none) and ``--since``."""
        return cls(parse_time(stored), aware(since))

    @property
    def lower(self) -> datetime | None:
        """Posts modified strictly after this are asked for (None: all posts)."""
        marks = [m for m in (self.stored, self.since) if m is not None]
        return max(marks) if marks else None

    def ignored_by(self, posts: Iterable[Any]) -> bool:
        """The site listed a post at or before the bound: it ignores ``modified_after``."""
        lower = self.lower
        return lower is not None and any((modified_of(p) or lower) <= lower for p in posts)

    def changed(self, listing: Iterable[Any]) -> list[int]:
        """IDs of the posts in an ``id,modified_gmt`` listing modified after the bound,
        newest first; posts modified in the same second come by descending ID. A post
        without a readable time counts as changed (reading it again is the safe side)."""
        lower = self.lower
        found: list[tuple[datetime, int]] = []
        for post in listing:
            post_id = post.get("id") if isinstance(post, Mapping) else None
            if not isinstance(post_id, int) or isinstance(post_id, bool):
                continue
            modified = modified_of(post)
            if lower is None or modified is None or modified > lower:
                found.append((modified or datetime.max.replace(tzinfo=UTC), post_id))
        return [post_id for _, post_id in sorted(found, reverse=True)]

    def advance(self, *, complete: bool, newest: datetime | None,
                server_date: datetime | None) -> str | None:
        """The mark to keep after a sync, as an ISO string, or None to keep the stored one.

        Args:
            complete: every page was read, none failed, as many posts as the site counted.
            newest: the newest ``modified_gmt`` among the posts read.
            server_date: the server's ``Date`` when the sync started.
        """
        old, since = self.stored, self.since
        if not complete or (since is not None and (old is None or since > old)):
            return None
        mark = newest
        if mark is not None and server_date is not None:
            mark = min(mark, server_date - CLOCK_STEP)
        if old is not None and (mark is None or mark < old):
            mark = old
        return mark.isoformat() if mark is not None else None


def modified_of(post: Any) -> datetime | None:
    """A post's ``modified_gmt`` as an aware UTC time (None when missing or unreadable)."""
    value = post.get("modified_gmt") if isinstance(post, Mapping) else None
    try:
        return datetime.fromisoformat(str(value)).replace(tzinfo=UTC) if value else None
    except ValueError:
        return None


def parse_time(value: str | None) -> datetime | None:
    """An ISO time as an aware UTC time (None when missing or unreadable)."""
    try:
        return aware(datetime.fromisoformat(value)) if value else None
    except ValueError:
        return None


def aware(value: datetime | None) -> datetime | None:
    """``value`` in UTC; a naive time is taken as UTC."""
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
