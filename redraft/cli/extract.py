"""``redraft extract``: print the clean article redraft would condense, from files or URLs."""

from __future__ import annotations

import contextlib
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from redraft.cli.common import EXIT_INCOMPLETE, EXIT_OK, fail, http_client, setup_logging
from redraft.config import load_config
from redraft.errors import ConfigError, InputError, RedraftError
from redraft.extract import extract as extract_article
from redraft.records import Article
from redraft.sources import SourceItem
from redraft.sources.files import FileSource

if TYPE_CHECKING:
    from redraft.http import Retrier

_URL_SCHEMES = ("http://", "https://")


@click.command("extract")
@click.argument("inputs", nargs=-1, required=True, metavar="FILE|URL...")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Plain text for people, or one JSON object per line.")
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path),
              help="A TOML config file (default: ./redraft.toml if present).")
@click.option("-v", "--verbose", count=True, help="More log output (-vv for debug).")
def extract_command(inputs: tuple[str, ...], fmt: str, config_path: Path | None,
                    verbose: int) -> None:
    """Print the article text redraft would condense: title, date, paragraphs.

    FILE is a WordPress REST post (JSON), an HTML page or fragment, or a text file; URL is a
    web page, fetched once. Boilerplate (menus, share buttons, related links, plugin output)
    is left out exactly as `rewrite` and `sync` leave it out.
    """
    setup_logging(verbose)
    try:
        settings = load_config(config_path, os.environ)
    except ConfigError as exc:
        fail(str(exc))
    failures = 0
    # A client (and httpx) only when a URL is given: files are read offline.
    remote = any(raw.lower().startswith(_URL_SCHEMES) for raw in inputs)
    with http_client(settings.http) if remote else contextlib.nullcontext() as client:
        retrier = None
        if client is not None:
            from redraft.http import Retrier  # noqa: PLC0415

            retrier = Retrier(client, settings.http)
        for item in _items(inputs, retrier):
            if isinstance(item, RedraftError):
                failures += 1
                click.echo(f"error: {item}", err=True)
                continue
            try:
                article = extract_article(item, settings.extract)
            except RedraftError as exc:
                failures += 1
                click.echo(f"error: {item.source}: {exc}", err=True)
                continue
            click.echo(_render(article, fmt))
    sys.exit(EXIT_INCOMPLETE if failures else EXIT_OK)


def _items(inputs: tuple[str, ...], retrier: Retrier | None) -> Iterator[SourceItem | InputError]:
    for raw in inputs:
        if raw.lower().startswith(_URL_SCHEMES):
            from redraft.sources.web import fetch_page  # noqa: PLC0415

            assert retrier is not None  # a URL among the inputs made one
            yield fetch_page(retrier, raw, source=raw)
            continue
        try:
            yield from FileSource([raw], stdin=sys.stdin.buffer).entries()
        except InputError as exc:
            yield exc


def _render(article: Article, fmt: str) -> str:
    entry = article.entry
    paragraphs = list(article.paragraphs)
    if fmt == "json":
        record: dict[str, Any] = {
            "source": entry.url or entry.source, "title": entry.title,
            "published": entry.published.isoformat() if entry.published else None,
            "language": article.language, "paragraphs": paragraphs,
            "text": "\n\n".join(paragraphs),
        }
        return json.dumps(record, ensure_ascii=False)
    head = [entry.title] if entry.title else []
    if entry.published:
        head.append(entry.published.date().isoformat())
    return "\n\n".join(["\n".join(head), *paragraphs]).strip() + "\n"
