"""``redraft review``: the review app on this machine (a web page to read, fix, approve and
publish drafts)."""

from __future__ import annotations

import getpass
import logging
import os
from pathlib import Path
from typing import Any

import click

from redraft.cli.common import common_options, fail, load_settings, setup_logging, stderr

USER_VARIABLE = "REDRAFT_WP_USER"
PASSWORD_VARIABLE = "REDRAFT_WP_APP_PASSWORD"
TOKEN_VARIABLE = "REDRAFT_REVIEW_TOKEN"


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="The address to listen on; another than loopback needs REDRAFT_REVIEW_TOKEN.")
@click.option("--port", type=click.IntRange(0, 65535), default=8765, show_default=True,
              help="The port to listen on.")
@click.option("--to", "target", metavar="SITE", default=None,
              help="The WordPress site approved drafts are published to (credentials from "
                   "REDRAFT_WP_USER and REDRAFT_WP_APP_PASSWORD).")
@click.option("--who", default=None, help="Who edits and decides (default: REDRAFT_EDITOR, "
                                          "else the user).")
@common_options
def review(host: str, port: int, target: str | None, who: str | None, **params: Any) -> None:
    """Open the review page: the drafts newest first, each beside its source with every
    sentence linked to its evidence; edit (verified again), approve, reject, publish.

    Binds 127.0.0.1 by default. Listening on another address requires a token in
    REDRAFT_REVIEW_TOKEN, asked for at sign-in. Needs the web extra:
    pip install 'redraft[web]'.
    """
    setup_logging(params["verbose"])
    if not params["verbose"]:  # one log line per request only with -v
        logging.getLogger("werkzeug").setLevel(logging.WARNING)
    settings = load_settings(params)
    try:  # the web extra is optional: the rest of the CLI loads without Flask
        from redraft.web import ReviewConfig, Target, create_app  # noqa: PLC0415
        from redraft.web.security import is_loopback  # noqa: PLC0415
    except ImportError:
        fail("the review app needs the web extra: pip install 'redraft[web]'")
    if not Path(settings.db).is_file():
        fail(f"no database at {settings.db}: run `redraft sync` or `redraft rewrite` first, "
             "or pass --db")
    token = os.environ.get(TOKEN_VARIABLE) or None
    if not is_loopback(host):
        if token is None:
            fail(f"--host {host} makes the page reachable from other machines: set "
                 f"{TOKEN_VARIABLE} to a long random token first (or keep 127.0.0.1)")
        stderr.print(f"warning: listening on {host}: anyone who can reach it and knows the "
                     "token can edit and publish; the traffic is not encrypted", markup=False)
    publish_to = None
    if target is not None:
        user, password = os.environ.get(USER_VARIABLE, ""), os.environ.get(PASSWORD_VARIABLE, "")
        if not user or not password:
            fail(f"set {USER_VARIABLE} and {PASSWORD_VARIABLE} (an application password) "
                 "to publish with --to")
        publish_to = Target(target, user, password, http=settings.http)
    editor = who or os.environ.get("REDRAFT_EDITOR") or getpass.getuser()
    app = create_app(ReviewConfig(Path(settings.db), editor, token=token, target=publish_to))
    serve(app, host, port)


def serve(app: Any, host: str, port: int) -> None:
    """Serve until Ctrl-C, saying where."""
    from werkzeug.serving import make_server  # noqa: PLC0415 (the web extra)

    try:
        server = make_server(host, port, app, threaded=True)
    except OSError as exc:
        fail(f"cannot listen on {host}:{port}: {exc.strerror or exc}; try another --port")
    shown = f"[{host}]" if ":" in host else host
    stderr.print(f"redraft review on http://{shown}:{server.server_port}/ (Ctrl-C stops it)",
                 markup=False)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
