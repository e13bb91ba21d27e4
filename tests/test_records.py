"""records.py: the typed records and their small derived values."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
from datetime import UTC, datetime

import pytest

from redraft.records import (
    Article,
    Block,
    Budget,
    Draft,
    Entry,
    Usage,
    encodable,
    encoded,
    has_unspaced,
)
from redraft.vocab import UNSPACED_CHARS


def entry(**changes: object) -> Entry:
    fields: dict[str, object] = {
        "source": "file:x.json", "key": "https://a.example#1", "url": "https://a.example/?p=1",
        "title": "Dam opens", "html": "<p>The dam opened.</p>",
        "published": datetime(2025, 1, 2, 23, 30, tzinfo=UTC),
    }
    fields.update(changes)
    return Entry(**fields)  # type: ignore[arg-type]


def test_entry_is_frozen_and_its_meta_read_only() -> None:
    item = entry(meta={"tags": ["x"]})
    with pytest.raises(AttributeError):
        item.title = "other"  # type: ignore[misc]
    with pytest.raises(TypeError):
        item.meta["tags"] = []  # type: ignore[index]


@pytest.mark.parametrize(
    ("changes", "same"),
    [({}, True), ({"html": "<p>The dam closed.</p>"}, False), ({"title": "Dam shut"}, False),
     ({"meta": {"a": 1}, "url": "https://b"}, True)],
)
def test_content_hash_follows_title_and_body_only(changes: dict[str, object], same: bool) -> None:
    assert (entry().content_hash == entry(**changes).content_hash) is same


@pytest.mark.parametrize(
    ("changes", "credit"),
    [({}, "Source: Dam opens https://a.example/?p=1 (2025-01-02)"),
     ({"url": "", "published": None}, "Source: Dam opens"),
     ({"title": "", "url": "", "published": None}, "")],
)
def test_credit_line(changes: dict[str, object], credit: str) -> None:
    assert entry(**changes).credit() == credit


def test_article_lead_skips_headings_and_counts_words() -> None:
    article = Article(entry(), (Block("h", "Big news"), Block("p", "One two three."),
                                Block("li", "Four five")))
    assert article.lead == "One two three."
    assert article.words == 7
    assert article.paragraphs == ("Big news", "One two three.", "Four five")


@pytest.mark.parametrize(
    ("budget", "source_words", "target", "label"),
    [(Budget(), 1000, 200, "ratio=0.35,max=200"), (Budget.asked("ratio", 0.5), 3, 2, "ratio=0.5"),
     (Budget.asked("ratio", 0.5), 1000, 500, "ratio=0.5"),
     (Budget("words", 120), 1000, 120, "words=120"), (Budget("sentences", 3), 1000, None,
                                                       "sentences=3")],
)
def test_budget_targets(budget: Budget, source_words: int, target: int | None, label: str) -> None:
    assert budget.target_words(source_words) == target
    assert budget.describe() == label


@pytest.mark.parametrize(("kind", "value"), [("ratio", 0.0), ("ratio", 1.5), ("words", 0),
                                             ("sentences", 2.5)])
def test_bad_budgets_are_refused(kind: str, value: float) -> None:
    with pytest.raises(ValueError, match="budget"):
        Budget(kind, value)  # type: ignore[arg-type]


def test_draft_text_words_and_usage_sum() -> None:
    article = Article(entry(), (Block("p", "a b c d"),))
    draft = Draft(article, ("One two.", "Three."), "extractive")
    assert draft.text == "One two.\n\nThree."
    assert (Usage(3, 4) + Usage(1, 1)).total_tokens == 9


def test_the_credit_label_follows_the_article_language() -> None:
    item = entry()
    assert item.credit("es").startswith("Fuente: ")
    assert item.credit("fr").startswith("Source : ")
    assert item.credit("ja").startswith("出典: ")
    assert item.credit("xx").startswith("Source: ")  # no label listed: English's


_TEXTS = ["", "plain ascii " * 200, "Caf\u00e9 \u201cquoted\u201d \u2014 na\u00efve " * 100,
          "\u6771\u4eac\u3067\u4f1a\u8b70\u3002" * 300, "\u0e1b\u0e23\u0e30\u0e40\u0e17\u0e28 " * 300,
          "emoji \U0001f600 nul \x00 and \x1f " * 100, "a lone \ud800 surrogate " * 100, "\udfff",
          "short \u00e9", "x" * 1023 + "\u00e9", "x" * 1024 + "\u00e9"]


@pytest.mark.parametrize("text", _TEXTS)
def test_encoded_is_the_texts_utf8_however_often_asked(text: str) -> None:
    """What :func:`encoded` gives (kept or not) is what an encode writes, or None for a lone
    surrogate; other texts asked for in between, equal or not, get their own."""
    try:
        want: bytes | None = text.encode("utf-8")
    except UnicodeEncodeError:
        want = None
    for _ in range(2):
        assert encoded(text) == want
        assert encodable(text) is (want is not None)
        for other in _TEXTS:  # more than are kept, some of them equal strings
            copy = "".join(list(other))
            assert encoded(copy) == encoded(other) == (
                other.encode("utf-8") if "\ud800" not in other and other != "\udfff" else None)
        assert encoded(text) == want


@pytest.mark.parametrize("html", _TEXTS)
def test_content_hash_is_the_digest_of_the_title_and_body(html: str) -> None:
    """The hash over the kept bytes is the hash over the surrogate-passing encode."""
    item = entry(html=html, title="T\u00edtulo \ud800")
    digest = hashlib.sha256(item.title.encode("utf-8", "surrogatepass") + b"\x00"
                            + html.encode("utf-8", "surrogatepass")).hexdigest()[:32]
    encoded(html)  # kept before it is asked for, or not
    assert item.content_hash == digest
    assert entry(html="".join(list(html)), title=item.title).content_hash == digest


def test_has_unspaced_answers_every_code_point_as_the_class() -> None:
    """has_unspaced searches the Chinese and Japanese class only from the first character
    that may be of a script without spaces: every code point of the Basic Multilingual Plane
    (surrogates too) and some beyond, alone and among other scripts' letters and punctuation,
    is answered as one search of the class says."""
    unspaced = re.compile(f"[{UNSPACED_CHARS}]")
    for code in [*range(0x10000), 0x10000, 0x1F600, 0x20000, 0x2A6DF, 0x10FFFF]:
        char = chr(code)
        for text in ("", char, f"Жд {char}", f"{char} д\u2014", f"ภา\u2116 д{char}", f"é—{char}…"):
            assert has_unspaced(text) == (unspaced.search(text) is not None), hex(code)


def test_with_valid_text_replaces_lone_surrogates_in_meta_of_every_json_kind() -> None:
    """Numbers, true, false and null are told apart before the mapping check: an entry whose
    meta holds only them and valid text is kept as it is; a lone surrogate anywhere (a nested
    value, a key) is replaced and the scalars beside it kept."""
    meta = {"tags": [1, 2, 3], "ratio": 0.5, "sticky": False, "parent": None,
            "author": {"id": 7, "name": "Zoë 中文"}, "pair": (1, "a")}
    clean = entry(meta=meta)
    assert clean.with_valid_text() is clean
    for bad in ({"note": "a\ud800b"}, {"x": [1, {"\udfff": True}]}, {"y": (None, ["\ud83d"])}):
        fixed = entry(meta={**meta, **bad}).with_valid_text()
        assert fixed.meta["tags"] == [1, 2, 3] and fixed.meta["sticky"] is False
        assert fixed.meta["parent"] is None and fixed.meta["ratio"] == 0.5
        text = json.dumps(dict(fixed.meta), ensure_ascii=False)
        assert "\ufffd" in text and text.encode("utf-8")  # no lone surrogate left to fail it


def test_article_words_are_counted_once_and_anew_for_a_copy() -> None:
    """The count is kept after the first ask; a copy with other blocks counts its own, and the
    kept count takes no part in equality or the repr."""
    blocks = (Block("h", "Dam opens"), Block("p", "The dam opened at noon."), Block("p", "中文字"),
              Block("p", "Seven words", words=7), Block("p", ""))
    article = Article(entry(), blocks)
    fresh = Article(entry(), blocks)
    assert article.words == 2 + 5 + 3 + 7 == article.words
    assert article == fresh and repr(article) == repr(fresh)
    shorter = dataclasses.replace(article, blocks=blocks[:2])
    assert shorter.words == 7 and article.words == 17
