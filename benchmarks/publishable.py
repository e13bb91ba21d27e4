"""Share of the default engine's drafts an editor could publish as they are, per defect kind.

Usage::

    python benchmarks/publishable.py [--posts DIR ...] [--cnndm FILE] [--words N ...]
        [--sentences N ...] [--limit N]

Each article (WordPress REST posts from each ``--posts`` directory, CNN/DailyMail articles from
``--cnndm``) is extracted and condensed by :class:`ExtractiveCondenser` at the default budget
and at each ``--words N`` and ``--sentences N``; every draft is judged by
:func:`redraft.verify.verify`, whose form checks are the detectors: ``dangling``,
``unbalanced``, ``unattributed``, ``signpost``, ``junk``, ``repeated``, plus ``length`` (the
verifier's budget check), ``over`` (more words or sentences than a ``--words``/``--sentences``
count, strictly) and ``credit``. It prints, per data set and budget, how many drafts were made,
the share with any defect, and the share with each kind; the faithfulness kinds
(``unsupported``, ``number``, ``name``, ``quote``) are counted apart, and so are articles the
engine rejected (with the reason). Exits 0, saying why, when a path is absent.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path

from redraft.condense.extractive import ExtractiveCondenser
from redraft.config import ExtractOptions
from redraft.errors import Rejected
from redraft.extract import extract
from redraft.records import Article, Block, Budget, Draft, Entry
from redraft.sources.files import FileSource
from redraft.text import detect_language, paragraphs_of, split_sentences, words_in
from redraft.verify import verify

# Run as a script (python benchmarks/publishable.py) or as a module: its sibling either way.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.summarization import detokenise

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
DEFECTS = ("dangling", "unbalanced", "unattributed", "signpost", "junk", "repeated", "length", "over",
           "credit")
FAITHFULNESS = ("unsupported", "number", "name", "quote")


def posts(directory: Path, limit: int | None) -> Iterator[Article]:
    """Extracted articles of a directory of WordPress REST posts (rejected ones skipped)."""
    count = 0
    for path in sorted(directory.glob("*.json")):
        for entry in FileSource([str(path)]).entries():
            try:
                yield extract(entry, ExtractOptions())  # type: ignore[arg-type]
            except Rejected:
                continue
            count += 1
            if limit is not None and count >= limit:
                return


def cnndm(path: Path, limit: int | None) -> Iterator[Article]:
    """CNN/DailyMail articles, detokenised, one paragraph a line."""
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle):
            if limit is not None and number >= limit:
                return
            row = json.loads(line)
            text = detokenise(str(row["article"]))
            key = str(row.get("id", number))
            entry = Entry(source=f"file:{path.name}", key=key, url=f"https://cnn.example/{key}",
                          title=f"CNN/DM {key}", html="")
            yield Article(entry=entry, blocks=tuple(Block("p", p) for p in paragraphs_of(text)),
                          language=detect_language(text))


def _size(draft: Draft, budget: Budget) -> int:
    if budget.kind == "words":
        return words_in(draft.paragraphs)
    return sum(len(split_sentences(p, draft.article.language)) for p in draft.paragraphs)


def measure(name: str, articles: list[Article], budget: Budget, *, fill_credit: bool = False) -> None:
    """Condense and judge every article at ``budget``; print the rates."""
    condenser = ExtractiveCondenser()
    kinds: Counter[str] = Counter()
    rejected: Counter[str] = Counter()
    drafts = defective = unfaithful = 0
    for article in articles:
        try:
            draft = condenser.condense(article, budget)
        except Rejected as exc:
            rejected[str(exc).split(":")[0][:60]] += 1
            continue
        drafts += 1
        if fill_credit and not draft.credit:  # an engine older than Draft.credit
            draft = dataclasses.replace(draft, credit=article.entry.credit())
        found: set[str] = {p.kind for p in verify(draft).problems}
        if budget.kind != "ratio" and _size(draft, budget) > budget.value:
            found.add("over")  # the verifier allows a sentence of slack; a count is a maximum
        kinds.update(found)
        defective += bool(found & set(DEFECTS))
        unfaithful += bool(found & set(FAITHFULNESS))

    def share(count: int) -> str:
        return f"{100 * count / drafts:.1f}%" if drafts else "-"

    print(f"{name} at {budget.describe()}: {drafts} drafts, {sum(rejected.values())} rejected; "
          f"any defect {share(defective)} ({defective}); unfaithful {share(unfaithful)}")
    print("   " + "  ".join(f"{kind} {share(kinds[kind])}" for kind in (*DEFECTS, *FAITHFULNESS)))
    for reason, count in rejected.most_common(3):
        print(f"   rejected {count}: {reason}")


def main(argv: Sequence[str] | None = None) -> int:
    """Measure each data set at each budget."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=Path, nargs="*",
                        default=[DATA / "wp-posts", DATA / "wp-posts-2"], help="WP REST post folders")
    parser.add_argument("--cnndm", type=Path, default=DATA / "summarization" / "realsumm_cnndm.jsonl")
    parser.add_argument("--words", type=int, nargs="*", default=[100], help="word budgets too")
    parser.add_argument("--sentences", type=int, nargs="*", default=[],
                        help="sentence budgets too (none by default)")
    parser.add_argument("--limit", type=int, default=None, help="only the first N articles of each set")
    parser.add_argument("--fill-credit", action="store_true",
                        help="give a draft without a credit line its entry's (as the pipeline did)")
    args = parser.parse_args(argv)
    sets: list[tuple[str, list[Article]]] = []
    for directory in args.posts:
        if directory.is_dir():
            sets.append((directory.name, list(posts(directory, args.limit))))
        else:
            print(f"{directory}: not found, skipped")
    if args.cnndm.is_file():
        sets.append(("cnndm", list(cnndm(args.cnndm, args.limit))))
    else:
        print(f"{args.cnndm}: not found, skipped")
    budgets = [Budget(), *(Budget("words", n) for n in args.words),
               *(Budget("sentences", n) for n in args.sentences)]
    for name, articles in sets:
        for budget in budgets:
            measure(name, articles, budget, fill_credit=args.fill_credit)
    return 0


if __name__ == "__main__":
    sys.exit(main())
