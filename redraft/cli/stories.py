"""``redraft stories``: the stories in the state database, each with its entries."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from typing import Any

import click
from rich.console import Console
from rich.text import Text

from redraft.cli.common import common_options, fail, load_settings, open_store, setup_logging
from redraft.records import Entry
from redraft.store.stories import StoryRow

_AGO = re.compile(r"^(\d+)\s*([hdw])$")
_UNITS = {"h": "hours", "d": "days", "w": "weeks"}


def parse_since(value: str, now: datetime | None = None) -> datetime:
    """``2031-03-04``, ``2031-03-04T08:00+01:00`` (UTC when no offset), or ``12h``/``3d``/``2w``
    ago."""
    text = value.strip()
    match = _AGO.match(text.lower())
    if match:
        return (now or datetime.now(UTC)) - timedelta(**{_UNITS[match[2]]: int(match[1])})
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        fail(f"--since {value!r} is neither a date (2031-03-04), a time "
             "(2031-03-04T08:00+00:00) nor a span ago (12h, 3d, 2w)")
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


def entry_json(entry: Entry) -> dict[str, Any]:
    """One entry of a story in the stable JSON form."""
    return {"key": entry.key, "url": entry.url, "source": entry.source, "title": entry.title,
            "published": entry.published.isoformat() if entry.published else None}


def story_json(story: StoryRow) -> dict[str, Any]:
    """One story in the stable JSON form: ``id`` and ``entries``, then the rest."""
    return {"id": story.id, "entries": [entry_json(entry) for entry in story.entries],
            "first_seen": story.first_seen, "last_seen": story.last_seen,
            "draft": story.draft_key}


@click.command()
@click.option("--since", help="Only stories seen since a date, a time, or a span ago (12h, 3d).")
@click.option("--source", help="Only stories with an entry from this source (as `status` names it).")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per story, a line each.")
@common_options
def stories(since: str | None, source: str | None, as_json: bool, **params: Any) -> None:
    """List stories: the same event from one or more sources, newest first, with their entries.

    The JSON form is one object per line: {"id", "entries": [{"key", "url", "source", "title",
    "published"}], "first_seen", "last_seen", "draft"} (``draft`` is the key of the entry whose
    draft stands for the story); fields are only ever added.
    """
    setup_logging(params["verbose"])
    settings = load_settings(params)
    after = parse_since(since) if since else None
    with open_store(settings) as store:
        rows = store.stories(since=after, source=source)
    if as_json:
        for row in rows:
            click.echo(json.dumps(story_json(row), ensure_ascii=False))
        return
    console = Console()
    if not rows:
        console.print("no stories yet" if since is None and source is None else "no such stories")
        return
    for row in rows:
        sources = len({entry.source for entry in row.entries})
        console.print(Text.assemble((f"story {row.id}", "bold"),
                                    f" · {len(row.entries)} entries from {sources} sources"
                                    f" · last seen {row.last_seen or '-'}"), soft_wrap=True)
        for entry in row.entries:
            mark = "*" if entry.key == row.draft_key else " "
            console.print(Text(f" {mark} {entry.source}: {entry.title} <{entry.url}>"),
                          soft_wrap=True, highlight=False)
