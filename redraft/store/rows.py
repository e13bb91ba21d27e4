"""The store's rows as records and records as rows: the state's types and the (de)serialising
of drafts, articles and problems. No SQL here: :mod:`redraft.store` runs the statements."""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, Protocol

from redraft.jsontext import dumps, utf8
from redraft.records import (
    Article,
    Block,
    Budget,
    Draft,
    Entry,
    Problem,
    Usage,
    Verdict,
    encoded,
)
from redraft.text import word_count


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


# --- records of posts on a target and of reviews ----------------------------------------------

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
        remote_digest: the digest of the post as the target answered redraft's write (its raw
            title, content, excerpt, terms and image): an edit made in the same second as that
            write leaves ``modified`` as it was, but not this (None before it was recorded).
    """

    key: str
    target: str
    draft_id: int
    remote_id: str | None
    link: str | None
    status: str
    modified: str | None = None
    sent_hash: str | None = None
    remote_digest: str | None = None


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


_LAST_NOW = (-1, "")  # the second now() last wrote, and its text


def now() -> str:
    """The time as UTC ISO text to the second: ``datetime.now(UTC).isoformat(timespec=
    "seconds")``, written once a second (an item's writes ask for it half a dozen times).
    ``datetime.now`` reads the same clock as ``time.time_ns`` and floors it to the
    microsecond, so its second is the clock's whole seconds."""
    global _LAST_NOW  # noqa: PLW0603  (one tuple, swapped whole: safe between threads)
    second = time.time_ns() // 1_000_000_000
    last = _LAST_NOW
    if last[0] == second:
        return last[1]
    text = datetime.fromtimestamp(second, UTC).isoformat(timespec="seconds")
    _LAST_NOW = (second, text)
    return text


def iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def json_column(value: Any) -> bytes | str:
    """``dumps(value)`` for a column bound as ``CAST(? AS TEXT)``: the UTF-8 bytes orjson writes
    (SQLite keeps them as they are, as text), or the string ``dumps`` writes for a value orjson
    refuses (a lone surrogate: stored as U+FFFD, as any text). The same text either way; a
    string is decoded from orjson's bytes only to be encoded again for SQLite: for a draft's
    article (~8 KiB) alone, 0.4% of the instructions of a run over 150 posts."""
    data = utf8(value)
    return data if data is not None else dumps(value)


def text_column(text: str) -> bytes | str:
    """``text`` for a column bound as ``CAST(? AS TEXT)``: its UTF-8 bytes where the run has
    them already (:func:`redraft.records.encoded`: a post's body and raw JSON, encoded for the
    valid-text check), which SQLite keeps as they are, as text; else the string itself (ASCII,
    which SQLite binds without a copy, or one with a lone surrogate, stored as U+FFFD as any
    parameter). The same text either way; binding the string would encode it once more."""
    if text.isascii():
        return text
    data = encoded(text)
    return data if data is not None else text


def problems_json(problems: Sequence[Problem]) -> str:
    return dumps(
        [{"kind": p.kind, "sentence": p.sentence, "evidence": p.evidence, "detail": p.detail}
         for p in problems])


def article_json(article: Article) -> bytes | str:
    return json_column({
        "blocks": [[block.kind, block.text] for block in article.blocks],
        "captions": list(article.captions),
        "language": article.language,
    })


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
        blocks=tuple(Block(kind, text, word_count(text)) for kind, text in data["blocks"]),
        captions=tuple(data["captions"]),
        language=data["language"],
    )
    draft = Draft(
        article=article,
        paragraphs=tuple(json.loads(row["paragraphs"])),
        engine=row["engine"],
        budget=Budget.parse(row["budget"]),
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
