"""The credit line: a story's credit in the article's language (stories/credit.py, vocab's labels)
and every sink rendering the draft's credit (sinks/credit.py): each outlet a link when its URL is
http(s), everything escaped, the entry's own credit as before."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import UTC, datetime
from urllib.parse import unquote

import lxml.html
import pytest
from markdown_it import MarkdownIt

from redraft.records import Article, Block, Budget, Draft, Entry, Verdict
from redraft.sinks.credit import CreditPiece, credit_pieces, line_pieces
from redraft.sinks.files import FileSink, render_md
from redraft.sinks.wp_content import build_payload, credit_html
from redraft.stories.credit import story_credit
from redraft.verify.rules import CREDIT_LINE
from redraft.vocab import CREDIT_LABELS, CREDIT_LIST_WORDS, CREDIT_PLURAL_LABELS

WHEN = datetime(2025, 4, 5, 8, 0, tzinfo=UTC)
FIRST = Entry("wordpress:https://www.harbour.example", "h#1", "https://www.harbour.example/ferry",
              "Ferry back <b>in</b> service", "<p>x</p>", published=WHEN,
              meta={"site": "https://www.harbour.example"})
SECOND = Entry("feed:https://north.example/feed", "n#2", "https://north.example/a_(ferry),1",
               "Ferry returns", "<p>x</p>")
HOSTILE = Entry('<img src=x onerror="alert(1)">', "x#3", "javascript:alert(2)", "Ferry",
                "<p>x</p>")


def verdict_for(entry: Entry, credit: str, language: str = "en") -> Verdict:
    article = Article(entry, (Block("p", "The ferry is back in service."),), language=language)
    draft = Draft(article, ("The ferry is back in service.",), "extractive", Budget(),
                  credit=credit)
    return Verdict(draft, 1.0, True, ())


def html_links(markup: str) -> list[tuple[str, str]]:
    tree = lxml.html.fragment_fromstring(markup, create_parent="div")
    assert not list(tree.iter("img", "script", "b"))
    return [(a.text_content(), a.get("href") or "") for a in tree.iter("a")]


@pytest.mark.parametrize("language", sorted(CREDIT_PLURAL_LABELS))
def test_a_story_credit_is_in_the_article_s_language(language: str) -> None:
    credit = story_credit(FIRST, [SECOND, HOSTILE], language)
    between, last = CREDIT_LIST_WORDS[language]
    assert credit.startswith(CREDIT_PLURAL_LABELS[language] + "harbour.example (" + FIRST.url)
    assert f"{between}north.example ({SECOND.url}){last}" in credit
    assert credit.endswith(f"{HOSTILE.source} ({HOSTILE.url})")
    # a story of one outlet keeps the entry's own credit, in the same language
    assert story_credit(FIRST, [], language) == FIRST.credit(language)
    assert FIRST.credit(language).startswith(CREDIT_LABELS[language])


def test_a_language_without_labels_is_credited_in_english() -> None:
    assert story_credit(FIRST, [SECOND], "xx").startswith("Sources: harbour.example")
    assert " and north.example" in story_credit(FIRST, [SECOND], "xx")
    assert story_credit(FIRST, [SECOND], "es").count(" y ") == 1


def test_the_verifier_reads_every_plural_label_as_a_credit_line() -> None:
    missing = [label for label in CREDIT_PLURAL_LABELS.values()
               if not CREDIT_LINE.match(label + "a.example (https://a.example/x)")]
    assert missing == []


def test_the_verifier_reads_every_singular_label_and_the_english_plural() -> None:
    for label in [*CREDIT_LABELS.values(), "Sources: ", "Fuentes: ", "Sources : "]:
        assert CREDIT_LINE.match(label + "a.example (https://a.example/x)"), label


def test_every_outlet_of_a_story_is_a_link_in_wordpress_and_markdown() -> None:
    verdict = verdict_for(FIRST, story_credit(FIRST, [SECOND, HOSTILE], "fr"), "fr")
    body = credit_html(verdict.draft)
    assert html_links(body) == [("harbour.example", FIRST.url), ("north.example", SECOND.url)]
    text = lxml.html.fragment_fromstring(body, create_parent="div").text_content()
    assert text.startswith("Sources : harbour.example (2025-04-05), north.example et ")
    assert text.endswith(f"{HOSTILE.source} ({HOSTILE.url})")
    content = build_payload(verdict.draft, status="draft").fields["content"]
    assert body in content and "Source :" not in content.replace("Sources :", "")
    body_md = render_md(verdict).split("---\n", 2)[2]  # after the front matter
    links = html_links(MarkdownIt().render(body_md))
    assert [(text, unquote(href)) for text, href in links] == [
        ("harbour.example", FIRST.url), ("north.example", SECOND.url)]


def test_the_txt_sink_writes_the_draft_s_credit_line() -> None:
    credit = story_credit(FIRST, [SECOND], "de")
    stream = io.StringIO()
    FileSink("txt", stream=stream).write(verdict_for(FIRST, credit, "de"))
    assert stream.getvalue().endswith(f"\n\n{credit}\n")
    assert credit.startswith("Quellen: harbour.example") and " und north.example" in credit


def test_the_entry_s_own_credit_links_its_title_with_the_language_s_label() -> None:
    verdict = verdict_for(FIRST, FIRST.credit("es"), "es")
    assert credit_pieces(verdict.draft) == (
        CreditPiece("Fuente: "), CreditPiece(FIRST.title, FIRST.url), CreditPiece(" (2025-04-05)"))
    assert html_links(credit_html(verdict.draft)) == [(FIRST.title, FIRST.url)]
    # no credit stored: the entry's own is shown all the same
    assert credit_pieces(replace(verdict.draft, credit="")) == credit_pieces(verdict.draft)
    # a refused link is text, and no part of it becomes a link
    hostile = verdict_for(HOSTILE, HOSTILE.credit())
    assert html_links(credit_html(hostile.draft)) == []
    assert "javascript:alert(2)" in credit_html(hostile.draft)


def test_an_editor_s_credit_line_links_its_http_urls_only() -> None:
    pieces = line_pieces("Source: Reuters https://reuters.example/a_(b). Also javascript:x "
                         "and data:text/html,<b>")
    assert [p.link for p in pieces if p.link] == ["https://reuters.example/a_(b)"]
    assert "".join(p.text for p in pieces) == ("Source: Reuters https://reuters.example/a_(b). "
                                               "Also javascript:x and data:text/html,<b>")
    verdict = verdict_for(FIRST, "Source: <script>x</script> https://ok.example/")
    assert html_links(credit_html(verdict.draft)) == [("https://ok.example/", "https://ok.example/")]
