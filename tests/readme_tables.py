"""The README's generated parts, made from the code with cog (https://nedbatchelder.com/code/cog):
each command's options from its click definition, every config key from the settings dataclasses,
the exit codes from the CLI's constants, the User-Agent from its template.

``make docs`` rewrites them (``cog -I . -r README.md``); ``make lint`` fails when they are stale
(``cog -I . --check README.md``). In README.md a block reads::

    <!-- [[[cog import tests.readme_tables as t; t.out(t.options_table("rewrite")) ]]] -->
    ...generated...
    <!-- [[[end]]] -->
"""

from __future__ import annotations

import dataclasses
import inspect
import re
from pathlib import Path
from typing import Any

import click

from redraft import config
from redraft.cli import main
from redraft.records import Budget

CLI_DIR = Path(__file__).resolve().parent.parent / "redraft" / "cli"
# Top-level settings have no section docstring to read their meaning from.
TOP_LEVEL = {
    "db": "the SQLite state file",
    "budget": "draft length: one of `{ ratio = R }`, `{ words = N }`, `{ sentences = N }`",
    "engine": '`"extractive"` (offline) or `"llm"`',
}


def out(text: str) -> None:
    """Write ``text`` into the README block being generated."""
    import cog  # only importable while cog runs

    cog.out(text)


def _cell(text: str) -> str:
    """One table cell: one line, pipes escaped, reStructuredText's double backticks made single."""
    return " ".join(text.split()).replace("|", "\\|").replace("``", "`")


def _option_name(option: click.Option) -> str:
    names = ", ".join(f"`{name}`" for name in [*option.opts, *option.secondary_opts])
    if option.is_flag or option.count:
        return names
    kind = option.type
    if option.metavar:
        value = option.metavar
    elif isinstance(kind, click.Choice):
        value = "\\|".join(str(choice) for choice in kind.choices)
    elif isinstance(kind, click.IntRange | click.FloatRange):
        value = "INTEGER" if isinstance(kind, click.IntRange) else "FLOAT"
    else:
        value = kind.name.upper().replace(" ", "_")
    return f"{names} {value}"


def options_table(command: str) -> str:
    """The options of ``redraft <command>``, one row each, from the click definition."""
    cmd = main.commands[command]
    rows = ["| option | meaning |", "| --- | --- |"]
    for param in cmd.params:
        if not isinstance(param, click.Option) or param.hidden:
            continue
        meaning = _cell(param.help or "")
        if param.show_default and param.default not in (None, False, ()):
            meaning += f" (default: `{param.default}`)"
        envvars = [param.envvar] if isinstance(param.envvar, str) else list(param.envvar or ())
        if envvars:
            meaning += " (env: " + ", ".join(f"`${name}`" for name in envvars) + ")"
        rows.append(f"| {_option_name(param)} | {meaning} |")
    return "\n".join(rows) + "\n"


def _attributes(cls: type[Any]) -> dict[str, str]:
    """The ``Attributes:`` section of a dataclass's docstring, by name."""
    found: dict[str, str] = {}
    doc = inspect.cleandoc(cls.__doc__ or "")
    section = doc.split("Attributes:", 1)[1] if "Attributes:" in doc else ""
    name = ""
    for line in section.splitlines():
        entry = re.match(r"^    (\w+): (.*)$", line)
        if entry:
            name, found[entry[1]] = entry[1], entry[2]
        elif line.startswith("        ") and name:
            found[name] += " " + line.strip()
        elif line.strip():
            break
    return found


def _toml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str | Path):
        return f'"{value}"'
    if isinstance(value, Budget):
        return f"{{ {value.kind} = {value.value:g} }}"
    return repr(value)


def config_table() -> str:
    """Every config key: its section, default, environment variable and meaning."""
    env = {(section, key): name for name, (section, key) in getattr(config, "_ENV_KEYS", {}).items()}
    rows = ["| key | default | environment | meaning |", "| --- | --- | --- | --- |"]
    defaults = config.Settings()
    sections: list[tuple[str, type[Any]]] = []
    for field in dataclasses.fields(config.Settings):
        value = getattr(defaults, field.name)
        if dataclasses.is_dataclass(value) and type(value).__module__ == config.__name__:
            sections.append((field.name, type(value)))
            continue
        name = env.get((field.name, None), "")
        default = f"`{_toml(value)}`"
        rows.append(f"| `{field.name}` | {default} | {f'`{name}`' if name else ''} | "
                    f"{_cell(TOP_LEVEL.get(field.name, ''))} |")
    for section, cls in sections:
        meanings = _attributes(cls)
        instance = cls()
        for field in dataclasses.fields(cls):
            name = env.get((section, field.name), "")
            secret = not field.repr
            default = "" if secret else f"`{_toml(getattr(instance, field.name))}`"
            meaning = meanings.get(field.name, "")
            if secret:
                meaning = f"environment only, never in the file: {meaning}"
            rows.append(f"| `[{section}] {field.name}` | {default} | {f'`{name}`' if name else ''} | "
                        f"{_cell(meaning)} |")
    return "\n".join(rows) + "\n"


def exit_codes() -> str:
    """The exit statuses the CLI defines (``EXIT_* = n  # meaning`` in redraft/cli/)."""
    codes: dict[int, str] = {}
    for path in sorted(CLI_DIR.glob("*.py")):
        for match in re.finditer(r"^EXIT_\w+ = (\d+)(?:\s*#\s*(.*))?$", path.read_text(), re.M):
            codes.setdefault(int(match[1]), match[2] or "")
    meanings = {0: "every item gave a draft that passed verification (or the command did its job)"}
    rows = ["| status | meaning |", "| --- | --- |"]
    rows += [f"| {code} | {_cell(meanings.get(code, text))} |" for code, text in sorted(codes.items())]
    return "\n".join(rows) + "\n"


def user_agent() -> str:
    """The User-Agent sent by default, with the version as a placeholder."""
    return config.USER_AGENT.replace("{version}", "<version>")
