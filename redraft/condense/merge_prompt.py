"""The multi-document prompt of ``--merge-story``: several outlets' reports of one story, to be
condensed into one draft by the LLM engine. Data only; :mod:`redraft.pipeline.merging` sends it
through the engine's public API (its ``prompt`` attribute, on a copy of the engine)."""

from __future__ import annotations

import dataclasses

from redraft.condense.prompts import Prompt

NAME = "merge-story"
VERSION = "2026-12-02"  # bumped whenever a text below changes

# Replaces the single-article request; the system rules (say only what the text says) stay.
CONDENSE = (
    "Below are reports of one news story by {title}, written in {language}. Condense them "
    "into one news article of {budget}: the main news first; a fact several reports give "
    "counts most; say each fact once; where the reports give different numbers, give none "
    "of them rather than choose; add nothing that no report says.\n\nReports:\n{article}"
)
# The heading of each report inside {article}.
SOURCE_HEADING = "Report {number} ({outlet}): {title}"
# How {title} names the outlets in the request.
OUTLETS_JOIN = ", "


def merge_prompt(base: Prompt) -> Prompt:
    """``base`` (the engine's prompt: its rules, revisions and hints) asking for one draft
    from several reports; labelled ``merge-story@<version>+<base label>``."""
    return dataclasses.replace(base, name=NAME, version=f"{VERSION}+{base.label}",
                               condense=CONDENSE)
