"""The review app (``redraft review``): a local web page to read, fix, approve and publish
drafts. Needs the ``web`` extra (``pip install 'redraft[web]'``)."""

from __future__ import annotations

from redraft.web.app import ReviewConfig, create_app
from redraft.web.publishing import Target
from redraft.web.security import is_loopback

__all__ = ["ReviewConfig", "Target", "create_app", "is_loopback"]
