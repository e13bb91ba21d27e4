"""config.py: defaults, TOML, environment, command-line overrides, and clear errors."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest

from redraft.cli.common import load_settings
from redraft.config import (
    ExtractOptions,
    HttpOptions,
    LLMOptions,
    PublishOptions,
    Settings,
    load_config,
)
from redraft.errors import ConfigError
from redraft.records import Budget


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "redraft.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_without_file_or_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert load_config(None, {}) == Settings()


def test_file_then_environment(tmp_path: Path) -> None:
    path = write(tmp_path, 'db = "x.db"\nbudget = {words = 120}\n[llm]\nurl = "http://f/v1"\n'
                           'context_words = 900\n[extract]\nascii_quotes = true\n')
    settings = load_config(path, {"REDRAFT_LLM_URL": "http://env/v1", "REDRAFT_LLM_API_KEY": "sk-secret-42"})
    assert settings.db == Path("x.db")
    assert settings.budget == Budget("words", 120)
    assert settings.llm.url == "http://env/v1"
    assert settings.llm.context_words == 900
    assert settings.llm.api_key == "sk-secret-42"
    assert settings.extract.ascii_quotes is True
    assert "sk-secret-42" not in repr(settings)


EVERY_KEY = """
db = "state/news.db"
engine = "llm"
budget = {sentences = 4}
[extract]
ascii_quotes = false
min_words = 60
language = "es"
[http]
timeout = 12
retries = 0
backoff = 0
max_backoff = 7.5
concurrency = 2
user_agent = "desk-bot/1.0"
[llm]
url = "https://llm.example.org:8443/v1"
model = "small-model"
prompt = "condense"
context_words = 1800
on_fail = "keep"
max_tokens = 600
timeout = 90
temperature = 0.3
"""


def test_every_key_is_read_with_its_type(tmp_path: Path) -> None:
    settings = load_config(write(tmp_path, EVERY_KEY), {})
    assert settings == Settings(
        db=Path("state/news.db"), engine="llm", budget=Budget("sentences", 4),
        extract=ExtractOptions(ascii_quotes=False, min_words=60, language="es"),
        http=HttpOptions(timeout=12.0, retries=0, backoff=0.0, max_backoff=7.5, concurrency=2,
                         user_agent="desk-bot/1.0"),
        llm=LLMOptions(url="https://llm.example.org:8443/v1", model="small-model", prompt="condense",
                       context_words=1800, on_fail="keep", max_tokens=600, timeout=90.0,
                       temperature=0.3),
    )
    # Whole numbers where a float is wanted become floats, so a setting has one type.
    assert type(settings.http.timeout) is float and type(settings.llm.timeout) is float
    assert type(settings.extract.min_words) is int


def test_every_setting_has_a_rule() -> None:
    for cls in (Settings, ExtractOptions, HttpOptions, LLMOptions, PublishOptions):
        for item in dataclasses.fields(cls):
            if item.name not in ("extract", "http", "llm", "publish"):
                assert "rule" in item.metadata, f"{cls.__name__}.{item.name} is not checked"


# Each case: the file's text, then what the message must say: the key, the value and what is
# accepted (the file's name is checked for every case).
BAD_FILES = [
    ("[http]\nconcurrency = 0",
     r"\[http\] concurrency = 0 is out of range: give a whole number of at least 1"),
    ("[http]\nretries = -1", r"\[http\] retries = -1 is out of range: give a whole number of at least 0"),
    ("[http]\nretries = 2.5", r"\[http\] retries = 2.5 is not a whole number"),
    ("[http]\ntimeout = 0", r"\[http\] timeout = 0 is out of range: give a number more than 0"),
    ("[http]\ntimeout = 'soon'", r"\[http\] timeout = 'soon' is not a number"),
    ("[http]\nbackoff = -0.5", r"\[http\] backoff = -0.5 is out of range: give a number at least 0"),
    ("[http]\nmax_backoff = nan", r"\[http\] max_backoff = nan is out of range"),
    ("[http]\nconcurrency = true", r"\[http\] concurrency = True is not a number"),
    ("[http]\nuser_agent = 7", r"\[http\] user_agent = 7 is not text: write it in quotes"),
    ("[http]\nuser_agent = \"bot\\r\\nX-Evil: 1\"", r"user_agent = .* holds control characters"),
    ("[extract]\nascii_quotes = \"no\"",
     r"\[extract\] ascii_quotes = 'no' is not a boolean: write true or false"),
    ("[extract]\nascii_quotes = 1", r"\[extract\] ascii_quotes = 1 is not a boolean"),
    ("[extract]\nmin_words = 40.9", r"\[extract\] min_words = 40.9 is not a whole number"),
    ("[extract]\nmin_words = -1", r"\[extract\] min_words = -1 is out of range"),
    ("[extract]\nlanguage = \"xx\"",
     r"\[extract\] language = 'xx' is not a language redraft knows: give auto .* ISO 639-1 code"),
    ("[llm]\nurl = \"foo\"",
     r"\[llm\] url must start with http:// or https://, not 'foo': give the server's base URL"),
    ("[llm]\nurl = \"ftp://x/v1\"", r"\[llm\] url must start with http:// or https://, not 'ftp://x/v1'"),
    ("[llm]\nurl = \"http://x:port/v1\"", r"\[llm\] url = 'http://x:port/v1' is not a URL"),
    ("[llm]\nurl = \"127.0.0.1:8000/v1\"", r"\[llm\] url must start with http:// .* not '127.0.0.1:8000/v1'"),
    ("[llm]\non_fail = \"retry\"", r"\[llm\] on_fail = 'retry' is not supported: give fallback or keep"),
    ("[llm]\ncontext_words = 0",
     r"\[llm\] context_words = 0 is out of range: give a whole number of at least 1"),
    ("[llm]\nmax_tokens = 0", r"\[llm\] max_tokens = 0 is out of range"),
    ("[llm]\ntemperature = 3",
     r"\[llm\] temperature = 3 is out of range: give a number at least 0 and at most 2"),
    ("[llm]\nprompt = \"\"", r"\[llm\] prompt = '' is empty: give a name"),
    ("[llm]\nmodel = [1]", r"\[llm\] model = \[1\] is not text"),
    ("[llm]\napi_key = 'x'", "remove \\[llm\\] api_key; the key comes from REDRAFT_LLM_API_KEY only"),
    ("engine = 'magic'", r"engine = 'magic' is not supported: give extractive or llm"),
    ("db = 5", r"db = 5 is not a file name"),
    ("db = ''", r"db = '' is not a file name"),
    ("budget = {ratio = 3}", r"budget.ratio = 3 is out of range: give a number more than 0 and at most 1"),
    ("budget = {words = 40.9}", r"budget.words = 40.9 is not a whole number"),
    ("budget = {words = true}", r"budget.words = True is not a number"),
    ("budget = {sentences = '3'}", r"budget.sentences = '3' is not a number"),
    ("budget = {pages = 3}", r"has an unknown kind 'pages'"),
    ("budget = {words = 100, sentences = 3}", r"is not a table with one entry"),
    ("budget = 0.3", r"budget = 0.3 is not a table with one entry"),
    ("http = 3", r"\[http\] must be a table"),
    ("nonsense = 1",
     r"unknown setting or section 'nonsense'; the known ones are: db, budget, engine, extract"),
    ("[htpp]\nretries = 1", r"unknown setting or section 'htpp' \(did you mean 'http'\?\)"),
    ("[llm]\ncolour = 1", r"unknown setting in \[llm\] 'colour'; the known ones are: url, model"),
    ("[http]\nretry = 1", r"unknown setting in \[http\] 'retry' \(did you mean 'retries'\?\)"),
    ("this is = not toml =", "is not valid TOML"),
]


@pytest.mark.parametrize(("text", "message"), BAD_FILES, ids=[text for text, _ in BAD_FILES])
def test_bad_files_say_what_is_wrong(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, text + "\n")
    with pytest.raises(ConfigError, match=message) as caught:
        load_config(path, {})
    assert str(path) in str(caught.value)


@pytest.mark.parametrize(("text", "key", "value"), [
    ("[extract]\nmin_words = 40.0", "min_words", 40),
    ("[http]\ntimeout = 5", "timeout", 5.0),
    ("[extract]\nmin_words = 0", "min_words", 0),
    ("[llm]\ntemperature = 2", "temperature", 2.0),
    ("[llm]\nurl = \"\"", "url", ""),
])
def test_edge_values_are_accepted(tmp_path: Path, text: str, key: str, value: Any) -> None:
    settings = load_config(write(tmp_path, text + "\n"), {})
    section = getattr(settings, text[1:text.index("]")])
    assert getattr(section, key) == value
    assert type(getattr(section, key)) is type(value)


@pytest.mark.parametrize(("env", "message"), [
    ({"REDRAFT_ENGINE": "magic"}, r"environment variable REDRAFT_ENGINE: engine = 'magic' is not supported"),
    ({"REDRAFT_LLM_URL": "foo"}, r"environment variable REDRAFT_LLM_URL: \[llm\] url must start.* 'foo'"),
    ({"REDRAFT_LLM_MODEL": "bad\nname"}, r"REDRAFT_LLM_MODEL: \[llm\] model = .* holds control characters"),
])
def test_bad_environment_names_the_variable(tmp_path: Path, env: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load_config(write(tmp_path, "[http]\nretries = 1\n"), env)


def test_a_bad_file_value_is_reported_even_when_the_environment_overrides_it(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"redraft.toml: \[llm\] url must start with http:// .* not 'foo'"):
        load_config(write(tmp_path, '[llm]\nurl = "foo"\n'), {"REDRAFT_LLM_URL": "http://ok/v1"})


def test_empty_environment_values_are_ignored(tmp_path: Path) -> None:
    settings = load_config(write(tmp_path, 'engine = "llm"\n'), {"REDRAFT_ENGINE": "", "REDRAFT_DB": ""})
    assert settings.engine == "llm"
    assert settings.db == Path("redraft.db")


def cli_params(config: Path, **options: Any) -> dict[str, Any]:
    return {"config_path": config, "db": None, "ratio": None, "words": None, "sentences": None,
            "engine": None, "ascii_quotes": False, "language": None, "llm_url": None,
            "llm_model": None, "on_fail": None, "concurrency": None, **options}


@pytest.mark.parametrize(("options", "message"), [
    ({"engine": "llm", "llm_url": "foo"},
     r"\[llm\] url must start with http:// or https://, not 'foo': .*--llm-url"),
    ({"language": "klingon"}, r"\[extract\] language = 'klingon' is not a language redraft knows"),
])
def test_command_line_overrides_are_checked_too(tmp_path: Path, options: dict[str, Any],
                                                message: str) -> None:
    """The CLI lays its options over the loaded settings with dataclasses.replace: the same
    checks run there, so ``--llm-url foo`` is refused before any work starts."""
    config = write(tmp_path, "[http]\nretries = 1\n")
    with pytest.raises(ConfigError, match=message):
        load_settings(cli_params(config, **options))
    good = load_settings(cli_params(config, engine="llm", llm_url="http://127.0.0.1:9/v1",
                                    language="fr", concurrency=3))
    assert (good.llm.url, good.extract.language, good.http.concurrency) == (
        "http://127.0.0.1:9/v1", "fr", 3)


WRONG_TYPES: list[tuple[str, dict[str, Any]]] = [
    (r"\[extract\] ascii_quotes = 'no'", {"extract": {"ascii_quotes": "no"}}),
    (r"engine = 'fast'", {"engine": "fast"}),
    (r"\[http\] must be a table of settings", {"http": {"retries": 1}}),
    (r"budget = 0.3 is not a budget", {"budget": 0.3}),
]


def test_library_callers_get_the_same_checks() -> None:
    with pytest.raises(ConfigError, match=r"\[http\] concurrency = 0"):
        HttpOptions(concurrency=0)
    with pytest.raises(ConfigError, match=r"\[llm\] url must start with http:// .* not 'localhost:8000'"):
        LLMOptions(url="localhost:8000")
    for message, kwargs in WRONG_TYPES:
        section = kwargs.get("extract")
        with pytest.raises(ConfigError, match=message):
            if section is not None:
                ExtractOptions(**section)
            else:
                Settings(**kwargs)


def test_missing_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read"):
        load_config(tmp_path / "absent.toml", {})
