"""The run's state in one SQLite file: entries, drafts and their attempts, rejections,
failures, per-site sync marks and publications. The only module that speaks SQL.

The file uses WAL journaling, so a reader (``redraft status``) never blocks a running sync,
and every item is committed on its own: a run killed at any point loses at most the item
it was working on, and running it again finishes the job.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from types import TracebackType
from typing import Any

from redraft.errors import Rejected, StoreError, rejection_from
from redraft.migrations import MIGRATIONS
from redraft.records import (
    Article,
    Attempt,
    Block,
    Budget,
    Draft,
    Entry,
    Problem,
    Usage,
    Verdict,
)

_BUSY_TIMEOUT_MS = 30_000  # a second writer (two syncs at once) waits instead of failing


class EntryState(StrEnum):
    """What a run must do with an entry, given what the store already holds."""

    NEW = "new"
    CHANGED = "changed"
    UNCHANGED = "unchanged"


@dataclass(frozen=True, slots=True)
class StoredDraft:
    """A draft as stored: its verdict (with draft, article and entry rebuilt) and its row id."""

    id: int
    verdict: Verdict
    recipe: str
    created_at: str


@dataclass(frozen=True, slots=True)
class SiteState:
    """A site's sync state: its API root, the high-water mark and the last sync time."""

    site: str
    api_root: str | None
    high_water: str | None
    last_sync: str | None
    state: dict[str, Any]


@dataclass(frozen=True, slots=True)
class PublicationRow:
    """Where an entry's draft was published on a target."""

    key: str
    target: str
    draft_id: int
    remote_id: str | None
    link: str | None
    status: str


# --- publish helper's block: records of posts on a target and of reviews ---------------------

@dataclass(frozen=True, slots=True)
class PostRecord:
    """The post redraft made for an entry on a target, as the target last answered.

    Attributes:
        key: the entry.
        target: the target's name (``wordpress:<site>``).
        draft_id: the draft last sent.
        remote_id: the post's ID on the target.
        link: the post's link.
        status: the post's status when redraft last wrote it.
        modified: the target's ``modified`` time when redraft last wrote it (None for posts
            published before redraft recorded it: it cannot tell whether they were edited).
        sent_hash: the digest of what was sent (None, likewise).
    """

    key: str
    target: str
    draft_id: int
    remote_id: str | None
    link: str | None
    status: str
    modified: str | None = None
    sent_hash: str | None = None


@dataclass(frozen=True, slots=True)
class Review:
    """An editor's decision on a draft: ``approved`` or ``rejected``, by whom, when, why."""

    key: str
    draft_id: int
    decision: str
    who: str
    note: str
    decided_at: str


# --- review helper's block: rows of the review queue and of the audit trail -------------------

@dataclass(frozen=True, slots=True)
class QueueRow:
    """One current draft as the review queue lists it (no text: see :meth:`Store.queue_rows`).

    Attributes:
        decision: the latest review of this draft (``approved`` / ``rejected``), or None.
        posted: whether a post was made from the entry on some target.
        kinds: the kinds of the verdict's problems, each once, in order.
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


@dataclass(frozen=True, slots=True)
class AuditEvent:
    """One line of an entry's audit trail: when, who (an engine, an editor), what, detail."""

    when: str
    who: str
    what: str
    detail: str


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _problems_json(problems: Sequence[Problem]) -> str:
    return json.dumps(
        [{"kind": p.kind, "sentence": p.sentence, "evidence": p.evidence, "detail": p.detail}
         for p in problems],
        ensure_ascii=False,
    )


class Store:
    """The SQLite state of redraft. Open with :meth:`open`; use as a context manager."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._db = connection
        self._db.row_factory = sqlite3.Row

    @classmethod
    def open(cls, path: Path | str) -> Store:
        """Open (creating if needed) the state file at ``path`` and bring its schema up to date.

        Raises:
            StoreError: the file cannot be opened or is not a redraft database.
        """
        path = Path(path)
        try:
            if str(path) != ":memory:":
                path.parent.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
            connection.execute(f"PRAGMA busy_timeout = {_BUSY_TIMEOUT_MS}")
            connection.execute("PRAGMA journal_mode = WAL")
            connection.execute("PRAGMA synchronous = NORMAL")
            connection.execute("PRAGMA foreign_keys = ON")
            store = cls(connection)
            store._migrate()
        except (sqlite3.Error, OSError) as exc:
            raise StoreError(
                f"cannot open the state database {path}: {exc}; "
                "check the path, or pass another with --db"
            ) from exc
        return store

    def close(self) -> None:
        """Close the database file."""
        self._db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Group writes into one atomic commit."""
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def _migrate(self) -> None:
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, applied_at TEXT)"
        )
        done = {row[0] for row in self._db.execute("SELECT name FROM migrations")}
        for name, sql in MIGRATIONS:
            if name in done:
                continue
            with self.transaction():
                for statement in sql.split(";"):
                    if statement.strip():
                        self._db.execute(statement)
                self._db.execute("INSERT INTO migrations VALUES (?, ?)", (name, _now()))

    def migrations(self) -> list[str]:
        """The names of the migrations applied, in order."""
        return [row[0] for row in self._db.execute("SELECT name FROM migrations ORDER BY name")]

    # --- entries -----------------------------------------------------------------------------

    def state_of(self, entry: Entry, recipe: str) -> EntryState:
        """Whether ``entry`` is new, changed (content, ``modified`` or recipe) or unchanged."""
        row = self._db.execute(
            "SELECT content_hash, modified FROM entries WHERE key = ?", (entry.key,)
        ).fetchone()
        if row is None:
            return EntryState.NEW
        if row["content_hash"] != entry.content_hash or row["modified"] != _iso(entry.modified):
            return EntryState.CHANGED
        done = self._db.execute(
            "SELECT 1 FROM drafts WHERE key = ? AND current = 1 AND recipe = ? "
            "AND content_hash = ? UNION ALL SELECT 1 FROM rejections WHERE key = ? "
            "AND content_hash = ?",
            (entry.key, recipe, entry.content_hash, entry.key, entry.content_hash),
        ).fetchone()
        return EntryState.UNCHANGED if done else EntryState.CHANGED

    def save_entry(self, entry: Entry) -> None:
        """Insert or update an entry (one row per key, whatever the number of runs)."""
        now = _now()
        self._db.execute(
            """
            INSERT INTO entries (key, source, url, title, html, published, modified,
                                 content_hash, meta, raw, first_seen, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (key) DO UPDATE SET
                source = excluded.source, url = excluded.url, title = excluded.title,
                html = excluded.html, published = excluded.published,
                modified = excluded.modified, content_hash = excluded.content_hash,
                meta = excluded.meta, raw = excluded.raw, updated_at = excluded.updated_at
            """,
            (
                entry.key, entry.source, entry.url, entry.title, entry.html,
                _iso(entry.published), _iso(entry.modified), entry.content_hash,
                json.dumps(dict(entry.meta), ensure_ascii=False, default=str), entry.raw,
                now, now,
            ),
        )

    def entry(self, key: str) -> Entry | None:
        """The stored entry with this key, or None."""
        row = self._db.execute("SELECT * FROM entries WHERE key = ?", (key,)).fetchone()
        return _entry_from(row) if row is not None else None

    def count_entries(self, source: str | None = None) -> int:
        """How many entries are stored (for one source, or all)."""
        if source is None:
            return int(self._db.execute("SELECT count(*) FROM entries").fetchone()[0])
        return int(
            self._db.execute("SELECT count(*) FROM entries WHERE source = ?", (source,))
            .fetchone()[0]
        )

    # --- drafts ------------------------------------------------------------------------------

    def save_draft(self, verdict: Verdict, *, recipe: str, attempts: Sequence[Attempt] = ()) -> int:
        """Store a verdict as the entry's current draft, with every attempt made for it.

        Returns:
            The draft's row id.
        """
        draft = verdict.draft
        article = draft.article
        entry = article.entry
        self._db.execute("UPDATE drafts SET current = 0 WHERE key = ? AND current = 1", (entry.key,))
        usage = draft.usage
        cursor = self._db.execute(
            """
            INSERT INTO drafts (key, content_hash, recipe, engine, prompt, budget, article,
                                paragraphs, credit, source_words, draft_words, score, passed,
                                problems, attempts, prompt_tokens, completion_tokens, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            (
                entry.key, entry.content_hash, recipe, draft.engine, draft.prompt,
                draft.budget.describe(), _article_json(article),
                json.dumps(list(draft.paragraphs), ensure_ascii=False), draft.credit,
                article.words,
                draft.words, verdict.score, int(verdict.passed),
                _problems_json(verdict.problems), draft.attempts, usage.prompt_tokens,
                usage.completion_tokens, _now(),
            ),
        )
        draft_id = int(cursor.lastrowid or 0)
        for n, attempt in enumerate(attempts, start=1):
            self._save_attempt(entry.key, draft_id, n, attempt)
        self._db.execute("DELETE FROM rejections WHERE key = ?", (entry.key,))
        self._db.execute("DELETE FROM failures WHERE key = ?", (entry.key,))
        return draft_id

    def _save_attempt(self, key: str, draft_id: int | None, n: int, attempt: Attempt) -> None:
        self._db.execute(
            """
            INSERT INTO attempts (key, draft_id, n, engine, prompt, score, passed, problems,
                                  prompt_tokens, completion_tokens, error, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            (
                key, draft_id, n, attempt.engine, attempt.prompt, attempt.score,
                None if attempt.passed is None else int(attempt.passed),
                _problems_json(attempt.problems), attempt.usage.prompt_tokens,
                attempt.usage.completion_tokens, attempt.error, _now(),
            ),
        )

    def attempts(self, key: str) -> list[dict[str, Any]]:
        """Every attempt recorded for an entry, oldest first, as plain dicts."""
        rows = self._db.execute("SELECT * FROM attempts WHERE key = ? ORDER BY id", (key,))
        return [dict(row) | {"problems": json.loads(row["problems"])} for row in rows]

    def current_draft(self, key: str) -> StoredDraft | None:
        """The entry's current draft, rebuilt with its verdict, or None."""
        row = self._db.execute(
            "SELECT d.*, e.source, e.url, e.title, e.published, e.modified, e.meta, "
            "e.html, e.raw FROM drafts d JOIN entries e ON e.key = d.key "
            "WHERE d.key = ? AND d.current = 1",
            (key,),
        ).fetchone()
        return _stored_draft_from(row) if row is not None else None

    def drafts(
        self, *, passed_only: bool = True, source: str | None = None
    ) -> Iterator[StoredDraft]:
        """Current drafts in the order they were made, optionally only passed ones."""
        sql = (
            "SELECT d.*, e.source, e.url, e.title, e.published, e.modified, e.meta, "
            "e.html, e.raw FROM drafts d JOIN entries e ON e.key = d.key WHERE d.current = 1"
        )
        params: list[Any] = []
        if passed_only:
            sql += " AND d.passed = 1"
        if source is not None:
            sql += " AND e.source = ?"
            params.append(source)
        for row in self._db.execute(sql + " ORDER BY d.id", params).fetchall():
            yield _stored_draft_from(row)

    # --- rejections and failures -------------------------------------------------------------

    def save_rejection(self, rejected: Rejected, *, content_hash: str | None = None) -> None:
        """Record why an item was not rewritten (replacing any earlier draft's claim)."""
        self._db.execute(
            "INSERT OR REPLACE INTO rejections VALUES (?, ?, ?, ?, ?, ?)",
            (rejected.key, rejected.source, rejected.reason, rejected.detail, content_hash, _now()),
        )
        self._db.execute("UPDATE drafts SET current = 0 WHERE key = ?", (rejected.key,))

    def save_failure(
        self, key: str, *, source: str, stage: str, error: str,
        attempts: Sequence[Attempt] = (),
    ) -> None:
        """Record an item that failed for a reason outside it (a server error, a timeout)."""
        self._db.execute(
            "INSERT OR REPLACE INTO failures VALUES (?, ?, ?, ?, ?)",
            (key, source, stage, error, _now()),
        )
        for n, attempt in enumerate(attempts, start=1):
            self._save_attempt(key, None, n, attempt)

    def rejection(self, key: str) -> Rejected | None:
        """The stored rejection of an entry, rebuilt as the error it was, or None."""
        row = self._db.execute("SELECT * FROM rejections WHERE key = ?", (key,)).fetchone()
        if row is None:
            return None
        return rejection_from(row["reason"], row["detail"], key=key, source=row["source"])

    def failures(self) -> list[dict[str, Any]]:
        """Every item currently recorded as failed."""
        return [dict(row) for row in self._db.execute("SELECT * FROM failures ORDER BY key")]

    def rejections(self) -> list[dict[str, Any]]:
        """Every item currently recorded as rejected."""
        return [dict(row) for row in self._db.execute("SELECT * FROM rejections ORDER BY key")]

    # --- sites -------------------------------------------------------------------------------

    def site(self, site: str) -> SiteState | None:
        """The sync state of a site, or None before its first sync."""
        row = self._db.execute("SELECT * FROM sites WHERE site = ?", (site,)).fetchone()
        if row is None:
            return None
        return SiteState(row["site"], row["api_root"], row["high_water"], row["last_sync"],
                         json.loads(row["state"]))

    def save_site(
        self, site: str, *, api_root: str | None = None, high_water: str | None = None,
        synced: bool = False, state: dict[str, Any] | None = None,
    ) -> None:
        """Update a site's sync state; None leaves a field as it was."""
        self._db.execute(
            "INSERT INTO sites (site) VALUES (?) ON CONFLICT (site) DO NOTHING", (site,)
        )
        if api_root is not None:
            self._db.execute("UPDATE sites SET api_root = ? WHERE site = ?", (api_root, site))
        if high_water is not None:
            self._db.execute("UPDATE sites SET high_water = ? WHERE site = ?", (high_water, site))
        if synced:
            self._db.execute("UPDATE sites SET last_sync = ? WHERE site = ?", (_now(), site))
        if state is not None:
            self._db.execute(
                "UPDATE sites SET state = ? WHERE site = ?", (json.dumps(state), site)
            )

    # --- publications ------------------------------------------------------------------------

    def publication(self, key: str, target: str) -> PublicationRow | None:
        """Where an entry's draft was published on ``target``, or None."""
        row = self._db.execute(
            "SELECT * FROM publications WHERE key = ? AND target = ?", (key, target)
        ).fetchone()
        if row is None:
            return None
        return PublicationRow(row["key"], row["target"], row["draft_id"], row["remote_id"],
                              row["link"], row["status"])

    def save_publication(
        self, key: str, target: str, *, draft_id: int, remote_id: str | None,
        link: str | None, status: str,
    ) -> None:
        """Record (or update) where an entry's draft was published."""
        now = _now()
        self._db.execute(
            """
            INSERT INTO publications (key, target, draft_id, remote_id, link, status,
                                      created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (key, target) DO UPDATE SET draft_id = excluded.draft_id,
                remote_id = excluded.remote_id, link = excluded.link,
                status = excluded.status, updated_at = excluded.updated_at
            """,
            (key, target, draft_id, remote_id, link, status, now, now),
        )

    # --- publish helper's block: posts on a target, the database's identity, reviews ---------

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
        return PostRecord(row["key"], row["target"], row["draft_id"], row["remote_id"],
                          row["link"], row["status"], row["modified"], row["sent_hash"])

    def post_records(self, key: str) -> list[PostRecord]:
        """Every post made for ``key``, on any target."""
        rows = self._db.execute(
            "SELECT * FROM publications WHERE key = ? ORDER BY target", (key,)
        ).fetchall()
        return [PostRecord(row["key"], row["target"], row["draft_id"], row["remote_id"],
                           row["link"], row["status"], row["modified"], row["sent_hash"])
                for row in rows]

    def save_post_record(self, record: PostRecord) -> None:
        """Record (or update) the post made for an entry on a target, as the target answered."""
        now = _now()
        self._db.execute(
            """
            INSERT INTO publications (key, target, draft_id, remote_id, link, status, created_at,
                                      updated_at, modified, sent_hash)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (key, target) DO UPDATE SET draft_id = excluded.draft_id,
                remote_id = excluded.remote_id, link = excluded.link, status = excluded.status,
                updated_at = excluded.updated_at, modified = excluded.modified,
                sent_hash = excluded.sent_hash
            """,
            (record.key, record.target, record.draft_id, record.remote_id, record.link,
             record.status, now, now, record.modified, record.sent_hash),
        )

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

    # --- review helper's block: the review app's queue and audit trail ---------------------------

    def queue_rows(self) -> list[QueueRow]:
        """Every current draft as one light row for the review queue, newest first: no article
        or draft text is rebuilt, so thousands of rows load in one query."""
        rows = self._db.execute(
            "SELECT d.id, d.key, d.draft_words, d.source_words, d.passed, d.score, d.problems, "
            "d.created_at, d.engine, json_extract(d.article, '$.language') AS language, "
            "e.source, e.title, e.url, e.published, "
            "(SELECT r.decision FROM reviews r WHERE r.key = d.key AND r.draft_id = d.id "
            " ORDER BY r.id DESC LIMIT 1) AS decision, "
            "EXISTS (SELECT 1 FROM publications p WHERE p.key = d.key "
            " AND p.remote_id IS NOT NULL) AS posted "
            "FROM drafts d JOIN entries e ON e.key = d.key WHERE d.current = 1 ORDER BY d.id DESC"
        ).fetchall()
        return [
            QueueRow(
                draft_id=row["id"], key=row["key"], source=row["source"], title=row["title"],
                url=row["url"], language=row["language"] or "", draft_words=row["draft_words"],
                source_words=row["source_words"], passed=bool(row["passed"]),
                score=row["score"], kinds=tuple(dict.fromkeys(
                    p["kind"] for p in json.loads(row["problems"]))),
                created_at=row["created_at"], published=row["published"],
                engine=row["engine"], decision=row["decision"], posted=bool(row["posted"]),
            )
            for row in rows
        ]

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

    # --- status ------------------------------------------------------------------------------

    def status(self) -> list[dict[str, Any]]:
        """Per source: stored, drafted, passed, failed verification, rejected by reason,
        failed, published, and the last sync time."""
        sources: dict[str, dict[str, Any]] = {}

        def bucket(source: str) -> dict[str, Any]:
            return sources.setdefault(source, {
                "source": source, "stored": 0, "drafted": 0, "passed": 0,
                "failed_verification": 0, "rejected": {}, "failed": 0, "published": 0,
                "last_sync": None,
            })

        for row in self._db.execute("SELECT source, count(*) FROM entries GROUP BY source"):
            bucket(row[0])["stored"] = row[1]
        for row in self._db.execute(
            "SELECT e.source, count(*), sum(d.passed) FROM drafts d JOIN entries e "
            "ON e.key = d.key WHERE d.current = 1 GROUP BY e.source"
        ):
            item = bucket(row[0])
            item["drafted"], item["passed"] = row[1], row[2] or 0
            item["failed_verification"] = row[1] - (row[2] or 0)
        for row in self._db.execute(
            "SELECT source, reason, count(*) FROM rejections GROUP BY source, reason"
        ):
            bucket(row[0])["rejected"][row[1]] = row[2]
        for row in self._db.execute("SELECT source, count(*) FROM failures GROUP BY source"):
            bucket(row[0])["failed"] = row[1]
        for row in self._db.execute(
            "SELECT e.source, count(*) FROM publications p JOIN entries e ON e.key = p.key "
            "GROUP BY e.source"
        ):
            bucket(row[0])["published"] = row[1]
        for row in self._db.execute("SELECT site, last_sync FROM sites"):
            bucket(row["site"])["last_sync"] = row["last_sync"]
        return [sources[name] for name in sorted(sources)]


def _article_json(article: Article) -> str:
    return json.dumps(
        {
            "blocks": [[block.kind, block.text] for block in article.blocks],
            "captions": list(article.captions),
            "language": article.language,
        },
        ensure_ascii=False,
    )


def _entry_from(row: sqlite3.Row) -> Entry:
    def when(value: str | None) -> datetime | None:
        return datetime.fromisoformat(value) if value else None

    return Entry(
        source=row["source"], key=row["key"], url=row["url"], title=row["title"],
        html=row["html"], published=when(row["published"]), modified=when(row["modified"]),
        meta=json.loads(row["meta"]), raw=row["raw"],
    )


def _stored_draft_from(row: sqlite3.Row) -> StoredDraft:
    entry = _entry_from(row)
    data = json.loads(row["article"])
    article = Article(
        entry=entry,
        blocks=tuple(Block(kind, text) for kind, text in data["blocks"]),
        captions=tuple(data["captions"]),
        language=data["language"],
    )
    kind, _, value = row["budget"].partition("=")
    draft = Draft(
        article=article,
        paragraphs=tuple(json.loads(row["paragraphs"])),
        engine=row["engine"],
        budget=Budget(kind, float(value)),
        prompt=row["prompt"],
        attempts=row["attempts"],
        usage=Usage(row["prompt_tokens"], row["completion_tokens"]),
        credit=row["credit"],
    )
    problems = tuple(
        Problem(p["kind"], p["sentence"], p["evidence"], p.get("detail", ""))
        for p in json.loads(row["problems"])
    )
    verdict = Verdict(draft, row["score"], bool(row["passed"]), problems)
    return StoredDraft(row["id"], verdict, row["recipe"], row["created_at"])
