"""Shared test fixtures: paths to the project's own fixtures, evaluation data when present, and
the WordPress sites shared by the modules that only read them."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.wordpress import SiteOptions, WordPressSite, start_wordpress
from tests.wordpress.packages import why_unavailable

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
EXAMPLES = ROOT / "examples" / "posts"
# Evaluation data lives beside the project on development machines; CI may not have it.
SHARED = Path(os.environ.get("REDRAFT_SHARED", ROOT.parent / "shared"))


def _shared(folder: str, what: str) -> Path:
    path = SHARED / folder
    if not path.is_dir():
        pytest.skip(f"{what} not found at {path}")
    return path


@pytest.fixture
def shared_data() -> Path:
    """The evaluation data folder, or skip the test when it is absent."""
    return _shared("data", "evaluation data")


@pytest.fixture
def shared_seeds() -> Path:
    """The seed documents folder, or skip the test when it is absent."""
    return _shared("seeds", "seed documents")


# --- WordPress -----------------------------------------------------------------------------
# REDRAFT_WORDPRESS: "auto" (default) runs the WordPress tests where the fixture can run and skips
# them with the reason elsewhere; "require" (CI) never skips, so a machine that cannot run them
# fails; "skip" skips them.
WORDPRESS_MODES = ("auto", "require", "skip")


def wordpress_skip_reason(mode: str, why: Callable[[], str | None]) -> str | None:
    """Why the WordPress tests are skipped in this run, or None when they run."""
    if mode not in WORDPRESS_MODES:
        raise pytest.UsageError(f"REDRAFT_WORDPRESS={mode!r}: use one of {', '.join(WORDPRESS_MODES)}")
    if mode == "skip":
        return "REDRAFT_WORDPRESS=skip"
    reason = why()
    if reason is None or mode == "require":
        return None
    return f"{reason} (REDRAFT_WORDPRESS=require makes this a failure)"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    wordpress = [item for item in items if item.get_closest_marker("wordpress")]
    if not wordpress:
        return
    reason = wordpress_skip_reason(os.environ.get("REDRAFT_WORDPRESS", "auto"), why_unavailable)
    if reason:
        for item in wordpress:
            item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="session")
def wordpress_site() -> Iterator[WordPressSite]:
    """A 250-post site with pretty permalinks, shared by every module that only reads it
    (modules that edit posts start their own)."""
    with start_wordpress(SiteOptions(posts=250)) as running:
        yield running


@pytest.fixture(scope="session")
def wordpress_plain_site() -> Iterator[WordPressSite]:
    """A 250-post site with plain permalinks (``?rest_route=`` only), shared likewise; a test may
    lock its API for a moment and must unlock it in a ``finally``."""
    with start_wordpress(SiteOptions(posts=250, permalinks="plain")) as running:
        yield running
