"""``redraft sync``: a WordPress site in, condensed rewrites stored (and written) out."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click
import httpx

from redraft.cli.common import (
    EXIT_INCOMPLETE,
    EXIT_OK,
    budget_options,
    build_engines,
    common_options,
    drafting,
    engine_options,
    file_sink,
    http_client,
    load_settings,
    markup_safe,
    open_store,
    output_options,
    print_summary,
    progress_bar,
    setup_logging,
    stderr,
    workers_option,
)
from redraft.cli.sources import find_source, sync_web
from redraft.cli.watch import parse_every, repeat, selection
from redraft.config import Settings
from redraft.http import Retrier
from redraft.pipeline import sync as sync_site
from redraft.sources import Checkpoint
from redraft.sources.robots import Robots
from redraft.sources.site import DEFAULT_DELAY
from redraft.sources.wordpress import WordPressOptions, WordPressSource
from redraft.wp.api import site_key


def parse_since(_ctx: click.Context, _param: click.Parameter, value: str | None) -> datetime | None:
    """``--since``: an ISO date or date-time; without a zone it is UTC."""
    if value is None:
        return None
    try:
        when = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise click.BadParameter(f"{value!r} is not a date such as 2025-05-01 or "
                                 "2025-05-01T12:00:00+02:00") from exc
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when


@click.command()
@click.argument("site_url", metavar="[URL]", required=False)
@click.option("--since", callback=parse_since, metavar="DATE",
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
    out: Path | None = params["out"]
    with http_client(settings.http) as client:
        site_url = _any_source(client, site_url, settings, params, limit)
        engines = build_engines(settings, client)
        sinks = [file_sink(params["fmt"], out)] if out else []
        try:
            with open_store(settings) as store:
                known = store.site(site_key(site_url))
                source = WordPressSource(
                    Retrier(client, settings.http), site_url, options=WordPressOptions(
                        high_water=known.high_water if known and not params["force"] else None,
                        since=since, limit=limit, api_root=known.api_root if known else None,
                        known=store.count_entries(site_key(site_url))))
                with progress_bar(limit, f"syncing {source.site}") as progress:
                    report = drafting(settings, params, store=store, engines=engines,
                                      sinks=sinks, work=lambda options: sync_site(
                                          source, engines=engines, store=store, sinks=sinks,
                                          options=options, progress=progress,
                                          selection=selection(params)))
        finally:  # errors that stop the sync end in the CLI's boundary
            for sink in sinks:
                sink.close()
    print_summary(report, title=f"redraft sync {source.site} → {out or settings.db}")
    checkpoint = source.checkpoint()
    # A sync that stopped at --limit did what was asked: it is not an incomplete one.
    limited = limit is not None and not checkpoint.complete and report.total >= limit
    _say_checkpoint(checkpoint, had=known.high_water if known else None, limit=limit if limited
                    else None)
    sys.exit(EXIT_OK if report.ok and (checkpoint.complete or limited) else EXIT_INCOMPLETE)


def _any_source(client: httpx.Client, url: str, settings: Settings, params: dict[str, Any],
                limit: int | None) -> str:
    """The WordPress site ``url`` belongs to; anything else (a feed, a sitemap, a home page
    without the API, an article page) is synced here and the command exits."""
    retrier = Retrier(client, settings.http)
    robots = Robots(retrier)
    found = find_source(retrier, url, robots, settings, force=params["force"])
    if found.kind != "wordpress":
        sync_web(found, retrier, robots, settings, params, limit=limit)
    return found.url


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
