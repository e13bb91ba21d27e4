"""``redraft sync`` of a non-WordPress news site served on 127.0.0.1: its RSS feed of excerpts,
its home page, its sitemap, and a second sync that costs one 304."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from redraft.cli import main
from tests.news_site import ARTICLES, PRIVATE, build
from tests.web_site import WebSite, serve


@pytest.fixture
def news() -> Iterator[WebSite]:
    with serve(WebSite()) as site:
        yield build(site)


def sync(db: Path, url: str, *extra: str) -> Result:
    return CliRunner().invoke(main, ["sync", url, "--db", str(db), "--delay", "0", *extra])


def drafted(db: Path) -> dict[str, str]:
    with sqlite3.connect(db) as connection:
        rows = connection.execute(
            "SELECT e.key, e.source FROM entries e JOIN drafts d ON d.key = e.key").fetchall()
    return dict(rows)


def article_pages(site: WebSite) -> list[str]:
    return [path for path in site.paths(200) if path.startswith("/news/")]


def test_sync_feed_drafts_every_article_from_its_page(news: WebSite, tmp_path: Path) -> None:
    db = tmp_path / "state.db"
    result = sync(db, f"{news.base}/feed.xml")
    assert "a feed" in result.output, result.output
    keys = drafted(db)
    assert len(keys) == len(ARTICLES), (result.output, result.exception)
    assert set(keys.values()) == {"site:127.0.0.1:" + news.base.rsplit(":", 1)[1]}
    assert sorted(article_pages(news)) == sorted(f"/news/{a['slug']}.html" for a in ARTICLES)
    assert PRIVATE not in news.paths()  # robots.txt disallows it: never fetched
    assert "disallowed by robots.txt 1" in result.output
    assert all("redraft" in hit.agent.lower() for hit in news.log)


def test_second_sync_costs_one_304_and_no_page(news: WebSite, tmp_path: Path) -> None:
    db = tmp_path / "state.db"
    sync(db, f"{news.base}/feed.xml")
    before = len(news.log)
    second = sync(db, f"{news.base}/feed.xml")
    assert second.exit_code == 0, second.output
    later = news.log[before:]
    assert [(hit.path, hit.conditional, hit.status) for hit in later] == [
        ("/feed.xml", True, 304)]
    assert not [hit for hit in later if hit.path.startswith("/news/")]
    forced = sync(db, f"{news.base}/feed.xml", "--force")
    assert "from fetched pages 4" in forced.output, forced.output
    assert len([h for h in news.log if h.path.startswith("/news/")]) == 2 * len(ARTICLES)


def test_home_page_and_sitemap_are_the_same_single_source(news: WebSite, tmp_path: Path) -> None:
    db = tmp_path / "state.db"
    first = sync(db, f"{news.base}/feed.xml")
    home = sync(db, f"{news.base}/")
    assert "the feed the home page names" in home.output, home.output
    assert f"{news.base}/feed.xml" in home.output
    via_sitemap = tmp_path / "sitemap.db"
    result = sync(via_sitemap, f"{news.base}/sitemap.xml")
    assert "a sitemap" in result.output, result.output
    assert drafted(via_sitemap) == drafted(db)
    assert len(drafted(db)) == len(ARTICLES), first.output
    with sqlite3.connect(db) as connection:
        sites = [row[0] for row in connection.execute("SELECT site FROM sites")]
    assert sites == list(set(drafted(db).values()))


def test_an_article_url_is_its_site_and_key(news: WebSite, tmp_path: Path) -> None:
    db = tmp_path / "state.db"
    slug = ARTICLES[3]["slug"]
    result = sync(db, f"{news.base}/news/{slug}.html?utm_source=newsletter&fbclid=x")
    assert "an article page" in result.output, result.output
    sync(db, f"{news.base}/feed.xml")
    keys = drafted(db)
    assert len(keys) == len(ARTICLES)
    assert sum(key.endswith(f"/news/{slug}.html") for key in keys) == 1


def test_status_shows_how_each_text_was_obtained(news: WebSite, tmp_path: Path) -> None:
    db = tmp_path / "state.db"
    sync(db, f"{news.base}/feed.xml")
    result = CliRunner().invoke(main, ["status", "--json", "--db", str(db)])
    assert result.exit_code == 0, result.output
    rows = {row["source"]: row for row in json.loads(result.output)["sources"]}
    (row,) = rows.values()
    assert row["text_from"] == {"page": len(ARTICLES)}
