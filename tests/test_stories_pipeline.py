"""Stories in the store, the pipeline and the CLI: a real SQLite file, real extraction and the
extractive engine, on invented articles (tests/fixtures/stories/articles.json)."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from redraft.cli import main
from redraft.pipeline import Engines, Report, RunOptions, run
from redraft.records import Article, Block, Entry
from redraft.sinks.files import FileSink
from redraft.store import Store
from redraft.stories import MemoryIndex, Placer

FIXTURE = Path(__file__).parent / "fixtures" / "stories" / "articles.json"
ARTICLES: list[dict[str, Any]] = json.loads(FIXTURE.read_text("utf-8"))["articles"]
STORY = {item["key"]: item["story"] for item in ARTICLES}


def entry(item: dict[str, Any], **changes: Any) -> Entry:
    html = "".join(f"<p>{p}</p>" for p in item["text"].split("\n\n"))
    made = Entry(source=item["source"], key=item["key"], url=item["url"], title=item["title"],
                 html=html, published=datetime.fromisoformat(item["published"]))
    return replace(made, **changes)


def article(item: dict[str, Any]) -> Article:
    blocks = tuple(Block("p", p) for p in item["text"].split("\n\n"))
    return Article(entry=entry(item), blocks=blocks)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "state.db"


@pytest.fixture
def store(db: Path) -> Iterator[Store]:
    with Store.open(db) as opened:
        yield opened


def go(store: Store, entries: list[Entry], **options: Any) -> tuple[Report, list[dict[str, Any]]]:
    stream = io.StringIO()
    report = run(entries, engines=Engines.with_fallback(), store=store,
                 sinks=[FileSink("json", stream=stream)], options=RunOptions(**options))
    return report, [json.loads(line) for line in stream.getvalue().splitlines()]


def test_the_store_places_articles_as_the_memory_index_does(db: Path) -> None:
    in_memory = Placer(MemoryIndex())
    expected = [in_memory.place(article(item)) for item in ARTICLES]
    with Store.open(db) as store:
        placer = Placer(store)
        for item in ARTICLES[:3]:
            with store.transaction():
                placer.place(article(item))
    with Store.open(db) as store:  # signatures, bands and frequencies survive a reopening
        placer = Placer(store)
        placed = []
        for item in ARTICLES[3:]:
            with store.transaction():
                placed.append(placer.place(article(item)))
        copy = replace(article(ARTICLES[0]), entry=replace(
            entry(ARTICLES[0]), key="copy", url="https://coastdaily.example/copy"))
        with store.transaction():
            again = placer.place(copy)
    assert [p.layer for p in placed] == [p.layer for p in expected[3:]]
    assert [p.score for p in placed] == pytest.approx([p.score for p in expected[3:]])
    assert again.layer == "near-duplicate" and again.of == ARTICLES[0]["key"]


def test_one_draft_per_story_credits_every_outlet(store: Store) -> None:
    report, lines = go(store, [entry(item) for item in ARTICLES], stories=True)
    stories = {STORY[item["key"]] for item in ARTICLES}
    assert (report.done, report.joined, report.ok) == (len(stories), len(ARTICLES) - len(stories), True)
    listed = store.stories()
    assert len(listed) == len(stories)
    for story in listed:
        assert {STORY[e.key] for e in story.entries} == {STORY[story.entries[0].key]}
        assert story.draft_key == story.entries[0].key
    bridge = store.current_draft(ARTICLES[0]["key"])
    assert bridge is not None
    credit = bridge.verdict.draft.credit
    assert credit.startswith("Sources: harbourgazette.example")
    assert "northernwire.example" in credit and credit.count(" and ") == 1
    assert "civicpost.example" in credit
    # the draft was written out again with each new outlet; the last copy has all three
    last = [line for line in lines if line.get("key") == ARTICLES[0]["key"]][-1]
    assert last["credit"] == credit
    assert [line["rejected"] for line in lines if "rejected" in line] == ["duplicate"] * 3
    # a second run redoes nothing and drafts nothing more
    report, _ = go(store, [entry(item) for item in ARTICLES], stories=True)
    assert (report.done, report.unchanged, report.joined, report.ok) == (
        0, len(stories), len(ARTICLES) - len(stories), True)


def test_per_entry_keeps_one_draft_per_post_and_still_knows_stories(store: Store) -> None:
    report, _ = go(store, [entry(item) for item in ARTICLES], stories=False)
    assert (report.done, report.joined) == (len(ARTICLES), 0)
    assert len(store.stories()) == len(set(STORY.values()))
    drafted = store.current_draft(ARTICLES[1]["key"])
    assert drafted is not None and drafted.verdict.draft.credit.startswith("Source: ")


def test_the_same_post_by_rest_and_by_feed_is_one_entry(store: Store) -> None:
    item = ARTICLES[5]
    rest = entry(item, key="wordpress:https://valleytimes.example#7",
                 meta={"site": "https://valleytimes.example", "id": 7})
    feed = entry(item, key="https://valleytimes.example/?p=7",
                 url=item["url"] + "?utm_source=rss", meta={"guid": "https://valleytimes.example/?p=7"})
    report, lines = go(store, [rest, feed], stories=True)
    assert (report.done, report.joined) == (1, 1)
    assert store.count_entries() == 1
    assert lines[-1]["rejected"] == "duplicate"
    assert [e.key for e in store.stories()[0].entries] == [rest.key]


def test_stories_command_lists_stories_as_json(db: Path) -> None:
    with Store.open(db) as store:
        go(store, [entry(item) for item in ARTICLES], stories=True)
    runner = CliRunner()
    result = runner.invoke(main, ["stories", "--db", str(db), "--json"])
    assert result.exit_code == 0, result.output
    objects = [json.loads(line) for line in result.output.splitlines()]
    assert len(objects) == len(set(STORY.values()))
    for story in objects:
        assert {"id", "entries"} <= story.keys()
        for listed in story["entries"]:
            assert set(listed) == {"key", "url", "source", "title", "published"}
    by_key = {e["key"]: e for story in objects for e in story["entries"]}
    first = ARTICLES[0]
    assert by_key[first["key"]]["url"] == first["url"]
    assert datetime.fromisoformat(by_key[first["key"]]["published"]) == datetime.fromisoformat(
        first["published"])
    only = runner.invoke(main, ["stories", "--db", str(db), "--json", "--source", "Valley Times"])
    assert [len(json.loads(line)["entries"]) for line in only.output.splitlines()] == [1]
    later = runner.invoke(main, ["stories", "--db", str(db), "--json", "--since", "2031-03-05"])
    assert len(later.output.splitlines()) == 1
    human = runner.invoke(main, ["stories", "--db", str(db)])
    assert human.exit_code == 0 and first["title"] in human.output
    bad = runner.invoke(main, ["stories", "--db", str(db), "--since", "last tuesday"])
    assert bad.exit_code == 2 and "--since" in bad.output and "Traceback" not in bad.output


def _post(item: dict[str, Any], post_id: int) -> dict[str, Any]:
    """A WordPress REST post object (as /wp/v2/posts serves it) for a fixture article."""
    site = item["url"].split("/", 3)[:3]
    return {"id": post_id, "link": item["url"], "date": item["published"][:19],
            "date_gmt": item["published"][:19], "type": "post",
            "guid": {"rendered": f"{'/'.join(site)}/?p={post_id}"},
            "title": {"rendered": item["title"]},
            "content": {"rendered": "".join(f"<p>{p}</p>" for p in item["text"].split("\n\n"))}}


@pytest.mark.parametrize("per_entry", [False, True], ids=["per-story", "per-entry"])
def test_rewrite_makes_one_draft_per_story_unless_per_entry(tmp_path: Path, per_entry: bool) -> None:
    posts = tmp_path / "posts.jsonl"
    posts.write_text("\n".join(json.dumps(_post(item, n + 10)) for n, item in enumerate(ARTICLES)),
                     encoding="utf-8")
    out = tmp_path / "out"
    args = ["rewrite", str(posts), "--db", str(tmp_path / "s.db"), "--out", str(out),
            "--format", "json"] + (["--per-entry"] if per_entry else [])
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    drafts = [json.loads(line) for path in sorted(out.iterdir())
              for line in path.read_text("utf-8").splitlines()]
    drafted = {line["key"] for line in drafts if "rejected" not in line}
    expected = len(ARTICLES) if per_entry else len(set(STORY.values()))
    assert len(drafted) == expected
    listed = CliRunner().invoke(main, ["stories", "--db", str(tmp_path / "s.db"), "--json"])
    assert len(listed.output.splitlines()) == len(set(STORY.values()))


def test_frequencies_stay_exact_across_folds_and_other_connections(
    db: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("redraft.store.stories.FOLD_EVERY", 2)  # fold every other article
    index = MemoryIndex()
    in_memory = Placer(index)
    expected = [in_memory.place(article(item)) for item in ARTICLES]
    with Store.open(db) as first, Store.open(db) as second:
        placed = []
        for n, item in enumerate(ARTICLES):  # the two connections take turns
            store = first if n % 2 else second
            with store.transaction():
                placed.append(Placer(store).place(article(item)))
        terms = sorted(index.frequencies.counts)
        assert len(terms) > 50
        for store in (first, second):
            counts = store.document_frequencies(terms)
            assert counts.documents == len(ARTICLES)
            assert {t: counts.counts[t] for t in terms} == index.frequencies.counts
    assert [p.layer for p in placed] == [p.layer for p in expected]
    assert [p.score for p in placed] == pytest.approx([p.score for p in expected])


@pytest.mark.parametrize("fold_every", [3, 1000])
def test_frequencies_are_exact_before_and_after_a_first_fold(
    db: Path, monkeypatch: pytest.MonkeyPatch, fold_every: int,
) -> None:
    """A store whose story_df is empty does not look terms up there until its first fold (by
    this connection or, read after its commit, by another): the counts stay the same."""
    monkeypatch.setattr("redraft.store.stories.FOLD_EVERY", fold_every)
    index = MemoryIndex()
    with Store.open(db) as first, Store.open(db) as second:
        for n, item in enumerate(ARTICLES):
            Placer(index).place(article(item))
            terms = sorted(index.frequencies.counts)
            store = second if n == len(ARTICLES) // 2 else first  # another connection once
            with store.transaction():
                Placer(store).place(article(item))
            for reader in (first, second):
                counts = reader.document_frequencies(terms)
                assert counts.documents == n + 1
                assert {t: counts.counts[t] for t in terms} == index.frequencies.counts


def test_frequencies_count_own_writes_and_forget_a_rolled_back_one(db: Path) -> None:
    index = MemoryIndex()
    for item in ARTICLES[:-1]:
        Placer(index).place(article(item))
    terms = sorted(index.frequencies.counts)
    with Store.open(db) as first, Store.open(db) as second:
        for item in ARTICLES[:-1]:  # one connection places in a row: its rows counted as written
            with first.transaction():
                Placer(first).place(article(item))
        with pytest.raises(RuntimeError), first.transaction():  # placed, then rolled back
            Placer(first).place(article(ARTICLES[-1]))
            first.document_frequencies(terms)
            raise RuntimeError("the item failed after its placement")
        for store in (first, second):
            counts = store.document_frequencies(terms)
            assert counts.documents == len(ARTICLES) - 1
            assert {t: counts.counts[t] for t in terms} == index.frequencies.counts


def test_a_drafted_entry_that_is_withdrawn_frees_its_story(store: Store) -> None:
    story = STORY[ARTICLES[0]["key"]]
    members = [item for item in ARTICLES if STORY[item["key"]] == story]
    assert len(members) >= 2
    go(store, [entry(item) for item in members], stories=True)
    (row,) = [s for s in store.stories() if s.draft_key == members[0]["key"]]
    withdrawn = entry(members[0], html="<p>Withdrawn.</p>")  # too short: rejected, not placed
    report, _ = go(store, [withdrawn], stories=True)
    assert sum(report.rejected.values()) == 1
    assert [s.draft_key for s in store.stories() if s.id == row.id] == [None]
    report, lines = go(store, [entry(members[1])], stories=True, force=True)
    assert report.done == 1 and lines[0]["key"] == members[1]["key"]  # the story's next draft


def test_an_entry_placed_again_without_a_signature_is_no_near_duplicate_candidate(
        tmp_path: Path) -> None:
    """Its band rows from before stay in the table; a look-up under them skips it (it has no
    signature to compare) instead of failing on the missing one."""
    from array import array
    from datetime import UTC

    from redraft.stories.placement import Placement
    from redraft.stories.profile import Profile
    from redraft.stories.signatures import band_keys

    signature = array("I", range(64)).tobytes()

    def placed(sig: bytes | None, identity: str) -> Placement:
        return Placement(key="k", story="", layer="new", of=None, score=0.0,
                         identities=(identity,), signature=sig,
                         bands=band_keys(sig) if sig else (),
                         profile=Profile({"x": 1}, published=datetime(2026, 1, 1, tzinfo=UTC)))

    with Store.open(tmp_path / "s.db") as store:
        with store.transaction():
            store.add(placed(signature, "url:a"))
        assert [known.key for known, _ in store.entries_in_bands(band_keys(signature), None)] == ["k"]
        with store.transaction():
            store.add(placed(None, "url:b"))
        assert store.entries_in_bands(band_keys(signature), None) == []


@pytest.mark.parametrize("kind", ["store", "memory"])
def test_near_duplicate_candidates_come_in_the_order_they_were_placed(
        kind: str, tmp_path: Path) -> None:
    """Of candidates equally near, the first is matched: the store and the in-memory index both
    give them in the order they were placed (a re-placed entry last), not in key or band order."""
    from array import array
    from datetime import UTC

    from redraft.stories.placement import Placement
    from redraft.stories.profile import Profile
    from redraft.stories.signatures import band_keys, best_match

    signature = array("I", range(64)).tobytes()

    def placed(key: str) -> Placement:
        return Placement(key=key, story="", layer="new", of=None, score=0.0,
                         identities=(f"url:{key}",), signature=signature,
                         bands=band_keys(signature),
                         profile=Profile({"x": 1}, published=datetime(2026, 1, 1, tzinfo=UTC)))

    with Store.open(tmp_path / "s.db") as store:
        index = store if kind == "store" else MemoryIndex()
        for key in ("m", "b", "x", "b"):  # "b" placed again: now the latest
            with store.transaction():
                index.add(placed(key))
        found = index.entries_in_bands(band_keys(signature), None)
        assert [known.key for known, _ in found] == ["m", "x", "b"]
        assert best_match(signature, [(known.key, sig) for known, sig in found]) == ("m", 1.0)


@pytest.mark.parametrize("count", [0, 1, 2, 10, 16, 17, 40])
def test_rows_inserted_by_one_statement_are_those_executemany_inserts(
        count: int, tmp_path: Path) -> None:
    """The store's multi-row INSERT writes what ``executemany`` writes, row for row and in the
    same order: a row that conflicts with an earlier one (of the same statement too) ignored,
    a lone surrogate stored as U+FFFD, a long list (row by row) the same."""
    from redraft.store.stories import _insert

    rows = [(f"t{i % 7}" if i % 3 else f"\ud800{i}", i % 5, f"s{i}") for i in range(count)]
    tables: dict[str, list[list[tuple[Any, ...]]]] = {}
    for how in ("many", "one"):
        with Store.open(tmp_path / f"{how}.db") as store:
            store._db.execute("CREATE TABLE t (a TEXT, b INTEGER, c TEXT, PRIMARY KEY (a, b))")
            store._db.execute("CREATE TABLE u (a TEXT, b INTEGER, c TEXT)")
            with store.transaction():
                for verb in ("INSERT OR IGNORE INTO t", "INSERT INTO u"):
                    if how == "many":
                        store._db.many(f"{verb} VALUES (?, ?, ?)", rows)
                    else:
                        _insert(store._db, f"{verb} VALUES", rows)
            tables[how] = [[tuple(row) for row in store._db.execute(
                f"SELECT rowid, * FROM {table}").fetchall()] for table in ("t", "u")]
    assert tables["one"] == tables["many"]
    assert len(tables["one"][1]) == count
