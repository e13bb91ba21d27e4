"""Moved to :mod:`redraft.wp.api`; these names stay importable here until every caller imports
them from there."""

from __future__ import annotations

from redraft.wp.api import AUTH_STATUSES, PER_PAGE, route_url, site_key, site_url

__all__ = ["AUTH_STATUSES", "PER_PAGE", "route_url", "site_key", "site_url"]
