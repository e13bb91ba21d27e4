"""condense/prompts.py: the templates render with the fields they document, say what the issue
asks of a condensation, and cover every kind of problem the verifier reports."""

from __future__ import annotations

import dataclasses
import re
import string
from typing import Any, get_args

import pytest

from redraft.condense.prompts import (
    CONDENSE,
    LANGUAGE_NAMES,
    PROMPTS,
    UNNAMED_LANGUAGE,
    Prompt,
    get_prompt,
    language_name,
)
from redraft.errors import ConfigError
from redraft.records import ProblemKind

# The fields each template may use (and must: a template that ignores its article is a bug).
FIELDS = {
    "condense": {"budget", "language", "title", "article"},
    "section": {"budget", "language", "title", "article", "part", "parts", "lead"},
    "combine": {"budget", "language", "drafts"},
    "revise": {"budget", "problems"},
    "revise_alone": {"budget", "language", "draft", "problems"},
    "problem": {"sentence", "hint"},
    "evidence": {"evidence"},
}

# What the rules must ask for, whatever the wording (case-insensitive patterns).
RULES = [
    r"only what the article says",
    r"no opinion",
    r"word for word",
    r"lead first",
    r"one paragraph per line",
    r"no title",
    r"no introduction",
    r"no source or credit",
    r"never repeat",
    r"article's language",
]


def fields_of(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("prompt", PROMPTS.values(), ids=list(PROMPTS))
@pytest.mark.parametrize("template", sorted(FIELDS))
def test_templates_use_exactly_their_fields(prompt: Prompt, template: str) -> None:
    text = getattr(prompt, template)
    assert fields_of(text) == FIELDS[template]
    rendered = text.format(**{name: f"<{name}>" for name in FIELDS[template]})
    assert all(f"<{name}>" in rendered for name in FIELDS[template])


@pytest.mark.parametrize("rule", RULES)
def test_the_system_prompt_states_each_rule(rule: str) -> None:
    assert re.search(rule, CONDENSE.system, re.IGNORECASE), rule


@pytest.mark.parametrize("prompt", PROMPTS.values(), ids=list(PROMPTS))
def test_every_problem_kind_has_a_hint(prompt: Prompt) -> None:
    assert set(prompt.hints) == set(get_args(ProblemKind))
    assert all(hint.strip() for hint in prompt.hints.values())


def test_prompts_are_named_and_versioned() -> None:
    assert get_prompt("condense") is CONDENSE
    assert re.fullmatch(r"condense@\d{4}-\d{2}-\d+", CONDENSE.label)
    assert all(prompt.name == name for name, prompt in PROMPTS.items())
    with pytest.raises(ConfigError, match="unknown LLM prompt 'nope'; the prompts are: condense"):
        get_prompt("nope")


# Each prompt version's digest (Prompt.digest). A wording changed without a new version fails
# here: give the prompt a new version and add its line (a store tells drafts apart by version).
DIGESTS = {
    "condense@2026-12-1": "f043db6e2d5a8786",
    "condense@2026-12-2": "e482a2f1003df841",  # hints for the form problem kinds
    "condense@2026-12-3": "f2cfa2423766d4c7",  # a hint for "unchecked" (verifier, issue 11)
}


@pytest.mark.parametrize("prompt", PROMPTS.values(), ids=list(PROMPTS))
def test_each_prompt_text_is_pinned_to_its_version(prompt: Prompt) -> None:
    assert prompt.label in DIGESTS, f"{prompt.label} is not in DIGESTS: add its digest"
    assert prompt.digest == DIGESTS[prompt.label], (
        f"the text of {prompt.label} changed (digest {prompt.digest}): bump its version")


@pytest.mark.parametrize("name", [f.name for f in dataclasses.fields(Prompt)])
def test_the_digest_covers_every_text(name: str) -> None:
    value = getattr(CONDENSE, name)
    changed: Any
    if name == "hints":
        changed = {**value, "number": value["number"] + " Check."}
    elif name == "stop":
        changed = (*value, "\nEnd")
    else:
        changed = value + "!"
    altered = dataclasses.replace(CONDENSE, **{name: changed})
    if name == "version":
        assert altered.digest == CONDENSE.digest and altered.label != CONDENSE.label
    else:
        assert altered.digest != CONDENSE.digest


def test_every_language_the_identifier_returns_has_a_name() -> None:
    from redraft.text.lang import known_languages

    assert known_languages() <= set(LANGUAGE_NAMES)
    assert language_name("vi") == "Vietnamese" and language_name("pt-BR") == "Portuguese"
    assert language_name("und") == language_name("xx") == UNNAMED_LANGUAGE
    assert all(name and name[0].isupper() for name in LANGUAGE_NAMES.values())
