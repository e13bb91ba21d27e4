"""The work of ``redraft sync``: find out what a URL is, read it (a WordPress site through its
REST API; a feed, a sitemap or a page politely), draft what changed, say what was done, exit."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path
from typing import Any, NoReturn

from redraft.cli.common import (
    EXIT_INCOMPLETE,
    EXIT_OK,
    build_engines,
    fail,
    file_sink,
    http_client,
    markup_safe,
    open_store,
    print_summary,
    progress_bar,
    run_options,
    stderr,
)
from redraft.cli.watch import STOP, selection
from redraft.config import Settings
from redraft.errors import EngineAuthError, FetchError
from redraft.http import Retrier
from redraft.pipeline import sync as sync_site
from redraft.pipeline.syncing import Selection, left_out_early, sync_web
from redraft.sources import Checkpoint
from redraft.sources.discover import Found, identify
from redraft.sources.robots import Robots
from redraft.sources.site import SiteOptions, SiteSource
from redraft.sources.site_state import remembered, validators
from redraft.sources.wordpress import WordPressOptions, WordPressSource
from redraft.store import Store
from redraft.wp.api import site_key, web_site_key


def sync_url(url: str, settings: Settings, params: dict[str, Any], *, since: datetime | None,
             limit: int | None) -> NoReturn:
    """Sync ``url`` with the command's ``params``, print the summary and exit; the store is
    opened once, for finding out what the URL is and for the run."""
    with http_client(settings.http) as client, open_store(settings) as store:
        retrier = Retrier(client, settings.http)
        robots = Robots(retrier)
        found = _find_source(retrier, url, robots, store, force=params["force"])
        if found.kind != "wordpress":
            _sync_web(found, retrier, robots, store, settings=settings, params=params,
                      limit=limit)
        _sync_wordpress(found.url, retrier, store, settings=settings, params=params,
                        since=since, limit=limit)


def _sync_wordpress(site_url: str, retrier: Retrier, store: Store, *, settings: Settings,
                    params: dict[str, Any], since: datetime | None,
                    limit: int | None) -> NoReturn:
    """Sync a WordPress site through its REST API (or its feed), print the summary and exit."""
    out: Path | None = params["out"]
    engines = build_engines(settings, retrier.client)
    sinks = [file_sink(params["fmt"], out)] if out else []
    known = store.site(site_key(site_url))
    source = WordPressSource(retrier, site_url, options=WordPressOptions(
        high_water=known.high_water if known and not params["force"] else None,
        since=since, limit=limit, api_root=known.api_root if known else None,
        known=store.count_entries(site_key(site_url))))
    try:  # errors that stop the sync end in the CLI's boundary
        with progress_bar(limit, f"syncing {source.site}") as progress:
            report = sync_site(source, engines=engines, store=store, sinks=sinks,
                               options=run_options(settings, params), progress=progress,
                               selection=selection(params))
    finally:
        for sink in sinks:
            sink.close()
    print_summary(report, title=f"redraft sync {source.site} → {out or settings.db}")
    checkpoint = source.checkpoint()
    # A sync that stopped at --limit did what was asked: it is not an incomplete one.
    limited = limit is not None and not checkpoint.complete and report.total >= limit
    _say_checkpoint(checkpoint, had=known.high_water if known else None, limit=limit if limited
                    else None)
    sys.exit(EXIT_OK if report.ok and (checkpoint.complete or limited) else EXIT_INCOMPLETE)


def _find_source(retrier: Retrier, url: str, robots: Robots, store: Store, *,
                force: bool = False) -> Found:
    """What ``url`` is (a WordPress site, a feed, a sitemap, a page), said on standard error.

    What an address turned out to be is kept with its site, so a later sync of the same
    address asks nothing before its conditional request (``force`` finds out again)."""
    found = None
    if not force:
        wordpress, web = store.site(site_key(url)), store.site(web_site_key(url))
        found = remembered(url, api_root=wordpress.api_root if wordpress else None,
                           state=web.state if web else None)
    try:
        found = found or identify(retrier, url, robots)
    except FetchError as exc:
        fail(str(exc), code=EXIT_INCOMPLETE)
    stderr.print(f"{url}: {found.how} → {found.url}", soft_wrap=True)
    return found


def _sync_web(found: Found, retrier: Retrier, robots: Robots, store: Store, *,
              settings: Settings, params: dict[str, Any], limit: int | None) -> NoReturn:
    """Sync a feed, sitemap or page, print the summary and exit."""
    out: Path | None = params["out"]
    engines = build_engines(settings, retrier.client)
    sinks = [file_sink(params["fmt"], out)] if out else []
    old = store.site(web_site_key(found.given))
    state = old.state if old else None
    chosen = selection(params)
    source = _site_source(found, retrier, robots, store, state, chosen=chosen, params=params,
                          limit=limit)
    try:
        with progress_bar(limit, f"syncing {source.name}") as progress:
            report = sync_web(source, state, engines=engines, store=store, sinks=sinks,
                              options=run_options(settings, params), progress=progress,
                              selection=chosen)
        complete = source.checkpoint().complete
    except EngineAuthError as exc:
        fail(str(exc), code=EXIT_INCOMPLETE)
    finally:
        for sink in sinks:
            sink.close()
    print_summary(report, title=f"redraft sync {source.name} → {out or settings.db}")
    counts = source.counts
    stderr.print(f"text from the feed {counts['feed']}, from fetched pages {counts['page']}, "
                 f"pages already stored {counts['skipped']}, disallowed by robots.txt "
                 f"{counts['disallowed']}"
                 + (f", left out by the source's words before fetching {counts['left_out']}"
                    if counts["left_out"] else "")
                 + ("; the feed has not changed" if source.unchanged else ""), soft_wrap=True)
    sys.exit(EXIT_OK if report.ok and complete else EXIT_INCOMPLETE)


def _site_source(found: Found, retrier: Retrier, robots: Robots, store: Store,
                 state: dict[str, Any] | None, *, chosen: Selection, params: dict[str, Any],
                 limit: int | None) -> SiteSource:
    return SiteSource(retrier, found, robots=robots, options=SiteOptions(
        validators=validators(state),
        known=lambda key: store.entry(key) is not None,
        force=params["force"], delay=params.get("delay") or 0.0, limit=limit,
        sleep=STOP.wait, stop=STOP.is_set,
        left_out=lambda known: left_out_early(chosen, known)))


def _say_checkpoint(checkpoint: Checkpoint, *, had: str | None, limit: int | None) -> None:
    """What the sync leaves for the next one; ``limit`` when it stopped at ``--limit``."""
    mark = markup_safe(had or "none")
    if checkpoint.via_feed:
        stderr.print("[yellow]the REST API is locked to logged-in users: read the RSS feed "
                     "instead (entries marked via=feed; every sync reads the whole feed)[/]")
    if limit is not None:
        stderr.print(f"[yellow]limited sync: the newest {limit} posts; the high-water mark "
                     f"stays at {mark}, so a sync without --limit reads the rest[/]")
    elif not checkpoint.complete:
        stderr.print("[yellow]incomplete sync: the high-water mark stays at "
                     f"{mark}; run it again to finish[/]")
    elif checkpoint.high_water:
        stderr.print("next sync asks for posts modified after "
                     f"{markup_safe(checkpoint.high_water)}")
