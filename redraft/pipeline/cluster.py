"""The batch on Ray (``pip install 'redraft[ray]'``): one task per shard, and Parquet in and out.

Ray and pyarrow are optional: they are imported when a batch asks for them, and a clear
:class:`~redraft.errors.ConfigError` says how to install them when they are missing. Without an
address, a local Ray is started (every core of this machine, no dashboard, on the loopback
address only); with one (``ray://host:10001``, ``auto`` or ``host:6379``) the batch joins that
cluster. The driver reads the inputs, sends each shard's items to a task, and writes each
shard as its rows come back, so the output folder need not be shared by the cluster's nodes.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from types import MappingProxyType, ModuleType
from typing import Any

from redraft.errors import ConfigError, EngineError
from redraft.pipeline.batch import Rows, Shard, shard_rows
from redraft.pipeline.policy import Job, machine_cores
from redraft.sources import SourceItem
from redraft.sources.files import FileSource
from redraft.wp.posts import wp_entry

# Shards in flight per CPU of the cluster: one running, one queued, so no CPU waits for the
# driver, while the driver holds only a few shards in memory.
IN_FLIGHT_PER_CPU = 2
# Rows read from a Parquet file at a time.
PARQUET_BATCH_ROWS = 1000


def optional(module: str) -> ModuleType:
    """An optional dependency, or a :class:`ConfigError` saying how to install it."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise ConfigError(f"{module} is not installed: pip install 'redraft[ray]' "
                          "(Ray and pyarrow, for `redraft batch`)") from exc


def connect(address: str | None) -> ModuleType:
    """Ray, connected: to ``address``, to a Ray this process already started, or to a new
    local one (every core, no dashboard, loopback only)."""
    ray = optional("ray")
    _register_records(ray)
    if ray.is_initialized():
        return ray
    if address:
        ray.init(address=address, log_to_driver=False)
    else:
        ray.init(num_cpus=machine_cores(), include_dashboard=False, log_to_driver=False,
                 _node_ip_address="127.0.0.1")
    return ray


def _read_only(mapping: dict[Any, Any]) -> Mapping[Any, Any]:
    return MappingProxyType(mapping)


def _register_records(ray: ModuleType) -> None:
    """Records keep metadata read-only (a mapping proxy), which pickle refuses: send a dict."""
    ray.util.register_serializer(MappingProxyType, serializer=dict, deserializer=_read_only)


def ray_executor(address: str | None) -> Any:
    """An executor for :func:`redraft.pipeline.batch.run_batch` that runs shards as Ray tasks."""
    ray = connect(address)
    task = ray.remote(num_cpus=1, max_retries=2)(shard_rows)

    def execute(shards: Iterable[Shard], job: Job) -> Iterator[tuple[int, Rows]]:
        limit = max(1, int(ray.cluster_resources().get("CPU", 1)) * IN_FLIGHT_PER_CPU)
        job_ref = ray.put(job)
        pending: dict[Any, int] = {}
        try:
            for number, items in shards:
                pending[task.remote(items, job_ref)] = number
                while len(pending) >= limit:
                    yield from _collect(ray, pending)
            while pending:
                yield from _collect(ray, pending)
        finally:
            for ref in pending:
                ray.cancel(ref)

    return execute


def _collect(ray: ModuleType, pending: dict[Any, int]) -> Iterator[tuple[int, Rows]]:
    ready, _ = ray.wait(list(pending), num_returns=1)
    for ref in ready:
        number = pending.pop(ref)
        try:
            rows = ray.get(ref)
        except ray.exceptions.RayError as exc:
            raise EngineError(
                f"shard {number} failed on Ray after its retries ({type(exc).__name__}: "
                f"{str(exc)[:300]}); the shards already written are kept: run the same command "
                "again to redo only the others", code="ray-task") from exc
        yield number, rows


# --- Parquet ----------------------------------------------------------------------------------

def parquet_items(path: Path) -> Iterator[SourceItem]:
    """Entries from a Parquet file whose rows are WordPress post objects (``id``, ``link``,
    ``title``, ``content``: a string or a ``{rendered}`` struct, and so on)."""
    parquet = optional("pyarrow.parquet")
    label = str(path)
    number = 0
    for batch in parquet.ParquetFile(path).iter_batches(batch_size=PARQUET_BATCH_ROWS):
        for row in batch.to_pylist():
            number += 1
            yield wp_entry(row, label=label, where=f"row {number}")


def batch_inputs(paths: Iterable[str | Path]) -> Iterator[SourceItem]:
    """Every item of the inputs, in a stable order: what ``rewrite`` reads (JSON, JSON Lines,
    WordPress folders, HTML, text), and Parquet files, given or found in a folder."""
    for raw in paths:
        path = Path(raw)
        if path.suffix.lower() == ".parquet" and path.is_file():
            yield from parquet_items(path)
            continue
        yield from FileSource([raw]).entries()
        if path.is_dir():
            for found in sorted(path.rglob("*.parquet")):
                yield from parquet_items(found)


def _schema(pa: ModuleType) -> Any:
    text = pa.string()
    problem = pa.struct([("kind", text), ("sentence", text), ("evidence", text), ("detail", text)])
    return pa.schema([
        ("key", text), ("source", text), ("title", text), ("url", text), ("published", text),
        ("language", text), ("engine", text), ("prompt", text), ("attempts", pa.int64()),
        ("budget", text), ("paragraphs", pa.list_(text)), ("text", text), ("credit", text),
        ("link_refused", text), ("source_words", pa.int64()), ("draft_words", pa.int64()),
        ("tokens", pa.struct([("prompt", pa.int64()), ("completion", pa.int64())])),
        ("verdict", pa.struct([("score", pa.float64()), ("passed", pa.bool_()),
                               ("problems", pa.list_(problem))])),
        ("rejected", text), ("failed", text), ("detail", text),
    ])


def write_parquet(path: Path, rows: Rows) -> None:
    """One shard's rows as a Parquet file: the fields of ``rewrite --format json``, nested
    ones as structs and lists, absent ones null."""
    pa = optional("pyarrow")
    parquet = optional("pyarrow.parquet")
    parquet.write_table(pa.Table.from_pylist(rows, schema=_schema(pa)), path)
