"""The watch list: the sources ``redraft sync`` reads when given no URL, each with its options.

Kept in the store's ``watch_list`` table (migration ``0110_watch_list``); this module is the
store's block for it, through the store's connection.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import UTC, datetime

from redraft.store import Store


@dataclass(frozen=True, slots=True)
class Watched:
    """One source on the list.

    Attributes:
        url: what ``redraft sync`` is given (a site, a feed, a sitemap).
        name: a label for people.
        category: a path such as ``News/Local`` (OPML folders).
        language: the language of its articles ("" detects it).
        include: comma-separated words; when given, only items with one of them are drafted.
        exclude: comma-separated words; items with one of them are skipped.
        budget: a length such as ``words=120``, ``sentences=3`` or ``ratio=0.3`` ("" for the
            default).
    """

    url: str
    name: str = ""
    category: str = ""
    language: str = ""
    include: str = ""
    exclude: str = ""
    budget: str = ""


_FIELDS = ("url", "name", "category", "language", "include", "exclude", "budget")


class WatchList:
    """The watch list in one store."""

    def __init__(self, store: Store) -> None:
        self._db = store._db  # the store's own connection: this is its watch-list block

    def add(self, source: Watched) -> None:
        """Add a source, or replace the options of one already listed."""
        values = asdict(source)
        self._db.execute(
            f"INSERT INTO watch_list ({', '.join(_FIELDS)}, added_at) VALUES "
            f"({', '.join('?' for _ in _FIELDS)}, ?) ON CONFLICT (url) DO UPDATE SET "
            + ", ".join(f"{name} = excluded.{name}" for name in _FIELDS[1:]),
            (*(values[name] for name in _FIELDS), datetime.now(UTC).isoformat(timespec="seconds")),
        )

    def remove(self, url: str) -> bool:
        """Remove a source by its URL or name; False when it is not listed."""
        listed = self._db.execute("SELECT 1 FROM watch_list WHERE url = ? OR name = ?",
                                  (url, url)).fetchone() is not None
        self._db.execute("DELETE FROM watch_list WHERE url = ? OR name = ?", (url, url))
        return listed

    def sources(self) -> list[Watched]:
        """Every source, by category then the order they were added."""
        rows = self._db.execute(
            f"SELECT {', '.join(_FIELDS)} FROM watch_list ORDER BY category, added_at, url")
        return [Watched(*row) for row in rows]


def text_origins(store: Store) -> dict[str, dict[str, int]]:
    """Per source, how its entries' text was obtained: ``{"feed": n, "page": m}`` (entries of
    feeds, sitemaps and pages only; WordPress posts and files carry no ``text_from``)."""
    rows = store._db.execute(
        "SELECT source, json_extract(meta, '$.text_from') AS origin, count(*) FROM entries "
        "WHERE json_extract(meta, '$.text_from') IS NOT NULL GROUP BY source, origin")
    origins: dict[str, dict[str, int]] = {}
    for source, origin, count in rows:
        origins.setdefault(str(source), {})[str(origin)] = int(count)
    return origins
