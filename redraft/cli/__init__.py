"""The ``redraft`` command line: one thin command per job, all calling the library."""

from __future__ import annotations

import click

from redraft._version import __version__
from redraft.cli.batch import batch
from redraft.cli.desk import approve, drafts, reject
from redraft.cli.publish import publish
from redraft.cli.rewrite import rewrite
from redraft.cli.status import status
from redraft.cli.sync import sync
from redraft.cli.verify import verify_command


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="redraft")
def main() -> None:
    """redraft turns news posts into clean, condensed, faithful rewrites.

    Typical use: `redraft rewrite posts.json --out out/` (local input), `redraft sync
    https://example.org` (a WordPress site), `redraft publish --to https://my.site`.
    """


main.add_command(rewrite)
main.add_command(verify_command)
main.add_command(status)
main.add_command(sync)
main.add_command(publish)
main.add_command(drafts)
main.add_command(approve)
main.add_command(reject)
main.add_command(batch)

__all__ = ["main"]
