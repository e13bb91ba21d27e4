"""The end-of-run summary draws its rows as rich's table draws them, without the table when
they fit (:func:`redraft.cli.common.print_rows`)."""

from __future__ import annotations

import io
import random

import pytest
from rich.console import Console
from rich.table import Table

from redraft.cli import common
from redraft.cli.boundary import markup_safe

PIECES = ("0", "12", "drafted", "rejected", "too-short", "(already done; --force redoes them)",
          "記事", "ข่าววันนี้", "café", "naïve", "🙂", "a  b", " lead", "trail ", "[x]", "\\",
          ":smile:", "—", "x" * 30, "", "e\u0301", "👨‍👩‍👧", "a\u200bb", "ｆｕｌｌ")
# What the table draws itself: markup with a style, a tab, a line break.
RARE = ("[bold]b[/bold]", "tab\there", "line\nbreak")


def console(width: int, terminal: bool) -> Console:
    return Console(file=io.StringIO(), width=width, force_terminal=terminal,
                   color_system="truecolor" if terminal else None, highlight=False,
                   emoji=False)


def drawn(rows: list[tuple[str, str]], width: int, terminal: bool, *, table: bool,
          monkeypatch: pytest.MonkeyPatch) -> str:
    out = console(width, terminal)
    if table:
        grid = Table(show_header=False, box=None)
        for row in rows:
            grid.add_row(*row)
        out.print(grid)
    else:
        monkeypatch.setattr(common, "stderr", out)
        common.print_rows(rows)
    assert isinstance(out.file, io.StringIO)
    return out.file.getvalue()


def random_rows(rng: random.Random) -> list[tuple[str, str]]:
    def cell() -> str:
        text = " ".join(rng.choice(RARE if rng.random() < 0.03 else PIECES)
                        for _ in range(rng.randint(1, 3)))
        return markup_safe(text) if rng.random() < 0.5 else text
    return [(cell(), cell()) for _ in range(rng.randint(1, 6))]


@pytest.mark.parametrize("terminal", [False, True])
def test_rows_are_drawn_as_the_table_draws_them(terminal: bool,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(7)
    for _ in range(300):
        rows = random_rows(rng)
        for width in (12, 30, 47, 80, 200):
            assert drawn(rows, width, terminal, table=False, monkeypatch=monkeypatch) == \
                drawn(rows, width, terminal, table=True, monkeypatch=monkeypatch), (rows, width)


@pytest.mark.parametrize("terminal", [False, True])
def test_a_table_as_wide_as_the_console_is_drawn_as_the_table_draws_it(
        terminal: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    rows = [("drafted", "3 (3 passed verification, 0 failed)"), ("unchanged", "0")]
    fits = len("unchanged") + len(rows[0][1]) + 4
    for width in (fits - 1, fits, fits + 1):
        assert drawn(rows, width, terminal, table=False, monkeypatch=monkeypatch) == \
            drawn(rows, width, terminal, table=True, monkeypatch=monkeypatch), width


def test_the_summary_rows_line_up_in_columns(
        monkeypatch: pytest.MonkeyPatch) -> None:
    out = console(80, False)
    monkeypatch.setattr(common, "stderr", out)
    common.print_rows([("drafted", "1 (1 passed verification, 0 failed)"), ("failed", "0")])
    assert isinstance(out.file, io.StringIO)
    assert out.file.getvalue() == (" drafted  1 (1 passed verification, 0 failed) \n"
                                   " failed   0                                   \n")
