"""Publish verified drafts to a WordPress site through its REST API, as drafts by default.

Credentials are an application password (WordPress 5.6+) sent with HTTP Basic auth; they are
checked with ``GET /wp/v2/users/me`` before anything is posted, because WordPress answers a
public GET with a wrong password as if none was given. They are never logged or stored.

Each post carries an invisible marker (an HTML comment with a digest of its entry's key and of
the publishing database's identity). A run that was killed after WordPress created a post but
before the store recorded it finds that post by its marker next time instead of posting the
draft twice; another database's posts carry other markers and are never claimed.

A 500 that carries a WordPress error ``code`` (``empty_term_name``, ``db_insert_error``...) is
WordPress's answer, not a passing fault: it is not retried.
"""

from __future__ import annotations

import html
import json
import logging
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from redraft.errors import PublishAuthError, PublishError
from redraft.http import Retrier
from redraft.records import Verdict
from redraft.sinks import POST_STATUSES, PostStatus
from redraft.sinks.markup import printable
from redraft.sinks.wp_content import (
    MARKER,
    MARKER_PREFIX,
    Payload,
    build_payload,
    marker,
    post_digest,
)
from redraft.sinks.wp_media import fetch_image
from redraft.sinks.wp_rest import (
    MISSING_CREDENTIALS,
    PASSWORD_VARIABLE,
    UNREACHABLE,
    USER_VARIABLE,
    Credentials,
    TermExists,
    WordPressRest,
)
from redraft.wp.api import PER_PAGE, discover, foreign_origin, site_key

log = logging.getLogger(__name__)

# Every status a post of ours may have by now (an editor may have published or scheduled it).
_ANY_STATUS = "draft,pending,publish,future,private"
_MAX_INDEX_PAGES = 1000  # 100,000 posts of ours: far beyond any site, a guard against loops
_GONE = frozenset({404, 410})
FOREIGN_ORIGIN = "foreign-origin"  # PublishAuthError.code: credentials would leave the named origin


@dataclass(frozen=True, slots=True)
class RemotePost:
    """A post as the target reports it.

    Attributes:
        remote_id: the post's ID on the target.
        status: ``draft``, ``pending``, ``publish``, ``future``, ``private`` or ``trash``.
        modified: the target's ``modified_gmt`` (changes with every save, an editor's included).
        link: the post's public link (a preview link for a draft).
        edit_link: where an editor opens it in wp-admin.
        title: its title as stored (raw).
        featured_media: the ID of its featured image (0 for none).
        digest: a digest of what an editor can change (raw title, content and excerpt, terms,
            image); "" when the answer holds no raw fields (not read with ``context=edit``).
    """

    remote_id: str
    status: str
    modified: str
    link: str
    edit_link: str
    title: str = ""
    featured_media: int = 0
    digest: str = ""


@dataclass(frozen=True, slots=True)
class Written:
    """A post redraft created or updated: the target's answer, the digest of what was sent,
    and notes on what was left out (a refused link, an empty term, a skipped image)."""

    post: RemotePost
    digest: str
    notes: tuple[str, ...] = ()


class WordPressPublisher:
    """Creates, reads and updates the WordPress posts of verified drafts.

    Args:
        retrier: sends the requests (retries, back-off, per-host cap).
        api_root: the site's REST API root, either form (``.../wp-json/`` or
            ``...?rest_route=/``), as discovery found it.
        site: the site's canonical URL; the publisher is named ``wordpress:<site>``.
        credentials: user and application password.
        status: the status of the posts it creates and updates: ``draft`` (default),
            ``pending`` or ``publish``.
        identity: the publishing database's identity, part of every post's marker.
        allow: origins besides the site's own that may receive the credentials (the user's
            ``--allow-origin``): an API root, or a redirect, anywhere else is refused.

    Raises:
        PublishAuthError: the API root is on another origin than the site's (code
            ``"foreign-origin"``), and ``allow`` does not name it.
    """

    def __init__(self, retrier: Retrier, api_root: str, *, site: str, credentials: Credentials,
                 status: PostStatus = "draft", identity: str = "",
                 allow: Collection[str] = ()) -> None:
        if status not in POST_STATUSES:
            raise PublishError(f"unknown post status {status!r}; use one of {POST_STATUSES}",
                               code="bad-status")
        foreign = foreign_origin(site, api_root, allow)
        if foreign is not None:
            raise PublishAuthError(
                f"{site} names its REST API on another origin, {foreign} ({api_root}); "
                f"credentials go only to the site you named, so nothing was sent. If {foreign} "
                f"is the same site, pass --allow-origin {foreign}", code=FOREIGN_ORIGIN)
        self.retrier = retrier
        self.api_root = api_root
        self._rest = WordPressRest(retrier, api_root, credentials=credentials, allow=allow)
        self.name = site_key(site)
        self.status = status
        self.identity = identity
        self._terms: dict[tuple[str, str], int] = {}
        self._index: dict[str, str] | None = None

    @classmethod
    def connect(cls, retrier: Retrier, target: str, *, credentials: Credentials,
                status: PostStatus = "draft", identity: str = "",
                allow: Collection[str] = ()) -> WordPressPublisher:
        """Discover ``target``'s API root (anonymously, see :func:`redraft.wp.api.discover`)
        and make a publisher for it; a redirect to another origin is refused like an API root
        there, unless ``allow`` names it.

        Raises:
            PublishAuthError: the site or its API root is on an origin not allowed.
            FetchError: the site cannot be reached, or shows no REST API.
        """
        found = discover(retrier, target)
        moved = foreign_origin(target, found.landed, allow)
        if moved is not None:
            raise PublishAuthError(
                f"{target} redirects to another origin, {moved} ({found.landed}); credentials "
                f"go only to the site you named, so nothing was sent. If {moved} is the same "
                f"site, pass --allow-origin {moved}", code=FOREIGN_ORIGIN)
        return cls(retrier, found.root, site=target, credentials=credentials, status=status,
                   identity=identity, allow=allow)

    def check(self) -> None:
        """Check the credentials with ``GET /wp/v2/users/me`` and the right to post.

        Raises:
            PublishAuthError: the site refused the credentials, or the user may not post.
            PublishError: the site cannot be reached or is not a WordPress REST API.
        """
        url = self._rest.url("/wp/v2/users/me", {"context": "edit"})
        me = self._rest.call("GET", url)
        rights = me.get("capabilities") or {}
        needed = "publish_posts" if self.status == "publish" else "edit_posts"
        if isinstance(rights, Mapping) and rights and not rights.get(needed):
            raise PublishAuthError(f"WordPress user {self._rest.user!r} at {self.api_root} lacks "
                                   f"the {needed} capability; use an editor or author account",
                                   code="missing-capability")
        log.info("publishing to %s as %s", self.name, me.get("name") or self._rest.user)

    def payload(self, verdict: Verdict) -> Payload:
        """What would be sent for ``verdict`` (no request made): its digest tells whether an
        update would change anything."""
        return build_payload(verdict.draft, status=self.status, identity=self.identity)

    def read(self, remote_id: str) -> RemotePost | None:
        """The post as the target has it now, or None when it is gone (deleted for good).

        Raises:
            PublishError: the target could not be asked.
        """
        url = self._rest.url(f"/wp/v2/posts/{remote_id}", {"context": "edit"})
        try:
            return self._remote(self._rest.call("GET", url))
        except PublishAuthError:
            raise
        except PublishError as exc:
            if exc.status in _GONE:
                return None
            raise

    def find(self, key: str) -> str | None:
        """The post this database made for ``key`` but never recorded (a killed run), or None."""
        return self._posted().get(marker(key, self.identity))

    def create(self, verdict: Verdict) -> Written:
        """Create the post (with its featured image, when it can be fetched).

        Raises:
            PublishAuthError: the credentials stopped working.
            PublishError: this draft could not be posted.
        """
        payload, notes, body = self._prepare(verdict, image=True)
        key = verdict.draft.article.entry.key
        try:
            post = self._rest.call("POST", self._rest.url("/wp/v2/posts"), body=body)
        except PublishAuthError:
            raise
        except PublishError:
            found = self._find(marker(key, self.identity))  # created, then the answer was lost?
            if found is None:
                raise
            post = self._rest.call("POST", self._rest.url(f"/wp/v2/posts/{found}"), body=body)
        written = Written(self._remote(post), payload.digest, tuple(notes))
        if self._index is not None:
            self._index[marker(key, self.identity)] = written.post.remote_id
        return written

    def _prepare(self, verdict: Verdict, *,
                 image: bool) -> tuple[Payload, list[str], dict[str, Any]]:
        """``verdict``'s payload, its notes and the request body; with ``image``, the featured
        image (when there is one) is uploaded and set."""
        payload = self.payload(verdict)
        notes = list(payload.notes)
        body = self._body(payload, notes)
        if image and payload.featured_image:
            media = self._upload_image(payload.featured_image, notes)
            if media:
                body["featured_media"] = media
        return payload, notes, body

    def update(self, remote_id: str, verdict: Verdict, *, set_image: bool = False,
               keep_status: bool = False) -> Written:
        """Replace the post's title, body, excerpt, terms and status with ``verdict``'s.

        Args:
            remote_id: the post to update.
            verdict: the draft to send.
            set_image: also upload and set the featured image (the post has none yet).
            keep_status: leave the post's status as it is.

        Raises:
            PublishAuthError: the credentials stopped working.
            PublishError: this draft could not be posted.
        """
        payload, notes, body = self._prepare(verdict, image=set_image)
        if keep_status:
            body.pop("status")
        post = self._rest.call("POST", self._rest.url(f"/wp/v2/posts/{remote_id}"), body=body)
        return Written(self._remote(post), payload.digest, tuple(notes))

    # --- helpers -----------------------------------------------------------------------------

    def _body(self, payload: Payload, notes: list[str]) -> dict[str, Any]:
        return {**payload.fields,
                "categories": self._term_ids("categories", payload.categories, notes),
                "tags": self._term_ids("tags", payload.tags, notes)}

    def _remote(self, post: Mapping[str, Any]) -> RemotePost:
        if "id" not in post:
            raise PublishError(f"WordPress at {self.api_root} answered a post without an id",
                               code="bad-answer")
        remote_id = str(post["id"])
        title = post.get("title")
        raw_title = title.get("raw", "") if isinstance(title, Mapping) else ""
        media = post.get("featured_media")
        return RemotePost(
            remote_id=remote_id, status=str(post.get("status") or ""),
            modified=str(post.get("modified_gmt") or ""), link=str(post.get("link") or ""),
            edit_link=self.edit_link(remote_id), title=str(raw_title),
            featured_media=media if isinstance(media, int) else 0, digest=post_digest(post),
        )

    def edit_link(self, remote_id: str) -> str:
        """Where an editor opens a post in wp-admin (beside the REST API's root)."""
        parts = urlsplit(self.api_root)
        path = parts.path.split("/wp-json", 1)[0].removesuffix("/index.php").rstrip("/")
        return f"{parts.scheme}://{parts.netloc}{path}/wp-admin/post.php?post={remote_id}&action=edit"

    def _posted(self) -> dict[str, str]:
        """Marker → post ID of every post this tool made on the site, oldest first wins
        (read once per run, a page of 100 at a time: a killed run's posts are in it)."""
        if self._index is None:
            self._index = {}
            for page in range(1, _MAX_INDEX_PAGES + 1):
                posts = self._search(f"redraft {MARKER_PREFIX}", page)
                for post in posts:
                    for token in MARKER.findall(json.dumps(post.get("content"))):
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
        url = self._rest.url("/wp/v2/posts", {
            "search": terms, "status": _ANY_STATUS, "page": page, "per_page": PER_PAGE,
            "context": "edit", "orderby": "id", "order": "asc", "_fields": "id,content"})
        try:
            posts = self._rest.call("GET", url, expect=list)
        except PublishError as exc:
            if exc.code == "rest_post_invalid_page_number":
                return []
            raise
        return [post for post in posts if isinstance(post, Mapping) and "id" in post]

    def _term_ids(self, taxonomy: str, names: tuple[str, ...], notes: list[str]) -> list[int]:
        """The ids of the (clean) term names; a term WordPress refuses is left out, noted."""
        ids: list[int] = []
        for name in names:
            cached = self._terms.get((taxonomy, name.casefold()))
            if cached is None:
                try:
                    cached = self._term_id(taxonomy, name)
                except PublishAuthError:
                    raise
                except PublishError as exc:
                    if exc.code in ("", UNREACHABLE):  # no answer about this term: the draft fails
                        raise
                    notes.append(f"{taxonomy[:-1] if taxonomy == 'tags' else 'category'} "
                                 f"{printable(name)[:60]!r} left out: WordPress refused it "
                                 f"({exc.code})")
                    continue
                self._terms[(taxonomy, name.casefold())] = cached
            ids.append(cached)
        return ids

    def _term_id(self, taxonomy: str, name: str) -> int:
        """An existing term of that name (any parent), else a new one."""
        url = self._rest.url(f"/wp/v2/{taxonomy}", {"search": html.unescape(name), "per_page": 100,
                                                     "_fields": "id,name"})
        wanted = html.unescape(name).casefold()
        for term in self._rest.call("GET", url, expect=list):
            if isinstance(term, Mapping) and \
                    html.unescape(str(term.get("name", ""))).casefold() == wanted:
                return int(term["id"])
        try:
            made = self._rest.call("POST", self._rest.url(f"/wp/v2/{taxonomy}"),
                                   body={"name": name})
            return int(made["id"])
        except TermExists as exists:
            return exists.term_id

    def _upload_image(self, url: str, notes: list[str]) -> int:
        """Fetch the source's featured image and upload it to ``/wp/v2/media``; its media id,
        or 0 with a note saying why it was skipped."""
        try:
            image = fetch_image(self.retrier, url)
            headers = {"Content-Type": image.kind,
                       "Content-Disposition": f'attachment; filename="{image.name}"'}
            media = self._rest.call("POST", self._rest.url("/wp/v2/media"), content=image.content,
                                    headers=headers)
        except PublishAuthError:
            raise
        except PublishError as exc:
            notes.append(f"featured image skipped: {exc}")
            return 0
        return int(media.get("id") or 0)

__all__ = ["MISSING_CREDENTIALS", "PASSWORD_VARIABLE", "POST_STATUSES", "UNREACHABLE", "USER_VARIABLE",
           "Credentials", "PostStatus", "RemotePost", "WordPressPublisher", "Written", "marker",
           "post_digest"]
