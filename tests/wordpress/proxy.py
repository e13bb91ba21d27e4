"""A small fault-injecting HTTP proxy on 127.0.0.1, put in front of the fixture site.

It forwards every request to the site and rewrites the site's own address into the proxy's in
headers and bodies (plain and JSON-escaped), so that discovery, links and API roots all lead
back through it. Requests whose target contains a rule's ``match`` get that rule's fault
instead, ``times`` times after skipping ``after`` of them (with ``cache=True``, a GET answered
once by the site is answered again from memory, so that a client with a short timeout waits on
the proxy alone):

- ``"429"``: 429 Too Many Requests with ``Retry-After``;
- ``"500"``: an HTML 500 page;
- ``"hang"``: read the request and say nothing until ``hang`` seconds pass, then close;
- ``"truncate"``: the real answer's headers, half its body, and the connection closed
  (``Content-Length`` promises more than arrives);
- ``"bad-json"``: half the real body as if it were all of it (a 200 with broken JSON);
- ``"html"``: a 200 ``text/html`` page where JSON was expected.
"""

from __future__ import annotations

import http.client
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Literal
from urllib.parse import urlsplit

FaultKind = Literal["429", "500", "hang", "truncate", "bad-json", "html"]
_HOP_HEADERS = frozenset({"connection", "keep-alive", "transfer-encoding", "content-length",
                          "proxy-connection", "te", "trailer", "upgrade"})


@dataclass
class Fault:
    """One fault rule (see the module docstring)."""

    kind: FaultKind
    match: str = "/wp/v2/posts"
    times: int = 1
    after: int = 0
    retry_after: int = 1
    hang: float = 5.0
    seen: int = 0


@dataclass
class FaultProxy:
    """The proxy: ``url`` to use instead of the site's, ``served`` lists what it did."""

    upstream: str
    faults: list[Fault] = field(default_factory=list)
    served: list[tuple[str, str]] = field(default_factory=list)
    cache: dict[str, tuple[int, list[tuple[str, str]], bytes]] | None = None
    url: str = ""
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _stopping: threading.Event = field(default_factory=threading.Event)

    def pick(self, target: str) -> Fault | None:
        """The fault a request gets, counting it against its rule."""
        with self._lock:
            for fault in self.faults:
                if fault.match in target:
                    fault.seen += 1
                    if fault.after < fault.seen <= fault.after + fault.times:
                        return fault
            return None

    def note(self, target: str, what: str) -> None:
        """Record what was done with a request."""
        with self._lock:
            self.served.append((target, what))

    def rewrite(self, data: bytes) -> bytes:
        """The upstream's address replaced by the proxy's (plain and JSON-escaped)."""
        for old, new in ((self.upstream, self.url),
                         (self.upstream.replace("/", "\\/"), self.url.replace("/", "\\/"))):
            data = data.replace(old.encode(), new.encode())
        return data


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        self._handle()

    def do_HEAD(self) -> None:
        self._handle()

    def do_POST(self) -> None:
        self._handle()

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the proxy records what it served instead."""

    def _handle(self) -> None:
        proxy = self.server.proxy
        fault = proxy.pick(self.path)
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if fault is not None and fault.kind in ("429", "500", "html", "hang"):
            proxy.note(self.path, fault.kind)
            self._fake(fault)
            return
        status, headers, answer = self._forward(body)
        answer = proxy.rewrite(answer)
        sent = answer
        if fault is not None:  # truncate or bad-json
            proxy.note(self.path, fault.kind)
            sent = answer[: len(answer) // 2]
        else:
            proxy.note(self.path, str(status))
        self.send_response(status)
        for name, value in headers:
            if name.lower() not in _HOP_HEADERS:
                self.send_header(name, proxy.rewrite(value.encode()).decode())
        length = len(answer) if fault is not None and fault.kind == "truncate" else len(sent)
        self.send_header("Content-Length", str(length))
        self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(sent)
        self.close_connection = True

    def _forward(self, body: bytes) -> tuple[int, list[tuple[str, str]], bytes]:
        cache = self.server.proxy.cache
        if cache is not None and self.command == "GET" and self.path in cache:
            return cache[self.path]
        answer = self._fetch(body)
        if cache is not None and self.command == "GET":
            cache[self.path] = answer
        return answer

    def _fetch(self, body: bytes) -> tuple[int, list[tuple[str, str]], bytes]:
        upstream = urlsplit(self.server.proxy.upstream)
        connection = http.client.HTTPConnection(upstream.hostname or "127.0.0.1", upstream.port,
                                                timeout=60)
        headers = {k: v for k, v in self.headers.items() if k.lower() not in _HOP_HEADERS}
        headers["Host"] = upstream.netloc
        try:
            connection.request(self.command, self.path, body=body or None, headers=headers)
            response = connection.getresponse()
            return response.status, response.getheaders(), response.read()
        finally:
            connection.close()

    def _fake(self, fault: Fault) -> None:
        if fault.kind == "hang":
            self.server.proxy._stopping.wait(fault.hang)
            self.close_connection = True
            return
        status, kind, text = {
            "429": (429, "application/json", b'{"code":"too_many_requests"}'),
            "500": (500, "text/html", b"<html><body><h1>Internal Server Error</h1></body></html>"),
            "html": (200, "text/html; charset=UTF-8", b"<!DOCTYPE html><html><body>Home</body></html>"),
        }[fault.kind]
        self.send_response(status)
        if fault.kind == "429":
            self.send_header("Retry-After", str(fault.retry_after))
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(text)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(text)
        self.close_connection = True


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, proxy: FaultProxy) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.proxy = proxy


@contextmanager
def fault_proxy(upstream: str, faults: list[Fault], cache: bool = False) -> Iterator[FaultProxy]:
    """Run a proxy in front of ``upstream`` for the length of the block."""
    proxy = FaultProxy(upstream.rstrip("/"), faults, cache={} if cache else None)
    server = _Server(proxy)
    proxy.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True)
    thread.start()
    try:
        yield proxy
    finally:
        proxy._stopping.set()
        server.shutdown()
        server.server_close()
        thread.join(5)
