"""The rules of the house, enforced: who may import whom, and docs that match the CLI."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from redraft.cli import main

PACKAGE = Path(__file__).resolve().parent.parent / "redraft"
README = PACKAGE.parent / "README.md"

# What any stage may import from redraft: the records, errors, settings and shared helpers.
SHARED = {"redraft", "redraft._version", "redraft.records", "redraft.errors", "redraft.config",
          "redraft.text", "redraft.vocab", "redraft.http", "redraft.wp_rest", "redraft.wp",
          "redraft.wp.api", "redraft.wp.posts", "redraft.sources.charsets"}
# Each stage's own data module, and its package's protocol module.
OWN = {
    "extract": {"redraft.boilerplate"},
    "verify": {"redraft.verify_rules"},
    "condense": {"redraft.condense", "redraft.condense.prompts"},
    "sources": {"redraft.sources"},
    "sinks": {"redraft.sinks"},
}
STAGES = ("extract", "boilerplate", "verify", "verify_rules", "condense", "sources", "sinks")


def stage_of(path: Path) -> str | None:
    relative = path.relative_to(PACKAGE)
    first = relative.parts[0].removesuffix(".py")
    return first if first in STAGES else None


def redraft_imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return {name for name in names if name == "redraft" or name.startswith("redraft.")}


STAGE_FILES = sorted(p for p in PACKAGE.rglob("*.py") if stage_of(p) is not None)


@pytest.mark.parametrize("path", STAGE_FILES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_stages_import_only_shared_modules(path: Path) -> None:
    stage = stage_of(path)
    assert stage is not None
    allowed = SHARED | OWN.get(stage, set())
    # A package stage (sources/, sinks/, condense/) may share code between its own modules.
    imported = {name for name in redraft_imports(path) if not name.startswith(f"redraft.{stage}.")}
    assert imported <= allowed, f"{path.name} imports {sorted(imported - allowed)}"


def test_only_the_store_speaks_sql() -> None:
    offenders = [p.name for p in PACKAGE.rglob("*.py")
                 if "import sqlite3" in p.read_text(encoding="utf-8")
                 and p.name not in {"store.py"}]
    assert offenders == []


def test_public_api_is_sorted() -> None:
    import redraft

    assert redraft.__all__ == sorted(redraft.__all__)
    for name in redraft.__all__:
        assert hasattr(redraft, name)


def test_every_command_is_documented_in_the_readme() -> None:
    readme = README.read_text(encoding="utf-8")
    for name in main.commands:
        assert re.search(rf"redraft {name}\b", readme), f"`redraft {name}` is not in README.md"
