"""The CLI's error boundary and what it may print: no traceback, no terminal escape, no markup.

Every command runs inside :class:`BoundaryGroup`: a :class:`RedraftError` that reaches it
becomes its message and its exit code; anything else (a bug) becomes one line naming the
exception, the item in hand when the pipeline knows it, and how to see the traceback (``-v``).
Text from outside (titles, links, ids, paths, error messages) goes through :func:`printable`
before it reaches a terminal, and through :func:`markup_safe` before rich parses it.
"""

from __future__ import annotations

import logging
import re
import sys
import traceback
from typing import Any, NoReturn

import click
from rich.console import Console
from rich.markup import escape
from rich.text import Text

from redraft.errors import ConfigError, InputError, RedraftError
from redraft.pipeline import ITEM_NOTE

EXIT_OK = 0
EXIT_INCOMPLETE = 1  # some items were rejected (robots.txt refusals aside), failed or failed verification
EXIT_USAGE = 2  # bad options or unreadable input; click uses 2 for usage errors too
EXIT_INTERRUPTED = 130  # interrupted (Ctrl-C): what was done so far is kept

# No emoji codes: ":name:" in a title or a path is text, and the table of codes costs start-up.
stderr = Console(stderr=True, highlight=False, emoji=False)

# C0 controls but tab and newline, DEL, the C1 controls (CSI, OSC... in 8-bit form), and the
# bidirectional overrides that can disguise a line: none of them is text a reader should get.
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_SURROGATES = re.compile("[\ud800-\udfff]")
# What a line of text becomes: no newline either (one message, one line).
_LINE_BREAKS = re.compile("[\t\n]+")


def printable(text: str, *, one_line: bool = False) -> str:
    """``text`` without control characters or escape sequences (their ESC is removed, so the
    rest is harmless text), lone surrogates replaced by U+FFFD; one line when asked."""
    text = _SURROGATES.sub("\ufffd", _CONTROLS.sub("", text))
    return _LINE_BREAKS.sub(" ", text) if one_line else text


def echo(text: str) -> None:
    """Print a line of output (a verdict, a JSON record) on standard output, printable."""
    click.echo(printable(text))


def markup_safe(text: object) -> str:
    """``text`` made printable and escaped for rich markup (a path with ``[`` stays a path)."""
    return escape(printable(str(text)))


def fail(message: str, code: int = EXIT_USAGE) -> NoReturn:
    """Print an error for people and exit with ``code``."""
    stderr.print(Text.assemble(("error: ", "bold red"), printable(message)), soft_wrap=True)
    sys.exit(code)


def exit_code(error: RedraftError) -> int:
    """The exit status for an error that stopped a command."""
    return EXIT_USAGE if isinstance(error, ConfigError | InputError) else EXIT_INCOMPLETE


def item_note(error: BaseException) -> str:
    """The item the pipeline was working on when ``error`` was raised, if it said so."""
    for note in getattr(error, "__notes__", ()):
        if isinstance(note, str) and note.startswith(ITEM_NOTE):
            return note.removeprefix(ITEM_NOTE)
    return ""


def _unexpected(error: Exception) -> NoReturn:
    verbose = logging.getLogger("redraft").isEnabledFor(logging.INFO)
    if verbose:
        stderr.print(Text(printable("".join(traceback.format_exception(error)))))
    item = item_note(error)
    where = f" while working on {item}" if item else ""
    detail = printable(str(error), one_line=True)
    hint = "" if verbose else "; run again with -v for the traceback"
    fail(f"unexpected {type(error).__name__}{where}: {detail or 'no detail'}{hint}. "
         "This is a bug in redraft: please report it with the traceback.", EXIT_INCOMPLETE)


class BoundaryGroup(click.Group):
    """A command group whose commands never end in a Python traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit):
            raise
        except KeyboardInterrupt:
            fail("interrupted; everything done so far is stored, run it again to go on",
                 EXIT_INTERRUPTED)
        except RedraftError as error:
            item = item_note(error)
            message = str(error) if not item or item in str(error) else f"{item}: {error}"
            fail(message, exit_code(error))
        except OSError as error:  # a file or directory the command could not use
            item = item_note(error)
            where = f" {error.filename}" if error.filename else ""
            fail(f"{item + ': ' if item else ''}cannot write or read{where}: "
                 f"{error.strerror or error}; check the path, its permissions and the free "
                 "space on its disk", EXIT_INCOMPLETE)
        except Exception as error:  # noqa: BLE001 (the boundary: one line, never a traceback)
            _unexpected(error)
