"""The rules of the house, enforced: who may import whom, and docs that match the CLI.

The layers of /work/shared/docs/architecture.md ("Layers, lowest first") are written down below as
data (``MODULES``). Every import in the package, relative or absolute, at module level or inside a
function, is resolved to the module that defines the name (``from redraft import Store`` is an
import of ``redraft.store``), and then:

- a module imports only from its own layer or below;
- within the stage layer (and the faces), a module imports only from its own group: stages never
  import each other, nor another stage's data modules, whatever their layer;
- every module is listed in the map (a new module is placed in a layer by a reviewed edit here);
- only the store (and its migrations) imports a SQL driver.

The checker is tried on synthetic packages first (``test_the_checker_reports_*``), so that a
checker that sees nothing cannot pass.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import Path

import pytest

from redraft.cli import main

PACKAGE = Path(__file__).resolve().parent.parent / "redraft"
README = PACKAGE.parent / "README.md"

LAYER_NAMES = {0: "records and data", 1: "shared helpers", 2: "stages", 3: "store", 4: "pipeline",
               5: "faces", 6: "public API"}
# Layers whose groups may not import each other: the stages, and the faces (cli, web).
ISOLATED = {2, 5}
STAGES = {"sources", "extract", "condense", "verify", "sinks", "stories"}


@dataclass(frozen=True)
class Place:
    layer: int
    group: str


# (pattern, layer, group), first match wins: a data module before its package's wildcard.
# ``redraft.x.*`` matches the modules inside the package ``redraft.x`` (not ``redraft.x`` itself).
MODULES: list[tuple[str, int, str]] = [
    # 0: records, errors, the version, and data: word lists, rules, prompts (no logic, no I/O).
    ("redraft._version", 0, "base"),
    ("redraft.records", 0, "base"),
    ("redraft.errors", 0, "base"),
    ("redraft.vocab", 0, "base"),
    ("redraft.boilerplate", 0, "extract"),
    ("redraft.verify.rules", 0, "verify"),
    ("redraft.condense.prompts", 0, "condense"),
    ("redraft.condense.merge_prompt", 0, "condense"),
    # 1: settings and helpers shared by the stages; the WordPress REST facts.
    ("redraft.config", 1, "config"),
    ("redraft.text", 1, "text"),
    ("redraft.text.*", 1, "text"),
    ("redraft.http", 1, "http"),
    ("redraft.jsontext", 1, "jsontext"),
    ("redraft.wp", 1, "wp"),
    ("redraft.wp.*", 1, "wp"),
    # 2: the stages, each on its own.
    ("redraft.sources", 2, "sources"),
    ("redraft.sources.*", 2, "sources"),
    ("redraft.extract", 2, "extract"),
    ("redraft.standfirst", 2, "extract"),
    ("redraft.condense", 2, "condense"),
    ("redraft.condense.*", 2, "condense"),
    ("redraft.verify", 2, "verify"),
    ("redraft.verify.*", 2, "verify"),
    ("redraft.stories", 2, "stories"),
    ("redraft.stories.*", 2, "stories"),
    ("redraft.sinks", 2, "sinks"),
    ("redraft.sinks.*", 2, "sinks"),
    # 3: the store, the only SQL.
    ("redraft.store", 3, "store"),
    ("redraft.store.*", 3, "store"),
    ("redraft.migrations", 3, "store"),
    # 4: the pipeline.
    ("redraft.pipeline", 4, "pipeline"),
    ("redraft.pipeline.*", 4, "pipeline"),
    # 5: the faces.
    ("redraft.cli", 5, "cli"),
    ("redraft.cli.*", 5, "cli"),
    ("redraft.web", 5, "web"),
    ("redraft.web.*", 5, "web"),
    # 6: the package root re-exports the public API; python -m redraft.
    ("redraft", 6, "api"),
    ("redraft.__main__", 6, "api"),
]
SQL_DRIVERS = {"sqlite3", "apsw", "sqlalchemy"}
SQL_GROUPS = {"store"}


@dataclass(frozen=True)
class Import:
    importer: str
    target: str  # the defining module, after resolving re-exports
    line: int
    written: str  # the statement as written, for the message


class Package:
    """The modules of a package folder, read with ``ast`` (nothing is imported)."""

    def __init__(self, root: Path, name: str | None = None) -> None:
        self.root = root
        self.name = name or root.name
        self.files: dict[str, Path] = {}
        for path in sorted(root.rglob("*.py")):
            parts = path.relative_to(root).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            self.files[".".join((self.name, *parts))] = path
        self.trees = {module: ast.parse(path.read_text(encoding="utf-8"), str(path))
                      for module, path in self.files.items()}

    def is_package(self, module: str) -> bool:
        return self.files[module].name == "__init__.py"

    def absolute(self, module: str, node: ast.ImportFrom) -> str:
        """The absolute module an ``ImportFrom`` names (relative imports resolved)."""
        if node.level == 0:
            return node.module or ""
        base = module.split(".") if self.is_package(module) else module.split(".")[:-1]
        base = base[: len(base) - (node.level - 1)]
        return ".".join([*base, node.module] if node.module else base)

    def defining(self, module: str, name: str, seen: frozenset[str] = frozenset()) -> str:
        """The module that defines ``name`` as ``module`` exposes it: a submodule, a re-export
        followed to its origin, or ``module`` itself."""
        if f"{module}.{name}" in self.files:
            return f"{module}.{name}"
        if module not in self.trees or module in seen:
            return module
        for node in self.trees[module].body:
            if isinstance(node, ast.ImportFrom):
                for alias in node.names:
                    if (alias.asname or alias.name) == name:
                        source = self.absolute(module, node)
                        if self.inside(source):
                            return self.defining(source, alias.name, seen | {module})
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.asname == name and self.inside(alias.name):
                        return alias.name
        return module

    def inside(self, module: str) -> bool:
        return module == self.name or module.startswith(self.name + ".")

    def imports(self, module: str) -> Iterator[Import]:
        """Every import of the package's own modules by ``module``, resolved."""
        for node in ast.walk(self.trees[module]):
            written = ast.unparse(node) if isinstance(node, ast.Import | ast.ImportFrom) else ""
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if self.inside(alias.name):
                        yield Import(module, alias.name, node.lineno, written)
            elif isinstance(node, ast.ImportFrom):
                source = self.absolute(module, node)
                if self.inside(source):
                    for alias in node.names:
                        target = self.defining(source, alias.name)
                        yield Import(module, target, node.lineno, written)
            elif isinstance(node, ast.Call) and _dynamic_import(node):
                argument = node.args[0]
                assert isinstance(argument, ast.Constant)
                if isinstance(argument.value, str) and self.inside(argument.value):
                    yield Import(module, argument.value, node.lineno, ast.unparse(node))

    def external(self, module: str) -> Iterator[tuple[str, int]]:
        """Top-level names of the modules outside the package that ``module`` imports."""
        for node in ast.walk(self.trees[module]):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    yield alias.name.split(".")[0], node.lineno
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                yield node.module.split(".")[0], node.lineno


def _dynamic_import(node: ast.Call) -> bool:
    function = node.func
    name = function.attr if isinstance(function, ast.Attribute) else getattr(function, "id", "")
    return (name in {"import_module", "__import__"} and bool(node.args)
            and isinstance(node.args[0], ast.Constant))


def place(module: str, package: str, table: list[tuple[str, int, str]] = MODULES) -> Place | None:
    """A module's layer and group from the map, or None when the map does not list it."""
    relative = "redraft" + module.removeprefix(package)  # the map is written for "redraft"
    for pattern, layer, group in table:
        if fnmatchcase(relative, pattern):
            return Place(layer, group)
    return None


def violations(package: Package, table: list[tuple[str, int, str]] = MODULES) -> list[str]:
    """Every breach of the layer map in ``package``, one line each (empty when clean)."""
    found: list[str] = []
    for module, path in package.files.items():
        where = place(module, package.name, table)
        if where is None:
            found.append(f"{path}: {module} is not in the layer map (tests/test_architecture.py)")
            continue
        for imp in package.imports(module):
            problem = _breach(where, imp, package.name, table)
            if problem:
                found.append(f"{path}:{imp.line}: {module} {problem} (`{imp.written}`)")
        if where.group not in SQL_GROUPS:
            found += [f"{path}:{line}: {module} imports {name}: only the store speaks SQL"
                      for name, line in package.external(module) if name in SQL_DRIVERS]
    return found


def _breach(where: Place, imp: Import, package: str, table: list[tuple[str, int, str]]) -> str | None:
    target = place(imp.target, package, table)
    if target is None:
        return f"imports {imp.target}, which is not in the layer map"
    if target.layer > where.layer:
        return (f"(layer {where.layer}, {LAYER_NAMES[where.layer]}) imports {imp.target} "
                f"(layer {target.layer}, {LAYER_NAMES[target.layer]})")
    if target.group == where.group:
        return None
    if where.group in STAGES and target.group in STAGES:
        return f"(stage {where.group}) imports {imp.target} of another stage ({target.group})"
    if target.layer == where.layer and where.layer in ISOLATED:
        return f"({where.group}) imports {imp.target} of {target.group} on the same layer"
    return None


def test_the_package_keeps_its_layers() -> None:
    assert violations(Package(PACKAGE)) == []


def test_only_the_store_speaks_sql() -> None:
    package = Package(PACKAGE)
    users = {module for module in package.files
             if any(name in SQL_DRIVERS for name, _ in package.external(module))}
    assert users
    assert all(getattr(place(module, "redraft"), "group", None) in SQL_GROUPS for module in users)


# --- the checker itself, on synthetic packages ---------------------------------------------

CLEAN = {
    "__init__.py": "from redraft._version import __version__\nfrom redraft.store import Store\n"
                   "from redraft.pipeline import run\n__all__ = ['Store', '__version__', 'run']\n",
    "_version.py": "__version__ = '0'\n",
    "records.py": "class Entry: ...\n",
    "text.py": "from redraft.records import Entry\n",
    "sources/__init__.py": "from .files import FileSource\n",
    "sources/files.py": "from ..records import Entry\nfrom redraft import __version__\n"
                        "class FileSource: ...\n",
    "store.py": "import sqlite3\nfrom redraft.records import Entry\nclass Store: ...\n",
    "pipeline.py": "from redraft.store import Store\nfrom redraft.sources import FileSource\n"
                   "def run() -> None: ...\n",
    "cli/__init__.py": "from . import rewrite\n",
    "cli/rewrite.py": "from redraft import run, Store\n",
}
BROKEN = {
    "stage imports the store through the package root":
        ("sources/files.py", "from redraft import Store\n", "redraft.store"),
    "relative import of the pipeline":
        ("sources/files.py", "def late() -> None:\n    from .. import pipeline\n", "redraft.pipeline"),
    "relative import of a name from the pipeline":
        ("sources/__init__.py", "from ..pipeline import run\n", "redraft.pipeline"),
    "shared module imports the CLI":
        ("text.py", "import redraft.cli.rewrite\n", "redraft.cli.rewrite"),
    "stage imports the SQL driver": ("sources/files.py", "import sqlite3\n", "sqlite3"),
    "unlisted module": ("helpers.py", "x = 1\n", "not in the layer map"),
}


def write_package(root: Path, files: dict[str, str]) -> Package:
    for name, text in files.items():
        path = root / "redraft" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return Package(root / "redraft")


def test_the_checker_passes_a_clean_package(tmp_path: Path) -> None:
    package = write_package(tmp_path, CLEAN)
    assert violations(package) == []
    imports = {imp.target for imp in package.imports("redraft.sources.files")}
    assert imports == {"redraft.records", "redraft._version"}  # both forms resolved


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_the_checker_reports_each_kind_of_breach(tmp_path: Path, case: str) -> None:
    name, extra, named = BROKEN[case]
    files = dict(CLEAN)
    files[name] = files.get(name, "") + extra
    found = violations(write_package(tmp_path, files))
    assert len(found) == 1, found
    assert named in found[0] and name in found[0]


def test_an_unlisted_module_is_reported_even_when_nothing_imports_it(tmp_path: Path) -> None:
    found = violations(write_package(tmp_path, {**CLEAN, "wp/__init__.py": "", "misc/x.py": ""}))
    assert len(found) == 1 and "redraft.misc.x is not in the layer map" in found[0]


# --- the public face -----------------------------------------------------------------------

def test_public_api_is_sorted() -> None:
    import redraft

    assert redraft.__all__ == sorted(redraft.__all__)
    for name in redraft.__all__:
        assert hasattr(redraft, name)


def test_every_command_is_documented_in_the_readme() -> None:
    readme = README.read_text(encoding="utf-8")
    for name in main.commands:
        assert re.search(rf"redraft {name}\b", readme), f"`redraft {name}` is not in README.md"
