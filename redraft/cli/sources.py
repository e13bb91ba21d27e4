"""``redraft sync`` of anything that is not a WordPress site's API: a feed, a sitemap, a home
page's feed or sitemap, or one article page (see :mod:`redraft.sources.site`)."""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import asdict, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NoReturn

import click

from redraft.cli.common import (
    EXIT_INCOMPLETE,
    EXIT_OK,
    build_engines,
    common_options,
    drafting,
    fail,
    file_sink,
    load_settings,
    open_store,
    print_summary,
    progress_bar,
    stderr,
)
from redraft.cli.watch import STOP, selection
from redraft.config import Settings
from redraft.errors import EngineAuthError, FetchError, InputError
from redraft.http import Retrier
from redraft.pipeline import run
from redraft.pipeline.syncing import left_out_early, selected
from redraft.records import Entry
from redraft.sources import SourceItem
from redraft.sources.discover import Found, identify
from redraft.sources.opml import OPTIONS as OPML_OPTIONS
from redraft.sources.opml import Subscription, read_opml, write_opml
from redraft.sources.robots import Robots
from redraft.sources.site import SiteOptions, SiteSource
from redraft.store import Store
from redraft.store.watchlist import Watched, WatchList
from redraft.wp.api import site_key, site_url, web_site_key


def parse_date(_ctx: click.Context, _param: click.Parameter, value: str | None) -> datetime | None:
    """A ``--published`` date: ISO 8601; without a zone it is UTC."""
    if value is None:
        return None
    try:
        when = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise click.BadParameter(f"{value!r} is not a date such as 2025-05-01") from exc
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when


def credited(items: Iterable[SourceItem], *, title: str | None, url: str | None,
             published: datetime | None) -> Iterator[SourceItem]:
    """Entries with the title, address and date given on the command line (they win over the
    file's own), so a plain-text article can carry its credit."""
    changes: dict[str, Any] = {name: value for name, value in
                               (("title", title), ("url", url), ("published", published))
                               if value is not None}
    for item in items:
        yield replace(item, **changes) if changes and isinstance(item, Entry) else item


def find_source(retrier: Retrier, url: str, robots: Robots, settings: Settings, *,
                force: bool = False) -> Found:
    """What ``url`` is (a WordPress site, a feed, a sitemap, a page), said on standard error.

    What an address turned out to be is kept with its site, so a later sync of the same
    address asks nothing before its conditional request (``force`` finds out again)."""
    found = None if force else _remembered(settings, url)
    try:
        found = found or identify(retrier, url, robots)
    except FetchError as exc:
        fail(str(exc), code=EXIT_INCOMPLETE)
    stderr.print(f"{url}: {found.how} → {found.url}", soft_wrap=True)
    return found


def _remembered(settings: Settings, url: str) -> Found | None:
    if not Path(settings.db).exists():
        return None
    with open_store(settings) as store:
        wordpress = store.site(site_key(url))
        known = store.site(web_site_key(url))
    if wordpress is not None and wordpress.api_root:
        return Found("wordpress", site_url(url), url, "a WordPress site (remembered)")
    seen = (known.state.get("addresses") or {}).get(url) if known else None
    if not isinstance(seen, dict) or seen.get("kind") not in ("feed", "sitemap", "page"):
        return None
    return Found(seen["kind"], str(seen["url"]), url, f"{seen.get('how', 'known')} (remembered)")


def sync_web(found: Found, retrier: Retrier, robots: Robots, settings: Settings,
             params: dict[str, Any], *, limit: int | None) -> NoReturn:
    """Sync a feed, sitemap or page, print the summary and exit."""
    out: Path | None = params["out"]
    sinks = [file_sink(params["fmt"], out)] if out else []
    engines = build_engines(settings, retrier.client)
    try:
        with open_store(settings) as store:
            source = _source(found, retrier, robots, store, params=params, limit=limit)
            with progress_bar(limit, f"syncing {source.name}") as progress:
                items = selected(source.entries(), selection(params))
                report = drafting(settings, params, store=store, engines=engines, sinks=sinks,
                                  work=lambda options: run(
                                      items, engines=engines, store=store, sinks=sinks,
                                      options=options, progress=progress))
            complete = source.checkpoint().complete
            with store.transaction():
                store.save_site(source.name, synced=complete, state=_state(source, store))
    except EngineAuthError as exc:
        fail(str(exc), code=EXIT_INCOMPLETE)
    finally:
        for sink in sinks:
            sink.close()
    print_summary(report, title=f"redraft sync {source.name} → {out or settings.db}")
    counts = source.counts
    stderr.print(f"text from the feed {counts['feed']}, from fetched pages {counts['page']}, "
                 f"pages already stored {counts['skipped']}, disallowed by robots.txt "
                 f"{counts['disallowed']}"
                 + (f", left out by the source's words before fetching {counts['left_out']}"
                    if counts["left_out"] else "")
                 + ("; the feed has not changed" if source.unchanged else ""), soft_wrap=True)
    sys.exit(EXIT_OK if report.ok and complete else EXIT_INCOMPLETE)


def _source(found: Found, retrier: Retrier, robots: Robots, store: Store, *,
            params: dict[str, Any], limit: int | None) -> SiteSource:
    known = store.site(web_site_key(found.given))
    validators = (known.state.get("validators") or {}) if known else {}
    chosen = selection(params)
    return SiteSource(retrier, found, robots=robots, options=SiteOptions(
        validators=validators, known=lambda key: store.entry(key) is not None,
        force=params["force"], delay=params.get("delay") or 0.0, limit=limit,
        sleep=STOP.wait, stop=STOP.is_set,
        left_out=lambda known: left_out_early(chosen, known)))


def _state(source: SiteSource, store: Store) -> dict[str, Any]:
    """The site's state to keep: new validators only when every item was handled (an
    interrupted sync keeps the old ones, so its unread items are read next time)."""
    known = store.site(source.name)
    old = (known.state.get("validators") or {}) if known else {}
    complete = source.checkpoint().complete
    found = source.found
    addresses = dict((known.state.get("addresses") or {}) if known else {})
    addresses[found.given] = {"kind": found.kind, "url": found.url,
                              "how": found.how.removesuffix(" (remembered)")}
    return {"kind": found.kind, "url": found.url, "addresses": addresses,
            "validators": source.validators if complete else old, "counts": source.counts}


# --- the watch list: redraft sources ... -----------------------------------------------------

_BUDGET = re.compile(r"^(words|sentences|ratio)=(\d+(?:\.\d+)?)$")


@click.group("sources")
def sources_group() -> None:
    """The watch list: the sources `redraft sync` reads when given no URL."""


def _watch_list(db: Path | None, config_path: Path | None) -> Store:
    settings = load_settings({"db": db, "config_path": config_path})
    return open_store(settings)


@sources_group.command("add")
@click.argument("url")
@click.option("--name", default="", help="A label for people.")
@click.option("--category", default="", help="A category path such as News/Local.")
@click.option("--language", default="", help="The language of its articles (default: detected).")
@click.option("--include", default="", metavar="WORDS",
              help="Comma-separated words: only items with one of them are drafted.")
@click.option("--exclude", default="", metavar="WORDS",
              help="Comma-separated words: items with one of them are skipped.")
@click.option("--budget", default="", metavar="KIND=N",
              help="This source's length: words=N, sentences=N or ratio=R.")
@common_options
def sources_add(url: str, **params: Any) -> None:
    """Add a site, feed or sitemap to the watch list (or change its options)."""
    if params["budget"] and not _BUDGET.match(params["budget"]):
        fail(f"--budget {params['budget']!r}: give words=N, sentences=N or ratio=R")
    if "://" not in url:
        url = "https://" + url
    with _watch_list(params["db"], params["config_path"]) as store, store.transaction():
        WatchList(store).add(Watched(url, *(params[k] for k in
                                            ("name", "category", "language", "include",
                                             "exclude", "budget"))))
    click.echo(f"watching {url}")


@sources_group.command("list")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per source.")
@common_options
def sources_list(as_json: bool, **params: Any) -> None:
    """List the watch list."""
    with _watch_list(params["db"], params["config_path"]) as store:
        listed = WatchList(store).sources()
    for source in listed:
        if as_json:
            click.echo(json.dumps(asdict(source), ensure_ascii=False))
        else:
            extra = ", ".join(f"{k}={v}" for k, v in asdict(source).items() if v and k != "url")
            click.echo(source.url + (f"  ({extra})" if extra else ""))


@sources_group.command("remove")
@click.argument("url")
@common_options
def sources_remove(url: str, **params: Any) -> None:
    """Remove a source (by URL or name) from the watch list; its drafts stay in the store."""
    with _watch_list(params["db"], params["config_path"]) as store, store.transaction():
        removed = WatchList(store).remove(url)
    if not removed:
        fail(f"{url} is not on the watch list (see `redraft sources list`)")
    click.echo(f"no longer watching {url}")


@sources_group.command("import")
@click.argument("opml_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@common_options
def sources_import(opml_file: Path, **params: Any) -> None:
    """Add every feed of an OPML file (folders become categories).

    A feed already on the list takes the file's name and category and keeps its other
    options unless the file gives them (as `sources export` writes them)."""
    try:
        found = read_opml(opml_file.read_bytes(), label=str(opml_file))
    except InputError as exc:
        fail(str(exc))
    with _watch_list(params["db"], params["config_path"]) as store, store.transaction():
        watch_list = WatchList(store)
        listed = {source.url: source for source in watch_list.sources()}
        for sub in found.subscriptions:
            watch_list.add(_watched(sub, listed.get(sub.url)))
    click.echo(f"{len(found.subscriptions)} sources imported from {opml_file}")
    if found.duplicates:
        stderr.print(f"listed twice, kept in their first folder: {', '.join(found.duplicates)}",
                     soft_wrap=True, markup=False)
    if found.skipped:
        stderr.print(f"sites without a feed address (xmlUrl), left out: "
                     f"{', '.join(found.skipped)}; `redraft sources add URL` finds a site's "
                     "feed", soft_wrap=True, markup=False)


def _watched(sub: Subscription, old: Watched | None) -> Watched:
    options = {name: sub.options.get(name) or (getattr(old, name) if old else "")
               for name in ("language", *OPML_OPTIONS)}
    return Watched(sub.url, name=sub.title or (old.name if old else ""), category=sub.category,
                   **options)


@sources_group.command("export")
@common_options
def sources_export(**params: Any) -> None:
    """Print the watch list as OPML 2.0 (categories as nested folders; redraft's options as
    attributes of its own, which other readers ignore)."""
    with _watch_list(params["db"], params["config_path"]) as store:
        listed = WatchList(store).sources()
    click.echo(write_opml(Subscription(s.url, s.name, s.category, {
        name: getattr(s, name) for name in ("language", *OPML_OPTIONS) if getattr(s, name)})
        for s in listed), nl=False)
