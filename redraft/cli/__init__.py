"""The ``redraft`` command line: one thin command per job, all calling the library."""

from __future__ import annotations

import importlib
from typing import Any

import click

from redraft._version import __version__
from redraft.cli.boundary import BoundaryGroup

# Each command's module and function, imported only when that command runs (or is listed in
# help): `redraft rewrite` need not import httpx, feedparser, Flask or Ray to start.
COMMANDS = {
    "rewrite": ("redraft.cli.rewrite", "rewrite"),
    "verify": ("redraft.cli.verify", "verify_command"),
    "status": ("redraft.cli.status", "status"),
    "stories": ("redraft.cli.stories", "stories"),
    "sync": ("redraft.cli.sync", "sync"),
    "publish": ("redraft.cli.publish", "publish"),
    "drafts": ("redraft.cli.desk", "drafts"),
    "approve": ("redraft.cli.desk", "approve"),
    "reject": ("redraft.cli.desk", "reject"),
    "review": ("redraft.cli.review", "review"),
    "batch": ("redraft.cli.batch", "batch"),
    "extract": ("redraft.cli.extract", "extract_command"),
    "sources": ("redraft.cli.sources", "sources_group"),
}


class LazyGroup(BoundaryGroup):
    """The CLI's error boundary, with commands imported when asked for; ``commands`` imports
    them all."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        module, name = COMMANDS[cmd_name]
        command = getattr(importlib.import_module(module), name)
        assert isinstance(command, click.Command)
        return command

    @property  # type: ignore[override]
    def commands(self) -> dict[str, click.Command]:
        context = click.Context(self)
        return {name: command for name in COMMANDS
                if (command := self.get_command(context, name)) is not None}

    @commands.setter
    def commands(self, _value: Any) -> None:
        """Click's constructor sets the commands; this group only has those of COMMANDS."""


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"],
                                              "max_content_width": 100})
@click.version_option(__version__, prog_name="redraft")
def main() -> None:
    """redraft turns news posts into clean, condensed, faithful rewrites.

    Typical use: `redraft rewrite posts.json --out out/` (local input), `redraft sync
    https://example.org` (a WordPress site), `redraft publish --to https://my.site`.
    """


__all__ = ["main"]
