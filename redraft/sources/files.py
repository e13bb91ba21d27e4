"""Entries from local input: WordPress REST JSON (an object, an array, JSON Lines), HTML files,
plain-text files, whole directories of them, or standard input.

The format is detected from the content (so a ``.txt`` file holding a REST object is read as
JSON), or forced with ``input_format``. Every file is its own unit: a bad item is yielded as a
:class:`~redraft.errors.Rejected` naming its file and index or line, a file that cannot be read
at all (or fails in a way nobody foresaw) as one rejection naming it, and the rest goes on.

Files and standard input share one size limit, :data:`MAX_FILE_BYTES`. Over it, JSON Lines is
read line by line, at any size (each line is an item); any other format is refused whole with a
rejection naming the input and the limit, since a JSON document or a page has to be parsed
whole. WordPress post objects become entries through :mod:`redraft.wp.posts`.
"""

from __future__ import annotations

import hashlib
import html as htmllib
import itertools
import json
import logging
import os
import re
from collections.abc import Iterable, Iterator, Sequence
from functools import partial
from pathlib import Path
from typing import Any, BinaryIO, Literal

import lxml.html
from lxml import etree

from redraft.errors import InputError, Malformed, Rejected
from redraft.records import Entry, keep_encoded
from redraft.sources import SourceItem
from redraft.sources.charsets import decode, decoded
from redraft.sources.frontmatter import split_front_matter
from redraft.sources.high_water import parse_time
from redraft.text import normalise, paragraphs_of
from redraft.wp.posts import parse_json, plain_text, wp_entry

log = logging.getLogger(__name__)

InputFormat = Literal["auto", "wp-json", "jsonl", "html", "text"]
INPUT_FORMATS: tuple[InputFormat, ...] = ("auto", "wp-json", "jsonl", "html", "text")

# Files (and standard input) larger than this are refused whole, JSON Lines excepted: no
# article is this big, and parsing one would hold the whole run's memory hostage.
MAX_FILE_BYTES = 64 * 1024 * 1024
# How much of a large file is read to tell whether it is JSON Lines (its first line must fit).
_SNIFF_BYTES = 1024 * 1024
_CHUNK_BYTES = 1024 * 1024
_DIR_SUFFIXES = frozenset({".json", ".jsonl", ".ndjson", ".html", ".htm", ".txt", ".text", ".md",
                           ".markdown"})
_XML_DECLARATION = re.compile(r"\A\s*<\?xml[^>]*\?>")
# An XML document whose root is a feed's (after any declaration, comments, doctype).
_FEED_ROOT = re.compile(r"\A(?:\s+|<\?[^>]*\?>|<!--.*?-->|<!DOCTYPE[^>]*>)*<(rss|feed|rdf:RDF)[\s>]",
                        re.IGNORECASE | re.DOTALL)
_WXR_MARK = "wordpress.org/export/"
_HEAD_CHARS = 65536
_SOMETHING = re.compile(r"\S")
_SEP = str(Path("a/b"))[1]  # pathlib's separator ("\\" on Windows)


class FileSource:
    """Entries read from paths (files or directories) or ``-`` for standard input.

    Args:
        paths: files, directories (read recursively, sorted) or ``-``.
        input_format: ``"auto"`` to detect per file, or one format for every file.
        stdin: the binary stream ``-`` reads (the CLI passes ``sys.stdin.buffer``).
    """

    def __init__(
        self,
        paths: Sequence[str | Path],
        *,
        input_format: InputFormat = "auto",
        stdin: BinaryIO | None = None,
    ) -> None:
        if input_format not in INPUT_FORMATS:
            raise InputError(f"unknown input format {input_format!r}; use one of {INPUT_FORMATS}")
        self.paths = [str(p) for p in paths]
        self.input_format = input_format
        self._stdin = stdin
        self.name = "files:" + ",".join(self.paths)
        # Folders' listings made by :meth:`count`, each read once by the next :meth:`files`
        # (or :meth:`entries`) instead of a second scandir of every folder (1.7 M of the
        # instructions of a run over a folder of 150 posts): the run reads the files it counted.
        self._counted: dict[int, list[str]] = {}

    def files(self) -> Iterator[Path | None]:
        """Every file to read, in order (None stands for standard input).

        Raises:
            InputError: a path does not exist.
        """
        for label in self._labels():
            yield None if label is None else Path(label)

    def _labels(self) -> Iterator[str | None]:
        """:meth:`files` as the text of each path, ``str(Path(folder) / relative)``, made by
        joining text: a folder of 150 posts listed, sorted and named cost 6.6 M instructions
        with a path object made, joined and written out for each file, 2.9 M so.

        Raises:
            InputError: a path does not exist.
        """
        for number, (raw, listed) in enumerate(self._inputs()):
            if listed is not None:
                # What pathlib writes before a name in this folder ("" for ".", "/" for "/",
                # "a/b/" for "a//b/"): a relative path of plain names is joined after it as is.
                prefix = str(Path(raw) / "_")[:-1]
                for relative in sorted(self._counted.pop(number, listed), key=_path_order):
                    yield prefix + (relative if _SEP == "/" else relative.replace("/", _SEP))
            else:
                yield None if raw == "-" else str(Path(raw))

    def count(self) -> int:
        """How many files :meth:`files` yields (a run's progress total), none of them made; the
        folders' listings are kept for the next :meth:`files`, which yields the files counted.

        Raises:
            InputError: a path does not exist.
        """
        self._counted.clear()
        total = 0
        for number, (_, listed) in enumerate(self._inputs()):
            if listed is None:
                total += 1
            else:
                self._counted[number] = found = list(listed)
                total += len(found)
        return total

    def _inputs(self) -> Iterator[tuple[str, Iterable[str] | None]]:
        """Each input path with, for a folder, its files (:func:`_listed`, unsorted); None for
        a file or standard input ("-").

        Raises:
            InputError: a path does not exist.
        """
        for raw in self.paths:
            if raw != "-" and os.path.isdir(raw):
                yield raw, _listed(raw, "")
            elif raw == "-" or os.path.isfile(raw):
                yield raw, None
            else:
                raise InputError(f"{raw}: no such file or directory")

    def entries(self) -> Iterator[SourceItem]:
        """Yield an entry, or the reason it could not be made, for every item of every file."""
        for path in self._labels():
            label = "stdin" if path is None else path
            try:
                yield from self._items(path, label)
            except Exception as exc:  # one file's unforeseen failure must not end the run
                log.debug("%s: unexpected failure", label, exc_info=True)
                yield Malformed(
                    f"reading it failed unexpectedly ({type(exc).__name__}: {str(exc)[:200]}); "
                    "its other items, if any, were skipped; run with -vv for the details",
                    key=f"file:{label}", source=label,
                )

    def _items(self, path: str | None, label: str) -> Iterator[SourceItem]:
        if path is None:
            if self._stdin is None:
                raise InputError("'-' was given but there is no standard input to read")
            head = self._stdin.read(MAX_FILE_BYTES + 1)
            if len(head) <= MAX_FILE_BYTES:
                yield from read_items(head, label=label, input_format=self.input_format)
            else:
                yield from self._large(self._stdin, head, label=label, what="standard input")
            return
        try:
            with open(path, "rb") as stream:
                if os.fstat(stream.fileno()).st_size <= MAX_FILE_BYTES:
                    data = stream.read()
                else:
                    yield from self._large(stream, stream.read(_SNIFF_BYTES), label=label,
                                           what="the file")
                    return
        except OSError as exc:
            yield Malformed(f"cannot read: {exc.strerror}", key=f"file:{label}", source=label)
            return
        yield from read_items(data, label=label, input_format=self.input_format)

    def _large(self, stream: BinaryIO, head: bytes, *, label: str, what: str) -> Iterator[SourceItem]:
        """Input over the size limit: JSON Lines is streamed, anything else refused whole."""
        if self.input_format == "jsonl" or (self.input_format == "auto" and _opens_json_lines(head)):
            chunks = itertools.chain([head], iter(partial(stream.read, _CHUNK_BYTES), b""))
            yield from stream_json_lines(chunks, label=label)
            return
        yield Malformed(
            f"{what} is larger than {_limit()}, the limit for anything but "
            "JSON Lines; split it into smaller files, or give it as JSON Lines (one post object "
            "a line), which is read line by line at any size",
            key=f"file:{label}", source=label,
        )


def _listed(directory: str, prefix: str) -> Iterator[str]:
    """The readable files under ``directory`` (recursively, symbolic links to folders not
    followed, hidden files and folders left out), by one ``scandir`` a folder, as paths
    relative to where the listing began (``prefix``: the folders between), so that counting
    them (:meth:`FileSource.count`) makes no path objects."""
    try:
        with os.scandir(directory) as listing:
            found = list(listing)
    except OSError:  # unreadable, or gone since it was listed: skipped, as rglob skips it
        return
    for item in found:
        if item.name.startswith("."):
            continue
        try:
            if item.is_dir(follow_symlinks=False):
                yield from _listed(item.path, f"{prefix}{item.name}/")
            elif os.path.splitext(item.name)[1].lower() in _DIR_SUFFIXES and item.is_file():
                yield prefix + item.name
        except OSError:
            continue


def _path_order(relative: str) -> list[str]:
    """The order of :class:`~pathlib.Path` objects for paths relative to one folder: folder by
    folder ("a/b" before "a-b/c"), case-insensitive where the system's paths are."""
    return [os.path.normcase(part) for part in relative.split("/")]


def read_items(data: bytes, *, label: str, input_format: InputFormat = "auto") -> Iterator[SourceItem]:
    """Entries from one file's bytes (``label`` names the file in keys and messages)."""
    text_or_error, utf8 = decoded(data, label=label)
    if isinstance(text_or_error, Rejected):
        yield text_or_error
        return
    text = text_or_error
    if utf8 and not text.isascii():  # ASCII: its UTF-8 is never asked for (binding it is free)
        # The file's bytes are its text's UTF-8: a file of one post keeps its text as the
        # entry's raw form, checked for lone surrogates and stored as UTF-8 (an encode of
        # 11-15 KB a post: 0.3-0.4% of the instructions of a run over 150 posts).
        keep_encoded(text, data)
    fmt = input_format if input_format != "auto" else sniff(text)
    if fmt == "wp-json":
        yield from _json_items(text, label=label)
    elif fmt == "jsonl":
        for number, line in enumerate(text.splitlines(), start=1):
            if item := _json_line(line, number=number, label=label):
                yield item
    elif fmt == "html":
        yield _not_a_page(text, label=label) if input_format == "auto" and _FEED_ROOT.match(
            text[:_HEAD_CHARS]) else _html_entry(text, label=label)
    else:
        yield _text_entry(text, label=label)


def sniff(text: str) -> InputFormat:
    """Guess a file's format from its first characters (JSON, JSON Lines, HTML or text)."""
    # By positions, not copies: stripping and splitting a post of tens of KB to read its first
    # line cost several copies of it.
    found = _SOMETHING.search(text)
    start = found.start() if found else len(text)
    head = text[start:start + 1]
    if head == "[":
        return "wp-json"
    if head == "{":
        end = text.find("\n", start)
        first = text[start:end] if end >= 0 else ""
        # A first line that does not close its object (a pretty-printed post) is no JSON Line;
        # nor is a lone object (nothing but space after its line).
        if first.rstrip().endswith("}") and _SOMETHING.search(text, end + 1) and _parses(first):
            return "jsonl"
        return "wp-json"
    if head == "<":
        return "html"
    return "text"


def _parses(line: str) -> bool:
    try:
        parse_json(line)
    except ValueError:
        return False
    return True


def _opens_json_lines(head: bytes) -> bool:
    """Whether a large input starts like JSON Lines: a whole first line that is a JSON object."""
    first, newline, _ = head.partition(b"\n")
    try:
        line = first.decode("utf-8").lstrip("\ufeff").strip()
    except UnicodeDecodeError:
        return False
    return bool(newline) and line.startswith("{") and _parses(line)


def _json_items(text: str, *, label: str) -> Iterator[SourceItem]:
    try:
        data = parse_json(text)
    except json.JSONDecodeError as exc:
        yield Malformed(
            f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}",
            key=f"file:{label}", source=label,
        )
        return
    except ValueError as exc:  # nested too deeply
        yield Malformed(str(exc), key=f"file:{label}", source=label)
        return
    if isinstance(data, list):
        for index, item in enumerate(data):
            yield wp_entry(item, label=label, where=f"item {index}")
    else:
        yield wp_entry(data, label=label, where="", raw=text)


def _json_line(line: str, *, number: int, label: str) -> SourceItem | None:
    """The item of one line of JSON Lines (None for a blank line)."""
    if not line.strip():
        return None
    try:
        item = parse_json(line)
    except json.JSONDecodeError as exc:
        return Malformed(f"line {number}: invalid JSON: {exc.msg}",
                         key=f"file:{label}:{number}", source=label)
    except ValueError as exc:  # nested too deeply
        return Malformed(f"line {number}: {exc}", key=f"file:{label}:{number}", source=label)
    return wp_entry(item, label=label, where=f"line {number}", raw=line)


def stream_json_lines(chunks: Iterable[bytes], *, label: str) -> Iterator[SourceItem]:
    """The items of JSON Lines arriving in chunks of bytes, one line at a time, at any size.

    JSON Lines is UTF-8 by definition; a line that is not, or that is longer than
    :data:`MAX_FILE_BYTES`, is rejected by its number and the rest goes on.
    """
    for number, line in enumerate(_lines(chunks), start=1):
        if line is None:
            yield Malformed(f"line {number}: longer than {_limit()}; "
                            "no post is this big", key=f"file:{label}:{number}", source=label)
            continue
        try:
            text = line.decode("utf-8").lstrip("\ufeff") if number == 1 else line.decode("utf-8")
        except UnicodeDecodeError:
            yield Malformed(f"line {number}: not UTF-8 (JSON Lines must be UTF-8); re-save it "
                            "as UTF-8", key=f"file:{label}:{number}", source=label)
            continue
        if item := _json_line(text, number=number, label=label):
            yield item


def _lines(chunks: Iterable[bytes]) -> Iterator[bytes | None]:
    """The lines of a byte stream, without their ends; None for a line over the limit."""
    pending = bytearray()
    too_long = False
    for chunk in chunks:
        start = 0
        while (end := chunk.find(b"\n", start)) >= 0:
            if not too_long:
                pending += chunk[start:end]
            yield None if too_long or len(pending) > MAX_FILE_BYTES else bytes(pending).rstrip(b"\r")
            pending.clear()
            too_long = False
            start = end + 1
        if not too_long:
            pending += chunk[start:]
            if len(pending) > MAX_FILE_BYTES:
                too_long = True
                pending.clear()
    if too_long or pending:
        yield None if too_long else bytes(pending).rstrip(b"\r")


def _limit() -> str:
    return (f"{MAX_FILE_BYTES // 2**20} MiB" if MAX_FILE_BYTES % 2**20 == 0
            else f"{MAX_FILE_BYTES} bytes")


def _not_a_page(text: str, *, label: str) -> Rejected:
    """The rejection of an RSS, Atom or RDF feed (or a WordPress export) given as a file."""
    if _WXR_MARK in text[:_HEAD_CHARS]:
        detail = ("a WordPress export (WXR) file, which redraft does not read yet; read the "
                  "site itself (`redraft sync <site>`) or save its /wp-json/wp/v2/posts pages as "
                  "JSON files")
    else:
        detail = ("an RSS or Atom feed, which redraft does not read from a file yet (it reads a "
                  "WordPress site's feed through `redraft sync <site>`); save the articles as "
                  "HTML or JSON files to rewrite them")
    return Malformed(detail, key=f"file:{label}", source=label)


def _html_entry(text: str, *, label: str) -> Entry | Rejected:
    key = f"file:{label}" if label != "stdin" else _stdin_key(text)
    text = _XML_DECLARATION.sub("", text, count=1)  # XHTML's; lxml refuses it in a str
    try:
        root = lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError) as exc:
        return Malformed(f"cannot be read as HTML ({exc}); check that it is a web page",
                         key=key, source=label)
    title = first_text(root, ("//meta[@property='og:title']/@content", "//title/text()",
                               "//h1//text()"))
    url = first_text(root, ("//link[@rel='canonical']/@href", "//meta[@property='og:url']/@content"))
    published = first_text(root, ("//meta[@property='article:published_time']/@content",
                                   "//time/@datetime"))
    return Entry(
        source=label, key=key, url=url,
        title=title or (Path(label).stem if label != "stdin" else ""),
        html=text, published=parse_time(published), meta={"via": "file", "format": "html"},
    )


def first_text(root: Any, xpaths: Sequence[str]) -> str:
    """The first non-empty text any of ``xpaths`` finds in ``root``, normalised ("" if none)."""
    for xpath in xpaths:
        for value in root.xpath(xpath):
            cleaned = normalise(str(value))
            if cleaned:
                return cleaned
    return ""


def _text_entry(text: str, *, label: str) -> Entry | Rejected:
    key = f"file:{label}" if label != "stdin" else _stdin_key(text)
    fields, text = split_front_matter(text)
    paragraphs = list(paragraphs_of(text))
    if not paragraphs:
        return Malformed("the file holds no text", key=key, source=label)
    title = fields.get("title", "")
    first = paragraphs[0]
    if not title and len(paragraphs) > 1 and len(first.split()) <= 20 \
            and not first.endswith((".", "!", "?")):
        title = paragraphs.pop(0)
    body = "".join(f"<p>{htmllib.escape(p, quote=False)}</p>\n" for p in paragraphs)
    meta: dict[str, Any] = {"via": "file", "format": "text"}
    if fields.get("author"):
        meta["author_name"] = fields["author"]
    return Entry(
        source=label, key=key, url=fields.get("url", ""), title=title, html=body,
        published=fields.get("published"), meta=meta,
    )


def _stdin_key(text: str) -> str:
    return "stdin:" + hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


# Re-exported: the CLI's verify command decodes with the same rules; the WordPress source and
# the feed source still import the post mapping and plain_text from here.
__all__ = ["INPUT_FORMATS", "MAX_FILE_BYTES", "FileSource", "InputFormat", "decode", "plain_text",
           "read_items", "sniff", "stream_json_lines", "wp_entry"]
