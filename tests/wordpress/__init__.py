"""The project's own WordPress fixture: a real WordPress on 127.0.0.1 (see fixture.py)."""

from tests.wordpress.fixture import SiteOptions, WordPressSite, start, start_wordpress

__all__ = ["SiteOptions", "WordPressSite", "start", "start_wordpress"]
