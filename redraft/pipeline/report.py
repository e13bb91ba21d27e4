"""What a run did: counts per outcome, tokens used, and its error lines (bounded)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

from redraft.records import Usage

# Error lines a report keeps (every one is counted): a run of a million posts must not hold a
# line for each rejection in memory; the store keeps them all (`redraft status`).
KEEP_ERRORS = 1000


@dataclass
class Errors:
    """A run's error lines: the first :data:`KEEP_ERRORS` in ``kept`` (what iterating and
    indexing see), every one counted in ``total``. Not a sequence: its count and its lines
    differ once more than :data:`KEEP_ERRORS` were recorded."""

    kept: list[str] = field(default_factory=list)
    total: int = 0

    def append(self, line: str) -> None:
        self.total += 1
        if len(self.kept) < KEEP_ERRORS:
            self.kept.append(line)

    def __bool__(self) -> bool:
        return self.total > 0

    def __getitem__(self, index: int) -> str:
        return self.kept[index]

    def __iter__(self) -> Iterator[str]:
        return iter(self.kept)


# Rejections that are no failure of the run: a page robots.txt disallows was left alone because
# the site asked so (counted and shown, but a feed that links one must not fail every cron run).
NOT_FAILURES = frozenset({"disallowed"})


@dataclass
class Report:
    """What a run did, item by item counted."""

    done: int = 0
    passed: int = 0
    failed_verification: int = 0
    unchanged: int = 0
    joined: int = 0
    repaired: int = 0
    fallbacks: int = 0
    rejected: Counter[str] = field(default_factory=Counter)
    failed: Counter[str] = field(default_factory=Counter)
    usage: Usage = field(default_factory=Usage)
    errors: Errors = field(default_factory=Errors)

    @property
    def total(self) -> int:
        """Every item accounted for."""
        return (self.done + self.unchanged + self.joined + sum(self.rejected.values())
                + sum(self.failed.values()))

    @property
    def ok(self) -> bool:
        """True when every item went through: nothing rejected (but for :data:`NOT_FAILURES`),
        failed or unfaithful."""
        rejected = any(n for reason, n in self.rejected.items() if reason not in NOT_FAILURES)
        return not (rejected or self.failed or self.failed_verification)
