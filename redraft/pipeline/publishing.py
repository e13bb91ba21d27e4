"""Publishing: stored drafts sent to a remote target, each once, updated in place."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from redraft.errors import PublishAuthError, PublishError
from redraft.sinks import Publisher
from redraft.store import Store


@dataclass
class PublishReport:
    """What a publish run did."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: list[str] = field(default_factory=list)


def publish(
    store: Store,
    publisher: Publisher,
    *,
    include_failed: bool = False,
    progress: Callable[[str, str], None] | None = None,
) -> PublishReport:
    """Send every current draft not yet published on ``publisher``'s target.

    A draft already published is left alone; an entry whose draft changed since it was
    published is updated in place, never posted twice. Drafts that failed verification are
    skipped unless ``include_failed``.

    Raises:
        PublishAuthError: the target refused the credentials (checked before posting anything).
    """
    publisher.check()
    report = PublishReport()
    for stored in store.drafts(passed_only=not include_failed):
        key = stored.verdict.draft.article.entry.key
        previous = store.publication(key, publisher.name)
        if previous is not None and previous.draft_id == stored.id:
            report.unchanged += 1
            _say(progress, "unchanged", key)
            continue
        try:
            publication = publisher.publish(
                stored.verdict, remote_id=previous.remote_id if previous else None
            )
        except PublishAuthError:
            raise
        except PublishError as exc:
            report.failed.append(f"{key}: {exc}")
            _say(progress, "failed", key)
            continue
        with store.transaction():
            store.save_publication(key, publisher.name, draft_id=stored.id,
                                   remote_id=publication.remote_id, link=publication.location,
                                   status="published")
        if previous is None:
            report.created += 1
        else:
            report.updated += 1
        _say(progress, "published", key)
    return report


def _say(progress: Callable[[str, str], None] | None, kind: str, key: str) -> None:
    if progress is not None:
        progress(kind, key)
