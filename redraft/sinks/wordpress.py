"""Publish verified drafts to a WordPress site through its REST API, as drafts by default.

Credentials are an application password (WordPress 5.6+) sent with HTTP Basic auth; they are
checked with ``GET /wp/v2/users/me`` before anything is posted, because WordPress answers a
public GET with a wrong password as if none was given. They are never logged or stored.

Each post carries an invisible marker (an HTML comment with a digest of its entry's key). A run
that was killed after WordPress created a post but before the store recorded it finds that post
by its marker next time and updates it, instead of posting the draft twice.
"""

from __future__ import annotations

import hashlib
import html
import json
import logging
import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import httpx

from redraft.errors import FetchError, PublishAuthError, PublishError
from redraft.http import Retrier
from redraft.records import Draft, Publication, Verdict
from redraft.wp.api import AUTH_STATUSES, PER_PAGE, Discovery, discover, foreign_origin, route_url, site_key

log = logging.getLogger(__name__)

PostStatus = Literal["draft", "pending", "publish"]
POST_STATUSES: tuple[PostStatus, ...] = ("draft", "pending", "publish")
# Every status a post of ours may have by now (an editor may have published or scheduled it).
_ANY_STATUS = "draft,pending,publish,future,private"
_MARKER_PREFIX = "rdk"  # letters and digits only: WordPress search treats "-x" as "not x"
_MARKER = re.compile(_MARKER_PREFIX + "[0-9a-f]{16}")
_EXCERPT_WORDS = 55  # WordPress's own excerpt length
_MAX_INDEX_PAGES = 1000  # 100,000 posts of ours: far beyond any site, a guard against loops


@dataclass(frozen=True)
class Credentials:
    """A WordPress user and one of their application passwords (never printed)."""

    user: str
    password: str = field(repr=False)


def marker(key: str) -> str:
    """The token that identifies an entry's post on the target (a digest of its key)."""
    return _MARKER_PREFIX + hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def post_html(draft: Draft, key: str) -> str:
    """The post body: the draft's paragraphs escaped, each a paragraph block, then the credit
    linking the source, and the invisible marker."""
    blocks = [f"<!-- wp:paragraph -->\n<p>{html.escape(p, quote=False)}</p>\n<!-- /wp:paragraph -->"
              for p in draft.paragraphs]
    entry = draft.article.entry
    if entry.url:
        date = f" ({entry.published.date().isoformat()})" if entry.published else ""
        credit = (f'Source: <a href="{html.escape(entry.url)}">'
                  f"{html.escape(entry.title or entry.url, quote=False)}</a>{date}")
    else:
        credit = html.escape(draft.credit or entry.credit(), quote=False)
    if credit:
        blocks.append('<!-- wp:paragraph {"className":"redraft-credit"} -->\n'
                      f'<p class="redraft-credit">{credit}</p>\n<!-- /wp:paragraph -->')
    blocks.append(f"<!-- redraft {marker(key)} -->")
    return "\n\n".join(blocks)


class WordPressPublisher:
    """Creates (or updates) one WordPress post per entry from its verified draft.

    Args:
        retrier: sends the requests (retries, back-off, per-host cap).
        api_root: the site's REST API root, either form (``.../wp-json/`` or
            ``...?rest_route=/``), as discovery found it.
        site: the site's canonical URL; the publisher is named ``wordpress:<site>``.
        credentials: user and application password.
        status: the status of new posts: ``draft`` (default), ``pending`` or ``publish``.
        allow: origins besides the site's own that may receive the credentials (the user's
            ``--allow-origin``): an API root, or a redirect, anywhere else is refused.

    Raises:
        PublishAuthError: the API root is on another origin than the site's (code
            ``"foreign-origin"``), and ``allow`` does not name it.
    """

    def __init__(self, retrier: Retrier, api_root: str, *, site: str, credentials: Credentials,
                 status: PostStatus = "draft", allow: Collection[str] = ()) -> None:
        if status not in POST_STATUSES:
            raise PublishError(f"unknown post status {status!r}; use one of {POST_STATUSES}")
        foreign = foreign_origin(site, api_root, allow)
        if foreign is not None:
            raise PublishAuthError(
                f"{site} names its REST API on another origin, {foreign} ({api_root}); "
                f"credentials go only to the site you named, so nothing was sent. If {foreign} "
                f"is the same site, pass --allow-origin {foreign}", code="foreign-origin")
        self._allow = tuple(allow)
        self.retrier = retrier
        self.api_root = api_root
        self.name = site_key(site)
        self.status = status
        self._auth = httpx.BasicAuth(credentials.user, credentials.password)
        self._user = credentials.user
        self._terms: dict[tuple[str, str], int] = {}
        self._index: dict[str, str] | None = None

    @classmethod
    def connect(cls, retrier: Retrier, target: str, *, credentials: Credentials,
                status: PostStatus = "draft", allow: Collection[str] = ()) -> WordPressPublisher:
        """Discover ``target``'s API root (anonymously, see :func:`redraft.wp.api.discover`)
        and make a publisher for it; a redirect to another origin is refused like an API root
        there, unless ``allow`` names it.

        Raises:
            PublishAuthError: the site or its API root is on an origin not allowed.
            FetchError: the site cannot be reached, or shows no REST API.
        """
        found: Discovery = discover(retrier, target)
        moved = foreign_origin(target, found.landed, allow)
        if moved is not None:
            raise PublishAuthError(
                f"{target} redirects to another origin, {moved} ({found.landed}); credentials "
                f"go only to the site you named, so nothing was sent. If {moved} is the same "
                f"site, pass --allow-origin {moved}", code="foreign-origin")
        return cls(retrier, found.root, site=target, credentials=credentials, status=status,
                   allow=allow)

    def check(self) -> None:
        """Check the credentials with ``GET /wp/v2/users/me`` and the right to post.

        Raises:
            PublishAuthError: the site refused the credentials, or the user may not post.
            PublishError: the site cannot be reached or is not a WordPress REST API.
        """
        url = self._url("/wp/v2/users/me", {"context": "edit"})
        me = self._call("GET", url)
        rights = me.get("capabilities") or {}
        needed = "publish_posts" if self.status == "publish" else "edit_posts"
        if isinstance(rights, Mapping) and rights and not rights.get(needed):
            raise PublishAuthError(f"WordPress user {self._user!r} at {self.api_root} lacks the "
                                   f"{needed} capability; use an editor or author account")
        log.info("publishing to %s as %s", self.name, me.get("name") or self._user)

    def publish(self, verdict: Verdict, *, remote_id: str | None = None) -> Publication:
        """Create the post, or update ``remote_id`` (or the post a killed run left behind).

        Raises:
            PublishAuthError: the credentials stopped working.
            PublishError: this draft could not be posted.
        """
        draft = verdict.draft
        entry = draft.article.entry
        payload = self._payload(draft, entry.key)
        if remote_id is None:
            remote_id = self._posted().get(marker(entry.key))
        if remote_id is not None:
            payload.pop("status")  # an editor may have moved it on since; keep their status
            post = self._call("POST", self._url(f"/wp/v2/posts/{remote_id}"), body=payload)
        else:
            try:
                post = self._call("POST", self._url("/wp/v2/posts"), body=payload)
            except PublishAuthError:
                raise
            except PublishError:
                found = self._find(marker(entry.key))  # created, then the answer was lost?
                if found is None:
                    raise
                post = self._call("POST", self._url(f"/wp/v2/posts/{found}"), body=payload)
        if self._index is not None:
            self._index[marker(entry.key)] = str(post["id"])
        return Publication(verdict=verdict, sink=self.name, location=str(post.get("link") or ""),
                           remote_id=str(post["id"]))

    # --- helpers -----------------------------------------------------------------------------

    def _payload(self, draft: Draft, key: str) -> dict[str, Any]:
        entry = draft.article.entry
        lead = draft.paragraphs[0] if draft.paragraphs else ""
        words = lead.split()
        excerpt = " ".join(words[:_EXCERPT_WORDS]) + (" …" if len(words) > _EXCERPT_WORDS else "")
        return {
            "title": entry.title.replace("<", "&lt;").replace(">", "&gt;"),
            "content": post_html(draft, key),
            "excerpt": html.escape(excerpt, quote=False),
            "status": self.status,
            "categories": self._term_ids("categories", entry.meta.get("category_names")),
            "tags": self._term_ids("tags", entry.meta.get("tag_names")),
        }

    def _posted(self) -> dict[str, str]:
        """Marker → post ID of every post this tool made on the site, oldest first wins
        (read once per run, a page of 100 at a time: a killed run's posts are in it)."""
        if self._index is None:
            self._index = {}
            for page in range(1, _MAX_INDEX_PAGES + 1):
                posts = self._search(f"redraft {_MARKER_PREFIX}", page)
                for post in posts:
                    for token in _MARKER.findall(json.dumps(post.get("content"))):
                        self._index.setdefault(token, str(post["id"]))
                if len(posts) < PER_PAGE:
                    break
        return self._index

    def _find(self, token: str) -> str | None:
        """The post carrying ``token`` right now (a fresh search), or None."""
        found = [post for post in self._search(token, 1)
                 if token in json.dumps(post.get("content"))]
        return str(found[0]["id"]) if found else None

    def _search(self, terms: str, page: int) -> list[Mapping[str, Any]]:
        url = self._url("/wp/v2/posts", {"search": terms, "status": _ANY_STATUS, "page": page,
                                         "per_page": PER_PAGE, "context": "edit", "orderby": "id",
                                         "order": "asc", "_fields": "id,content"})
        try:
            posts = self._call("GET", url, expect=list)
        except PublishError as exc:
            if "rest_post_invalid_page_number" in str(exc):
                return []
            raise
        return [post for post in posts if isinstance(post, Mapping) and "id" in post]

    def _term_ids(self, taxonomy: str, names: Any) -> list[int]:
        if not isinstance(names, Iterable) or isinstance(names, str):
            return []
        ids: list[int] = []
        for name in dict.fromkeys(str(n).strip() for n in names if str(n).strip()):
            cached = self._terms.get((taxonomy, name.casefold()))
            term_id = cached if cached is not None else self._term_id(taxonomy, name)
            self._terms[(taxonomy, name.casefold())] = term_id
            ids.append(term_id)
        return ids

    def _term_id(self, taxonomy: str, name: str) -> int:
        """An existing term of that name (any parent), else a new one."""
        url = self._url(f"/wp/v2/{taxonomy}", {"search": name, "per_page": 100,
                                                "_fields": "id,name"})
        for term in self._call("GET", url, expect=list):
            if isinstance(term, Mapping) and \
                    html.unescape(str(term.get("name", ""))).casefold() == name.casefold():
                return int(term["id"])
        try:
            return int(self._call("POST", self._url(f"/wp/v2/{taxonomy}"), body={"name": name})["id"])
        except _TermExists as exists:
            return exists.term_id

    def _url(self, route: str, params: Mapping[str, Any] | None = None) -> str:
        return route_url(self.api_root, route, params)

    def _call(self, method: str, url: str, *, body: Any = None, expect: type = dict) -> Any:
        """One authenticated request; the JSON answer, or a clear error."""
        try:
            response = self.retrier.request(method, url, json=body, auth=self._auth,
                                            trust=self._allow)
        except FetchError as exc:
            raise PublishError(f"WordPress at {self.api_root} could not be reached: {exc}") from exc
        try:
            data = response.json()
        except ValueError:
            data = None
        if response.is_success and isinstance(data, expect):
            return data
        error = data if isinstance(data, Mapping) else {}
        code = str(error.get("code") or "")
        where = f"{method} {url.split('?', 1)[0]}"
        if response.status_code == 400 and code == "term_exists":
            raise _TermExists(int((error.get("data") or {}).get("term_id") or 0))
        if response.status_code in AUTH_STATUSES:
            raise PublishAuthError(
                f"WordPress refused the credentials ({response.status_code} {code}) at {where}: "
                "check REDRAFT_WP_USER and REDRAFT_WP_APP_PASSWORD (an application password from "
                "Users → Profile; HTTPS is required unless the site is local), and that the "
                "server passes the Authorization header on")
        detail = str(error.get("message") or "") if error else \
            f"not a WordPress REST answer ({response.headers.get('content-type', 'no type')})"
        raise PublishError(f"WordPress answered {response.status_code} {code} at {where}: {detail}")


class _TermExists(PublishError):
    """400 term_exists: the term is there already (its id travels along)."""

    def __init__(self, term_id: int) -> None:
        super().__init__(f"term exists (id {term_id})")
        self.term_id = term_id
