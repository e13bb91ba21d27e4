"""A scripted OpenAI-compatible chat-completions server on 127.0.0.1, for tests and benchmarks.

It speaks enough of the API that redraft's LLM engine meets the real thing: ``GET /v1/models``,
``POST /v1/chat/completions`` (OpenAI's JSON, ``usage`` included), OpenAI's error JSON for a
wrong API key (401) and an unknown model (404). Each chat request takes the next behaviour of
its script (a :class:`Reply`, or a function of the request giving one); when the script runs
out, ``default`` answers (500 when there is none, so a test that asks more than it scripted
fails loudly). Every request is recorded.

```python
with LLMServer([completion("A short draft."), failure(500, "boom")]) as server:
    ...  # server.url is "http://127.0.0.1:<port>/v1"; server.requests what it got
```

As a script (for benchmarks, in a process of its own): ``python tests/llm_server.py --think
0.05`` prints its base URL on the first line and answers every request with the lead of the
article it was sent, after ``--think`` seconds, until it is terminated.
"""

from __future__ import annotations

import argparse
import json
import re
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass(frozen=True)
class Seen:
    """One request the server received."""

    method: str
    path: str
    headers: Mapping[str, str]
    body: Any  # the parsed JSON body, or None

    @property
    def messages(self) -> list[dict[str, str]]:
        """The chat messages of a chat-completions request."""
        if isinstance(self.body, dict) and isinstance(self.body.get("messages"), list):
            return list(self.body["messages"])
        return []

    @property
    def user(self) -> str:
        """The last user message's text."""
        texts = [m.get("content", "") for m in self.messages if m.get("role") == "user"]
        return texts[-1] if texts else ""


@dataclass(frozen=True)
class Reply:
    """What the server does with one request.

    Attributes:
        status: the HTTP status (0: close the connection without answering).
        body: the raw body.
        headers: extra headers.
        delay: seconds to think before answering.
        hang: seconds to hold the connection, then close it without answering.
    """

    status: int = 200
    body: bytes = b""
    headers: tuple[tuple[str, str], ...] = ()
    delay: float = 0.0
    hang: float = 0.0


Behaviour = Reply | Callable[[Seen], Reply]


def _json(status: int, data: Any, headers: tuple[tuple[str, str], ...] = (),
          delay: float = 0.0) -> Reply:
    return Reply(status, json.dumps(data).encode(), headers, delay)


def _tokens(text: str) -> int:
    return max(1, round(len(text.split()) * 4 / 3))


def completion(text: str | None, *, finish_reason: str = "stop",
               usage: tuple[int, int] | None = (100, 20), delay: float = 0.0,
               refusal: str | None = None) -> Reply:
    """A chat completion answering ``text`` (``usage`` None: no usage block)."""
    message: dict[str, Any] = {"role": "assistant", "content": text}
    if refusal is not None:
        message["refusal"] = refusal
    data: dict[str, Any] = {
        "id": "chatcmpl-test", "object": "chat.completion", "created": 0, "model": "test",
        "choices": [{"index": 0, "message": message, "finish_reason": finish_reason}],
    }
    if usage is not None:
        data["usage"] = {"prompt_tokens": usage[0], "completion_tokens": usage[1],
                         "total_tokens": sum(usage)}
    return _json(200, data, delay=delay)


def failure(status: int, message: str, *, code: str | None = None,
            retry_after: str | None = None) -> Reply:
    """An error in OpenAI's shape: ``{"error": {"message", "type", "code"}}``."""
    headers = (("Retry-After", retry_after),) if retry_after is not None else ()
    error = {"message": message, "type": "invalid_request_error", "param": None, "code": code}
    return _json(status, {"error": error}, headers)


def rate_limited(retry_after: str = "1") -> Reply:
    """429 Too Many Requests with a ``Retry-After``."""
    return failure(429, "Rate limit reached; try again later.", code="rate_limit_exceeded",
                   retry_after=retry_after)


def malformed() -> Reply:
    """A 200 whose body is cut-off JSON."""
    return Reply(200, b'{"id": "chatcmpl-test", "choices": [{"message": {"content": "Half',
                 (("Content-Type", "application/json"),))


def hung(seconds: float = 30.0) -> Reply:
    """Hold the connection past any sane client timeout, then drop it."""
    return Reply(hang=seconds)


def dropped() -> Reply:
    """Close the connection without a word."""
    return Reply(status=0)


def from_spec(spec: Mapping[str, Any]) -> Reply:
    """A reply from a JSON test case: ``{"answer": text, "usage": [p, c] | null,
    "finish_reason", "refusal"}``, ``{"fail": status, "message", "code"}``,
    ``{"rate_limited": "1"}``, ``{"json": any}``, ``{"hung": seconds}``, ``{"malformed": true}``
    or ``{"dropped": true}``."""
    if "answer" in spec:
        usage = spec.get("usage", [100, 20])
        return completion(spec["answer"], finish_reason=spec.get("finish_reason", "stop"),
                          usage=(usage[0], usage[1]) if usage else None,
                          refusal=spec.get("refusal"))
    if "fail" in spec:
        return failure(spec["fail"], spec["message"], code=spec.get("code"))
    if "rate_limited" in spec:
        return rate_limited(spec["rate_limited"])
    if "json" in spec:
        return Reply(200, json.dumps(spec["json"]).encode())
    if "hung" in spec:
        return hung(spec["hung"])
    if spec.get("malformed"):
        return malformed()
    if spec.get("dropped"):
        return dropped()
    raise ValueError(f"not a reply spec: {dict(spec)!r}")


_ARTICLE = re.compile(r"^(?:Article|Part \d+ of \d+):\n", re.MULTILINE)
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’]?\s+(?=[\"'“‘(]?[A-Z0-9])")


def article_of(seen: Seen) -> list[str]:
    """The paragraphs of the text a request asks to condense: what follows its ``Article:``
    (or ``Part i of n:``) line, or else everything after its first paragraph (the
    instruction)."""
    text = seen.user
    found = list(_ARTICLE.finditer(text))
    paragraphs = [p.strip() for p in text[found[-1].end():].split("\n\n")] if found else \
        [p.strip() for p in text.split("\n\n")][1:]
    return [p for p in paragraphs if p]


def lead_of(sentences: int = 2, *, repeat: int = 1, delay: float = 0.0) -> Callable[[Seen], Reply]:
    """A behaviour answering with the first ``sentences`` sentences of the article it got,
    ``repeat`` times over (a faithful draft, with or without repeated paragraphs)."""

    def answer(seen: Seen) -> Reply:
        paragraphs = article_of(seen)
        picked: list[str] = []
        for paragraph in paragraphs:
            for sentence in _SENTENCE_END.split(paragraph):
                if len(picked) < sentences:
                    picked.append(sentence.strip())
        text = "\n".join(picked * repeat)
        return completion(text, usage=(_tokens(seen.user), _tokens(text)), delay=delay)

    return answer


@dataclass
class LLMServer:
    """An OpenAI-compatible server on 127.0.0.1 answering from a script.

    Attributes:
        script: behaviours for the chat requests, in order.
        default: the behaviour once the script is spent (None: 500).
        models: the models it serves (``/v1/models`` lists them).
        api_key: when set, requests without ``Authorization: Bearer <key>`` get 401.
        list_models: whether ``/v1/models`` exists (404 when not).
        accept_any_model: answer whatever model is asked for (as llama.cpp's server does).
        think: seconds every chat request waits before its answer (benchmarks).
        requests: every request received, in order.
    """

    script: Iterable[Behaviour] = ()
    default: Behaviour | None = None
    models: Sequence[str] = ("test-model",)
    api_key: str | None = None
    list_models: bool = True
    accept_any_model: bool = False
    think: float = 0.0
    requests: list[Seen] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._queue: deque[Behaviour] = deque(self.script)
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.thought = 0.0  # seconds spent thinking, in total

    @property
    def url(self) -> str:
        """The base URL, ``http://127.0.0.1:<port>/v1``."""
        assert self._httpd is not None, "the server is not started"
        return f"http://127.0.0.1:{self._httpd.server_address[1]}/v1"

    @property
    def chats(self) -> list[Seen]:
        """The chat-completions requests received."""
        return [s for s in self.requests if s.path.endswith("/chat/completions")]

    def push(self, *behaviours: Behaviour) -> None:
        """Add behaviours to the end of the script."""
        with self._lock:
            self._queue.extend(behaviours)

    def start(self, port: int = 0) -> LLMServer:
        """Listen on 127.0.0.1 (``port`` 0: any free port) and serve in a thread."""
        server = self

        class Handler(_Handler):
            owner = server

        httpd = _HTTPServer(("127.0.0.1", port), Handler)
        self._httpd = httpd
        self._thread = threading.Thread(target=httpd.serve_forever, name="llm-server",
                                        kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving, wake held connections and close the socket."""
        self._stopping.set()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
        if self._thread is not None:
            self._thread.join()

    def __enter__(self) -> LLMServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _record(self, seen: Seen) -> None:
        with self._lock:
            self.requests.append(seen)

    def _next(self, seen: Seen) -> Reply:
        with self._lock:
            behaviour = self._queue.popleft() if self._queue else self.default
        if behaviour is None:
            return failure(500, "the test script has no more replies", code="script_spent")
        return behaviour(seen) if callable(behaviour) else behaviour

    def _respond(self, seen: Seen) -> Reply:
        """What the server answers, checks first: key, path, model; then the script."""
        if self.api_key is not None and seen.headers.get("authorization") != f"Bearer {self.api_key}":
            return failure(401, "Incorrect API key provided.", code="invalid_api_key")
        if seen.method == "GET" and seen.path.rstrip("/") == "/v1/models" and self.list_models:
            data = [{"id": m, "object": "model", "owned_by": "test"} for m in self.models]
            return _json(200, {"object": "list", "data": data})
        if seen.method == "GET" and seen.path == "/_stats":
            return _json(200, {"chats": len(self.chats), "thought": self.thought})
        if seen.method != "POST" or seen.path.rstrip("/") != "/v1/chat/completions":
            return failure(404, f"no route for {seen.method} {seen.path}", code="not_found")
        model = seen.body.get("model") if isinstance(seen.body, dict) else None
        if not isinstance(seen.body, dict) or not seen.messages:
            return failure(400, "a chat completion needs a JSON body with messages")
        if model not in self.models and not self.accept_any_model:
            return failure(404, f"The model `{model}` does not exist or you do not have "
                                "access to it.", code="model_not_found")
        reply = self._next(seen)
        if self.think:
            reply = Reply(reply.status, reply.body, reply.headers, reply.delay + self.think,
                          reply.hang)
        return reply

    def _wait(self, seconds: float) -> None:
        if seconds > 0:
            self._stopping.wait(seconds)
            with self._lock:
                self.thought += seconds


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True  # an idle keep-alive connection must not hold up the test's end
    request_queue_size = 128  # a burst of 16 connections must not wait for a SYN retry


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as real servers: clients pool connections
    # Headers and body go out in two writes: with Nagle on, the body waits for the client's
    # delayed ACK (40 ms on Linux), which would swamp any overhead a benchmark measures.
    disable_nagle_algorithm = True
    owner: LLMServer

    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: tests read ``requests`` instead."""

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = None
        seen = Seen(self.command, self.path, {k.lower(): v for k, v in self.headers.items()},
                    body)
        self.owner._record(seen)
        reply = self.owner._respond(seen)
        if reply.hang or reply.status == 0:
            self.owner._wait(reply.hang)
            self.close_connection = True
            return
        self.owner._wait(reply.delay)
        try:
            self.send_response(reply.status)
            if not any(name.lower() == "content-type" for name, _ in reply.headers):
                self.send_header("Content-Type", "application/json")
            for name, value in reply.headers:
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(reply.body)))
            self.end_headers()
            self.wfile.write(reply.body)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the client gave up first


def main() -> None:
    """Serve until terminated, answering every request with the lead of its article."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--think", type=float, default=0.0, help="seconds per answer")
    parser.add_argument("--model", action="append", help="a model to serve (repeatable)")
    parser.add_argument("--sentences", type=int, default=3, help="sentences per answer")
    parser.add_argument("--repeat", type=int, default=1, help="say each answer this often")
    args = parser.parse_args()
    server = LLMServer(default=lead_of(args.sentences, repeat=args.repeat),
                       models=tuple(args.model or ["test-model"]), think=args.think)
    server.start(args.port)
    print(server.url, flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()


if __name__ == "__main__":
    main()
