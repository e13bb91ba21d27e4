"""Settings: frozen dataclasses, loaded from a TOML file and the environment, checked on creation.

Precedence, lowest first: the defaults here, the config file (``redraft.toml`` in the working
directory, or ``--config``), ``REDRAFT_*`` environment variables, then command-line options
(applied by the CLI with :func:`dataclasses.replace`). Secrets (API keys, application passwords)
come from the environment only and are never written anywhere.

Every value is checked when a settings object is made, whichever way it is made (a file, the
environment, ``dataclasses.replace`` in the CLI, a library call): its type (``"no"`` is not a
boolean, ``40.9`` not a whole number) and its range. A bad value raises :class:`ConfigError`
naming the key, the value and what is accepted, before any work starts. Each field's rule sits
beside it, in the field's metadata. Unknown keys and sections are errors too, with the known
ones listed: a misspelt key silently ignored would leave a setting at its default unseen.
"""

from __future__ import annotations

import dataclasses
import difflib
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from redraft.errors import ConfigError
from redraft.records import Budget
from redraft.vocab import LANGUAGE_CODES

OnFail = Literal["fallback", "keep"]
Engine = Literal["extractive", "llm"]

DEFAULT_CONFIG_FILE = "redraft.toml"
DEFAULT_DB = "redraft.db"
USER_AGENT = "redraft/{version} (+https://github.com/redraft/redraft; condensed rewrites)"

# OpenAI-compatible servers accept sampling temperatures from 0 to 2.
MAX_TEMPERATURE = 2.0

# A rule takes (label, value) and returns the value, normalised (an int where a float is
# wanted becomes a float), or raises ConfigError.
Rule = Callable[[str, Any], Any]


def _bad(label: str, value: Any, problem: str, accepted: str) -> ConfigError:
    return ConfigError(f"{label} = {value!r} {problem}: {accepted}")


def _flag() -> dict[str, Rule]:
    def check(label: str, value: Any) -> bool:
        if not isinstance(value, bool):
            raise _bad(label, value, "is not a boolean", "write true or false, without quotes")
        return value
    return {"rule": check}


def _whole(low: int, high: int | None = None) -> dict[str, Rule]:
    span = f"from {low} to {high}" if high is not None else f"of at least {low}"

    def check(label: str, value: Any) -> int:
        accepted = f"give a whole number {span}"
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise _bad(label, value, "is not a number", accepted)
        if value != int(value):
            raise _bad(label, value, "is not a whole number", accepted)
        if value < low or (high is not None and value > high):
            raise _bad(label, value, "is out of range", accepted)
        return int(value)
    return {"rule": check}


def _number(low: float, high: float | None = None, *, low_open: bool = False) -> dict[str, Rule]:
    floor = f"more than {low:g}" if low_open else f"at least {low:g}"
    span = f"{floor} and at most {high:g}" if high is not None else floor

    def check(label: str, value: Any) -> float:
        accepted = f"give a number {span}"
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise _bad(label, value, "is not a number", accepted)
        too_low = value <= low if low_open else value < low
        if too_low or (high is not None and value > high) or math.isnan(value):
            raise _bad(label, value, "is out of range", accepted)
        return float(value)
    return {"rule": check}


def _text(*, empty: bool = True, line: bool = True) -> dict[str, Rule]:
    def check(label: str, value: Any) -> str:
        if not isinstance(value, str):
            raise _bad(label, value, "is not text", "write it in quotes")
        if not empty and not value.strip():
            raise _bad(label, value, "is empty", "give a name")
        if line and any(ord(char) < 32 or ord(char) == 127 for char in value):
            raise _bad(label, value, "holds control characters", "give one line of text")
        return value
    return {"rule": check}


def _choice(*options: str) -> dict[str, Rule]:
    def check(label: str, value: Any) -> str:
        if value not in options:
            listed = ", ".join(options[:-1]) + f" or {options[-1]}"
            raise _bad(label, value, "is not supported", f"give {listed}")
        return str(value)
    return {"rule": check}


def _language() -> dict[str, Rule]:
    def check(label: str, value: Any) -> str:
        if not isinstance(value, str) or value.strip().lower() not in {"auto", *LANGUAGE_CODES}:
            raise _bad(label, value, "is not a language redraft knows",
                       "give auto (detect it) or a two-letter ISO 639-1 code such as en, es, "
                       "pt, de, ru, ja, zh or id")
        return value.strip().lower()
    return {"rule": check}


def _url() -> dict[str, Rule]:
    def check(label: str, value: Any) -> str:
        accepted = ("give the server's base URL, such as http://127.0.0.1:8000/v1 "
                    "(--llm-url, REDRAFT_LLM_URL or [llm] url)")
        if not isinstance(value, str):
            raise _bad(label, value, "is not text", accepted)
        if not value:
            return value  # no LLM server: the extractive engine needs none
        try:
            parts = urlsplit(value)
            host, _ = parts.hostname, parts.port  # a port that is no number raises here
        except ValueError:
            raise _bad(label, value, "is not a URL", accepted) from None
        if parts.scheme not in ("http", "https") or not host or any(c.isspace() for c in value):
            raise ConfigError(f"{label} must start with http:// or https://, not {value!r}: {accepted}")
        return value
    return {"rule": check}


def _validate(options: object, section: str) -> None:
    """Check and normalise every field of a settings object by its rule (``__post_init__``)."""
    for item in dataclasses.fields(options):  # type: ignore[arg-type]
        rule = item.metadata.get("rule")
        if rule is None:
            continue
        label = f"[{section}] {item.name}" if section else item.name
        value = getattr(options, item.name)
        checked = rule(label, value)
        if checked is not value:
            object.__setattr__(options, item.name, checked)


@dataclass(frozen=True, slots=True)
class ExtractOptions:
    """How an entry's HTML becomes an article.

    Attributes:
        ascii_quotes: write straight quotes and plain dashes instead of typographic ones.
        min_words: an article shorter than this is rejected as too short.
        language: ``"auto"`` to detect, or an ISO 639-1 code (``"en"``, ``"pt"``, ``"ja"``, ...).
    """

    ascii_quotes: bool = field(default=False, metadata=_flag())
    min_words: int = field(default=40, metadata=_whole(0))
    language: str = field(default="auto", metadata=_language())

    def __post_init__(self) -> None:
        _validate(self, "extract")


@dataclass(frozen=True, slots=True)
class HttpOptions:
    """How redraft talks to remote servers (WordPress sites, feeds, LLM servers).

    Attributes:
        timeout: seconds for connect and for each read.
        retries: attempts after the first on connection errors, 429 and 5xx.
        backoff: base of the exponential back-off, in seconds (with full jitter).
        max_backoff: the longest single wait, ``Retry-After`` included.
        concurrency: requests in flight at once per host.
        user_agent: sent with every request ("" for redraft's own).
    """

    timeout: float = field(default=30.0, metadata=_number(0, low_open=True))
    retries: int = field(default=4, metadata=_whole(0))
    backoff: float = field(default=0.5, metadata=_number(0))
    max_backoff: float = field(default=60.0, metadata=_number(0))
    concurrency: int = field(default=4, metadata=_whole(1))
    user_agent: str = field(default="", metadata=_text())

    def __post_init__(self) -> None:
        _validate(self, "http")


@dataclass(frozen=True, slots=True)
class LLMOptions:
    """The LLM engine: any OpenAI-compatible chat-completions server.

    Attributes:
        url: base URL such as ``http://127.0.0.1:8000/v1``.
        model: the model name the server knows.
        api_key: from ``REDRAFT_LLM_API_KEY`` only; never logged or stored.
        prompt: the prompt template's name (the engine checks that it exists).
        context_words: articles longer than this are condensed in sections, then joined.
        on_fail: ``"fallback"`` to the extractive engine, or ``"keep"`` the failed draft.
        max_tokens: the completion limit sent with each request.
        timeout: seconds to wait for one completion (a local model on a CPU is slow); the
            connection itself must open within ``min(10, timeout)`` seconds.
        temperature: sampling temperature sent with each request (0: the likeliest words).
    """

    url: str = field(default="", metadata=_url())
    model: str = field(default="", metadata=_text())
    api_key: str = field(default="", repr=False, metadata=_text())
    prompt: str = field(default="condense", metadata=_text(empty=False))
    context_words: int = field(default=2500, metadata=_whole(1))
    on_fail: OnFail = field(default="fallback", metadata=_choice("fallback", "keep"))
    max_tokens: int = field(default=1024, metadata=_whole(1))
    timeout: float = field(default=300.0, metadata=_number(0, low_open=True))
    temperature: float = field(default=0.0, metadata=_number(0, MAX_TEMPERATURE))

    def __post_init__(self) -> None:
        _validate(self, "llm")


def _path(label: str, value: Any) -> Path:
    if not isinstance(value, str | Path) or not str(value).strip():
        raise _bad(label, value, "is not a file name", "give a path such as \"redraft.db\"")
    return Path(value)


def _budget_rule(label: str, value: Any) -> Budget:
    if not isinstance(value, Budget):
        raise _bad(label, value, "is not a budget", "give one of ratio, words or sentences")
    return value


@dataclass(frozen=True, slots=True)
class PublishOptions:
    """How drafts reach a site.

    Attributes:
        require_approval: publish only drafts an editor approved (``redraft approve``), as if
            every ``redraft publish`` were given ``--approved``.
    """

    require_approval: bool = field(default=False, metadata=_flag())

    def __post_init__(self) -> None:
        _validate(self, "publish")


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything a run needs to know, in one frozen object."""

    db: Path = field(default=Path(DEFAULT_DB), metadata={"rule": _path})
    budget: Budget = field(default_factory=Budget, metadata={"rule": _budget_rule})
    engine: Engine = field(default="extractive", metadata=_choice("extractive", "llm"))
    extract: ExtractOptions = field(default_factory=ExtractOptions)
    http: HttpOptions = field(default_factory=HttpOptions)
    llm: LLMOptions = field(default_factory=LLMOptions)
    publish: PublishOptions = field(default_factory=PublishOptions)

    def __post_init__(self) -> None:
        _validate(self, "")
        for name, cls in _SECTIONS.items():
            if not isinstance(getattr(self, name), cls):
                raise ConfigError(f"[{name}] must be a table of settings")


_ENV_KEYS: dict[str, tuple[str, str | None]] = {
    "REDRAFT_DB": ("db", None),
    "REDRAFT_ENGINE": ("engine", None),
    "REDRAFT_LLM_URL": ("llm", "url"),
    "REDRAFT_LLM_MODEL": ("llm", "model"),
    "REDRAFT_LLM_API_KEY": ("llm", "api_key"),
}

_SECTIONS: dict[str, type[Any]] = {
    "extract": ExtractOptions,
    "http": HttpOptions,
    "llm": LLMOptions,
    "publish": PublishOptions,
}
_TOP_KEYS = ("db", "budget", "engine")
_BUDGET_KINDS = ("ratio", "words", "sentences")


def load_config(path: Path | None = None, env: Mapping[str, str] | None = None) -> Settings:
    """Build settings from defaults, a TOML file and the environment.

    Args:
        path: a TOML file; when None, ``redraft.toml`` in the working directory if present.
        env: the environment to read ``REDRAFT_*`` variables from (``os.environ`` in the CLI).

    Raises:
        ConfigError: the file cannot be read, or a key or value is not one redraft knows; the
            message names the file or variable, the key, the value and what is accepted.
    """
    settings = Settings()
    if path is None and Path(DEFAULT_CONFIG_FILE).is_file():
        path = Path(DEFAULT_CONFIG_FILE)
    if path is not None:
        data = _read_toml(path)
        if "api_key" in data.get("llm", {}):
            raise ConfigError(
                f"{path}: remove [llm] api_key; the key comes from REDRAFT_LLM_API_KEY only"
            )
        settings = _apply(settings, data, origin=str(path))
    for name, (section, key) in _ENV_KEYS.items():
        value = (env or {}).get(name)
        if value:
            data = {section: value} if key is None else {section: {key: value}}
            settings = _apply(settings, data, origin=f"environment variable {name}")
    return settings


def _read_toml(path: Path) -> dict[str, Any]:
    # Imported here: a run without a config file, the usual one, need not compile its parser's
    # regular expressions (about 2 ms of CPU at start-up).
    import tomllib  # noqa: PLC0415

    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except OSError as exc:
        raise ConfigError(f"cannot read config file {path}: {exc.strerror}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config file {path} is not valid TOML: {exc}") from exc


def _apply(settings: Settings, data: Mapping[str, Any], *, origin: str) -> Settings:
    """``settings`` with the values in ``data`` (a parsed file, or one variable) laid over."""
    changes: dict[str, Any] = {}
    try:
        for key, value in data.items():
            if key in _SECTIONS:
                if not isinstance(value, Mapping):
                    raise ConfigError(f"[{key}] must be a table, as in [{key}] on its own line")
                changes[key] = _section(getattr(settings, key), key, value)
            elif key == "budget":
                changes["budget"] = _budget(value)
            elif key in _TOP_KEYS:
                changes[key] = value
            else:
                raise ConfigError(_unknown(key, [*_TOP_KEYS, *_SECTIONS], "setting or section"))
        return dataclasses.replace(settings, **changes)
    except ConfigError as exc:
        raise ConfigError(f"{origin}: {exc}") from None


def _section(current: Any, name: str, values: Mapping[str, Any]) -> Any:
    known = [item.name for item in dataclasses.fields(current)]
    for key in values:
        if key not in known:
            raise ConfigError(_unknown(key, known, f"setting in [{name}]"))
    return dataclasses.replace(current, **values)


def _unknown(key: str, known: list[str], what: str) -> str:
    close = difflib.get_close_matches(key, known, n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return f"unknown {what} {key!r}{hint}; the known ones are: {', '.join(known)}"


def _budget(value: Any) -> Budget:
    accepted = "write budget = {ratio = 0.35}, {words = 120} or {sentences = 3}"
    if not isinstance(value, Mapping) or len(value) != 1:
        raise _bad("budget", value, "is not a table with one entry", accepted)
    ((kind, amount),) = value.items()
    if kind not in _BUDGET_KINDS:
        raise _bad("budget", value, f"has an unknown kind {kind!r}", accepted)
    if kind == "ratio":
        number: float = _number(0, 1, low_open=True)["rule"](f"budget.{kind}", amount)
    else:
        number = _whole(1)["rule"](f"budget.{kind}", amount)
    return Budget.asked(kind, float(number))
