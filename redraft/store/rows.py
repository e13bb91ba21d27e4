"""The store's rows as records and records as rows: the state's types, the (de)serialising of
drafts, articles and problems, statement results and their errors. No SQL and no database
here: :mod:`redraft.store` runs the statements."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, Protocol

from redraft.errors import StoreError
from redraft.records import Article, Block, Budget, Draft, Entry, Problem, Usage, Verdict

_SURROGATES = re.compile("[\ud800-\udfff]")


class Row(Protocol):
    """A result row, read by column name."""

    def __getitem__(self, key: str) -> Any: ...


class EntryState(StrEnum):
    """What a run must do with an entry, given what the store already holds."""

    NEW = "new"
    CHANGED = "changed"
    UNCHANGED = "unchanged"


@dataclass(frozen=True, slots=True)
class StoredDraft:
    """A draft as stored: its verdict (with draft, article and entry rebuilt) and its row id."""

    id: int
    verdict: Verdict
    recipe: str
    created_at: str


@dataclass(frozen=True, slots=True)
class SiteState:
    """A site's sync state: its API root, the high-water mark and the last sync time."""

    site: str
    api_root: str | None
    high_water: str | None
    last_sync: str | None
    state: dict[str, Any]


@dataclass(frozen=True, slots=True)
class PublicationRow:
    """Where an entry's draft was published on a target."""

    key: str
    target: str
    draft_id: int
    remote_id: str | None
    link: str | None
    status: str


# --- publish helper's block: records of posts on a target and of reviews ---------------------

@dataclass(frozen=True, slots=True)
class PostRecord:
    """The post redraft made for an entry on a target, as the target last answered.

    Attributes:
        key: the entry.
        target: the target's name (``wordpress:<site>``).
        draft_id: the draft last sent.
        remote_id: the post's ID on the target.
        link: the post's link.
        status: the post's status when redraft last wrote it.
        modified: the target's ``modified`` time when redraft last wrote it (None for posts
            published before redraft recorded it: it cannot tell whether they were edited).
        sent_hash: the digest of what was sent (None, likewise).
    """

    key: str
    target: str
    draft_id: int
    remote_id: str | None
    link: str | None
    status: str
    modified: str | None = None
    sent_hash: str | None = None


@dataclass(frozen=True, slots=True)
class Review:
    """An editor's decision on a draft: ``approved`` or ``rejected``, by whom, when, why."""

    key: str
    draft_id: int
    decision: str
    who: str
    note: str
    decided_at: str


def extent(text: str) -> dict[str, Any]:
    """The size and digest of a text that is not kept whole."""
    data = text.encode("utf-8", "surrogatepass")
    return {"chars": len(text), "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def problems_json(problems: Sequence[Problem]) -> str:
    return json.dumps(
        [{"kind": p.kind, "sentence": p.sentence, "evidence": p.evidence, "detail": p.detail}
         for p in problems],
        ensure_ascii=False,
    )


def article_json(article: Article) -> str:
    return json.dumps(
        {
            "blocks": [[block.kind, block.text] for block in article.blocks],
            "captions": list(article.captions),
            "language": article.language,
        },
        ensure_ascii=False,
    )


def entry_from(row: Row) -> Entry:
    def when(value: str | None) -> datetime | None:
        return datetime.fromisoformat(value) if value else None

    return Entry(
        source=row["source"], key=row["key"], url=row["url"], title=row["title"],
        html=row["html"], published=when(row["published"]), modified=when(row["modified"]),
        meta=json.loads(row["meta"]), raw=row["raw"],
    )


def stored_draft_from(row: Row) -> StoredDraft:
    entry = entry_from(row)
    data = json.loads(row["article"])
    article = Article(
        entry=entry,
        blocks=tuple(Block(kind, text) for kind, text in data["blocks"]),
        captions=tuple(data["captions"]),
        language=data["language"],
    )
    kind, _, value = row["budget"].partition("=")
    draft = Draft(
        article=article,
        paragraphs=tuple(json.loads(row["paragraphs"])),
        engine=row["engine"],
        budget=Budget(kind, float(value)),
        prompt=row["prompt"],
        attempts=row["attempts"],
        usage=Usage(row["prompt_tokens"], row["completion_tokens"]),
        credit=row["credit"],
    )
    problems = tuple(
        Problem(p["kind"], p["sentence"], p["evidence"], p.get("detail", ""))
        for p in json.loads(row["problems"])
    )
    verdict = Verdict(draft, row["score"], bool(row["passed"]), problems)
    return StoredDraft(row["id"], verdict, row["recipe"], row["created_at"])


# --- statements' parameters, results and errors -------------------------------------------

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
