"""config.py: defaults, TOML, environment, and clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from redraft.config import Settings, load_config
from redraft.errors import ConfigError
from redraft.records import Budget


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "redraft.toml"
    path.write_text(text)
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


@pytest.mark.parametrize(
    ("text", "message"),
    [("nonsense = 1", "unknown setting 'nonsense'"), ("[llm]\ncolour = 1", "unknown setting"),
     ("[llm]\napi_key = 'x'", "REDRAFT_LLM_API_KEY"), ("budget = {ratio = 3}", "ratio"),
     ("engine = 'magic'", "engine must be"), ("[http]\ntimeout = 'soon'", "not valid"),
     ("this is = not toml =", "not valid TOML")],
)
def test_bad_files_say_what_is_wrong(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load_config(write(tmp_path, text), {})


def test_missing_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read"):
        load_config(tmp_path / "absent.toml", {})
