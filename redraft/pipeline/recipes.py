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
# them redoes every item. Each is named with the places it has lived (the first found counts).
RULE_MODULES: tuple[tuple[str, ...], ...] = (
    ("redraft.boilerplate",),
    ("redraft.verify.rules", "redraft.verify_rules"),
    ("redraft.vocab",),
)


@functools.cache
def rules_digest(modules: tuple[tuple[str, ...], ...] = RULE_MODULES) -> str:
    """A short digest of the rule modules' source text (found through the import system, so
    it works the same from a checkout, a wheel or a zip)."""
    digest = hashlib.sha256()
    for names in modules:
        name, source = rule_source(names)
        digest.update(name.encode("utf-8") + b"\x00" + source + b"\x00")
    return digest.hexdigest()[:16]


def rule_source(names: tuple[str, ...]) -> tuple[str, bytes]:
    """The first of ``names`` that can be imported, with its source text.

    Raises:
        LookupError: none of them exists, or its source cannot be read (a test catches it).
    """
    for name in names:
        try:
            spec = importlib.util.find_spec(name)
        except ModuleNotFoundError:  # its parent is not a package (yet, or any more)
            continue
        if spec is None or spec.origin is None:
            continue
        get_data = getattr(spec.loader, "get_data", None)
        if get_data is not None:
            data: bytes = get_data(spec.origin)
            return name, data
    raise LookupError(f"no readable rules module among {', '.join(names)}")


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
