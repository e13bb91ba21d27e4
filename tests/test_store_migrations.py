"""Migrations that reshape tables: a database made before one reads the same after it, and goes
on as a database made after it."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from redraft.errors import StoreError
from redraft.migrations import MIGRATIONS
from redraft.store import Store
from redraft.stories.placement import Placement
from redraft.stories.profile import Profile

T0 = datetime(2025, 5, 1, 8, 0, tzinfo=UTC)
CLUSTERED = "0221_story_terms_clustered"

# (key, story joined (0 for a new one), hours after T0, key terms): the third entry moves story 1
# on, the fourth is older than its story's last entry (the story's times stay as they were).
PLACEMENTS = [
    ("k1", 0, 0, ("harbour", "strike", "union")),
    ("k2", 0, 1, ("election", "mayor")),
    ("k3", 1, 30, ("strike", "port", "union")),
    ("k4", 2, -5, ("mayor", "ballot")),
]
LATER = [("k5", 1, 40, ("strike", "wages")), ("k6", 0, 41, ("flood",))]


def place(store: Store, key: str, story: int, hours: int, terms: tuple[str, ...]) -> None:
    when = T0 + timedelta(hours=hours)
    placement = Placement(
        key=key, story=str(story) if story else "", layer="same-story" if story else "new",
        of=None, score=0.5 if story else 0.0, identities=(f"https://s.example/{key}",),
        signature=bytes(range(8)), bands=(int(key[1:]), 7),
        profile=Profile(dict.fromkeys(terms, 1), published=when), key_terms=terms)
    with store.transaction():
        store.add(placement)


def reads(store: Store) -> list[object]:
    """What the story index answers, for every term and band used and a few windows."""
    terms = sorted({term for *_, words in PLACEMENTS + LATER for term in words})
    answers: list[object] = []
    for since in (None, T0 + timedelta(hours=2), T0 + timedelta(hours=35)):
        answers += [[(view.id, view.last_seen) for view in store.stories_with_terms([term], since)]
                    for term in terms]
        answers.append([(view.id, view.last_seen, len(view.members))
                        for view in store.stories_with_terms(terms, since)])
        answers.append(sorted(known.key for known, _ in store.entries_in_bands([7], since)))
    return answers


def test_story_terms_made_before_the_clustered_table_read_the_same_after_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    old_path, new_path = tmp_path / "old.db", tmp_path / "new.db"
    before = tuple(migration for migration in MIGRATIONS if migration[0] < CLUSTERED)
    monkeypatch.setattr("redraft.store.MIGRATIONS", before)
    with Store.open(old_path) as store:
        for placement in PLACEMENTS:
            place(store, *placement)
        answers_before = reads(store)
        assert CLUSTERED not in store.migrations()
    monkeypatch.setattr("redraft.store.MIGRATIONS", MIGRATIONS)
    with Store.open(old_path) as migrated, Store.open(new_path) as fresh:
        assert migrated.migrations()[-1] == fresh.migrations()[-1]
        for placement in PLACEMENTS:
            place(fresh, *placement)
        assert reads(migrated) == answers_before == reads(fresh)
        for placement in LATER:  # both go on alike: the moved story's terms move with it
            place(migrated, *placement)
            place(fresh, *placement)
        assert reads(migrated) == reads(fresh) != answers_before
    with sqlite3.connect(old_path) as connection:
        rows = connection.execute("SELECT term, story, last_seen FROM story_terms "
                                  "ORDER BY term, story").fetchall()
        indices = {row[0] for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE tbl_name = 'story_terms' AND type = 'index'")}
    stories = {story for _, story, _ in rows}
    assert len(rows) == len({(term, story) for term, story, _ in rows})  # one row a term
    assert all(len({seen for _, s, seen in rows if s == story}) == 1 for story in stories)
    assert indices == {"story_terms_story"}


def test_a_database_a_newer_redraft_wrote_is_refused_and_left_alone(tmp_path: Path) -> None:
    """A schema step this redraft does not know (a newer one reshaped its tables) stops the
    open with a StoreError naming the file and the fix, before anything is written."""
    path = tmp_path / "newer.db"
    Store.open(path).close()
    with sqlite3.connect(path) as raw:
        raw.execute("INSERT INTO migrations VALUES ('9999_from_the_future', '2030-01-01')")
    raw.close()
    before = path.read_bytes()
    message = r"newer\.db: it was written by a newer redraft.*9999_from_the_future.*upgrade"
    with pytest.raises(StoreError, match=message):
        Store.open(path)
    assert path.read_bytes() == before
