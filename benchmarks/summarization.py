"""ROUGE of the default engine against LEAD-N, computed in the same run on the same articles.

Usage::

    python benchmarks/summarization.py FILE.jsonl [--sentences 3] [--limit N] [--seed S]

``FILE.jsonl`` holds one ``{id, article, reference}`` object a line (for example REALSumm's
CNN/DailyMail sample). Text tokenised Penn-Treebank style and lower-cased (``it 's``, `` ,``,
```` `` ````) is detokenised lightly first, the same way for both systems and the reference.
Each article becomes an :class:`~redraft.records.Article` (one paragraph per line of the text)
and is condensed by :class:`~redraft.condense.extractive.ExtractiveCondenser` to
``--sentences`` sentences; LEAD-N is the article's first N sentences by the same splitter.

Scores are rouge-score F-measures (ROUGE-1, ROUGE-2, ROUGE-Lsum with Porter stemming; the
summary and reference sentences one a line for Lsum). Articles in another language than English
(detected) are scored on Unicode word tokens, unstemmed, one token per character for Chinese
and Japanese (``summarization-ml/``: Portuguese, Vietnamese, Chinese). Besides the means, it prints the two
halves of a seeded random split and a paired bootstrap, so a margin can be judged for
robustness rather than read off one number. Exits 0, saying why, when the file is absent.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from redraft.condense.extractive import ExtractiveCondenser
from redraft.records import Article, Block, Budget, Entry
from redraft.text import detect_language, paragraphs_of, split_sentences, words

METRICS = ("rouge1", "rouge2", "rougeLsum")
BOOTSTRAP_SAMPLES = 2000

# Light Penn-Treebank detokenisation: quotes, clitics, brackets, spaces around punctuation.
_DETOKENISE = (
    (re.compile(r"-lrb-", re.I), "("),
    (re.compile(r"-rrb-", re.I), ")"),
    (re.compile(r"` `|``|' '|''"), '"'),
    (re.compile(r" (n't|'s|'re|'ve|'ll|'d|'m)\b", re.I), r"\1"),
    (re.compile(r" ([,.;:?!%)\]])"), r"\1"),
    (re.compile(r"([(\[$£€]) "), r"\1"),
)


@dataclass(frozen=True, slots=True)
class Item:
    """One article with its reference summary, detokenised."""

    id: str
    article: Article
    reference: list[str]


def detokenise(text: str) -> str:
    """Undo the Penn-Treebank spacing of ``text`` (a no-op on ordinary text)."""
    for pattern, replacement in _DETOKENISE:
        text = pattern.sub(replacement, text)
    return text


def load(path: Path, limit: int | None) -> list[Item]:
    """Read ``{id, article, reference}`` lines into articles and reference sentences."""
    items: list[Item] = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            row = json.loads(line)
            text = detokenise(str(row["article"]))
            language = detect_language(text)
            blocks = tuple(Block("p", paragraph) for paragraph in paragraphs_of(text))
            entry = Entry(
                source=f"file:{path}", key=str(row.get("id", number)), url="", title="", html=""
            )
            article = Article(entry=entry, blocks=blocks, language=language)
            reference = split_sentences(detokenise(str(row["reference"])), language)
            items.append(Item(entry.key, article, reference))
            if limit is not None and len(items) >= limit:
                break
    return items


def lead(article: Article, count: int) -> list[str]:
    """The article's first ``count`` sentences."""
    sentences: list[str] = []
    for paragraph in article.paragraphs:
        sentences.extend(split_sentences(paragraph, article.language))
        if len(sentences) >= count:
            break
    return sentences[:count]


def engine(article: Article, count: int) -> list[str]:
    """The default engine's draft at ``count`` sentences, one sentence an item."""
    draft = ExtractiveCondenser().condense(article, Budget("sentences", count))
    return [s for p in draft.paragraphs for s in split_sentences(p, article.language)]


class UnicodeTokens:
    """rouge-score's tokenizer for languages other than English: lower-case Unicode words, and
    each Chinese or Japanese character a token (rouge-score's own keeps only ``[a-z0-9]``)."""

    def tokenize(self, text: str) -> list[str]:
        return words(text.lower())


def scores(items: Sequence[Item], summaries: Sequence[list[str]]) -> list[tuple[float, ...]]:
    """Per-item ROUGE F-measures (in percent), in :data:`METRICS` order.

    English text is scored as rouge-score scores it (its tokenizer, Porter stemming); any other
    language by :class:`UnicodeTokens`, unstemmed, so accents and scripts other than Latin count.
    """
    from rouge_score import rouge_scorer

    english = rouge_scorer.RougeScorer(list(METRICS), use_stemmer=True)
    other = rouge_scorer.RougeScorer(list(METRICS), use_stemmer=False, tokenizer=UnicodeTokens())
    result = []
    for item, summary in zip(items, summaries, strict=True):
        scorer = english if item.article.language == "en" else other
        score = scorer.score("\n".join(item.reference), "\n".join(summary))
        result.append(tuple(100 * score[m].fmeasure for m in METRICS))
    return result


def mean(rows: Sequence[tuple[float, ...]], column: int) -> float:
    """The mean of one column."""
    return sum(row[column] for row in rows) / len(rows)


def report(ours: list[tuple[float, ...]], base: list[tuple[float, ...]], seed: int) -> None:
    """Print the means, the differences, two random halves and a paired bootstrap."""
    n = len(ours)
    print(f"{'':24}" + "".join(f"{m:>11}" for m in METRICS))
    print(f"{'redraft (extractive)':24}" + "".join(f"{mean(ours, k):11.2f}" for k in range(3)))
    print(f"{'LEAD':24}" + "".join(f"{mean(base, k):11.2f}" for k in range(3)))
    diffs = [tuple(a - b for a, b in zip(x, y, strict=True)) for x, y in zip(ours, base, strict=True)]
    print(f"{'difference':24}" + "".join(f"{mean(diffs, k):+11.2f}" for k in range(3)))
    order = list(range(n))
    random.Random(seed).shuffle(order)
    for name, half in (("half A", order[: n // 2]), ("half B", order[n // 2 :])):
        rows = [diffs[i] for i in half]
        print(f"{name + f' ({len(half)}) diff':24}" + "".join(f"{mean(rows, k):+11.2f}" for k in range(3)))
    rng = random.Random(seed)
    boots: list[list[float]] = [[], [], []]
    for _ in range(BOOTSTRAP_SAMPLES):
        sample = [diffs[rng.randrange(n)] for _ in range(n)]
        for k in range(3):
            boots[k].append(mean(sample, k))
    low = [sorted(b)[int(0.05 * BOOTSTRAP_SAMPLES)] for b in boots]
    wins = [sum(v >= 0 for v in b) / BOOTSTRAP_SAMPLES for b in boots]
    print(f"{'bootstrap 5th pct diff':24}" + "".join(f"{v:+11.2f}" for v in low))
    print(f"{'bootstrap P(diff >= 0)':24}" + "".join(f"{v:11.3f}" for v in wins))


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("file", type=Path, help="JSON Lines of {id, article, reference}")
    parser.add_argument("--sentences", type=int, default=3, help="summary length (default 3)")
    parser.add_argument("--limit", type=int, default=None, help="only the first N items")
    parser.add_argument("--seed", type=int, default=0, help="seed of the halves and bootstrap")
    args = parser.parse_args(argv)
    if not args.file.is_file():
        print(f"skipped: {args.file} not found (pass a JSON Lines file of articles)")
        return 0
    try:
        import rouge_score  # noqa: F401
    except ImportError:
        print("skipped: rouge-score is not installed (pip install 'redraft[bench]')")
        return 0
    items = load(args.file, args.limit)
    if not items:
        print(f"skipped: {args.file} holds no items")
        return 0
    ours = scores(items, [engine(item.article, args.sentences) for item in items])
    base = scores(items, [lead(item.article, args.sentences) for item in items])
    print(f"{len(items)} articles from {args.file}, {args.sentences} sentences each; "
          "rouge-score F, Porter stemming, one sentence a line for Lsum")
    report(ours, base, args.seed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
