"""A draft's credit line as pieces of text and links, for every sink to render the same way.

The credit is the draft's own (``Draft.credit``): one source (``Source: <title> <url> (<date>)``,
its label in the article's language) or a story's outlets (``Sources: a.example (<url>, <date>),
b.example (<url>) and c.example (<url>)``), or what an editor wrote. Each outlet named with its
link in brackets becomes a link on the outlet's name; any other http(s) URL becomes a link on
itself; everything else is text. Only absolute http(s) URLs are ever links (see
:func:`~redraft.sinks.markup.safe_link`): a ``javascript:`` link stays text. The draft's entry's
own credit is shown as ``<label><title, linked> (<date>)``, as it always was.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from redraft.records import Draft
from redraft.sinks.markup import printable, safe_link
from redraft.text import normalise
from redraft.vocab import CREDIT_LABELS

# An outlet named with its link (and a date) in brackets, as a story's credit lists them; the
# name is one word (a host), the link an http(s) URL whose own brackets pair up ("Foo_(bar)").
_OUTLET = re.compile(
    r"(?P<name>[^\s(),、：]+) \((?P<url>https?://(?:[^\s()]|\([^\s()]*\))+?)"
    r"(?:, (?P<date>[^()]*?))?\)")
_BARE_URL = re.compile(r"https?://[^\s<>\"']+")
_TRAILING = ".,;:!?、。"  # punctuation that ends a sentence, not a URL


@dataclass(frozen=True, slots=True)
class CreditPiece:
    """A run of the credit line: text, and the link it stands for (None: plain text)."""

    text: str
    link: str | None = None


def credit_pieces(draft: Draft) -> tuple[CreditPiece, ...]:
    """The draft's credit line as pieces (its entry's own credit when it has none)."""
    entry = draft.article.entry
    own = entry.credit(draft.article.language)
    credit = draft.credit or own
    if credit in (own, normalise(own, ascii_quotes=True)):
        link = safe_link(entry.url)
        if link is None:  # a link refused is text, and no part of it becomes a link
            return (CreditPiece(printable(credit)),) if credit.strip() else ()
        label = CREDIT_LABELS.get(draft.article.language, CREDIT_LABELS["en"])
        date = f" ({entry.published.date().isoformat()})" if entry.published else ""
        pieces = [CreditPiece(label), CreditPiece(printable(entry.title) or link, link)]
        return tuple(pieces + ([CreditPiece(date)] if date else []))
    return line_pieces(credit)


def line_pieces(credit: str) -> tuple[CreditPiece, ...]:
    """Any credit line as pieces: ``name (url[, date])`` links the name, a bare URL itself."""
    text = printable(credit)
    pieces: list[CreditPiece] = []
    at = 0
    for match in _OUTLET.finditer(text):
        link = safe_link(match["url"])
        if link is None:
            continue
        pieces += _bare(text[at:match.start()])
        pieces.append(CreditPiece(match["name"], link))
        if match["date"]:
            pieces.append(CreditPiece(f" ({match['date']})"))
        at = match.end()
    pieces += _bare(text[at:])
    return _merged(pieces)


def _bare(text: str) -> list[CreditPiece]:
    pieces: list[CreditPiece] = []
    at = 0
    for match in _BARE_URL.finditer(text):
        url = match[0].rstrip(_TRAILING)
        while url.endswith(")") and url.count(")") > url.count("("):
            url = url[:-1].rstrip(_TRAILING)
        link = safe_link(url)
        if link is None:
            continue
        pieces += [CreditPiece(text[at:match.start()]), CreditPiece(url, link)]
        at = match.start() + len(url)
    return [*pieces, CreditPiece(text[at:])]


def _merged(pieces: list[CreditPiece]) -> tuple[CreditPiece, ...]:
    """Adjacent text pieces joined, empty ones dropped."""
    merged: list[CreditPiece] = []
    for piece in pieces:
        if not piece.text:
            continue
        if merged and piece.link is None and merged[-1].link is None:
            merged[-1] = CreditPiece(merged[-1].text + piece.text)
        else:
            merged.append(piece)
    return tuple(merged)
