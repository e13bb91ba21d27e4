"""``redraft publish``: stored drafts out to a WordPress site, never over an editor's work."""

from __future__ import annotations

import os
import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from redraft.cli.common import (
    EXIT_INCOMPLETE,
    EXIT_OK,
    common_options,
    fail,
    http_client,
    load_settings,
    open_store,
    progress_bar,
    setup_logging,
    stderr,
)
from redraft.errors import FetchError, PublishAuthError, PublishError
from redraft.sinks import POST_STATUSES
from redraft.sinks.markup import printable

if TYPE_CHECKING:
    from redraft.pipeline import PostOutcome, PublishReport

WIDTH = 80  # the summary reads on a plain terminal
LABELS = {"create": "created", "update": "updated", "unchanged": "unchanged", "keep": "kept",
          "hold": "held back", "fail": "failed"}
DRY_LABELS = {"create": "would create", "update": "would update", "keep": "would keep"}


@click.command()
@click.option("--to", "target", required=True, metavar="SITE",
              help="The WordPress site to publish to (its address).")
@click.option("--status", type=click.Choice(POST_STATUSES), default="draft", show_default=True,
              help="The status of the posts it creates and updates.")
@click.option("--include-failed", is_flag=True,
              help="Also publish drafts that failed verification.")
@click.option("--dry-run", is_flag=True,
              help="Say what would be created, updated and kept, and why; change nothing.")
@click.option("--overwrite-edited", is_flag=True,
              help="Also update posts edited on the site since redraft wrote them "
                   "(their edits are lost; live posts are still kept).")
@click.option("--approved", "approved_only", is_flag=True,
              help="Publish only drafts an editor approved (`redraft approve`).")
@click.option("--source", "source", metavar="SOURCE", default=None,
              help="Only drafts of this source (as `redraft status` names it).")
@click.option("--since", type=click.DateTime(formats=["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S"]),
              default=None, help="Only drafts of sources published on or after this date.")
@click.option("--limit", type=click.IntRange(min=0), default=None,
              help="Only the newest N drafts.")
@click.option("--allow-origin", "allow", multiple=True, metavar="URL",
              help="Also send the credentials to this origin, when the site redirects there or "
                   "names its API there (repeatable).")
@common_options
def publish(target: str, status: str, **params: Any) -> None:
    """Post verified drafts to a WordPress site, as drafts by default, never over an editor's
    work.

    Credentials come from REDRAFT_WP_USER and REDRAFT_WP_APP_PASSWORD (an application
    password, from Users → Profile in wp-admin); they are checked before anything is posted
    and are never logged or stored. Each post gets the draft's paragraphs, a credit linking
    the source, an excerpt, the source's featured image, categories and tags.

    Running it again posts nothing twice. A post redraft made is updated in place only while
    it is a draft or pending and nobody edited it on the site; an edited post, a live one, or
    one trashed or deleted is kept as it is, and the summary says so with its edit link.
    """
    # Imported here: publishing (httpx, the WordPress sink) is this command's alone.
    from redraft.http import Retrier  # noqa: PLC0415
    from redraft.pipeline import PublishOptions  # noqa: PLC0415
    from redraft.pipeline import publish as publish_drafts  # noqa: PLC0415
    from redraft.pipeline.publishing import select  # noqa: PLC0415
    from redraft.sinks.wordpress import (  # noqa: PLC0415
        MISSING_CREDENTIALS,
        Credentials,
        WordPressPublisher,
    )

    setup_logging(params["verbose"])
    settings = load_settings(params)
    if not Path(settings.db).is_file():
        fail(f"no database at {settings.db}: run `redraft sync` or `redraft rewrite` first, "
             "or pass --db")
    credentials = Credentials.from_environment(os.environ)
    if credentials is None:
        fail(f"{MISSING_CREDENTIALS} to publish")
    options = PublishOptions(include_failed=params["include_failed"],
                             overwrite_edited=params["overwrite_edited"],
                             dry_run=params["dry_run"], approved_only=params["approved_only"]
                             or settings.publish.require_approval)
    since: datetime | None = params["since"]
    client = http_client(settings.http)
    retrier = Retrier(client, settings.http)
    try:
        with open_store(settings) as store, progress_bar(None, f"publishing to {target}") as bar:
            publisher = WordPressPublisher.connect(
                retrier, target, credentials=credentials,
                status=status,  # type: ignore[arg-type]
                identity=store.identity(), allow=params["allow"])
            drafts = select(store.drafts(passed_only=False, source=params["source"]),
                            since=since, limit=params["limit"])
            report = publish_drafts(store, publisher, drafts, options=options, progress=bar)
    except PublishAuthError as exc:  # checked before anything is posted: a configuration error
        fail(str(exc))
    except (FetchError, PublishError) as exc:
        fail(str(exc), code=EXIT_INCOMPLETE)
    finally:
        client.close()
    for line in summary(report, publisher.name, status,
                        overwrite_edited=options.overwrite_edited):
        stderr.print(printable(line), markup=False, highlight=False, soft_wrap=True)
    sys.exit(EXIT_OK if not report.failed else EXIT_INCOMPLETE)


def summary(report: PublishReport, target: str, status: str, *,
            overwrite_edited: bool = False) -> list[str]:
    """The run's summary, post by post, in lines of at most 80 columns (links aside)."""
    head = "redraft publish --dry-run" if report.dry_run else "redraft publish"
    lines = [_fit(f"{head} → {printable(target)} (status {status})")]
    if overwrite_edited:
        lines.append(_fit("--overwrite-edited: posts edited on the site are written over"))
    counts = [("created", report.created), ("updated", report.updated),
              ("unchanged", report.unchanged), ("kept", report.kept),
              ("held back", report.held), ("failed", len(report.failed))]
    lines.append(_fit(" · ".join(f"{name} {n}" for name, n in counts)))
    lines += [line for outcome in report.outcomes
              for line in _post_lines(outcome, dry_run=report.dry_run)]
    return lines


def _post_lines(outcome: PostOutcome, *, dry_run: bool) -> list[str]:
    label = (DRY_LABELS.get(outcome.action) if dry_run else None) or LABELS[outcome.action]
    title = printable(outcome.title) or printable(outcome.key)
    lines = [_fit(f"  {label:<12} {title}")]
    indent = " " * 15
    if outcome.reason and outcome.reason != "new":
        lines.append(_fit(f"{indent}{printable(outcome.reason)}"))
    if outcome.link:
        lines.append(f"{indent}{printable(outcome.link)}")
    lines += [_fit(f"{indent}note: {printable(note)}") for note in outcome.notes]
    return lines


def _fit(line: str) -> str:
    return line if len(line) <= WIDTH else line[: WIDTH - 1] + "…"
