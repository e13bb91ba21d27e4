"""The CLI's error boundary: every failure a user can cause, or meet, ends in one line that
says what happened and what to do, with the right exit code, and never a traceback. Output
from sources (titles, links, paths) cannot drive the terminal or break rich's markup."""

from __future__ import annotations

import http.server
import importlib
import json
import os
import resource
import signal
import sqlite3
import subprocess
import sys
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import pytest
from click.testing import Result

from redraft.pipeline import ITEM_NOTE
from tests.servers import serving

from .test_cli import PARAGRAPHS, invoke, post


def one_error_line(result: Result) -> str:
    assert "Traceback" not in result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    return lines[0]


@pytest.fixture
def one_post(tmp_path: Path) -> Path:
    path = tmp_path / "one.json"
    path.write_text(json.dumps(post(1)))
    return path


def test_a_bad_llm_url_is_a_usage_error(one_post: Path, tmp_path: Path) -> None:
    result = invoke("rewrite", one_post, "--db", tmp_path / "r.db", "--engine", "llm",
                    "--llm-url", "foo", "--llm-model", "m")
    assert result.exit_code == 2
    assert "must start with http:// or https://, not 'foo'" in one_error_line(result)


@pytest.mark.parametrize("setting", ["concurrency = 0", "retries = -1"])
def test_bad_http_settings_end_in_one_line(one_post: Path, tmp_path: Path, setting: str) -> None:
    config = tmp_path / "redraft.toml"
    config.write_text(f"[http]\n{setting}\n")
    result = invoke("rewrite", one_post, "--db", tmp_path / "r.db", "--config", config,
                    "--engine", "llm", "--llm-url", "http://127.0.0.1:9/v1", "--llm-model", "m")
    assert result.exit_code in (1, 2)
    one_error_line(result)


def failing_run(error: BaseException) -> Any:
    def run(*_args: object, **_kwargs: object) -> None:
        error.add_note(ITEM_NOTE + "https://harwick.example#1")
        raise error

    return run


def test_an_unexpected_error_is_one_line_naming_the_item(
    one_post: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rewrite = importlib.import_module("redraft.cli.rewrite")
    monkeypatch.setattr(rewrite, "run", failing_run(ValueError("bad\x1b]0;x\x07 value")))
    result = invoke("rewrite", one_post, "--db", tmp_path / "r.db")
    assert result.exit_code == 1
    line = one_error_line(result)
    assert "unexpected ValueError while working on https://harwick.example#1" in line
    assert "bad]0;x value" in line and "-v for the traceback" in line
    verbose = invoke("rewrite", one_post, "--db", tmp_path / "r.db", "-v")
    assert "Traceback" in verbose.stderr and verbose.exit_code == 1


def test_a_store_error_is_its_message(one_post: Path, tmp_path: Path) -> None:
    db = tmp_path / "r.db"
    invoke("rewrite", one_post, "--db", db)
    with sqlite3.connect(db) as connection:
        connection.execute("DROP TABLE drafts")
    result = invoke("rewrite", one_post, "--db", db, "--force")
    assert result.exit_code == 1
    line = one_error_line(result)
    assert str(db) in line and "no such table: drafts" in line


def test_an_unusable_out_directory_is_one_line(one_post: Path, tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("not a directory")
    result = invoke("rewrite", one_post, "--db", tmp_path / "r.db", "--out",
                    tmp_path / "a-file" / "out")
    assert result.exit_code == 1
    line = one_error_line(result)
    assert "Not a directory" in line and "a-file" in line and "bug" not in line


def test_an_interrupted_run_says_so(one_post: Path, tmp_path: Path,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    rewrite = importlib.import_module("redraft.cli.rewrite")
    monkeypatch.setattr(rewrite, "run", failing_run(KeyboardInterrupt()))
    result = invoke("rewrite", one_post, "--db", tmp_path / "r.db")
    assert result.exit_code == 130 and "interrupted" in one_error_line(result)


# --- what reaches the terminal ---------------------------------------------------------------

ESCAPES = "\x1b]0;retitled\x07\x1b[2J\x9b31m"


def test_terminal_escapes_from_sources_are_never_printed(tmp_path: Path) -> None:
    folder = tmp_path / f"in{ESCAPES}"
    folder.mkdir()
    evil = post(1, title={"rendered": f"Depot{ESCAPES} market"},
                link=f"https://harwick.example/?p=1{ESCAPES}")
    (folder / "a.json").write_text(json.dumps(evil))
    (folder / "b.json").write_text(json.dumps(post(2, content={"rendered": "",
                                                               "protected": True})))
    for fmt in ("txt", "md", "json"):
        result = invoke("rewrite", folder, "--db", tmp_path / "r.db", "--format", fmt)
        assert result.exit_code == 1  # the protected post
        for stream in (result.stdout, result.stderr):
            assert not any(ch in stream for ch in "\x1b\x07\x9b"), stream
    assert "Depot]0;retitled[2J31m market" in result.stdout or fmt == "json"


@pytest.mark.parametrize("name", ["in[bold]", "a[/b]c", "x[/]"])
def test_brackets_in_paths_are_printed_as_they_are(tmp_path: Path, name: str) -> None:
    folder = tmp_path / name  # "a[/b]c" is the folder "b]c" in the folder "a["
    folder.mkdir(parents=True)
    (folder / "p[1].json").write_text(json.dumps(post(1)))
    db = folder / "state[red].db"
    result = invoke("rewrite", folder / "p[1].json", "--db", db)
    assert result.exit_code == 0, result.output
    assert f"state: {db})" in result.stderr.replace("\n", "")
    status = invoke("status", "--db", db)
    assert status.exit_code == 0 and str(db) in status.stdout.replace("\n", "")


# --- a full disk -----------------------------------------------------------------------------

def limit_file_size() -> None:
    """In the child: no file may grow past 512 KiB, as on a full disk."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (512 * 1024, resource.RLIM_INFINITY))


def test_a_full_disk_under_db_is_one_line_and_keeps_what_was_stored(tmp_path: Path) -> None:
    posts = [post(n, [f"{p} It was item {n}." for p in PARAGRAPHS * 6]) for n in range(1, 400)]
    (tmp_path / "posts.json").write_text(json.dumps(posts))
    db = tmp_path / "r.db"
    result = subprocess.run(
        [sys.executable, "-m", "redraft", "rewrite", "posts.json", "--per-entry", "--db", db, "--out", "out"],
        cwd=tmp_path, preexec_fn=limit_file_size, capture_output=True, text=True,
        env={**os.environ, "COLUMNS": "200"}, check=False,
    )
    assert result.returncode == 1 and "Traceback" not in result.stderr
    (line,) = [line for line in result.stderr.splitlines() if line.strip()]
    assert line.startswith("error: https://harwick.example#")
    assert f"cannot write the state database {db}" in line and "disk has space" in line
    with sqlite3.connect(db) as connection:
        stored = connection.execute("SELECT count(*) FROM drafts").fetchone()[0]
    assert 0 < stored < len(posts)


# --- verify --pairs: a bad line is that line's error -----------------------------------------

def test_verify_pairs_reports_unreadable_lines_one_by_one(tmp_path: Path) -> None:
    source = " ".join(PARAGRAPHS)
    good = json.dumps({"id": "good", "source": source, "summary": PARAGRAPHS[2]})
    pairs = tmp_path / "pairs.jsonl"
    pairs.write_bytes(b"\n".join([
        good.encode(),
        '{"id": "latin", "source": "Caf\xe9 opened.", "summary": "Caf\xe9."}'.encode("latin-1"),
        b'{"id": ' + b"9" * 5000 + b', "source": "A.", "summary": "A."}',
        json.dumps({"id": "s\ud800", "source": source + " \ud800",
                    "summary": "The plan costs 9 million euros \ud800."}).encode(),
        good.encode(),
    ]) + b"\n")
    result = invoke("verify", "--pairs", pairs)
    assert "Traceback" not in result.output and result.exit_code == 1
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["id"] for line in lines] == ["good", f"{pairs}:2", f"{pairs}:3", "s\ufffd",
                                              "good"]
    assert "not UTF-8 (byte 0xe9 at column" in lines[1]["error"]
    assert "invalid JSON" in lines[2]["error"] and "digits" in lines[2]["error"]
    assert lines[3]["passed"] is False and lines[0]["passed"] is lines[4]["passed"] is True
    assert "2 unreadable" in result.stderr


# --- exit codes on a rerun -------------------------------------------------------------------

def test_a_rerun_exits_as_the_first_run_did(tmp_path: Path) -> None:
    path = tmp_path / "posts.json"
    path.write_text(json.dumps([post(1), post(2, ["Too short to condense."])]))
    first = invoke("rewrite", path, "--db", tmp_path / "r.db")
    second = invoke("rewrite", path, "--db", tmp_path / "r.db")
    assert first.exit_code == second.exit_code == 1
    assert "too-short 1" in first.stderr and "too-short 1" in second.stderr
    assert "(already done" in second.stderr  # the draft is unchanged, the rejection too


# --- sync --limit ----------------------------------------------------------------------------

class TinySite(http.server.BaseHTTPRequestHandler):
    """A WordPress-like site: a home page that names its API, and a paged posts route."""

    posts: ClassVar[list[dict[str, Any]]] = []

    def do_GET(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        query = dict(urllib.parse.parse_qsl(url.query))
        root = f"http://{self.headers['Host']}/wp-json/"
        if url.path == "/":
            self.answer(b"<html><head></head><body>news</body></html>", "text/html",
                        {"Link": f'<{root}>; rel="https://api.w.org/"'})
        elif url.path == "/wp-json/":
            self.answer(json.dumps({"name": "tiny", "namespaces": ["wp/v2"]}).encode())
        elif url.path == "/wp-json/wp/v2/posts":
            per_page, page = int(query.get("per_page", "10")), int(query.get("page", "1"))
            newest = sorted(self.posts, key=lambda p: -int(p["id"]))
            pages = -(-len(newest) // per_page)
            chunk = newest[(page - 1) * per_page: page * per_page]
            self.answer(json.dumps(chunk).encode(), headers={
                "X-WP-Total": str(len(newest)), "X-WP-TotalPages": str(pages)})
        else:
            self.send_error(404)

    def answer(self, body: bytes, kind: str = "application/json",
               headers: dict[str, str] | None = None) -> None:
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args: object) -> None:
        pass


@pytest.fixture
def tiny_site() -> Iterator[str]:
    TinySite.posts = [post(n, modified_gmt=f"2025-04-0{n}T08:00:00") for n in range(1, 6)]
    with serving(TinySite) as base:
        yield base


def test_a_limited_sync_is_not_an_incomplete_one(tiny_site: str, tmp_path: Path) -> None:
    db = tmp_path / "r.db"
    limited = invoke("sync", tiny_site, "--limit", "2", "--db", db)
    assert limited.exit_code == 0, limited.stderr
    assert "limited sync: the newest 2 posts" in limited.stderr
    assert "incomplete" not in limited.stderr
    with sqlite3.connect(db) as connection:
        keys = {row[0] for row in connection.execute("SELECT key FROM entries")}
        mark = connection.execute("SELECT high_water FROM sites").fetchone()[0]
    assert {key.rsplit("#", 1)[1] for key in keys} == {"5", "4"} and mark is None
    full = invoke("sync", tiny_site, "--db", db)
    assert full.exit_code == 0, full.stderr
    assert "next sync asks for posts modified after" in full.stderr


def test_verify_prints_no_terminal_escapes(tmp_path: Path) -> None:
    source = tmp_path / "source.json"
    source.write_text(json.dumps(post(1)))
    draft = tmp_path / "draft.txt"
    draft.write_text(f"{PARAGRAPHS[0]}\nThe plan costs 9 million{ESCAPES} euros.\n")
    pairs = tmp_path / "pairs.jsonl"
    pairs.write_text(json.dumps({"id": f"x{ESCAPES}", "source": " ".join(PARAGRAPHS),
                                 "summary": f"The plan costs 9 million{ESCAPES} euros."},
                                ensure_ascii=False) + "\n")
    runs: list[tuple[list[str | Path], int]] = [
        (["--source", source, "--draft", draft], 1),  # the draft fails
        (["--pairs", pairs], 0),  # every line was read
    ]
    for args, code in runs:
        result = invoke("verify", *args)
        assert result.exit_code == code and "9 million" in result.stdout
        assert not any(ch in result.output for ch in "\x1b\x07\x9b"), result.output
