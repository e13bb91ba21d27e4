"""Shared test fixtures: paths to the project's own fixtures and, when present, evaluation data."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
EXAMPLES = ROOT / "examples" / "posts"
# Evaluation data lives beside the project on development machines; CI may not have it.
SHARED = Path(os.environ.get("REDRAFT_SHARED", ROOT.parent / "shared"))


@pytest.fixture
def shared_data() -> Path:
    """The evaluation data folder, or skip the test when it is absent."""
    data = SHARED / "data"
    if not data.is_dir():
        pytest.skip(f"evaluation data not found at {data}")
    return data


@pytest.fixture
def shared_seeds() -> Path:
    """The seed documents folder, or skip the test when it is absent."""
    seeds = SHARED / "seeds"
    if not seeds.is_dir():
        pytest.skip(f"seed documents not found at {seeds}")
    return seeds
