"""The review app as a program: ``python -m redraft.web`` (what ``redraft review`` runs).

It loads the settings (defaults, config file, environment, options), refuses what is unsafe
(another address than loopback without a token; a database that does not exist), builds the
app and serves it until Ctrl-C.
"""

from __future__ import annotations

import getpass
import logging
import os
import sys
from pathlib import Path
from typing import NoReturn

import click
from flask import Flask
from werkzeug.serving import make_server

from redraft.config import load_config
from redraft.errors import ConfigError
from redraft.sinks.wordpress import MISSING_CREDENTIALS, Credentials
from redraft.web.app import ReviewConfig, create_app
from redraft.web.publishing import Target
from redraft.web.security import is_loopback

TOKEN_VARIABLE = "REDRAFT_REVIEW_TOKEN"
EXIT_USAGE = 2  # as the CLI: bad usage or configuration


def fail(message: str) -> NoReturn:
    click.echo(f"error: {message}", err=True)
    sys.exit(EXIT_USAGE)


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=click.IntRange(0, 65535), default=8765, show_default=True)
@click.option("--to", "target", metavar="SITE", default=None)
@click.option("--who", default=None)
@click.option("--db", type=click.Path(dir_okay=False, path_type=Path), default=None)
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("-v", "--verbose", count=True)
def main(*, host: str, port: int, target: str | None, who: str | None, db: Path | None,
         config_path: Path | None, verbose: int) -> None:
    """Serve the review app (see `redraft review --help`)."""
    logging.basicConfig(level=logging.WARNING if verbose == 0 else logging.INFO,
                        format="%(levelname)s %(name)s: %(message)s")
    try:
        settings = load_config(config_path, os.environ)
    except ConfigError as exc:
        fail(str(exc))
    path = db or settings.db
    if not Path(path).is_file():
        fail(f"no database at {path}: run `redraft sync` or `redraft rewrite` first, or pass --db")
    token = os.environ.get(TOKEN_VARIABLE) or None
    if not is_loopback(host):
        if token is None:
            fail(f"--host {host} makes the page reachable from other machines: set "
                 f"{TOKEN_VARIABLE} to a long random token first (or keep 127.0.0.1)")
        click.echo(f"warning: listening on {host}: anyone who can reach it and knows the token "
                   "can edit and publish; the traffic is not encrypted", err=True)
    publish_to = None
    if target is not None:
        credentials = Credentials.from_environment(os.environ)
        if credentials is None:
            fail(f"{MISSING_CREDENTIALS} to publish with --to")
        publish_to = Target(target, credentials.user, credentials.password, http=settings.http)
    editor = who or os.environ.get("REDRAFT_EDITOR") or getpass.getuser()
    serve(create_app(ReviewConfig(Path(path), editor, token=token, target=publish_to)),
          host, port)


def serve(app: Flask, host: str, port: int) -> None:
    """Serve ``app`` until Ctrl-C, saying where."""
    try:
        server = make_server(host, port, app, threaded=True)
    except OSError as exc:
        fail(f"cannot listen on {host}:{port}: {exc.strerror or exc}; try another --port")
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"redraft review on http://{shown}:{server.server_port}/ (Ctrl-C stops it)",
               err=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
