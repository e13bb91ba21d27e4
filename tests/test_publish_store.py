"""The publish helper's block of store.py: the database's identity, the record of each post made
on a target (status, modified time, digest of what was sent), and editors' reviews."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from redraft.errors import StoreError
from redraft.migrations import MIGRATIONS
from redraft.store import PostRecord, Store
from tests.test_store import entry, verdict


def test_each_database_has_its_own_lasting_identity(tmp_path: Path) -> None:
    with Store.open(tmp_path / "a.db") as first:
        identity = first.identity()
    with Store.open(tmp_path / "a.db") as again, Store.open(tmp_path / "b.db") as other:
        assert again.identity() == identity
        assert other.identity() != identity and len(identity) == 32


def test_a_post_record_keeps_what_the_target_answered(tmp_path: Path) -> None:
    with Store.open(tmp_path / "r.db") as store:
        item = entry()
        with store.transaction():
            store.save_entry(item)
            draft_id = store.save_draft(verdict(item), recipe="r")
            record = PostRecord(item.key, "wordpress:https://t.example", draft_id, "12",
                                "https://t.example/?p=12", "draft", "2025-05-01T08:00:00", "abc")
            store.save_post_record(record)
        assert store.post_record(item.key, "wordpress:https://t.example") == record
        assert store.post_record(item.key, "wordpress:https://other.example") is None
        with store.transaction():
            store.save_post_record(PostRecord(item.key, record.target, draft_id, "12", "l",
                                              "pending", "2025-05-02T08:00:00", "def"))
        updated = store.post_record(item.key, record.target)
        assert updated is not None and (updated.status, updated.sent_hash) == ("pending", "def")
        assert store.status()[0]["published"] == 1


def test_an_older_database_keeps_its_publications_without_a_modified_time(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    with sqlite3.connect(path) as old:  # the schema before this block, with one publication
        old.execute("CREATE TABLE migrations (name TEXT PRIMARY KEY, applied_at TEXT)")
        old.executescript(MIGRATIONS[0][1])
        old.execute("INSERT INTO migrations VALUES ('0001_initial', 'then')")
        old.execute("INSERT INTO publications VALUES ('k', 't', 1, '7', 'l', 'published', 'a', 'b')")
    with Store.open(path) as store:
        record = store.post_record("k", "t")
        assert record is not None and record.remote_id == "7"
        assert (record.modified, record.sent_hash) == (None, None)
        assert store.identity()


def test_a_review_counts_for_the_current_draft_only(tmp_path: Path) -> None:
    with Store.open(tmp_path / "r.db") as store:
        item = entry()
        with store.transaction():
            store.save_entry(item)
            store.save_draft(verdict(item), recipe="r")
            store.save_review(item.key, decision="rejected", who="ed", note="too long")
            store.save_review(item.key, decision="approved", who="ana")
        review = store.review(item.key)
        assert review is not None and (review.decision, review.who) == ("approved", "ana")
        with store.transaction():
            store.save_draft(verdict(item), recipe="r2")  # redone: needs a new decision
        assert store.review(item.key) is None
        with pytest.raises(StoreError, match="no current draft"), store.transaction():
            store.save_review("missing", decision="approved", who="ed")
