"""The verifier: data-driven cases over the project's own fixtures, plus the shared seed."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest

from redraft.records import Article, Block, Budget, Draft, Entry
from redraft.text import word_count, words_in
from redraft.verify import (
    NO_BUDGET,
    PASS_THRESHOLD,
    draft_from_text,
    verify,
    verify_pairs,
)

FIXTURES = Path(__file__).parent / "fixtures" / "verify"
SOURCES: dict[str, dict[str, Any]] = json.loads((FIXTURES / "sources.json").read_text("utf-8"))
CASES: list[dict[str, Any]] = json.loads((FIXTURES / "cases.json").read_text("utf-8"))
SHARED = Path(__file__).resolve().parent.parent.parent / "shared"
SEEDS = SHARED / "seeds"
WP_POSTS = SHARED / "data" / "wp-posts"


def article(name: str) -> Article:
    spec = SOURCES[name]
    entry = Entry(source="test", key=name, url=spec["url"], title=spec["title"], html="")
    blocks = tuple(Block("p", text) for text in spec["paragraphs"])
    return Article(entry=entry, blocks=blocks, language=spec["language"])


def draft_of(case: dict[str, Any]) -> Draft:
    source = article(case["source"])
    budget = Budget(**case["budget"]) if "budget" in case else NO_BUDGET
    credit = case.get("credit", source.entry.credit())
    return Draft(article=source, paragraphs=tuple(case["draft"]), engine="test", budget=budget,
                 credit=credit)


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_cases(case: dict[str, Any]) -> None:
    verdict = verify(draft_of(case))
    found = [(p.kind, p.sentence) for p in verdict.problems]
    assert verdict.passed is case["passes"], found
    assert 0.0 <= verdict.score <= 1.0
    for flag in case["flags"]:
        assert any(kind == flag["kind"] and flag["sentence"] in sentence for kind, sentence in found), found
    for text in case["clean"]:
        assert not any(text in sentence for _, sentence in found), found


@pytest.mark.parametrize("case", [c for c in CASES if c["passes"]], ids=lambda c: c["id"])
def test_passing_drafts_clear_the_threshold(case: dict[str, Any]) -> None:
    assert verify(draft_of(case)).score >= PASS_THRESHOLD


@pytest.mark.parametrize(
    ("text", "paragraphs", "credit"),
    [
        ("One line.\nTwo line.\nSource: Title https://x.example/?p=1\n", 2, "Source: Title https://x.example/?p=1"),
        ("Un párrafo.\n\nOtro párrafo\nque sigue.\n\nFuente: Título https://x.example\n", 2, "Fuente: Título https://x.example"),
        ("Un paragraphe.\nSource : Titre https://x.example\n", 1, "Source : Titre https://x.example"),
        ("No credit here.\nNor here.\n", 2, ""),
    ],
)
def test_draft_from_text(text: str, paragraphs: int, credit: str) -> None:
    draft = draft_from_text(article("harbour"), text)
    assert len(draft.paragraphs) == paragraphs
    assert draft.credit == credit
    assert draft.engine == "external" and draft.budget == NO_BUDGET


def test_draft_from_text_keeps_the_budget_it_is_given() -> None:
    budget = Budget("sentences", 1)
    draft = draft_from_text(article("harbour"), "Fishermen had warned for years that the wall was unsafe.\n"
                            "Repairs will be carried out by Dunmore Construction.\n", budget=budget)
    assert draft.budget == budget
    assert [p.kind for p in verify(draft).problems] == ["credit", "length"]


def test_pairs_stream_and_skip_credit_and_length() -> None:
    source = "\n".join(SOURCES["port"]["paragraphs"])
    good = SOURCES["port"]["paragraphs"][2]
    wrong = "Selon leur syndicat, 90 bateaux ne peuvent plus accoster."
    items = iter([{"id": "a", "source": source, "summary": good},
                  {"id": "b", "source": source, "summary": wrong}])
    results = verify_pairs(items)
    first = next(results)
    assert first == {"id": "a", "score": 1.0, "passed": True, "problems": []}
    second = next(results)
    assert second["passed"] is False
    assert [p["kind"] for p in second["problems"]] == ["number"]
    assert set(second["problems"][0]) >= {"kind", "sentence", "evidence"}


def test_an_empty_draft_fails() -> None:
    draft = dataclasses.replace(draft_of(CASES[0]), paragraphs=())
    verdict = verify(draft)
    assert verdict.passed is False and verdict.score == 0.0


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the shared seeds are not here")
def test_the_seed_rewrite_fails_for_the_right_reasons() -> None:
    from redraft.config import ExtractOptions
    from redraft.extract import extract
    from redraft.sources.files import FileSource

    (entry,) = list(FileSource([str(SEEDS / "001_a6e7064a90790140.txt")]).entries())
    source = extract(entry, ExtractOptions())  # type: ignore[arg-type]
    text = (SEEDS / "000_0de3942d49ced44d.txt").read_text("utf-8")
    verdict = verify(draft_from_text(source, text))
    assert verdict.passed is False
    problems = verdict.problems
    lines = text.strip().splitlines()
    assert sorted(p.sentence for p in problems if p.kind == "repeated") == sorted(lines[8:15])
    assert any(p.kind == "unsupported" and "consolidated front" in p.sentence for p in problems)
    assert any(p.kind == "credit" for p in problems)
    faithful = [lines[0], *lines[1].split(". "), *lines[5].split(". ")]
    for problem in problems:
        if problem.sentence and problem.kind != "repeated":
            assert not any(problem.sentence.rstrip(".") in line for line in faithful), problem


@pytest.mark.skipif(not WP_POSTS.is_dir(), reason="the shared WordPress posts are not here")
def test_every_extractive_draft_of_the_shared_posts_passes() -> None:
    from redraft.condense.extractive import ExtractiveCondenser
    from redraft.config import ExtractOptions
    from redraft.errors import Rejected
    from redraft.extract import extract
    from redraft.sources.files import FileSource

    failures, drafts = [], 0
    for path in sorted(WP_POSTS.glob("*.json")):
        for entry in FileSource([str(path)]).entries():
            try:
                source = extract(entry, ExtractOptions())  # type: ignore[arg-type]
                draft = ExtractiveCondenser().condense(source, Budget())
            except Rejected:
                continue
            verdict = verify(draft)  # the condenser credits its source itself
            drafts += 1
            if not verdict.passed:
                failures.append((path.name, verdict.problems[:2]))
    assert drafts > 100
    assert not failures, failures[:5]


EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "posts"


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.json")), ids=lambda p: p.stem)
@pytest.mark.parametrize("budget", [Budget(), Budget("words", 60), Budget("sentences", 2)],
                         ids=lambda b: b.describe())
def test_the_library_path_gives_drafts_that_pass(path: Path, budget: Budget) -> None:
    from redraft.condense.extractive import ExtractiveCondenser
    from redraft.extract import extract
    from redraft.sources.files import FileSource

    (entry,) = list(FileSource([str(path)]).entries())
    draft = ExtractiveCondenser().condense(extract(entry), budget)  # type: ignore[arg-type]
    verdict = verify(draft)
    assert verdict.passed, verdict.problems
    assert draft.credit == entry.credit(draft.article.language)  # type: ignore[union-attr]


def _ja_verdict(sentence: str, language: str = "ja") -> Any:
    from redraft.records import Article, Block, Budget, Draft, Entry

    entry = Entry(source="s", key="k", url="https://news.example/1", title="工場", html="")
    source = "トヨタの社長は火曜日、新しい工場を名古屋に建設すると発表した。投資額は3000億円になる。"
    article = Article(entry=entry, blocks=(Block("p", source),), language=language)
    return verify(Draft(article=article, paragraphs=(sentence,), engine="x", budget=Budget(value=1.0),
                        prompt=None, credit=entry.credit(language)))


def test_japanese_names_numbers_and_scales_are_checked() -> None:
    assert _ja_verdict("投資額は３０００億円になる。").passed  # full-width digits, same number
    assert [p.kind for p in _ja_verdict("投資額は4000億円になる。").problems] == ["number"]
    assert [p.kind for p in _ja_verdict("投資額は3000万円になる。").problems] == ["number"]
    named = _ja_verdict("ホンダの社長は火曜日、新しい工場を名古屋に建設すると発表した。")
    assert [p.kind for p in named.problems] == ["name"]  # a katakana name the source lacks


def test_a_language_without_negation_words_is_scored_as_less_certain() -> None:
    checked = _ja_verdict("社長は火曜日、工場を名古屋に建設すると発表した。")
    unchecked = _ja_verdict("社長は火曜日、工場を名古屋に建設すると発表した。", language="und")
    assert checked.passed and not unchecked.passed
    assert unchecked.score < checked.score
    assert [p.kind for p in unchecked.problems] == ["unchecked"]
    assert "negation (no negation rules for an undetermined language)" in unchecked.problems[0].detail


def test_a_japanese_quotation_must_be_verbatim() -> None:
    from redraft.records import Article, Block, Budget, Draft, Entry

    entry = Entry(source="s", key="k", url="https://news.example/2", title="発言", html="")
    article = Article(entry=entry, blocks=(Block("p", "社長は「工場を名古屋に建設する」と述べた。"),),
                      language="ja")
    changed = Draft(article=article, paragraphs=("社長は「工場を東京に建設する」と述べた。",),
                    engine="x", budget=Budget(value=1.0), prompt=None, credit=entry.credit("ja"))
    problems = verify(changed).problems
    assert [p.kind for p in problems] == ["quote", "unchecked"]
    # 東京 is a name the source lacks, but Japanese kanji have no capitals to tell it by.
    assert "names (東, 京" in problems[1].detail


def test_source_key_lookups_match_the_joined_key() -> None:
    """has_key and count_key make only some paragraphs' keys, yet answer as the joined key does."""
    from redraft.verify.source import _Source
    from redraft.verify.words import _key

    paragraphs = ["The mayor said the bridge opens in May.", "Ο ΔΡΟΜΟΣ. Roads close; the bridge opens.",
                  "--", "The bridge opens in May, the mayor said.",
                  "Harbour councillors questioned the engineers about the bridge."]
    source = _Source(paragraphs, "en")
    probes = ["the bridge opens", "bridge opens in may", "the mayor", "ο δρομοσ", "ο δρομος",
              "opens the mayor", "--", "", "roads close the bridge", "May, the mayor said",
              # the last paragraph holds its longest words, not the key
              "the engineers questioned harbour councillors", "questioned the engineers"]
    for probe in probes:
        key = _key(probe)
        assert source.has_key(key) == (key in source.key), probe
        assert source.count_key(key) == source.key.count(key), probe
    assert source.count_key(_key("the bridge opens")) == 3


def test_cut_sentences_are_found_past_sentences_holding_their_longest_words() -> None:
    """A sentence holding a key's longest words but not the key is keyed for nothing and passed
    over: the negation a cut drops, and the source sentence an aside is cut from, are found."""
    from redraft.verify.source import _Source
    from redraft.verify.words import _key

    paragraphs = ["Rescuers searched the flooded valley for survivors on Sunday. No survivors of the "
                  "flooded valley were found.",
                  "Volunteers searched the flooded valley for survivors (and pets) on Monday, the army "
                  "said. Volunteers (mostly farmers) swept the flooded valley roads for survivors."]
    source = _Source(paragraphs, "en")
    cut = "Survivors of the flooded valley were found."
    assert source.has_key(_key(cut)) and source.drops_negation(_key(cut), cut)
    kept = "No survivors of the flooded valley were found."
    assert not source.drops_negation(_key(kept), kept)
    shortened = _key("Volunteers swept the flooded valley roads for survivors.")
    assert not source.has_key(shortened) and source.has_shortened(shortened)
    assert not source.has_shortened(_key("Volunteers searched the flooded valley roads for survivors."))


def test_a_paragraph_key_made_from_its_lower_cased_line_is_its_key() -> None:
    """A source paragraph's key is made from its line of the lower-cased Lines: the same key as
    the paragraph's own, whatever the script, case, spacing or line breaks."""
    from redraft.verify.source import _Source
    from redraft.verify.words import Lines, _key

    paragraphs = ["The Mayor SAID the bridge opens in May.", "ΟΔΟΣ ΚΛΕΙΣΤΗ. Ο ΔΡΟΜΟΣ ΑΝΟΙΓΕΙ",
                  "İSTANBUL'da köprü açıldı; İzmir'de DEĞİL.", "東京で新しい橋が開通した。",
                  "สะพานใหม่เปิดแล้ว วันนี้", "Straße  GROSS\u00a0 Ärger ", "", "--",
                  "Ǆemal Ǉubić and ǋ", "line\nbreak Inside", "ﬁnal ﬂow Ω Å", "Москва — ГОРОД"]
    lines = Lines([p.lower() for p in paragraphs])
    assert [lines.line(n) for n in range(len(paragraphs))] == [p.lower() for p in paragraphs]
    source = _Source(paragraphs, "en")
    for number, paragraph in enumerate(paragraphs):
        assert source._paragraph_key(number) == _key(paragraph), paragraph
    assert source.key == "".join(map(_key, paragraphs))


def test_a_paragraph_holds_telling_words_as_its_lower_cased_text_does() -> None:
    """_holds_telling searches the lower-cased line already made for a paragraph given
    normalised, and lower-cases any other: both answer as the general rule (every word in the
    normalised paragraph, lower-cased), whatever the script, case or spacing."""
    from redraft.verify.source import _holds_all, _Source

    paragraphs = ["The Mayor SAID the bridge opens in May.", "ΟΔΟΣ ΚΛΕΙΣΤΗ. Ο ΔΡΟΜΟΣ ΑΝΟΙΓΕΙ",
                  "İSTANBUL'da köprü açıldı; İzmir'de DEĞİL.", "東京で新しい橋が開通した。",
                  "สะพานใหม่เปิดแล้ว วันนี้", "Straße  GROSS\u00a0 Ärger ", "  padded text ", "",
                  "Ǆemal Ǉubić and ǋ", "line\nbreak Inside", "ﬁnal ﬂow Ω Å"]
    source = _Source(paragraphs, "en")
    probes = [[], [""], ["the", "mayor"], ["may", "bridge", "opens"], ["οδοσ"], ["οδος", "δρομος"],
              ["δρομοσ", "ανοιγει"], ["istanbul"], ["i̇stanbul'da", "değil"], ["izmir"],
              ["東京", "橋"], ["สะพาน", "วันนี้"], ["straße", "gross"], ["gross ärger"],
              ["gross  ärger"], ["padded"], ["ǆemal", "ǉubić"], ["ǌ"], ["break", "inside"],
              ["ﬁnal", "ω", "å"], ["final"], ["missing"]]
    for number, paragraph in enumerate(paragraphs):
        for words in probes:
            expected = _holds_all(source.paragraph(number), words)
            assert source._holds_telling(number, words) == expected, (paragraph, words)


@pytest.mark.parametrize(("title", "url", "language"), [
    ("Harbour wall to be rebuilt", "https://news.example/harbour", "en"),
    ("Talks with the U.S.", "https://news.example/u.s.", "en"),
    ("Crisis... again,", "", "fr"),
    ("", "https://news.example/a-b_c?d=1.5", "es"),
    ("ΝΕΟΣ ΔΡΟΜΟΣ", "https://news.example/δρομος", "el"),
    ("Новый мост — открыт", "https://news.example/most", "ru"),
    ("«Le pont», dit-il", "https://news.example/pont", "fr"),
    ("--", "", "en"),
    ("新しい橋が開通", "https://news.example/hashi", "ja"),
])
def test_the_credit_an_engine_writes_names_its_source(title: str, url: str, language: str) -> None:
    """The expected credit line holds its title's or link's words, so it needs no keys (the
    shortcut of _credit); another credit is still checked, and fails naming neither."""
    from redraft.verify.draft import _credit, _names_source

    entry = Entry(source="test", key="k", url=url, title=title, html="")
    expected = entry.credit(language)
    assert _names_source(expected, entry)
    source = Article(entry=entry, blocks=(Block("p", "The harbour wall will be rebuilt."),),
                     language=language)
    draft = Draft(article=source, paragraphs=("The harbour wall will be rebuilt.",), engine="test",
                  budget=NO_BUDGET, credit=expected)
    assert _credit(draft) == []
    other = dataclasses.replace(draft, credit="Source: another outlet entirely")
    assert [p.kind for p in _credit(other)] == ([] if title.strip("-") == "" and not url else ["credit"])


def test_form_places_sentences_by_their_words_and_cut_asides() -> None:
    """A draft sentence is placed at the first source sentence it is, is with an aside cut, or
    is a run of; a reworded one nowhere."""
    from redraft.verify.form import _Order

    source = ["MADRID — The council met on Monday to vote on the budget for next year.",
              "The budget (the largest yet) passed by nine votes to four. The mayor praised it.",
              "The budget passed by nine votes to four, officials said."]
    order = _Order(source, "en")
    assert order.place("The council met on Monday to vote on the budget for next year.") == 0
    assert order.place("the BUDGET passed by nine votes to four") == 1  # the aside cut, case aside
    assert order.place("The mayor praised it!") == 2
    assert order.place("passed by nine votes") == 1  # a run: the first sentence holding it
    assert order.place("officials said") == 3
    assert order.place("The mayor criticised it.") is None


def test_a_refrain_may_be_said_as_often_as_the_source_says_it() -> None:
    """A sentence the source says twice may come twice in a draft; a third time it repeats."""
    refrain = "Stay safe and stay home tonight."
    paragraphs = ["Storms reach the coast after dark, the weather office said.", refrain,
                  "Roads along the shore will close at eight.", refrain]
    entry = Entry(source="test", key="storm", url="https://news.example/storm", title="Storm", html="")
    source = Article(entry=entry, blocks=tuple(Block("p", p) for p in paragraphs), language="en")

    def repeated(draft: list[str]) -> list[str]:
        verdict = verify(Draft(article=source, paragraphs=tuple(draft), engine="test",
                               budget=NO_BUDGET, credit=entry.credit()))
        return [p.sentence for p in verdict.problems if p.kind == "repeated"]

    assert repeated(paragraphs) == []
    twice = [paragraphs[0], f"{refrain} {paragraphs[2]}", refrain]
    assert repeated(twice) == []
    assert repeated([*twice, refrain]) == [refrain]


def test_words_in_counts_each_paragraph_as_word_count_does_asked_once_or_again() -> None:
    """A draft's words are counted once and kept (the length check, the store and the output
    ask one after another): the count is the paragraphs' word counts, however often asked."""
    drafts = [(), ("",), ("One two three.", "Four five."), ("東京で会議が開かれた。", "Paris a dit « non »."),
              ("ประเทศไทยมีฝนตกหนัก", "…", "“Quoted” — words, 1,000 of them"), ("a  b\tc\nd",)]
    for paragraphs in drafts:
        expected = sum(word_count(paragraph) for paragraph in paragraphs)
        assert words_in(paragraphs) == expected
        assert words_in(list(paragraphs)) == expected  # any iterable
        assert words_in(iter(paragraphs)) == expected
        assert words_in(paragraphs) == expected  # counted before: the same
