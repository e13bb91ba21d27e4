"""Entry.html → Article: the article's own text as blocks, with plugin output left behind.

A post's ``content.rendered`` (a fragment) is parsed once with lxml and walked once, in
document order. Each element is dropped whole when it is boilerplate (a tag that never holds
prose, or a class or id named in :mod:`redraft.boilerplate`); otherwise its text joins the
current block. Block-level tags close a block; ``<br>`` joins lines, or splits them where the
HTML clearly means separate paragraphs. Each block's text is then cleaned (white space,
quotes, leftover shortcodes or escaped tags), dropped when it is a widget's text, and kept once.

A whole web page (``<html>``, ``<body>``) goes through trafilatura first to find its main
content; a fragment never does, because trafilatura is slow and drops short paragraphs. The
page's standfirst (its description, when the page shows it: :mod:`redraft.standfirst`) is put
back after the headline when the main content left it out.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import lxml.html
from lxml import etree

from redraft import boilerplate as bp
from redraft.config import ExtractOptions
from redraft.errors import NotAnArticle, NoText, Protected, TooShort
from redraft.records import Article, Block, BlockKind, Entry, encoded
from redraft.standfirst import add_standfirst, text_of
from redraft.text import (
    NearDuplicates,
    detect_language,
    duplicate_key,
    junk,
    normalise,
    spaceless,
    word_count,
)
from redraft.text.duplicates import general_spaced_key, latin1_duplicate_key

# Larger HTML than this is no article (the largest real posts are a few hundred KB; this is a
# data dump or a mis-saved archive) and would take seconds to walk: refuse it whole.
MAX_HTML_CHARS = 2_000_000
# Markup nested deeper than this is broken (unclosed tags); its text is read flat, which also
# bounds the walk's recursion.
MAX_WALK_DEPTH = 150
# A document declares itself (doctype, <html>, <head>, <body>) within its first bytes.
DOCUMENT_SNIFF_CHARS = 2048
# A plugin's class on an element holding more than this share of the page's text marks a
# wrapper around the article (or a theme misusing the class), not a widget: keep it.
GENERIC_MAX_SHARE = 0.6
# Distinct class-and-id strings whose verdict is kept: a site's theme repeats a few hundred
# (4,907 distinct among 22,063 named elements of wp-posts + wp-posts-2).
NAMES_CACHED = 2048
# Distinct single names whose verdict is kept (wp-posts-2 has 4,441).
NAME_TOKENS_CACHED = 8192
# Stop words in this much text tell English, Spanish and French apart; more only costs time.
LANGUAGE_SAMPLE_CHARS = 1500
# When this share of an article's text is link text, it is a listing of other pages.
LISTING_LINK_SHARE = 0.8
# A listing has at least this many blocks; one linked line is a short post, not a listing.
LISTING_MIN_BLOCKS = 3

# trafilatura's precision mode drops real paragraphs on whole pages (3% of required snippets
# lost on the development pages) for little less boilerplate, which the walk's rules remove.
TRAFILATURA_FAVOR_PRECISION = False

DEFAULT_OPTIONS = ExtractOptions()

_BR = "\x1e"  # stands for <br> inside a block's text until lines are split
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
# The control characters of _CONTROL as UTF-8 bytes (each is its own byte there, and no byte
# of another character's encoding is one of them).
_CONTROL_BYTES = bytes([*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])
_ANY_TAG = re.compile(r"<[^>]*>|&#?\w+;")
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*>", re.IGNORECASE)
_FULL_HTML = re.compile(r"^\s*<(?:html|!doctype)", re.IGNORECASE)  # lxml.html does not wrap it
_DOCUMENT = re.compile(r"<(?:!doctype|html|head|body)[\s>]", re.IGNORECASE)
_BULLET = re.compile(r"^[–—•·*-]\s+")
_LINE_END = re.compile(r"[.!?…:\"”»)]$")
_LETTER = re.compile(r"[^\W\d_]")
_KEY_DROP = re.compile(r"[\W_]+")
_TAG_START = re.compile(r"<[a-zA-Z!/?]")  # where markup may begin; "a < b" is text
_POST_CLASS = re.compile(r"(?:^|\s)(?:category|tag|post_tag|format|type|status|topic)-\S*")
_BLOCK_TAGS = frozenset({
    "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "li", "ul", "ol", "dl", "dt",
    "dd", "table", "thead", "tbody", "tfoot", "tr", "td", "th", "caption", "figure",
    "figcaption", "section", "article", "main", "header", "footer", "aside", "address", "pre",
    "center", "hr", "details", "summary", "fieldset", "legend", "body", "html",
})
_FLOW_TAGS = frozenset({"p", "li", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "figcaption"})
_NEVER_GENERIC = frozenset({"html", "body", "main", "article"})
# Precedence of block kinds: the innermost context does not override a stronger outer one.
_RANK = {"p": 0, "h": 1, "li": 2, "quote": 3, "caption": 4}
_TAG_KIND = {"h1": "h", "h2": "h", "h3": "h", "h4": "h", "h5": "h", "h6": "h", "li": "li",
             "blockquote": "quote", "figcaption": "caption", "caption": "caption"}
_BARE_KIND: dict[str, str | None] = {**_TAG_KIND, **dict.fromkeys(bp.DROP_TAGS, "drop")}
_BLANK = " \t\r\n\f\v\u00a0" + _BR  # what a block of no text holds


@dataclass(slots=True)
class _Raw:
    """A block as the walk found it, before cleaning."""

    kind: str
    text: str
    link_chars: int
    flow: bool  # inside a <p>-like element, where a single <br> is only a line break


@dataclass(slots=True)
class _Walker:
    """One pass over a parsed tree, collecting raw blocks in reading order."""

    page: bool
    root: etree._Element
    blocks: list[_Raw] = field(default_factory=list)
    forms: int = 0
    _parts: list[str] = field(default_factory=list)
    _kind: str = "p"
    _links: int = 0
    _flow: bool = False
    _total: int = -1

    def visit(self, el: etree._Element, kind: str, link: bool, flow: bool, depth: int = 0) -> None:
        tag = el.tag
        if not isinstance(tag, str):
            return  # comments and processing instructions: only their tail is text
        tag = tag.lower()
        if depth > MAX_WALK_DEPTH:
            self.add(text_of(el), kind, link, flow)
            return
        if tag == "br":
            self._parts.append(_BR)
            return
        # An element without attributes (half of them) is judged by its tag alone.
        own = self._kind_of(el, tag) if el.attrib or self.page else _BARE_KIND.get(tag)
        if own == "drop":
            self.forms += tag == "form"
            return
        if own and _RANK[own] > _RANK[kind]:
            kind = own
        block = tag in _BLOCK_TAGS or own == "caption"
        if block:
            if self._parts:  # else nothing to flush (no text was added, so no link counted)
                self.flush()
            flow = tag in _FLOW_TAGS or (flow and tag not in ("div", "td", "th", "section"))
        link = link or tag == "a"
        add = self.add
        # lxml makes a new string (decoding its UTF-8) at each read of .text or .tail: each is
        # read once.
        text = el.text
        if text:
            add(text, kind, link, flow)
        depth += 1
        visit = self.visit
        for child in el:
            visit(child, kind, link, flow, depth)
            text = child.tail
            if text:
                add(text, kind, link, flow)
        if block and self._parts:
            self.flush()

    def _kind_of(self, el: etree._Element, tag: str) -> str | None:
        """"drop" for boilerplate, a block kind the element imposes, or None (an element with
        attributes: one without is judged by its tag alone, :data:`_BARE_KIND`)."""
        if tag in bp.DROP_TAGS or (self.page and tag in bp.PAGE_DROP_TAGS):
            return "drop"
        style = el.get("style")
        if (el.get("hidden") is not None or (style and bp.HIDDEN_STYLE.search(style))
                or el.get("aria-hidden") == "true"):
            return "drop"
        classes = el.get("class")
        ident = el.get("id")
        if classes or ident:
            named = _named(f"{classes or ''} {ident or ''}")
            if named:
                if named != "generic":
                    return named
                if tag not in _NEVER_GENERIC and self._is_small(el):
                    return "drop"
        return _TAG_KIND.get(tag)

    def _is_small(self, el: etree._Element) -> bool:
        if self._total < 0:
            self._total = len(text_of(self.root))
        return len(text_of(el)) <= GENERIC_MAX_SHARE * self._total

    def add(self, text: str, kind: str, link: bool, flow: bool) -> None:
        parts = self._parts
        if text and text[0].isupper() and parts and parts[-1] and _glued(parts[-1][-1]):
            parts.append(" ")
        parts.append(text)
        self._kind = kind
        self._flow = flow
        if link:
            self._links += len(text)

    def flush(self) -> None:
        if self._parts:
            text = "".join(self._parts)
            if text.strip(_BLANK):
                self.blocks.append(_Raw(self._kind, text, self._links, self._flow))
            self._parts.clear()
        self._links = 0


@lru_cache(maxsize=NAMES_CACHED)
def _named(names: str) -> str | None:
    """What an element's class and id names make it: "drop" (hidden), "caption", "generic"
    (a plugin's name: dropped when it holds little of the page's text), or None; the first of
    these that one of its names is (:func:`_name_verdict`)."""
    verdicts = set(map(_name_verdict, names.lower().split()))
    for verdict in _NAME_VERDICTS:
        if verdict in verdicts:
            return verdict
    return None


_NAME_VERDICTS = ("drop", "caption", "generic")  # the strongest first


@lru_cache(maxsize=NAME_TOKENS_CACHED)
def _name_verdict(name: str) -> str | None:
    """:func:`_named` of one lower-case class or id name. The boilerplate patterns match within
    one name (none spans white space), so names are judged one by one, each once: a theme's
    names recur while the strings they form seldom do (Elementor's element ids: wp-posts-2
    has 4,321 distinct strings of 20,319 names, and only 4,441 distinct names)."""
    if name in bp.HIDDEN_NAMES:
        return "drop"
    if name in bp.CAPTION_NAMES:
        return "caption"
    if bp.name_rule(name) or bp.word_rule(_POST_CLASS.sub(" ", name)):
        return "generic"
    return None


def _glued(last: str) -> bool:
    """Whether text ending in ``last`` and an element's text starting with a capital touch with
    no space but read as separate words."""
    return last.islower() or last in ".,;:!?"


def extract(entry: Entry, options: ExtractOptions = DEFAULT_OPTIONS) -> Article:
    """The clean article in an entry's HTML: body blocks in order, captions apart.

    Args:
        entry: a post (``content.rendered``), or a whole web page, as HTML text.
        options: quotes, minimum length and language.

    Raises:
        Protected: the entry is marked password-protected.
        NotAnArticle: the HTML is too large or unparseable, or holds only a form or a listing
            of links.
        NoText: nothing is left once markup and boilerplate are gone.
        TooShort: fewer words than ``options.min_words``.
    """
    where = {"key": entry.key, "source": entry.source}
    if entry.meta.get("protected"):
        raise Protected("password-protected post: its content is not public", **where)
    if len(entry.html) > MAX_HTML_CHARS:
        raise NotAnArticle(f"the HTML is {len(entry.html):,} characters, more than the "
                           f"{MAX_HTML_CHARS:,} an article may have; check the input", **where)
    walker = _walk(entry.html)
    kept = _clean_blocks(walker.blocks, title=entry.title, ascii_quotes=options.ascii_quotes)
    if not kept:
        raise _empty(walker, entry.html, where)
    links = sum(link_chars for _, link_chars in kept)
    body = tuple(block for block, _ in kept)
    if len(body) >= LISTING_MIN_BLOCKS and links >= LISTING_LINK_SHARE * sum(
            len(block.text) for block in body):
        raise NotAnArticle("the content is a listing of links to other pages, not an article",
                           **where)
    words = sum(block.words or 0 for block in body)
    if words < options.min_words:
        raise TooShort(f"only {words} words of article text; at least {options.min_words} "
                       "are needed (see min_words in [extract])", **where)
    language = options.language
    if language == "auto":
        language = detect_language(language_sample(body))
    captions = tuple(_captions(walker.blocks, options.ascii_quotes))
    return Article(entry=entry, blocks=body, captions=captions, language=language)


def language_sample(blocks: Sequence[Block]) -> str:
    """The opening text of an article's blocks that its language is told from."""
    return " ".join(block.text for block in blocks[:20])[:LANGUAGE_SAMPLE_CHARS]


def _empty(walker: _Walker, html: str, where: dict[str, str]) -> NoText | NotAnArticle:
    """Why nothing was left: only a form, markup too broken to parse, or no text at all."""
    if walker.forms:
        return NotAnArticle("the content is only a form, with no article text", **where)
    if not text_of(walker.root).strip() and _LETTER.search(_ANY_TAG.sub(" ", html)):
        return NotAnArticle("the HTML is nested too deeply to parse (broken markup, such as "
                            "thousands of unclosed tags); repair or re-save it", **where)
    return NoText("no article text is left once markup and plugin output are removed", **where)


def _walk(html: str) -> _Walker:
    """Parse the HTML (finding the main content of a whole page) and collect raw blocks."""
    html = _without_controls(_XML_DECLARATION.sub("", html, count=1))
    html = bp.CAPTION_SHORTCODE.sub(r"<figcaption>\1</figcaption>", html) if "[caption" in html \
        else html
    page = bool(_DOCUMENT.search(html, 0, DOCUMENT_SNIFF_CHARS))
    root = _main_content(html) if page else _fragment(html)
    walker = _Walker(page=page and root.tag == "body", root=root)
    walker.visit(root, "p", False, False)
    walker.flush()
    return walker


def _without_controls(html: str) -> str:
    """The HTML without the characters lxml refuses (controls but white space, lone surrogates).
    Most HTML has none: its UTF-8 bytes tell that in two C passes, several times faster than
    the regular expression's scan, which runs only on HTML that has some."""
    data = encoded(html)  # the bytes the valid-text check and the content hash encoded
    if data is None:  # a lone surrogate
        return _CONTROL.sub("", html)
    if len(data.translate(None, _CONTROL_BYTES)) == len(data):
        return html
    return _CONTROL.sub("", html)


def _fragment(html: str) -> etree._Element:
    """The fragment's elements under one ``<div>``, as lxml.html's ``fragment_fromstring``
    with ``create_parent`` makes it, but of lxml's plain elements: lxml.html's element classes
    cost a Python call per element and add nothing the walk uses."""
    if html.strip():
        if not _FULL_HTML.match(html):
            html = f"<html><body>{html}</body></html>"
        try:
            document = etree.fromstring(html, _parser())
        except etree.ParserError:
            document = None
        body = None if document is None else document.find("body")
        if body is not None:
            body.tag = "div"  # the parent lxml.html would create, holding the same nodes
            body.attrib.clear()
            body.tail = None
            if body.text and not body.text.strip():
                body.text = None  # lxml.html keeps only leading text that has some
            return body
    empty: etree._Element = etree.Element("div")
    return empty


_PARSERS = threading.local()


def _parser() -> etree.HTMLParser:
    """This thread's parser (one parser is never used by two threads at once), without
    libxml2's depth limit, which otherwise returns nothing at all for a page nested 255 levels
    deep."""
    parser: etree.HTMLParser | None = getattr(_PARSERS, "parser", None)
    if parser is None:
        parser = _PARSERS.parser = etree.HTMLParser(huge_tree=True)
    return parser


def _main_content(html: str) -> etree._Element:
    """The main content of a whole page, as trafilatura finds it, or the page's body."""
    try:
        # lxml.html's elements: trafilatura uses their methods.
        document = lxml.html.document_fromstring(html, parser=lxml.html.HTMLParser(huge_tree=True))
    except etree.ParserError:
        return _fragment(html)
    # Imported here: whole pages are rare in a run, and trafilatura costs 0.2 s of start-up.
    import trafilatura  # noqa: PLC0415

    result = trafilatura.extract(
        document, output_format="html", include_comments=False, include_tables=True,
        include_images=False, favor_precision=TRAFILATURA_FAVOR_PRECISION, with_metadata=False,
    )
    if result:
        root = _fragment(result)
        add_standfirst(document, root)
        return root
    body = document.find("body")
    return body if body is not None else document


def _clean_blocks(raw: Iterable[_Raw], *, title: str = "", ascii_quotes: bool = False,
                 ) -> list[tuple[Block, int]]:
    """Cleaned body blocks, each with its link characters: widgets dropped, repeats kept once."""
    kept: list[tuple[Block, int]] = []
    seen = NearDuplicates()
    after_related = False
    for item in raw:
        if item.kind == "caption":
            continue
        link_chars = item.link_chars  # the block's links, counted once: on its first kept line
        for kind, line in _lines(item):
            text = _clean_text(line, ascii_quotes)
            if not text:
                continue
            rule = bp.text_rule(text) or junk(text)
            if rule or (after_related and item.link_chars >= LISTING_LINK_SHARE * len(item.text)):
                after_related = after_related or rule == "related-posts"
                continue
            after_related = False
            if kind == "h" and not kept and _key(text) == _key(title):
                continue
            # Whether the text needs a spaceless script's word rules, asked once for both; a
            # text Latin-1 but for its curly quotes and dashes (most) tells it with its key.
            key = latin1_duplicate_key(text)
            unspaced = key is None and spaceless(text)
            if key is None:
                key = duplicate_key(text) if unspaced else general_spaced_key(text)
            if seen.repeats_key(key) is not None:
                continue
            words = word_count(text) if unspaced else _spaced_word_count(text)
            kept.append((Block(_block_kind(kind), text, words), link_chars))
            link_chars = 0
    return kept


def _spaced_word_count(text: str) -> int:
    """:func:`word_count` of a cleaned text (:func:`_clean_text`) in a script with spaces:
    normalising left exactly one space between words and none at the ends, so its spaces
    count them, without splitting it into words."""
    return text.count(" ") + 1


def _block_kind(kind: str) -> BlockKind:
    if kind == "h":
        return "h"
    if kind == "quote":
        return "quote"
    return "li" if kind == "li" else "p"


def _captions(raw: Iterable[_Raw], ascii_quotes: bool) -> list[str]:
    captions: list[str] = []
    for item in raw:
        if item.kind == "caption":
            text = _clean_text(item.text.replace(_BR, " "), ascii_quotes)
            if text and text not in captions and not bp.text_rule(text):
                captions.append(text)
    return captions


def _lines(item: _Raw) -> list[tuple[str, str]]:
    """A raw block split where its <br>s separate paragraphs or list items."""
    if _BR not in item.text:
        return [(item.kind, item.text)]
    lines = [line.strip() for line in item.text.split(_BR)]
    bullets = sum(1 for line in lines if _BULLET.match(line))
    pieces: list[tuple[str, str]] = []
    current: list[str] = []
    blank = False
    for line in lines:
        if not line:
            blank = True
            continue
        bullet = bullets >= 2 and _BULLET.match(line)
        starts = bullet or blank or (not item.flow and current and _LINE_END.search(current[-1])
                                     and not line[0].islower())
        if starts and current:
            pieces.append((item.kind, " ".join(current)))
            current = []
        if bullet:
            pieces.append(("li" if item.kind in ("p", "li") else item.kind, _BULLET.sub("", line)))
        else:
            current.append(line)
        blank = False
    if current:
        pieces.append((item.kind, " ".join(current)))
    return pieces


def _clean_text(text: str, ascii_quotes: bool) -> str:
    """White space and quotes normalised; shortcodes and escaped markup gone; "" for no text."""
    text = normalise(text)
    if "[" in text:
        text = normalise(bp.SHORTCODE.sub(" ", text))
    if _TAG_START.search(text):
        text = normalise(_strip_markup(text))
    if not _LETTER.search(text):
        return ""
    return normalise(text, ascii_quotes=True) if ascii_quotes else text


def _strip_markup(text: str) -> str:
    """Text without the markup it holds (escaped in the source, so it survived as text), as the
    HTML parser reads it: tags with any attributes, comments, and scripts' and styles' code."""
    root = _fragment(text)
    for node in list(root.iter(etree.Comment, etree.ProcessingInstruction, "script", "style")):
        parent, before = node.getparent(), node.getprevious()
        if parent is None:
            continue
        if before is not None:  # the text after it stays
            before.tail = (before.tail or "") + " " + (node.tail or "")
        else:
            parent.text = (parent.text or "") + " " + (node.tail or "")
        parent.remove(node)
    return " ".join(str(piece) for piece in root.itertext())


def _key(text: str) -> str:
    return _KEY_DROP.sub("", text.casefold())
