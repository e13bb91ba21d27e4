"""redraft: turn news posts into clean, condensed, faithful rewrites.

The flow, one typed record to the next (see :mod:`redraft.records`)::

    source ─Entry─▶ extract ─Article─▶ condense ─Draft─▶ verify ─Verdict─▶ store, sinks

Start with :func:`redraft.pipeline.run`, or the ``redraft`` command.
"""

from __future__ import annotations

import logging

from redraft._version import __version__
from redraft.condense.extractive import ExtractiveCondenser
from redraft.config import Settings, load_config
from redraft.errors import RedraftError, Rejected
from redraft.extract import extract
from redraft.pipeline import Engines, Report, RunOptions, publish, run, sync
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
from redraft.verify import verify

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
