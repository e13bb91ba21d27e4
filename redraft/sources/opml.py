"""OPML subscription lists: read as feed readers write them, and written back.

Read: OPML 1.0, 1.1 and 2.0 as Feedly, Inoreader, NetNewsWire, Thunderbird, Miniflux and
FreshRSS export them. Nested outlines without a feed address are folders, and a feed's folder
path is its category (``News/Local``); a feed outside any folder takes the first path of its
OPML 2.0 ``category`` attribute. A feed's name is its ``title``, else its ``text``. The bytes
decide the encoding (a UTF-8 byte-order mark, or the XML declaration's ``encoding``). A feed
listed in two folders is kept once, in the first; a site listed without a feed address is
reported, not guessed at.

Written: OPML 2.0, categories as nested folders, and redraft's own per-source options
(language, include and exclude words, budget) as attributes in redraft's namespace, so that
an export read back gives the same watch list.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from lxml import etree

from redraft.errors import InputError

# Outline nesting read at most: deeper is a broken file, not a taxonomy.
MAX_OPML_DEPTH = 16
# redraft's attributes in an exported file; other readers ignore them.
NAMESPACE = "urn:redraft:opml:1"
OPTIONS = ("include", "exclude", "budget")  # in NAMESPACE; language is OPML's own attribute
_FEED_ROOTS = {"rss", "feed", "RDF"}


@dataclass(frozen=True, slots=True)
class Subscription:
    """One feed of an OPML file.

    Attributes:
        url: its address (``xmlUrl``).
        title: its name ("" when the file gives none but the address).
        category: its folder path, such as ``News/Local``.
        options: redraft's per-source options the file carries (``language``, ``include``,
            ``exclude``, ``budget``), only those given.
    """

    url: str
    title: str = ""
    category: str = ""
    options: dict[str, str] = field(default_factory=dict, compare=False, hash=False)


@dataclass(slots=True)
class Opml:
    """What a file holds: its feeds, once each, and what was left out.

    Attributes:
        subscriptions: every feed, in order, each address once.
        duplicates: feeds listed again in another folder (``title (folder)``), kept in the
            first.
        skipped: outlines of a site without a feed address (``htmlUrl`` or ``url``, no
            ``xmlUrl``), as ``name <address>``; empty folders are not listed.
    """

    subscriptions: list[Subscription] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def read_opml(data: bytes, *, label: str) -> Opml:
    """The feeds of an OPML document.

    Raises:
        InputError: the file is not OPML, or lists no feed; the message names ``label`` and
            what to do.
    """
    root = _parse(data, label)
    name = etree.QName(root).localname
    if name in _FEED_ROOTS:
        raise InputError(f"{label} is a feed, not an OPML subscription list: add it with "
                         "`redraft sources add URL` (its address), or export your reader's "
                         "subscriptions as OPML")
    if name != "opml":
        what = "a web page" if name.lower() == "html" else f"XML whose root element is <{name}>"
        raise InputError(f"{label} is {what}, not OPML (<opml><body><outline xmlUrl=...>): "
                         "export the subscriptions from your feed reader as OPML and import "
                         "that file")
    body = next((child for child in root if isinstance(child.tag, str)
                 and etree.QName(child).localname == "body"), None)
    if body is None:
        raise InputError(f"{label} has no <body>, so it lists no feed: export it again from "
                         "the reader it came from")
    found = Opml()
    seen: dict[str, Subscription] = {}
    for sub in _outlines(body, (), 0, found):
        if sub.url in seen:
            found.duplicates.append(f"{sub.title or sub.url} ({sub.category or 'no folder'})")
            continue
        seen[sub.url] = sub
        found.subscriptions.append(sub)
    if not found.subscriptions:
        raise InputError(f"{label} lists no feed (no <outline> with an xmlUrl): export the "
                         "subscriptions, not an empty folder, or add feeds with `redraft "
                         "sources add URL`")
    return found


def _parse(data: bytes, label: str) -> etree._Element:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             remove_comments=True, remove_pis=True)
    try:
        return etree.fromstring(data, parser=parser)
    except etree.XMLSyntaxError as exc:
        raise InputError(f"{label} is not well-formed XML, so not OPML (line {exc.lineno}: "
                         f"{exc.msg}); {_FIXES.get(getattr(exc, 'code', 0), _FIX)}") from exc


_FIX = "export it again from your feed reader, or fix that line"
_FIXES = {  # by libxml2's error code
    etree.ErrorTypes.ERR_UNDECLARED_ENTITY: "an HTML entity such as &nbsp; is not XML: write "
                                            "its number instead (&#160;), or export it again "
                                            "from your feed reader",
    etree.ErrorTypes.ERR_UNSUPPORTED_ENCODING: "save it as UTF-8 (and say encoding=\"UTF-8\" "
                                               "in its first line), or export it again",
}


def _outlines(node: etree._Element, path: tuple[str, ...], depth: int,
              found: Opml) -> Iterator[Subscription]:
    if depth > MAX_OPML_DEPTH:
        return
    for outline in node:
        if not isinstance(outline.tag, str) or etree.QName(outline).localname != "outline":
            continue
        attrs = {etree.QName(k).localname.lower(): str(v).strip()
                 for k, v in outline.attrib.items() if etree.QName(k).namespace is None}
        url = attrs.get("xmlurl", "")
        title = _name(attrs, url)
        if url:
            ours = {name: str(outline.get(f"{{{NAMESPACE}}}{name}") or "").strip()
                    for name in OPTIONS}
            options = {name: value for name, value in
                       (("language", attrs.get("language", "")), *ours.items()) if value}
            category = "/".join(path) or _category_attribute(attrs.get("category", ""))
            yield Subscription(url, title, category, options)
        elif len(outline):
            yield from _outlines(outline, (*path, title) if title else path, depth + 1, found)
        elif address := attrs.get("htmlurl") or attrs.get("url"):  # a site without a feed
            found.skipped.append(f"{title} <{address}>" if title else address)


def _name(attrs: dict[str, str], url: str) -> str:
    name = " ".join((attrs.get("title") or attrs.get("text") or "").split())
    return "" if name == url else name


def _category_attribute(value: str) -> str:
    """The first slash-delimited path of OPML 2.0's ``category`` (a bare word is a tag)."""
    for part in value.split(","):
        if "/" in part and (path := "/".join(p.strip() for p in part.split("/") if p.strip())):
            return path
    return ""


def write_opml(subscriptions: Iterable[Subscription], *, title: str = "redraft sources") -> str:
    """An OPML 2.0 document, categories as nested folders, redraft's options as attributes."""
    opml = etree.Element("opml", version="2.0", nsmap={"redraft": NAMESPACE})
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
        outline = etree.SubElement(folders[path], "outline", type="rss",
                                   text=sub.title or sub.url, xmlUrl=sub.url)
        if sub.title:
            outline.set("title", sub.title)
        for name, value in sub.options.items():
            if value:
                outline.set(name if name == "language" else f"{{{NAMESPACE}}}{name}", value)
    return etree.tostring(opml, pretty_print=True, xml_declaration=True,
                          encoding="UTF-8").decode("utf-8")
