"""``redraft publish``: stored drafts out to a WordPress site, each once."""

from __future__ import annotations

import os
import sys
from typing import Any

import click
from rich.table import Table

from redraft.cli.common import (
    EXIT_INCOMPLETE,
    EXIT_OK,
    common_options,
    fail,
    http_client,
    load_settings,
    markup_safe,
    open_store,
    printable,
    progress_bar,
    setup_logging,
    stderr,
)
from redraft.errors import FetchError, PublishAuthError, PublishError
from redraft.http import Retrier
from redraft.pipeline import publish as publish_drafts
from redraft.sinks.wordpress import POST_STATUSES, Credentials, WordPressPublisher
from redraft.sources.wordpress import WordPressSource
from redraft.wp_rest import site_url

USER_VARIABLE = "REDRAFT_WP_USER"
PASSWORD_VARIABLE = "REDRAFT_WP_APP_PASSWORD"


@click.command()
@click.option("--to", "target", required=True, metavar="SITE",
              help="The WordPress site to publish to (its address).")
@click.option("--status", type=click.Choice(POST_STATUSES), default="draft", show_default=True,
              help="The status of the new posts.")
@click.option("--include-failed", is_flag=True,
              help="Also publish drafts that failed verification.")
@common_options
def publish(target: str, status: str, include_failed: bool, **params: Any) -> None:
    """Post every verified draft not yet published to a WordPress site, as a draft by default.

    Credentials come from REDRAFT_WP_USER and REDRAFT_WP_APP_PASSWORD (an application
    password, from Users → Profile in wp-admin); they are checked before anything is posted
    and are never logged or stored. Each post gets the draft's paragraphs, a credit linking
    the source, an excerpt, and the source's categories and tags (created when missing).
    Running it again posts nothing twice: a draft already published is left alone, and one
    redone since is updated in place.
    """
    setup_logging(params["verbose"])
    settings = load_settings(params)
    user, password = os.environ.get(USER_VARIABLE, ""), os.environ.get(PASSWORD_VARIABLE, "")
    if not user or not password:
        fail(f"set {USER_VARIABLE} and {PASSWORD_VARIABLE} (an application password) to publish")
    client = http_client(settings.http)
    retrier = Retrier(client, settings.http)
    try:
        api_root = WordPressSource(retrier, target).discover()
        publisher = WordPressPublisher(retrier, api_root, site=site_url(target),
                                       credentials=Credentials(user, password),
                                       status=status)  # type: ignore[arg-type]
        with open_store(settings) as store, progress_bar(None, f"publishing to {target}") as bar:
            report = publish_drafts(store, publisher, include_failed=include_failed,
                                    progress=bar)
    except PublishAuthError as exc:  # checked before anything is posted: a configuration error
        fail(str(exc))
    except (FetchError, PublishError) as exc:
        fail(str(exc), code=EXIT_INCOMPLETE)
    finally:
        client.close()
    table = Table(title=markup_safe(f"redraft publish → {publisher.name} (status {status})"), box=None,
                  show_header=False, title_justify="left")
    table.add_row("created", str(report.created))
    table.add_row("updated", str(report.updated))
    table.add_row("unchanged", str(report.unchanged))
    table.add_row("failed", str(len(report.failed)))
    stderr.print(table)
    for line in report.failed[:10]:
        stderr.print(f"  • {printable(line, one_line=True)}", soft_wrap=True, markup=False)
    sys.exit(EXIT_OK if not report.failed else EXIT_INCOMPLETE)
