"""Every error redraft raises, in one tree.

```
RedraftError
├── ConfigError            bad settings or options: fix the command line or config file
├── InputError             an input that cannot be read at all (missing file, unknown format)
├── FetchError             a remote source failed (after retries), with the URL in the message
│   └── NotJSONError       a REST endpoint answered something that is not JSON
├── EngineError            a condensing engine failed for one item (server down, bad reply)
│   └── EngineAuthError    the engine refused the credentials: stop, nothing else will work
├── PublishError           a sink could not publish one draft
│   └── PublishAuthError   the target refused the credentials: stop before posting anything
├── StoreError             the SQLite state could not be read or written
├── InternalError          a bug: an unexpected exception while working on one item
└── Rejected               an item is not fit to rewrite; the reason is recorded, the run goes on
    ├── Malformed          unreadable item (bad JSON, wrong shape, undecodable bytes)
    ├── Protected          password-protected post
    ├── NoText             no article text after extraction
    ├── TooShort           too little text to condense
    ├── NotAnArticle       a listing, a form or a media page rather than an article
    └── Duplicate          the same story was already seen (``of`` names it)
```

Messages say what happened, to what, and what to do. Foreign exceptions are translated once,
at the boundary, with ``raise ... from exc``.
"""

from __future__ import annotations


class RedraftError(Exception):
    """The root of every error redraft raises on purpose."""


class ConfigError(RedraftError):
    """Settings or options that cannot work together."""


class InputError(RedraftError):
    """An input that cannot be opened or recognised at all."""


class FetchError(RedraftError):
    """A remote source failed after its retries.

    Attributes:
        url: the URL that failed.
        status: the HTTP status, when there was a response.
    """

    def __init__(self, message: str, *, url: str, status: int | None = None) -> None:
        super().__init__(message)
        self.url = url
        self.status = status


class NotJSONError(FetchError):
    """A REST endpoint answered with something that is not JSON (HTML, a truncated body)."""


class EngineError(RedraftError):
    """A condensing engine failed on one item.

    Attributes:
        status: the server's HTTP status, when there was a response.
        code: a stable machine-readable slug (``"timeout"``, ``"bad-reply"``, the server's own
            error code...), so that callers decide on data, never on message text.
    """

    def __init__(self, message: str, *, status: int | None = None, code: str = "") -> None:
        super().__init__(message)
        self.status = status
        self.code = code


class EngineAuthError(EngineError):
    """The engine's server refused the API key; no later item can succeed."""


class PublishError(RedraftError):
    """A draft could not be published.

    Attributes:
        status: the target's HTTP status, when there was a response.
        code: the target's own error code (WordPress's ``code`` field, such as
            ``"term_exists"``), or a slug of redraft's, so control flow never reads messages.
    """

    def __init__(self, message: str, *, status: int | None = None, code: str = "") -> None:
        super().__init__(message)
        self.status = status
        self.code = code


class PublishAuthError(PublishError):
    """The publishing target refused the credentials."""


class StoreError(RedraftError):
    """The state database could not be opened, migrated, read or written."""


class InternalError(RedraftError):
    """An unexpected exception (a bug in redraft) while working on one item: recorded as that
    item's failure, with the exception's type and message, so that the run goes on."""


class Rejected(RedraftError):
    """An item that will not be rewritten, with a short machine-readable reason.

    Attributes:
        reason: a stable slug such as ``"protected"`` or ``"too-short"``, used in summaries.
        detail: a sentence for people: what is wrong and what to do.
        key: the item's key, when known.
        source: where the item came from (a file path, a site), when known.
    """

    reason = "rejected"

    def __init__(self, detail: str, *, key: str = "", source: str = "") -> None:
        super().__init__(detail)
        self.detail = detail
        self.key = key
        self.source = source

    def __str__(self) -> str:
        where = " ".join(part for part in (self.source, self.key and f"[{self.key}]") if part)
        return f"{where}: {self.detail}" if where else self.detail


class Malformed(Rejected):
    """The item could not be parsed or lacks the fields a post needs."""

    reason = "malformed"


class Protected(Rejected):
    """A password-protected post: its content is not public."""

    reason = "protected"


class NoText(Rejected):
    """Nothing is left after extraction (an image-only post, an empty body)."""

    reason = "no-text"


class TooShort(Rejected):
    """Too little text to make a condensed rewrite of."""

    reason = "too-short"


class NotAnArticle(Rejected):
    """Not an article: a form, a listing, a gallery."""

    reason = "not-an-article"


class Duplicate(Rejected):
    """The same story arrived before.

    Attributes:
        of: the key of the entry this one duplicates.
    """

    reason = "duplicate"

    def __init__(self, detail: str, *, of: str, key: str = "", source: str = "") -> None:
        super().__init__(detail, key=key, source=source)
        self.of = of


def rejection_from(reason: str, detail: str, *, key: str = "", source: str = "") -> Rejected:
    """Rebuild a rejection from its stored reason slug (an unknown slug gives a plain one)."""
    for cls in (Malformed, Protected, NoText, TooShort, NotAnArticle):
        if cls.reason == reason:
            return cls(detail, key=key, source=source)
    rejected = Rejected(detail, key=key, source=source)
    rejected.reason = reason
    return rejected
