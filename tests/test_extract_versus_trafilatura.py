"""``redraft extract URL`` on whole news pages served on 127.0.0.1 is at least as good as
trafilatura's ``extract()`` on the same pages in the same run, scored as the
article-extraction-benchmark scores (word 4-grams of the must / must-not snippets; see
benchmarks/extraction.py): on the project's own pages always, and on the shared development
pages when they are present."""

from __future__ import annotations

import importlib.util
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
import trafilatura
from click.testing import CliRunner

from redraft.cli import main
from redraft.sources.charsets import decode
from tests.news_site import ARTICLES, build
from tests.web_site import WebSite, serve

ROOT = Path(__file__).resolve().parents[1]
GATE = ROOT / "tests" / "gate"
# Page furniture of tests/news_site.py's theme: what an extractor should leave out.
NEWS_THEME = ["Home Local Transport About us", "Share on Facebook Share by email",
              "Get the Eastwick Post in your inbox every morning.",
              "© 2026 Eastwick Post. All rights reserved. Cookie settings."]

Page = tuple[bytes, dict[str, list[str]]]  # the page as served, its snippets


def scoring() -> ModuleType:
    spec = importlib.util.spec_from_file_location("extraction_benchmark",
                                                  ROOT / "benchmarks" / "extraction.py")
    assert spec is not None and spec.loader is not None
    if spec.name not in sys.modules:
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module  # its dataclasses look their module up
        spec.loader.exec_module(module)
    return sys.modules[spec.name]


@pytest.fixture
def config(tmp_path: Path) -> Path:
    """Every article is measured, however short (the benchmark's pages have a few lines)."""
    path = tmp_path / "redraft.toml"
    path.write_text("[extract]\nmin_words = 1\n", encoding="utf-8")
    return path


def compare(pages: list[Page], config: Path) -> dict[str, Any]:
    """Serve ``pages``; score ``redraft extract URL`` and trafilatura on what was served."""
    bench = scoring()
    scores = {"redraft": bench.Score(), "trafilatura": bench.Score()}
    with serve(WebSite()) as site, httpx.Client() as client:
        urls = []
        for number, (body, _) in enumerate(pages):
            site.files[f"/pages/{number}.html"] = ("text/html", body)
            urls.append(f"{site.base}/pages/{number}.html")
        result = CliRunner().invoke(main, ["extract", "--format", "json", "--config",
                                           str(config), *urls])
        # One JSON line per page, in order; a page it refused is named on standard error.
        refused = {url for url in urls if f"error: {url}:" in result.stderr}
        lines = iter(result.stdout.splitlines())
        for url, (_, truth) in zip(urls, pages, strict=True):
            ours = "" if url in refused else json.loads(next(lines))["text"]
            served = decode(client.get(url).content, label=url)
            theirs = trafilatura.extract(served) if isinstance(served, str) else None
            bench.add(scores["redraft"], ours, truth)
            bench.add(scores["trafilatura"], theirs or "", truth)
        assert next(lines, None) is None, "more articles than pages"
    return {name: metrics(score) for name, score in scores.items()}


def metrics(score: Any) -> tuple[float, float, float]:
    precision = score.found / (score.found + score.leaked) if score.found + score.leaked else 0.0
    recall = score.found / score.wanted if score.wanted else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def own_pages() -> Iterator[Page]:
    gate = json.loads((GATE / "pages.json").read_text(encoding="utf-8"))["pages"]
    for spec in gate:
        yield ((GATE / "pages" / spec["file"]).read_bytes(),
               {"must_contain": spec["must"], "must_not_contain": spec["must_not"]})
    with serve(WebSite()) as site:
        build(site)
        for article in ARTICLES:
            yield (site.files[f"/news/{article['slug']}.html"][1],
                   {"must_contain": article["paragraphs"], "must_not_contain": NEWS_THEME})


def test_on_the_projects_own_pages(config: Path) -> None:
    pages = list(own_pages())
    scores = compare(pages, config)
    ours, theirs = scores["redraft"], scores["trafilatura"]
    assert all(a >= b for a, b in zip(ours, theirs, strict=True)), scores
    assert ours[1] > 0.9, scores  # and not merely as bad


def test_on_the_shared_development_pages(shared_data: Path, config: Path) -> None:
    folder = shared_data / "extraction"
    pages = [(path.read_bytes(), json.loads(path.with_suffix(".json").read_text("utf-8")))
             for path in sorted(folder.glob("*.html"))]
    if not pages:
        pytest.skip(f"no pages in {folder}")
    scores = compare(pages, config)
    ours, theirs = scores["redraft"], scores["trafilatura"]
    assert all(a >= b for a, b in zip(ours, theirs, strict=True)), scores
