"""Drafts as files or on standard output: plain text, Markdown with front matter, or JSON Lines.

- ``txt``: one paragraph a line, a blank line, then the draft's credit line (``Source: <title>
  <url> (<date>)``, ``Sources: A (<url>), B (<url>) and C (<url>)`` for a story, its label in
  the article's language).
- ``md``: YAML front matter, the paragraphs, the credit line with each outlet a link.
- ``json``: one object per draft per line, and one ``{key, source, rejected}`` (or ``failed``)
  line for every item that gave no draft, so that every input is accounted for.

With a directory, ``txt`` and ``md`` write one file per draft (named from the title plus a
short digest of the key, so names are stable and never collide) and ``json`` appends to
``drafts.jsonl``. Without one, everything goes to the given stream (standard output).
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import logging
import os
import re
import unicodedata
from pathlib import Path
from typing import Any, BinaryIO, Literal, TextIO

from redraft.errors import PublishError, RedraftError, Rejected
from redraft.jsontext import dumps, utf8
from redraft.records import Draft, Publication, Verdict
from redraft.sinks.markup import (
    front_matter,
    link_refusal,
    md_inline,
    md_link,
    md_text,
    printable,
    safe_link,
)
from redraft.text import words_in

log = logging.getLogger(__name__)

OutputFormat = Literal["txt", "md", "json"]
OUTPUT_FORMATS: tuple[OutputFormat, ...] = ("txt", "md", "json")
JSONL_NAME = "drafts.jsonl"
_FULL_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})  # "no room": say free space
_SLUG_WORDS = 8  # enough of a title to recognise the file, short enough for any file system
_LINE_END = os.linesep.encode()  # what a text file writes for "\n"


def draft_record(verdict: Verdict) -> dict[str, Any]:
    """The JSON form of a verdict's draft: what the ``json`` format writes for each draft."""
    draft = verdict.draft
    article = draft.article
    entry = article.entry
    return {
        "key": entry.key,
        "source": entry.source,
        "title": entry.title,
        "url": entry.url,
        "published": entry.published.isoformat() if entry.published else None,
        "language": article.language,
        "engine": draft.engine,
        "prompt": draft.prompt,
        "attempts": draft.attempts,
        "budget": draft.budget.describe(),
        "paragraphs": list(draft.paragraphs),
        "text": draft.text,
        "credit": draft.credit,
        **({"link_refused": link_refusal(entry.url)} if entry.url and not safe_link(entry.url)
           else {}),
        "source_words": article.words,
        "draft_words": words_in(draft.paragraphs),
        "tokens": {
            "prompt": draft.usage.prompt_tokens,
            "completion": draft.usage.completion_tokens,
        },
        "verdict": {
            "score": round(verdict.score, 4),
            "passed": verdict.passed,
            "problems": [
                {"kind": p.kind, "sentence": p.sentence, "evidence": p.evidence,
                 **({"detail": p.detail} if p.detail else {})}
                for p in verdict.problems
            ],
        },
    }


def skip_record(key: str, source: str, error: RedraftError) -> dict[str, Any]:
    """The JSON line for an item that gave no draft."""
    if isinstance(error, Rejected):
        return {"key": key, "source": source, "rejected": error.reason, "detail": error.detail}
    return {"key": key, "source": source, "failed": type(error).__name__, "detail": str(error)}


def render_txt(verdict: Verdict) -> str:
    """A draft as plain text: one paragraph a line, a blank line, the credit line."""
    lines = list(verdict.draft.paragraphs)
    if verdict.draft.credit:
        lines += ["", verdict.draft.credit]
    if not verdict.passed:
        lines += ["", "[verification failed]"]
        lines += [f"- {p.kind}: {p.sentence}" for p in verdict.problems]
    return "\n".join(lines) + "\n"


def render_md(verdict: Verdict) -> str:
    """A draft as Markdown with YAML front matter and the credit as a link (an http(s) link
    only: any other URL is written as text). Every piece of text is escaped, so nothing in a
    draft renders as markup."""
    draft = verdict.draft
    entry = draft.article.entry
    link = safe_link(entry.url)
    published = entry.published.date().isoformat() if entry.published else None
    front: dict[str, Any] = {
        "title": entry.title,
        "source": link or entry.source,
        "published": published,
        "engine": draft.engine,
        "score": round(verdict.score, 4),
        "passed": verdict.passed,
    }
    refusal = link_refusal(entry.url) if entry.url else ""
    if refusal:
        front["link_refused"] = refusal
    body = [front_matter(front), *(md_text(p) + "\n" for p in draft.paragraphs)]
    credit = md_credit(draft)
    if credit:
        body.append(f"*{credit}*")
    if not verdict.passed:
        body += ["", "> **Verification failed:**"]
        body += [f"> - {md_text(p.kind)}: {md_text(p.sentence)}" for p in verdict.problems]
    return "\n".join(body) + "\n"


def md_credit(draft: Draft) -> str:
    """The draft's credit line as one line of Markdown: each outlet a link when its URL is
    http(s), the rest escaped ("" when there is no credit). It goes inside emphasis
    (``*...*``), so nothing in it starts a Markdown line."""
    # Imported here: only Markdown needs the credit line's pieces (the module, its pattern and
    # its record cost ~5.6 M instructions of a txt or json run's start-up).
    from redraft.sinks.credit import credit_pieces  # noqa: PLC0415

    return "".join(md_link(piece.text, piece.link) if piece.link else md_inline(piece.text)
                   for piece in credit_pieces(draft)).strip()


def file_stem(verdict: Verdict) -> str:
    """A stable, readable file name for a draft: title words plus a digest of its key."""
    entry = verdict.draft.article.entry
    ascii_title = unicodedata.normalize("NFKD", entry.title).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_title.lower())[:_SLUG_WORDS]
    digest = hashlib.sha256(entry.key.encode("utf-8")).hexdigest()[:8]
    return "-".join([*words, digest])


class FileSink:
    """Writes drafts in one format to a directory, or to a stream when ``directory`` is None."""

    def __init__(
        self, fmt: OutputFormat, *, directory: Path | None = None, stream: TextIO | None = None
    ) -> None:
        if fmt not in OUTPUT_FORMATS:
            raise ValueError(f"unknown output format {fmt!r}; use one of {OUTPUT_FORMATS}")
        if directory is None and stream is None:
            raise ValueError("give a directory or a stream")
        self.fmt = fmt
        self.directory = directory
        self._stream = stream
        self._jsonl: BinaryIO | None = None
        self._jsonl_path = directory / JSONL_NAME if directory is not None else None
        self._location = str(self._jsonl_path) if self._jsonl_path is not None else "stdout"
        self._written = 0
        self.name = f"file:{directory}" if directory is not None else "stdout"
        if directory is not None:
            try:
                directory.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise PublishError(f"cannot create the output folder {directory}: "
                                   f"{exc.strerror or exc}; choose another --out",
                                   code="write-failed") from exc

    def write(self, verdict: Verdict) -> Publication:
        """Write one draft; return where it went.

        Raises:
            PublishError: the file could not be written (a full disk, no permission); no
                partial file is left behind.
        """
        entry = verdict.draft.article.entry
        if entry.url and self.fmt == "md" and safe_link(entry.url) is None:
            log.warning("%s: %s", printable_key(entry.key), link_refusal(entry.url))
        if self.fmt == "json":
            self._json_line(draft_record(verdict))
            return Publication(verdict, self.name, self._location)
        text = render_txt(verdict) if self.fmt == "txt" else render_md(verdict)
        if self.directory is None:
            assert self._stream is not None
            if self._written:
                self._stream.write("\n")
            self._stream.write(text)
            self._stream.flush()
            self._written += 1
            return Publication(verdict, self.name, "stdout")
        path = self.directory / f"{file_stem(verdict)}.{self.fmt}"
        temporary = path.with_suffix(path.suffix + ".tmp")
        try:
            temporary.write_text(text, encoding="utf-8")
            temporary.replace(path)
        except OSError as exc:
            with contextlib.suppress(OSError):
                temporary.unlink(missing_ok=True)
            raise _write_error(path, exc) from exc
        return Publication(verdict, self.name, str(path))

    def skip(self, key: str, source: str, error: RedraftError) -> None:
        """In ``json``, write a line for an item that gave no draft; other formats write none."""
        if self.fmt == "json":
            self._json_line(skip_record(key, source, error))

    def _json_line(self, record: dict[str, Any]) -> None:
        path = self._jsonl_path
        if path is None:
            assert self._stream is not None
            self._stream.write(dumps(record) + "\n")
            self._stream.flush()
            return
        # The file takes orjson's UTF-8 bytes as they are, with the line end a text file writes:
        # the same bytes as ``dumps``'s text written through a UTF-8 text file, without decoding
        # them into a string to encode it again (~2.7 KiB a draft: 0.1% of a run's instructions).
        # A record orjson refuses is written from ``dumps``'s text, as before.
        data = utf8(record)
        line = data + _LINE_END if data is not None else dumps(record) + "\n"
        try:
            if self._jsonl is None:
                self._jsonl = path.open("wb")
            self._jsonl.write(line if isinstance(line, bytes) else
                              line.replace("\n", os.linesep).encode("utf-8"))
            self._jsonl.flush()
        except OSError as exc:
            raise _write_error(path, exc) from exc

    def close(self) -> None:
        """Close the JSON Lines file, if one is open (a failed last flush is only logged: its
        error was raised by the write that hit it)."""
        if self._jsonl is not None:
            jsonl, self._jsonl = self._jsonl, None
            try:
                jsonl.close()
            except OSError as exc:
                log.warning("could not close %s: %s", self.directory, exc.strerror or exc)


def printable_key(key: str) -> str:
    """A key as it may be shown in a log line (no control characters, bounded)."""
    return printable(key)[:200]


def _write_error(path: Path, exc: OSError) -> PublishError:
    reason = exc.strerror or str(exc)
    hint = "free some space or choose another --out" if exc.errno in _FULL_ERRNOS \
        else "check the folder's permissions or choose another --out"
    return PublishError(f"cannot write {path}: {reason}; {hint}", code="write-failed")
