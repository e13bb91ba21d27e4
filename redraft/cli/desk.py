"""The editor's desk: ``redraft drafts [list|show|export]``, ``redraft approve``, ``redraft reject``."""

from __future__ import annotations

import getpass
import os
import sys
from pathlib import Path
from typing import Any

import click

from redraft.cli.common import common_options, fail, load_settings, open_store, setup_logging
from redraft.errors import RedraftError
from redraft.pipeline.desk import DESK_STATES, DeskFilter, DeskItem, decide, export, find_draft
from redraft.pipeline.desk import list_drafts as desk_list
from redraft.sinks.files import OUTPUT_FORMATS, FileSink
from redraft.sinks.markup import printable, strip_controls

WIDTH = 80  # the listing reads on a plain terminal


def _filter_options(func: Any) -> Any:
    options = [
        click.option("--source", default=None, metavar="SOURCE",
                     help="Only drafts of this source (as `redraft status` names it)."),
        click.option("--since", type=click.DateTime(formats=["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S"]),
                     default=None, help="Only drafts of sources published on or after this date."),
        click.option("--verdict", type=click.Choice(["passed", "failed"]), default=None,
                     help="Only drafts that passed, or failed, verification."),
        click.option("--state", type=click.Choice(DESK_STATES), default=None,
                     help="Only new, approved, rejected or published drafts."),
        click.option("--limit", type=click.IntRange(min=0), default=None,
                     help="At most N drafts (the newest)."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _filters(params: dict[str, Any]) -> DeskFilter:
    return DeskFilter(source=params["source"], since=params["since"], verdict=params["verdict"],
                      state=params["state"], limit=params["limit"])


@click.group(invoke_without_command=True)
@_filter_options
@common_options
@click.pass_context
def drafts(ctx: click.Context, /, **params: Any) -> None:
    """List the stored drafts, newest first (or `drafts show KEY`, `drafts export`)."""
    if ctx.invoked_subcommand is not None:
        return
    setup_logging(params["verbose"])
    settings = load_settings(params)
    with open_store(settings) as store:
        items = desk_list(store, _filters(params))
    if not items:
        click.echo("no drafts match")
        return
    for item in items:
        click.echo(_line(item))


def _line(item: DeskItem) -> str:
    verdict = item.stored.verdict
    entry = verdict.draft.article.entry
    mark = "ok " if verdict.passed else "bad"
    head = f"{item.state:<9} {mark} {verdict.score:.2f}  {printable(entry.key)}"
    title = f"          {printable(entry.title)}"
    return "\n".join(line if len(line) <= WIDTH else line[: WIDTH - 1] + "…"
                     for line in (head, title))


@drafts.command("show")
@click.argument("key")
@common_options
def show(key: str, **params: Any) -> None:
    """Print one draft with its verdict, problems and evidence, review and posts."""
    setup_logging(params["verbose"])
    settings = load_settings(params)
    with open_store(settings) as store:
        try:
            item = find_draft(store, key)
        except RedraftError as exc:
            fail(str(exc))
    verdict = item.stored.verdict
    draft = verdict.draft
    entry = draft.article.entry
    lines = [f"key:      {entry.key}", f"title:    {entry.title}", f"source:   {entry.url or entry.source}",
             f"engine:   {draft.engine}", f"state:    {item.state}",
             f"verdict:  {'passed' if verdict.passed else 'failed'} (score {verdict.score:.2f})"]
    if item.review is not None:
        review = item.review
        lines.append(f"review:   {review.decision} by {review.who} at {review.decided_at}"
                     + (f": {review.note}" if review.note else ""))
    lines += [f"posted:   {post.target} #{post.remote_id} ({post.status})" for post in item.posts]
    lines += ["", *draft.paragraphs, "", draft.credit]
    for problem in verdict.problems:
        lines += ["", f"problem:  {problem.kind}: {problem.sentence}"]
        if problem.evidence:
            lines.append(f"evidence: {problem.evidence}")
    click.echo("\n".join(strip_controls(line) for line in lines))


@drafts.command("export")
@click.option("--format", "fmt", type=click.Choice(OUTPUT_FORMATS), default="md",
              show_default=True, help="File format.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder to write to (standard output when omitted).")
@_filter_options
@common_options
def export_command(fmt: str, out: Path | None, **params: Any) -> None:
    """Write the stored drafts that match the filters as files (or to standard output)."""
    setup_logging(params["verbose"])
    settings = load_settings(params)
    with open_store(settings) as store:
        items = desk_list(store, _filters(params))
        try:
            sink = FileSink(fmt, directory=out, stream=None if out else sys.stdout)  # type: ignore[arg-type]
            written = export(items, sink)
        except RedraftError as exc:
            fail(str(exc), code=1)
    click.echo(f"exported {written} draft{'s' if written != 1 else ''}"
               + (f" to {out}" if out else ""), err=True)


def _who() -> str:
    try:
        return os.environ.get("REDRAFT_EDITOR") or getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


@click.command()
@click.argument("keys", nargs=-1, required=True)
@click.option("--who", default=None, help="Who decides (default: REDRAFT_EDITOR, else the user).")
@common_options
def approve(keys: tuple[str, ...], who: str | None, **params: Any) -> None:
    """Approve the current drafts of KEYS (see `publish --approved`)."""
    _decide(keys, "approved", who, "", params)


@click.command()
@click.argument("keys", nargs=-1, required=True)
@click.option("--note", default="", help="Why (kept with the decision).")
@click.option("--who", default=None, help="Who decides (default: REDRAFT_EDITOR, else the user).")
@common_options
def reject(keys: tuple[str, ...], note: str, who: str | None, **params: Any) -> None:
    """Reject the current drafts of KEYS, with a note; they are not published with --approved."""
    _decide(keys, "rejected", who, note, params)


def _decide(keys: tuple[str, ...], decision: str, who: str | None, note: str,
            params: dict[str, Any]) -> None:
    setup_logging(params["verbose"])
    settings = load_settings(params)
    with open_store(settings) as store:
        try:
            done = decide(store, keys, decision, who=who or _who(), note=note)  # type: ignore[arg-type]
        except RedraftError as exc:
            fail(str(exc))
    click.echo(f"{decision} {len(done)} draft{'s' if len(done) != 1 else ''}", err=True)
