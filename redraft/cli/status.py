"""``redraft status``: what the state database holds, per source."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import click
from rich.console import Console
from rich.table import Table
from rich.text import Text

from redraft.cli.common import (
    common_options,
    echo,
    load_settings,
    open_store,
    printable,
    setup_logging,
)
from redraft.store.watchlist import text_origins

STATUS_SCHEMA_VERSION = 1


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print the stable JSON form.")
@common_options
def status(as_json: bool, **params: Any) -> None:
    """Show, per source or site: posts stored (for feeds and pages: text from the feed or
    from fetched pages), drafted, failed verification, rejected (by
    reason), failed, published, and the last sync time.

    The JSON form is an object {"version": 1, "db": PATH, "sources": [...]} where each source
    is {"source", "stored", "drafted", "passed", "failed_verification", "rejected":
    {reason: n}, "failed", "published", "last_sync"} (feeds, sitemaps and pages add
    "text_from": {"feed": n, "page": m}); fields are only ever added.
    """
    setup_logging(params["verbose"])
    settings = load_settings(params)
    with open_store(settings) as store:
        rows = store.status()
        _add_text_origins(rows, text_origins(store))
    if as_json:
        echo(json.dumps({"version": STATUS_SCHEMA_VERSION, "db": str(settings.db),
                               "sources": rows}, indent=2, ensure_ascii=False))
        return
    console = Console()
    if not rows:
        console.print("nothing stored yet")
        return
    cells = [_cells(row) for row in rows]
    if console.width < WIDE:  # one block per source: readable in any terminal
        console.print(Text(f"redraft state: {printable(str(settings.db))}"), soft_wrap=True)
        for source, *counts in cells:
            named = dict(zip(COLUMNS[1:], counts, strict=True))
            console.print(Text(printable(source), style="bold"), soft_wrap=True)
            for group in (("stored", "drafted", "unverified", "failed", "published"),
                          ("rejected", "last sync")):
                console.print(Text("  " + " · ".join(
                    f"{name} {named[name].replace(chr(10), ', ')}" for name in group)))
        return
    console.print(Text(f"redraft state: {printable(str(settings.db))}"), soft_wrap=True)
    table = Table()
    for column in COLUMNS:
        table.add_column(column, overflow="fold",
                         justify="left" if column in {"source", "rejected", "last sync"} else "right")
    for row_cells in cells:
        table.add_row(*(Text(printable(cell)) for cell in row_cells))
    console.print(table)


def _add_text_origins(rows: list[dict[str, Any]], origins: dict[str, dict[str, int]]) -> None:
    """Each web source's ``text_from`` counts: its text from the feed, or from fetched pages."""
    for row in rows:
        if row["source"] in origins:
            row["text_from"] = origins[row["source"]]


# The table's columns; a terminal narrower than WIDE gets one block per source instead.
COLUMNS = ("source", "stored", "drafted", "unverified", "rejected", "failed", "published",
           "last sync")
WIDE = 110


def _cells(row: dict[str, Any]) -> list[str]:
    """A status row as text, one "reason count" line per rejection reason."""
    rejected = "\n".join(f"{k} {v}" for k, v in sorted(row["rejected"].items())) or "0"
    origins = row.get("text_from") or {}
    stored = str(row["stored"]) + "".join(f"\n{name} {n}" for name, n in sorted(origins.items()))
    return [row["source"], stored, str(row["drafted"]),
            str(row["failed_verification"]), rejected, str(row["failed"]),
            str(row["published"]), _when(row["last_sync"])]


def _when(stamp: str | None) -> str:
    """A stored ISO time as ``YYYY-MM-DD HH:MM`` (UTC), short enough for a narrow terminal."""
    if not stamp:
        return "-"
    try:
        when = datetime.fromisoformat(stamp)
    except ValueError:
        return stamp
    if when.tzinfo is not None:
        when = when.astimezone(UTC)
    return when.strftime("%Y-%m-%d %H:%M") + (" UTC" if when.tzinfo is not None else "")
