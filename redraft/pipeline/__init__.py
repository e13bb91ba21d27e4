"""The one place where stages meet: entries in, verdicts stored and written out.

```
source ──Entry──▶ extract ──Article──▶ condense ──Draft──▶ verify ──Verdict──▶ store, sinks
                                          ▲  │ failed
                                          │  ▼
                                  revise once (LLM), then fall back to the extractive engine
```

- :mod:`.policy`: one entry to one outcome (the drafting policy), and the library's defaults;
- :mod:`.recipes`: what a draft depends on (an item is redone when it changes);
- :mod:`.running`: :func:`run` drives any source through the policy into the store and the sinks;
- :mod:`.syncing`: :func:`sync` adds a site's high-water mark around a run;
- :mod:`.publishing`: :func:`publish` sends stored drafts to a remote target.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from redraft.pipeline.policy import (
    ITEM_NOTE,
    Engines,
    Job,
    Outcome,
    RunOptions,
    Verifier,
    draft_entry,
)
from redraft.pipeline.recipes import recipe, rules_digest
from redraft.pipeline.report import Report
from redraft.pipeline.running import ItemOutcome, Progress, run

if TYPE_CHECKING:
    from redraft.pipeline.publishing import (
        PostOutcome,
        PublishOptions,
        PublishReport,
        publish,
    )
    from redraft.pipeline.syncing import sync

# Publishing (httpx, the WordPress sink) and syncing (the WordPress post reader) are imported
# when first used, not by every run.
_LAZY = {"PostOutcome": "publishing", "PublishOptions": "publishing",
         "PublishReport": "publishing", "publish": "publishing", "sync": "syncing"}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"redraft.pipeline.{module}"), name)

__all__ = [
    "ITEM_NOTE",
    "Engines",
    "ItemOutcome",
    "Job",
    "Outcome",
    "PostOutcome",
    "Progress",
    "PublishOptions",
    "PublishReport",
    "Report",
    "RunOptions",
    "Verifier",
    "draft_entry",
    "publish",
    "recipe",
    "rules_digest",
    "run",
    "sync",
]
