"""How long the review app takes to answer the queue page of N stored drafts, on one core.

Usage::

    python benchmarks/review.py [--drafts 5000] [--repeat 7] [--words 400]

A fresh SQLite file gets ``--drafts`` entries, each with an article of about ``--words`` words
and a stored draft (a third of them failing with problems, some approved), written through the
store's own API; every other draft's story was also reported by ``--joined`` other outlets (their
entries stored and placed in the story, as a sync does), so the queue's "outlets" column counts
real story rows. The process is pinned to one CPU core; each timed request is a full
``GET /`` through the Flask app (open the store, one query, build the queue, render the
template), the page's bytes included. Prints the cold first request, then the median and the
slowest of the next ``--repeat``, in milliseconds, and the page size. CPU time is printed beside
wall time: other processes on the machine disturb it less. The bar the issue sets: under a
second for 5,000 drafts.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks import process
from redraft.records import Article, Block, Budget, Draft, Entry, Problem, Verdict
from redraft.store import Store
from redraft.stories.placement import Placement
from redraft.stories.profile import Profile
from redraft.web import ReviewConfig, create_app

SENTENCE = ("The council of {town} said on {day} that the {thing} would cost {n} pounds and "
            "open next spring after a delay of {m} weeks.")
TOWNS = ("Ostry", "Kellin", "Brack", "Wendbury", "Saltmere", "Hollin")
THINGS = ("bridge", "library", "ferry", "school", "orchard", "pool")


def article_for(number: int, words: int) -> Article:
    town, thing = TOWNS[number % len(TOWNS)], THINGS[number % len(THINGS)]
    sentences = [SENTENCE.format(town=town, day="Monday", thing=thing, n=1000 + number + i, m=i)
                 for i in range(max(1, words // 24))]
    blocks = tuple(Block("p", " ".join(sentences[i:i + 3])) for i in range(0, len(sentences), 3))
    published = datetime(2025, 1, 1, tzinfo=UTC) + timedelta(minutes=number)
    entry = Entry(source=f"wordpress:https://{town.lower()}.example",
                  key=f"https://{town.lower()}.example#{number}",
                  url=f"https://{town.lower()}.example/?p={number}",
                  title=f"{town} {thing}: work {number} starts next spring", html="",
                  published=published, modified=published)
    return Article(entry=entry, blocks=blocks, language="en")


def place(store: Store, entry: Entry, story: str = "") -> str:
    """Put the entry in a story (a new one when ``story`` is ""), as the story desk does."""
    profile = Profile(terms={"council": 1}, published=entry.published)
    return store.add(Placement(entry.key, story, "near-duplicate" if story else "new", None,
                               0.9 if story else 0.0, (entry.url,), None, (), profile))


def join(store: Store, entry: Entry, story: str, joined: int) -> None:
    """``joined`` entries of other outlets join the entry's story."""
    for other in range(1, joined + 1):
        town = TOWNS[(TOWNS.index(entry.title.split()[0]) + other) % len(TOWNS)].lower()
        copy = Entry(source=f"feed:https://{town}.example/feed", key=f"{entry.key}/copy{other}",
                     url=f"https://{town}.example/copy-of-{entry.key.rsplit('#', 1)[1]}",
                     title=entry.title, html="", published=entry.published,
                     modified=entry.modified)
        store.save_entry(copy)
        place(store, copy, story)


def fill(store: Store, drafts: int, words: int, joined: int) -> None:
    with store.transaction():
        for number in range(drafts):
            article = article_for(number, words)
            entry = article.entry
            store.save_entry(entry)
            story = place(store, entry)
            if number % 2 == 0:
                join(store, entry, story, joined)
            draft = Draft(article=article, paragraphs=article.paragraphs[:2], engine="extractive",
                          budget=Budget(), credit=entry.credit())
            failing = number % 3 == 0
            problems = (Problem("number", draft.paragraphs[0], article.paragraphs[0],
                                "a number the source does not give"),) if failing else ()
            store.save_draft(Verdict(draft, 0.4 if failing else 1.0, not failing, problems),
                             recipe="bench")
            if number % 7 == 0:
                store.save_review(entry.key, decision="approved", who="bench")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--drafts", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--words", type=int, default=400)
    parser.add_argument("--joined", type=int, default=2,
                        help="other outlets' entries in every other draft's story")
    args = parser.parse_args()
    process.pin_one_core()
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "bench.db"
        started = time.perf_counter()
        with Store.open(db) as store:
            fill(store, args.drafts, args.words, args.joined)
        print(f"stored {args.drafts} drafts of ~{args.words}-word articles (half of their "
              f"stories joined by {args.joined} more outlets) in "
              f"{time.perf_counter() - started:.1f} s")
        client = create_app(ReviewConfig(db, "bench")).test_client()
        walls, cpus, size = [], [], 0
        for _ in range(args.repeat + 1):
            wall, cpu = time.perf_counter(), time.process_time()
            page = client.get("/")
            walls.append((time.perf_counter() - wall) * 1000)
            cpus.append((time.process_time() - cpu) * 1000)
            assert page.status_code == 200 and page.text.count("data-row") == args.drafts
            if args.joined:  # every other draft's story is counted with its joined outlets
                covered = page.text.count(f'data-outlets="{args.joined + 1}"')
                assert covered == (args.drafts + 1) // 2, covered
            size = len(page.data)
    print(f"GET / ({args.drafts} drafts, one core): first {walls[0]:.0f} ms; "
          f"median {statistics.median(walls[1:]):.0f} ms wall, "
          f"{statistics.median(cpus[1:]):.0f} ms CPU; slowest {max(walls[1:]):.0f} ms; "
          f"page {size / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
