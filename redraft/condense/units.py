"""The article's sentences and the units they form: which must be read with which.

The reading, the quotation marks followed through the article and the units the extractive
engine picks whole (see :mod:`redraft.condense.extractive`, "Sentences" and "Units").
"""

from __future__ import annotations

from collections.abc import Callable, Container
from dataclasses import dataclass

from redraft.records import Article
from redraft.text import (
    attributes,
    content_stemmer,
    junk,
    points_back,
    quote_flow,
    signpost,
    spaceless,
    split_sentences,
    strip_asides,
    strip_dateline,
    unattributed_quote,
    word_count,
    words,
)
from redraft.text.discourse import closing_mark, marked
from redraft.text.segment import foreign_middle
from redraft.text.tokens import folded_spaced_words, spaced_words

# A "sentence" with fewer words than this is a dateline, byline or caption stub, not a statement.
MIN_SENTENCE_WORDS = 5
# Sentences read per article: the longest real articles have a few hundred, and the lead bias
# leaves later ones almost no score; past this, a "post" is a dump, and the work stays bounded.
MAX_SENTENCES = 3000
# An unpunctuated sentence of fewer words of letters than this is a label, not a sentence.
_LABEL_WORDS = 2 * MIN_SENTENCE_WORDS
# A unit of more sentences than this (a long quotation, a long list) is too long to condense.
MAX_UNIT_SENTENCES = 6

_REOPEN = "\"“«„"  # a quotation running over paragraphs reopens each with one of these
# Closing punctuation (Chinese and Japanese full-width marks too), then quotes or brackets.
_TERMINAL_MARKS = ".!?…:;。！？：；"
_CLOSING_MARKS = "\"'”’»)]」』）"


def _ended(sentence: str) -> bool:
    r"""Whether the sentence ends in closing punctuation, then maybe quotes or brackets, then
    maybe white space (``[.!?…:;。！？：；]["'”’»)\]」』）]*\s*$``), told from its end: that
    pattern's search tries a match at each of its marks (the full stop of "Sept." too); 3.6M
    instructions fewer over 150 Spanish and French posts, 3.8M over 145 in six languages."""
    end = sentence.rstrip().rstrip(_CLOSING_MARKS)  # rstrip's white space is the pattern's \s
    return end != "" and end[-1] in _TERMINAL_MARKS


@dataclass(slots=True)
class Sentence:
    """One sentence of the article as the engine reads it, and what it needs of its neighbours."""

    index: int  # position among the article's sentences
    block: int  # the source block it came from
    kind: str  # the source block's kind: "p", "li", "quote", "h"
    text: str
    words: int
    statement: bool  # enough words to say something: may be ranked
    usable: bool  # not a label, junk or a repeat: may be part of a unit
    label: bool  # a short line without closing punctuation: a label, a byline
    quoted: bool  # from a block quote: someone else's words
    terms: set[str]  # its content stems (a set, not a frozenset: never changed once read)
    key: tuple[str, ...]  # its words, case-folded: what a near repeat is judged on
    score: float = 0.0
    needs_prev: bool = False  # cannot be read without the sentence before
    needs_next: bool = False  # cannot be read without the sentence after
    continues: bool = False  # continues a quotation opened before it
    open_after: bool = False  # leaves a quotation open
    resolved: bool = False  # needs_prev, needs_next and usable are worked out
    gap: bool = False  # a heading or junk stood between it and the sentence before
    close: str = ""  # the mark closing, after it, a quotation its source never closes
    ahead: bool = False  # needs the sentence after for more than an open quotation


def read(article: Article, *, asides: bool = True) -> list[Sentence]:
    """The body's sentences, the lead without its dateline, and without their asides when
    ``asides`` (a word budget, where they buy room); the headings' when there is no body."""
    language = article.language
    body = [(i, b.kind, b.text) for i, b in enumerate(article.blocks) if b.kind != "h"]
    if not any(text.strip() for _, _, text in body):
        body = [(i, "p", b.text) for i, b in enumerate(article.blocks)]
    result: list[Sentence] = []
    term = content_stemmer(language)
    seen: set[tuple[str, ...]] = set()  # a sentence the source says twice is said once
    before_lead = True  # a dateline can only open the lead
    gap = False  # a heading or junk stood between this block and the sentence before
    previous = -1
    for block, kind, text in body:
        if junk(text):
            gap = True
            continue
        gap = gap or block != previous + 1
        previous = block
        if len(result) >= MAX_SENTENCES:
            break
        # A paragraph in no script written without spaces (or segmented by ICU), most, has its
        # sentences' words counted by white space, as word_count counts them, without asking
        # each sentence: its sentences (parts of it, less some spans) have no such script either.
        count, tokenise = (word_count, _folded_words) if spaceless(text) else (
            _spaced_count, _tokeniser(text))
        # A normalised paragraph (single spaces, no other white space, as blocks are) has, in
        # each sentence as the source writes it, one word more than spaces: counted, not split.
        single_spaced = count is _spaced_count and text.isprintable() and "  " not in text
        quoted = kind == "quote"
        for raw in split_sentences(text, language)[: MAX_SENTENCES - len(result)]:
            if asides:
                sentence = strip_asides(raw, dateline=before_lead, language=language)
            else:
                sentence = strip_dateline(raw) if before_lead else raw
            # Its words, case-folded (one cache entry per word, whatever its case): what a near
            # repeat is judged on, compared only with this article's own keys.
            key = tuple(tokenise(sentence))
            letters = _letter_words(key)
            # Unpunctuated and short: a label ("Max Burton Keynotes"), a caption, a byline.
            label = letters < _LABEL_WORDS and not _ended(sentence)
            usable = not label and letters > 0 and key not in seen
            seen.add(key)
            statement = usable and letters >= MIN_SENTENCE_WORDS
            terms = set(map(term, key))  # a set: no copy to drop the stop words' ""
            terms.discard("")
            if before_lead and statement and not quoted:
                before_lead = False
            size = sentence.count(" ") + 1 if single_spaced and sentence == raw else count(sentence)
            # Positional (Sentence's field order): a dataclass's keywords cost a third of a call.
            result.append(Sentence(len(result), block, kind, sentence, size, statement, usable,
                                   label, quoted, terms, key, gap=gap))
            gap = False
    return result


def _letter_words(key: tuple[str, ...]) -> int:
    """How many of the words are all letters, counted only up to
    :data:`_LABEL_WORDS` (all a label or a statement is told by) when the first that many are
    (most sentences: one join and one scan, not a call per word)."""
    head = key[:_LABEL_WORDS]
    if len(head) == _LABEL_WORDS and "".join(head).isalpha():
        return _LABEL_WORDS
    return sum(map(str.isalpha, key))


def _tokeniser(paragraph: str) -> Callable[[str], list[str]]:
    """:func:`folded_spaced_words` for the sentences of a paragraph in no script written without
    spaces; or, for a paragraph with a character beyond Latin-1 in its middle that is no curly
    quote or dash (a Cyrillic or Greek letter), the rule that function stands for,
    ``spaced_words(text.casefold())``: the same words, without the Latin-1 encoding that most
    of such a paragraph's sentences would fail first (an exception each; 1,284 sentences of the
    145 posts in six languages, 3.3M instructions fewer). Only the middle character is looked
    at (:func:`~redraft.text.segment.foreign_middle`): a Latin script paragraph pays no
    encoding here. Blanking the curly quotes and dashes of a Latin script paragraph's sentences
    before, sparing the encoding that fails on one, cost more than it saved (a Python loop over
    seven marks, each sentence: 9M instructions more over 150 Spanish and French posts)."""
    return _casefolded_spaced_words if foreign_middle(paragraph) else folded_spaced_words


def _casefolded_spaced_words(text: str) -> list[str]:
    """``spaced_words`` of the case-folded text: what :func:`folded_spaced_words` gives."""
    return spaced_words(text.casefold())


def _folded_words(text: str) -> list[str]:
    """:func:`words` of the case-folded text."""
    return words(text.casefold())


def _spaced_count(text: str) -> int:
    """:func:`word_count` of a text in no script written without spaces: its white-space words."""
    return len(text.split())


def link(sentences: list[Sentence], language: str) -> None:
    """Follow quotation marks through the article: which sentences continue or leave open one,
    and where a quotation its source never closes (left open at a paragraph's end and not
    reopened) is closed by the draft: after that paragraph, when its speaker introduces it."""
    marks = marked([s.text for s in sentences])
    if not any(marks):
        return  # nobody is quoted: nothing continues or leaves open a quotation
    inside = False
    opener: Sentence | None = None  # the sentence opening the quotation open now
    for i, sentence in enumerate(sentences):
        text = sentence.text
        if i and sentences[i - 1].block != sentence.block and text[:1] not in _REOPEN:
            # A quotation left open at a paragraph's end and not reopened; unless this paragraph
            # closes it (a quotation run on without a reopening mark: the source does close it).
            if inside and not quote_flow(text, False)[0]:
                _unclosed(sentences[i - 1], opener, language)
            inside = False
        if not inside and not marks[i]:
            continue  # outside a quotation and opening none: it neither continues nor leaves one
        sentence.continues, leaves_open = quote_flow(text, inside)
        if leaves_open and not (inside and sentence.continues and opener is not None):
            opener = sentence
        inside = sentence.open_after = leaves_open
    if inside and sentences:
        _unclosed(sentences[-1], opener, language)


def _unclosed(last: Sentence, opener: Sentence | None, language: str) -> None:
    """``last`` ends a paragraph inside a quotation its source never closes: the draft closes it
    there when the quotation's speaker introduces it (else a unit reaching it is unusable)."""
    if opener is not None and opener.block == last.block:
        last.close = closing_mark(opener.text, language)


def resolve(sentences: list[Sentence], sentence: Sentence, language: str) -> None:
    """Mark what a sentence needs from its neighbours (see the module's "Units"); done once,
    for the sentences a unit reaches, since most are never offered."""
    if sentence.resolved:
        return
    sentence.resolved = True
    i, text, continues = sentence.index, sentence.text, sentence.continues
    before = sentences[i - 1] if i else None
    after = sentences[i + 1] if i + 1 < len(sentences) else None
    needs_prev = continues or bool(points_back(text, language))
    needs_prev = needs_prev or (sentence.kind == "li" and before is not None)
    ahead = signpost(text, language)
    if not continues and unattributed_quote(text, language):
        if before is not None and attributes(before.text, language):
            needs_prev = True
        elif after is not None and attributes(after.text, language, colon=False):
            ahead = True
        else:
            sentence.usable = False  # a claim nobody makes
    quoting = sentence.open_after and not sentence.close  # its quotation goes on after it
    needs_next = quoting or ahead
    broken = quoting and (
        after is None or (after.block != sentence.block and after.text[:1] not in _REOPEN))
    broken = broken or (continues and before is None)  # closes a quotation never opened
    # The article's first sentence points forward or to the page ("This is the moment...").
    cut_before = sentence.gap  # what it points back to is no text (a heading, junk)
    needs_prev = needs_prev and (before is not None or cut_before)
    cut_after = after is None or after.gap
    if broken or (needs_prev and cut_before) or (needs_next and cut_after):
        sentence.usable = False
    sentence.needs_prev, sentence.needs_next, sentence.ahead = needs_prev, needs_next, ahead


def unit(sentences: list[Sentence], sentence: Sentence, language: str,
          cut: int = -1) -> list[Sentence] | None:
    """The sentence with all it depends on, in order; None when that is unusable or too long.
    With ``cut``, the quotation open after that sentence is closed there (see :func:`partial`)."""
    members = {sentence.index}
    todo = [sentence]
    while todo:
        current = todo.pop()
        resolve(sentences, current, language)
        if not current.usable:
            return None
        after = current.ahead if current.index == cut else current.needs_next
        for needed, index in ((current.needs_prev, current.index - 1), (after, current.index + 1)):
            if needed and index not in members:
                members.add(index)
                todo.append(sentences[index])
        if len(members) > MAX_UNIT_SENTENCES:
            return None
    return [sentences[i] for i in sorted(members)]


def partial(sentences: list[Sentence], lead: Sentence, fits: Callable[[list[Sentence]], bool],
            taken: Container[int], language: str) -> tuple[list[Sentence], int, str] | None:
    """The lead's unit with its quotation cut short, when the budget cannot hold it whole: its
    longest run of whole sentences that fits, closed after the last (``(unit, last index,
    closing mark)``); None when the quotation's speaker does not introduce it (then the part
    kept would not name who speaks), when the sentence closing it names a speaker (the cut
    would drop them), or when no cut fits."""
    resolve(sentences, lead, language)
    if not lead.open_after or lead.close or not lead.usable:
        return None
    opener = lead
    while opener.continues and opener.index and sentences[opener.index - 1].open_after:
        opener = sentences[opener.index - 1]
    end = lead.index  # where the quotation closes: a speaker named there is not to be dropped
    while end + 1 < len(sentences) and sentences[end].open_after and not sentences[end].close:
        end += 1
    mark = "" if attributes(sentences[end].text, language, colon=False) else closing_mark(
        opener.text, language)
    best = None
    for cut in range(lead.index, min(len(sentences) - 1, lead.index + MAX_UNIT_SENTENCES) if mark else 0):
        if not sentences[cut].open_after or sentences[cut].close or cut + 1 in taken:
            break
        members = unit(sentences, lead, language, cut)
        if members is None or not fits(members):
            break
        best = (members, cut, mark)
    return best


def labels(sentences: list[Sentence]) -> list[Sentence]:
    """The last resort of an article with nothing else: its labels and unpunctuated lines (a
    script the splitter does not punctuate), each a unit of its own."""
    found = [s for s in sentences if s.label]
    for sentence in found:
        sentence.usable, sentence.resolved = True, True
    return found


