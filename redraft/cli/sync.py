"""``redraft sync``: a WordPress site, a feed, a sitemap or a page in, condensed rewrites stored
(and written) out; the work is :mod:`redraft.cli.syncing`'s."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import click

from redraft.cli.common import (
    budget_options,
    common_options,
    engine_options,
    load_settings,
    output_options,
    parse_date,
    setup_logging,
    workers_option,
)
from redraft.cli.watch import parse_every, repeat
from redraft.sources import DEFAULT_DELAY


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
    # Imported here: the network stack (httpx, feedparser, the sources) is this command's alone.
    from redraft.cli.syncing import sync_url  # noqa: PLC0415

    setup_logging(params["verbose"])
    params["delay"] = delay
    sync_url(site_url, load_settings(params), params, since=since, limit=limit)
