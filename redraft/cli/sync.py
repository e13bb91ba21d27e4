"""``redraft sync``: a WordPress site in, condensed rewrites stored (and written) out."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click

from redraft.cli.common import (
    EXIT_INCOMPLETE,
    EXIT_OK,
    budget_options,
    build_engines,
    common_options,
    engine_options,
    fail,
    file_sink,
    http_client,
    load_settings,
    open_store,
    output_options,
    print_summary,
    progress_bar,
    run_options,
    setup_logging,
    stderr,
    workers_option,
)
from redraft.errors import EngineAuthError
from redraft.http import Retrier
from redraft.pipeline import sync as sync_site
from redraft.sources import Checkpoint
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
@click.argument("site_url", metavar="SITE_URL")
@click.option("--since", callback=parse_since, metavar="DATE",
              help="Only posts modified after DATE (ISO 8601; UTC unless a zone is given).")
@click.option("--limit", type=click.IntRange(min=1), help="At most N posts, newest first.")
@budget_options
@output_options
@engine_options
@workers_option
@common_options
def sync(site_url: str, since: datetime | None, limit: int | None, **params: Any) -> None:
    """Condense the posts of a WordPress site, reading only what changed since the last sync.

    SITE_URL is the site's address (its home page). The REST API is found from it (both
    /wp-json/ and ?rest_route= sites work); a site whose API is locked to logged-in users is
    read through its RSS feed instead. Pages are fetched --concurrency at a time (default 4)
    with retries and back-off. Every post is committed to --db as it is done, so an
    interrupted sync is simply run again; the next sync asks only for posts modified since
    the last complete one, and redoes only those whose content changed. --force reads and
    redoes everything. Drafts are written to --out when given (else kept in the database,
    ready for `redraft publish`).
    """
    setup_logging(params["verbose"])
    settings = load_settings(params)
    out: Path | None = params["out"]
    with http_client(settings.http) as client:
        engines = build_engines(settings, client)
        sinks = [file_sink(params["fmt"], out)] if out else []
        try:
            with open_store(settings) as store:
                known = store.site(site_key(site_url))
                source = WordPressSource(
                    Retrier(client, settings.http), site_url, options=WordPressOptions(
                        high_water=known.high_water if known and not params["force"] else None,
                        since=since, limit=limit, api_root=known.api_root if known else None))
                with progress_bar(limit, f"syncing {source.site}") as progress:
                    report = sync_site(source, engines=engines, store=store, sinks=sinks,
                                       options=run_options(
                                           settings, force=params["force"],
                                           workers=params["workers"]),
                                       progress=progress)
        except EngineAuthError as exc:
            fail(str(exc), code=EXIT_INCOMPLETE)
        finally:
            for sink in sinks:
                sink.close()
    print_summary(report, title=f"redraft sync {source.site} → {out or settings.db}")
    _say_checkpoint(source.checkpoint(), had=known.high_water if known else None)
    sys.exit(EXIT_OK if report.ok and source.checkpoint().complete else EXIT_INCOMPLETE)


def _say_checkpoint(checkpoint: Checkpoint, *, had: str | None) -> None:
    if checkpoint.via_feed:
        stderr.print("[yellow]the REST API is locked to logged-in users: read the RSS feed "
                     "instead (entries marked via=feed; every sync reads the whole feed)[/]")
    if not checkpoint.complete:
        stderr.print("[yellow]incomplete sync: the high-water mark stays at "
                      f"{had or 'none'}; run it again to finish[/]")
    elif checkpoint.high_water:
        stderr.print(f"next sync asks for posts modified after {checkpoint.high_water}")
