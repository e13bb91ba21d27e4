"""A sync killed with SIGKILL at random points, five times in a row, then run to the end:
every post is stored exactly once, with one current draft, and the mark set at the end only."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.wordpress import WordPressSite

pytestmark = pytest.mark.wordpress

KILLS = 5
RUN = [sys.executable, "-c", "from redraft.cli.sync import sync; sync()"]
DEADLINE = 120.0  # seconds one sync may take before the test gives up on it


@pytest.fixture
def site(wordpress_site: WordPressSite) -> WordPressSite:
    return wordpress_site  # only read: the session's shared site


def stored(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as connection:
            return int(connection.execute("SELECT count(*) FROM entries").fetchone()[0])
    except sqlite3.OperationalError:  # not created yet, or being migrated
        return 0


def kill_when(db: Path, process: subprocess.Popen[bytes], target: int) -> bool:
    """SIGKILL the sync once ``target`` entries are stored; False if it finished first."""
    deadline = time.monotonic() + DEADLINE
    while process.poll() is None and time.monotonic() < deadline:
        if stored(db) >= target:
            os.kill(process.pid, signal.SIGKILL)
            process.wait()
            return True
        time.sleep(0.005)
    process.wait(DEADLINE)
    return False


def test_five_kills_then_a_full_run_store_every_post_once(site: WordPressSite, tmp_path: Path) -> None:
    db = tmp_path / "state.db"
    command = [*RUN, site.base_url, "--db", str(db)]
    rng = random.Random(20250601)
    # Kill points: entries stored when the axe falls, rising as runs resume; 0 kills a run
    # during start-up or discovery.
    targets = sorted([0, *rng.sample(range(1, 250), KILLS - 1)])
    killed = 0
    for target in targets:
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if target == 0:
            time.sleep(rng.uniform(0.05, 0.3))
            os.kill(process.pid, signal.SIGKILL)
            process.wait()
            killed += 1
        else:
            killed += kill_when(db, process, target)
    assert killed == KILLS
    with sqlite3.connect(db) as connection:
        assert connection.execute("SELECT high_water FROM sites").fetchall() in ([], [(None,)])
    finished = subprocess.run(command, capture_output=True, text=True, timeout=DEADLINE, check=False)
    assert finished.returncode == 0, finished.stderr
    with sqlite3.connect(db) as connection:
        keys = [row[0] for row in connection.execute("SELECT key FROM entries")]
        current = connection.execute(
            "SELECT key, count(*) FROM drafts WHERE current = 1 GROUP BY key").fetchall()
        failures = connection.execute("SELECT count(*) FROM failures").fetchone()[0]
        mark = connection.execute("SELECT high_water FROM sites").fetchone()[0]
    assert sorted(keys) == sorted(f"{site.base_url}#{n}" for n in site.post_ids)
    assert len(current) == 250 and all(n == 1 for _, n in current)
    assert failures == 0 and mark is not None
