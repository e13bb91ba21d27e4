"""What redraft sends to WordPress for one draft, built without touching the network.

The body is the draft's paragraphs as paragraph blocks, the draft's credit line (each outlet in
it a link, only when its URL is http(s)) and an invisible marker; every piece of text is
escaped and its square brackets written as entities, so no tag and no shortcode from a source
runs on the target. Term names are reduced to their visible text, and empty ones are dropped.
The digest of it all tells a later run whether anything would change; the digest of a post
as WordPress answers it (:func:`post_digest`) tells whether someone changed it since.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from redraft.records import Draft, Entry
from redraft.sinks.credit import credit_pieces
from redraft.sinks.markup import (
    link_refusal,
    neutralise_shortcodes,
    plain_text,
    printable,
    safe_link,
    wp_text,
)

MARKER_PREFIX = "rdk"  # letters and digits only: WordPress search treats "-x" as "not x"
MARKER = re.compile(MARKER_PREFIX + "[0-9a-f]{16}")
_EXCERPT_WORDS = 55  # WordPress's own excerpt length
_MAX_TERM_CHARS = 200  # WordPress's term name column holds 200 characters


def marker(key: str, identity: str = "") -> str:
    """The token that identifies an entry's post on the target: a digest of the entry's key and
    of the identity of the database that published it, so that two databases holding the same
    sources never claim each other's posts ("" gives the marker of redraft before 0.x)."""
    seed = f"{identity}\x00{key}" if identity else key
    return MARKER_PREFIX + hashlib.sha256(seed.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def wp_title(title: str) -> str:
    """A title as WordPress stores it raw: ``&`` kept as typed (the editor shows the raw title),
    angle and square brackets as entities (no tag, no shortcode)."""
    return neutralise_shortcodes(printable(title).replace("<", "&lt;").replace(">", "&gt;"))


def credit_html(draft: Draft) -> str:
    """The credit paragraph's HTML: the draft's credit line, every outlet in it a link when its
    URL is http(s) (see :func:`redraft.sinks.credit.credit_pieces`), all of it escaped."""
    return "".join(f'<a href="{html.escape(piece.link)}">{wp_text(piece.text)}</a>'
                   if piece.link else wp_text(piece.text) for piece in credit_pieces(draft))


def post_html(draft: Draft, key: str, *, identity: str = "") -> str:
    """The post body: the draft's paragraphs escaped, each a paragraph block, then the credit
    and the invisible marker."""
    blocks = [f"<!-- wp:paragraph -->\n<p>{wp_text(p)}</p>\n<!-- /wp:paragraph -->"
              for p in draft.paragraphs]
    credit = credit_html(draft)
    if credit:
        blocks.append('<!-- wp:paragraph {"className":"redraft-credit"} -->\n'
                      f'<p class="redraft-credit">{credit}</p>\n<!-- /wp:paragraph -->')
    blocks.append(f"<!-- redraft {marker(key, identity)} -->")
    return "\n\n".join(blocks)


def clean_terms(names: Any) -> tuple[list[str], list[str]]:
    """Term names as WordPress should get them (visible text only, brackets as entities,
    duplicates dropped), and a note for each name that was left out."""
    if not isinstance(names, Iterable) or isinstance(names, str | bytes):
        return [], []
    kept: dict[str, str] = {}
    notes: list[str] = []
    for name in names:
        text = plain_text(str(name))[:_MAX_TERM_CHARS]
        if not text:
            notes.append(f"term {str(name)[:60]!r} has no text once its markup is removed; "
                         "left out")
            continue
        kept.setdefault(text.casefold(), neutralise_shortcodes(text))
    return list(kept.values()), notes


@dataclass(frozen=True, slots=True)
class Payload:
    """One post as redraft would send it, before term names are turned into term ids.

    Attributes:
        fields: title, content, excerpt and status, as the REST API takes them.
        categories: category names (clean).
        tags: tag names (clean).
        featured_image: the source's featured image URL (http(s) only), or "".
        notes: what was left out or shown differently, and why.
    """

    fields: dict[str, str]
    categories: tuple[str, ...]
    tags: tuple[str, ...]
    featured_image: str
    notes: tuple[str, ...]

    @property
    def digest(self) -> str:
        """A hash of everything sent: equal digests mean an update would change nothing."""
        data = json.dumps([self.fields, self.categories, self.tags, self.featured_image],
                          ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(data.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def build_payload(draft: Draft, *, status: str, identity: str = "") -> Payload:
    """The post redraft sends for ``draft`` with ``status``."""
    entry = draft.article.entry
    lead = draft.paragraphs[0] if draft.paragraphs else ""
    words = lead.split()
    excerpt = " ".join(words[:_EXCERPT_WORDS]) + (" …" if len(words) > _EXCERPT_WORDS else "")
    categories, category_notes = clean_terms(entry.meta.get("category_names"))
    tags, tag_notes = clean_terms(entry.meta.get("tag_names"))
    notes = [*category_notes, *tag_notes]
    refusal = link_refusal(entry.url) if entry.url else ""
    if refusal:
        notes.append(refusal)
    image = _featured_image(entry, notes)
    fields = {
        "title": wp_title(entry.title),
        "content": post_html(draft, entry.key, identity=identity),
        "excerpt": wp_text(excerpt),
        "status": status,
    }
    return Payload(fields, tuple(categories), tuple(tags), image, tuple(notes))


def _featured_image(entry: Entry, notes: list[str]) -> str:
    url = entry.meta.get("featured_image")
    if not isinstance(url, str) or not url:
        return ""
    if safe_link(url) is None:
        notes.append(f"featured image skipped: {link_refusal(url)}")
        return ""
    return url


def post_digest(post: Mapping[str, Any]) -> str:
    """A digest of a post's editable fields as WordPress answered them with ``context=edit``
    (the answer to a create or update has them too); "" when it holds no raw content."""
    raw = {name: value.get("raw") for name in ("title", "content", "excerpt")
           if isinstance(value := post.get(name), Mapping)}
    if not isinstance(raw.get("content"), str):
        return ""
    fields = [raw, post.get("categories"), post.get("tags"), post.get("featured_media")]
    data = json.dumps(fields, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(data.encode("utf-8", "surrogatepass")).hexdigest()[:32]
