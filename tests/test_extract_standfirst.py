"""A whole page's standfirst (its description, shown above the article body) is part of the
article; a site-wide blurb, a description the page does not show, or one the body already
holds is not added."""

from __future__ import annotations

import html

import pytest

from redraft.extract import extract
from redraft.records import Entry

TITLE = "Harbour ferries return to the winter timetable"
LEAD = ("The Kestrel Bay ferry operator cuts crossings to six a day from Monday, citing fewer "
        "passengers and the cost of fuel for the harbour ferries.")
TAGLINE = "Independent journalism from the coast since 1921, every morning and every evening."
BLURB = "Award-winning independent reporting, trusted by readers and funded by subscribers."
BODY = [
    "From Monday the harbour ferries will sail six times a day instead of nine, the operator "
    "said on Thursday, returning to the timetable it used before the summer season began.",
    "The operator said passenger numbers on the harbour ferries fell by a third after the "
    "school holidays, while the cost of fuel rose for the fourth month in a row this year.",
    "Commuters who cross to Port Ellery before eight in the morning will keep their two early "
    "boats, but the last crossing back will now leave at seven in the evening, not at ten.",
    "The council's transport committee is to discuss the cuts at its meeting next week, where "
    "residents of the island have asked to be heard before any further change is made.",
]


def page(*, description: str, shown: str = "", in_header: str = "", body: list[str] = BODY) -> str:
    paragraphs = "".join(f"<p>{html.escape(p)}</p>" for p in body)
    teaser = f'<div class="article-teaser">{html.escape(shown)}</div>' if shown else ""
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>{TITLE} | Coast Courier</title>
<meta name="description" content="{html.escape(description)}">
<meta property="og:description" content="{html.escape(description)}">
</head><body>
<header class="masthead"><p class="tagline">{html.escape(in_header)}</p>
<nav><a href="/">Home</a> <a href="/local/">Local</a></nav></header>
<div class="layout"><div class="sidebar"><div class="kicker">Transport</div>
<h1>{TITLE}</h1>{teaser}<p class="date">4 December 2026</p></div>
<main><article><div class="entry-content">{paragraphs}</div></article></main></div>
<footer><p>Coast Courier, 12 Quay Street. All rights reserved.</p></footer>
</body></html>"""


def paragraphs(document: str) -> tuple[str, ...]:
    entry = Entry(source="test", key="test#1", url="https://courier.example/ferries",
                  title=TITLE, html=document)
    return extract(entry).paragraphs


def test_a_shown_standfirst_leads_the_article() -> None:
    got = paragraphs(page(description=LEAD, shown=LEAD))
    assert got[0] == LEAD
    assert got[1:] == tuple(BODY)


def test_without_the_rule_the_main_content_misses_it() -> None:
    """The page is one where the standfirst sits outside the main content."""
    got = paragraphs(page(description=LEAD))
    assert LEAD not in got and got == tuple(BODY)


@pytest.mark.parametrize("case", ["tagline in the page header", "blurb beside the article",
                                  "not shown", "already in the body", "too short"])
def test_no_standfirst_is_added(case: str) -> None:
    if case == "tagline in the page header":
        document = page(description=TAGLINE, in_header=TAGLINE)
        expected = tuple(BODY)
    elif case == "blurb beside the article":  # shown, but about nothing the article says
        document = page(description=BLURB, shown=BLURB)
        expected = tuple(BODY)
    elif case == "not shown":
        document = page(description=LEAD)
        expected = tuple(BODY)
    elif case == "already in the body":
        document = page(description=BODY[0], shown=BODY[0])
        expected = tuple(BODY)
    else:
        document = page(description="Ferries cut to six a day.",
                        shown="Ferries cut to six a day.")
        expected = tuple(BODY)
    assert paragraphs(document) == expected
