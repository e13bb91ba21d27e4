"""Drafts as files or on standard output: plain text, Markdown with front matter, or JSON Lines.

- ``txt``: one paragraph a line, a blank line, then ``Source: <title> <url> (<date>)``.
- ``md``: YAML front matter, the paragraphs, the credit as a link.
- ``json``: one object per draft per line, and one ``{key, source, rejected}`` (or ``failed``)
  line for every item that gave no draft, so that every input is accounted for.

With a directory, ``txt`` and ``md`` write one file per draft (named from the title plus a
short digest of the key, so names are stable and never collide) and ``json`` appends to
``drafts.jsonl``. Without one, everything goes to the given stream (standard output).
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from pathlib import Path
from typing import Any, Literal, TextIO

from redraft.errors import RedraftError, Rejected
from redraft.records import Publication, Verdict

OutputFormat = Literal["txt", "md", "json"]
OUTPUT_FORMATS: tuple[OutputFormat, ...] = ("txt", "md", "json")
JSONL_NAME = "drafts.jsonl"
_SLUG_WORDS = 8  # enough of a title to recognise the file, short enough for any file system


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
        "source_words": article.words,
        "draft_words": draft.words,
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
    """A draft as Markdown with YAML front matter and the credit as a link."""
    draft = verdict.draft
    entry = draft.article.entry
    front = {
        "title": entry.title,
        "source": entry.url or entry.source,
        "published": entry.published.date().isoformat() if entry.published else None,
        "engine": draft.engine,
        "score": round(verdict.score, 4),
        "passed": verdict.passed,
    }
    head = ["---"] + [f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in front.items()]
    body = [*head, "---", "", *(p + "\n" for p in draft.paragraphs)]
    if entry.url:
        date = f" ({front['published']})" if front["published"] else ""
        body.append(f"*Source: [{_md_escape(entry.title or entry.url)}]({entry.url}){date}*")
    elif draft.credit:
        body.append(f"*{_md_escape(draft.credit)}*")
    if not verdict.passed:
        body += ["", "> **Verification failed:**"]
        body += [f"> - {p.kind}: {_md_escape(p.sentence)}" for p in verdict.problems]
    return "\n".join(body) + "\n"


def _md_escape(text: str) -> str:
    return re.sub(r"([\\`*_\[\]<>])", r"\\\1", text)


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
        self._jsonl: TextIO | None = None
        self._written = 0
        self.name = f"file:{directory}" if directory is not None else "stdout"
        if directory is not None:
            directory.mkdir(parents=True, exist_ok=True)

    def write(self, verdict: Verdict) -> Publication:
        """Write one draft; return where it went."""
        if self.fmt == "json":
            self._json_line(draft_record(verdict))
            location = str(self.directory / JSONL_NAME) if self.directory else "stdout"
            return Publication(verdict, self.name, location)
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
        temporary.write_text(text, encoding="utf-8")
        temporary.replace(path)
        return Publication(verdict, self.name, str(path))

    def skip(self, key: str, source: str, error: RedraftError) -> None:
        """In ``json``, write a line for an item that gave no draft; other formats write none."""
        if self.fmt == "json":
            self._json_line(skip_record(key, source, error))

    def _json_line(self, record: dict[str, Any]) -> None:
        line = json.dumps(record, ensure_ascii=False) + "\n"
        if self.directory is not None:
            if self._jsonl is None:
                self._jsonl = (self.directory / JSONL_NAME).open("w", encoding="utf-8")
            self._jsonl.write(line)
            self._jsonl.flush()
        else:
            assert self._stream is not None
            self._stream.write(line)
            self._stream.flush()

    def close(self) -> None:
        """Close the JSON Lines file, if one is open."""
        if self._jsonl is not None:
            self._jsonl.close()
            self._jsonl = None
