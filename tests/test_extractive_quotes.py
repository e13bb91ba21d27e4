"""condense/extractive.py: quotations the budget cannot hold whole, or the source never closes.

A quotation is kept whole or closed where the draft stops quoting, never left open: an editor
quoting part of a statement closes the quotation after the part kept, and only when the part
kept still names who speaks.
"""

from __future__ import annotations

import pytest

from redraft.condense.extractive import ExtractiveCondenser
from redraft.records import Article, Block, Budget, Entry
from redraft.text import split_sentences
from redraft.text.discourse import closing_mark, marked, quote_marks
from redraft.verify import verify


def article(paragraphs: list[str], language: str = "en") -> Article:
    entry = Entry(source="test", key="quotes", url="https://example.org/q", title="Q", html="")
    return Article(entry, tuple(Block("p", p) for p in paragraphs), language=language)


def problems(paragraphs: tuple[str, ...], source: Article, budget: Budget) -> list[str]:
    """What the verifier finds in the draft (form and faithfulness), once it is ``paragraphs``."""
    draft = ExtractiveCondenser().condense(source, budget)
    assert draft.paragraphs == paragraphs
    return [f"{p.kind}: {p.detail}" for p in verify(draft).problems]


# The lead opens a quotation, introduced by a colon, that runs over three sentences.
MAYOR = [
    "The mayor was blunt about the bridge on Monday: “The old span will close for a whole year. "
    "Nobody in this town likes that, least of all me. But the steel is worn out.”",
    "Ferries will carry commuters across the river from the first of the month.",
    "The new span is to be built by a firm from the north of the county.",
]


@pytest.mark.parametrize(("count", "kept"), [
    (1, "The mayor was blunt about the bridge on Monday: “The old span will close for a whole year.”"),
    (2, "The mayor was blunt about the bridge on Monday: “The old span will close for a whole year. "
        "Nobody in this town likes that, least of all me.”"),
])
def test_a_lead_quotation_too_long_for_the_budget_is_cut_after_a_sentence_and_closed(
        count: int, kept: str) -> None:
    """The draft quotes the lead's first sentences and closes the quotation there: as many
    sentences as the budget holds, balanced, the speaker named where the quotation opens."""
    source = article(MAYOR)
    assert problems((kept,), source, Budget("sentences", count)) == []


def test_a_lead_quotation_that_fits_is_kept_whole() -> None:
    source = article(MAYOR)
    draft = ExtractiveCondenser().condense(source, Budget("sentences", 3))
    assert draft.paragraphs[0] == MAYOR[0]


def test_a_cut_quotation_is_never_continued_later_in_the_draft() -> None:
    """Once closed after its first sentence, the quotation's rest is not picked: it would close
    a quotation a second time."""
    source = article(MAYOR)
    draft = ExtractiveCondenser().condense(source, Budget("sentences", 2))
    assert "Nobody in this town" not in " ".join(draft.paragraphs[1:])
    assert len([s for p in draft.paragraphs for s in split_sentences(p, "en")]) <= 2


def test_a_quotation_whose_close_names_the_speaker_is_not_cut() -> None:
    """“…,” its chair said: cutting before the close would drop the speaker, so the lead gives
    way to the next whole unit instead."""
    source = article([
        "The ferry company said on Monday that its pier would close: “We have no choice left. "
        "The timbers are rotten through,” its chair said.",
        *MAYOR[1:],
    ])
    draft = ExtractiveCondenser().condense(source, Budget("sentences", 1))
    assert draft.paragraphs == (MAYOR[1],)


def test_a_quotation_without_an_introduction_is_not_cut() -> None:
    """A quotation opening the sentence names nobody before it: cut short, it would be a bare
    claim, so the lead gives way to the next whole unit."""
    source = article([
        "“The old span will close for a whole year, and ferries will replace it. "
        "The steel is worn out beyond repair,” the mayor of the town told reporters.",
        *MAYOR[1:],
    ])
    draft = ExtractiveCondenser().condense(source, Budget("sentences", 1))
    assert draft.paragraphs == (MAYOR[1],)


def test_a_quotation_the_source_never_closes_is_closed_where_its_paragraph_ends() -> None:
    """The source leaves the quotation open at its paragraph's end and never reopens it: the
    draft may keep it, closed there, rather than lose the paragraph."""
    source = article([
        "The council met again on Tuesday to discuss the closure of the harbour road.",
        "Its leader said afterwards: “We have heard the traders and we will listen. "
        "The road stays open until the summer.",
        "The traders' association welcomed the delay in a short statement.",
    ])
    kept = ("Its leader said afterwards: “We have heard the traders and we will listen. "
            "The road stays open until the summer.”")
    assert problems((source.blocks[0].text, kept), source, Budget("sentences", 3)) == []


def test_an_unintroduced_quotation_the_source_never_closes_is_still_dropped() -> None:
    source = article([
        "The council met again on Tuesday to discuss the closure of the harbour road.",
        "“We have heard the traders and we will listen to every one of them today. "
        "The road stays open until the summer.",
        "The traders' association welcomed the delay in a short statement.",
    ])
    draft = ExtractiveCondenser().condense(source, Budget("sentences", 3))
    assert draft.paragraphs == (source.blocks[0].text, source.blocks[2].text)


@pytest.mark.parametrize(("sentence", "language", "mark"), [
    ("He was blunt: “We will rebuild the pier.", "en", "”"),
    ("The coach said, \"We will win this game.", "en", "\""),
    ("河北易县一位官员表示：“由于一体化的效应，闲置的也多。", "zh", "”"),
    ("Er sagte: „Wir bauen die Brücke neu.", "de", "“"),
    ("Powiedział: „Zbudujemy most.", "pl", "”"),
    ("Ella explicó: «Vamos a reconstruir el puente.", "es", "»"),
    ("“We will rebuild the pier.", "en", ""),  # nobody introduces it
    ("She called it “insane.", "en", ""),  # no colon, no attribution word before it
    ("He is 6'2\" tall and said: fine.", "en", ""),  # an inch mark opens nothing
    ("He said: “We will rebuild.” Then he left.", "en", ""),  # closed: nothing to close
])
def test_closing_mark(sentence: str, language: str, mark: str) -> None:
    assert closing_mark(sentence, language) == mark


def test_a_quotation_run_on_into_the_next_paragraph_is_not_closed_early() -> None:
    """The source runs the quotation into its next paragraph without a reopening mark and closes
    it there: the draft must not close it at the first paragraph's end (the rest would read as
    the writer's words, with a stray closing mark)."""
    source = article([
        "The mayor was blunt about the bridge on Monday: “The old span will close for a whole "
        "year. Nobody in this town likes that at all.",
        "The steel under the deck is worn out and has been for years.” The council voted to "
        "spend the reserve on ferries for the commuters.",
        "The new span is to be built by a firm from the north of the county.",
    ])
    for count in (1, 2, 3, 4):
        draft = ExtractiveCondenser().condense(source, Budget("sentences", count))
        assert not any(p.endswith("at all.”") for p in draft.paragraphs), (count, draft.paragraphs)
        assert [p.kind for p in verify(draft).problems if p.kind == "unbalanced"] == []


def test_marked_says_which_texts_hold_a_quotation_mark() -> None:
    texts = ["He said “yes”.", "No quote here.", "«Oui»", "「はい」", 'A "plain" one.', "It's fine."]
    assert marked(texts) == [True, False, True, True, True, False]
    assert marked(texts) == [quote_marks(text) for text in texts]
