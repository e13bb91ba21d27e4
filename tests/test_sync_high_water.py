"""The sync high-water mark on its own (redraft/sources/high_water.py): no site needed.

The same rules run against a real WordPress in test_wordpress_source.py and test_sync.py."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from redraft.sources.high_water import Mark, modified_of, parse_time

STORED = "2025-04-01T00:00:00+00:00"
T0 = datetime(2025, 4, 1, tzinfo=UTC)


def listed(post_id: int, modified: str | None) -> dict[str, Any]:
    return {"id": post_id, "modified_gmt": modified}


def test_the_lower_bound_is_the_later_of_the_mark_and_since() -> None:
    assert Mark.of(None).lower is None
    assert Mark.of(STORED).lower == T0
    assert Mark.of(STORED, datetime(2025, 3, 1)).lower == T0  # naive: taken as UTC
    later = datetime(2025, 4, 15, 12, tzinfo=UTC)
    assert Mark.of(STORED, later).lower == later
    assert Mark.of("not a time", later).lower == later  # an unreadable mark counts as none
    zoned = datetime(2025, 4, 15, 14, tzinfo=UTC).astimezone()
    assert Mark.of(None, zoned).lower == datetime(2025, 4, 15, 14, tzinfo=UTC)


def test_a_site_that_honours_modified_after_lists_only_later_posts() -> None:
    mark = Mark.of(STORED)
    assert not mark.ignored_by([listed(9, "2025-04-01T00:00:01"), listed(8, "2025-05-01T00:00:00")])
    # A post modified exactly at the mark is at-or-before it: modified_after is strict, so a
    # site listing one ignores the parameter.
    assert mark.ignored_by([listed(9, "2025-05-01T00:00:00"), listed(3, "2025-04-01T00:00:00")])
    assert mark.ignored_by([listed(2, "2024-12-31T23:59:59")])
    assert not Mark.of(None).ignored_by([listed(2, "2024-12-31T23:59:59")])  # no bound asked


def test_the_fallback_keeps_only_changed_posts_newest_first_ties_by_id() -> None:
    listing = [listed(4, "2025-04-02T10:00:00"), listed(7, "2025-04-02T10:00:00"),
               listed(5, "2025-04-01T00:00:00"),  # at the mark: unchanged
               listed(6, "2025-03-01T00:00:00"), listed(9, "2025-04-03T08:00:00"),
               listed(2, None),  # no time: read again, the safe side
               {"id": "x"}, {"id": True}, "junk"]
    assert Mark.of(STORED).changed(listing) == [2, 9, 7, 4]
    assert Mark.of(None).changed(listing[:4]) == [7, 4, 5, 6]


@pytest.mark.parametrize("case", [
    # a complete first sync: the newest modification
    (None, None, True, "2025-05-01T10:00:00", None, "2025-05-01T10:00:00+00:00"),
    # an incomplete one keeps the stored mark (None: nothing to write)
    (STORED, None, False, "2025-05-01T10:00:00", None, None),
    # never at or after the server's second at the start
    (None, None, True, "2025-06-01T12:00:00", "2025-06-01T12:00:00", "2025-06-01T11:59:59+00:00"),
    (None, None, True, "2025-06-01T11:00:00", "2025-06-01T12:00:00", "2025-06-01T11:00:00+00:00"),
    # never backwards (a clock behind the mark, or nothing changed)
    (STORED, None, True, None, None, STORED),
    (STORED, None, True, "2025-05-01T00:00:00", "2025-03-01T00:00:00", STORED),
    # a --since before the mark still covers everything after the mark: it moves
    (STORED, "2025-03-01T00:00:00", True, "2025-05-01T00:00:00", None, "2025-05-01T00:00:00+00:00"),
    # a --since after the mark skipped posts between them: it must not move
    (STORED, "2025-04-15T00:00:00", True, "2025-05-01T00:00:00", None, None),
    (None, "2025-04-15T00:00:00", True, "2025-05-01T00:00:00", None, None),
    # nothing listed and never synced: no mark yet
    (None, None, True, None, "2025-06-01T12:00:00", None),
])
def test_when_the_mark_moves(case: tuple[str | None, str | None, bool, str | None, str | None,
                                         str | None]) -> None:
    stored, since, complete, newest, server, expected = case
    mark = Mark.of(stored, parse_time(since))
    assert mark.advance(complete=complete, newest=parse_time(newest),
                        server_date=parse_time(server)) == expected


def test_posts_sharing_the_newest_second_are_all_below_the_next_bound() -> None:
    # Two posts modified in the same second: the mark is that second, and the next sync asks
    # strictly after it, so neither is asked for again, and a post edited later is.
    newest = modified_of(listed(7, "2025-05-01T10:00:00"))
    moved = Mark.of(STORED).advance(complete=True, newest=newest, server_date=None)
    following = Mark.of(moved)
    assert following.lower == newest
    assert following.changed([listed(7, "2025-05-01T10:00:00"), listed(8, "2025-05-01T10:00:00"),
                              listed(3, "2025-05-01T10:00:01")]) == [3]


def test_modified_times_are_read_as_utc_and_bad_ones_are_none() -> None:
    assert modified_of(listed(1, "2025-05-01T10:00:00")) == datetime(2025, 5, 1, 10, tzinfo=UTC)
    assert modified_of(listed(1, "yesterday")) is None
    assert modified_of(listed(1, None)) is None and modified_of("junk") is None
    assert parse_time("2025-05-01T12:00:00+02:00") == datetime(2025, 5, 1, 10, tzinfo=UTC)
