"""The recipe: what a stored draft depends on besides its entry. An item is redone when its
recipe changes, so it names everything that changes a draft: the engine and its prompt, the
budget and extraction options, the failure policy, redraft's version, and a digest of the
rules data (boilerplate patterns, verification rules, word lists)."""

from __future__ import annotations

import functools
import hashlib
import importlib.util

from redraft._version import __version__
from redraft.pipeline.policy import Engines, RunOptions

# The modules whose data decides what a draft says or whether it passes: a change in any of
# them redoes every item.
RULE_MODULES = ("redraft.boilerplate", "redraft.verify_rules", "redraft.vocab")


@functools.cache
def rules_digest(modules: tuple[str, ...] = RULE_MODULES) -> str:
    """A short digest of the rule modules' source text (found through the import system, so
    it works the same from a checkout, a wheel or a zip)."""
    digest = hashlib.sha256()
    for name in modules:
        digest.update(name.encode("utf-8") + b"\x00")
        digest.update(_source_of(name) + b"\x00")
    return digest.hexdigest()[:16]


def _source_of(name: str) -> bytes:
    spec = importlib.util.find_spec(name)
    if spec is None or spec.loader is None or not spec.origin:
        return b"missing"
    get_data = getattr(spec.loader, "get_data", None)
    if get_data is None:
        return b"unreadable"
    data: bytes = get_data(spec.origin)
    return data


def recipe(engines: Engines, options: RunOptions) -> str:
    """The recipe of a run's drafts, as one stable string."""
    extract_options = options.extract
    prompt = getattr(getattr(engines.condenser, "prompt", None), "label", "")
    return "|".join((
        engines.condenser.name,
        f"prompt={prompt}" if prompt else "prompt=-",
        options.budget.describe(),
        f"ascii={int(extract_options.ascii_quotes)}",
        f"language={extract_options.language}",
        f"min_words={extract_options.min_words}",
        f"on_fail={engines.on_fail}",
        f"redraft={__version__}",
        f"rules={rules_digest()}",
    ))
