"""store.py: a real SQLite file, asserted on directly."""

from __future__ import annotations

import hashlib
import resource
import signal
import sqlite3
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from redraft.errors import StoreError, TooShort
from redraft.jsontext import dumps
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
    encodable,
)
from redraft.store import KEEP_REJECTED_CHARS, EntryState, PostRecord, Store
from redraft.store.connection import storable
from redraft.store.rows import json_column, now
from redraft.stories import Placer


def entry(key: str = "https://s.example#1", html: str = "<p>Body one.</p>", **kw: object) -> Entry:
    fields: dict[str, object] = {
        "source": "wordpress:https://s.example", "key": key, "url": "https://s.example/?p=1",
        "title": "Title", "html": html, "modified": datetime(2025, 5, 1, 8, 0, tzinfo=UTC),
        "published": datetime(2025, 4, 30, 8, 0, tzinfo=UTC), "meta": {"tag_names": ["a"]},
    }
    fields.update(kw)
    return Entry(**fields)  # type: ignore[arg-type]


def verdict(item: Entry, passed: bool = True) -> Verdict:
    article = Article(item, (Block("h", "Head"), Block("p", "Body one. Body two.")),
                      captions=("A caption",), language="fr")
    draft = Draft(article, ("Body one.",), "llm:m", Budget("words", 50), prompt="condense@1",
                  attempts=2, usage=Usage(10, 5), credit=item.credit())
    problems = () if passed else (Problem("unsupported", "Body x.", "Body one.", "why"),)
    return Verdict(draft, 0.9 if passed else 0.2, passed, problems)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "state" / "redraft.db") as opened:
        yield opened


def test_schema_is_migrated_once_and_uses_wal(tmp_path: Path) -> None:
    path = tmp_path / "r.db"
    Store.open(path).close()
    with Store.open(path) as store:
        assert store.migrations()[0] == "0001_initial"
    connection = sqlite3.connect(path)
    assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert connection.execute("SELECT count(*) FROM migrations").fetchone()[0] == len(MIGRATIONS)


def test_a_file_that_is_not_a_database_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "junk.db"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match=r"junk\.db"):
        Store.open(path)


def test_entry_states(store: Store) -> None:
    item = entry()
    recipe = "extractive|ratio=0.35"
    assert store.state_of(item, recipe) is EntryState.NEW
    with store.transaction():
        store.save_entry(item)
    assert store.state_of(item, recipe) is EntryState.CHANGED  # stored but never drafted
    with store.transaction():
        store.save_draft(verdict(item), recipe=recipe)
    assert store.state_of(item, recipe) is EntryState.UNCHANGED
    assert store.state_of(item, "extractive|words=10") is EntryState.CHANGED
    assert store.state_of(entry(html="<p>Edited.</p>"), recipe) is EntryState.CHANGED
    later = entry(modified=datetime(2025, 6, 1, tzinfo=UTC))
    assert store.state_of(later, recipe) is EntryState.CHANGED
    edited = entry(html="<p>Edited.</p>")
    with store.transaction():  # stored as edited (a run killed before its draft was saved)
        store.save_entry(edited)
    assert store.state_of(edited, recipe) is EntryState.CHANGED  # the draft is of the old text
    assert store.state_of(item, recipe) is EntryState.CHANGED


def test_saving_twice_keeps_one_row_per_key(store: Store) -> None:
    with store.transaction():
        store.save_entry(entry())
        store.save_entry(entry(html="<p>Changed.</p>"))
    assert store.count_entries() == 1
    stored = store.entry("https://s.example#1")
    assert stored is not None and stored.html == "<p>Changed.</p>"
    assert stored.meta["tag_names"] == ["a"]


def test_draft_round_trip_with_attempts(store: Store) -> None:
    item = entry()
    original = verdict(item, passed=False)
    attempts = [Attempt("llm:m", "condense@1", error="timeout"),
                Attempt("llm:m", "condense@1", 0.2, False, original.problems, Usage(10, 5))]
    with store.transaction():
        store.save_entry(item)
        draft_id = store.save_draft(original, recipe="r", attempts=attempts)
    stored = store.current_draft(item.key)
    assert stored is not None and stored.id == draft_id
    assert stored.verdict == original
    recorded = store.attempts(item.key)
    assert [a["error"] for a in recorded] == ["timeout", None]
    assert recorded[1]["problems"][0]["kind"] == "unsupported"


def test_only_the_latest_draft_is_current(store: Store) -> None:
    item = entry()
    with store.transaction():
        store.save_entry(item)
        store.save_draft(verdict(item), recipe="r")
        second = store.save_draft(verdict(item, passed=False), recipe="r")
    assert [d.id for d in store.drafts(passed_only=False)] == [second]
    assert list(store.drafts(passed_only=True)) == []


def test_rejection_and_draft_replace_each_other(store: Store) -> None:
    item = entry()
    with store.transaction():
        store.save_entry(item)
        store.save_rejection(TooShort("12 words", key=item.key, source=item.source),
                             content_hash=item.content_hash)
    assert store.state_of(item, "r") is EntryState.UNCHANGED
    rejection = store.rejection(item.key)
    assert isinstance(rejection, TooShort) and rejection.detail == "12 words"
    with store.transaction():
        store.save_draft(verdict(item), recipe="r")
    assert store.rejection(item.key) is None


def test_transaction_rolls_back_on_error(store: Store) -> None:
    with pytest.raises(RuntimeError), store.transaction():
        store.save_entry(entry())
        raise RuntimeError("crash in the middle")
    assert store.count_entries() == 0


def test_sites_and_publications(store: Store) -> None:
    site = "wordpress:https://s.example"
    assert store.site(site) is None
    with store.transaction():
        store.save_site(site, api_root="https://s.example/wp-json/", high_water="2025-05-01T08:00:00")
        store.save_site(site, synced=True, state={"via_feed": False})
    state = store.site(site)
    assert state is not None
    assert (state.api_root, state.high_water, state.state) == (
        "https://s.example/wp-json/", "2025-05-01T08:00:00", {"via_feed": False})
    assert state.last_sync is not None
    item = entry()
    with store.transaction():
        store.save_entry(item)
        draft_id = store.save_draft(verdict(item), recipe="r")
        store.save_post_record(PostRecord(item.key, "wordpress:https://t", draft_id, "55",
                                          "https://t/?p=55", "published"))
    publication = store.post_record(item.key, "wordpress:https://t")
    assert publication is not None and publication.remote_id == "55"


def test_status_counts_per_source(store: Store) -> None:
    good, bad, short = entry("k1"), entry("k2"), entry("k3")
    with store.transaction():
        for item in (good, bad, short):
            store.save_entry(item)
        store.save_draft(verdict(good), recipe="r")
        store.save_draft(verdict(bad, passed=False), recipe="r")
        store.save_rejection(TooShort("short", key="k3", source=good.source))
        store.save_failure("https://s.example/wp-json/wp/v2/posts?page=3",
                           source=good.source, stage="fetch", error="500 x5")
        store.save_site(good.source, synced=True)
    (row,) = store.status()
    assert row["source"] == good.source
    assert (row["stored"], row["drafted"], row["passed"], row["failed_verification"]) == (3, 2, 1, 1)
    assert row["rejected"] == {"too-short": 1}
    assert row["failed"] == 1 and row["last_sync"] is not None


# --- errors: every sqlite3.Error is a StoreError that names the file -------------------------

STORE_CALLS: dict[str, Callable[[Store], object]] = {
    "state_of": lambda s: s.state_of(entry(), "r"),
    "save_entry": lambda s: s.save_entry(entry()),
    "entry": lambda s: s.entry("k"),
    "count_entries": lambda s: s.count_entries(),
    "save_draft": lambda s: s.save_draft(verdict(entry()), recipe="r"),
    "attempts": lambda s: s.attempts("k"),
    "current_draft": lambda s: s.current_draft("k"),
    "drafts": lambda s: list(s.drafts()),
    "save_rejection": lambda s: s.save_rejection(TooShort("short", key="k", source="x")),
    "save_failure": lambda s: s.save_failure("k", source="x", stage="engine", error="e"),
    "rejection": lambda s: s.rejection("k"),
    "failures": lambda s: s.failures(),
    "rejections": lambda s: s.rejections(),
    "site": lambda s: s.site("x"),
    "save_site": lambda s: s.save_site("x", api_root="y"),
    "post_record": lambda s: s.post_record("k", "t"),
    "save_post_record": lambda s: s.save_post_record(PostRecord("k", "t", 1, "1", None,
                                                                "published")),
    "status": lambda s: s.status(),
}


@pytest.mark.parametrize("call", sorted(STORE_CALLS))
def test_every_method_turns_sqlite_errors_into_store_errors(tmp_path: Path, call: str) -> None:
    path = tmp_path / "r.db"
    with Store.open(path) as store:
        # Another program broke the schema under a running store.
        with sqlite3.connect(path) as other:
            for table in ("publications", "attempts", "drafts", "rejections", "failures",
                          "sites", "entries"):
                other.execute(f"DROP TABLE {table}")
        with pytest.raises(StoreError, match=r"r\.db"):
            STORE_CALLS[call](store)


def test_a_full_disk_is_a_clear_error_and_keeps_what_was_stored(tmp_path: Path) -> None:
    path = tmp_path / "r.db"
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    previous = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    saved = 0
    try:
        with Store.open(path) as store:
            # The file system refuses to grow any file past 512 KiB: a full disk, for SQLite
            # (the migrations alone leave ~240 KiB in the write-ahead log).
            resource.setrlimit(resource.RLIMIT_FSIZE, (512 * 1024, hard))
            with pytest.raises(StoreError, match=r"r\.db.*disk has space"):
                for n in range(10_000):
                    with store.transaction():
                        store.save_entry(entry(f"k{n}", html="<p>" + "word " * 2000 + "</p>"))
                    saved += 1
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, previous)
    assert saved > 0
    with Store.open(path) as store:
        assert store.count_entries() == saved


# --- migrations ------------------------------------------------------------------------------

TRIGGER_MIGRATION = (
    "9999_trigger",
    """
    CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL DEFAULT 'a; b');
    CREATE TRIGGER notes_on_failure AFTER INSERT ON failures BEGIN
        INSERT INTO notes (text) VALUES ('failed; ' || NEW.key);
        INSERT INTO notes (text) VALUES ('then; ' || NEW.stage);
    END;
    """,
)


def test_migrations_run_whole_with_triggers_and_semicolons(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("redraft.store.MIGRATIONS", (*MIGRATIONS, TRIGGER_MIGRATION))
    with Store.open(tmp_path / "r.db") as store:
        assert store.migrations()[-1] == "9999_trigger"
        with store.transaction():
            store.save_failure("k1", source="x", stage="engine", error="e")
    with sqlite3.connect(tmp_path / "r.db") as connection:
        connection.execute("INSERT INTO notes DEFAULT VALUES")
        texts = [row[0] for row in connection.execute("SELECT text FROM notes ORDER BY id")]
    assert texts == ["failed; k1", "then; engine", "a; b"]


def test_a_failing_migration_leaves_nothing_half_done(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = ("9999_broken", "CREATE TABLE half (x); INSERT INTO missing VALUES (1);")
    monkeypatch.setattr("redraft.store.MIGRATIONS", (*MIGRATIONS, broken))
    with pytest.raises(StoreError, match="missing"):
        Store.open(tmp_path / "r.db")
    with sqlite3.connect(tmp_path / "r.db") as connection:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
        done = [row[0] for row in connection.execute("SELECT name FROM migrations")]
    assert "half" not in tables and done == [name for name, _ in MIGRATIONS]


# --- hostile text ----------------------------------------------------------------------------

def test_statements_share_one_cursor_and_each_keeps_its_rows(store: Store) -> None:
    """The connection runs every statement on one cursor: a result read after the next
    statement still holds its own rows (by name), and a write's row id is its own."""
    db = store._db
    with store.transaction():
        store.save_entry(entry("a"))
        store.save_entry(entry("b"))
        first = db.execute("SELECT key FROM entries ORDER BY key")
        second = db.execute("SELECT key FROM entries WHERE key = ?", ("b",))
        draft_id = store.save_draft(verdict(entry("a")), recipe="r")
        assert db.write("DELETE FROM failures WHERE key = ?", ("a",)) == draft_id
        store.save_rejection(TooShort("too short \ud800", key="c\ud800", source="x"))
    assert [row["key"] for row in first] == ["a", "b"]
    assert second.fetchone()["key"] == "b" and second.fetchall() == second.fetchall()
    assert db.execute("SELECT key FROM rejections").fetchone()["key"] == "c\ufffd"
    assert db.execute("SELECT id FROM drafts WHERE key = 'a'").fetchone()[0] == draft_id


def test_lone_surrogates_are_stored_as_replacement_characters(store: Store) -> None:
    item = entry(title="Caf\ud800", meta={"tag_names": ["\udfff"]})
    with store.transaction():
        store.save_entry(item)
        store.save_rejection(TooShort("too short: \ud800", key="k\ud800", source="x"))
    stored = store.entry(item.key)
    assert stored is not None and stored.title == "Caf\ufffd"
    assert stored.meta["tag_names"] == ["\ufffd"]
    assert [r["key"] for r in store.rejections()] == ["k\ufffd"]


@pytest.mark.parametrize("text", [
    "", "<p>Body one.</p>", "Caf\u00e9 \u201cquoted\u201d \u2014 na\u00efve " * 100,
    "\u6771\u4eac\u3067\u4f1a\u8b70" * 300, "\u0e1b\u0e23\u0e30\u0e40\u0e17\u0e28" * 300,
    "emoji \U0001f600, tab\t, nul \x00 and \x1f " * 100, "short \u00e9 \x00",
    "a lone surrogate \ud800 here " * 100, "\udfff",
])
@pytest.mark.parametrize("asked", [False, True])
@pytest.mark.parametrize("bounded", [False, True])
def test_an_entrys_body_and_raw_form_are_stored_as_their_text(
        store: Store, text: str, asked: bool, bounded: bool) -> None:
    """The body and the raw form are bound as the UTF-8 bytes the run encoded (cast to text),
    or as the string: the same text, of type text, as binding the string stores (U+FFFD for
    a lone surrogate), whether or not their bytes were kept."""
    item = entry(html=text, raw="".join(list(text)))
    if asked:
        item.content_hash  # noqa: B018  (the body's bytes kept)
        encodable(item.raw)
    with store.transaction():
        store.save_entry(item, bounded=bounded)
    kept = text[:KEEP_REJECTED_CHARS] if bounded else text
    row = store._db.execute("SELECT typeof(html), html, typeof(raw), raw, length(html) "
                            "FROM entries").fetchone()
    with sqlite3.connect(":memory:") as plain:  # the general path: the string bound as it is
        want = plain.execute("SELECT typeof(?), ?, length(?)",
                             (storable(kept),) * 3).fetchone()
    assert tuple(row) == (want[0], want[1], want[0], want[1], want[2])
    assert want[0] == "text"


def test_a_rejected_items_body_is_bounded(store: Store) -> None:
    html = "<p>" + "x" * (3 * KEEP_REJECTED_CHARS) + "</p>"
    item = entry(html=html, raw='{"content": "' + "y" * (2 * KEEP_REJECTED_CHARS) + '"}')
    with store.transaction():
        store.save_entry(item, bounded=True)
    stored = store.entry(item.key)
    assert stored is not None
    assert len(stored.html) == len(stored.raw) == KEEP_REJECTED_CHARS
    kept = stored.meta["truncated"]
    assert kept["html"]["chars"] == len(html)
    assert kept["html"]["sha256"] == hashlib.sha256(html.encode()).hexdigest()
    assert stored.meta["tag_names"] == ["a"]
    # What the store compares on the next run is the whole item's hash, not the kept part's.
    assert store.state_of(item, "r") is EntryState.CHANGED
    with store.transaction():
        store.save_rejection(TooShort("short", key=item.key, source="x"),
                             content_hash=item.content_hash)
    assert store.state_of(item, "r") is EntryState.UNCHANGED


@pytest.mark.parametrize("texts", [
    ("Body one.", "Caf\u00e9 \u201cquoted\u201d \u2014 na\u00efve", "\u6771\u4eac\u3067\u4f1a\u8b70",
     "\u0e1b\u0e23\u0e30\u0e40\u0e17\u0e28\u0e44\u0e17\u0e22",
     "emoji \U0001f600, tab\t, \"quotes\" \\ back\\slash, nul \x00 and \x1f", ""),
    ("a lone surrogate \ud800 here", "\udfff"),
])
def test_an_articles_json_is_stored_as_the_text_dumps_writes(store: Store, texts: tuple[str, ...]) -> None:
    """The article column is bound as orjson's bytes cast to text: the same text, of type text,
    as the string ``dumps`` writes (U+FFFD for a lone surrogate, as any text)."""
    item = entry(key="k1")
    article = Article(item, tuple(Block("p", text) for text in texts), captions=("c\u00e1p",),
                      language="es")
    draft = Draft(article, ("Body one.",), "extractive", credit=item.credit())
    with store.transaction():
        store.save_entry(item)
        store.save_draft(Verdict(draft, 1.0, True, ()), recipe="r")
    row = store._db.execute("SELECT typeof(article), article FROM drafts").fetchone()
    written = dumps({"blocks": [["p", text] for text in texts], "captions": ["c\u00e1p"],
                     "language": "es"})
    assert (row[0], row[1]) == ("text", storable(written))
    stored = store.current_draft("k1")
    assert stored is not None
    assert [block.text for block in stored.verdict.draft.article.blocks] == [storable(t) for t in texts]


@pytest.mark.parametrize("value", [
    [], {}, "", ["Caf\u00e9", "\u6771\u4eac", "\U0001f600", "\x00\x1f\"\\/"], {"terms": {"a": 1}, "n": None},
    {"float": 0.1, "big": 2**63 - 1, "neg": -1.5e300, "bool": True}, ["lone \ud800"], {"k\udfff": [1]},
])
def test_a_json_column_is_the_text_dumps_writes(value: object) -> None:
    written = json_column(value)
    text = written.decode("utf-8") if isinstance(written, bytes) else written
    assert text == dumps(value)


def test_a_placements_profile_and_terms_are_stored_as_the_text_dumps_writes(store: Store) -> None:
    item = entry(key="k1", title="Harbour \u201cclosed\u201d in Caf\u00e9 city")
    text = "The harbour of the city closed on Monday after the storm \u2014 officials said. " * 12
    article = Article(item, (Block("p", text),), language="en")
    with store.transaction():
        placement = Placer(store).place(article)
    row = store._db.execute("SELECT typeof(profile), profile FROM story_members").fetchone()
    assert (row[0], row[1]) == ("text", dumps(placement.profile.to_json()))
    row = store._db.execute("SELECT typeof(terms), terms FROM story_df_pending").fetchone()
    counted = sorted({*placement.profile.terms, *placement.profile.names})
    assert (row[0], row[1]) == ("text", dumps(["", *counted]))
    with store.transaction():
        store.save_entry(item)
        store.save_draft(verdict(item), recipe="r")
    row = store._db.execute("SELECT typeof(paragraphs), paragraphs FROM drafts").fetchone()
    assert (row[0], row[1]) == ("text", dumps(["Body one."]))


def test_now_is_the_utc_second_datetime_now_writes() -> None:
    for _ in range(3000):
        before = datetime.now(UTC).isoformat(timespec="seconds")
        written = now()
        after = datetime.now(UTC).isoformat(timespec="seconds")
        assert before <= written <= after and len(written) == len(before)
