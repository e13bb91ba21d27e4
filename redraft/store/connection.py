"""The SQLite connection of the store: every statement's rows fetched, and every
``sqlite3.Error`` turned into a :class:`~redraft.errors.StoreError` that names the file and
says what to do (a full disk, a lock, a damaged file); text SQLite cannot encode (lone
surrogates) stored as U+FFFD."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator, Sequence
from typing import Any

from redraft.errors import StoreError

_SURROGATES = re.compile("[\ud800-\udfff]")


def storable(value: Any) -> Any:
    """A parameter SQLite can encode: lone surrogates (never valid UTF-8) become U+FFFD."""
    return _SURROGATES.sub("\ufffd", value) if isinstance(value, str) else value


class Result:
    """A statement's rows, fetched while errors are still translated."""

    def __init__(self, rows: list[Any], lastrowid: int | None) -> None:
        self._rows = rows
        self.lastrowid = lastrowid

    def fetchone(self) -> Any:  # a Row, or None (as sqlite3 types it)
        return self._rows[0] if self._rows else None

    def fetchall(self) -> list[Any]:
        return self._rows

    def __iter__(self) -> Iterator[Any]:
        return iter(self._rows)


def store_error(exc: Exception, path: str) -> StoreError:
    """A :class:`StoreError` for a failed statement: what happened and what to do."""
    name = getattr(exc, "sqlite_errorname", "")
    if name == "SQLITE_FULL":
        return StoreError(f"the state database {path} is full (no space left on its disk): "
                          "free some space and run again; everything stored so far is kept")
    if name in {"SQLITE_BUSY", "SQLITE_LOCKED"}:
        return StoreError(f"the state database {path} is locked by another redraft: "
                          "wait for it to finish, or use another --db")
    if name in {"SQLITE_READONLY", "SQLITE_CANTOPEN", "SQLITE_PERM", "SQLITE_IOERR"} or \
            name.startswith(("SQLITE_READONLY_", "SQLITE_IOERR_", "SQLITE_CANTOPEN_")):
        return StoreError(f"cannot write the state database {path} ({exc}): check that its "
                          "disk has space and the file's permissions, or pass another with --db")
    if name in {"SQLITE_CORRUPT", "SQLITE_NOTADB"}:
        return StoreError(f"the state database {path} is damaged or not a redraft database "
                          f"({exc}): pass another with --db")
    return StoreError(f"the state database {path} failed: {exc}")


def sql_literal(text: str) -> str:
    """``text`` as an SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


class Connection:
    """The SQLite connection, with every ``sqlite3.Error`` turned into a :class:`StoreError`
    that names the file and says what to do."""

    def __init__(self, connection: sqlite3.Connection, path: str) -> None:
        self.raw = connection
        self.path = path
        # One cursor for every statement: ``Connection.execute`` makes a cursor per call, and
        # an item runs a score of statements (1.8 K of the 12 K instructions of a one-row
        # DELETE). Each statement's rows are fetched before the next runs, and a statement that
        # returns none is reset as soon as it is done, so none is left pending in it. It reads
        # rows with the factory the connection has now (the store sets it before this).
        self._cursor = connection.cursor()

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Result:
        try:
            cursor = self._run(sql, params)
            return Result(cursor.fetchall(), cursor.lastrowid)
        except sqlite3.Error as exc:
            raise store_error(exc, self.path) from exc

    def write(self, sql: str, params: Sequence[Any] = ()) -> int | None:
        """A statement that returns no rows (an insert, an update, a delete, ``COMMIT``): its
        ``lastrowid``, without the rows :meth:`execute` fetches and wraps (an item writes a
        dozen and a half of them)."""
        try:
            return self._run(sql, params).lastrowid
        except sqlite3.Error as exc:
            raise store_error(exc, self.path) from exc

    def _run(self, sql: str, params: Sequence[Any]) -> sqlite3.Cursor:
        """The statement run, text SQLite cannot encode (lone surrogates) stored as U+FFFD."""
        try:
            return self._cursor.execute(sql, params)
        except UnicodeEncodeError:
            return self._cursor.execute(sql, [storable(value) for value in params])

    def many(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        """One statement over many rows (one call into SQLite, the statement prepared once)."""
        try:
            try:
                self._cursor.executemany(sql, rows)
            except UnicodeEncodeError:
                self._cursor.executemany(sql, [[storable(value) for value in row] for row in rows])
        except sqlite3.Error as exc:
            raise store_error(exc, self.path) from exc

    def script(self, sql: str) -> None:
        try:
            self.raw.executescript(sql)
        except sqlite3.Error as exc:
            if self.raw.in_transaction:
                self.raw.execute("ROLLBACK")
            raise store_error(exc, self.path) from exc

    def close(self) -> None:
        self.raw.close()
