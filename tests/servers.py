"""Real HTTP servers on 127.0.0.1 (or 127.0.0.2) for tests: served from a thread, stopped when the
block that started them ends."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, HTTPServer, ThreadingHTTPServer


@contextmanager
def running(server: HTTPServer) -> Iterator[str]:
    """Serve ``server`` (bound already, to port 0 for a free one) from a thread; its base URL.
    Shut down and closed when the block ends, whatever happens in it."""
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    host, port = server.server_address[:2]
    try:
        yield f"http://{host!s}:{port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@contextmanager
def serving(handler: type[BaseHTTPRequestHandler], host: str = "127.0.0.1") -> Iterator[str]:
    """Serve ``handler`` on ``host`` (a free port) from a thread; its base URL."""
    with running(ThreadingHTTPServer((host, 0), handler)) as base:
        yield base
