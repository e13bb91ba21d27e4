"""text.py: sentences, safe deletions, tokens, stems and language, from cases in a JSON fixture."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

import pytest

from redraft import text
from redraft.vocab import LANGUAGES

CASES: dict[str, list[dict[str, Any]]] = json.loads(
    (Path(__file__).parent / "fixtures" / "condense" / "text_cases.json").read_text("utf-8")
)


def cases(name: str) -> list[Any]:
    return [pytest.param(case, id=f"{name}-{i}") for i, case in enumerate(CASES[name])]


@pytest.mark.parametrize("case", cases("split_sentences"))
def test_split_sentences(case: dict[str, Any]) -> None:
    sentences = text.split_sentences(case["text"], case["language"])
    assert sentences == case["sentences"]
    assert " ".join(sentences) == case["text"], "a sentence's text must stay as written"


@pytest.mark.parametrize("case", cases("strip_asides"))
def test_strip_asides(case: dict[str, Any]) -> None:
    shortened = text.strip_asides(
        case["text"], dateline=case["dateline"], language=case.get("language", "en")
    )
    assert shortened == case["expected"]
    # A safe deletion: what is left is the original with spans removed, in order.
    remaining = iter(case["text"])
    assert all(char in remaining for char in shortened)


@pytest.mark.parametrize("case", cases("words"))
def test_words(case: dict[str, Any]) -> None:
    assert text.words(case["text"]) == case["words"]


@pytest.mark.parametrize("case", cases("content_terms"))
def test_content_terms(case: dict[str, Any]) -> None:
    assert text.content_terms(case["text"], case["language"]) == case["terms"]


@pytest.mark.parametrize("case", cases("detect_language"))
def test_detect_language(case: dict[str, Any]) -> None:
    assert text.detect_language(case["text"]) == case["language"]


@pytest.mark.parametrize("case", cases("normalise"))
def test_normalise(case: dict[str, Any]) -> None:
    assert text.normalise(case["text"], ascii_quotes=case["ascii"]) == case["expected"]


@pytest.mark.parametrize("case", cases("tidy_spacing"))
def test_tidy_spacing(case: dict[str, Any]) -> None:
    assert text.tidy_spacing(case["text"]) == case["expected"]


@pytest.mark.parametrize("case", cases("paragraphs_of"))
def test_paragraphs_of(case: dict[str, Any]) -> None:
    assert list(text.paragraphs_of(case["text"])) == case["paragraphs"]


@pytest.mark.parametrize(
    ("language", "stop", "back"), [("en", "The", "She"), ("es", "los", "Ella"), ("fr", "Les", "Elle")]
)
def test_every_language_has_its_word_lists(language: str, stop: str, back: str) -> None:
    assert language in LANGUAGES
    assert text.content_stem(stop, language) == ""
    assert stop.lower() in text.stopwords(language)
    assert back.lower() in text.back_references(language)


def test_unknown_languages_fall_back_to_english() -> None:
    assert text.stopwords("xx") == text.stopwords("en")
    assert text.back_references("xx") == text.back_references("en")
    assert text.content_stem("Stations", "xx") == "station"


def test_word_count_shingles_and_numbers() -> None:
    assert text.word_count(" one  two\nthree ") == 3
    assert text.shingles(["a", "b", "c"], 2) == {("a", "b"), ("b", "c")}
    assert text.stem("2020", "en") == "2020"


def test_stemming_is_safe_across_threads() -> None:
    vocabulary = [f"walking{i}" if i % 2 else f"jumping{'s' * (i % 5)}" for i in range(400)]
    expected = {w: text.stem(w.rstrip("0123456789"), "en") for w in vocabulary}
    text.stem.cache_clear()
    text.content_stemmer.cache_clear()
    results: dict[str, str] = {}
    terms: dict[str, str] = {}

    def work(words: list[str]) -> None:
        for word in words:
            results[word] = text.stem(word.rstrip("0123456789"), "en")
            terms[word] = text.content_stem(word.rstrip("0123456789"), "en")

    threads = [threading.Thread(target=work, args=(vocabulary[i::4],)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == expected
    assert terms == expected
