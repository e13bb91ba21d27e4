"""What every command shares: settings from options, the objects built from them, progress
and the summary. Commands stay thin: load settings → build objects → call one function in
:mod:`redraft.pipeline` → print."""

from __future__ import annotations

import dataclasses
import logging
import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO, TypeVar, cast

import click
from rich.cells import cell_len
from rich.logging import RichHandler
from rich.text import Text

from redraft.cli.boundary import (
    EXIT_INCOMPLETE,
    EXIT_OK,
    EXIT_USAGE,
    echo,
    fail,
    markup_safe,
    printable,
    stderr,
)
from redraft.config import HttpOptions, Settings, load_config
from redraft.errors import ConfigError, EngineAuthError, RedraftError
from redraft.pipeline import Engines, ItemOutcome, Report, RunOptions
from redraft.records import Budget, BudgetKind
from redraft.sinks.files import OUTPUT_FORMATS, FileSink
from redraft.store import Store

if TYPE_CHECKING:
    import httpx
    from rich.progress import Progress

F = TypeVar("F", bound=Callable[..., Any])



class _PrintableHandler(RichHandler):
    """Log records as rich renders them, with control characters and escapes removed (a
    title or a link in a message cannot retitle the terminal)."""

    def format(self, record: logging.LogRecord) -> str:
        return printable(super().format(record))


def setup_logging(verbose: int) -> None:
    """Send the library's log records to standard error, as rich renders them."""
    level = logging.WARNING if verbose == 0 else logging.INFO if verbose == 1 else logging.DEBUG
    handler = _PrintableHandler(console=stderr, show_path=False, show_time=verbose > 1)
    logging.basicConfig(level=level, handlers=[handler], format="%(message)s", force=True)
    logging.getLogger("httpx").setLevel(logging.WARNING if verbose < 2 else logging.DEBUG)


# --- options ---------------------------------------------------------------------------------

def common_options(func: F) -> F:
    """``--db``, ``--config`` and ``-v`` for every command that uses the store."""
    func = click.option("-v", "--verbose", count=True, help="More log output (-vv for debug).")(func)
    func = click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path),
                        help="A TOML config file (default: ./redraft.toml if present).")(func)
    func = click.option("--db", type=click.Path(dir_okay=False, path_type=Path),
                        help="The SQLite state file (default: ./redraft.db, or $REDRAFT_DB).")(func)
    return func


def budget_options(func: F) -> F:
    """``--ratio`` / ``--words`` / ``--sentences``: one at most."""
    func = click.option("--sentences", type=click.IntRange(min=1),
                        help="Draft length in sentences.")(func)
    func = click.option("--words", type=click.IntRange(min=1),
                        help="Draft length in words (at most).")(func)
    func = click.option("--ratio", type=click.FloatRange(min=0, max=1, min_open=True),
                        help="Draft length as a share of the source's words, with no ceiling "
                             "(default: 0.35, at most 200 words).")(func)
    return func


def output_options(func: F) -> F:
    """``--format``, ``--out`` and ``--ascii``."""
    func = click.option("--ascii", "ascii_quotes", is_flag=True,
                        help="Straight quotes and plain dashes in the output.")(func)
    func = click.option("--out", type=click.Path(file_okay=False, path_type=Path),
                        help="Write files into this directory instead of standard output.")(func)
    func = click.option("--format", "fmt", type=click.Choice(OUTPUT_FORMATS), default="txt",
                        show_default=True, help="Output format.")(func)
    return func


def engine_options(func: F) -> F:
    """The engine and its settings (LLM server, failure policy, concurrency)."""
    func = click.option("--per-entry", is_flag=True,
                        help="One draft per post, not one per story.")(func)
    func = click.option("--merge-story", is_flag=True,
                        help="One draft per story from all its sources, each sentence "
                             "verified against its own source, every outlet credited.")(func)
    func = click.option("--force", is_flag=True,
                        help="Redo items even when nothing changed since the last run.")(func)
    func = click.option("--concurrency", type=click.IntRange(min=1),
                        help="Items (or requests) in flight at once.")(func)
    func = click.option("--on-fail", type=click.Choice(["fallback", "keep"]),
                        help="When an LLM draft fails verification twice: fall back to the "
                             "extractive engine (default) or keep it, marked failed.")(func)
    func = click.option("--llm-model", help="Model name ($REDRAFT_LLM_MODEL).")(func)
    func = click.option("--llm-url", help="OpenAI-compatible base URL, e.g. "
                                          "http://127.0.0.1:8000/v1 ($REDRAFT_LLM_URL).")(func)
    func = click.option("--engine", type=click.Choice(["extractive", "llm"]),
                        help="Condensing engine (default: extractive, offline).")(func)
    func = click.option("--language", help="Language of the input (en, es, fr...; default: "
                                           "detected per article).")(func)
    return func


def workers_option(func: F) -> F:
    """``--workers``: processes drafting at once with the local engine."""
    return click.option(
        "--workers", type=click.IntRange(min=1),
        help="Processes drafting at once with the extractive engine (default: every core; "
             "one writer keeps the database, drafts are the same for any number).")(func)


def parse_date(_ctx: click.Context, _param: click.Parameter, value: str | None) -> datetime | None:
    """A date option (``--since``, ``--published``): ISO 8601; without a zone it is UTC."""
    if value is None:
        return None
    try:
        when = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise click.BadParameter(f"{value!r} is not a date such as 2025-05-01 or "
                                 "2025-05-01T12:00:00+02:00") from exc
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when


# --- settings and objects --------------------------------------------------------------------

def load_settings(params: dict[str, Any]) -> Settings:
    """Defaults, then the config file, then the environment, then the command line."""
    try:
        settings = load_config(params.get("config_path"), os.environ)
    except ConfigError as exc:
        fail(str(exc))
    changes: dict[str, Any] = {}
    if params.get("db"):
        changes["db"] = params["db"]
    chosen = [(k, params[k]) for k in ("ratio", "words", "sentences") if params.get(k)]
    if len(chosen) > 1:
        fail("give at most one of --ratio, --words and --sentences")
    if chosen:
        kind, value = chosen[0]
        changes["budget"] = Budget.asked(cast("BudgetKind", kind), float(value))
    if params.get("engine"):
        changes["engine"] = params["engine"]
    extract = settings.extract
    if params.get("ascii_quotes"):
        extract = dataclasses.replace(extract, ascii_quotes=True)
    if params.get("language"):
        extract = dataclasses.replace(extract, language=params["language"])
    changes["extract"] = extract
    llm = settings.llm
    for option, name in (("llm_url", "url"), ("llm_model", "model"), ("on_fail", "on_fail")):
        if params.get(option):
            llm = dataclasses.replace(llm, **{name: params[option]})
    changes["llm"] = llm
    if params.get("concurrency"):
        changes["http"] = dataclasses.replace(settings.http, concurrency=params["concurrency"])
    return dataclasses.replace(settings, **changes)


def open_store(settings: Settings) -> Store:
    """Open the state database, or exit with a clear message."""
    try:
        return Store.open(settings.db)
    except RedraftError as exc:
        fail(str(exc))


def http_client(options: HttpOptions) -> httpx.Client:
    """The one HTTP client of a command: timeouts and an honest User-Agent."""
    # Imported here: a local run never needs httpx, which costs 0.16 s of start-up.
    from redraft.http import client  # noqa: PLC0415

    return client(options)


def build_engines(settings: Settings, client: httpx.Client | None) -> Engines:
    """The engines the settings ask for (the library decides), the LLM server checked first."""
    try:
        engines = Engines.from_settings(settings, client)
        check = getattr(engines.condenser, "check", None)
        if check is not None:
            check()
    except ConfigError as exc:
        fail(str(exc))
    except RedraftError as exc:
        # A refused key is a configuration error, like a bad option: nothing was done.
        fail(str(exc), code=EXIT_USAGE if isinstance(exc, EngineAuthError) else EXIT_INCOMPLETE)
    return engines


def run_options(settings: Settings, params: dict[str, Any]) -> RunOptions:
    """The pipeline options of the settings and of ``--force``, ``--per-entry``, ``--workers``
    and ``--merge-story`` (the library decides the concurrency and, unless ``--workers`` was
    given, the number of worker processes)."""
    return RunOptions.from_settings(settings, force=params["force"],
                                    per_entry=params["per_entry"], workers=params["workers"],
                                    merge_story=params["merge_story"])


def file_sink(fmt: str, out: Path | None) -> FileSink:
    """Files in ``out``, or standard output (with control characters removed)."""
    stream = None if out else cast("TextIO", PrintableStream(sys.stdout))
    return FileSink(fmt, directory=out, stream=stream)  # type: ignore[arg-type]


class PrintableStream:
    """A text stream that removes control characters and escape sequences from what is
    written (newlines and tabs stay), so no source text can drive the terminal."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        return self._stream.write(printable(text))

    def flush(self) -> None:
        self._stream.flush()


# --- progress and summary --------------------------------------------------------------------

# How often the progress bar is drawn again: ten times a second looks continuous.
_REDRAW_SECONDS = 0.1


class ItemProgress:
    """A progress bar on standard error, shown from the second item on, and only on a terminal
    (where nobody sees it, it would cost its imports and every update). It is drawn as items
    come, at most every :data:`_REDRAW_SECONDS`, by no thread of its own: a run's worker
    processes are forked from a process with no other thread (:mod:`redraft.pipeline.workers`).
    """

    def __init__(self, total: int | None, description: str) -> None:
        self._total = total
        self._description = description
        self._seen = 0
        self._shown = stderr.is_terminal
        self._progress: Progress | None = None
        self._task: Any = None
        self._drawn = 0.0

    def __call__(self, outcome: ItemOutcome | str, key: str) -> None:
        self._seen += 1
        if self._progress is None and self._seen >= 2 and self._shown:
            self._start()
        if self._progress is not None:
            self._progress.update(self._task, advance=1)
            if (now := time.monotonic()) - self._drawn >= _REDRAW_SECONDS:
                self._drawn = now
                self._progress.refresh()

    def _start(self) -> None:
        # Imported here: rich's live display is worth its start-up only when it is shown.
        from rich.progress import (  # noqa: PLC0415
            BarColumn,
            MofNCompleteColumn,
            Progress,
            SpinnerColumn,
            TextColumn,
            TimeElapsedColumn,
        )

        self._progress = Progress(
            SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
            MofNCompleteColumn(), TimeElapsedColumn(), console=stderr, transient=True,
            auto_refresh=False,
        )
        self._progress.start()
        self._task = self._progress.add_task(self._description, total=self._total,
                                             completed=self._seen - 1)

    def stop(self) -> None:
        """Remove the bar (the summary follows)."""
        if self._progress is not None:
            self._progress.stop()


@contextmanager
def progress_bar(total: int | None, description: str) -> Iterator[ItemProgress]:
    """An :class:`ItemProgress` that is always stopped, whatever happens."""
    progress = ItemProgress(total, description)
    try:
        yield progress
    finally:
        progress.stop()


def print_summary(report: Report, *, title: str) -> None:
    """The end-of-run table on standard error, with the first few errors."""
    # The title on its own line, as it is: a path is never cut to the table's width.
    stderr.print(Text(printable(title, one_line=True), style="italic"), soft_wrap=True)
    rows = [("drafted", f"{report.done} ({report.passed} passed verification, "
                        f"{report.failed_verification} failed)")]
    if report.repaired or report.fallbacks:
        rows.append(("repaired / fell back", f"{report.repaired} / {report.fallbacks}"))
    if report.joined:
        rows.append(("joined a story", f"{report.joined} (credited in the story's draft)"))
    rows.append(("unchanged", f"{report.unchanged}" + (
        " (already done; --force redoes them)" if report.unchanged else "")))
    rejected = ", ".join(f"{reason} {n}" for reason, n in sorted(report.rejected.items()))
    rows.append(("rejected", markup_safe(f"{sum(report.rejected.values())}"
                                         + (f" ({rejected})" if rejected else ""))))
    failed = ", ".join(f"{kind} {n}" for kind, n in sorted(report.failed.items()))
    rows.append(("failed", markup_safe(f"{sum(report.failed.values())}"
                                       + (f" ({failed})" if failed else ""))))
    if report.usage.total_tokens:
        rows.append(("tokens", f"{report.usage.prompt_tokens} prompt + "
                               f"{report.usage.completion_tokens} completion"))
    print_rows(rows)
    shown = report.errors.kept[:10]
    for line in shown:
        stderr.print(Text.assemble(("  • ", "yellow"), printable(line, one_line=True)),
                     soft_wrap=True)
    if report.errors.total > len(shown):
        stderr.print(f"  … and {report.errors.total - len(shown)} more (see `redraft status`)")


def print_rows(rows: list[tuple[str, str]]) -> None:
    """Rows of cells (rich markup) on standard error, as ``Table(show_header=False, box=None)``
    draws them.

    A table that fits the console's width is drawn here, as the table draws one: each cell
    padded with a space on either side and, on the right, to its column's widest cell, each
    row a line. rich's table is left what this does not do (a cell with a style, a tab or a
    line break, a table wider than the console, whose cells it wraps): importing
    :mod:`rich.table` (with :mod:`fractions` and :mod:`decimal`) and drawing the summary with
    it cost ~25 M instructions, 2.4% of a one-post ``redraft rewrite``."""
    cells = [[stderr.render_str(cell, highlight=False) for cell in row] for row in rows]
    widths = [max(cell_len(row[column].plain) for row in cells) + 2
              for column in range(len(cells[0]))] if cells else []
    if not cells or sum(widths) > stderr.width or any(
            text.spans or text.style or "\t" in text.plain or "\n" in text.plain
            for row in cells for text in row):
        # Imported here: the summary of a usual run needs no table (see above).
        from rich.table import Table  # noqa: PLC0415

        table = Table(show_header=False, box=None)
        for row in rows:
            table.add_row(*row)
        stderr.print(table)
        return
    for texts in cells:
        stderr.print(Text("".join(f" {text.plain}{' ' * (width - 1 - cell_len(text.plain))}"
                                  for text, width in zip(texts, widths, strict=True))),
                     soft_wrap=True)


__all__ = [
    "EXIT_INCOMPLETE",
    "EXIT_OK",
    "EXIT_USAGE",
    "ItemProgress",
    "PrintableStream",
    "budget_options",
    "build_engines",
    "common_options",
    "echo",
    "engine_options",
    "fail",
    "file_sink",
    "http_client",
    "load_settings",
    "markup_safe",
    "open_store",
    "output_options",
    "parse_date",
    "print_rows",
    "print_summary",
    "printable",
    "progress_bar",
    "run_options",
    "setup_logging",
    "stderr",
]
