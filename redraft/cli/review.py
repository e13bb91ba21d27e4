"""``redraft review``: the review app on this machine (a web page to read, fix, approve and
publish drafts).

The app is the other face, :mod:`redraft.web`, in the optional ``web`` extra, and a program of
its own (``python -m redraft.web``): faces never import each other, so this command checks that
the extra is installed and runs that program with the same options, in the foreground.
"""

from __future__ import annotations

import importlib.util
import signal
import subprocess
import sys
from typing import Any

import click

from redraft.cli.common import common_options, fail

# After an interrupt, how long the app gets to stop on its own (a terminal's Ctrl-C reaches it
# directly) before this command passes the interrupt on.
GRACE_S = 5.0


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="The address to listen on; any but loopback needs REDRAFT_REVIEW_TOKEN.")
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
    if importlib.util.find_spec("flask") is None:
        fail("the review app needs the web extra: pip install 'redraft[web]'")
    args = ["--host", host, "--port", str(port)]
    for name, value in (("--to", target), ("--who", who), ("--db", params["db"]),
                        ("--config", params["config_path"])):
        if value is not None:
            args += [name, str(value)]
    args += ["-v"] * params["verbose"]
    command = [sys.executable, "-m", "redraft.web", *args]
    with subprocess.Popen(command) as server:
        try:
            code = server.wait()
        except KeyboardInterrupt:  # a terminal's Ctrl-C reaches the app too: let it finish
            try:
                code = server.wait(timeout=GRACE_S)
            except subprocess.TimeoutExpired:  # the interrupt was sent to this process alone
                server.send_signal(signal.SIGINT)
                code = server.wait()
    sys.exit(0 if code < 0 else code)
