"""Extraction: data-driven cases over fixtures the project wrote (tests/fixtures/extract/)."""

from __future__ import annotations

import dataclasses
import importlib
import json
import random
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import trafilatura

from redraft import boilerplate as bp
from redraft.config import ExtractOptions
from redraft.errors import NotAnArticle, NoText, Protected, Rejected, TooShort
from redraft.extract import MAX_HTML_CHARS, extract
from redraft.records import Article, Entry
from redraft.text import spaceless, word_count
from redraft.text.discourse import JUNK_MAX_CHARS, JUNK_MAX_WORDS, junk
from redraft.text.duplicates import (
    _BLANKS,
    duplicate_key,
    latin1_duplicate_key,
    spaced_duplicate_key,
)

FIXTURES = Path(__file__).parent / "fixtures" / "extract"
CASES: list[dict[str, Any]] = json.loads((FIXTURES / "cases.json").read_text(encoding="utf-8"))
EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "posts"
WP_POSTS = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "wp-posts"

TAG = re.compile(r"</?[a-zA-Z][^>]*>|<!--")
ENTITY = re.compile(r"&(?:[a-zA-Z][a-zA-Z0-9]*|#[0-9]+|#x[0-9a-fA-F]+);")
SHORTCODE = re.compile(r"\[/[a-z][a-z0-9_-]*\]|\[[a-z][a-z0-9_-]*\s[^\]]*=[^\]]*\]")
REJECTIONS = {"not-an-article": NotAnArticle, "no-text": NoText, "too-short": TooShort}


def entry_for(html: str, *, title: str = "", key: str = "test#1") -> Entry:
    return Entry(source="test", key=key, url="https://example.org/p/1", title=title, html=html)


def run_case(case: dict[str, Any]) -> Article:
    html = (FIXTURES / case["fixture"]).read_text(encoding="utf-8")
    options = ExtractOptions(**case.get("options", {}))
    return extract(entry_for(html, title=case.get("title", "")), options)


def case_id(case: dict[str, Any]) -> str:
    options = ",".join(f"{k}={v}" for k, v in case.get("options", {}).items())
    fixture: str = case["fixture"]
    return fixture.removesuffix(".html") + (f"[{options}]" if options else "")


def leftovers(texts: list[str], *, literal_entities: bool = False) -> list[str]:
    """Output texts that still hold a tag, an entity or a shortcode."""
    found = []
    for text in texts:
        patterns = (TAG, SHORTCODE) if literal_entities else (TAG, ENTITY, SHORTCODE)
        found += [match.group(0) for pattern in patterns for match in pattern.finditer(text)]
    return found


ARTICLE_CASES = [case for case in CASES if "rejected" not in case]
REJECTED_CASES = [case for case in CASES if "rejected" in case]


@pytest.mark.parametrize("case", ARTICLE_CASES, ids=case_id)
def test_article_keeps_body_and_drops_plugins(case: dict[str, Any]) -> None:
    article = run_case(case)
    body = "\n".join(article.paragraphs)
    everything = body + "\n" + "\n".join(article.captions)
    assert article.lead.startswith(case["lead"])
    for snippet in case.get("must_contain", []):
        assert snippet in body, snippet
    for snippet in case.get("must_not_contain", []):
        assert snippet not in everything, snippet
    for paragraph in case.get("paragraphs", []):
        assert paragraph in article.paragraphs, paragraph
    if "blocks" in case:
        assert len(article.blocks) == case["blocks"], article.paragraphs
    if "language" in case:
        assert article.language == case["language"]


@pytest.mark.parametrize("case", [c for c in ARTICLE_CASES if "captions" in c], ids=case_id)
def test_captions_are_kept_apart(case: dict[str, Any]) -> None:
    article = run_case(case)
    assert list(article.captions) == case["captions"]
    for caption in case["captions"]:
        assert all(caption not in paragraph for paragraph in article.paragraphs)


@pytest.mark.parametrize("case", [c for c in ARTICLE_CASES if "kinds" in c or "order" in c],
                         ids=case_id)
def test_block_kinds_and_reading_order(case: dict[str, Any]) -> None:
    article = run_case(case)
    for snippet, kind in case.get("kinds", {}).items():
        kinds = [block.kind for block in article.blocks if snippet in block.text]
        assert kinds == [kind], (snippet, kinds)
    positions = [next(i for i, text in enumerate(article.paragraphs) if snippet in text)
                 for snippet in case.get("order", [])]
    assert positions == sorted(positions)


@pytest.mark.parametrize("case", ARTICLE_CASES, ids=case_id)
def test_no_leftover_markup_and_no_repeats(case: dict[str, Any]) -> None:
    article = run_case(case)
    texts = list(article.paragraphs) + list(article.captions)
    assert leftovers(texts, literal_entities=case.get("literal_entities", False)) == []
    keys = [" ".join(text.casefold().split()) for text in article.paragraphs]
    assert len(keys) == len(set(keys))
    assert all(text == text.strip() and "  " not in text for text in texts)


@pytest.mark.parametrize("case", REJECTED_CASES, ids=case_id)
def test_rejections_are_named(case: dict[str, Any]) -> None:
    with pytest.raises(REJECTIONS[case["rejected"]]) as caught:
        run_case(case)
    assert caught.value.reason == case["rejected"]
    assert caught.value.key == "test#1"
    assert caught.value.source == "test"
    assert caught.value.detail


@pytest.mark.parametrize(
    ("html", "rejection"),
    [
        ("", NoText),
        ("   \n ", NoText),
        ("<!-- wp:paragraph --><p></p><!-- /wp:paragraph -->", NoText),
        ("<script>var words = 'many words here';</script><style>p{}</style>", NoText),
        ("<p>" + "word " * (MAX_HTML_CHARS // 5) + "</p>", NotAnArticle),
        ("<div>" * 3000 + "text lost in the depths" + "</div>" * 3000, NotAnArticle),
    ],
    ids=["empty", "blank", "empty-blocks", "only-scripts", "too-large", "too-deep"],
)
def test_degenerate_input_is_rejected_not_crashed(html: str, rejection: type[Rejected]) -> None:
    with pytest.raises(rejection):
        extract(entry_for(html), ExtractOptions(min_words=1))


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("<p>bad \ud800 surrogate and a \x00 null</p>", "bad surrogate and a null"),
        ('<?xml version="1.0" encoding="utf-8"?><p>declared text</p>', "declared text"),
        ("<p>one <b>two <i>three", "one two three"),
        ("plain text with no tags at all", "plain text with no tags at all"),
        ("<p>a &lt; b and c &gt; d</p>", "a < b and c > d"),
        ("<p>x<o:p></o:p> y <w:sdt>z</w:sdt><?php echo 1; ?></p>", "x y z"),
        ("<p>Name<span>Surname</span></p><p><span>End.</span><span>Next</span></p>",
         "Name Surname"),
        ("<p><span class='dropcap'>T</span>he drop cap joins its word</p>",
         "The drop cap joins its word"),
    ],
    ids=["surrogate-null", "xml-declaration", "unclosed", "no-tags", "escaped-angles",
         "office-tags", "glued-spans", "drop-cap"],
)
def test_awkward_html_gives_clean_text(html: str, expected: str) -> None:
    article = extract(entry_for(html), ExtractOptions(min_words=1))
    assert article.paragraphs[0] == expected


def test_deep_nesting_within_the_parser_limit_is_read_flat() -> None:
    html = "<div>" * 400 + "deep words still count" + "</div>" * 400 + "<p>after the pile</p>"
    article = extract(entry_for(html), ExtractOptions(min_words=1))
    assert article.paragraphs == ("deep words still count", "after the pile")


def test_protected_entry_is_rejected() -> None:
    entry = dataclasses.replace(entry_for("<p>secret</p>"), meta={"protected": True})
    with pytest.raises(Protected):
        extract(entry)


def test_whole_page_falls_back_to_the_body_when_trafilatura_finds_nothing(
        monkeypatch: pytest.MonkeyPatch) -> None:
    case = next(c for c in CASES if c["fixture"] == "whole_page.html")
    monkeypatch.setattr(trafilatura, "extract", lambda *args, **kwargs: None)
    article = run_case(case)
    body = "\n".join(article.paragraphs)
    assert article.lead.startswith(case["lead"])
    assert all(snippet in body for snippet in case["must_contain"])
    assert not [snippet for snippet in case["must_not_contain"] if snippet in body]


def test_fragment_never_goes_through_trafilatura(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("trafilatura called on a fragment")

    monkeypatch.setattr(trafilatura, "extract", refuse)
    for case in ARTICLE_CASES:
        if case["fixture"] != "whole_page.html":
            run_case(case)


# --- the bundled examples and, when present, the shared development data -------------------

def example_posts() -> Iterator[Path]:
    return iter(sorted(EXAMPLES.glob("*.json")))


def wp_entry(item: dict[str, Any], key: str) -> Entry:
    return Entry(source="test", key=key, url=item.get("link", ""),
                 title=item.get("title", {}).get("rendered", ""),
                 html=item["content"]["rendered"])


@pytest.mark.parametrize("path", list(example_posts()), ids=lambda p: p.stem)
def test_examples_extract_cleanly(path: Path) -> None:
    item = json.loads(path.read_text(encoding="utf-8"))
    article = extract(wp_entry(item, path.stem))
    texts = list(article.paragraphs) + list(article.captions)
    assert 400 <= article.words <= 900
    assert article.captions
    assert {block.kind for block in article.blocks} >= {"p", "quote"}
    assert leftovers(texts) == []
    body = " ".join(article.paragraphs)
    for plugin_text in ("reading time", "Tiempo estimado de lectura", "Temps de lecture", "Share",
                        "Compartir", "Partager", "Related", "relacionad", "lire aussi",
                        "Advertisement", "Publicidad", "Publicité", "newsletter", "boletín",
                        "infolettre", "How did this story", "Qué te ha parecido",
                        "Comment avez-vous trouvé", "Informed", "Hopeful", "Esperanzadora",
                        "Indignante", "Rassurant", "Révoltant"):
        assert plugin_text not in body, (path.name, plugin_text)


def test_examples_cover_three_languages() -> None:
    languages = sorted(extract(wp_entry(json.loads(p.read_text(encoding="utf-8")), p.stem)).language
                       for p in example_posts())
    assert languages == ["en", "en", "en", "es", "fr"]


@pytest.mark.skipif(not WP_POSTS.is_dir(), reason="shared development data not present")
def test_shared_wp_posts_give_articles_or_named_rejections() -> None:
    outcomes: dict[str, int] = {}
    for path in sorted(WP_POSTS.glob("*.json")):
        item = json.loads(path.read_text(encoding="utf-8"))
        try:
            article = extract(wp_entry(item, path.name))
        except Rejected as rejected:
            assert rejected.reason in ("no-text", "too-short", "not-an-article"), path.name
            outcomes[rejected.reason] = outcomes.get(rejected.reason, 0) + 1
            continue
        assert leftovers(list(article.paragraphs) + list(article.captions)) == [], path.name
        outcomes["ok"] = outcomes.get("ok", 0) + 1
    assert outcomes.get("ok", 0) > 0.8 * sum(outcomes.values())


def test_a_link_in_one_br_paragraph_counts_once_not_per_line() -> None:
    link = "https://example.org/" + "reports/2024/annual-water-quality-report-for-the-district" * 2
    lines = [
        "The district water board published its annual report on Thursday, a month late.",
        f'The full report is on <a href="{link}">the water board\'s website, under reports '
        "and then the annual water quality section</a>.",
        "Nitrate levels fell at eleven of the fourteen sampling sites along the river.",
        "The board said a new filter at the Elmbrook works would be running by the autumn.",
        "Campaigners welcomed the figures but said two sites still failed the national limit.",
    ]
    html = "<div>" + "<br><br>".join(lines) + "</div>"
    article = extract(entry_for(html))
    assert len(article.blocks) == len(lines)


_LONG_ATTRIBUTES = "&lt;b title=&quot;" + "x" * 600 + "&quot;&gt;bold&lt;/b&gt;"


@pytest.mark.parametrize(
    "html",
    [
        '<p>Look &lt;img src=x alt="&lt;" onerror=alert(1)&gt; here at the picture.</p>',
        f"<p>Look {_LONG_ATTRIBUTES} here at the picture.</p>",
        "<p>Look &lt;script&gt;alert(1)&lt;/script&gt; here &lt;!-- note --&gt;at the picture.</p>",
    ],
    ids=["angle-in-attribute", "long-attributes", "script-and-comment"],
)
def test_escaped_markup_is_stripped_by_the_parser(html: str) -> None:
    text = extract(entry_for(html), ExtractOptions(min_words=1)).paragraphs[0]
    assert "<" not in text and "onerror" not in text and "alert" not in text
    assert text.startswith("Look") and text.endswith("at the picture.")


def test_an_escaped_empty_document_in_a_paragraph_is_no_text_not_a_crash() -> None:
    html = ("<p>&lt;html&gt;&lt;/html&gt;</p><p>An empty document still shows as a blank page.</p>"
            "<p>&lt;!DOCTYPE html&gt;&lt;html&gt;&lt;body&gt;Hello&lt;/body&gt;&lt;/html&gt;</p>")
    article = extract(entry_for(html), ExtractOptions(min_words=1))
    assert article.paragraphs == ("An empty document still shows as a blank page.", "Hello")


def test_white_space_and_a_wrapper_around_a_fragment_change_nothing() -> None:
    body = "<p>The harbour wall fell on Monday.</p>Then <b>Rain</b> came."
    bare = extract(entry_for(body), ExtractOptions(min_words=1))
    spaced = extract(entry_for(f"\n  {body}\n"), ExtractOptions(min_words=1))
    assert bare.blocks == spaced.blocks
    assert bare.paragraphs == ("The harbour wall fell on Monday.", "Then Rain came.")


@pytest.mark.parametrize(
    "junk",
    ["https://example.org/a/very/long/link?with=query", "[12]", "Photo: Ana Ruiz / Agencia",
     "Smith, J. (2019). On harbours. Coastal Review, 4(2), 10-20.", "© 2021 Harbour Press"],
)
def test_paragraphs_that_are_no_prose_are_dropped(junk: str) -> None:
    html = (f"<p>The harbour wall fell on Monday night after the storm.</p><p>{junk}</p>"
            "<p>Repairs will start next month, the council said.</p>")
    article = extract(entry_for(html), ExtractOptions(min_words=1))
    assert article.paragraphs == ("The harbour wall fell on Monday night after the storm.",
                                  "Repairs will start next month, the council said.")


@pytest.mark.parametrize("raw", [
    "  one\ttwo\u00a0three  four\n", "a\u200bb  c", "“Quoted” — dash … end", "x", "[gallery] left words",
])
@pytest.mark.parametrize("ascii_quotes", [False, True])
def test_a_cleaned_texts_spaces_count_its_words(raw: str, ascii_quotes: bool) -> None:
    module = importlib.import_module("redraft.extract")  # the module, not the function
    cleaned = module._clean_text(raw, ascii_quotes)
    assert cleaned
    assert module._spaced_word_count(cleaned) == word_count(cleaned)


def test_no_plugin_name_or_word_spans_white_space() -> None:
    """What lets _named judge an element's class and id names one by one (_name_verdict): a
    rule that spanned two names would match their string and neither name."""
    pieces = [piece for plugin in bp.PLUGINS for piece in (*plugin.names, *plugin.words)]
    assert pieces
    assert not [piece for piece in pieces if re.search(r"\s|\\s", piece)]


@pytest.mark.parametrize("names", [
    "sharedaddy sd-sharing-enabled", "entry-content post-share-buttons", "Screen-Reader-Text sharedaddy",
    "wp-caption-text sharedaddy", "wp-caption-text sr-only", "tag-sharing category-social entry",
    "elementor-element elementor-element-3f2a1b4 elementor-widget-text-editor", "", "  hidden  ",
    "jp-relatedposts", "post_tag-x related-posts", "ssba ssba-wrap", "reading-time-min", "plain words",
])
def test_names_are_judged_one_by_one_as_the_whole_string_was(names: str) -> None:
    module = importlib.import_module("redraft.extract")
    lowered = names.lower()
    tokens = set(lowered.split())
    whole = ("drop" if tokens & bp.HIDDEN_NAMES else "caption" if tokens & bp.CAPTION_NAMES
             else "generic" if bp.name_rule(lowered) or bp.word_rule(module._POST_CLASS.sub(" ", lowered))
             else None)
    assert module._named(names) == whole


@pytest.mark.parametrize("html", [
    "<p>plain</p>\n\t\r", "<p>bell\x07 and nul\x00</p>", "<p>del\x7f é ü “q”</p>", "<p>lone \ud800 x</p>",
    "<p>\x1f\x0b\x0c\x0e</p>", "",
])
def test_controls_are_removed_as_the_pattern_removes_them(html: str) -> None:
    module = importlib.import_module("redraft.extract")
    assert module._without_controls(html) == module._CONTROL.sub("", html)


# --- duplicate keys of Latin-1 text (the blocks' repeat check) -----------------------------------

def _general_key(text: str) -> tuple[str, ...]:
    return tuple(text.casefold().translate(_BLANKS).split())


@pytest.mark.parametrize("text", [
    "", " ", "ß", "µ", "Straße STRASSE", "ÀÉÎÕÜ àéîõü ÿ Ÿ", "a_b c-d", "ª º ² ³ ¹ ¼ ½ ¾",
    "\x85\xa0\x1c", "“¿Qué?” —dijo… ‘sí’", "İstanbul ıI", "ΣΊΣΥΦΟΣ ς", "ﬁn ﬂor", "日本語 テキスト",
    "ไทยภาษา", "Cafe\u0301 naïve", "\u200bzero\u2009thin\u3000wide", "l’été «à» 1,5 %",
    "x" * 40 + "µ", "\ud800 lone",
])
def test_spaced_duplicate_key_is_the_general_rule(text: str) -> None:
    assert spaced_duplicate_key(text) == _general_key(text)


def test_spaced_duplicate_key_is_the_general_rule_on_random_text() -> None:
    rnd = random.Random(23)
    alphabet = [chr(c) for c in range(0x250)] + list(
        "“”‘’—–…ßµẞſﬁİıΣσςŒœ\u0301\u200b\u2009\u3000日ไ_") + ["\ud800"]
    for _ in range(3000):
        size = rnd.randrange(30)
        for pool in (alphabet, alphabet[:256]):
            text = "".join(rnd.choice(pool) for _ in range(size))
            assert spaced_duplicate_key(text) == _general_key(text), repr(text)


def test_latin1_duplicate_key_is_the_key_of_a_spaced_text() -> None:
    """Extraction takes a Latin-1 key's text as spaced without asking :func:`spaceless`."""
    rnd = random.Random(5)
    alphabet = [chr(c) for c in range(0x180)] + list("“”‘’—–…日本ไทยກ\u1000ក한\u0301")
    texts = ["", "Qué “sí” — no…", "日本", "ไทย “x”", "a\u2019b"]
    texts += ["".join(rnd.choice(alphabet) for _ in range(rnd.randrange(25)))
              for _ in range(5000)]
    for text in texts:
        key = latin1_duplicate_key(text)
        if key is not None:
            assert not spaceless(text), repr(text)
            assert key == duplicate_key(text) == _general_key(text), repr(text)


@pytest.mark.parametrize("words", [1, 28, 29, 30, 31, 59])
@pytest.mark.parametrize("space", [" ", "\t", "\u3000", "  ", "\xa0", "\u2009"])
def test_junk_word_bound_as_a_full_split(words: int, space: str) -> None:
    """junk splits no further than its bound: the answer is the full split's."""
    text = "[1]" + space + space.join(["ab"] * words) + space
    assert len(text) <= JUNK_MAX_CHARS
    expected = "reference" if len(text.split()) <= JUNK_MAX_WORDS else ""
    assert junk(text) == expected
