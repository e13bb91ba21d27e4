"""Text made safe for the markup a sink writes: links, Markdown, YAML front matter, WordPress.

Whatever a source sends, what a sink writes must not run: only absolute ``http(s)`` URLs
become links (``javascript:``, ``data:`` and the rest are shown as text, with a reason), text
is escaped for the format it lands in, and WordPress shortcodes (``[gallery]``) are written as
entities so that the target site shows them instead of running them. The escaping holds even
when a tag gets through extraction: the sinks never rely on the text being clean.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from functools import cache
from typing import Any
from urllib.parse import quote, urlsplit

LINK_SCHEMES = frozenset({"http", "https"})
# Control characters, whitespace and the line breaks YAML and browsers honour inside a URL.
_UNSAFE_IN_URL = re.compile(r"[\x00-\x20\x7f-\x9f\u2028\u2029\ufeff]")
_WHITESPACE = re.compile(r"[\s\u2028\u2029\ufeff]+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# Characters a URL keeps as they are in a Markdown link destination; the rest is percent-encoded
# (parentheses, angle brackets, quotes and backslashes would end or bend the destination).
_MD_URL_SAFE = "!#$%&'*+,-./:;=?@[]_~"
# Escaped wherever they appear: emphasis, code, links, HTML, entities, tables, strikethrough.
_MD_INLINE = re.compile(r"([\\`*_\[\]<>&|~])")
# Escaped at the start of a line only: headings, lists, block quotes, thematic breaks.
_MD_LINE_START = re.compile(r"^([#+\-=>])|^(\d+)([.)])")
# Tags whose text is never shown (a term name made of a script is empty, not its code).
_HIDDEN_TAGS = frozenset({"script", "style", "template", "noscript", "iframe", "object"})
_FRONT_MATTER_WIDTH = 1 << 20  # never fold a long title over several lines


def safe_link(url: str) -> str | None:
    """``url`` when it may become a link: absolute ``http``/``https`` with a host, no spaces or
    control characters; otherwise None (show it as text, or drop it)."""
    candidate = url.strip()
    if not candidate or _UNSAFE_IN_URL.search(candidate):
        return None
    try:
        parts = urlsplit(candidate)
        host = parts.hostname
    except ValueError:
        return None
    if parts.scheme.lower() not in LINK_SCHEMES or not host:
        return None
    return candidate


def link_refusal(url: str) -> str:
    """Why ``url`` is not made a link (for logs and notes); "" when it is a safe link."""
    if safe_link(url) is not None:
        return ""
    if not url.strip():
        return "no link"
    scheme = url.strip().split(":", 1)[0] if ":" in url else ""
    shown = printable(url)[:80]
    if scheme and scheme.isalpha() and scheme.lower() not in LINK_SCHEMES:
        return f"link {shown!r} is not http(s) ({scheme.lower()}:); shown as text"
    return f"link {shown!r} is not a valid http(s) URL; shown as text"


def printable(text: str) -> str:
    """``text`` on one line, without control characters (for logs, notes and credits)."""
    return _CONTROL.sub("", _WHITESPACE.sub(" ", text)).strip()


def strip_controls(text: str) -> str:
    """``text`` without control characters (terminal escapes), line breaks made spaces."""
    return _CONTROL.sub("", text.replace("\n", " "))


# --- Markdown ----------------------------------------------------------------------------------

def md_text(text: str) -> str:
    """``text`` as one line of Markdown that renders as exactly that text, never as markup."""
    line = _MD_INLINE.sub(r"\\\1", printable(text))
    return _MD_LINE_START.sub(lambda m: f"\\{m[1]}" if m[1] else f"{m[2]}\\{m[3]}", line)


def md_inline(text: str) -> str:
    """A run of text inside a Markdown line, escaped (its spaces kept; see :func:`md_text`)."""
    return _MD_INLINE.sub(r"\\\1", _CONTROL.sub("", _WHITESPACE.sub(" ", text)))


def md_url(url: str) -> str:
    """A safe link (see :func:`safe_link`) as a Markdown link destination."""
    return quote(url, safe=_MD_URL_SAFE).replace("&", "\\&")


def md_link(text: str, url: str) -> str:
    """``[text](url)`` when ``url`` is a safe link, else the escaped text and the URL as text."""
    link = safe_link(url)
    if link is None:
        shown = md_text(text)
        return f"{shown} ({md_text(url)})" if url.strip() and text != url else md_text(url or text)
    return f"[{md_text(text or link)}]({md_url(link)})"


def front_matter(fields: dict[str, Any]) -> str:
    """YAML front matter (between ``---`` lines) from plain values, through a safe emitter;
    strings are put on one line first, so no value can close the block."""
    # Imported here: only the Markdown output needs the YAML emitter.
    import yaml  # noqa: PLC0415

    clean = {key: printable(value) if isinstance(value, str) else value
             for key, value in fields.items()}
    body = yaml.safe_dump(clean, allow_unicode=True, sort_keys=False,
                          default_flow_style=False, width=_FRONT_MATTER_WIDTH)
    return f"---\n{body}---\n"


# --- WordPress ---------------------------------------------------------------------------------

def wp_text(text: str) -> str:
    """Plain text as HTML for a WordPress post: escaped, with square brackets as entities so that
    no shortcode (``[gallery]``, ``[[audio]]``) runs on the target site."""
    return neutralise_shortcodes(html.escape(text, quote=False))


def neutralise_shortcodes(markup: str) -> str:
    """Square brackets as ``&#91;``/``&#93;``: shown as brackets, never parsed as a shortcode."""
    return markup.replace("[", "&#91;").replace("]", "&#93;")


def plain_text(markup: str) -> str:
    """The visible text of an HTML fragment (tags dropped, script and style with their content,
    entities decoded), on one line."""
    return printable(_visible_text()(markup))


@cache
def _visible_text() -> Callable[[str], str]:
    """The parser of :func:`plain_text`, made on first use: only a WordPress post's term names
    need it, and importing :mod:`html.parser` cost ~9 M instructions (about 1% of a one-post
    ``redraft rewrite``) in every other run."""
    from html.parser import HTMLParser  # noqa: PLC0415

    class TextOnly(HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.parts: list[str] = []
            self._hidden = 0

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            if tag in _HIDDEN_TAGS:
                self._hidden += 1

        def handle_endtag(self, tag: str) -> None:
            if tag in _HIDDEN_TAGS and self._hidden:
                self._hidden -= 1

        def handle_data(self, data: str) -> None:
            if not self._hidden:
                self.parts.append(data)

    def visible_text(markup: str) -> str:
        parser = TextOnly()
        parser.feed(markup)
        parser.close()
        return "".join(parser.parts)

    return visible_text
