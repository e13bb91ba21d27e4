"""Speed and peak memory of redraft's default job beside trafilatura + sumy LexRank: in
process (the posts' work alone) and as whole processes (what a user pays).

Usage::

    python benchmarks/throughput.py DIR [--copies N] [--limit N] [--ratio R] [--no-baseline]
                                        [--repeat 3] [--peer PEER_JOB] [--sizes 100,1000,10000]
                                        [--in-process-only]

Whole processes are measured by ``benchmarks/process.py`` (the same functions): ``redraft
rewrite DIR --format json --out OUT --db DB`` beside ``python PEER_JOB DIR/*.json``
(``../shared/bench/peer_job.py``), alternately, ``--repeat`` times each, both under ``taskset
-c 0``; the ratio of the median CPU times (and of wall times). Then one ``redraft rewrite`` for
each of ``--sizes`` posts (copies of DIR's posts with new ids): its peak memory, which must not
grow with the number of posts once every post of DIR has been seen (100 posts see only some of
them: a run of more warms the word caches on the rest, so 1,000 is printed beside 10,000 too),
and its CPU time a post. The end prints both ratios.

``DIR`` holds WordPress REST API posts, one JSON object per ``*.json`` file (for example
``../shared/data/wp-posts``). Two systems run over the same posts, each in its own fresh child
process (``spawn``), both pinned to one CPU core:

- **redraft**: :func:`redraft.extract.extract` → :class:`ExtractiveCondenser` at ``--ratio``
  → :func:`redraft.verify.verify` (when that module exists);
- **baseline**: ``trafilatura.extract()`` on ``content.rendered`` → sumy's LexRank with as many
  sentences as redraft's draft of the same post (3 when redraft made none). sumy's default
  tokenizer needs NLTK's punkt data, which is not downloaded: it gets a tokenizer built on
  :mod:`redraft.text` instead; its stemmer (NLTK Snowball, code only) and stop words (shipped
  with sumy) are its own.

``--copies N`` streams the directory N times (files are read again each time, never held), so
``--limit 100`` against ``--limit 100 --copies 50`` (5,000 posts) shows whether peak memory
grows with the number of posts; "MiB 1 pass" is the peak after the first pass over the files.
Articles per second count CPU time spent on the posts (reading the JSON excluded), which other
processes on the machine disturb less than wall time; wall time is printed too. Peak memory is
each child's own ``ru_maxrss``. Exits 0, saying why, when ``DIR`` is absent.
"""

from __future__ import annotations

import argparse
import html
import importlib
import json
import multiprocessing
import os
import re
import resource
import sys
import tempfile
import time
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks import process  # the whole-process measures, shared

_TAG = re.compile(r"<[^>]+>")
_DEFAULT_SENTENCES = 3  # LexRank's length when redraft made no draft of a post
Result = dict[str, Any]


def post_files(directory: Path) -> list[Path]:
    """The post files of a directory, in a stable order."""
    return sorted(path for path in directory.glob("*.json") if path.is_file())


def posts(files: Sequence[Path], copies: int) -> Iterator[tuple[str, dict[str, Any]]]:
    """Each post of ``files``, ``copies`` times over, read from disk as it is needed."""
    for _ in range(copies):
        for path in files:
            try:
                post = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            if isinstance(post, dict):
                yield str(path), post


def _rendered(post: Mapping[str, Any], field: str) -> str:
    value = post.get(field)
    if isinstance(value, Mapping):
        return str(value.get("rendered") or "")
    return str(value or "")


def _verifier() -> Callable[[Any], Any] | None:
    """``redraft.verify.verify``, or None while that module does not exist yet."""
    try:
        module = importlib.import_module("redraft.verify")
    except ImportError:
        return None
    verify: Callable[[Any], Any] | None = getattr(module, "verify", None)
    return verify


def _peak_mib() -> float:
    # Linux reports ru_maxrss in KiB.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_redraft(files: Sequence[Path], copies: int, ratio: float) -> Result:
    """The default job over the posts; returns counts, times, peak memory, sentence counts."""
    from redraft.condense.extractive import ExtractiveCondenser
    from redraft.config import ExtractOptions
    from redraft.errors import Rejected
    from redraft.extract import extract
    from redraft.records import Budget, Entry
    from redraft.text import split_sentences

    verify = _verifier()
    condenser, budget, options = ExtractiveCondenser(), Budget("ratio", ratio), ExtractOptions()
    counts: dict[str, int] = {}
    stages = {"extract": 0.0, "condense": 0.0, "verify": 0.0}
    done = rejected = 0
    cpu = wall = 0.0
    first_pass_peak = 0.0
    for number, (path, post) in enumerate(posts(files, copies), start=1):
        started, started_wall = time.process_time(), time.perf_counter()
        entry = Entry(
            source=f"file:{path}",
            key=f"{path}#{post.get('id', '')}",
            url=str(post.get("link") or ""),
            title=html.unescape(_TAG.sub("", _rendered(post, "title"))).strip(),
            html=_rendered(post, "content"),
        )
        draft = None
        try:
            article = extract(entry, options)
            lap = time.process_time()
            stages["extract"] += lap - started
            draft = condenser.condense(article, budget)
            stages["condense"] += time.process_time() - lap
        except Rejected:
            rejected += 1
        if draft is not None:
            if verify is not None:
                lap = time.process_time()
                verify(draft)
                stages["verify"] += time.process_time() - lap
            done += 1
        cpu += time.process_time() - started
        wall += time.perf_counter() - started_wall
        if draft is not None and path not in counts:
            language = draft.article.language
            counts[path] = sum(len(split_sentences(p, language)) for p in draft.paragraphs)
        if number == len(files):
            first_pass_peak = _peak_mib()
    return {
        "articles": done + rejected, "drafts": done, "rejected": rejected, "cpu": cpu,
        "wall": wall, "peak": _peak_mib(), "first_pass_peak": first_pass_peak or _peak_mib(),
        "counts": counts, "verify": verify is not None, "stages": stages,
    }


class RedraftTokenizer:
    """A sumy tokenizer built on :mod:`redraft.text`, so sumy needs no NLTK data."""

    def __init__(self, language: str) -> None:
        self.language = language

    def to_sentences(self, paragraph: str) -> tuple[str, ...]:
        """The sentences of a paragraph."""
        from redraft.text import split_sentences

        return tuple(split_sentences(paragraph, self.language))

    def to_words(self, sentence: str) -> tuple[str, ...]:
        """The words of a sentence."""
        from redraft.text import words

        return tuple(words(sentence))


def run_baseline(files: Sequence[Path], copies: int, counts: Mapping[str, int]) -> Result:
    """trafilatura's extract() then sumy's LexRank over the posts."""
    import trafilatura
    from sumy.nlp.stemmers import Stemmer
    from sumy.parsers.plaintext import PlaintextParser
    from sumy.summarizers.lex_rank import LexRankSummarizer
    from sumy.utils import get_stop_words

    from redraft.text import detect_language

    # LexRank divides by a zero norm on one-sentence texts; its warning is noise here.
    warnings.filterwarnings("ignore", category=RuntimeWarning, module="sumy")
    names = {"en": "english", "es": "spanish", "fr": "french", "pt": "portuguese", "de": "german",
             "it": "italian"}
    summarizers: dict[str, LexRankSummarizer] = {}
    done = rejected = 0
    cpu = wall = 0.0
    first_pass_peak = 0.0
    for number, (path, post) in enumerate(posts(files, copies), start=1):
        started, started_wall = time.process_time(), time.perf_counter()
        text = trafilatura.extract(_rendered(post, "content"))
        if text:
            language = detect_language(text)
            language = language if language in names else "en"  # sumy has no other stemmer
            if language not in summarizers:
                summarizer = LexRankSummarizer(Stemmer(names[language]))
                summarizer.stop_words = get_stop_words(names[language])
                summarizers[language] = summarizer
            document = PlaintextParser(text, RedraftTokenizer(language)).document
            summarizers[language](document, counts.get(path, _DEFAULT_SENTENCES))
            done += 1
        else:
            rejected += 1
        cpu += time.process_time() - started
        wall += time.perf_counter() - started_wall
        if number == len(files):
            first_pass_peak = _peak_mib()
    return {
        "articles": done + rejected, "drafts": done, "rejected": rejected, "cpu": cpu,
        "wall": wall, "peak": _peak_mib(), "first_pass_peak": first_pass_peak or _peak_mib(),
    }


def _child(target: str, args: tuple[Any, ...], queue: Any) -> None:
    queue.put(globals()[target](*args))


def in_child(target: str, *args: Any) -> Result:
    """Run ``target(*args)`` in a fresh process, so its imports and memory are its own."""
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=_child, args=(target, args, queue))
    process.start()
    result: Result = queue.get()
    process.join()
    return result


def _line(name: str, result: Result) -> str:
    rate = result["articles"] / result["cpu"] if result["cpu"] else float("inf")
    wall_rate = result["articles"] / result["wall"] if result["wall"] else float("inf")
    return (
        f"{name:<34}{result['articles']:>9}{result['drafts']:>8}{rate:>12.1f}{wall_rate:>12.1f}"
        f"{result['first_pass_peak']:>12.1f}{result['peak']:>12.1f}"
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("directory", type=Path, help="a directory of WP REST JSON posts")
    parser.add_argument("--copies", type=int, default=1, help="stream the posts N times")
    parser.add_argument("--ratio", type=float, default=0.35, help="redraft's budget (0.35)")
    parser.add_argument("--limit", type=int, default=None, help="only the first N post files")
    parser.add_argument("--no-baseline", action="store_true", help="run redraft alone")
    parser.add_argument("--repeat", type=int, default=3, help="whole-process runs of each")
    parser.add_argument("--peer", type=Path, default=process.DEFAULT_PEER,
                        help="the peer job script (whole processes)")
    parser.add_argument("--sizes", default="100,1000,10000",
                        help="posts per whole-process run for the memory check")
    parser.add_argument("--in-process-only", action="store_true",
                        help="skip the whole-process measures")
    args = parser.parse_args(argv)
    files = post_files(args.directory)[: args.limit] if args.directory.is_dir() else []
    if not files:
        print(f"skipped: no *.json posts in {args.directory}")
        return 0
    whole = None
    if not args.in_process_only:
        whole = whole_process(args.directory, args.peer, args.repeat,
                              [int(size) for size in args.sizes.split(",") if size])
    inside = in_process(files, args)
    print("summary: " + "; ".join(
        part for part in (
            f"whole-process speed ratio {whole:.1f}x (CPU, medians)" if whole else "",
            f"in-process speed ratio {inside:.1f}x (CPU)" if inside else "",
        ) if part))
    return 0


def whole_process(directory: Path, peer: Path, repeat: int, sizes: Sequence[int]) -> float | None:
    """``benchmarks/process.py``'s measures: the whole-process ratio (CPU, medians) against
    the peer job, and the peak memory by number of posts."""
    with tempfile.TemporaryDirectory(prefix="redraft-throughput-") as temporary:
        scratch = Path(temporary)
        print(f"whole processes, each under taskset -c 0; load {os.getloadavg()[0]:.1f}",
              flush=True)
        ratio = None
        if peer.is_file():
            ratio, _ = process.compare_peer(directory, peer, repeat, scratch)
        else:
            print(f"whole-process ratio skipped: no peer job at {peer}")
        print("whole-process peak memory by number of posts (redraft rewrite, one run each):")
        runs = process.peak_by_size(directory, sizes, scratch)
        if len(runs) > 1:
            print(f"peak memory, {sizes[-1]} posts against {sizes[0]}: "
                  f"{runs[-1].peak / runs[0].peak:.2f}x ({runs[-1].peak - runs[0].peak:+.1f} MiB)")
        if len(runs) > 2:  # past the first pass over DIR's posts the caches hold its vocabulary
            print(f"peak memory, {sizes[-1]} posts against {sizes[-2]}: "
                  f"{runs[-1].peak / runs[-2].peak:.2f}x ({runs[-1].peak - runs[-2].peak:+.1f} MiB)")
        return ratio


def in_process(files: Sequence[Path], args: argparse.Namespace) -> float | None:
    """The posts' work alone, redraft then the baseline, each in its own child on one core;
    the speed ratio (CPU time), or None without the baseline."""
    pinned = process.pin_one_core()
    print(f"in process: {len(files)} posts x {args.copies} copies from {args.directory}; "
          f"{pinned}; each system in its own spawned process")
    ours = in_child("run_redraft", files, args.copies, args.ratio)
    job = "extract + condense" + (" + verify" if ours["verify"] else " (verify: not available)")
    print(f"redraft: {job}, ratio {args.ratio:g}; CPU ms per article by stage: " + ", ".join(
        f"{stage} {seconds / ours['articles'] * 1000:.2f}" for stage, seconds in ours["stages"].items()
    ))
    header = (f"{'':34}{'articles':>9}{'drafts':>8}{'art/s cpu':>12}{'art/s wall':>12}"
              f"{'MiB 1 pass':>12}{'MiB peak':>12}")
    if args.no_baseline:
        print(header)
        print(_line("redraft", ours))
        return None
    base = in_child("run_baseline", files, args.copies, ours["counts"])
    print("baseline: trafilatura.extract + sumy LexRank, same sentence count as redraft's draft;"
          " sumy uses a redraft.text tokenizer (no NLTK punkt data)")
    print(header)
    print(_line("redraft", ours))
    print(_line("trafilatura + sumy LexRank", base))
    speedup: float = (ours["articles"] / ours["cpu"]) / (base["articles"] / base["cpu"])
    print(f"in-process speed ratio (redraft / baseline, CPU time): {speedup:.1f}x; "
          f"peak memory ratio: {ours['peak'] / base['peak']:.2f}")
    return speedup


if __name__ == "__main__":
    sys.exit(main())
