"""``redraft sources``: the watch list that ``redraft sync`` reads when given no URL."""

from __future__ import annotations

import json
import re
from dataclasses import asdict
from pathlib import Path
from typing import Any

import click

from redraft.cli.common import common_options, fail, load_settings, open_store, stderr
from redraft.errors import InputError
from redraft.sources.opml import OPTIONS as OPML_OPTIONS
from redraft.sources.opml import Subscription, read_opml, write_opml
from redraft.store import Store
from redraft.store.watchlist import Watched, WatchList

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
