"""``redraft sync``: a WordPress site in, condensed rewrites stored (and written) out."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path
from typing import Any, NoReturn

import click

from redraft.cli.common import (
    EXIT_INCOMPLETE,
    EXIT_OK,
    budget_options,
    build_engines,
    common_options,
    drafting,
    engine_options,
    fail,
    file_sink,
    http_client,
    load_settings,
    markup_safe,
    open_store,
    output_options,
    parse_date,
    print_summary,
    progress_bar,
    setup_logging,
    stderr,
    workers_option,
)
from redraft.cli.watch import STOP, parse_every, repeat, selection
from redraft.config import Settings
from redraft.errors import EngineAuthError, FetchError
from redraft.http import Retrier
from redraft.pipeline import run
from redraft.pipeline import sync as sync_site
from redraft.pipeline.syncing import left_out_early, selected
from redraft.sources import Checkpoint
from redraft.sources.discover import Found, identify
from redraft.sources.robots import Robots
from redraft.sources.site import DEFAULT_DELAY, SiteOptions, SiteSource
from redraft.sources.site_state import next_state, remembered, validators
from redraft.sources.wordpress import WordPressOptions, WordPressSource
from redraft.store import Store
from redraft.wp.api import site_key, web_site_key


@click.command()
@click.argument("site_url", metavar="[URL]", required=False)
@click.option("--since", callback=parse_date, metavar="DATE",
              help="Only posts modified after DATE (ISO 8601; UTC unless a zone is given).")
@click.option("--limit", type=click.IntRange(min=1), help="At most N posts, newest first.")
@click.option("--delay", type=click.FloatRange(min=0), default=DEFAULT_DELAY, show_default=True,
              help="Seconds between two pages of one host (feeds and sitemaps; at least the "
                   "site's Crawl-delay).")
@click.option("--every", callback=parse_every, metavar="INTERVAL",
              help="Sync again every INTERVAL (15m, 1h, 90s) until stopped; SIGINT or SIGTERM "
                   "finish the item in hand and exit 0.")
@budget_options
@output_options
@engine_options
@workers_option
@common_options
def sync(site_url: str | None, since: datetime | None, limit: int | None, delay: float,
         every: float | None, **params: Any) -> None:
    """Condense the posts of a site, a feed or a sitemap, reading only what changed.

    URL may be a WordPress site, a feed (RSS, Atom, JSON Feed), a sitemap, a home page (its
    API, feed or sitemap is found) or one article page; without URL, every source of the
    watch list (`redraft sources`) is synced. For a WordPress site the REST API is found from it (both
    /wp-json/ and ?rest_route= sites work); a site whose API is locked to logged-in users is
    read through its RSS feed instead. Pages are fetched --concurrency at a time (default 4)
    with retries and back-off. Every post is committed to --db as it is done, so an
    interrupted sync is simply run again; the next sync asks only for posts modified since
    the last complete one, and redoes only those whose content changed. --force reads and
    redoes everything. Drafts are written to --out when given (else kept in the database,
    ready for `redraft publish`).
    """
    if every is not None or site_url is None:
        repeat(click.get_current_context(), site_url, every)
    setup_logging(params["verbose"])
    settings = load_settings(params)
    params["delay"] = delay
    with http_client(settings.http) as client, open_store(settings) as store:
        retrier = Retrier(client, settings.http)
        robots = Robots(retrier)
        found = _find_source(retrier, site_url, robots, store, force=params["force"])
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
            report = drafting(settings, params, store=store, engines=engines, sinks=sinks,
                              work=lambda options: sync_site(
                                  source, engines=engines, store=store, sinks=sinks,
                                  options=options, progress=progress,
                                  selection=selection(params)))
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
    source = _site_source(found, retrier, robots, store, state, params=params, limit=limit)
    try:
        with progress_bar(limit, f"syncing {source.name}") as progress:
            items = selected(source.entries(), selection(params))
            report = drafting(settings, params, store=store, engines=engines, sinks=sinks,
                              work=lambda options: run(
                                  items, engines=engines, store=store, sinks=sinks,
                                  options=options, progress=progress))
        complete = source.checkpoint().complete
        with store.transaction():
            store.save_site(source.name, synced=complete,
                            state=next_state(source, state))
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
                 state: dict[str, Any] | None, *, params: dict[str, Any],
                 limit: int | None) -> SiteSource:
    chosen = selection(params)
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
