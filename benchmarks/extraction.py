"""Article extraction: redraft's ``extract`` against trafilatura's ``extract()`` on whole pages.

Scoring follows the article-extraction-benchmark: texts are split into word 4-grams
(shingles); precision, recall and F1 are computed over them. The pages in the data set carry
snippets, not whole reference texts, so the reference is what the snippets say: recall is the
share of ``must_contain`` shingles found in the output, precision the share of the snippet
shingles found in the output that come from ``must_contain`` rather than ``must_not_contain``
(boilerplate the output should have left out). Scores are micro-averaged over every page.

Usage: ``python benchmarks/extraction.py [DATA_DIR]`` (default ``../shared/data/extraction``);
exits 0 with a note when the folder is absent.
"""

from __future__ import annotations

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
        return (f"{name:<12} precision {precision:.3f}  recall {recall:.3f}  F1 {f1:.3f}  "
                f"({self.seconds:.1f} s)")


def shingles(text: str) -> set[tuple[str, ...]]:
    words = _WORD.findall(text.lower())
    if len(words) < SHINGLE:
        return {tuple(words)} if words else set()
    return {tuple(words[i:i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}


def redraft_text(html: str, label: str) -> str:
    entry = Entry(source=label, key=label, url="", title="", html=html)
    try:
        return "\n".join(extract(entry, OPTIONS).paragraphs)
    except RedraftError:
        return ""


def trafilatura_text(html: str) -> str:
    return trafilatura.extract(html) or ""


def add(score: Score, text: str, truth: dict[str, list[str]]) -> None:
    got = shingles(text)
    for snippet in truth["must_contain"]:
        wanted = shingles(snippet)
        score.wanted += len(wanted)
        score.found += len(wanted & got)
    for snippet in truth["must_not_contain"]:
        score.leaked += len(shingles(snippet) & got)


def main(folder: Path) -> int:
    if not folder.is_dir():
        print(f"no extraction data at {folder}; nothing measured")
        return 0
    scores = {"redraft": Score(), "trafilatura": Score()}
    pages = sorted(folder.glob("*.html"))
    for path in pages:
        truth = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
        html = decode(path.read_bytes(), label=path.name)
        if not isinstance(html, str):
            continue
        for name, score in scores.items():
            start = time.perf_counter()
            text = redraft_text(html, path.name) if name == "redraft" else trafilatura_text(html)
            score.seconds += time.perf_counter() - start
            add(score, text, truth)
    print(f"{len(pages)} pages from {folder}")
    for name, score in scores.items():
        print(score.line(name))
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_DIR))
