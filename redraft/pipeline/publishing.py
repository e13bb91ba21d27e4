"""Publishing: stored drafts sent to a remote target without ever destroying an editor's work.

For each current draft (in the order they were made, filtered by the caller):

```
failed verification ──────────────────────────────────────────▶ held back (unless include_failed)
not approved, when approval is required ──────────────────────▶ held back
no post of ours on the target ────────────────────────────────▶ create
our post, gone / trashed ─────────────────────────────────────▶ kept
our post, live (or scheduled, private) and we did not set that ▶ kept: live
our post, edited on the site since we wrote it ────────────────▶ kept: edited on the site
  (its modified time moved, or, for a save in the same second,  (updated with overwrite_edited)
   what it holds is not what the site answered our write with)
our post, as we left it, and what we would send is the same ───▶ unchanged
our post, as we left it ───────────────────────────────────────▶ update (with the run's status;
                                                                 a post redraft made live stays live)
```

"Our post" is the entry's own, or else its story's: a post made for another entry of the same
story that has no current draft any more (the story's first entry was withdrawn and this entry
now stands for the story). That post is updated, under the same rules, and its record moves to
this entry: a story never gets a second post.

"Ours" means made by this database for this entry on this target: the store records every post
it makes, and the marker in a post (a digest of the entry's key and the database's identity)
finds one a killed run made but never recorded. Nothing is matched by title or slug.
A dry run reads the target and reports what it would do; it writes nothing anywhere.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal

from redraft.errors import PublishAuthError, PublishError
from redraft.sinks import Publisher
from redraft.sinks.wordpress import RemotePost, Written
from redraft.store import PostRecord, Store, StoredDraft

log = logging.getLogger(__name__)

Action = Literal["create", "update", "unchanged", "keep", "hold", "fail"]
EDITABLE = frozenset({"draft", "pending"})  # statuses redraft may write over


@dataclass(frozen=True, slots=True)
class PublishOptions:
    """How a publish run goes.

    Attributes:
        include_failed: also publish drafts that failed verification.
        overwrite_edited: update posts edited on the site since redraft wrote them.
        dry_run: read the target and report; create, update and record nothing.
        approved_only: publish only drafts an editor approved.
    """

    include_failed: bool = False
    overwrite_edited: bool = False
    dry_run: bool = False
    approved_only: bool = False


@dataclass(frozen=True, slots=True)
class PostOutcome:
    """What publish did (or, in a dry run, would do) with one draft.

    Attributes:
        key: the entry.
        title: its title.
        action: ``create``, ``update``, ``unchanged``, ``keep``, ``hold`` or ``fail``.
        reason: why, in a few words ("edited on the site", "live", "failed verification").
        link: the post's edit link on the target ("" when there is no post).
        notes: what was left out or shown differently (a refused link, a skipped image).
    """

    key: str
    title: str
    action: Action
    reason: str = ""
    link: str = ""
    notes: tuple[str, ...] = ()


@dataclass
class PublishReport:
    """What a publish run did, post by post."""

    dry_run: bool = False
    outcomes: list[PostOutcome] = field(default_factory=list)

    def count(self, action: Action) -> int:
        """How many posts got ``action``."""
        return sum(outcome.action == action for outcome in self.outcomes)

    @property
    def created(self) -> int:
        """Posts created."""
        return self.count("create")

    @property
    def updated(self) -> int:
        """Posts updated in place."""
        return self.count("update")

    @property
    def unchanged(self) -> int:
        """Posts that already hold what would be sent."""
        return self.count("unchanged")

    @property
    def kept(self) -> int:
        """Posts left alone: edited on the site, live, trashed or gone."""
        return self.count("keep")

    @property
    def held(self) -> int:
        """Drafts not sent: failed verification, or not approved."""
        return self.count("hold")

    @property
    def failed(self) -> list[str]:
        """One line per draft that could not be published."""
        return [f"{o.key}: {o.reason}" for o in self.outcomes if o.action == "fail"]


def select(drafts: Iterable[StoredDraft], *, since: datetime | None = None,
           limit: int | None = None) -> list[StoredDraft]:
    """The drafts whose source was published at or after ``since`` (drafts of undated sources
    count from when they were made), the newest ``limit`` of them, oldest first."""
    chosen = []
    for stored in drafts:
        if since is not None:
            published = stored.verdict.draft.article.entry.published
            when = published or datetime.fromisoformat(stored.created_at)
            if utc_naive(when) < utc_naive(since):
                continue
        chosen.append(stored)
    return chosen if limit is None else chosen[max(0, len(chosen) - limit):]


def utc_naive(moment: datetime) -> datetime:
    """A time as a UTC wall time (a date given on the command line has no zone: read as UTC)."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(UTC).replace(tzinfo=None)


def publish(
    store: Store,
    publisher: Publisher,
    drafts: Iterable[StoredDraft] | None = None,
    *,
    options: PublishOptions | None = None,
    progress: Callable[[str, str], None] | None = None,
) -> PublishReport:
    """Create or update one post per current draft on ``publisher``'s target, safely.

    Args:
        store: the state; every post made is recorded on its own commit.
        publisher: the target.
        drafts: the drafts to consider (default: every current draft of the store).
        options: failed drafts, edited posts, dry run, approval.
        progress: called once per draft with its action and key.

    Raises:
        PublishAuthError: the target refused the credentials (checked before anything else).
    """
    options = options or PublishOptions()
    publisher.check()
    report = PublishReport(dry_run=options.dry_run)
    chosen = drafts if drafts is not None else store.drafts(passed_only=False)
    for stored in chosen:
        outcome = _one(store, publisher, stored, options)
        report.outcomes.append(outcome)
        if progress is not None:
            progress(outcome.action, outcome.key)
    return report


def _one(store: Store, publisher: Publisher, stored: StoredDraft,
         options: PublishOptions) -> PostOutcome:
    verdict = stored.verdict
    entry = verdict.draft.article.entry
    key, title = entry.key, entry.title

    def outcome(action: Action, reason: str = "", link: str = "",
                notes: tuple[str, ...] = ()) -> PostOutcome:
        return PostOutcome(key, title, action, reason, link, notes)

    if not verdict.passed and not options.include_failed:
        return outcome("hold", f"failed verification (score {verdict.score:.2f})")
    if options.approved_only:
        review = store.review(key)
        if review is None or review.decision != "approved":
            return outcome("hold", "not approved" if review is None else
                           f"{review.decision} by {review.who}")
    try:
        return _decide_and_send(store, publisher, stored, options, outcome)
    except PublishAuthError:
        raise
    except PublishError as exc:
        log.warning("%s: %s", key, exc)
        return outcome("fail", str(exc))


@dataclass(frozen=True, slots=True)
class _Existing:
    """The post a draft goes to: its record, the post as the target has it now, whether a
    killed run made it (found by its marker), and the entry it was made for when it is the
    story's post made for another entry (``""`` when it is this entry's own)."""

    record: PostRecord
    remote: RemotePost | None
    recovered: bool = False
    carried_from: str = ""


def _existing(store: Store, publisher: Publisher, stored: StoredDraft) -> _Existing | None:
    """The post this draft updates, or None when it needs a new one: its own post, else one a
    killed run made for it, else its story's post made for an entry that has no draft any more
    (the story's first entry was withdrawn, and this entry now stands for the story)."""
    key = stored.verdict.draft.article.entry.key
    record = store.post_record(key, publisher.name)
    if record is not None and record.remote_id is not None:
        return _Existing(record, publisher.read(record.remote_id))
    orphan = publisher.find(key)
    if orphan is not None:
        record = PostRecord(key, publisher.name, stored.id, orphan, None, "", None, None)
        return _Existing(record, publisher.read(orphan), recovered=True)
    carried = store.story_post(key, publisher.name)
    if carried is not None and carried.remote_id is not None:
        return _Existing(carried, publisher.read(carried.remote_id), carried_from=carried.key)
    return None


def _decide_and_send(store: Store, publisher: Publisher, stored: StoredDraft,
                     options: PublishOptions, outcome: Callable[..., PostOutcome]) -> PostOutcome:
    verdict = stored.verdict
    payload = publisher.payload(verdict)
    found = _existing(store, publisher, stored)
    if found is None:
        if options.dry_run:
            return outcome("create", "new", notes=payload.notes)
        written = publisher.create(verdict)
        _record(store, publisher, stored, written)
        return outcome("create", "new", written.post.edit_link, written.notes)
    record, remote, recovered = found.record, found.remote, found.recovered
    edit_link = publisher.edit_link(record.remote_id or "")
    kept = _keep_reason(record, remote, options, recovered=recovered)
    if kept:
        return outcome("keep", kept, remote.edit_link if remote else edit_link)
    assert remote is not None
    if record.sent_hash == payload.digest and not recovered:
        return outcome("unchanged", "already holds this draft", remote.edit_link)
    reason = _update_reason(record, remote, recovered=recovered)
    if found.carried_from:
        reason = f"the story's post, made for {found.carried_from}: {reason}"
    live = remote.status not in EDITABLE  # made live by redraft itself: never taken down
    if live:
        reason += f" (stays {remote.status})"
    if options.dry_run:
        return outcome("update", reason, remote.edit_link, payload.notes)
    written = publisher.update(remote.remote_id, verdict, set_image=not remote.featured_media,
                               keep_status=live)
    _record(store, publisher, stored, written, carried_from=found.carried_from)
    return outcome("update", reason, written.post.edit_link, written.notes)


def _keep_reason(record: PostRecord, remote: RemotePost | None, options: PublishOptions, *,
                 recovered: bool) -> str:
    """Why the post must be left alone ("" when it may be written over)."""
    if remote is None:
        return "deleted on the site"
    if remote.status == "trash":
        return "trashed on the site"
    if remote.status not in EDITABLE and remote.status != record.status:
        return "live" if remote.status == "publish" else f"{remote.status} on the site"
    if options.overwrite_edited or recovered:
        return ""
    if record.modified is None:
        return "published by an older redraft: cannot tell whether it was edited"
    if remote.modified != record.modified or _edited_in_the_same_second(record, remote):
        return "edited on the site"
    return ""


def _edited_in_the_same_second(record: PostRecord, remote: RemotePost) -> bool:
    """WordPress keeps ``modified`` to the second: an editor's save in the second of redraft's
    own write leaves it as it was, but changes what the post holds."""
    return bool(record.remote_digest and remote.digest and remote.digest != record.remote_digest)


def _update_reason(record: PostRecord, remote: RemotePost, *, recovered: bool) -> str:
    if recovered:
        return "found the post a stopped run made"
    if record.modified is None:
        return "overwriting: published by an older redraft, edits unknown"
    if remote.modified != record.modified or _edited_in_the_same_second(record, remote):
        return f"overwriting edits made on the site (modified {remote.modified} UTC)"
    return "draft changed"


def _record(store: Store, publisher: Publisher, stored: StoredDraft, written: Written, *,
            carried_from: str = "") -> None:
    """Record the post as the target answered; a story's post carried on by another entry's
    draft moves to that entry (one post, one record)."""
    post = written.post
    with store.transaction():
        if carried_from:
            store.forget_post_record(carried_from, publisher.name)
        store.save_post_record(PostRecord(
            stored.verdict.draft.article.entry.key, publisher.name, stored.id, post.remote_id,
            post.link, post.status, post.modified, written.digest, post.digest or None))
