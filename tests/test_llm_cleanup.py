"""condense/cleanup.py: cleaning an answer (clean), shortening a draft to its budget (fit),
the end of an answer cut off at max_tokens (drop_unfinished); and condense/llm.py's sections;
all from data."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from redraft.condense.cleanup import clean, drop_unfinished, fit
from redraft.condense.llm import sections
from redraft.text import split_sentences

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "llm"
FIT_CASES: list[dict[str, Any]] = json.loads((FIXTURES / "fit.json").read_text("utf-8"))
CLEAN_CASES = json.loads((FIXTURES / "clean.json").read_text("utf-8"))
SECTION_CASES = json.loads((FIXTURES / "sections.json").read_text("utf-8"))


@pytest.mark.parametrize("case", FIT_CASES, ids=[c["id"] for c in FIT_CASES])
def test_fit(case: dict[str, Any]) -> None:
    language = case.get("language", "en")
    got = fit(case["paragraphs"], words=case.get("words"), sentences=case.get("sentences"),
              language=language, source=case.get("source", ()))
    assert list(got) == case["expect"]
    if "words" in case:
        assert sum(len(p.split()) for p in got) <= case["words"]
    if "sentences" in case:
        assert sum(len(split_sentences(p, language)) for p in got) <= case["sentences"]


def test_fit_keeps_sentences_whole_and_in_order() -> None:
    paragraphs = [" ".join(f"Sentence {n} of paragraph {p} has words." for n in range(4))
                  for p in range(3)]
    for words in (6, 20, 35, 60):
        got = fit(paragraphs, words=words)
        every = [s for p in paragraphs for s in split_sentences(p)]
        kept = [s for p in got for s in split_sentences(p)]
        assert kept[0] == every[0] and kept == [s for s in every if s in kept]
        assert sum(len(p.split()) for p in got) <= max(words, 7)  # the lead (7 words) always stays


@pytest.mark.parametrize(("paragraphs", "expect"), [
    (["The bridge closed on Monday. Repairs will take", ], ["The bridge closed on Monday."]),
    (["The bridge closed on Monday.", "Repairs will take until"], ["The bridge closed on Monday."]),
    (["“It had to close,” she said."], ["“It had to close,” she said."]),
    (["It closed!", "Why? Nobody"], ["It closed!", "Why?"]),
    (["Repairs will take"], []),
])
def test_drop_unfinished(paragraphs: list[str], expect: list[str]) -> None:
    assert list(drop_unfinished(paragraphs)) == expect


# --- pure parts, from data ----------------------------------------------------------------------


@pytest.mark.parametrize("case", CLEAN_CASES, ids=[c["id"] for c in CLEAN_CASES])
def test_clean(case: dict[str, Any]) -> None:
    got = clean(case["text"], title=case.get("title", ""),
                ascii_quotes=case.get("ascii_quotes", False))
    assert list(got) == case["expect"]


def _paragraph(spec: int | list[int]) -> str:
    counts = [spec] if isinstance(spec, int) else spec
    return " ".join(" ".join(["Aa"] + ["bb"] * (n - 1)) + "." for n in counts)


@pytest.mark.parametrize("case", SECTION_CASES, ids=[c["id"] for c in SECTION_CASES])
def test_sections(case: dict[str, Any]) -> None:
    paragraphs = [_paragraph(spec) for spec in case["paragraphs"]]
    got = sections(paragraphs, case["limit"])
    assert [[len(piece.split()) for piece in section] for section in got] == case["expect"]
    assert " ".join(p for s in got for p in s).split() == " ".join(paragraphs).split()
