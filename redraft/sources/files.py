"""Entries from local input: WordPress REST JSON (an object, an array, JSON Lines), HTML files,
plain-text files, whole directories of them, or standard input.

The format is detected from the content (so a ``.txt`` file holding a REST object is read as
JSON), or forced with ``input_format``. A bad item is yielded as a
:class:`~redraft.errors.Rejected` naming its file and index or line; the rest goes on.
"""

from __future__ import annotations

import hashlib
import html as htmllib
import json
import re
from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any, BinaryIO, Literal

import lxml.html
from charset_normalizer import from_bytes
from lxml import etree

from redraft.errors import InputError, Malformed, Protected, Rejected
from redraft.records import Entry
from redraft.sources import SourceItem
from redraft.text import normalise, paragraphs_of

InputFormat = Literal["auto", "wp-json", "jsonl", "html", "text"]
INPUT_FORMATS: tuple[InputFormat, ...] = ("auto", "wp-json", "jsonl", "html", "text")

# Files larger than this are refused whole: no article is this big, and parsing one would
# hold the whole run's memory hostage.
MAX_FILE_BYTES = 64 * 1024 * 1024
_DIR_SUFFIXES = frozenset({".json", ".jsonl", ".ndjson", ".html", ".htm", ".txt", ".text"})
_META_CHARSET = re.compile(rb"""<meta[^>]+charset=["']?([A-Za-z0-9_\-]+)""", re.IGNORECASE)
_API_MARKERS = ("/wp-json/", "/index.php?rest_route=", "/?rest_route=")


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

    def files(self) -> Iterator[Path | None]:
        """Every file to read, in order (None stands for standard input).

        Raises:
            InputError: a path does not exist.
        """
        for raw in self.paths:
            if raw == "-":
                yield None
                continue
            path = Path(raw)
            if path.is_dir():
                yield from sorted(
                    p for p in path.rglob("*")
                    if p.is_file() and p.suffix.lower() in _DIR_SUFFIXES
                    and not any(part.startswith(".") for part in p.relative_to(path).parts)
                )
            elif path.is_file():
                yield path
            else:
                raise InputError(f"{raw}: no such file or directory")

    def entries(self) -> Iterator[SourceItem]:
        """Yield an entry, or the reason it could not be made, for every item of every file."""
        for path in self.files():
            label = "stdin" if path is None else str(path)
            try:
                data = self._read(path)
            except Rejected as rejected:
                yield rejected
                continue
            yield from read_items(data, label=label, input_format=self.input_format)

    def _read(self, path: Path | None) -> bytes:
        if path is None:
            if self._stdin is None:
                raise InputError("'-' was given but there is no standard input to read")
            return self._stdin.read(MAX_FILE_BYTES + 1)
        try:
            if path.stat().st_size > MAX_FILE_BYTES:
                raise Malformed(
                    f"file is larger than {MAX_FILE_BYTES // 2**20} MiB; split it into "
                    "smaller files (JSON Lines works well)",
                    key=f"file:{path}", source=str(path),
                )
            return path.read_bytes()
        except OSError as exc:
            raise Malformed(f"cannot read: {exc.strerror}", key=f"file:{path}",
                            source=str(path)) from exc


def read_items(data: bytes, *, label: str, input_format: InputFormat = "auto") -> Iterator[SourceItem]:
    """Entries from one file's bytes (``label`` names the file in keys and messages)."""
    text_or_error = decode(data, label=label)
    if isinstance(text_or_error, Rejected):
        yield text_or_error
        return
    text = text_or_error
    fmt = input_format if input_format != "auto" else sniff(text)
    if fmt == "wp-json":
        yield from _json_items(text, label=label)
    elif fmt == "jsonl":
        yield from _jsonl_items(text, label=label)
    elif fmt == "html":
        yield _html_entry(text, label=label)
    else:
        yield _text_entry(text, label=label)


def sniff(text: str) -> InputFormat:
    """Guess a file's format from its first characters (JSON, JSON Lines, HTML or text)."""
    head = text.lstrip()[:1]
    if head == "[":
        return "wp-json"
    if head == "{":
        first, _, rest = text.strip().partition("\n")
        if rest.strip() and _parses(first):
            return "jsonl"
        return "wp-json"
    if head == "<":
        return "html"
    return "text"


def _parses(line: str) -> bool:
    try:
        json.loads(line)
    except ValueError:
        return False
    return True


def decode(data: bytes, *, label: str) -> str | Rejected:
    """Bytes to text: a BOM, UTF-8, an HTML meta charset, then a statistical guess."""
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            return data.decode(codec, errors="replace").lstrip("\ufeff")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    declared = _META_CHARSET.search(data[:4096])
    if declared:
        try:
            return data.decode(declared.group(1).decode("ascii"))
        except (LookupError, UnicodeDecodeError):
            pass
    western = _as_western(data)
    if western is not None:
        return western
    guess = from_bytes(data[: 1024 * 1024]).best()
    if guess is not None and guess.encoding:
        return data.decode(guess.encoding, errors="replace")
    return Malformed(
        "not valid UTF-8 and its encoding could not be recognised; re-save it as UTF-8",
        key=f"file:{label}", source=label,
    )


# In Western European text, accented letters are a minority; when most letters would decode
# to accented ones, the bytes are some other script (Cyrillic, Greek) and cp1252 is wrong.
_MAX_ACCENTED_SHARE = 0.3
_WESTERN_EXTRA = frozenset("“”‘’‚„–—…€«»°£§©®·¡¿•™ ")


def _as_western(data: bytes) -> str | None:
    """Text decoded as Windows-1252 (the web's legacy Western encoding), if it looks right.

    Statistical detectors guess badly on short Western texts, which are the common case of
    non-UTF-8 input here; this check is exact for them and declines everything else.
    """
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    letters = accented = 0
    for char in text:
        if char.isascii():
            letters += char.isalpha()
        elif char.isalpha() and ("\u00c0" <= char <= "\u00ff" or char in "ŒœŠšŽžŸ"):
            letters += 1
            accented += 1
        elif char not in _WESTERN_EXTRA:
            return None
    return text if letters and accented / letters <= _MAX_ACCENTED_SHARE else None


def _json_items(text: str, *, label: str) -> Iterator[SourceItem]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        yield Malformed(
            f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}",
            key=f"file:{label}", source=label,
        )
        return
    if isinstance(data, list):
        for index, item in enumerate(data):
            yield wp_entry(item, label=label, where=f"item {index}")
    else:
        yield wp_entry(data, label=label, where="", raw=text)


def _jsonl_items(text: str, *, label: str) -> Iterator[SourceItem]:
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Malformed(f"line {number}: invalid JSON: {exc.msg}",
                            key=f"file:{label}:{number}", source=label)
            continue
        yield wp_entry(item, label=label, where=f"line {number}", raw=line)


def wp_entry(item: Any, *, label: str, where: str, raw: str | None = None) -> Entry | Rejected:
    """An entry from one WordPress REST API post object (``/wp/v2/posts`` item shape)."""
    fallback_key = f"file:{label}" + (f":{where}" if where else "")
    prefix = f"{where}: " if where else ""
    if not isinstance(item, Mapping):
        return Malformed(f"{prefix}expected a WordPress post object, got {type(item).__name__}",
                         key=fallback_key, source=label)
    content = item.get("content")
    if not isinstance(content, Mapping) or not isinstance(content.get("rendered"), str):
        return Malformed(
            f"{prefix}not a WordPress post object: it has no content.rendered "
            "(expected what /wp/v2/posts returns)",
            key=fallback_key, source=label,
        )
    site = _site_root(item)
    post_id = item.get("id")
    kind = str(item.get("type") or "post")
    if post_id is None:
        key = fallback_key
    else:
        key = f"{site}#{post_id}" if kind == "post" else f"{site}#{kind}/{post_id}"
    if content.get("protected") and not content["rendered"].strip():
        return Protected("password-protected post: its content is not public; skip it or "
                         "export it with credentials", key=key, source=label)
    return Entry(
        source=label,
        key=key,
        url=str(item.get("link") or ""),
        title=plain_text(_rendered(item.get("title"))),
        html=content["rendered"],
        published=_wp_time(item.get("date"), item.get("date_gmt")),
        modified=_wp_time(item.get("modified"), item.get("modified_gmt")),
        meta=_wp_meta(item, site),
        raw=raw if raw is not None else json.dumps(item, ensure_ascii=False),
    )


def _rendered(field: Any) -> str:
    if isinstance(field, Mapping):
        return str(field.get("rendered") or "")
    return str(field or "")


def plain_text(fragment: str) -> str:
    """Text of an HTML fragment (a title, an excerpt): tags stripped, entities decoded once."""
    if "<" not in fragment:
        return normalise(htmllib.unescape(fragment))
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (etree.ParserError, ValueError):
        return normalise(htmllib.unescape(re.sub(r"<[^>]*>", " ", fragment)))
    return normalise(root.text_content())


def _site_root(item: Mapping[str, Any]) -> str:
    links = item.get("_links")
    if isinstance(links, Mapping):
        for href in (link.get("href", "") for link in links.get("self") or []
                     if isinstance(link, Mapping)):
            for marker in _API_MARKERS:
                if marker in href:
                    return str(href).split(marker, 1)[0].rstrip("/")
    match = re.match(r"https?://[^/?#]+", str(item.get("link") or item.get("guid") or ""))
    return match.group(0) if match else "unknown-site"


def _wp_time(local: Any, gmt: Any) -> datetime | None:
    """The site's local time, with its UTC offset when both forms are given."""
    try:
        when = datetime.fromisoformat(str(local)) if local else None
        utc = datetime.fromisoformat(str(gmt)) if gmt else None
    except ValueError:
        return None
    if when is None:
        return utc.replace(tzinfo=UTC) if utc is not None else None
    if when.tzinfo is None and utc is not None and utc.tzinfo is None:
        offset = when - utc
        if abs(offset) <= timedelta(hours=14):
            return when.replace(tzinfo=timezone(offset))
    return when


def _wp_meta(item: Mapping[str, Any], site: str) -> dict[str, Any]:
    meta: dict[str, Any] = {"site": site, "via": "file", "type": item.get("type") or "post"}
    for name in ("id", "slug", "author", "categories", "tags", "featured_media"):
        if item.get(name) not in (None, "", []):
            meta[name] = item[name]
    excerpt = plain_text(_rendered(item.get("excerpt")))
    if excerpt:
        meta["excerpt"] = excerpt
    embedded = item.get("_embedded")
    if isinstance(embedded, Mapping):
        meta.update(embedded_meta(embedded))
    return meta


def embedded_meta(embedded: Mapping[str, Any]) -> dict[str, Any]:
    """Category and tag names, author name and featured image URL from ``_embedded``."""
    meta: dict[str, Any] = {}
    authors = embedded.get("author") or []
    if authors and isinstance(authors[0], Mapping) and authors[0].get("name"):
        meta["author_name"] = str(authors[0]["name"])
    for group in embedded.get("wp:term") or []:
        for term in group if isinstance(group, list) else []:
            if isinstance(term, Mapping) and term.get("taxonomy") in ("category", "post_tag"):
                name = "category_names" if term["taxonomy"] == "category" else "tag_names"
                meta.setdefault(name, []).append(plain_text(str(term.get("name", ""))))
    media = embedded.get("wp:featuredmedia") or []
    if media and isinstance(media[0], Mapping) and media[0].get("source_url"):
        meta["featured_image"] = str(media[0]["source_url"])
    return meta


def _html_entry(text: str, *, label: str) -> Entry | Rejected:
    key = f"file:{label}" if label != "stdin" else _stdin_key(text)
    try:
        root = lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError) as exc:
        return Malformed(f"cannot parse as HTML: {exc}", key=key, source=label)
    title = _first_text(root, ("//meta[@property='og:title']/@content", "//title/text()",
                               "//h1//text()"))
    url = _first_text(root, ("//link[@rel='canonical']/@href", "//meta[@property='og:url']/@content"))
    published = _first_text(root, ("//meta[@property='article:published_time']/@content",
                                   "//time/@datetime"))
    return Entry(
        source=label, key=key, url=url,
        title=title or (Path(label).stem if label != "stdin" else ""),
        html=text, published=_parse_time(published), meta={"via": "file", "format": "html"},
    )


def _first_text(root: Any, xpaths: Sequence[str]) -> str:
    for xpath in xpaths:
        for value in root.xpath(xpath):
            cleaned = normalise(str(value))
            if cleaned:
                return cleaned
    return ""


def _parse_time(value: str) -> datetime | None:
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")) if value else None
    except ValueError:
        return None


def _text_entry(text: str, *, label: str) -> Entry | Rejected:
    key = f"file:{label}" if label != "stdin" else _stdin_key(text)
    paragraphs = list(paragraphs_of(text))
    if not paragraphs:
        return Malformed("the file holds no text", key=key, source=label)
    title = ""
    first = paragraphs[0]
    if len(paragraphs) > 1 and len(first.split()) <= 20 and not first.endswith((".", "!", "?")):
        title = paragraphs.pop(0)
    body = "".join(f"<p>{htmllib.escape(p, quote=False)}</p>\n" for p in paragraphs)
    return Entry(
        source=label, key=key, url="", title=title, html=body,
        meta={"via": "file", "format": "text"},
    )


def _stdin_key(text: str) -> str:
    return "stdin:" + hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]
