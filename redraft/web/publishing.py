"""Publishing from the review app: the configured WordPress site, approved drafts only."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from redraft.config import HttpOptions
from redraft.errors import FetchError, PublishError
from redraft.http import Retrier
from redraft.http import client as http_client
from redraft.pipeline import PostOutcome, PublishOptions, publish
from redraft.sinks.wordpress import Credentials, WordPressPublisher
from redraft.store import Store, StoredDraft


@dataclass(frozen=True, slots=True)
class Target:
    """The WordPress site the review app publishes to, and how (the password never reaches a
    page: it is not in any template's context)."""

    site: str
    user: str
    password: str = field(repr=False)
    status: str = "draft"
    http: HttpOptions = field(default_factory=HttpOptions)


@dataclass(frozen=True, slots=True)
class Published:
    """What a publish from the app did: the outcomes, or the error that stopped it."""

    outcomes: tuple[PostOutcome, ...] = ()
    error: str = ""


def publish_approved(store: Store, target: Target, drafts: Sequence[StoredDraft]) -> Published:
    """Send the approved ones of ``drafts`` to ``target`` (never over an editor's work)."""
    client = http_client(target.http)
    try:
        retrier = Retrier(client, target.http)
        publisher = WordPressPublisher.connect(
            retrier, target.site, credentials=Credentials(target.user, target.password),
            status=target.status,  # type: ignore[arg-type]
            identity=store.identity())
        report = publish(store, publisher, drafts, options=PublishOptions(approved_only=True))
    except (FetchError, PublishError) as exc:
        return Published(error=str(exc))
    finally:
        client.close()
    return Published(tuple(report.outcomes))
