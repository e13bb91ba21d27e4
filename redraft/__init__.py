"""redraft: turn news posts into clean, condensed, faithful rewrites.

The flow, one typed record to the next (see :mod:`redraft.records`)::

    source ─Entry─▶ extract ─Article─▶ condense ─Draft─▶ verify ─Verdict─▶ store, sinks

Start with :func:`redraft.pipeline.run`, or the ``redraft`` command.
"""

from __future__ import annotations

import importlib
import logging
from typing import TYPE_CHECKING, Any

from redraft._version import __version__

# Bound now: what every run needs, and functions named as their modules (once such a module
# is imported, the package's attribute would otherwise be the module).
from redraft.extract import extract
from redraft.pipeline import Engines, Report, RunOptions, run
from redraft.verify import verify

if TYPE_CHECKING:
    from redraft.condense.extractive import ExtractiveCondenser
    from redraft.config import Settings, load_config
    from redraft.errors import RedraftError, Rejected
    from redraft.pipeline import publish, sync
    from redraft.records import (
        Article,
        Block,
        Budget,
        Draft,
        Entry,
        Problem,
        Publication,
        Verdict,
    )
    from redraft.sources.files import FileSource
    from redraft.store import Store

# The public names and their modules, imported when first used: a command pays at start-up only
# for what it runs (trafilatura, httpx and feedparser cost about 0.4 s of CPU together).
_PUBLIC = {
    "Article": "redraft.records",
    "Block": "redraft.records",
    "Budget": "redraft.records",
    "Draft": "redraft.records",
    "Entry": "redraft.records",
    "ExtractiveCondenser": "redraft.condense.extractive",
    "FileSource": "redraft.sources.files",
    "Problem": "redraft.records",
    "Publication": "redraft.records",
    "RedraftError": "redraft.errors",
    "Rejected": "redraft.errors",
    "Settings": "redraft.config",
    "Store": "redraft.store",
    "Verdict": "redraft.records",
    "load_config": "redraft.config",
    "publish": "redraft.pipeline",
    "sync": "redraft.pipeline",
}


def __getattr__(name: str) -> Any:
    module = _PUBLIC.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)


logging.getLogger(__name__).addHandler(logging.NullHandler())

__all__ = [
    "Article",
    "Block",
    "Budget",
    "Draft",
    "Engines",
    "Entry",
    "ExtractiveCondenser",
    "FileSource",
    "Problem",
    "Publication",
    "RedraftError",
    "Rejected",
    "Report",
    "RunOptions",
    "Settings",
    "Store",
    "Verdict",
    "__version__",
    "extract",
    "load_config",
    "publish",
    "run",
    "sync",
    "verify",
]
