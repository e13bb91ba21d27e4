"""The run's state in one SQLite file: entries, drafts and their attempts, rejections,
failures, per-site sync marks and publications. The store package is the only one that speaks
SQL: this module holds the statements, :mod:`.connection` the connection and its errors,
:mod:`.rows` the records a row becomes.

The file uses WAL journaling, so a reader (``redraft status``) never blocks a running sync,
and every item is committed on its own: a run killed at any point loses at most the item
it was working on, and running it again finishes the job.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Any

from redraft.errors import Rejected, StoreError, rejection_from
from redraft.jsontext import dumps
from redraft.migrations import MIGRATIONS
from redraft.records import Attempt, Entry, Verdict
from redraft.store.connection import Connection, sql_literal, store_error
from redraft.store.posts import Publications
from redraft.store.review import AuditEvent, QueueRow, ReviewQueries
from redraft.store.rows import (
    EntryState,
    PostRecord,
    Review,
    SiteState,
    StoredDraft,
    article_json,
    entry_from,
    extent,
    json_column,
    problems_json,
    stored_draft_from,
    text_column,
)
from redraft.store.rows import iso as _iso
from redraft.store.rows import now as _now
from redraft.store.stories import StoryQueries
from redraft.text import words_in

_BUSY_TIMEOUT_MS = 30_000  # a second writer (two syncs at once) waits instead of failing
# WAL pages written before they are copied into the file (SQLite's default is 1,000): a page an
# item writes again and again (the top of an index, the story tables' last pages) is copied
# once, with two fsyncs, per 4,000 (~60 items) instead of per 1,000: 7% less CPU for the store
# in benchmarks/store.py; the log file stays at most ~16 MiB.
_CHECKPOINT_PAGES = 4_000
# What is kept of a rejected item's body and raw form: enough to see what it was, not so much
# that a hostile source can fill the disk (the size and a digest of the whole are kept too).
KEEP_REJECTED_CHARS = 64 * 1024


class Store(Publications, ReviewQueries, StoryQueries):
    """The SQLite state of redraft. Open with :meth:`open`; use as a context manager."""

    def __init__(self, connection: sqlite3.Connection, path: str = ":memory:") -> None:
        connection.row_factory = sqlite3.Row
        self._db = Connection(connection, path)
        self._story_cache_state = None  # what the story queries read so far (see StoryQueries)

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
            connection.execute(f"PRAGMA wal_autocheckpoint = {_CHECKPOINT_PAGES}")
            connection.execute("PRAGMA foreign_keys = ON")
            store = cls(connection, str(path))
            store._migrate()
        except StoreError as exc:
            raise StoreError(f"cannot open the state database {path}: {exc.__cause__ or exc}; "
                             "check the path, or pass another with --db") from exc
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
        self._db.write("BEGIN IMMEDIATE")
        try:
            yield
            self._db.write("COMMIT")  # inside: a failed COMMIT (disk full) rolls back too
        except BaseException:
            self._story_cache_state = None  # it may count rows rolled back
            if self._db.raw.in_transaction:  # SQLite may have rolled back already (disk full)
                self._db.execute("ROLLBACK")
            raise

    def _migrate(self) -> None:
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, applied_at TEXT)"
        )
        done = {row[0] for row in self._db.execute("SELECT name FROM migrations")}
        unknown = sorted(done - {name for name, _ in MIGRATIONS})
        if unknown:  # a newer redraft reshaped tables this one would misread or miswrite
            raise StoreError(f"it was written by a newer redraft (its schema has {unknown[-1]}, "
                             "which this one does not know), and is left as it is: upgrade "
                             "redraft (pip install -U redraft)")
        for name, sql in MIGRATIONS:
            if name in done:
                continue
            # One script, so triggers and literals with ";" stay whole; its own transaction
            # (executescript commits any transaction opened outside it), bookkeeping included.
            self._db.script(f"BEGIN IMMEDIATE;\n{sql}\n;INSERT INTO migrations VALUES "
                            f"({sql_literal(name)}, {sql_literal(_now())});\nCOMMIT;")

    def migrations(self) -> list[str]:
        """The names of the migrations applied, in order."""
        return [row[0] for row in self._db.execute("SELECT name FROM migrations ORDER BY name")]

    # --- entries -----------------------------------------------------------------------------

    def state_of(self, entry: Entry, recipe: str) -> EntryState:
        """Whether ``entry`` is new, changed (content, ``modified`` or recipe) or unchanged."""
        row = self._db.execute(  # one statement: whether it is done, read along with it
            "SELECT e.content_hash, e.modified, EXISTS (SELECT 1 FROM drafts d "
            "WHERE d.key = e.key AND d.current = 1 AND d.recipe = ? "
            "AND d.content_hash = e.content_hash) OR EXISTS (SELECT 1 FROM rejections r "
            "WHERE r.key = e.key AND r.content_hash = e.content_hash) FROM entries e "
            "WHERE e.key = ?", (recipe, entry.key),
        ).fetchone()
        if row is None:
            return EntryState.NEW
        if row[0] != entry.content_hash or row[1] != _iso(entry.modified):
            return EntryState.CHANGED
        return EntryState.UNCHANGED if row[2] else EntryState.CHANGED

    def save_entry(self, entry: Entry, *, bounded: bool = False) -> None:
        """Insert or update an entry (one row per key, whatever the number of runs).

        With ``bounded`` (a rejected item), only the first :data:`KEEP_REJECTED_CHARS` of its
        body and raw form are kept, and ``meta["truncated"]`` records their sizes and digests.
        """
        stamp = _now()
        html, raw, meta = entry.html, entry.raw, dict(entry.meta)
        if bounded and max(len(html), len(raw)) > KEEP_REJECTED_CHARS:
            meta["truncated"] = {"html": extent(html), "raw": extent(raw)}
            html, raw = html[:KEEP_REJECTED_CHARS], raw[:KEEP_REJECTED_CHARS]
        self._db.write(
            """
            INSERT INTO entries (key, source, url, title, html, published, modified,
                                 content_hash, meta, raw, first_seen, updated_at)
            VALUES (?, ?, ?, ?, CAST(? AS TEXT), ?, ?, ?, ?, CAST(? AS TEXT), ?, ?)
            ON CONFLICT (key) DO UPDATE SET
                source = excluded.source, url = excluded.url, title = excluded.title,
                html = excluded.html, published = excluded.published,
                modified = excluded.modified, content_hash = excluded.content_hash,
                meta = excluded.meta, raw = excluded.raw, updated_at = excluded.updated_at
            """,
            (
                entry.key, entry.source, entry.url, entry.title, text_column(html),
                _iso(entry.published), _iso(entry.modified), entry.content_hash,
                dumps(meta, default=str), text_column(raw),
                stamp, stamp,
            ),
        )

    def entry(self, key: str) -> Entry | None:
        """The stored entry with this key, or None."""
        row = self._db.execute("SELECT * FROM entries WHERE key = ?", (key,)).fetchone()
        return entry_from(row) if row is not None else None

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
        self._db.write("UPDATE drafts SET current = 0 WHERE key = ? AND current = 1", (entry.key,))
        usage = draft.usage
        draft_id = self._db.write(
            """
            INSERT INTO drafts (key, content_hash, recipe, engine, prompt, budget, article,
                                paragraphs, credit, source_words, draft_words, score, passed,
                                problems, attempts, prompt_tokens, completion_tokens, created_at)
            VALUES (?, ?, ?, ?, ?, ?, CAST(? AS TEXT), CAST(? AS TEXT), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            (
                entry.key, entry.content_hash, recipe, draft.engine, draft.prompt,
                draft.budget.describe(), article_json(article),
                json_column(list(draft.paragraphs)), draft.credit,
                article.words,
                words_in(draft.paragraphs), verdict.score, int(verdict.passed),
                problems_json(verdict.problems), draft.attempts, usage.prompt_tokens,
                usage.completion_tokens, _now(),
            ),
        )
        draft_id = int(draft_id or 0)
        for n, attempt in enumerate(attempts, start=1):
            self._save_attempt(entry.key, draft_id, n, attempt)
        self._db.write("DELETE FROM rejections WHERE key = ?", (entry.key,))
        self._db.write("DELETE FROM failures WHERE key = ?", (entry.key,))
        return draft_id

    def _save_attempt(self, key: str, draft_id: int | None, n: int, attempt: Attempt) -> None:
        self._db.write(
            """
            INSERT INTO attempts (key, draft_id, n, engine, prompt, score, passed, problems,
                                  prompt_tokens, completion_tokens, error, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            (
                key, draft_id, n, attempt.engine, attempt.prompt, attempt.score,
                None if attempt.passed is None else int(attempt.passed),
                problems_json(attempt.problems), attempt.usage.prompt_tokens,
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
        return stored_draft_from(row) if row is not None else None

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
            yield stored_draft_from(row)

    # --- rejections and failures -------------------------------------------------------------

    def save_rejection(self, rejected: Rejected, *, content_hash: str | None = None) -> None:
        """Record why an item was not rewritten (replacing any earlier draft's claim)."""
        self._db.write(
            "INSERT OR REPLACE INTO rejections VALUES (?, ?, ?, ?, ?, ?)",
            (rejected.key, rejected.source, rejected.reason, rejected.detail, content_hash, _now()),
        )
        self._db.write("UPDATE drafts SET current = 0 WHERE key = ?", (rejected.key,))

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


__all__ = ["KEEP_REJECTED_CHARS", "AuditEvent", "EntryState", "PostRecord",
           "QueueRow", "Review", "SiteState", "Store", "StoredDraft", "store_error"]
