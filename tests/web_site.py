"""A small real web site on 127.0.0.1 for source tests: pages, feeds, sitemaps, robots.txt.

Files are served from a dict (path with query -> (content type, body)); every response carries
an ETag and a Last-Modified, and a conditional request for an unchanged file is answered 304.
Every request is logged (method, path, whether it was conditional, the status) for tests to read.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler

from tests.servers import serving

LAST_MODIFIED = formatdate(1_700_000_000, usegmt=True)


@dataclass
class Hit:
    """One request as the server saw it."""

    path: str
    conditional: bool
    status: int
    agent: str


@dataclass
class WebSite:
    """The served files and the request log."""

    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    log: list[Hit] = field(default_factory=list)
    base: str = ""

    def paths(self, status: int | None = None) -> list[str]:
        return [hit.path for hit in self.log if status is None or hit.status == status]


def _handler(site: WebSite) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            found = site.files.get(self.path) or site.files.get(self.path.split("?", 1)[0])
            etag = f'"{hashlib.sha256(found[1]).hexdigest()[:16]}"' if found else ""
            conditional = bool(self.headers.get("If-None-Match")
                               or self.headers.get("If-Modified-Since"))
            if found is None:
                status, body, kind = 404, b"not found", "text/plain"
            elif etag and self.headers.get("If-None-Match") == etag:
                status, body, kind = 304, b"", found[0]
            else:
                status, body, kind = 200, found[1], found[0]
            site.log.append(Hit(self.path, conditional, status,
                                self.headers.get("User-Agent", "")))
            self.send_response(status)
            self.send_header("Content-Type", kind)
            if etag:
                self.send_header("ETag", etag)
                self.send_header("Last-Modified", LAST_MODIFIED)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_args: object) -> None:
            return

    return Handler


@contextmanager
def serve(site: WebSite, host: str = "127.0.0.1") -> Iterator[WebSite]:
    """Serve ``site`` on a free port until the block ends."""
    with serving(_handler(site), host) as base:
        site.base = base
        yield site
