"""redraft: turn news posts into clean, condensed, faithful rewrites."""

from __future__ import annotations

import logging

__version__ = "0.1.0"

logging.getLogger(__name__).addHandler(logging.NullHandler())
