"""``redraft sync`` with no URL (the watch list) and ``--every`` (until stopped)."""

from __future__ import annotations

import re
import signal
import sys
import threading
from types import FrameType
from typing import Any, NoReturn

import click

from redraft.cli.common import EXIT_OK, fail, load_settings, open_store, stderr
from redraft.pipeline.syncing import Selection
from redraft.store.watchlist import Watched, WatchList

STOP = threading.Event()  # set by SIGINT/SIGTERM: finish the item in hand, then stop
_INTERVAL = re.compile(r"^(\d+(?:\.\d+)?)\s*(s|m|h|d)?$")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, None: 60}
# A shorter interval than this hammers the sites it reads; feeds change in minutes, not seconds.
MIN_EVERY_SECONDS = 60.0


def parse_every(_ctx: click.Context, _param: click.Parameter, value: str | None) -> float | None:
    """``--every``: 15m, 1h, 90s, 2d (a bare number is minutes)."""
    if value is None:
        return None
    match = _INTERVAL.match(value.strip().lower())
    if not match:
        raise click.BadParameter(f"{value!r} is not an interval such as 15m, 1h or 90s")
    seconds = float(match[1]) * _UNIT_SECONDS[match[2]]
    if seconds < MIN_EVERY_SECONDS:
        raise click.BadParameter(f"{value!r} is shorter than a minute; sites are not read "
                                 "more often than that")
    return seconds


def selection(params: dict[str, Any]) -> Selection:
    """What a sync takes of its source: the watch list's include/exclude words and category
    for this source (none for a URL given alone), until SIGINT/SIGTERM asks to stop."""
    return Selection(include=params.get("include") or "", exclude=params.get("exclude") or "",
                     category=params.get("category") or "", stop=STOP.is_set)


def _on_signal(signum: int, _frame: FrameType | None) -> None:
    STOP.set()
    stderr.print(f"{signal.Signals(signum).name}: finishing the item in hand, then stopping")


def repeat(ctx: click.Context, url: str | None, every: float | None) -> NoReturn:
    """Sync ``url`` (or every source on the watch list), once or every ``every`` seconds."""
    STOP.clear()
    previous = {signum: signal.signal(signum, _on_signal)
                for signum in (signal.SIGINT, signal.SIGTERM)}
    try:
        worst = _rounds(ctx, url, every)
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    sys.exit(EXIT_OK if every is not None else worst)


def _rounds(ctx: click.Context, url: str | None, every: float | None) -> int:
    """Run the syncs (once, or every ``every`` seconds until stopped); the worst exit code."""
    worst = EXIT_OK
    while True:
        for target, changes in _targets(ctx.params, url):
            if STOP.is_set():
                break
            try:
                ctx.invoke(ctx.command, **{**ctx.params, "site_url": target, "every": None,
                                            **changes})
            except SystemExit as exc:
                worst = max(worst, exc.code if isinstance(exc.code, int) else 1)
        if every is None or STOP.wait(every):
            return worst


def _targets(params: dict[str, Any], url: str | None) -> list[tuple[str, dict[str, Any]]]:
    if url is not None:
        return [(url, {})]
    with open_store(load_settings(params)) as store:
        listed = WatchList(store).sources()
    if not listed:
        fail("no URL given and the watch list is empty: add sources with `redraft sources "
             "add URL` (or import an OPML file), or give a URL")
    return [(source.url, _options(source)) for source in listed]


def _options(source: Watched) -> dict[str, Any]:
    changes: dict[str, Any] = {"include": source.include, "exclude": source.exclude,
                               "category": source.category}
    if source.budget:
        kind, value = source.budget.split("=", 1)
        changes.update({"ratio": None, "words": None, "sentences": None,
                        kind: float(value) if kind == "ratio" else int(value)})
    if source.language:
        changes["language"] = source.language
    return changes
