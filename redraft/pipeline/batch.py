"""A batch: many posts in, one row per post out, in shards that a cluster may work on at once.

```
inputs ──items──▶ shards of SHARD_SIZE ──▶ executor (here, or Ray tasks) ──rows──▶ one writer
                   │ already complete?                 shard_rows = draft_entry   │
                   └── skipped                         on every item              ▼
                                          out/.shard-00007.jsonl.tmp ─rename─▶ out/shard-00007.jsonl
                                                                               out/done/00007
```

Each shard is written to a temporary name, renamed once complete, and then marked done (the
pattern of datatrove's completed ranks): a rerun of the same inputs into the same folder skips
every marked shard and redoes only the others, so a batch killed at any point is resumed by
running it again. A row is what ``rewrite --format json`` writes for the item: a draft with its
verdict, or the reason it gave none. The rows depend only on the items and the job, so they are
the same whichever executor made them.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any, Literal

from redraft.errors import InputError, RedraftError, Rejected
from redraft.pipeline.policy import Job, draft_entry
from redraft.records import Entry
from redraft.sinks.files import draft_record, skip_record
from redraft.sources import SourceItem

BatchFormat = Literal["json", "parquet"]
Shard = tuple[int, list[SourceItem]]
Rows = list[dict[str, Any]]
# Runs shard_rows over shards, anywhere, and yields (shard number, rows) in any order.
Executor = Callable[[Iterable[Shard], Job], Iterator[tuple[int, Rows]]]

# Items per shard: a few seconds of one core's work (about 3 ms an item), so a lost shard
# costs little to redo and a task's overhead (tens of ms on Ray) stays under 1%.
SHARD_SIZE = 1000
MANIFEST = "batch.json"
DONE = "done"


@dataclass(frozen=True, slots=True)
class BatchOptions:
    """Where and how a batch writes.

    Attributes:
        out: the output folder (shards, their markers and the manifest).
        fmt: ``json`` (JSON Lines, one object a row) or ``parquet``.
        shard_size: items per shard; a rerun must use the size the folder was started with.
        recipe: what the rows depend on besides the items (a rerun must match it).
    """

    out: Path
    fmt: BatchFormat = "json"
    shard_size: int = SHARD_SIZE
    recipe: str = ""


@dataclass
class BatchReport:
    """What a batch did: shards skipped (already complete) and written, rows by kind."""

    shards: int = 0
    skipped: list[int] = field(default_factory=list)
    written: list[int] = field(default_factory=list)
    rows: int = 0
    passed: int = 0
    failed_verification: int = 0
    rejected: int = 0
    failed: int = 0

    def count(self, rows: Rows) -> None:
        """Count one written shard's rows."""
        self.rows += len(rows)
        for row in rows:
            if "verdict" in row:
                if row["verdict"]["passed"]:
                    self.passed += 1
                else:
                    self.failed_verification += 1
            elif "rejected" in row:
                self.rejected += 1
            else:
                self.failed += 1


def shard_rows(items: Sequence[SourceItem], job: Job) -> Rows:
    """One row per item, in order: the pure work of a shard (what a Ray task runs)."""
    rows: Rows = []
    for item in items:
        if isinstance(item, Entry):
            outcome = draft_entry(item, job)
            if outcome.verdict is not None:
                rows.append(draft_record(outcome.verdict))
            else:
                error: RedraftError = outcome.error or RedraftError("no draft and no error")
                rows.append(skip_record(item.key, item.source, error))
        elif isinstance(item, Rejected):
            rows.append(skip_record(item.key, item.source, item))
        else:
            rows.append(skip_record(item.url, item.url, item))
    return rows


def in_process(shards: Iterable[Shard], job: Job) -> Iterator[tuple[int, Rows]]:
    """The executor without a cluster: each shard here, in turn."""
    for number, items in shards:
        yield number, shard_rows(items, job)


def run_batch(items: Iterable[SourceItem], job: Job, options: BatchOptions, *,
              execute: Executor = in_process,
              write: Callable[[Path, Rows], None] | None = None) -> BatchReport:
    """Cut ``items`` into shards, have ``execute`` make their rows, write each shard whole.

    Args:
        items: what a source yields, in a stable order (a rerun must see the same order).
        job: the per-item job (engines, budget, extraction options, verifier).
        options: the output folder, format, shard size and recipe.
        execute: where the shards are worked on (:func:`in_process`, or Ray tasks).
        write: writes one shard's rows to a path (JSON Lines when None).

    Raises:
        InputError: the folder holds a batch made with another shard size, format or recipe.
    """
    out = options.out
    (out / DONE).mkdir(parents=True, exist_ok=True)
    _check_manifest(options)
    report = BatchReport()
    writer = write or write_json_lines

    def pending() -> Iterator[Shard]:
        for number, shard in enumerate(_chunks(items, options.shard_size)):
            report.shards += 1
            if is_complete(options, number):
                report.skipped.append(number)
            else:
                yield number, shard

    for number, rows in execute(pending(), job):
        final = shard_path(options, number)
        temporary = final.with_name(f".{final.name}.tmp")
        writer(temporary, rows)
        os.replace(temporary, final)
        (out / DONE / f"{number:05d}").write_text(f"{len(rows)}\n", encoding="utf-8")
        report.written.append(number)
        report.count(rows)
    report.written.sort()
    return report


def shard_path(options: BatchOptions, number: int) -> Path:
    """Where shard ``number`` is written once complete."""
    suffix = "jsonl" if options.fmt == "json" else "parquet"
    return options.out / f"shard-{number:05d}.{suffix}"


def is_complete(options: BatchOptions, number: int) -> bool:
    """Whether shard ``number`` was written whole and marked done by an earlier run."""
    return (options.out / DONE / f"{number:05d}").is_file() and shard_path(options, number).is_file()


def write_json_lines(path: Path, rows: Rows) -> None:
    """One JSON object a line, flushed to disk before the shard is renamed into place."""
    with path.open("w", encoding="utf-8") as stream:
        for row in rows:
            stream.write(json.dumps(row, ensure_ascii=False) + "\n")
        stream.flush()
        os.fsync(stream.fileno())


def _chunks(items: Iterable[SourceItem], size: int) -> Iterator[list[SourceItem]]:
    stream = iter(items)
    while chunk := list(islice(stream, size)):
        yield chunk


def _check_manifest(options: BatchOptions) -> None:
    path = options.out / MANIFEST
    wanted = {"format": options.fmt, "shard_size": options.shard_size, "recipe": options.recipe}
    if path.is_file():
        try:
            found = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise InputError(f"{path}: unreadable ({exc}); remove it, or write to a new "
                             "--out folder") from exc
        if found != wanted:
            changed = ", ".join(f"{key} {found.get(key)!r} -> {value!r}"
                                for key, value in wanted.items() if found.get(key) != value)
            raise InputError(f"{options.out} holds a batch made with other settings ({changed}); "
                             "rerun with the same ones to resume it, or use a new --out folder")
        return
    path.write_text(json.dumps(wanted) + "\n", encoding="utf-8")
