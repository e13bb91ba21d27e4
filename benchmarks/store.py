"""The store's cost per item: the calls a real run makes on its store, replayed on a fresh one.

Usage::

    python benchmarks/store.py DIR [--repeat 5] [--workers 1] [--tables 12] [--statements 0]

``DIR`` holds input posts (for example ``../shared/data/wp-posts``). One ``redraft rewrite DIR
--workers 1`` (``--workers N`` to change) runs in this process while every call it makes on its
:class:`~redraft.store.Store` (writes, the story index's reads, each item's transaction) is
recorded with its arguments. The calls are then replayed on fresh databases in temporary files,
alone, ``--repeat`` times, and it prints per item:

- the CPU time of the replay (this process's: median and range), and of the COMMITs alone;
- the SQL statements run (each row of an ``executemany`` counts once, as SQLite runs it);
- the WAL frames written (one page each), counted in one more replay where the WAL is never
  checkpointed, so that its size counts every frame; by the table or index whose page each
  frame holds (``--tables N`` lists the N that write most); and the file's size;
- with ``--statements N``, the N statements that cost most CPU, from one more replay that
  times each (its own overhead, ~1 us a statement, included), COMMITs among them.

Pin it to one core for steady numbers (``taskset -c 0``). Exits 0, saying why, when ``DIR``
is absent.
"""

from __future__ import annotations

import argparse
import functools
import os
import sqlite3
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext, redirect_stderr, redirect_stdout, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from redraft.cli import main
from redraft.store import Store
from redraft.store.connection import Connection

_FRAME_HEADER = 24  # a WAL frame: this header, then one page
_WAL_HEADER = 32
_SKIP = {"open", "close", "transaction", "migrations"}


@dataclass
class Calls:
    """The store calls of one run, in order; ``None`` marks a transaction's start and end."""

    items: list[tuple[str, tuple[Any, ...], dict[str, Any]] | None] = field(default_factory=list)
    transactions: int = 0


def _public_methods() -> list[str]:
    return sorted(name for name in dir(Store) if not name.startswith("_") and name not in _SKIP
                  and callable(getattr(Store, name)))


def record(directory: Path, *, workers: int = 1) -> Calls:
    """Run ``redraft rewrite --workers N`` on ``directory`` in this process; every store call
    it made (with more workers, an item's placement is stored in a transaction of its own)."""
    calls = Calls()
    originals = {name: getattr(Store, name) for name in [*_public_methods(), "transaction"]}

    def recorder(name: str) -> Callable[..., Any]:
        method = originals[name]

        @functools.wraps(method)
        def wrapped(self: Store, *args: Any, **kwargs: Any) -> Any:
            calls.items.append((name, args, kwargs))
            return method(self, *args, **kwargs)
        return wrapped

    @contextmanager
    def transaction(self: Store) -> Iterator[None]:
        calls.items.append(None)
        with originals["transaction"](self):
            yield
        calls.items.append(None)
        calls.transactions += 1

    for name in originals:
        setattr(Store, name, transaction if name == "transaction" else recorder(name))
    try:
        with tempfile.TemporaryDirectory() as tmp, open(os.devnull, "w") as quiet, \
                redirect_stdout(quiet), redirect_stderr(quiet), suppress(SystemExit):
            main(["rewrite", str(directory), "--format", "json", "--out", f"{tmp}/out",
                  "--db", f"{tmp}/state.db", "--workers", str(workers)], standalone_mode=False)
    finally:
        for name, method in originals.items():
            setattr(Store, name, method)
    return calls


@dataclass
class Replay:
    """One replay: CPU seconds (all, COMMITs), statements, WAL frames, file size."""

    cpu: float
    commit_cpu: float
    statements: int
    frames: int
    size: int
    pages: Counter[str] = field(default_factory=Counter)
    by_statement: dict[str, float] = field(default_factory=dict)


@contextmanager
def _timed_statements(spent: dict[str, float]) -> Iterator[None]:
    """Add each statement's CPU seconds to ``spent``, by its SQL (white space folded)."""
    execute, many = Connection.execute, Connection.many

    def timed(run: Callable[..., Any]) -> Callable[..., Any]:
        def wrapped(self: Connection, sql: str, params: Any = ()) -> Any:
            started = time.process_time()
            try:
                return run(self, sql, params)
            finally:
                key = " ".join(sql.split())
                spent[key] = spent.get(key, 0.0) + time.process_time() - started
        return wrapped

    Connection.execute, Connection.many = timed(execute), timed(many)  # type: ignore[method-assign]
    try:
        yield
    finally:
        Connection.execute, Connection.many = execute, many  # type: ignore[method-assign]


def replay(calls: Calls, path: Path, *, count: bool = False, timed: bool = False) -> Replay:
    """Make the recorded calls on a fresh store at ``path``; what they cost. With ``count``,
    statements are counted and the WAL is never checkpointed (its size counts the frames);
    with ``timed``, each statement's CPU is added up by its SQL."""
    store = Store.open(path)
    raw = store._db.raw
    statements = 0
    spent: dict[str, float] = {}

    def counted(_: str) -> None:
        nonlocal statements
        statements += 1

    if count:
        raw.execute("PRAGMA wal_autocheckpoint = 0")
        raw.set_trace_callback(counted)
    commit_cpu = 0.0
    started = time.process_time()
    stack: list[Any] = []
    with _timed_statements(spent) if timed else nullcontext():
        for call in calls.items:
            if call is None:
                if not stack:
                    manager = store.transaction()
                    manager.__enter__()
                    stack.append(manager)
                else:
                    before = time.process_time()
                    stack.pop().__exit__(None, None, None)
                    commit_cpu += time.process_time() - before
                continue
            name, args, kwargs = call
            getattr(store, name)(*args, **kwargs)
    cpu = time.process_time() - started
    raw.set_trace_callback(None)
    wal = Path(f"{path}-wal")
    frame = _FRAME_HEADER + int(raw.execute("PRAGMA page_size").fetchone()[0])
    frames = (wal.stat().st_size - _WAL_HEADER) // frame if count and wal.exists() else 0
    pages = _frames_by_table(raw, wal, frame) if count and wal.exists() else Counter()
    store.close()
    return Replay(cpu, commit_cpu, statements, frames, path.stat().st_size, pages, spent)


def _frames_by_table(connection: sqlite3.Connection, wal: Path, frame: int) -> Counter[str]:
    """The WAL's frames (``frame`` bytes each) by the table or index that owns their page (as
    it ends up: a page freed and reused counts for its last owner). Empty without SQLite's
    ``dbstat`` table."""
    try:
        owner = dict(connection.execute("SELECT pageno, name FROM dbstat"))
    except sqlite3.Error:
        return Counter()
    data = wal.read_bytes()
    return Counter(owner.get(int.from_bytes(data[at:at + 4], "big"), "?")
                   for at in range(_WAL_HEADER, len(data) - frame + 1, frame))


def main_(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("directory", type=Path)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--workers", type=int, default=1, help="the run's --workers")
    parser.add_argument("--tables", type=int, default=12,
                        help="how many tables and indices to list by frames written")
    parser.add_argument("--statements", type=int, default=0,
                        help="how many statements to list by CPU (0: none, no timed replay)")
    args = parser.parse_args(argv)
    if not args.directory.is_dir():
        print(f"{args.directory} is not a folder: nothing to measure")
        return
    calls = record(args.directory, workers=args.workers)
    items = max(1, calls.transactions)
    runs = []
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory() as tmp:
            runs.append(replay(calls, Path(tmp) / "state.db"))
    with tempfile.TemporaryDirectory() as tmp:
        last = replay(calls, Path(tmp) / "state.db", count=True)
    cpu = [run.cpu for run in runs]
    print(f"{calls.transactions} transactions, {len(calls.items)} store calls")
    print(f"store CPU: {statistics.median(cpu):.3f} s (range {min(cpu):.3f}-{max(cpu):.3f}), "
          f"{1000 * statistics.median(cpu) / items:.2f} ms an item")
    print(f"COMMIT CPU: {statistics.median(run.commit_cpu for run in runs):.3f} s")
    print(f"statements an item: {last.statements / items:.1f}")
    print(f"WAL frames an item: {last.frames / items:.1f}")
    print(f"file: {last.size / 2**20:.1f} MiB, {last.size / items / 1024:.1f} KiB an item")
    for name, frames in last.pages.most_common(args.tables):
        print(f"  {frames / items:6.2f} frames an item: {name}")
    if args.statements:
        with tempfile.TemporaryDirectory() as tmp:
            timed = replay(calls, Path(tmp) / "state.db", timed=True)
        print(f"CPU by statement (timed replay: {timed.cpu:.3f} s, COMMITs included):")
        ranked = sorted(timed.by_statement.items(), key=lambda item: -item[1])
        for sql, spent in ranked[:args.statements]:
            print(f"  {1000 * spent:7.1f} ms  {sql[:100]}")


if __name__ == "__main__":
    main_()
