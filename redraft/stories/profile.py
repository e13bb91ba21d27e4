"""What an article says, reduced to what stories are compared on: terms, names and numbers.

A :class:`Profile` is small, plain data (so the store can keep it as JSON) and is computed once
per article. Terms are Snowball stems of the title and the lead with stop words dropped; names
are the capitalised words of the body that do not open a sentence; numbers are written numbers
of two characters or more. Rarity weights come from :class:`DocumentFrequencies`, kept
incrementally as articles arrive.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from itertools import repeat

from redraft.records import Article
from redraft.text import content_stemmer, spaceless, split_sentences, words
from redraft.text.tokens import spaced_words

LEAD_WORDS = 120  # the lead carries the who/what/when; later paragraphs drift to background
TITLE_REPEAT = 2  # a headline term counts twice: the headline is the story's own summary
MIN_NUMBER_CHARS = 2  # "3" is everywhere (three people, 3 p.m.); "84" or "2.5" tells a story

_NUMBER = re.compile(r"^\d+(?:[.,]\d+)*$")


@dataclass(frozen=True, slots=True)
class Profile:
    """An article's story-relevant content.

    Attributes:
        terms: stem -> count over the title (repeated) and the lead.
        names: lower-case names (capitalised words not opening a sentence) of the lead.
        numbers: numbers written in the title and lead, separators dropped.
        published: when the article appeared (None when the source does not say).
    """

    terms: Mapping[str, int]
    names: frozenset[str] = frozenset()
    numbers: frozenset[str] = frozenset()
    published: datetime | None = None

    def to_json(self) -> dict[str, object]:
        """Plain data for storage; :meth:`from_json` reads it back."""
        return {"terms": dict(self.terms), "names": sorted(self.names),
                "numbers": sorted(self.numbers),
                "published": self.published.isoformat() if self.published else None}

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> Profile:
        """The profile :meth:`to_json` wrote."""
        terms = data.get("terms")
        names = data.get("names")
        numbers = data.get("numbers")
        published = data.get("published")
        return cls(
            terms={str(k): int(v) for k, v in terms.items()} if isinstance(terms, dict) else {},
            names=frozenset(str(n) for n in names) if isinstance(names, list) else frozenset(),
            numbers=frozenset(str(n) for n in numbers) if isinstance(numbers, list) else frozenset(),
            published=datetime.fromisoformat(published) if isinstance(published, str) else None,
        )


def lead_text(article: Article) -> str:
    """The first :data:`LEAD_WORDS` words of the body, whole paragraphs, headings skipped."""
    taken: list[str] = []
    count = 0
    for block in article.blocks:
        if block.kind == "h" or not block.text:
            continue
        spaces = block.text.count(" ")
        if count + spaces + 1 > LEAD_WORDS:  # the words of the joined text: only the last cut
            kept = LEAD_WORDS - count  # the rest of the paragraph is not split
            taken.append(" ".join(block.text.split(" ", kept)[:kept]))
            break
        taken.append(block.text)
        count += spaces + 1
        if count == LEAD_WORDS:
            break
    return " ".join(taken)


@dataclass(frozen=True, slots=True)
class Reading:
    """An article's profile, with the lead it read and the lead's words (None for a lead in a
    script written without spaces, whose words depend on the text around them)."""

    profile: Profile
    lead: str
    lead_words: list[str] | None


def profile_of(article: Article) -> Profile:
    """The profile of an article, from its title and its lead."""
    return read(article).profile


def read(article: Article) -> Reading:
    """The profile of an article, with what it read (the signature reuses the lead's words)."""
    language = article.language
    term = content_stemmer(language)
    title = article.entry.title
    lead = lead_text(article)
    spaced = not spaceless(lead)
    # A sentence of a lead written with spaces is written with spaces: its words are found
    # without looking through it for other scripts again (a search, and an encode that fails
    # on a curly quote, a sentence; so is the title's, once: 0.03-0.15% of a run's instructions).
    split_words = spaced_words if spaced else words
    sentences = [split_words(sentence) for sentence in split_sentences(lead, language)]
    title_spaced = not spaceless(title)
    title_words = spaced_words(title) if title_spaced else words(title)
    # Sentences part at white space, where no word continues: their words are the lead's,
    # unless the lead is in a script written without spaces (the word breaker reads across).
    lead_words = [w for tokens in sentences for w in tokens] if spaced else words(lead)
    # Counted in C, stop words ("") and digits too, which are then dropped: the order of the
    # stems kept (title first, then the lead, as each first appears) is the same.
    counts = Counter(map(term, title_words * TITLE_REPEAT + lead_words))
    terms = {stem: count for stem, count in counts.items() if stem and not stem.isdigit()}
    # Joined by a space, the title and lead split into the same words as apart, unless a script
    # written without spaces (where the splitter reads across) is in either.
    both = (title_words + lead_words if spaced and title_spaced
            else words(f"{title} {lead}"))
    numbers = frozenset(  # \d is a decimal digit: a word opening with another is no number
        word.replace(",", "").rstrip(".") for word in both
        if len(word) >= MIN_NUMBER_CHARS and word[0].isdecimal() and _NUMBER.match(word)
    )
    profile = Profile(terms=terms, names=_names(sentences, term), numbers=numbers,
                      published=article.entry.published)
    return Reading(profile, lead, lead_words if spaced else None)


def names_in(text: str, language: str = "en") -> frozenset[str]:
    """Lower-case capitalised words that do not open a sentence (``Powell``, ``NATO``)."""
    sentences = [words(sentence) for sentence in split_sentences(text, language)]
    return _names(sentences, content_stemmer(language))


def _names(sentences: Iterable[list[str]], term: Callable[[str], str]) -> frozenset[str]:
    """The names in sentences' words: capitalised, not the first, not a stop word (``term``
    gives a stop word no stem)."""
    return frozenset(token.lower() for tokens in sentences for token in tokens[1:]
                     if token[0].isupper() and not token.isdigit() and term(token))


@dataclass(slots=True)
class DocumentFrequencies:
    """How many articles so far used each term: rarity weights kept as articles arrive.

    Attributes:
        documents: articles counted.
        counts: term -> articles that used it.
    """

    documents: int = 0
    counts: dict[str, int] = field(default_factory=dict)

    def add(self, terms: Iterable[str]) -> None:
        """Count one more article with these (distinct) terms."""
        self.documents += 1
        counts = self.counts
        for term in set(terms):
            counts[term] = counts.get(term, 0) + 1

    def idf(self, term: str) -> float:
        """Smoothed inverse document frequency: ``log((1 + N) / (1 + df)) + 1``."""
        return math.log((1 + self.documents) / (1 + self.counts.get(term, 0))) + 1.0

    def idfs(self, terms: Iterable[str]) -> dict[str, float]:
        """:meth:`idf` of each term, in one pass (a placement weighs a thousand at a time).

        The weight depends on the term's count alone, and most terms share a few counts (0, 1,
        2, ...): each count's is worked out once (``math.log`` parses its arguments as a tuple,
        ~900 instructions a call), the same float; the terms' 128M to 97M instructions.
        """
        names = list(terms)
        found = list(map(self.counts.get, names, repeat(0)))
        top, log = 1 + self.documents, math.log
        weights = {count: log(top / (1 + count)) + 1.0 for count in set(found)}
        return dict(zip(names, map(weights.__getitem__, found), strict=True))
