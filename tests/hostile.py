"""A small WordPress-like server on 127.0.0.x that can turn hostile, for tests and benchmarks.

``HostileSite(role=...)`` serves a home page whose ``Link`` header names its REST API root,
and a posts route (``/wp-json/wp/v2/posts``) that behaves as the role says:

- ``good``: its posts, paged, with honest totals.
- ``endless``: a JSON body that never ends.       ``huge``: a valid JSON page of ``size`` bytes.
- ``gzip_bomb``: ``size`` bytes of JSON gzipped to a few KB.   ``bad_gzip``: "gzip" that is not.
- ``trickle``: one byte every ``interval`` seconds, forever.
- ``redirect_loop``: a redirect to itself, forever.   ``redirect_js``: a redirect to ``javascript:``.
- ``deep``: JSON nested ``size`` levels deep.
- ``empty_pages``: its posts on page 1, then empty pages, claiming a billion of them.
- ``same_posts``: its posts on every page, claiming a billion pages.
- ``fresh_pages``: new posts on every page, claiming a billion pages.
- ``locked_feed``: a locked REST API (401) and a feed with new items on every page.
- ``moved``: the home page redirects (307) to ``moved_to`` (another server).
- ``moved_api``: the posts route redirects (307) to ``moved_to``; the home page stays.

``api_root`` makes the home page name another API root (another server's).

Every request is recorded (path and headers) in :attr:`HostileSite.requests`. The server runs
in a thread and stops when the ``with`` block ends; its handlers stop writing then too.
"""

from __future__ import annotations

import gzip
import json
import threading
import time
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import parse_qs, urlsplit

MODIFIED = "2025-05-01T10:00:00"
_CHUNK = 64 * 1024
_BILLION = 1_000_000_000


def post(post_id: int, base: str, modified: str = MODIFIED) -> dict[str, Any]:
    """A REST post object of this server."""
    words = " ".join(f"word{post_id}x{n}" for n in range(60))
    return {"id": post_id, "date": modified, "date_gmt": modified, "modified": modified,
            "modified_gmt": modified, "type": "post", "link": f"{base}/?p={post_id}",
            "title": {"rendered": f"Post {post_id}"},
            "content": {"rendered": f"<p>The council met on Monday. {words}.</p>"
                                    f"<p>It voted on item {post_id}. {words}.</p>",
                        "protected": False}}


@dataclass
class Request:
    """One request the server received."""

    path: str
    headers: dict[str, str]


@dataclass
class HostileSite:
    """The server (see the module docstring). Start it with ``with``."""

    role: str = "good"
    host: str = "127.0.0.1"
    size: int = 1024 * 1024
    interval: float = 0.05
    count: int = 3
    moved_to: str = ""
    api_root: str = ""
    modified: str = MODIFIED
    requests: list[Request] = field(default_factory=list)
    _server: ThreadingHTTPServer | None = field(default=None, repr=False)
    _stop: threading.Event = field(default_factory=threading.Event, repr=False)
    _bomb: bytes | None = field(default=None, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def base_url(self) -> str:
        assert self._server is not None
        return f"http://{self.host}:{self._server.server_address[1]}"

    def posts(self) -> list[dict[str, Any]]:
        """This server's good posts, newest ID first."""
        return [post(n, self.base_url, self.modified) for n in range(self.count, 0, -1)]

    def __enter__(self) -> HostileSite:
        site = self

        class Handler(_Handler):
            owner = site

        self._server = ThreadingHTTPServer((self.host, 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                         daemon=True).start()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self._stop.set()
        assert self._server is not None
        self._server.shutdown()
        self._server.server_close()

    def stopping(self) -> bool:
        return self._stop.is_set()

    def bomb(self) -> bytes:
        """The gzip bomb of this site's size, made once."""
        with self._lock:
            if self._bomb is None:
                self._bomb = bomb(self.size)
            return self._bomb


class _Handler(BaseHTTPRequestHandler):
    owner: HostileSite

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet."""

    def do_GET(self) -> None:
        site = self.owner
        site.requests.append(Request(self.path, {k.lower(): v for k, v in self.headers.items()}))
        parts = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        try:
            if parts.path in ("", "/"):
                self._home()
            elif parts.path == "/wp-json/wp/v2/posts":
                getattr(self, "_" + site.role, self._good)(int(query.get("page", "1")))
            elif parts.path == "/wp-json/wp/v2/users/me":
                self._json({"id": 1, "name": "editor", "capabilities": {"edit_posts": True}})
            elif parts.path == "/feed/":
                self._feed(int(query.get("paged", "1")))
            else:
                self._json({"code": "rest_no_route"}, status=404)
        except (BrokenPipeError, ConnectionResetError):
            return

    def do_POST(self) -> None:
        self.do_GET()

    # --- plain answers -----------------------------------------------------------------------

    def _home(self) -> None:
        site = self.owner
        if site.role == "moved":
            self.send_response(307)
            self.send_header("Location", site.moved_to + self.path)
            self.end_headers()
            return
        self.send_response(200)
        root = site.api_root or f"{site.base_url}/wp-json/"
        self.send_header("Link", f'<{root}>; rel="https://api.w.org/"')
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.end_headers()
        self.wfile.write(b"<html><head><title>Home</title></head><body>Home</body></html>")

    def _json(self, data: Any, *, status: int = 200, headers: dict[str, str] | None = None) -> None:
        body = json.dumps(data).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=UTF-8")
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def _good(self, page: int) -> None:
        posts = self.owner.posts()
        pages = max(1, -(-len(posts) // 100))
        if page > pages:
            self._json({"code": "rest_post_invalid_page_number"}, status=400)
            return
        self._json(posts[(page - 1) * 100: page * 100],
                   headers={"X-WP-Total": str(len(posts)), "X-WP-TotalPages": str(pages)})

    # --- hostile answers ---------------------------------------------------------------------

    def _start(self, headers: dict[str, str] | None = None) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/json; charset=UTF-8")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()

    def _endless(self, page: int) -> None:
        self._start()
        self.wfile.write(b"[")
        filler = b" " * _CHUNK
        while not self.owner.stopping():
            self.wfile.write(filler)

    def _huge(self, page: int) -> None:
        size = self.owner.size
        self._start({"Content-Length": str(size)})
        self.wfile.write(b"[")
        for chunk in _spaces(size - 2):
            if self.owner.stopping():
                return
            self.wfile.write(chunk)
        self.wfile.write(b"]")

    def _gzip_bomb(self, page: int) -> None:
        body = self.owner.bomb()
        self._start({"Content-Encoding": "gzip", "Content-Length": str(len(body))})
        self.wfile.write(body)

    def _bad_gzip(self, page: int) -> None:
        body = b"this is not gzip at all, though the header says so"
        self._start({"Content-Encoding": "gzip", "Content-Length": str(len(body))})
        self.wfile.write(body)

    def _trickle(self, page: int) -> None:
        self._start()
        self.wfile.write(b"[")
        while not self.owner.stopping():
            self.wfile.write(b" ")
            self.wfile.flush()
            time.sleep(self.owner.interval)

    def _redirect_loop(self, page: int) -> None:
        self.send_response(302)
        self.send_header("Location", self.path)
        self.end_headers()

    def _redirect_js(self, page: int) -> None:
        self.send_response(302)
        self.send_header("Location", "javascript:alert(1)")
        self.end_headers()

    def _deep(self, page: int) -> None:
        depth = self.owner.size
        body = b"[" * depth + b"]" * depth
        self._start({"Content-Length": str(len(body))})
        self.wfile.write(body)

    def _empty_pages(self, page: int) -> None:
        posts = self.owner.posts() if page == 1 else []
        self._json(posts, headers={"X-WP-Total": str(100 * _BILLION),
                                   "X-WP-TotalPages": str(_BILLION)})

    def _same_posts(self, page: int) -> None:
        self._json(self.owner.posts(), headers={"X-WP-Total": str(100 * _BILLION),
                                                "X-WP-TotalPages": str(_BILLION)})

    def _fresh_pages(self, page: int) -> None:
        site = self.owner
        posts = [post(page * 1000 + n, site.base_url, site.modified) for n in range(site.count)]
        self._json(posts, headers={"X-WP-Total": str(100 * _BILLION),
                                   "X-WP-TotalPages": str(_BILLION)})

    def _moved_api(self, page: int) -> None:
        self.send_response(307)
        self.send_header("Location", self.owner.moved_to + self.path)
        self.end_headers()

    def _locked_feed(self, page: int) -> None:
        self._json({"code": "rest_forbidden", "message": "Only logged-in users."}, status=401)

    def _feed(self, page: int) -> None:
        base = self.owner.base_url
        items = "".join(
            f"<item><title>Item {n}</title><link>{base}/?p={n}</link>"
            f"<guid isPermaLink=\"false\">{base}/?p={n}</guid>"
            f"<description>Item {n} of an endless feed.</description></item>"
            for n in range(page * 10, page * 10 + 10))
        body = (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Feed</title>'
                f"<link>{base}</link>{items}</channel></rss>").encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml; charset=UTF-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def _spaces(size: int) -> Iterator[bytes]:
    filler = b" " * _CHUNK
    for _ in range(size // _CHUNK):
        yield filler
    yield b" " * (size % _CHUNK)


def bomb(size: int) -> bytes:
    """A JSON array of ``size`` bytes (spaces inside brackets), gzipped (about 1,000 to 1)."""
    if size <= _CHUNK:
        return gzip.compress(b"[" + b" " * max(size - 2, 0) + b"]")
    packer = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    parts = [packer.compress(b"[")]
    parts += [packer.compress(chunk) for chunk in _spaces(size - 2)]
    parts += [packer.compress(b"]"), packer.flush()]
    return b"".join(parts)
