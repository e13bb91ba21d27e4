"""The quality gate: every score of tests/eval_gate.py within its bound in tests/gate/baseline.json.

A change that lowers extraction, condensation, verification or draft quality on the gate's own
corpus below a floor (or raises a defect share above a ceiling) fails here. Moving a bound is a
reviewed edit of the baseline file (``python tests/eval_gate.py --propose`` prints today's).
"""

from __future__ import annotations

import json
from pathlib import Path

import lxml.html
import pytest

from tests.eval_gate import (
    GATE,
    GateError,
    Result,
    broken,
    edited,
    evaluate,
    load_articles,
    load_baseline,
    load_json,
    rouge_n,
)

BASELINE = load_baseline()
EDIT_KINDS = {"number", "name", "invented", "negation", "repeated", "credit"}


@pytest.fixture(scope="module")
def result() -> Result:
    return evaluate()


@pytest.mark.parametrize("name", sorted(BASELINE))
def test_score_is_within_its_bound(result: Result, name: str) -> None:
    section = name.split(".", maxsplit=1)[0]
    notes = "\n".join(note for note in result.notes if note.startswith(section))
    assert not broken({name: result.scores[name]}, {name: BASELINE[name]}), notes


def test_every_score_has_a_bound_and_every_bound_a_score(result: Result) -> None:
    assert sorted(result.scores) == sorted(BASELINE)


def test_a_broken_bound_is_reported() -> None:
    bounds = {"a": {"min": 0.9}, "b": {"max": 0.1}, "c": {"min": 0.5}, "gone": {"min": 0.1}}
    problems = broken({"a": 0.89, "b": 0.11, "c": 0.5, "new": 1.0}, bounds)
    assert problems == ["a = 0.8900, below its floor 0.9000", "b = 0.1100, above its ceiling 0.1000",
                        "gone: in the baseline but no longer measured",
                        "new: measured but has no bound in baseline.json"]


def test_rouge_n_counts_clipped_unicode_word_overlap() -> None:
    # Reference 5 words, candidate 4; "la" overlaps twice (clipped at the reference's two), "niña"
    # once: P 3/4, R 3/5, F1 2/3. Accents and case do not split or change words.
    assert rouge_n("La niña comió la fruta", "la LA la Niña", 1) == pytest.approx(2 / 3)
    assert rouge_n("un deux trois", "un deux quatre", 2) == pytest.approx(0.5)
    assert rouge_n("un deux", "trois", 1) == 0.0


# --- the corpus is what the gate says it is ------------------------------------------------------

def page_text(path: Path) -> str:
    words = " ".join(str(text) for text in lxml.html.fromstring(path.read_bytes()).itertext())
    return " ".join(words.split())


@pytest.mark.parametrize("page", load_json("pages.json")["pages"], ids=lambda page: page["file"])
def test_every_snippet_is_on_its_page(page: dict[str, list[str]]) -> None:
    """A must-not snippet absent from the page could never fail; a must snippet absent could
    never pass."""
    text = page_text(GATE / "pages" / str(page["file"]))
    missing = [s for s in [*page["must"], *page["must_not"]] if " ".join(s.split()) not in text]
    assert missing == []


def test_articles_cover_three_languages_at_news_length() -> None:
    articles = load_articles()
    assert len(articles) >= 12
    assert {a.language for a in articles} == {"en", "es", "fr"}
    for item in articles:
        assert 300 <= item.article.words <= 700, item.id
        assert 2 <= len(item.reference.split(". ")) <= 3, item.id
        assert {edit["kind"] for edit in item.unfaithful} == EDIT_KINDS, item.id


def test_every_edit_changes_its_draft() -> None:
    for item in load_articles():
        for edit in item.unfaithful:
            draft = edited(item, edit)
            before = item.faithful[edit["base"]]
            assert draft.paragraphs != before or not draft.credit, (item.id, edit)


def test_an_edit_that_does_not_apply_is_a_corpus_error() -> None:
    item = load_articles()[0]
    with pytest.raises(GateError, match="is not in draft 0 once"):
        edited(item, {"kind": "number", "base": 0, "replace": ["no such words", "x"]})


def test_baseline_bounds_are_one_sided() -> None:
    raw = json.loads((GATE / "baseline.json").read_text(encoding="utf-8"))["bounds"]
    for name, bound in raw.items():
        assert ("min" in bound) != ("max" in bound), name
        assert ("max" in bound) == name.startswith("publishable."), name
