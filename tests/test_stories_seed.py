"""A story score is the same number in every process, whatever Python's hash seed: set order
must not reach a floating-point sum (a worker and the next run decide at the same threshold)."""

from __future__ import annotations

import os
import subprocess
import sys

_PROBE = """
from datetime import datetime, UTC
from redraft.stories.profile import DocumentFrequencies, Profile
from redraft.stories.scoring import Comparison
names = [f"name{i}" for i in range(40)]
counts = {name: (i * 7919) % 97 + 1 for i, name in enumerate(names)}
counts.update({f"term{i}": (i * 104729) % 89 + 1 for i in range(60)})
frequencies = DocumentFrequencies(documents=500, counts=counts)
when = datetime(2026, 3, 1, tzinfo=UTC)
one = Profile(terms={f"term{i}": 1 + i % 3 for i in range(0, 60, 2)},
              names=frozenset(names[:30]), published=when)
two = Profile(terms={f"term{i}": 1 + i % 4 for i in range(0, 60, 3)},
              names=frozenset(names[10:]), published=when)
print(repr(Comparison(one, frequencies).score(two)))
"""


def _score(seed: int) -> str:
    env = {**os.environ, "PYTHONHASHSEED": str(seed)}
    done = subprocess.run([sys.executable, "-c", _PROBE], env=env, capture_output=True, text=True,
                          check=True)
    return done.stdout.strip()


def test_a_story_score_does_not_depend_on_the_hash_seed() -> None:
    scores = {_score(seed) for seed in range(12)}
    assert len(scores) == 1, scores
    assert float(scores.pop()) > 0.0
