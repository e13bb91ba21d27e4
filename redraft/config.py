"""Settings: frozen dataclasses, loaded from a TOML file and the environment.

Precedence, lowest first: the defaults here, the config file (``redraft.toml`` in the working
directory, or ``--config``), ``REDRAFT_*`` environment variables, then command-line options
(applied by the CLI with :func:`dataclasses.replace`). Secrets (API keys, application passwords)
come from the environment only and are never written anywhere.
"""

from __future__ import annotations

import dataclasses
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from redraft.errors import ConfigError
from redraft.records import Budget

OnFail = Literal["fallback", "keep"]

DEFAULT_CONFIG_FILE = "redraft.toml"
DEFAULT_DB = "redraft.db"
USER_AGENT = "redraft/{version} (+https://github.com/redraft/redraft; condensed rewrites)"


@dataclass(frozen=True, slots=True)
class ExtractOptions:
    """How an entry's HTML becomes an article.

    Attributes:
        ascii_quotes: write straight quotes and plain dashes instead of typographic ones.
        min_words: an article shorter than this is rejected as too short.
        language: ``"auto"`` to detect, or a code such as ``"en"``, ``"es"``, ``"fr"``.
    """

    ascii_quotes: bool = False
    min_words: int = 40
    language: str = "auto"


@dataclass(frozen=True, slots=True)
class HttpOptions:
    """How redraft talks to remote servers (WordPress sites, feeds, LLM servers).

    Attributes:
        timeout: seconds for connect and for each read.
        retries: attempts after the first on connection errors, 429 and 5xx.
        backoff: base of the exponential back-off, in seconds (with full jitter).
        max_backoff: the longest single wait, ``Retry-After`` included.
        concurrency: requests in flight at once per host.
        user_agent: sent with every request.
    """

    timeout: float = 30.0
    retries: int = 4
    backoff: float = 0.5
    max_backoff: float = 60.0
    concurrency: int = 4
    user_agent: str = ""


@dataclass(frozen=True, slots=True)
class LLMOptions:
    """The LLM engine: any OpenAI-compatible chat-completions server.

    Attributes:
        url: base URL such as ``http://127.0.0.1:8000/v1``.
        model: the model name the server knows.
        api_key: from ``REDRAFT_LLM_API_KEY`` only; never logged or stored.
        prompt: the prompt template's name.
        context_words: articles longer than this are condensed in sections, then joined.
        on_fail: ``"fallback"`` to the extractive engine, or ``"keep"`` the failed draft.
        max_tokens: the completion limit sent with each request.
        timeout: seconds to wait for one completion (a local model on a CPU is slow); the
            connection itself must open within ``min(10, timeout)`` seconds.
        temperature: sampling temperature sent with each request (0: the likeliest words).
    """

    url: str = ""
    model: str = ""
    api_key: str = field(default="", repr=False)
    prompt: str = "condense"
    context_words: int = 2500
    on_fail: OnFail = "fallback"
    max_tokens: int = 1024
    timeout: float = 300.0
    temperature: float = 0.0


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything a run needs to know, in one frozen object."""

    db: Path = Path(DEFAULT_DB)
    budget: Budget = field(default_factory=Budget)
    engine: Literal["extractive", "llm"] = "extractive"
    extract: ExtractOptions = field(default_factory=ExtractOptions)
    http: HttpOptions = field(default_factory=HttpOptions)
    llm: LLMOptions = field(default_factory=LLMOptions)


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
}


def load_config(path: Path | None = None, env: Mapping[str, str] | None = None) -> Settings:
    """Build settings from defaults, a TOML file and the environment.

    Args:
        path: a TOML file; when None, ``redraft.toml`` in the working directory if present.
        env: the environment to read ``REDRAFT_*`` variables from (``os.environ`` in the CLI).

    Raises:
        ConfigError: the file cannot be read, or a key or value is not one redraft knows.
    """
    data: dict[str, Any] = {}
    if path is None and Path(DEFAULT_CONFIG_FILE).is_file():
        path = Path(DEFAULT_CONFIG_FILE)
    if path is not None:
        data = _read_toml(path)
        if "api_key" in data.get("llm", {}):
            raise ConfigError(
                f"{path}: remove [llm] api_key; the key comes from REDRAFT_LLM_API_KEY only"
            )
    for name, (section, key) in _ENV_KEYS.items():
        value = (env or {}).get(name)
        if value:
            if key is None:
                data[section] = value
            else:
                data.setdefault(section, {})[key] = value
    return _settings_from(data, origin=str(path) if path else "environment")


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except OSError as exc:
        raise ConfigError(f"cannot read config file {path}: {exc.strerror}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config file {path} is not valid TOML: {exc}") from exc


def _settings_from(data: Mapping[str, Any], *, origin: str) -> Settings:
    settings = Settings()
    changes: dict[str, Any] = {}
    for key, value in data.items():
        if key in _SECTIONS:
            if not isinstance(value, Mapping):
                raise ConfigError(f"{origin}: [{key}] must be a table")
            changes[key] = _section(key, value, origin=origin)
        elif key == "db":
            changes["db"] = Path(str(value))
        elif key == "engine":
            if value not in ("extractive", "llm"):
                raise ConfigError(f"{origin}: engine must be 'extractive' or 'llm', not {value!r}")
            changes["engine"] = value
        elif key == "budget":
            changes["budget"] = _budget(value, origin=origin)
        else:
            raise ConfigError(f"{origin}: unknown setting {key!r}")
    return dataclasses.replace(settings, **changes)


def _section(name: str, values: Mapping[str, Any], *, origin: str) -> Any:
    cls = _SECTIONS[name]
    known = {f.name: f for f in dataclasses.fields(cls)}
    kwargs: dict[str, Any] = {}
    for key, value in values.items():
        if key not in known:
            raise ConfigError(f"{origin}: unknown setting {key!r} in [{name}]")
        default = getattr(cls(), key)
        try:
            kwargs[key] = type(default)(value) if not isinstance(default, str) else str(value)
        except (TypeError, ValueError) as exc:
            raise ConfigError(f"{origin}: [{name}] {key} = {value!r} is not valid") from exc
    if name == "llm" and kwargs.get("on_fail", "fallback") not in ("fallback", "keep"):
        raise ConfigError(f"{origin}: [llm] on_fail must be 'fallback' or 'keep'")
    return cls(**kwargs)


def _budget(value: Any, *, origin: str) -> Budget:
    if not isinstance(value, Mapping) or len(value) != 1:
        raise ConfigError(
            f"{origin}: budget must be a table with one of ratio, words or sentences"
        )
    ((kind, amount),) = value.items()
    if kind not in ("ratio", "words", "sentences"):
        raise ConfigError(f"{origin}: budget.{kind} is not one of ratio, words or sentences")
    try:
        return Budget(kind, float(amount))
    except ValueError as exc:
        raise ConfigError(f"{origin}: {exc}") from exc
