"""How well redraft's verifier separates faithful summaries from unfaithful ones.

Usage::

    python benchmarks/faithfulness.py [FILE.jsonl ...]

Each ``FILE.jsonl`` holds one ``{id, source, summary, label}`` object a line (``label`` 1 =
consistent with the source, 0 = not), for example QAGS or Falke et al.'s ranking pairs; by
default the two files of ``../shared/data/faithfulness/``. For each file it prints, computed in
the same run on the same pairs:

- ``verify``: ROC AUC of :func:`redraft.verify.verify_pairs`' score, and the balanced accuracy
  of its ``passed`` at the shipped :data:`redraft.verify.PASS_THRESHOLD` (never re-tuned);
- ``rouge2-p``: the lexical baseline, ROUGE-2 precision of the summary against the source
  (lower-case word bigrams, clipped counts). Its balanced accuracy is taken at its best
  threshold on that very file: an oracle, so the comparison favours the baseline;
- how long verification took, and pairs per second (one core).

AUC uses the rank formula (Mann-Whitney U with average ranks for ties). A file that is absent
is skipped with a note; the script exits 0.
"""

from __future__ import annotations

import json
import sys
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from itertools import pairwise
from pathlib import Path
from typing import Any

from redraft.text import words
from redraft.verify import PASS_THRESHOLD, verify_pairs

DEFAULT_FILES = ("qags_cnndm.jsonl", "rank19_falke.jsonl")
DEFAULT_DIR = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "faithfulness"


def rouge2_precision(source: str, summary: str) -> float:
    """Share of the summary's word bigrams found in the source (clipped counts)."""
    theirs = [w.lower() for w in words(source)]
    mine = [w.lower() for w in words(summary)]
    available = Counter(pairwise(theirs))
    wanted = Counter(pairwise(mine))
    total = sum(wanted.values())
    return sum(min(n, available[b]) for b, n in wanted.items()) / total if total else 0.0


def roc_auc(scores: Sequence[float], labels: Sequence[int]) -> float:
    """ROC AUC by the rank formula; ties share their average rank."""
    order = sorted(range(len(scores)), key=lambda i: scores[i])
    ranks = [0.0] * len(scores)
    start = 0
    while start < len(order):
        end = start
        while end + 1 < len(order) and scores[order[end + 1]] == scores[order[start]]:
            end += 1
        for k in range(start, end + 1):
            ranks[order[k]] = (start + end) / 2 + 1
        start = end + 1
    positives = sum(1 for label in labels if label)
    negatives = len(labels) - positives
    if not positives or not negatives:
        return float("nan")
    rank_sum = sum(rank for rank, label in zip(ranks, labels, strict=True) if label)
    return (rank_sum - positives * (positives + 1) / 2) / (positives * negatives)


def balanced_accuracy(predicted: Sequence[bool], labels: Sequence[int]) -> float:
    """Mean of the recall on consistent pairs and the recall on inconsistent ones."""
    positives = sum(1 for label in labels if label)
    negatives = len(labels) - positives
    if not positives or not negatives:
        return float("nan")
    hits = sum(1 for p, label in zip(predicted, labels, strict=True) if p and label)
    rejections = sum(1 for p, label in zip(predicted, labels, strict=True) if not p and not label)
    return (hits / positives + rejections / negatives) / 2


def best_balanced_accuracy(scores: Sequence[float], labels: Sequence[int]) -> float:
    """The baseline's balanced accuracy at its best threshold on these very pairs (an oracle)."""
    return max(balanced_accuracy([s >= t for s in scores], labels) for t in set(scores))


def pairs(path: Path) -> Iterator[dict[str, Any]]:
    """The labelled pairs of a JSON Lines file."""
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                yield json.loads(line)


def measure(path: Path) -> None:
    """Print the verifier's and the baseline's figures for one file."""
    items = list(pairs(path))
    labels = [int(item["label"]) for item in items]
    started = time.perf_counter()
    verdicts = list(verify_pairs(items))
    elapsed = time.perf_counter() - started
    scores = [v["score"] for v in verdicts]
    passed = [bool(v["passed"]) for v in verdicts]
    baseline = [rouge2_precision(item["source"], item["summary"]) for item in items]
    print(f"{path.name}: {len(items)} pairs, {sum(labels)} consistent")
    print(f"  verify    AUC {roc_auc(scores, labels):.3f}  balanced accuracy "
          f"{balanced_accuracy(passed, labels):.3f} (threshold {PASS_THRESHOLD})")
    print(f"  rouge2-p  AUC {roc_auc(baseline, labels):.3f}  balanced accuracy "
          f"{best_balanced_accuracy(baseline, labels):.3f} (its best threshold on this file)")
    rate = len(items) / elapsed if elapsed else float("inf")
    print(f"  verified in {elapsed:.2f} s: {rate:.0f} pairs/s, {1000 * elapsed / len(items):.1f} ms a pair")


def main(argv: Sequence[str]) -> int:
    """Measure each file given (or the shared defaults); skip absent ones."""
    paths = [Path(a) for a in argv] or [DEFAULT_DIR / name for name in DEFAULT_FILES]
    for path in paths:
        if not path.is_file():
            print(f"{path}: not found, skipped")
            continue
        measure(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
