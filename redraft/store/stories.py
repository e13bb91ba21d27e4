"""The story statements of :class:`~redraft.store.Store`: the
:class:`~redraft.stories.placement.StoryIndex` of :mod:`redraft.stories` (post identities,
MinHash bands, key-term postings, document frequencies; tables of ``0200_stories``) and the
stories ``redraft stories`` lists."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from itertools import repeat

from redraft.jsontext import dumps
from redraft.records import Entry
from redraft.store.connection import Connection, storable
from redraft.store.rows import entry_from, json_column
from redraft.store.rows import now as _now
from redraft.stories.memory import MAX_MEMBERS as STORY_MEMBERS
from redraft.stories.placement import MAX_CANDIDATES as STORY_CANDIDATES
from redraft.stories.placement import Known, Placement, StoryView
from redraft.stories.profile import DocumentFrequencies, Profile


@dataclass(frozen=True, slots=True)
class StoryRow:
    """A story as stored: its entries in publication order, and the entry drafted for it.

    Attributes:
        id: the story's id.
        first_seen: the earliest publication time of its entries (UTC, ISO), if known.
        last_seen: the latest.
        draft_key: the key of the entry whose draft stands for the story (None before one).
        entries: its stored entries, oldest first.
        layers: how each entry joined (``new``, ``near-duplicate``, ``same-story``).
    """

    id: str
    first_seen: str | None
    last_seen: str | None
    draft_key: str | None
    entries: tuple[Entry, ...]
    layers: tuple[str, ...]


def _utc(value: datetime | None) -> str | None:
    """A time as UTC ISO text, so that stored times compare as text (naive ones taken as UTC)."""
    if value is None:
        return None
    aware = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    return aware.astimezone(UTC).isoformat()

# Rows inserted by one statement of as many VALUES rows, not by ``executemany`` (which steps,
# resets and binds the statement again for each row): 13M fewer instructions placing the 144
# posts of /tmp/w150 (the 16 bands and 10 key terms of each, 286M to 273M). Longer lists go
# row by row: each number of rows is a statement of its own in SQLite's statement cache.
MAX_VALUES_ROWS = 16


@lru_cache(maxsize=2 * MAX_VALUES_ROWS)
def _values(head: str, width: int, rows: int) -> str:
    """``head`` followed by ``rows`` rows of ``width`` parameters."""
    row = "(" + ", ".join("?" * width) + ")"
    return f"{head} {', '.join([row] * rows)}"


def _insert(db: Connection, head: str, rows: Sequence[tuple[object, ...]]) -> None:
    """``db.many(head + " (?, ...)", rows)``: the same rows inserted in the same order (each
    one ignored or not as it would be alone), by one statement when there are few."""
    if not rows:
        return
    if len(rows) > MAX_VALUES_ROWS:
        db.many(_values(head, len(rows[0]), 1), rows)
        return
    db.write(_values(head, len(rows[0]), len(rows)), [value for row in rows for value in row])


CACHE_TERMS = 100_000  # ~12 MiB of frequencies at most (then read again): memory stays flat
FOLD_EVERY = 256  # articles' term counts kept as appended rows, then summed in: one write of
#                  the frequency pages per 256 articles instead of ~50 scattered pages each
CACHE_PROFILES = 5_000  # parsed member profiles (~2 KiB each, ~10 MiB): a day's live stories


@dataclass(slots=True)
class _StoryCache:
    """Frequencies and parsed profiles already read: a placement reads a thousand frequencies
    and two dozen profiles, mostly the same as the last placement's.

    ``df`` holds the frequencies read so far: ``story_df`` (the folded counts) plus the
    ``story_df_pending`` rows up to ``pending_upto``, whose own counts ``pending`` keeps for
    the terms read later. ``current``: every pending row is counted, so none need be read
    until another connection commits (``version`` moves); this connection's own rows are
    counted as it writes them. ``folded``: ``story_df`` held counts when the cache was made
    (False: it holds none yet, so no term is looked up there; only a fold, which empties this
    connection's cache, or another connection's commit, which moves ``version``, fills it).
    """

    version: int
    folded: bool = True
    df: dict[str, int] = field(default_factory=dict)
    pending: dict[str, int] = field(default_factory=dict)
    pending_upto: int = 0
    current: bool = False
    profiles: dict[str, Profile] = field(default_factory=dict)

    def profile(self, key: str, text: str) -> Profile:
        """The member's profile, parsed once."""
        found = self.profiles.get(key)
        if found is None:
            found = self.profiles[key] = Profile.from_json(json.loads(text))
        return found

    def count_pending(self, rows: Sequence[tuple[int, str]]) -> None:
        """Add pending rows' terms (rows after ``pending_upto``, in id order)."""
        for row_id, text in rows:
            self.count_row(row_id, json.loads(text))

    def count_row(self, row_id: int, terms: Sequence[str]) -> None:
        """Add one pending row's terms."""
        pending, df = self.pending, self.df
        for term in terms:
            pending[term] = pending.get(term, 0) + 1
            if term in df:
                df[term] += 1
        self.pending_upto = row_id

    def oversized(self) -> bool:
        """Whether it outgrew its bound (then it starts again, empty)."""
        return len(self.df) > CACHE_TERMS or len(self.profiles) > CACHE_PROFILES


class StoryQueries:
    """The story statements of :class:`~redraft.store.Store`."""

    _db: Connection
    _story_cache_state: _StoryCache | None


    def entry_named(self, identities: Sequence[str]) -> Known | None:
        """The entry recorded under any of these post identities."""
        marks = ",".join("?" * len(identities))
        row = self._db.execute(
            f"SELECT n.key, m.story FROM story_names n JOIN story_members m ON m.key = n.key "
            f"WHERE n.identity IN ({marks}) LIMIT 1", tuple(identities)).fetchone()
        return Known(row[0], str(row[1])) if row else None

    def entries_in_bands(self, bands: Sequence[int],
                         since: datetime | None) -> list[tuple[Known, bytes]]:
        """Entries sharing an LSH band key, published (undated: stored) since ``since``, in the
        order they were placed: of two equally near, the earlier is the one matched, whatever
        plan SQLite picks for the look-up."""
        marks = ",".join("?" * len(bands))
        rows = self._db.execute(
            f"SELECT m.key, m.story, m.signature FROM story_members m WHERE m.key IN "
            f"(SELECT b.key FROM story_bands b WHERE b.band IN ({marks}) AND b.published >= ?) "
            f"AND m.signature IS NOT NULL ORDER BY m.rowid", (*bands, _utc(since) or ""))
        return [(Known(row[0], str(row[1])), bytes(row[2])) for row in rows]

    def stories_with_terms(self, terms: Sequence[str], since: datetime | None) -> list[StoryView]:
        """Stories filed under any of the terms and seen since ``since``, most shared first."""
        rows = self._db.execute(  # (term, last_seen) is indexed: closed stories are not read
            "SELECT t.story, max(t.last_seen), count(*) AS shared FROM story_terms t "
            "WHERE t.term IN (SELECT value FROM json_each(?)) AND t.last_seen >= ? "
            "GROUP BY t.story ORDER BY shared DESC, t.story LIMIT ?",
            (dumps(list(terms)), _utc(since) or "", STORY_CANDIDATES)).fetchall()
        if not rows:
            return []
        members: dict[int, list[Profile]] = {row[0]: [] for row in rows}
        cache = self._story_cache()
        for story, key, text in self._db.execute(  # each story's latest members, one statement
                "SELECT story, key, profile FROM (SELECT story, key, profile, row_number() OVER "
                "(PARTITION BY story ORDER BY published DESC, rowid DESC) AS n FROM story_members "
                "WHERE story IN (SELECT value FROM json_each(?)) AND layer != 'same-post') "
                "WHERE n <= ?", (dumps(list(members)), STORY_MEMBERS)):
            members[story].append(cache.profile(key, text))
        return [StoryView(str(row[0]), tuple(members[row[0]][::-1]),
                          datetime.fromisoformat(row[1]) if row[1] else None) for row in rows]

    def document_frequencies(self, terms: Sequence[str]) -> DocumentFrequencies:
        """The article count and the document frequencies of these terms (``story_df`` plus
        the rows not folded into it yet; read through this connection's cache)."""
        cache = self._story_cache()
        if not cache.current:
            cache.count_pending(self._db.execute(
                "SELECT id, terms FROM story_df_pending WHERE id > ? ORDER BY id",
                (cache.pending_upto,)).fetchall())
            cache.current = True
        df = cache.df
        missing = {"", *terms}.difference(df)  # most are read already: sets, not a Python loop
        if missing:
            # zip and map in C, not a generator a term (~25 terms a placement)
            df.update(zip(missing, map(cache.pending.get, missing, repeat(0)), strict=True))
        if missing and cache.folded:
            for term, count in self._db.execute(
                    "SELECT term, df FROM story_df WHERE term IN (SELECT value FROM json_each(?))",
                    (dumps(list(missing)),)).fetchall():
                df[term] += count
        return DocumentFrequencies(df[""], df)  # all it holds: a superset, as MemoryIndex's

    def add(self, placement: Placement, *, draft: str | None = None) -> str:
        """Record a placement (call inside :meth:`transaction`); return its story's id.
        ``draft``: the key of the entry drafting the story, stored when the story is new."""
        profile = placement.profile
        when = _utc(profile.published) or _now()  # an undated entry counts from when it came
        new = not placement.story
        story = self._new_story(placement.key, when, draft) if new else int(placement.story)
        owner = (placement.of or placement.key) if placement.layer == "same-post" else placement.key
        self._db.many("INSERT OR IGNORE INTO story_names VALUES (?, ?)",
                   [(identity, owner) for identity in placement.identities])
        if placement.layer == "same-post":
            return str(story)
        counted = sorted({*profile.terms, *profile.names})
        text = json_column(profile.to_json())
        if (cache := self._story_cache_state) is not None:
            # what a read would parse back (bytes: no lone surrogate): kept, not parsed again
            if isinstance(text, bytes) or storable(text) == text:
                cache.profiles[placement.key] = profile
            else:  # stored with U+FFFD for lone surrogates: read back as stored
                cache.profiles.pop(placement.key, None)
        self._db.write(
            "INSERT OR REPLACE INTO story_members (key, story, layer, of, score, published, "
            "profile, signature, added_at) VALUES (?, ?, ?, ?, ?, ?, CAST(? AS TEXT), ?, ?)",
            (placement.key, story, placement.layer, placement.of, placement.score, when, text,
             placement.signature, _now()))
        _insert(self._db, "INSERT INTO story_bands VALUES",
                [(band, placement.key, when) for band in placement.bands])
        # A story made just now was written with these times: nothing to read back or update.
        last = None if new else self._db.execute(
            "SELECT last_seen FROM stories WHERE id = ?", (story,)).fetchone()
        seen = max(when, last[0] or when) if last is not None else when
        if last is not None and seen != last[0]:  # the story moved on: so do its terms (first:
            # a term filed already then matches the row inserted below, which is ignored)
            self._db.write("UPDATE story_terms SET last_seen = ? WHERE story = ?", (seen, story))
        _insert(self._db, "INSERT OR IGNORE INTO story_terms (term, last_seen, story) VALUES",
                [(term, seen, story) for term in placement.key_terms])
        self._count_terms(["", *counted])
        if not new:
            self._db.write("UPDATE stories SET last_seen = ?, first_seen = min(coalesce("
                             "first_seen, ?), ?) WHERE id = ?", (seen, when, when, story))
        return str(story)

    def _count_terms(self, terms: Sequence[str]) -> None:
        """Count an article's terms: one appended row (one page written, not one page a
        term), folded into ``story_df`` every :data:`FOLD_EVERY` articles."""
        row_id = self._db.write("INSERT INTO story_df_pending (terms) VALUES (CAST(? AS TEXT))",
                                (json_column(list(terms)),)) or 0
        if row_id < FOLD_EVERY:
            cache = self._story_cache_state
            if cache is not None and cache.current:  # counted now, not read back
                if row_id == cache.pending_upto + 1:
                    cache.count_row(row_id, terms)
                else:
                    cache.current = False
            return
        self._db.execute(
            "INSERT INTO story_df SELECT j.value, count(*) FROM story_df_pending p, "
            "json_each(p.terms) j WHERE true GROUP BY j.value "
            "ON CONFLICT (term) DO UPDATE SET df = df + excluded.df")
        self._db.execute("DELETE FROM story_df_pending")
        self._story_cache_state = None  # the folded counts moved: read them again

    def _story_cache(self) -> _StoryCache:
        """This connection's cache of frequencies and profiles, emptied when the file changed
        under it (``PRAGMA data_version`` moves when another connection commits)."""
        cache = self._story_cache_state
        version = int(self._db.execute("PRAGMA data_version").fetchone()[0])
        if cache is None or cache.version != version or cache.oversized():
            # A store's first FOLD_EVERY articles are counted in pending rows only: until the
            # first fold, their terms are not looked for in the empty story_df (one statement a
            # placement, ~15M instructions placing /tmp/w150's 144 posts).
            folded = self._db.execute("SELECT EXISTS (SELECT 1 FROM story_df)").fetchone()[0]
            cache = _StoryCache(version, folded=bool(folded))
            self._story_cache_state = cache
        return cache

    def _new_story(self, key: str, when: str, draft: str | None) -> int:
        story = self._db.write(
            "INSERT INTO stories (first_key, first_seen, last_seen, draft_key, created_at) "
            "VALUES (?, ?, ?, ?, ?)", (key, when, when, draft, _now()))
        assert story is not None
        return story

    def story_draft(self, story: str) -> str | None:
        """The key of the entry drafted for the story (None before one is)."""
        row = self._db.execute("SELECT draft_key FROM stories WHERE id = ?", (int(story),)).fetchone()
        return row[0] if row else None

    def set_draft_credit(self, key: str, credit: str) -> None:
        """Replace the credit line of an entry's current draft (a story gained an outlet)."""
        self._db.execute("UPDATE drafts SET credit = ? WHERE key = ? AND current = 1", (credit, key))

    def story_draft_of(self, key: str) -> tuple[str, str | None] | None:
        """The id of the entry's story and the key of the story's drafted entry, or None when
        the entry is in no story (one statement; its members are not read)."""
        row = self._db.execute(
            "SELECT s.id, s.draft_key FROM story_members m JOIN stories s ON s.id = m.story "
            "WHERE m.key = ?", (key,)).fetchone()
        return (str(row[0]), row[1]) if row is not None else None

    def story_outlets(self, key: str) -> tuple[Entry, ...]:
        """The entries of ``key``'s story, oldest first, with what a credit line reads: their
        bodies and raw forms are left out (empty). Empty when ``key`` is in no story."""
        rows = self._db.execute(
            "SELECT e.key, e.source, e.url, e.title, '' AS html, e.published, e.modified, "
            "e.meta, '' AS raw FROM story_members m JOIN entries e ON e.key = m.key "
            "WHERE m.story = (SELECT story FROM story_members WHERE key = ?) "
            "ORDER BY m.published, m.rowid", (key,)).fetchall()
        return tuple(entry_from(row) for row in rows)

    def draft_credit(self, key: str) -> tuple[str, str] | None:
        """The credit line and the article's language of the entry's current draft, or None
        (the draft itself is not read)."""
        row = self._db.execute(
            "SELECT d.credit, json_extract(d.article, '$.language') FROM drafts d "
            "WHERE d.key = ? AND d.current = 1", (key,)).fetchone()
        return (row[0], row[1]) if row is not None else None

    def set_story_draft(self, story: str, key: str | None) -> None:
        """Name the entry whose draft is the story's draft."""
        self._db.write("UPDATE stories SET draft_key = ? WHERE id = ?", (key, int(story)))

    def stories(self, *, since: datetime | None = None, source: str | None = None) -> list[StoryRow]:
        """Stories last seen since ``since`` (all when None), that have an entry from
        ``source`` when given, newest first, each with its stored entries in order."""
        sql = "SELECT DISTINCT s.id FROM stories s JOIN story_members m ON m.story = s.id " \
              "JOIN entries e ON e.key = m.key WHERE (? IS NULL OR s.last_seen >= ?) " \
              "AND (? IS NULL OR e.source = ?) ORDER BY s.last_seen DESC, s.id DESC"
        stamp = _utc(since)
        ids = [row[0] for row in self._db.execute(sql, (stamp, stamp, source, source))]
        return self._story_rows(ids)

    def stories_changed(self, since: str) -> list[StoryRow]:
        """Stories of two or more entries that gained one at or after ``since`` (UTC ISO)."""
        rows = self._db.execute(
            "SELECT story FROM story_members GROUP BY story HAVING count(*) > 1 "
            "AND max(added_at) >= ? ORDER BY story", (since,)).fetchall()
        return self._story_rows([row[0] for row in rows])

    def _story_rows(self, ids: Sequence[int]) -> list[StoryRow]:
        result = []
        for story_id in ids:
            story = self._db.execute("SELECT * FROM stories WHERE id = ?", (story_id,)).fetchone()
            members = self._db.execute(
                "SELECT e.*, m.layer FROM story_members m JOIN entries e ON e.key = m.key "
                "WHERE m.story = ? ORDER BY m.published, m.rowid", (story_id,)).fetchall()
            result.append(StoryRow(
                id=str(story_id), first_seen=story["first_seen"], last_seen=story["last_seen"],
                draft_key=story["draft_key"],
                entries=tuple(entry_from(row) for row in members),
                layers=tuple(row["layer"] for row in members)))
        return result

