"""OPML subscription lists: read (nested outlines are categories) and written back."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from lxml import etree

from redraft.errors import InputError

# Outline nesting read at most: deeper is a broken file, not a taxonomy.
MAX_OPML_DEPTH = 16


@dataclass(frozen=True, slots=True)
class Subscription:
    """One feed of an OPML file: its address, title and category path (``News/Local``)."""

    url: str
    title: str = ""
    category: str = ""


def read_opml(data: bytes, *, label: str) -> list[Subscription]:
    """Every subscription in an OPML document, in order.

    Raises:
        InputError: the file is not OPML.
    """
    try:
        root = etree.fromstring(data, parser=etree.XMLParser(resolve_entities=False,
                                                             no_network=True))
    except etree.XMLSyntaxError as exc:
        raise InputError(f"{label} is not an OPML file ({exc}); export it again from the "
                         "reader it came from") from exc
    body = root.find("body") if root.tag == "opml" else None
    if body is None:
        raise InputError(f"{label} is not an OPML file: no <opml><body>")
    return list(_outlines(body, (), 0))


def _outlines(node: etree._Element, path: tuple[str, ...], depth: int) -> Iterator[Subscription]:
    if depth > MAX_OPML_DEPTH:
        return
    for outline in node.iterchildren("outline"):
        title = (outline.get("title") or outline.get("text") or "").strip()
        url = (outline.get("xmlUrl") or outline.get("xmlurl") or "").strip()
        if url:
            yield Subscription(url, title, "/".join(path))
        yield from _outlines(outline, (*path, title) if not url and title else path, depth + 1)


def write_opml(subscriptions: Iterable[Subscription], *, title: str = "redraft sources") -> str:
    """An OPML 2.0 document, categories as nested outlines."""
    opml = etree.Element("opml", version="2.0")
    head = etree.SubElement(opml, "head")
    etree.SubElement(head, "title").text = title
    body = etree.SubElement(opml, "body")
    folders: dict[tuple[str, ...], etree._Element] = {(): body}
    for sub in subscriptions:
        path = tuple(part for part in sub.category.split("/") if part)
        for depth in range(1, len(path) + 1):
            if path[:depth] not in folders:
                folders[path[:depth]] = etree.SubElement(
                    folders[path[:depth - 1]], "outline", text=path[depth - 1],
                    title=path[depth - 1])
        etree.SubElement(folders[path], "outline", type="rss", text=sub.title or sub.url,
                         title=sub.title or sub.url, xmlUrl=sub.url)
    return etree.tostring(opml, pretty_print=True, xml_declaration=True,
                          encoding="UTF-8").decode("utf-8")
