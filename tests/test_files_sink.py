"""sinks/files.py: txt, Markdown and JSON Lines, to a directory or a stream."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import lxml.html
import pytest
import yaml
from markdown_it import MarkdownIt

from redraft.errors import EngineError, Protected, PublishError
from redraft.jsontext import dumps
from redraft.records import Article, Block, Budget, Draft, Entry, Problem, Verdict
from redraft.sinks.files import JSONL_NAME, FileSink, file_stem, render_md


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
    assert text.startswith("---\ntitle: Bridge “reopens” today\nsource: https://s.example/?p=4\n")
    assert "*Source: [Bridge “reopens” today](https://s.example/?p=4) (2025-02-03)*" in text


def test_json_directory_is_rewritten_per_run(tmp_path: Path) -> None:
    for _ in range(2):
        sink = FileSink("json", directory=tmp_path)
        sink.write(make_verdict())
        sink.close()
    assert len((tmp_path / "drafts.jsonl").read_text().splitlines()) == 1


# --- hostile input: nothing a source sends may become live markup (issue 15, items 1, 3, 10) ---

HOSTILE = json.loads((Path(__file__).parent / "fixtures" / "sinks" / "hostile.json").read_text())
ALLOWED_TAGS = {"div", "p", "em", "strong", "a", "blockquote", "ul", "li"}


def hostile_verdict(*, url: str = "https://s.example/?p=4", title: str = "Bridge reopens",
                    paragraphs: tuple[str, ...] = ("The bridge reopened.",),
                    passed: bool = True) -> Verdict:
    entry = Entry("file:posts.json", "k1", url, title, "<p>x</p>",
                  published=datetime(2025, 2, 3, tzinfo=UTC))
    draft = Draft(Article(entry, (Block("p", "x"),)), paragraphs, "extractive",
                  credit=entry.credit())
    problems = () if passed else tuple(Problem("unsupported", p) for p in paragraphs)
    return Verdict(draft, 0.5, passed, problems)


def rendered(markdown: str) -> lxml.html.HtmlElement:
    """The Markdown body (front matter cut) as a CommonMark renderer with raw HTML on shows it."""
    body = markdown.split("\n---\n", 1)[1]
    page = MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(body)
    return lxml.html.fragment_fromstring(page, create_parent="div")


def front(markdown: str) -> dict[str, object]:
    assert markdown.startswith("---\n")
    loaded = yaml.safe_load(markdown[4:].split("\n---\n", 1)[0])
    assert isinstance(loaded, dict)
    return loaded


def assert_inert(tree: lxml.html.HtmlElement) -> None:
    tags = {element.tag for element in tree.iter() if isinstance(element.tag, str)}
    assert tags <= ALLOWED_TAGS, tags - ALLOWED_TAGS
    for anchor in tree.iter("a"):
        assert anchor.get("href", "").lower().startswith(("http://", "https://"))
    for element in tree.iter():
        assert not [name for name in element.attrib if name.lower().startswith("on")]


@pytest.mark.parametrize("url", HOSTILE["links"])
def test_markdown_never_links_anything_but_http(url: str) -> None:
    text = render_md(hostile_verdict(url=url))
    tree = rendered(text)
    assert_inert(tree)
    assert not list(tree.iter("a"))
    assert "link_refused" in front(text)
    assert front(text)["source"] == "file:posts.json"
    assert "<script" not in lxml.html.tostring(tree, encoding="unicode")


@pytest.mark.parametrize("url", HOSTILE["safe_links"])
def test_markdown_links_http_urls_exactly(url: str) -> None:
    text = render_md(hostile_verdict(url=url))
    (anchor,) = rendered(text).iter("a")
    assert anchor.get("href") == url.replace("(", "%28").replace(")", "%29")
    assert anchor.text_content() == "Bridge reopens"
    assert front(text)["source"] == url and "link_refused" not in front(text)


@pytest.mark.parametrize("paragraph", HOSTILE["paragraphs"])
def test_markdown_paragraphs_render_as_their_own_text(paragraph: str) -> None:
    text = render_md(hostile_verdict(paragraphs=(paragraph, "Next."), passed=False))
    tree = rendered(text)
    assert_inert(tree)
    first = tree.find("p")
    assert first is not None
    assert first.text_content() == " ".join(paragraph.split())
    problems = [li.text_content() for li in tree.iter("li")]
    assert problems[0] == "unsupported: " + " ".join(paragraph.split())


@pytest.mark.parametrize("title", HOSTILE["titles"])
def test_front_matter_is_yaml_that_gives_the_title_back(title: str) -> None:
    text = render_md(hostile_verdict(title=title))
    assert front(text)["title"] == " ".join(title.split())
    assert front(text)["passed"] is True and front(text)["published"] == "2025-02-03"
    (anchor,) = rendered(text).iter("a")
    assert anchor.text_content() == " ".join(title.split())
    assert_inert(rendered(text))


def test_a_refused_link_is_logged_and_noted_in_json(caplog: pytest.LogCaptureFixture,
                                                    tmp_path: Path) -> None:
    verdict = hostile_verdict(url="javascript:alert(1)")
    with caplog.at_level("WARNING", logger="redraft.sinks.files"):
        FileSink("md", directory=tmp_path).write(verdict)
    assert "not http(s) (javascript:)" in caplog.text and "k1" in caplog.text
    stream = io.StringIO()
    FileSink("json", stream=stream).write(verdict)
    assert "javascript:" in json.loads(stream.getvalue())["link_refused"]


def test_a_full_disk_raises_a_clear_error_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    verdict = make_verdict()
    sink = FileSink("md", directory=tmp_path)
    (tmp_path / f"{file_stem(verdict)}.md.tmp").symlink_to("/dev/full")  # writes: ENOSPC
    with pytest.raises(PublishError, match="No space left on device; free some space") as raised:
        sink.write(verdict)
    assert raised.value.code == "write-failed" and file_stem(verdict) in str(raised.value)
    assert list(tmp_path.iterdir()) == []
    sink.write(make_verdict(key="https://s.example#5"))  # the next draft goes through
    assert len(list(tmp_path.iterdir())) == 1


def test_a_full_disk_under_json_lines_raises_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "drafts.jsonl").symlink_to("/dev/full")
    sink = FileSink("json", directory=tmp_path)
    with pytest.raises(PublishError, match=r"drafts\.jsonl: No space left on device"):
        sink.write(make_verdict())
    sink.close()


def test_json_lines_are_the_text_dumps_writes_in_utf_8(tmp_path: Path) -> None:
    """The file takes orjson's bytes: the same as ``dumps``'s text through a UTF-8 text file,
    and ``dumps``'s text where orjson refuses the record (an integer beyond 64 bits)."""
    records: list[dict[str, Any]] = [
        {"key": "a", "text": "Caf\u00e9 \u201cx\u201d \u6771\u4eac \U0001f600 \x00\n\t\\\"", "n": 1.5},
        {"key": "b", "big": 2**70, "none": None, "list": [True, False]},
        {"key": "c", "paragraphs": ["\u0e1b\u0e23\u0e30\u0e40\u0e17\u0e28", ""], "score": 0.1234},
    ]
    sink = FileSink("json", directory=tmp_path)
    for record in records:
        sink._json_line(record)
    sink.close()
    expected = "".join(dumps(record) + "\n" for record in records)
    assert (tmp_path / JSONL_NAME).read_bytes() == expected.encode("utf-8")
    broken = FileSink("json", directory=tmp_path / "x")
    with pytest.raises(UnicodeEncodeError):  # as a UTF-8 text file refuses it
        broken._json_line({"key": "\ud800"})
    broken.close()
