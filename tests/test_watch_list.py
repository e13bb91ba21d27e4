"""The watch list: sources add/list/remove, OPML import/export, sync with no URL, --every."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from redraft.cli import main
from redraft.sources.opml import read_opml
from tests.news_site import ARTICLES, build
from tests.web_site import WebSite, serve

OPML = Path(__file__).parent / "fixtures" / "opml" / "reader-export.opml"
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def news() -> Iterator[WebSite]:
    with serve(WebSite()) as site:
        yield build(site)


def cli(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_opml_round_trips_with_nested_categories(tmp_path: Path) -> None:
    db = str(tmp_path / "s.db")
    assert "5 sources imported" in cli("sources", "import", str(OPML), "--db", db)
    exported = cli("sources", "export", "--db", db)
    original = read_opml(OPML.read_bytes(), label="in").subscriptions
    again = read_opml(exported.encode(), label="out").subscriptions
    assert sorted(original, key=lambda s: s.url) == sorted(again, key=lambda s: s.url)
    assert {s.category for s in again} == {"News/Local", "News", "Blogs", ""}
    listed = cli("sources", "list", "--db", db)
    assert "https://gazette.example/rss  (name=Harbour Gazette, category=News/Local)" in listed


def test_add_remove_and_bad_budget(tmp_path: Path) -> None:
    db = str(tmp_path / "s.db")
    cli("sources", "add", "eastwick.example/feed.xml", "--name", "Post", "--budget", "words=80",
        "--db", db)
    assert "https://eastwick.example/feed.xml  (name=Post, budget=words=80)" in cli(
        "sources", "list", "--db", db)
    bad = CliRunner().invoke(main, ["sources", "add", "x.example", "--budget", "lots",
                                    "--db", db])
    assert bad.exit_code == 2 and "words=N" in bad.output
    cli("sources", "remove", "Post", "--db", db)
    assert cli("sources", "list", "--db", db) == ""
    gone = CliRunner().invoke(main, ["sources", "remove", "Post", "--db", db])
    assert gone.exit_code == 2 and "not on the watch list" in gone.output


def test_sync_without_url_covers_the_list_with_each_sources_options(
        news: WebSite, tmp_path: Path) -> None:
    db = str(tmp_path / "s.db")
    empty = CliRunner().invoke(main, ["sync", "--db", db])
    assert empty.exit_code == 2 and "watch list is empty" in empty.output
    cli("sources", "add", f"{news.base}/feed.xml", "--exclude", "tram", "--db", db)
    result = CliRunner().invoke(main, ["sync", "--db", db, "--delay", "0"])
    assert "a feed" in result.output, result.output
    with sqlite3.connect(db) as connection:
        titles = {row[0] for row in connection.execute(
            "SELECT e.title FROM entries e JOIN drafts d ON d.key = e.key")}
    assert titles == {a["title"] for a in ARTICLES if "tram" not in a["title"].lower()}
    assert len(titles) == len(ARTICLES) - 1


def test_every_stops_cleanly_on_sigterm_with_nothing_lost(news: WebSite, tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    process = subprocess.Popen(
        [sys.executable, "-m", "redraft", "sync", f"{news.base}/feed.xml", "--every", "1m",
         "--delay", "3", "--db", str(db)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        while not any(path.startswith("/news/") for path in news.paths(200)):
            assert process.poll() is None, process.communicate()[0]
            time.sleep(0.05)
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=120)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, output
    assert "SIGTERM" in output
    fetched = {path for path in news.paths(200) if path.startswith("/news/")}
    with sqlite3.connect(db) as connection:
        drafted = {row[0].split("#", 1)[1] for row in connection.execute(
            "SELECT e.key FROM entries e JOIN drafts d ON d.key = e.key")}
    assert fetched and drafted == fetched
    assert len(fetched) < len(ARTICLES)  # it stopped mid-run
    rest = CliRunner().invoke(main, ["sync", f"{news.base}/feed.xml", "--db", str(db),
                                     "--delay", "0"])
    assert f"from fetched pages {len(ARTICLES) - len(fetched)}" in rest.output, rest.output
