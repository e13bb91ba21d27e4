"""Speed of a full WordPress sync against the project's real-WordPress fixture.

Usage::

    python benchmarks/sync.py [--posts N] [--concurrency 1,2,4,8] [--repeat R]

Starts the fixture (tests/wordpress: Debian's WordPress, MariaDB, ``php -S`` on 127.0.0.1; the
packages are installed when missing, which needs root) with N posts, then for each concurrency
level C, in the same run:

- **raw httpx**: the same listing pages the source asks for, fetched with a plain
  ``httpx.Client`` and C threads, bodies parsed as JSON: the speed of the site and the wire;
- **fetch stage**: :class:`~redraft.sources.wordpress.WordPressSource` alone (discovery
  excluded: it is given the API root, as a sync after the first is), every entry built;
  the ratio to raw httpx is what the source costs on top;
- **full sync**: ``pipeline.sync`` into a fresh SQLite file, its wall time split by stage:
  fetch (time the pipeline waited on the source), extract, condense, verify, store (state
  checks and the per-item transactions) and the rest.

Posts per second are wall time (best of ``--repeat`` runs); peak memory is the process's
high-water RSS, reset before each full sync. Exits 0, saying why, when the fixture cannot start.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from redraft import pipeline
from redraft.condense.extractive import ExtractiveCondenser
from redraft.config import HttpOptions
from redraft.http import Retrier
from redraft.pipeline import policy
from redraft.records import Article, Budget, Draft
from redraft.sources import SourceItem
from redraft.sources.wordpress import EMBED, WordPressOptions, WordPressSource
from redraft.store import Store
from redraft.verify import verify
from redraft.wp.api import PER_PAGE, route_url

T = TypeVar("T")
STAGES = ("fetch", "extract", "condense", "verify", "store")


class Clock:
    """Seconds spent per stage, added up across calls."""

    def __init__(self) -> None:
        self.spent: dict[str, float] = defaultdict(float)

    def timed(self, stage: str, func: Callable[..., T]) -> Callable[..., T]:
        def wrapper(*args: Any, **kwargs: Any) -> T:
            start = time.perf_counter()
            try:
                return func(*args, **kwargs)
            finally:
                self.spent[stage] += time.perf_counter() - start
        return wrapper

    def items(self, stage: str, items: Iterator[SourceItem]) -> Iterator[SourceItem]:
        while True:
            start = time.perf_counter()
            try:
                item = next(items)
            except StopIteration:
                self.spent[stage] += time.perf_counter() - start
                return
            self.spent[stage] += time.perf_counter() - start
            yield item


class TimedCondenser:
    """The extractive engine, timed."""

    def __init__(self, clock: Clock) -> None:
        self._engine = ExtractiveCondenser()
        self.name = self._engine.name
        self._clock = clock

    def condense(self, article: Article, budget: Budget) -> Draft:
        return self._clock.timed("condense", self._engine.condense)(article, budget)


class TimedSource:
    """A WordPress source whose iteration time counts as the fetch stage."""

    def __init__(self, source: WordPressSource, clock: Clock) -> None:
        self._source = source
        self.name = source.name
        self._clock = clock

    def entries(self) -> Iterator[SourceItem]:
        return self._clock.items("fetch", iter(self._source.entries()))

    def checkpoint(self) -> Any:
        return self._source.checkpoint()


def timed_store(store: Store, clock: Clock) -> Store:
    """Time the store's work: state checks and the per-item transactions."""
    transaction = store.transaction

    @contextmanager
    def timed_transaction() -> Iterator[None]:
        start = time.perf_counter()
        try:
            with transaction():
                yield
        finally:
            clock.spent["store"] += time.perf_counter() - start

    store.transaction = timed_transaction  # type: ignore[method-assign]
    for name in ("state_of", "current_draft", "rejection", "site"):
        setattr(store, name, clock.timed("store", getattr(store, name)))
    return store


def page_urls(api_root: str, posts: int) -> list[str]:
    params = {"per_page": PER_PAGE, "orderby": "id", "order": "desc", "_embed": EMBED}
    return [route_url(api_root, "/wp/v2/posts", {**params, "page": page})
            for page in range(1, -(-posts // PER_PAGE) + 1)]


def raw_fetch(urls: list[str], concurrency: int) -> float:
    """Seconds to fetch and parse every page with plain httpx and ``concurrency`` threads."""
    with httpx.Client(timeout=60) as client:
        start = time.perf_counter()
        with ThreadPoolExecutor(concurrency) as pool:
            pages = list(pool.map(lambda url: client.get(url).json(), urls))
        elapsed = time.perf_counter() - start
    assert all(isinstance(page, list) for page in pages)
    return elapsed


def source_fetch(base_url: str, api_root: str, concurrency: int) -> tuple[float, int]:
    """Seconds for the source alone to yield every entry, and how many it yielded."""
    options = HttpOptions(concurrency=concurrency)
    with httpx.Client(timeout=60) as client:
        source = WordPressSource(Retrier(client, options), base_url,
                                 options=WordPressOptions(api_root=api_root))
        start = time.perf_counter()
        count = sum(1 for _ in source.entries())
        return time.perf_counter() - start, count


def full_sync(base_url: str, api_root: str, concurrency: int) -> tuple[float, dict[str, float], int]:
    """One full sync into a fresh database: wall seconds, seconds per stage, peak RSS (KiB)."""
    clock = Clock()
    reset_peak()
    original_extract = getattr(policy, "extract")  # noqa: B009 (patched for timing)
    setattr(policy, "extract", clock.timed("extract", original_extract))  # noqa: B010
    try:
        with tempfile.TemporaryDirectory() as tmp, httpx.Client(timeout=60) as client, \
                Store.open(Path(tmp) / "bench.db") as store:
            source = WordPressSource(Retrier(client, HttpOptions(concurrency=concurrency)),
                                     base_url, options=WordPressOptions(api_root=api_root))
            start = time.perf_counter()
            report = pipeline.sync(TimedSource(source, clock),
                                   engines=pipeline.Engines(TimedCondenser(clock)),
                                   store=timed_store(store, clock), sinks=[],
                                   verifier=clock.timed("verify", verify))
            wall = time.perf_counter() - start
    finally:
        setattr(policy, "extract", original_extract)  # noqa: B010
    if report.done + report.unchanged + sum(report.rejected.values()) == 0:
        raise RuntimeError("the sync did nothing")
    return wall, dict(clock.spent), peak_kib()


def reset_peak() -> None:
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def peak_kib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="benchmarks/sync.py", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--posts", type=int, default=500)
    parser.add_argument("--concurrency", default="1,2,4,8")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    levels = [int(level) for level in args.concurrency.split(",")]
    try:
        from tests.wordpress import SiteOptions, start_wordpress
        from tests.wordpress.fixture import FixtureError
    except ImportError as exc:
        print(f"cannot run: the WordPress fixture (tests/wordpress) is not importable: {exc}")
        return 0
    try:
        fixture = start_wordpress(SiteOptions(posts=args.posts, workers=max(levels)))
        site = fixture.__enter__()
    except (FixtureError, OSError) as exc:
        print(f"cannot run: the WordPress fixture did not start: {exc}")
        return 0
    try:
        run_all(site.base_url, site.rest_url, args.posts, levels=levels, repeat=args.repeat,
                timings=site.timings)
    finally:
        fixture.__exit__(None, None, None)
    return 0


def run_all(base_url: str, api_root: str, posts: int, *, levels: list[int], repeat: int,
            timings: dict[str, float]) -> None:
    urls = page_urls(api_root, posts)
    print(f"fixture: {posts} posts, {len(urls)} pages of {PER_PAGE}, started in "
          f"{timings['total']:.2f} s (packages {timings['packages']:.2f} s)")
    print(f"{'C':>2} {'raw httpx':>10} {'fetch stage':>12} {'ratio':>6} {'full sync':>10} "
          + " ".join(f"{stage:>8}" for stage in (*STAGES, "other")) + f" {'peak MiB':>9}")
    results = []
    for level in levels:
        raw = min(raw_fetch(urls, level) for _ in range(repeat))
        fetched = [source_fetch(base_url, api_root, level) for _ in range(repeat)]
        assert all(count == posts for _, count in fetched), fetched
        fetch = min(seconds for seconds, _ in fetched)
        runs = [full_sync(base_url, api_root, level) for _ in range(repeat)]
        wall, spent, peak = min(runs, key=lambda run: run[0])
        other = wall - sum(spent.get(stage, 0.0) for stage in STAGES)
        shares = " ".join(f"{spent.get(stage, 0.0):7.2f}s" for stage in STAGES)
        print(f"{level:>2} {posts / raw:7.0f}/s {posts / fetch:9.0f}/s {raw / fetch:6.0%} "
              f"{posts / wall:7.0f}/s {shares} {other:7.2f}s {peak / 1024:9.1f}")
        results.append({"concurrency": level, "raw_posts_per_s": posts / raw,
                        "fetch_posts_per_s": posts / fetch, "fetch_vs_raw": raw / fetch,
                        "sync_posts_per_s": posts / wall, "stages_s": spent, "peak_kib": peak})
    print("(posts/s: wall time, best of the runs; ratio = fetch stage speed / raw httpx speed; "
          "stage seconds are for the best full sync)")
    print(json.dumps(results))


if __name__ == "__main__":
    sys.exit(main())
