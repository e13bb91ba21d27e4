"""A site's sync: a run of its source, then what the source learned kept in the store."""

from __future__ import annotations

from collections.abc import Sequence

from redraft.pipeline.policy import Engines, RunOptions, Verifier
from redraft.pipeline.running import Progress, Report, run
from redraft.sinks import Sink
from redraft.sources import SiteSource
from redraft.store import Store
from redraft.verify import verify


def sync(
    source: SiteSource,
    *,
    engines: Engines,
    store: Store,
    sinks: Sequence[Sink],
    options: RunOptions | None = None,
    verifier: Verifier = verify,
    progress: Progress | None = None,
) -> Report:
    """Run a site source, then keep what it learned: its API root, and its high-water mark
    when the sync completed (so an interrupted sync is simply resumed next time)."""
    report = run(source.entries(), engines=engines, store=store, sinks=sinks, options=options,
                 verifier=verifier, progress=progress)
    checkpoint = source.checkpoint()
    with store.transaction():
        store.save_site(
            source.name,
            api_root=checkpoint.api_root,
            high_water=checkpoint.high_water if checkpoint.complete else None,
            synced=checkpoint.complete,
            state={"via_feed": checkpoint.via_feed, "complete": checkpoint.complete},
        )
    return report
