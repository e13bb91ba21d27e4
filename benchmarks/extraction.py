"""Article extraction: redraft's ``extract`` against trafilatura's ``extract()`` on whole pages.

Scoring follows the article-extraction-benchmark: texts are split into word 4-grams
(shingles); precision, recall and F1 are computed over them. The pages in the data set carry
snippets, not whole reference texts, so the reference is what the snippets say: recall is the
share of ``must_contain`` shingles found in the output, precision the share of the snippet
shingles found in the output that come from ``must_contain`` rather than ``must_not_contain``
(boilerplate the output should have left out). Scores are micro-averaged over every page.

Usage: ``python benchmarks/extraction.py [DATA_DIR] [--split]`` (default
``../shared/data/extraction``); exits 0 with a note when the folder is absent. ``--split`` also
scores two fixed halves of the pages (by a hash of each file name): tune a rule on one half,
check it on the other.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import trafilatura

from redraft.config import ExtractOptions
from redraft.errors import RedraftError
from redraft.extract import extract
from redraft.records import Entry
from redraft.sources.charsets import decode

DEFAULT_DIR = Path(__file__).resolve().parents[2] / "shared" / "data" / "extraction"
SHINGLE = 4  # the benchmark's n-gram size
_WORD = re.compile(r"\w+", re.UNICODE)
# Any article, however short, is measured: the benchmark has pages of a few lines.
OPTIONS = ExtractOptions(min_words=1)


@dataclass
class Score:
    """Shingle counts summed over pages."""

    found: int = 0
    wanted: int = 0
    leaked: int = 0
    seconds: float = 0.0

    def line(self, name: str) -> str:
        precision = self.found / (self.found + self.leaked) if self.found + self.leaked else 0.0
        recall = self.found / self.wanted if self.wanted else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return (f"{name:<15} precision {precision:.3f}  recall {recall:.3f}  F1 {f1:.3f}  "
                f"({self.seconds:.1f} s)")


def shingles(text: str, size: int = SHINGLE) -> set[tuple[str, ...]]:
    """The text's word ``size``-grams; a text shorter than that is one shingle of its words."""
    words = _WORD.findall(text.lower())
    if len(words) < size:
        return {tuple(words)} if words else set()
    return {tuple(words[i:i + size]) for i in range(len(words) - size + 1)}


class Output:
    """An extractor's text as the scoring reads it: its n-grams of each size asked for.

    A snippet shorter than a shingle (a heading of two words) is found when its words occur
    in a row in the output; as one 4-gram it could never be, whatever the extractor did."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._grams: dict[int, set[tuple[str, ...]]] = {}

    def found(self, snippet: str) -> tuple[int, int]:
        """(shingles of the snippet found in the output, shingles of the snippet)."""
        wanted = shingles(snippet)
        size = min((len(shingle) for shingle in wanted), default=SHINGLE)
        if size not in self._grams:
            self._grams[size] = shingles(self.text, size)
        return len(wanted & self._grams[size]), len(wanted)


def redraft_text(html: str, label: str) -> str:
    entry = Entry(source=label, key=label, url="", title="", html=html)
    try:
        return "\n".join(extract(entry, OPTIONS).paragraphs)
    except RedraftError:
        return ""


def trafilatura_text(html: str) -> str:
    return trafilatura.extract(html) or ""


def add(score: Score, text: str, truth: dict[str, list[str]]) -> None:
    got = Output(text)
    for snippet in truth["must_contain"]:
        found, wanted = got.found(snippet)
        score.wanted += wanted
        score.found += found
    for snippet in truth["must_not_contain"]:
        score.leaked += got.found(snippet)[0]


def half(path: Path) -> str:
    """A page's half for ``--split``: fixed by its file name, so every run splits alike."""
    return "A" if hashlib.sha1(path.name.encode()).digest()[0] % 2 == 0 else "B"


def main(folder: Path, *, split: bool = False) -> int:
    if not folder.is_dir():
        print(f"no extraction data at {folder}; nothing measured")
        return 0
    groups = ("all", "half A", "half B") if split else ("all",)
    scores = {(group, name): Score() for group in groups for name in ("redraft", "trafilatura")}
    pages = sorted(folder.glob("*.html"))
    for path in pages:
        truth = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
        html = decode(path.read_bytes(), label=path.name)
        if not isinstance(html, str):
            continue
        for name in ("redraft", "trafilatura"):
            start = time.perf_counter()
            text = redraft_text(html, path.name) if name == "redraft" else trafilatura_text(html)
            seconds = time.perf_counter() - start
            for group in ("all", f"half {half(path)}") if split else ("all",):
                scores[group, name].seconds += seconds
                add(scores[group, name], text, truth)
    print(f"{len(pages)} pages from {folder}")
    for (group, name), score in scores.items():
        print(score.line(name if group == "all" else f"{name} ({group[-1]})"))
    return 0


def cli(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path, nargs="?", default=DEFAULT_DIR,
                        help="pages (*.html) with their snippets (*.json)")
    parser.add_argument("--split", action="store_true",
                        help="also score two fixed halves of the pages (tune on one, check on "
                             "the other)")
    args = parser.parse_args(argv)
    return main(args.folder, split=args.split)


if __name__ == "__main__":
    sys.exit(cli())
