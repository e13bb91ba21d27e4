"""`redraft rewrite --engine llm` from the command line, against the scripted OpenAI-compatible
server on 127.0.0.1: options and environment reach the engine, the JSON output names the
engine that made each draft, and a refused key stops the run before any item (exit 2)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from redraft.cli import main
from tests.llm_server import LLMServer, completion, lead_of

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "posts"


def rewrite(tmp_path: Path, server: LLMServer, *extra: str, env: dict[str, str] | None = None
            ) -> Result:
    args = ["rewrite", str(EXAMPLES), "--db", str(tmp_path / "r.db"), "--format", "json",
            "--engine", "llm", "--llm-url", server.url, "--llm-model", "test-model",
            *extra]
    return CliRunner().invoke(main, args, env=env or {}, catch_exceptions=False)


def drafts_of(result: Result) -> list[dict[str, object]]:
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    return [line for line in lines if "text" in line]


@pytest.fixture(autouse=True)
def no_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("REDRAFT_LLM_API_KEY", raising=False)


def test_the_llm_engine_drafts_every_example_from_the_command_line(tmp_path: Path) -> None:
    with LLMServer(default=lead_of(2)) as server:
        result = rewrite(tmp_path, server)
        chats = len(server.chats)
    drafts = drafts_of(result)
    assert result.exit_code == 0, result.output
    assert len(drafts) == len(list(EXAMPLES.glob("*.json"))) and chats >= len(drafts)
    assert {d["engine"] for d in drafts} == {"llm:test-model"}
    assert all(d["attempts"] == 1 and d["verdict"]["passed"] for d in drafts)  # type: ignore[index]
    assert all(d["prompt"] for d in drafts)


def test_a_draft_that_stays_wrong_falls_back_and_says_why(tmp_path: Path) -> None:
    invented = "The mayor resigned on Friday after a vote of 412 to 3 in the Senate of Peru."
    with LLMServer(default=completion(invented)) as server:
        result = rewrite(tmp_path, server, "--concurrency", "1")
    drafts = drafts_of(result)
    assert result.exit_code == 0, result.output
    assert drafts and all(str(d["engine"]).startswith("extractive (fallback:") for d in drafts)
    assert all(d["attempts"] == 3 and invented not in str(d["text"]) for d in drafts)


def test_a_refused_key_exits_2_before_any_item(tmp_path: Path) -> None:
    with LLMServer(api_key="sk-right", default=lead_of(2)) as server:
        result = rewrite(tmp_path, server, env={"REDRAFT_LLM_API_KEY": "sk-wrong"})
        chats = len(server.chats)
    assert result.exit_code == 2
    assert "REDRAFT_LLM_API_KEY" in result.output and "sk-wrong" not in result.output
    assert chats == 0 and not drafts_of(result)


def test_the_key_from_the_environment_is_sent(tmp_path: Path) -> None:
    with LLMServer(api_key="sk-right", default=lead_of(2)) as server:
        result = rewrite(tmp_path, server, env={"REDRAFT_LLM_API_KEY": "sk-right"})
    assert result.exit_code == 0, result.output
    assert {d["engine"] for d in drafts_of(result)} == {"llm:test-model"}
