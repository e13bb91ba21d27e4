"""Every command in the README's ``sh`` blocks, run (or, where running it is not cheap, checked),
and the README's config example loaded. How each kind of command is checked, honestly:

- ``redraft ...`` on files: run as written in a folder holding the files it names (``post.json``,
  ``posts/``, ``export.jsonl``: the bundled examples; ``draft.txt``: a draft made from post.json);
- ``curl <site>/wp-json/wp/v2/posts | redraft rewrite -``: run, with a local server on
  127.0.0.1 answering the examples for ``https://example.org``;
- ``--engine llm``: run, with tests/llm_server.py in place of the server on 127.0.0.1:8000;
- ``redraft sync`` and ``redraft publish``: run against the shared WordPress fixture in place of
  the sites named; publish with the README's placeholder password must be refused (exit 2)
  before anything is posted;
- ``redraft review``: started in the folder (on a free port), its queue page fetched, stopped;
- ``make ...``: dry run only (``make -n``): ``make test`` is this suite;
- ``benchmarks/...``: ``--help`` only, and every option the README gives must be in that help
  (they run for minutes on the evaluation data);
- ``. .venv/bin/activate``: the file exists.

A README command that fits none of these fails until it is given a way to be checked here.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import httpx
import pytest

from redraft.cli import main
from redraft.config import Settings, load_config
from redraft.verify.rules import CREDIT_LINE
from tests.llm_server import LLMServer, lead_of
from tests.servers import serving
from tests.wordpress import WordPressSite

from .conftest import EXAMPLES, ROOT

README = ROOT / "README.md"
RUN_TIMEOUT = 600  # seconds for one command (a full sync of the 250-post fixture included)
PLACEHOLDER_SITE = "https://example.org"
PLACEHOLDER_PUBLISH = "https://my.site"
PLACEHOLDER_LLM = "http://127.0.0.1:8000/v1"


def blocks(language: str) -> list[str]:
    text = README.read_text(encoding="utf-8")
    return re.findall(rf"^```{language}\n(.*?)^```", text, re.M | re.S)


def commands() -> list[str]:
    """The README's sh commands, one per entry, continuation lines joined."""
    found: list[str] = []
    for block in blocks("sh"):
        for command in block.replace("\\\n", " ").splitlines():
            if command.strip():
                found.append(" ".join(command.split()))
    return found


def kind(command: str) -> str:
    """How a README command is checked (see the module docstring)."""
    words = command.split()
    if words[0] in (".", "source"):
        return "activate"
    if words[0] == "make":
        return "make"
    if any(word.startswith("benchmarks/") for word in words):
        return "benchmark"
    if words[0] == "curl" and "| redraft rewrite -" in command:
        return "curl"
    if "redraft" not in words:
        return "unknown"
    if words[:2] == ["redraft", "review"]:
        return "review"
    if "--engine llm" in command:
        return "llm"
    if "redraft sync" in command:
        return "sync"
    if "redraft publish" in command:
        return "publish"
    if words[0] == "redraft" and not re.search(r"https?://", command):
        return "offline"
    return "unknown"


def params() -> list[object]:
    marks = {"sync": pytest.mark.wordpress, "publish": pytest.mark.wordpress}
    return [pytest.param(command, marks=[marks[kind(command)]] if kind(command) in marks else [],
                         id=f"{n}-{command[:50]}") for n, command in enumerate(commands())]


@dataclass(frozen=True)
class Ran:
    code: int
    out: str
    err: str


def env() -> dict[str, str]:
    """The environment with the venv's bin first (``redraft`` as installed) and no REDRAFT_*."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("REDRAFT_")}
    clean["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), clean.get("PATH", "")])
    return clean


def run(command: str, cwd: Path) -> Ran:
    done = subprocess.run(["bash", "-o", "pipefail", "-c", command], cwd=cwd, env=env(),
                          capture_output=True, text=True, timeout=RUN_TIMEOUT, check=False)
    assert "Traceback" not in done.stderr, done.stderr
    return Ran(done.returncode, done.stdout, done.stderr)


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding the files the README's commands name."""
    root = tmp_path_factory.mktemp("readme")
    posts = sorted(EXAMPLES.glob("*.json"))
    shutil.copytree(EXAMPLES, root / "posts")
    shutil.copy(posts[0], root / "post.json")
    (root / "export.jsonl").write_text(
        "".join(json.dumps(json.loads(p.read_text(encoding="utf-8"))) + "\n" for p in posts))
    made = run(f"redraft rewrite post.json --db {root / 'draft.db'}", root)
    assert made.code == 0, made.err
    (root / "draft.txt").write_text(made.out)
    return root


@pytest.fixture(scope="module")
def posts_server() -> Iterator[str]:
    """A site on 127.0.0.1 whose /wp-json/wp/v2/posts answers the examples as one array."""
    body = json.dumps([json.loads(p.read_text(encoding="utf-8"))
                       for p in sorted(EXAMPLES.glob("*.json"))]).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            found = self.path.startswith("/wp-json/wp/v2/posts")
            self.send_response(200 if found else 404)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body) if found else 0))
            self.end_headers()
            if found:
                self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            """Quiet."""

    with serving(Handler) as base:
        yield base


def test_the_readme_has_commands_and_each_has_a_check() -> None:
    found = commands()
    assert len(found) >= 10
    unknown = [command for command in found if kind(command) == "unknown"]
    assert unknown == [], "give these README commands a check in tests/test_readme.py"


@pytest.mark.parametrize("command", params())
def test_readme_command(command: str, sandbox: Path, request: pytest.FixtureRequest) -> None:
    how = kind(command)
    examples = len(list(EXAMPLES.glob("*.json")))
    if how == "activate":
        if Path(sys.prefix) != ROOT / ".venv":
            pytest.skip("the tests do not run from the project's .venv")
        assert (ROOT / command.split()[1]).is_file()
    elif how == "make":
        done = run(command.replace("make ", "make -n ", 1).split("#")[0], ROOT)
        assert done.code == 0, done.err
    elif how == "benchmark":
        script = next(word for word in command.split() if word.startswith("benchmarks/"))
        done = run(f"{sys.executable} {script} --help", ROOT)
        assert done.code == 0, done.err
        for option in re.findall(r"(?<!\S)(--[\w-]+)", command.split("#", maxsplit=1)[0]):
            assert option in done.out, f"{script} --help does not mention {option}"
    elif how == "curl":
        server = request.getfixturevalue("posts_server")
        done = run(command.replace(PLACEHOLDER_SITE, server), sandbox)
        assert done.code == 0, done.err
        # one credit line a draft, its label in the article's language ("Fuente:", "Source :")
        credits = [line for line in done.out.splitlines() if CREDIT_LINE.match(line)]
        assert len(credits) == examples
    elif how == "llm":
        check_llm(command, sandbox, examples)
    elif how == "review":
        check_review(command, sandbox)
    elif how in ("sync", "publish"):
        check_wordpress(how, command, sandbox, request.getfixturevalue("wordpress_site"))
    else:
        check_offline(command, sandbox, examples)


def check_offline(command: str, sandbox: Path, examples: int) -> None:
    done = run(command, sandbox)
    assert done.code == 0, done.err
    words = command.split("#", maxsplit=1)[0].split()
    if "--out" in words:
        out = sandbox / words[words.index("--out") + 1]
        fmt = words[words.index("--format") + 1] if "--format" in words else "txt"
        if fmt == "json":
            lines = (out / "drafts.jsonl").read_text().splitlines()
            assert len(lines) == examples and all(json.loads(line)["verdict"]["passed"] for line in lines)
        else:
            assert len(list(out.glob(f"*.{fmt}"))) == examples
    elif words[1] == "rewrite":
        assert "\nSource: " in done.out
    elif words[1] == "status":
        assert re.search(r"stored [1-9]", done.out), done.out


def check_review(command: str, sandbox: Path) -> None:
    """The review app answers its queue page; Ctrl-C (SIGINT to its process group, as a
    terminal sends it) stops it cleanly."""
    line = command.split("#", maxsplit=1)[0] + " --port 0"
    if not (sandbox / "redraft.db").is_file():  # when run on its own, without the commands above
        assert run("redraft rewrite posts/ --out review-out", sandbox).code == 0
    with subprocess.Popen(["bash", "-c", f"exec {line}"], cwd=sandbox, env=env(), text=True,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          start_new_session=True) as server:
        try:
            assert server.stderr is not None
            said = server.stderr.readline()
            found = re.search(r"http://127\.0\.0\.1:\d+/", said)
            assert found, said
            page = httpx.get(found.group(), timeout=RUN_TIMEOUT)
            assert page.status_code == 200 and "data-row" in page.text
        finally:
            os.killpg(server.pid, signal.SIGINT)
            err = server.communicate(timeout=RUN_TIMEOUT)[1]
    assert server.returncode == 0 and "Traceback" not in err, err


def check_llm(command: str, sandbox: Path, examples: int) -> None:
    with LLMServer(default=lead_of(3), accept_any_model=True) as server:
        done = run(command.replace(PLACEHOLDER_LLM, server.url) + f" --db {sandbox / 'llm.db'}",
                   sandbox)
        assert done.code == 0, done.err
        assert len(server.chats) >= examples


def check_wordpress(how: str, command: str, sandbox: Path, site: WordPressSite) -> None:
    if how == "sync":
        done = run(command.replace(PLACEHOLDER_SITE, site.base_url), sandbox)
        assert done.code == 0, done.err
        assert len(list((sandbox / "out").glob("*.txt"))) == len(site.post_ids)
        return
    before = len(site.requests())
    done = run(command.replace(PLACEHOLDER_PUBLISH, site.base_url), sandbox)
    assert done.code == 2, done.out + done.err  # the placeholder password is refused
    assert not [line for line in site.requests()[before:] if line.startswith("POST")]


def test_the_config_example_loads_and_means_what_it_says(tmp_path: Path) -> None:
    (example,) = blocks("toml")
    path = tmp_path / "redraft.toml"
    path.write_text(example, encoding="utf-8")
    settings = load_config(path, env={})
    assert settings != Settings()
    assert settings.db == Path("state/redraft.db") and settings.budget.value == 0.3


def test_every_generated_part_has_its_block() -> None:
    readme = README.read_text(encoding="utf-8")
    for name in main.commands:
        assert f't.options_table("{name}")' in readme, f"no option table for `redraft {name}`"
    for call in ("t.config_table()", "t.exit_codes()", "t.user_agent()"):
        assert call in readme


def test_every_environment_variable_the_code_reads_is_documented() -> None:
    readme = README.read_text(encoding="utf-8")
    names = {name for path in (ROOT / "redraft").rglob("*.py")
             for name in re.findall(r"\bREDRAFT_[A-Z_]+\b", path.read_text(encoding="utf-8"))}
    assert names
    assert sorted(name for name in names if name not in readme) == []
