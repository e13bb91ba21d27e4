"""sinks/files.py: txt, Markdown and JSON Lines, to a directory or a stream."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from redraft.errors import EngineError, Protected
from redraft.records import Article, Block, Budget, Draft, Entry, Problem, Verdict
from redraft.sinks.files import FileSink, file_stem


def make_verdict(passed: bool = True, key: str = "https://s.example#4") -> Verdict:
    entry = Entry("file:posts.json", key, "https://s.example/?p=4", "Bridge “reopens” today",
                  "<p>x</p>", published=datetime(2025, 2, 3, 10, 0, tzinfo=UTC))
    article = Article(entry, (Block("p", "The bridge reopened. Traffic flowed at noon."),
                              Block("p", "Tolls stay at 2 euros.")))
    draft = Draft(article, ("The bridge reopened.", "Tolls stay at 2 euros."), "extractive",
                  Budget(), credit=entry.credit())
    problems = () if passed else (Problem("number", "Tolls stay at 3 euros.", "Tolls stay at 2 euros."),)
    return Verdict(draft, 1.0 if passed else 0.4, passed, problems)


def test_txt_to_stream_is_one_paragraph_a_line_then_credit() -> None:
    stream = io.StringIO()
    sink = FileSink("txt", stream=stream)
    sink.write(make_verdict())
    assert stream.getvalue() == (
        "The bridge reopened.\nTolls stay at 2 euros.\n\n"
        "Source: Bridge “reopens” today https://s.example/?p=4 (2025-02-03)\n"
    )


def test_failed_draft_is_written_with_its_problems() -> None:
    stream = io.StringIO()
    FileSink("txt", stream=stream).write(make_verdict(passed=False))
    assert "[verification failed]" in stream.getvalue()
    assert "- number: Tolls stay at 3 euros." in stream.getvalue()


def test_json_lines_account_for_every_item() -> None:
    stream = io.StringIO()
    sink = FileSink("json", stream=stream)
    sink.write(make_verdict())
    sink.skip("k2", "file:a.json", Protected("password-protected post", key="k2"))
    sink.skip("k3", "file:a.json", EngineError("server down"))
    first, second, third = (json.loads(line) for line in stream.getvalue().splitlines())
    required = {"key", "title", "url", "published", "engine", "paragraphs", "text",
                "source_words", "draft_words", "verdict", "source"}
    assert required <= first.keys()
    assert first["source_words"] == 12 and first["draft_words"] == 8
    assert first["verdict"] == {"score": 1.0, "passed": True, "problems": []}
    assert second == {"key": "k2", "source": "file:a.json", "rejected": "protected",
                      "detail": "password-protected post"}
    assert third["failed"] == "EngineError"


@pytest.mark.parametrize("fmt", ["txt", "md"])
def test_directory_gets_one_stable_file_per_draft(tmp_path: Path, fmt: str) -> None:
    sink = FileSink(fmt, directory=tmp_path)  # type: ignore[arg-type]
    publication = sink.write(make_verdict())
    sink.write(make_verdict())
    sink.write(make_verdict(key="https://s.example#5"))
    files = sorted(p.name for p in tmp_path.iterdir())
    assert len(files) == 2 and all(name.endswith(f".{fmt}") for name in files)
    assert publication.location == str(tmp_path / f"{file_stem(make_verdict())}.{fmt}")
    assert file_stem(make_verdict()).startswith("bridge-reopens-today-")


def test_markdown_front_matter_and_credit_link(tmp_path: Path) -> None:
    FileSink("md", directory=tmp_path).write(make_verdict())
    (path,) = tmp_path.iterdir()
    text = path.read_text()
    assert text.startswith('---\ntitle: "Bridge “reopens” today"\n')
    assert "*Source: [Bridge “reopens” today](https://s.example/?p=4) (2025-02-03)*" in text


def test_json_directory_is_rewritten_per_run(tmp_path: Path) -> None:
    for _ in range(2):
        sink = FileSink("json", directory=tmp_path)
        sink.write(make_verdict())
        sink.close()
    assert len((tmp_path / "drafts.jsonl").read_text().splitlines()) == 1
