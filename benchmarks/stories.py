"""Stories: B-cubed quality against labelled stories, and the cost of placing many entries.

Usage::

    python benchmarks/stories.py [DATA] [--split dev|held-out|all] [--sweep]
                                 [--sizes 10000,30000,100000] [--no-scale] [--index store]
    python benchmarks/stories.py --explain 2000
    python benchmarks/stories.py --posts ../shared/data/wp-posts [--repeat 7]

``DATA`` is a JSON Lines file of articles labelled with their story (``{id, title, text, url,
source, published, cluster}``; default ``../shared/data/stories/allsides_2021_dev.jsonl``).
The articles are split by a hash of their publication day, so that a day's stories stay
together: ``dev`` (tune here) and ``held-out`` (report here). Two systems place the articles of
the split one by one in publication order:

- **redraft**: :class:`redraft.stories.Placer` over a :class:`redraft.stories.MemoryIndex`;
- **baseline**: TF-IDF cosine (title + text, IDF over the split, sub-linear TF, stop words
  dropped, stems); an article joins the story of its most similar earlier article when the
  cosine reaches a threshold. The threshold printed is the best one on the split itself (the
  highest recall at B-cubed precision >= 0.97), once without time and once inside redraft's
  time window, so the baseline is never handicapped.

``--sweep`` prints redraft's precision and recall over join thresholds (use it on ``dev``).

Scaling: for each size in ``--sizes``, a fresh child process pinned to one core places that many
entries: the labelled articles again and again, each copy with words edited (~5%) and moved
five weeks later, so the window holds a steady number of live stories as in a real stream, and
one article in ten syndicated (2% edited) to another site three hours later.
``--index store`` places through a SQLite store in a temporary file instead (one transaction
an entry, as the pipeline does), and prints the file's size too.
It prints CPU seconds, entries per second, peak memory (``ru_maxrss``, less the memory before
placing) and the cost per entry relative to the smallest size (about 1.0 means linear growth).
``--explain N`` places N entries through a store and prints the SQL statements one placement
runs, each read's query plan (every one should be a ``SEARCH`` by an index) and the page cache.
``--posts DIR`` measures what stories cost a run of WordPress posts (``*.json`` REST objects):
the posts are extracted once, then, pinned to one core and ``--repeat`` times each (the least
CPU kept), every post's facts are computed (:func:`redraft.stories.placement.facts`) and every
post is placed through a fresh SQLite store (one transaction a post, as the pipeline does). It
prints CPU microseconds a post for the facts and for placing, and how much of placing is the
store's look-ups.
Exits 0, saying why, when ``DATA`` is absent.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import math
import multiprocessing
import random
import re
import resource
import sqlite3
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks import process
from redraft.errors import Rejected
from redraft.extract import extract
from redraft.records import Article, Block, Entry
from redraft.sources.files import read_items
from redraft.store import Store
from redraft.stories import MemoryIndex, Placement, Placer
from redraft.stories.placement import facts
from redraft.stories.scoring import time_factor
from redraft.text import content_terms

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "data" / "stories" / "allsides_2021_dev.jsonl"
TARGET_PRECISION = 0.97  # the bar: a merged story is lost for the editor
EDIT_SHARE = 0.05  # a copy for the scaling run has one word in twenty replaced or dropped
COPY_SHIFT = timedelta(days=35)  # each copy five weeks later, past every window: a steady stream
SYNDICATED_SHARE = 0.1  # one article in ten is also copied by another site, lightly edited
SYNDICATED_EDITS = 0.02  # a syndicated copy changes a word in fifty (house style, a caption)
SYNDICATED_DELAY = timedelta(hours=3)
Row = dict[str, Any]
_LITERAL = re.compile(r"X'[0-9A-Fa-f]*'|'(?:[^']|'')*'|(?<![\w.])-?\d+(?:\.\d+)?(?![\w.])")


def load(path: Path) -> list[Row]:
    """The labelled articles, in publication order (ties by id)."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    return sorted(rows, key=lambda row: (row["published"], row["id"]))


def split_of(row: Row) -> str:
    """``dev`` or ``held-out``, by a hash of the publication day."""
    day = str(row["published"])[:10].encode()
    return "dev" if hashlib.blake2b(day, digest_size=2).digest()[0] % 2 == 0 else "held-out"


def article_of(row: Row, *, key: str | None = None, url: str | None = None) -> Article:
    """An Article from a labelled row: the text's blank-line paragraphs are its blocks."""
    entry = Entry(source=str(row["source"]), key=key or str(row["id"]), url=url or str(row["url"]),
                  title=str(row["title"]), html="",
                  published=datetime.fromisoformat(str(row["published"])))
    blocks = tuple(Block("p", " ".join(p.split())) for p in str(row["text"]).split("\n\n") if p.strip())
    return Article(entry=entry, blocks=blocks)


def bcubed(predicted: Sequence[str], gold: Sequence[str]) -> tuple[float, float, float]:
    """B-cubed precision, recall and F1 of a clustering (one label per item, same order)."""
    pairs = Counter(zip(predicted, gold, strict=True))
    by_predicted = Counter(predicted)
    by_gold = Counter(gold)
    precision = sum(pairs[(p, g)] / by_predicted[p] for p, g in zip(predicted, gold, strict=True))
    recall = sum(pairs[(p, g)] / by_gold[g] for p, g in zip(predicted, gold, strict=True))
    p, r = precision / len(gold), recall / len(gold)
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def redraft_labels(rows: Sequence[Row], threshold: float | None = None) -> list[str]:
    """The story redraft places each row in."""
    placer = Placer(MemoryIndex()) if threshold is None else Placer(MemoryIndex(), threshold=threshold)
    return [placer.place(article_of(row)).story for row in rows]


def _tfidf(rows: Sequence[Row]) -> list[dict[str, float]]:
    docs = [Counter(content_terms(f"{row['title']} {row['text']}")) for row in rows]
    frequency: Counter[str] = Counter(term for doc in docs for term in doc)
    vectors = []
    for doc in docs:
        vector = {t: (1 + math.log(c)) * math.log((1 + len(docs)) / (1 + frequency[t])) + 1
                  for t, c in doc.items()}
        norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
        vectors.append({t: v / norm for t, v in vector.items()})
    return vectors


def nearest_earlier(rows: Sequence[Row], *, timed: bool) -> list[tuple[int, float]]:
    """For each row, the most similar earlier row by TF-IDF cosine (-1 when none) and the
    cosine; with ``timed``, only earlier rows inside redraft's time window count."""
    vectors = _tfidf(rows)
    times = [datetime.fromisoformat(str(row["published"])) for row in rows]
    nearest = []
    for i, vector in enumerate(vectors):
        best, best_score = -1, 0.0
        for j in range(i):
            if timed and time_factor(times[i], times[j]) == 0.0:
                continue
            score = sum(v * vectors[j].get(t, 0.0) for t, v in vector.items())
            if score > best_score:
                best, best_score = j, score
        nearest.append((best, best_score))
    return nearest


def baseline_labels(rows: Sequence[Row], nearest: Sequence[tuple[int, float]],
                    threshold: float) -> list[str]:
    """TF-IDF cosine: each row joins its nearest earlier row's story at ``threshold``."""
    labels: list[str] = []
    for i, (best, score) in enumerate(nearest):
        labels.append(labels[best] if best >= 0 and score >= threshold else str(rows[i]["id"]))
    return labels


def best_baseline(rows: Sequence[Row], *, timed: bool) -> tuple[float, tuple[float, float, float]]:
    """The threshold with the highest recall at the target precision, and its scores."""
    nearest = nearest_earlier(rows, timed=timed)
    gold = [str(row["cluster"]) for row in rows]
    best: tuple[float, tuple[float, float, float]] = (1.0, (1.0, 0.0, 0.0))
    for step in range(5, 100):
        threshold = step / 100
        scores = bcubed(baseline_labels(rows, nearest, threshold), gold)
        if scores[0] >= TARGET_PRECISION and scores[1] > best[1][1]:
            best = (threshold, scores)
    return best


def quality(rows: Sequence[Row], split: str, *, sweep: bool) -> None:
    """Print B-cubed scores of redraft and of the baseline on one split."""
    chosen = rows if split == "all" else [row for row in rows if split_of(row) == split]
    gold = [str(row["cluster"]) for row in chosen]
    print(f"split {split}: {len(chosen)} articles in {len(set(gold))} stories")
    if sweep:
        for step in range(20, 80, 2):
            p, r, f = bcubed(redraft_labels(chosen, step / 100), gold)
            print(f"  threshold {step / 100:.2f}  P {p:.3f}  R {r:.3f}  F1 {f:.3f}")
    p, r, f = bcubed(redraft_labels(chosen), gold)
    print(f"  {'redraft':<34} P {p:.3f}  R {r:.3f}  F1 {f:.3f}")
    for timed in (False, True):
        threshold, (bp, br, bf) = best_baseline(chosen, timed=timed)
        name = f"TF-IDF cosine{' in window' if timed else ''} @ {threshold:.2f}"
        print(f"  {name:<34} P {bp:.3f}  R {br:.3f}  F1 {bf:.3f}")


def _edited(text: str, rng: random.Random, vocabulary: Sequence[str], share: float) -> str:
    out = []
    for word in text.split(" "):
        roll = rng.random()
        if roll < share / 2:
            continue
        out.append(rng.choice(vocabulary) if roll < share else word)
    return " ".join(out)


def _copy(article: Article, rng: random.Random, vocabulary: Sequence[str], *, key: str,
          url: str, later: timedelta, share: float) -> Article:
    when = article.entry.published
    entry = replace(article.entry, key=key, url=url,
                    title=_edited(article.entry.title, rng, vocabulary, share),
                    published=when + later if when else None)
    blocks = tuple(Block("p", _edited(b.text, rng, vocabulary, share)) for b in article.blocks)
    return Article(entry=entry, blocks=blocks)


def stream(rows: Sequence[Row], count: int, seed: int = 7) -> Iterator[Article]:
    """``count`` articles: the rows again and again, each copy edited and moved later, and
    one in ten also syndicated to another site a few hours later."""
    rng = random.Random(seed)
    vocabulary = sorted({w for row in rows for w in str(row["text"]).split()})
    copy = 0
    while True:
        for row in rows:
            article = article_of(row)
            url = article.entry.url.split("#")[0]
            url += ("&" if "?" in url else "?") + f"copy={copy}"
            article = _copy(article, rng, vocabulary, key=f"{row['id']}#{copy}", url=url,
                            later=COPY_SHIFT * copy, share=EDIT_SHARE if copy else 0.0)
            for extra in range(2 if rng.random() < SYNDICATED_SHARE else 1):
                if count == 0:
                    return
                count -= 1
                yield article if extra == 0 else _copy(
                    article, rng, vocabulary, key=f"{article.entry.key}/syndicated",
                    url=f"https://syndicated.example/{row['id']}/{copy}",
                    later=SYNDICATED_DELAY, share=SYNDICATED_EDITS)
        copy += 1


def _scale_child(path: str, size: int, backend: str, queue: Any) -> None:
    process.pin_one_core()
    rows = load(Path(path))
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    layers: Counter[str] = Counter()
    with tempfile.TemporaryDirectory() as folder, contextlib.ExitStack() as stack:
        if backend == "store":
            store = stack.enter_context(Store.open(Path(folder) / "stories.db"))
            placer = Placer(store)
            place = _committed(store, placer)
        else:
            place = Placer(MemoryIndex()).place
        started, wall = time.process_time(), time.perf_counter()
        for article in stream(rows, size):
            layers[place(article).layer] += 1
        cpu, wall = time.process_time() - started, time.perf_counter() - wall
        disk = sum(f.stat().st_size for f in Path(folder).iterdir()) / 2**20
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    queue.put({"size": size, "cpu": cpu, "wall": wall, "mib": (peak - before) / 1024,
               "disk": disk, "stories": layers["new"], "layers": dict(layers)})


def _committed(store: Store, placer: Placer) -> Callable[[Article], Placement]:
    """Place through the store, one transaction an entry, as the pipeline does."""
    def place(article: Article) -> Placement:
        with store.transaction():
            return placer.place(article)
    return place


def scaling(path: Path, sizes: Sequence[int], backend: str) -> None:
    """Print the cost of placing each number of entries, each size in a fresh process."""
    context = multiprocessing.get_context("spawn")
    print(f"placing entries on one core, index in {backend} "
          "(copies with ~5% of words edited, 5 weeks apart; 10% syndicated)")
    first: float | None = None
    for size in sizes:
        queue = context.Queue()
        child = context.Process(target=_scale_child, args=(str(path), size, backend, queue))
        child.start()
        result = queue.get()
        child.join()
        per_entry = result["cpu"] / size
        first = first or per_entry
        print(f"  {size:>7} entries: {result['cpu']:7.1f} s CPU ({result['wall']:.1f} s wall), "
              f"{size / result['cpu']:6.0f}/s, +{result['mib']:.0f} MiB"
              + (f" ({result['disk']:.0f} MiB on disk)" if backend == "store" else "") + ", "
              f"cost per entry x{per_entry / first:.2f} of the smallest; "
              f"{result['stories']} stories; {result['layers']}")


def explain(path: Path, size: int) -> None:
    """Place ``size`` entries through a store and print what one placement costs in SQL: the
    statements run (``executemany`` counts once a row), each read's query plan (a ``SCAN``
    of a story table, rather than a ``SEARCH`` by an index, would grow with the store) and
    the page cache."""
    rows = load(path)
    with tempfile.TemporaryDirectory() as folder, Store.open(Path(folder) / "s.db") as store:
        raw = store._db.raw  # the benchmark looks under the store's lid on purpose
        statements: Counter[str] = Counter()
        placer = Placer(store)
        place = _committed(store, placer)
        articles = list(stream(rows, size))
        raw.set_trace_callback(lambda sql: statements.update([" ".join(sql.split())]))
        started = time.process_time()
        for article in articles:
            place(article)
        cpu = time.process_time() - started
        raw.set_trace_callback(None)
        shapes: Counter[str] = Counter()
        samples: dict[str, str] = {}
        for sql, count in statements.items():
            shape = _LITERAL.sub("?", sql.split(" VALUES")[0])[:100]
            shapes[shape] += count
            samples.setdefault(shape, sql)
        print(f"SQL per placement ({size} entries, {cpu / size * 1000:.2f} ms CPU each, "
              f"cache_size {raw.execute('PRAGMA cache_size').fetchone()[0]}, page_size "
              f"{raw.execute('PRAGMA page_size').fetchone()[0]}, "
              f"{raw.execute('PRAGMA page_count').fetchone()[0]} pages):")
        for shape, count in shapes.most_common():
            print(f"  {count / size:6.2f}  {shape}")
            if shape.startswith(("SELECT", "UPDATE", "INSERT INTO story_df ")):
                print(f"          plan: {_plan(raw, samples[shape])}")


def _plan(raw: Any, sql: str) -> str:
    """The query plan's steps, with literal values standing in for parameters."""
    try:
        steps = raw.execute("EXPLAIN QUERY PLAN " + sql).fetchall()
    except sqlite3.Error as error:  # a statement traced with its values inlined may not re-parse
        return f"(not explained: {error})"
    return "; ".join(str(step[3]) for step in steps)


class _TimedIndex:
    """A store whose look-ups add their CPU time to ``spent`` (placing reads these four)."""

    READS = ("entry_named", "entries_in_bands", "stories_with_terms", "document_frequencies")

    def __init__(self, store: Store) -> None:
        self.store = store
        self.spent = 0.0

    def __getattr__(self, name: str) -> Any:
        method = getattr(self.store, name)
        if name not in self.READS:
            return method

        def timed(*args: Any) -> Any:
            started = time.process_time()
            try:
                return method(*args)
            finally:
                self.spent += time.process_time() - started
        return timed


def posts(folder: Path, repeat: int) -> None:
    """Print the CPU cost a post of story facts and of placing, for WordPress posts."""
    print(process.pin_one_core())
    articles = []
    for path in sorted(folder.glob("*.json")):
        for item in read_items(path.read_bytes(), label=path.name):
            if isinstance(item, Entry):
                with contextlib.suppress(Rejected):  # not an article: nothing to place
                    articles.append(extract(item))
    facts_cpu, place_cpu, reads_cpu = math.inf, math.inf, math.inf
    for _ in range(repeat):
        started = time.process_time()
        placements = [facts(article) for article in articles]
        facts_cpu = min(facts_cpu, time.process_time() - started)
        with tempfile.TemporaryDirectory() as tmp, Store.open(Path(tmp) / "s.db") as store:
            index = _TimedIndex(store)
            placer, spent = Placer(index), 0.0
            for placement in placements:
                with store.transaction():
                    started = time.process_time()
                    decided = placer.decide(placement)
                    spent += time.process_time() - started
                    store.add(decided)
        if spent < place_cpu:
            place_cpu, reads_cpu = spent, index.spent
    count = max(1, len(articles))
    print(f"{len(articles)} posts from {folder}, least CPU of {repeat}: facts "
          f"{facts_cpu / count * 1e6:.0f} us a post; placing {place_cpu / count * 1e6:.0f} us "
          f"a post, of which the store's look-ups {reads_cpu / count * 1e6:.0f} us")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark; print its numbers."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("data", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--split", choices=("dev", "held-out", "all", "both"), default="both")
    parser.add_argument("--sweep", action="store_true", help="print redraft over thresholds")
    parser.add_argument("--sizes", default="10000,30000,100000")
    parser.add_argument("--no-scale", action="store_true", help="skip the scaling run")
    parser.add_argument("--index", choices=("memory", "store"), default="memory",
                        help="place through the in-memory index or a SQLite store (a temp file)")
    parser.add_argument("--explain", type=int, metavar="N", default=0,
                        help="place N entries through a store; print SQL per placement, plans")
    parser.add_argument("--posts", type=Path, metavar="DIR",
                        help="WordPress posts (*.json): CPU a post of story facts and placing")
    parser.add_argument("--repeat", type=int, default=5, help="runs of --posts (least kept)")
    args = parser.parse_args(argv)
    if args.posts is not None:
        posts(args.posts, args.repeat)
        return 0
    if not args.data.is_file():
        print(f"no data at {args.data}: nothing to measure (give a labelled JSON Lines file)")
        return 0
    if args.explain:
        explain(args.data, args.explain)
        return 0
    rows = load(args.data)
    for split in (("dev", "held-out") if args.split == "both" else (args.split,)):
        quality(rows, split, sweep=args.sweep)
    if not args.no_scale:
        scaling(args.data, [int(size) for size in args.sizes.split(",") if size], args.index)
    return 0


if __name__ == "__main__":
    sys.exit(main())
