"""``redraft rewrite``: local input in, condensed rewrites out."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterable, Iterator
from dataclasses import replace
from datetime import datetime
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
    parse_date,
    print_summary,
    progress_bar,
    run_options,
    setup_logging,
    workers_option,
)
from redraft.errors import InputError
from redraft.pipeline import run
from redraft.records import Entry
from redraft.sources import SourceItem
from redraft.sources.files import INPUT_FORMATS, FileSource


@click.command()
@click.argument("inputs", nargs=-1, required=True, metavar="INPUT...")
@click.option("--input-format", type=click.Choice(INPUT_FORMATS), default="auto",
              show_default=True, help="Force the input format instead of detecting it.")
@click.option("--title", help="The source's title, for the credit line (files without one).")
@click.option("--url", "source_url", metavar="URL",
              help="The source's public address, for the credit line.")
@click.option("--published", callback=parse_date, metavar="DATE",
              help="The source's publication date (ISO 8601), for the credit line.")
@budget_options
@output_options
@engine_options
@workers_option
@common_options
def rewrite(inputs: tuple[str, ...], input_format: str, title: str | None,
            source_url: str | None, published: datetime | None, **params: Any) -> None:
    """Condense WordPress posts, HTML or text files into faithful rewrites.

    INPUT is a WordPress REST API post (one object, an array, or JSON Lines), an .html or
    plain-text file, a directory of them, or - for standard input. --title, --url and
    --published credit a file that does not say them itself. Every draft is verified
    against its source and credits it; state is kept in the SQLite file --db, so running
    again redoes only what changed.
    """
    setup_logging(params["verbose"])
    settings = load_settings(params)
    source = FileSource(list(inputs), input_format=input_format,  # type: ignore[arg-type]
                        stdin=sys.stdin.buffer)
    try:
        count = source.count()
    except InputError as exc:
        fail(str(exc))
    total = count if count > 1 else None
    remote = settings.engine == "llm"
    with http_client(settings.http) if remote else contextlib.nullcontext() as client:
        engines = build_engines(settings, client)
        sink = file_sink(params["fmt"], params["out"])
        try:  # errors that stop the run (a refused key, the store) end in the CLI's boundary
            with open_store(settings) as store, progress_bar(total, "rewriting") as progress:
                entries = credited(source.entries(), title=title, url=source_url,
                                   published=published)
                report = run(entries, engines=engines, store=store, sinks=[sink],
                             options=run_options(settings, params), progress=progress)
        finally:
            sink.close()
    out: Path | None = params["out"]
    print_summary(report, title=f"redraft rewrite → {out or 'stdout'} (state: {settings.db})")
    sys.exit(EXIT_OK if report.ok else EXIT_INCOMPLETE)


def credited(items: Iterable[SourceItem], *, title: str | None, url: str | None,
             published: datetime | None) -> Iterator[SourceItem]:
    """Entries with the title, address and date given on the command line (they win over the
    file's own), so a plain-text article can carry its credit."""
    changes: dict[str, Any] = {name: value for name, value in
                               (("title", title), ("url", url), ("published", published))
                               if value is not None}
    for item in items:
        yield replace(item, **changes) if changes and isinstance(item, Entry) else item
