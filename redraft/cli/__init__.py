"""The ``redraft`` command line: one thin command per job, all calling the library."""

from __future__ import annotations

import gc
import importlib
import os
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


# The young generation's threshold for a command-line run (Python's default is 700). A run
# makes many small short-lived objects, freed by reference counting, and few reference cycles
# (about 1,600 over 1,000 posts): at 700 the collector ran 88 times over 1,000 posts, for 0.058 s
# of CPU, and found almost nothing; at 10,000 it runs 3 times, for 0.006 s. Peak memory stays
# flat in the number of posts (the garbage a collection waits for is a few MiB at most). The
# frozen modules also spare the interpreter's last collection, at exit, most of its scan.
_YOUNG_THRESHOLD = 10_000


# The BLAS libraries numpy may load (OpenBLAS in its wheels, MKL, BLIS, Apple's Accelerate) start
# a thread per core, and OpenBLAS splits even the language scorer's small product over them,
# whose threads then spin waiting for more: 0.19 s of CPU over the 502 posts of wp-posts on two
# cores (8% of the run), more on more cores, for no gain in time. A run's parallelism is its
# worker processes (--workers), each with one BLAS thread. A value the user set is kept.
BLAS_THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS",
                         "VECLIB_MAXIMUM_THREADS")


def one_blas_thread() -> None:
    """Give the BLAS library numpy loads later in this process (and in the workers it starts)
    one thread, unless the user chose otherwise: set before numpy is imported, since the
    libraries read these variables when they load."""
    for name in BLAS_THREAD_VARIABLES:
        os.environ.setdefault(name, "1")


def tune_collector() -> None:
    """Set the garbage collector for one command-line run: what is loaded by now (the modules,
    their functions and tables, kept to the end) moves to the permanent generation, which no
    collection scans again, and young objects are collected less often. Worker processes
    forked after this (on Linux, from a process running no other thread) inherit both; a
    worker started fresh (spawn: macOS, Windows) keeps Python's defaults."""
    gc.freeze()
    _, middle, old = gc.get_threshold()
    gc.set_threshold(_YOUNG_THRESHOLD, middle, old)


class LazyGroup(BoundaryGroup):
    """The CLI's error boundary, with commands imported when asked for; ``commands`` imports
    them all."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """Run the command line; called with no arguments (``redraft``, ``python -m redraft``),
        this process is the run's, so its BLAS threads and garbage collector are set for it
        first, and the collector frozen at the end (a caller passing arguments, such as a
        test, keeps its own)."""
        if args or kwargs:
            return self.main(*args, **kwargs)
        one_blas_thread()
        tune_collector()
        try:
            return self.main()
        finally:
            # The process ends here (click's main exits): the interpreter's last collection
            # would scan every object still loaded only to free memory the system takes back
            # anyway (0.03 s of CPU after 502 posts); the store, the files and the workers are
            # closed by now, by their commands.
            gc.freeze()

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
