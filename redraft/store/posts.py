"""The store's statements about posts on a target: where each entry's draft was published,
what redraft last sent and saw there, the database's identity, and editors' reviews."""

from __future__ import annotations

from sqlite3 import Row

from redraft.errors import StoreError
from redraft.store.connection import Connection
from redraft.store.rows import PostRecord, Review
from redraft.store.rows import now as _now


class Publications:
    """The publication and review statements of :class:`~redraft.store.Store`."""

    _db: Connection

    # --- posts on a target, the database's identity, reviews ---------------------------------

    def identity(self) -> str:
        """This database's random identity: part of the marker of every post it publishes, so
        that two databases never claim each other's posts."""
        row = self._db.execute("SELECT id FROM instance").fetchone()
        return str(row[0]) if row is not None else ""

    def post_record(self, key: str, target: str) -> PostRecord | None:
        """What this database knows of the post it made for ``key`` on ``target``, or None."""
        row = self._db.execute(
            "SELECT * FROM publications WHERE key = ? AND target = ?", (key, target)
        ).fetchone()
        if row is None:
            return None
        return _post_record(row)

    def post_records(self, key: str) -> list[PostRecord]:
        """Every post made for ``key``, on any target."""
        rows = self._db.execute(
            "SELECT * FROM publications WHERE key = ? ORDER BY target", (key,)
        ).fetchall()
        return [_post_record(row) for row in rows]

    def save_post_record(self, record: PostRecord) -> None:
        """Record (or update) the post made for an entry on a target, as the target answered."""
        now = _now()
        self._db.execute(
            """
            INSERT INTO publications (key, target, draft_id, remote_id, link, status, created_at,
                                      updated_at, modified, sent_hash, remote_digest)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (key, target) DO UPDATE SET draft_id = excluded.draft_id,
                remote_id = excluded.remote_id, link = excluded.link, status = excluded.status,
                updated_at = excluded.updated_at, modified = excluded.modified,
                sent_hash = excluded.sent_hash, remote_digest = excluded.remote_digest
            """,
            (record.key, record.target, record.draft_id, record.remote_id, record.link,
             record.status, now, now, record.modified, record.sent_hash, record.remote_digest),
        )

    def story_post(self, key: str, target: str) -> PostRecord | None:
        """The post on ``target`` of ``key``'s story made for another entry that has no current
        draft any more (the latest such), or None: the post ``key``'s draft carries on."""
        row = self._db.execute(
            "SELECT p.* FROM story_members own "
            "JOIN story_members m ON m.story = own.story AND m.key != own.key "
            "JOIN publications p ON p.key = m.key AND p.target = ? AND p.remote_id IS NOT NULL "
            "WHERE own.key = ? AND NOT EXISTS "
            "(SELECT 1 FROM drafts d WHERE d.key = m.key AND d.current = 1) "
            "ORDER BY p.updated_at DESC LIMIT 1", (target, key)).fetchone()
        return _post_record(row) if row is not None else None

    def forget_post_record(self, key: str, target: str) -> None:
        """Drop the record of ``key``'s post on ``target`` (another entry's record holds it)."""
        self._db.execute("DELETE FROM publications WHERE key = ? AND target = ?", (key, target))

    def save_review(self, key: str, *, decision: str, who: str, note: str = "") -> int:
        """Record an editor's decision on an entry's current draft; the draft's id.

        Raises:
            StoreError: the entry has no current draft.
        """
        row = self._db.execute(
            "SELECT id FROM drafts WHERE key = ? AND current = 1", (key,)
        ).fetchone()
        if row is None:
            raise StoreError(f"no current draft for {key!r}; see `redraft drafts` for the keys")
        self._db.execute(
            "INSERT INTO reviews (key, draft_id, decision, who, note, decided_at) "
            "VALUES (?, ?, ?, ?, ?, ?)", (key, row["id"], decision, who, note, _now()),
        )
        return int(row["id"])

    def review(self, key: str) -> Review | None:
        """The latest decision on an entry's current draft (an older draft's does not count)."""
        row = self._db.execute(
            "SELECT r.* FROM reviews r JOIN drafts d ON d.id = r.draft_id AND d.current = 1 "
            "WHERE r.key = ? ORDER BY r.id DESC LIMIT 1", (key,)
        ).fetchone()
        if row is None:
            return None
        return Review(row["key"], row["draft_id"], row["decision"], row["who"], row["note"],
                      row["decided_at"])


def _post_record(row: Row) -> PostRecord:
    return PostRecord(row["key"], row["target"], row["draft_id"], row["remote_id"], row["link"],
                      row["status"], row["modified"], row["sent_hash"], row["remote_digest"])
