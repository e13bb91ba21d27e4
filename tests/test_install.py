"""Install as a user does: build the wheel, install it into a fresh venv made by ``python -m venv``
with the pip it ships (no upgrade: Python 3.11 bundles pip 23.2), and run ``redraft rewrite`` on
the bundled examples. Dependencies come from the package index, so this is slow; one venv serves
the whole module."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from .conftest import EXAMPLES, ROOT

pytestmark = pytest.mark.slow

PIP_TIMEOUT = 900  # seconds for pip to download and install the dependencies on a slow link


@dataclass(frozen=True)
class Installed:
    venv: Path
    pip_version: str

    @property
    def bin(self) -> Path:
        return self.venv / "bin"


def clean_env() -> dict[str, str]:
    """The environment without anything that points Python or pip at the developer's venv."""
    drop = {"VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME", "PIP_USER", "REDRAFT_DB", "REDRAFT_LLM_URL"}
    env = {key: value for key, value in os.environ.items() if key not in drop}
    bin_dirs = [part for part in env.get("PATH", "").split(os.pathsep)
                if not part.startswith(str(ROOT / ".venv"))]
    env["PATH"] = os.pathsep.join(bin_dirs)
    return env


def run(command: list[str | Path], cwd: Path, timeout: float = PIP_TIMEOUT) -> str:
    done = subprocess.run([str(part) for part in command], cwd=cwd, env=clean_env(),
                          capture_output=True, text=True, timeout=timeout, check=False)
    assert done.returncode == 0, (
        f"{' '.join(map(str, command))} exited {done.returncode}\n"
        f"stdout:\n{done.stdout[-4000:]}\nstderr:\n{done.stderr[-4000:]}")
    return done.stdout


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    work = tmp_path_factory.mktemp("install")
    # Built from a copy: setuptools leaves build/ behind, and stale modules there would be packed.
    source = work / "source"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(
        ".git", ".venv", "build", "dist", "out", "*.egg-info", "*_cache", "__pycache__", "*.db"))
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--wheel-dir",
         work / "dist", source], cwd=work)
    wheels = sorted((work / "dist").glob("redraft-*.whl"))
    assert len(wheels) == 1, wheels
    # The stock interpreter's venv module, as a user types it; the pip it installs stays as is.
    base = getattr(sys, "_base_executable", sys.executable)
    run([base, "-m", "venv", work / "venv"], cwd=work)
    venv = work / "venv"
    pip_version = run([venv / "bin" / "python", "-m", "pip", "--version"], cwd=work).split()[1]
    run([venv / "bin" / "python", "-m", "pip", "install", "--quiet", wheels[0]], cwd=work)
    return Installed(venv, pip_version)


def test_the_venv_uses_the_pip_python_ships(installed: Installed) -> None:
    import ensurepip

    assert installed.pip_version == ensurepip.version()
    run([installed.bin / "python", "-m", "pip", "check"], cwd=installed.venv)


def test_rewrite_runs_on_the_examples_after_a_plain_pip_install(
    installed: Installed, tmp_path: Path,
) -> None:
    out = tmp_path / "out"
    examples = sorted(EXAMPLES.glob("*.json"))
    assert examples
    # Run from an empty folder so that nothing is imported from the source tree.
    run([installed.bin / "redraft", "rewrite", EXAMPLES, "--db", tmp_path / "state.db",
         "--out", out, "--format", "json"], cwd=tmp_path, timeout=300)
    drafts = [json.loads(line) for line in (out / "drafts.jsonl").read_text().splitlines()]
    sources = {json.loads(path.read_text(encoding="utf-8"))["link"] for path in examples}
    assert {draft["url"] for draft in drafts} == sources
    for draft in drafts:
        assert draft["verdict"]["passed"], draft["verdict"]
        assert 0 < draft["draft_words"] < draft["source_words"]


def test_rewrite_to_stdout_credits_the_source(installed: Installed, tmp_path: Path) -> None:
    example = sorted(EXAMPLES.glob("en-*.json"))[0]
    post = json.loads(example.read_text(encoding="utf-8"))
    done = subprocess.run([str(installed.bin / "redraft"), "rewrite", str(example), "--db",
                           str(tmp_path / "state.db")], cwd=tmp_path, env=clean_env(),
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    body, _, credit = done.stdout.strip().rpartition("\n\n")
    assert body and post["link"] in credit
