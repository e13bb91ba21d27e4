"""The ``redraft`` command line: one thin command per job, all calling the library."""

from __future__ import annotations

import click

from redraft._version import __version__
from redraft.cli.boundary import BoundaryGroup
from redraft.cli.desk import approve, drafts, reject
from redraft.cli.extract import extract_command
from redraft.cli.publish import publish
from redraft.cli.review import review
from redraft.cli.rewrite import rewrite
from redraft.cli.sources import sources_group
from redraft.cli.status import status
from redraft.cli.stories import stories
from redraft.cli.sync import sync
from redraft.cli.verify import verify_command


@click.group(cls=BoundaryGroup,
             context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="redraft")
def main() -> None:
    """redraft turns news posts into clean, condensed, faithful rewrites.

    Typical use: `redraft rewrite posts.json --out out/` (local input), `redraft sync
    https://example.org` (a WordPress site), `redraft publish --to https://my.site`.
    """


main.add_command(rewrite)
main.add_command(verify_command)
main.add_command(status)
main.add_command(stories)
main.add_command(sync)
main.add_command(publish)
main.add_command(drafts)
main.add_command(approve)
main.add_command(reject)
main.add_command(review)
main.add_command(extract_command)
main.add_command(sources_group)

__all__ = ["main"]
