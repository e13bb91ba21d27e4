"""A whole page's standfirst: the description it shows above the body, which main-content
extraction leaves out when it sits outside the article's element (used by
:mod:`redraft.extract` on whole pages only)."""

from __future__ import annotations

import re

import lxml.html
from lxml import etree

from redraft.text import normalise

# A page's description (meta description, og:description) shown on the page is its standfirst,
# which main-content extraction leaves out when it sits above the body (7 of the 20 required
# snippets both extractors missed on the development pages). Kept when it has at least this
# many words (a tagline or a label is shorter)...
STANDFIRST_MIN_WORDS = 8
# ...when the element showing it holds little else (its text at most this many times as long)...
STANDFIRST_MAX_STRETCH = 1.3
# ...and when this share of its longer words recur in the article (a site-wide blurb's do not),
# compared on their first letters so that inflected forms (German, Polish) still count.
STANDFIRST_MIN_OVERLAP = 0.3
STANDFIRST_STEM_CHARS = 5
# Characters of the description looked for in the page's text nodes (whole words).
STANDFIRST_PROBE_CHARS = 40

_DESCRIPTIONS = etree.XPath(
    "/html/head/meta[@name='description' or @property='og:description' or "
    "@name='twitter:description' or @property='twitter:description']/@content")
_SHOWN = etree.XPath(
    "/html/body//text()[contains(normalize-space(.), $probe)][not(ancestor::script or "
    "ancestor::style or ancestor::noscript or ancestor::template or ancestor::nav or "
    "ancestor::footer or ancestor::form or ancestor::header[not(ancestor::article or "
    "ancestor::main)])]")  # a page's own header (not an article's) shows the site's blurb
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_LONG_WORD = re.compile(r"[^\W\d_]{4,}")


def add_standfirst(document: etree._Element, root: etree._Element) -> None:
    """Put the page's standfirst (its description, shown on the page) after the headline
    of ``root`` when the main content left it out."""
    found = _DESCRIPTIONS(document)
    descriptions = [description for description in dict.fromkeys(
        normalise(str(d)) for d in (found if isinstance(found, list) else ()))
        if len(description.split()) >= STANDFIRST_MIN_WORDS]
    if not descriptions:
        return  # most pages: nothing to look for, so the article's text is not read
    article = normalise(text_of(root))
    for description in descriptions:
        probe = description[:STANDFIRST_PROBE_CHARS].rsplit(" ", 1)[0]
        if probe in article:
            return  # the article has it already
        shown = _shown(document, description, probe)
        if shown and _overlap(shown, article) >= STANDFIRST_MIN_OVERLAP:
            lead = lxml.html.Element("p")
            lead.text = shown
            at = next((i for i, child in enumerate(root) if child.tag not in _HEADINGS), 0)
            root.insert(at, lead)
            return


def _shown(document: etree._Element, description: str, probe: str) -> str:
    """The text of the element that shows ``description`` on the page, or ""."""
    found = _SHOWN(document, probe=probe)
    for node in found if isinstance(found, list) else ():
        if not isinstance(node, etree._ElementUnicodeResult):
            continue
        element = node.getparent()
        if element is not None and node.is_tail:
            element = element.getparent()
        while element is not None:
            text = normalise(text_of(element))
            if len(text) > STANDFIRST_MAX_STRETCH * len(description):
                break
            if len(text) * STANDFIRST_MAX_STRETCH >= len(description):
                return text
            element = element.getparent()
    return ""


def _overlap(lead: str, article: str) -> float:
    words = {word.casefold()[:STANDFIRST_STEM_CHARS] for word in _LONG_WORD.findall(lead)}
    text = article.casefold()
    return sum(1 for word in words if word in text) / len(words) if words else 0.0


def text_of(el: etree._Element) -> str:
    """All the text under ``el``, as lxml joins it."""
    return str(el.xpath("string()"))
