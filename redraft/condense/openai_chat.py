"""The wire of the LLM engine: one OpenAI-compatible chat-completions server.

vLLM, llama.cpp's server, Ollama, LM Studio, OpenAI and the like all answer
``POST {url}/chat/completions``. :class:`ChatServer` sends requests through
:class:`redraft.http.Retrier` (retries, back-off, ``Retry-After``, a per-host cap) and turns
the reply into a :class:`Reply` (text, usage, whether it was cut off) or an
:class:`~redraft.errors.EngineError` whose ``code`` says what went wrong (the constants below)
and whose ``status`` is the server's HTTP status, when there was one. Callers decide on
``code`` and ``status``, never on the message, which is for people.

The API key travels in the ``Authorization`` header only: never logged, stored or shown in a
repr. What to ask and what to do with the answer is :mod:`redraft.condense.llm`'s business.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import httpx

from redraft.errors import EngineAuthError, EngineError, FetchError
from redraft.http import Retrier
from redraft.records import Usage

log = logging.getLogger(__name__)

# --- EngineError codes (the server's own error code is used instead where it gives one) -------
AUTH = "auth"  # the API key was refused (an EngineAuthError)
UNKNOWN_MODEL = "unknown-model"  # 404: the server does not know the model (or the URL is wrong)
REFUSED = "refused"  # another 4xx without a code of the server's own
SERVER_ERROR = "server-error"  # 429 or 5xx after every retry
TIMEOUT = "timeout"  # no answer within the timeout, after every retry
UNREACHABLE = "unreachable"  # no connection (refused, reset, DNS), after every retry
BAD_REPLY = "bad-reply"  # not JSON, or JSON without choices[0].message
EMPTY = "empty"  # an answer with no text
MODEL_REFUSED = "model-refused"  # the model declined (OpenAI's ``refusal``)

# Connection set-up is quick or never; only the answer itself may take long.
CONNECT_TIMEOUT = 10.0
# Model names listed in an "unknown model" message.
MAX_LISTED_MODELS = 12


@dataclass(frozen=True, slots=True)
class Reply:
    """One answer from the server.

    Attributes:
        text: the answer's text, as the model wrote it.
        usage: the tokens this request spent (zeros when the server does not say).
        cut_off: the answer stopped at ``max_tokens`` (``finish_reason == "length"``).
    """

    text: str
    usage: Usage
    cut_off: bool = False


class ChatServer:
    """An OpenAI-compatible chat-completions server, for one model.

    Thread-safe: it holds no state between calls.
    """

    def __init__(self, retrier: Retrier, *, url: str, model: str, api_key: str = "",
                 timeout: float = 300.0, temperature: float = 0.0) -> None:
        """Args:
            retrier: sends the requests (it holds the injected ``httpx.Client``).
            url: the base URL, ending in ``/v1`` for most servers.
            model: the model name the server knows.
            api_key: sent as ``Authorization: Bearer``; "" sends none.
            timeout: seconds to wait for one completion.
            temperature: sampling temperature sent with each request.
        """
        self._retrier = retrier
        self.base = url.rstrip("/")
        self.model = model
        self._api_key = api_key
        self._timeout = timeout
        self._temperature = temperature

    def __repr__(self) -> str:
        return f"ChatServer(url={self.base!r}, model={self.model!r})"

    def check(self) -> None:
        """Fail fast, before any item: reach the server, test the key, find the model.

        Asks ``GET {url}/models``; when the server has no such list, or does not list the
        model (llama.cpp's server answers to any name), sends a one-token request instead.

        Raises:
            EngineAuthError: the server refused the API key.
            EngineError: the server cannot be reached or does not know the model.
        """
        url = f"{self.base}/models"
        response = self._send("GET", url, what="start-up check", timeout=None)
        self._refuse_auth(response)
        listed = _model_ids(response) if response.status_code == 200 else None
        if listed is not None and self.model in listed:
            return
        probe = {"model": self.model, "max_tokens": 1, "temperature": 0,
                 "messages": [{"role": "user", "content": "Say OK."}]}
        response = self._send("POST", f"{self.base}/chat/completions", what="start-up check",
                              json=probe)
        self._refuse_auth(response)
        if response.status_code == 404:
            offered = ", ".join((listed or [])[:MAX_LISTED_MODELS]) or "none listed"
            raise EngineError(
                f"the LLM server at {self.base} does not know the model {self.model!r} "
                f"({server_message(response)}); models it offers: {offered}. Check --llm-model "
                f"or REDRAFT_LLM_MODEL.", status=404, code=UNKNOWN_MODEL)
        if response.status_code >= 400:
            raise EngineError(f"the LLM server at {self.base} refused a test request "
                              f"({response.status_code}: {server_message(response)})",
                              status=response.status_code,
                              code=server_code(response) or REFUSED)

    def complete(self, messages: Sequence[dict[str, str]], *, item: str, max_tokens: int,
                 stop: Sequence[str] = ()) -> Reply:
        """Send one chat-completions request and return the answer.

        Args:
            messages: the chat, system message first.
            item: names the item in error messages.
            max_tokens: the completion limit.
            stop: sequences at which the server stops generating (none sent when empty).

        Raises:
            EngineAuthError: the server refused the API key.
            EngineError: no usable reply (``code`` says why).
        """
        body: dict[str, Any] = {"model": self.model, "messages": list(messages),
                                "temperature": self._temperature, "max_tokens": max_tokens,
                                "stream": False}
        if stop:
            body["stop"] = list(stop)
        response = self._send("POST", f"{self.base}/chat/completions", what=item, json=body)
        self._refuse_auth(response)
        if response.status_code == 404:
            raise EngineError(f"{item}: the LLM server at {self.base} answered 404 "
                              f"({server_message(response)}): check the model name "
                              f"{self.model!r} and that the URL ends in /v1",
                              status=404, code=UNKNOWN_MODEL)
        if response.status_code >= 400:
            raise EngineError(f"{item}: the LLM server refused the request "
                              f"({response.status_code}: {server_message(response)})",
                              status=response.status_code,
                              code=server_code(response) or REFUSED)
        return parse_reply(response, item)

    def _send(self, method: str, url: str, *, what: str, **kwargs: Any) -> httpx.Response:
        if "timeout" not in kwargs:
            kwargs["timeout"] = httpx.Timeout(self._timeout,
                                              connect=min(CONNECT_TIMEOUT, self._timeout))
        elif kwargs["timeout"] is None:
            del kwargs["timeout"]  # the client's own (shorter) timeout
        if self._api_key:
            kwargs["headers"] = {"Authorization": f"Bearer {self._api_key}"}
        try:
            return self._retrier.request(method, url, **kwargs)
        except FetchError as exc:
            # The cause first: a fallback's engine label keeps only the start of the message.
            cause = str(exc).removeprefix(f"{method} {url} ")
            raise EngineError(f"{what}: the LLM server {cause} ({url})", status=exc.status,
                              code=_transport_code(exc)) from exc

    def _refuse_auth(self, response: httpx.Response) -> None:
        if response.status_code in (401, 403):
            given = "the API key in REDRAFT_LLM_API_KEY" if self._api_key else "no API key"
            raise EngineAuthError(
                f"the LLM server at {self.base} refused {given} ({response.status_code}: "
                f"{server_message(response)}); set REDRAFT_LLM_API_KEY to a valid key",
                status=response.status_code, code=AUTH)


def _transport_code(exc: FetchError) -> str:
    if exc.status is not None:
        return SERVER_ERROR
    if isinstance(exc.__cause__, httpx.TimeoutException):
        return TIMEOUT
    return UNREACHABLE


def parse_reply(response: httpx.Response, item: str) -> Reply:
    """The answer of a 2xx reply, or an EngineError saying what is wrong with it."""
    status = response.status_code
    try:
        data = response.json()
    except ValueError as exc:
        raise EngineError(f"{item}: the LLM server's reply is not JSON "
                          f"({status}, {snippet(response.text)!r})",
                          status=status, code=BAD_REPLY) from exc
    choices = data.get("choices") if isinstance(data, dict) else None
    choice = choices[0] if isinstance(choices, list) and choices else None
    message = choice.get("message") if isinstance(choice, dict) else None
    if not isinstance(choice, dict) or not isinstance(message, dict):
        raise EngineError(f"{item}: the LLM server's reply has no choices[0].message "
                          f"({snippet(response.text)!r}); is the URL an OpenAI-compatible /v1?",
                          status=status, code=BAD_REPLY)
    usage = _usage(data.get("usage"))
    content = message.get("content")
    if not isinstance(content, str) or not content.strip():
        refusal = message.get("refusal")
        if refusal:
            raise EngineError(f"{item}: the model refused: {refusal}", status=status,
                              code=MODEL_REFUSED)
        raise EngineError(f"{item}: the answer is empty", status=status, code=EMPTY)
    log.debug("%s: %d prompt + %d completion tokens", item, usage.prompt_tokens,
              usage.completion_tokens)
    return Reply(content, usage, cut_off=choice.get("finish_reason") == "length")


def _usage(value: object) -> Usage:
    if not isinstance(value, dict):
        return Usage()
    prompt, completion = value.get("prompt_tokens"), value.get("completion_tokens")
    return Usage(prompt if isinstance(prompt, int) else 0,
                 completion if isinstance(completion, int) else 0)


def _model_ids(response: httpx.Response) -> list[str] | None:
    try:
        data = response.json()
    except ValueError:
        return None
    entries = data.get("data") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        return None
    return [str(e["id"]) for e in entries if isinstance(e, dict) and "id" in e]


def _error_object(response: httpx.Response) -> object:
    try:
        data = response.json()
    except ValueError:
        return None
    return data.get("error") if isinstance(data, dict) else None


def server_message(response: httpx.Response) -> str:
    """The server's own error message (OpenAI's ``{"error": {"message": ...}}``), short."""
    error = _error_object(response)
    if isinstance(error, dict) and error.get("message"):
        return snippet(str(error["message"]))
    if isinstance(error, str):
        return snippet(error)
    return snippet(response.text) or response.reason_phrase


def server_code(response: httpx.Response) -> str:
    """The server's own error code (OpenAI's ``error.code``, a string), or ""."""
    error = _error_object(response)
    value = error.get("code") if isinstance(error, dict) else None
    return value.strip() if isinstance(value, str) else ""


def snippet(text: str, limit: int = 160) -> str:
    """``text`` on one line, at most ``limit`` characters."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."
