"""The review app's statements: the queue's light rows and an entry's audit trail."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass

from redraft.store.connection import Connection
from redraft.stories.credit import outlet_name


@dataclass(frozen=True, slots=True)
class QueueRow:
    """One current draft as the review queue lists it (no text: see :meth:`Store.queue_rows`).

    Attributes:
        decision: the latest review of this draft (``approved`` / ``rejected``), or None.
        posted: whether a post was made from the entry on some target.
        kinds: the kinds of the verdict's problems, each once, in order.
        outlets: how many outlets cover the entry's story (as its credit names them: one per
            site); 1 when the entry has no story.
    """

    draft_id: int
    key: str
    source: str
    title: str
    url: str
    language: str
    draft_words: int
    source_words: int
    passed: bool
    score: float
    kinds: tuple[str, ...]
    created_at: str
    published: str | None
    engine: str
    decision: str | None
    posted: bool
    outlets: int = 1


@dataclass(frozen=True, slots=True)
class AuditEvent:
    """One line of an entry's audit trail: when, who (an engine, an editor), what, detail."""

    when: str
    who: str
    what: str
    detail: str


class ReviewQueries:
    """The review queue and audit statements of :class:`~redraft.store.Store`."""

    _db: Connection


    def queue_rows(self) -> list[QueueRow]:
        """Every current draft as one light row for the review queue, newest first: no article
        or draft text is rebuilt, so thousands of rows load in two queries (the drafts, then
        the outlets of their stories)."""
        rows = self._db.execute(
            "SELECT d.id, d.key, d.draft_words, d.source_words, d.passed, d.score, d.problems, "
            "d.created_at, d.engine, json_extract(d.article, '$.language') AS language, "
            "e.source, e.title, e.url, e.published, m.story, "
            "(SELECT r.decision FROM reviews r WHERE r.key = d.key AND r.draft_id = d.id "
            " ORDER BY r.id DESC LIMIT 1) AS decision, "
            "EXISTS (SELECT 1 FROM publications p WHERE p.key = d.key "
            " AND p.remote_id IS NOT NULL) AS posted "
            "FROM drafts d JOIN entries e ON e.key = d.key "
            "LEFT JOIN story_members m ON m.key = d.key "
            "WHERE d.current = 1 ORDER BY d.id DESC"
        ).fetchall()
        outlets = self._story_outlets()
        return [
            QueueRow(
                draft_id=row["id"], key=row["key"], source=row["source"], title=row["title"],
                url=row["url"], language=row["language"] or "", draft_words=row["draft_words"],
                source_words=row["source_words"], passed=bool(row["passed"]),
                score=row["score"], kinds=tuple(dict.fromkeys(
                    p["kind"] for p in json.loads(row["problems"]))),
                created_at=row["created_at"], published=row["published"],
                engine=row["engine"], decision=row["decision"], posted=bool(row["posted"]),
                outlets=max(1, len(outlets.get(row["story"], ()))),
            )
            for row in rows
        ]

    def _story_outlets(self) -> dict[int, set[str]]:
        """Story id -> the outlets of its entries, for every story holding a current draft
        (one query, whatever the number of stories)."""
        found: dict[int, set[str]] = defaultdict(set)
        by_site: dict[str, str] = {}  # an outlet's entries share its site: name it once
        for row in self._db.execute(
            "SELECT m.story, e.source, e.url, json_extract(e.meta, '$.site') AS site "
            "FROM story_members m JOIN entries e ON e.key = m.key WHERE m.story IN "
            "(SELECT o.story FROM drafts d JOIN story_members o ON o.key = d.key "
            " WHERE d.current = 1)"
        ):
            site = row["site"] if isinstance(row["site"], str) else ""
            name = by_site.get(site) if site else None
            if name is None:
                name = outlet_name(site, row["url"], row["source"])
                if site:
                    by_site[site] = name
            found[row["story"]].add(name)
        return found

    def audit(self, key: str) -> list[AuditEvent]:
        """What happened to an entry's drafts, oldest first: each draft made (by an engine or
        an editor), each review, each post recorded on a target."""
        events = [
            AuditEvent(row["created_at"], row["engine"], "drafted",
                       "passed" if row["passed"] else "failed verification")
            for row in self._db.execute(
                "SELECT engine, passed, created_at FROM drafts WHERE key = ? ORDER BY id", (key,))
        ]
        events += [
            AuditEvent(row["decided_at"], row["who"], row["decision"], row["note"])
            for row in self._db.execute(
                "SELECT who, decision, note, decided_at FROM reviews WHERE key = ? ORDER BY id",
                (key,))
        ]
        events += [
            AuditEvent(row["updated_at"], "redraft", f"published to {row['target']}",
                       row["link"] or "")
            for row in self._db.execute(
                "SELECT target, link, updated_at FROM publications WHERE key = ? "
                "AND remote_id IS NOT NULL ORDER BY target", (key,))
        ]
        return sorted(events, key=lambda event: event.when)
