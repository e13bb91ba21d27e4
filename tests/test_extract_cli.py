"""``redraft extract`` on whole pages served by a real local server and on files."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from redraft.cli import main
from tests.news_site import ARTICLES, build, page
from tests.web_site import WebSite, serve


@pytest.fixture
def news() -> Iterator[WebSite]:
    with serve(WebSite()) as site:
        yield build(site)


def test_extract_url_prints_the_article_without_the_theme(news: WebSite) -> None:
    article = ARTICLES[0]
    result = CliRunner().invoke(main, ["extract", "--format", "json",
                                       f"{news.base}/news/{article['slug']}.html"])
    assert result.exit_code == 0, result.output
    record = json.loads(result.output)
    assert record["title"] == article["title"]
    assert record["paragraphs"] == article["paragraphs"]
    assert record["text"] == "\n\n".join(article["paragraphs"])
    assert record["source"].endswith(f"/news/{article['slug']}.html")
    assert "Sign up" not in record["text"] and "Related" not in record["text"]


def test_extract_file_as_text(tmp_path: Path) -> None:
    article = ARTICLES[1]
    path = tmp_path / "library.html"
    path.write_text(page(article, "https://eastwick.example"), encoding="utf-8")
    result = CliRunner().invoke(main, ["extract", str(path)])
    assert result.exit_code == 0, result.output
    lines = result.output.rstrip("\n").split("\n\n")
    assert lines[0] == f"{article['title']}\n2026-11-22"
    assert lines[1:] == article["paragraphs"]


def test_extract_reports_a_bad_item_and_goes_on(news: WebSite, tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["extract", f"{news.base}/news/missing.html",
                                       str(tmp_path / "nope.html"),
                                       f"{news.base}/news/{ARTICLES[2]['slug']}.html"])
    assert result.exit_code == 1
    assert "404" in result.output and "nope.html" in result.output
    assert ARTICLES[2]["paragraphs"][0] in result.output
    assert "Traceback" not in result.output
