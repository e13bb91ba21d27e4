"""``redraft status``: what the state database holds, per source."""

from __future__ import annotations

import json
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from redraft.cli.common import common_options, load_settings, open_store, setup_logging

STATUS_SCHEMA_VERSION = 1


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print the stable JSON form.")
@common_options
def status(as_json: bool, **params: Any) -> None:
    """Show, per source or site: posts stored, drafted, failed verification, rejected (by
    reason), failed, published, and the last sync time.

    The JSON form is an object {"version": 1, "db": PATH, "sources": [...]} where each source
    is {"source", "stored", "drafted", "passed", "failed_verification", "rejected":
    {reason: n}, "failed", "published", "last_sync"}; fields are only ever added.
    """
    setup_logging(params["verbose"])
    settings = load_settings(params)
    with open_store(settings) as store:
        rows = store.status()
    if as_json:
        click.echo(json.dumps({"version": STATUS_SCHEMA_VERSION, "db": str(settings.db),
                               "sources": rows}, indent=2, ensure_ascii=False))
        return
    table = Table(title=f"redraft state: {settings.db}", title_justify="left")
    for column in ("source", "stored", "drafted", "failed verif.", "rejected", "failed",
                   "published", "last sync"):
        # The source (a path or URL) folds; counts and reasons never break mid-word.
        table.add_column(column, overflow="fold", no_wrap=column != "source")
    for row in rows:
        rejected = ", ".join(f"{k} {v}" for k, v in sorted(row["rejected"].items())) or "0"
        table.add_row(row["source"], str(row["stored"]), str(row["drafted"]),
                      str(row["failed_verification"]), rejected, str(row["failed"]),
                      str(row["published"]), row["last_sync"] or "-")
    Console().print(table if rows else "nothing stored yet")
