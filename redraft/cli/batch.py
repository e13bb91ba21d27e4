"""``redraft batch``: many posts in, one row per post out, on Ray (local or a cluster)."""

from __future__ import annotations

import dataclasses
import os
import sys
from pathlib import Path
from typing import Any

import click

from redraft.cli.common import (
    EXIT_INCOMPLETE,
    EXIT_OK,
    budget_options,
    build_engines,
    fail,
    load_settings,
    setup_logging,
    stderr,
)
from redraft.errors import RedraftError
from redraft.pipeline import Job, RunOptions, recipe
from redraft.pipeline.batch import SHARD_SIZE, BatchOptions, BatchReport, run_batch
from redraft.pipeline.cluster import batch_inputs, ray_executor, write_parquet


@click.command()
@click.argument("inputs", nargs=-1, required=True, metavar="INPUT...")
@click.option("--out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="The output folder: one file per shard, and what a rerun resumes from.")
@click.option("--format", "fmt", type=click.Choice(["json", "parquet"]), default="json",
              show_default=True, help="Shard files as JSON Lines or Parquet.")
@click.option("--ray", "address", metavar="ADDRESS",
              help="A Ray cluster to run on (host:6379, ray://host:10001 or auto; default "
                   "$RAY_ADDRESS, else a local Ray on every core).")
@click.option("--shard-size", type=click.IntRange(min=1), default=SHARD_SIZE, show_default=True,
              help="Items per shard (a rerun into the same folder must use the same size).")
@click.option("--language", help="Language of the input (default: detected per article).")
@click.option("--ascii", "ascii_quotes", is_flag=True,
              help="Straight quotes and plain dashes in the output.")
@budget_options
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path),
              help="A TOML config file (default: ./redraft.toml if present).")
@click.option("-v", "--verbose", count=True, help="More log output (-vv for debug).")
def batch(inputs: tuple[str, ...], address: str | None, **params: Any) -> None:
    """Condense many posts on Ray: one row per input item, in resumable shards.

    INPUT is what `rewrite` reads (WordPress REST JSON, JSON Lines, folders of them) or a
    Parquet file of post objects. Each shard of --shard-size items runs as one Ray task with the
    extractive engine; its rows (the fields of `rewrite --format json`: a draft with its
    verdict, or why the item gave none) are written to --out whole, then marked done. Running
    the same command again skips the shards already done, so an interrupted batch is resumed.
    """
    setup_logging(params["verbose"])
    # The extractive engine always (an LLM engine's client cannot travel to Ray tasks), built as
    # `rewrite` builds it, so that the rows are rewrite's.
    settings = dataclasses.replace(load_settings(params), engine="extractive")
    engines = build_engines(settings, None)
    options = BatchOptions(out=params["out"], fmt=params["fmt"], shard_size=params["shard_size"],
                           recipe=recipe(engines, RunOptions.from_settings(settings, workers=1)))
    job = Job(engines, settings.budget, settings.extract)
    try:
        execute = ray_executor(address or os.environ.get("RAY_ADDRESS"))
        report = run_batch(batch_inputs(inputs), job, options, execute=execute,
                           write=write_parquet if options.fmt == "parquet" else None)
    except RedraftError as exc:
        fail(str(exc))
    except OSError as exc:
        fail(f"{options.out}: cannot write the shards ({exc.strerror or exc}); the shards "
             "already written are kept: free space or fix the folder, then run it again",
             code=EXIT_INCOMPLETE)
    _summary(report, options)
    sys.exit(EXIT_OK if report.rows == report.passed else EXIT_INCOMPLETE)


def _summary(report: BatchReport, options: BatchOptions) -> None:
    stderr.print(f"redraft batch → {options.out}: {report.shards} shards, "
                 f"{len(report.written)} written, {len(report.skipped)} already done", soft_wrap=True)
    stderr.print(f"  rows written now: {report.rows} ({report.passed} passed verification, "
                 f"{report.failed_verification} failed, {report.rejected} rejected, "
                 f"{report.failed} failed)", soft_wrap=True)
