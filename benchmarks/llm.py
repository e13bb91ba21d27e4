"""The LLM engine: throughput and outcomes against a real server, or redraft's own overhead.

Usage::

    python benchmarks/llm.py --url URL --model NAME DIR [--limit 200] [--concurrency 8]
    python benchmarks/llm.py [--self-test] DIR [--limit 200] [--concurrency 1,4,8,16] [--think 0.05]

``DIR`` holds WordPress REST API posts, one JSON object per ``*.json`` file (for example
``../shared/data/wp-posts`` or ``examples/posts``); they are read by
:class:`~redraft.sources.files.FileSource` and extracted by :func:`redraft.extract.extract`.
``--limit`` posts are used (the usable ones are cycled when there are fewer).

**Real server** (``--url``, ``--model``; the key from ``REDRAFT_LLM_API_KEY``): after the
engine's start-up check, the pipeline runs every post (LLM engine, verification, one revision,
extractive fallback, a throw-away store) at the first ``--concurrency`` level and prints
drafts per second, tokens, how the answers ended (``finish_reason``: ``length`` is cut off at
``max_tokens``), and the share of drafts that passed first time, after repair, that fell back
(with each reason), that were kept failed, and that failed outright. The tests' real model
(SmolLM2-135M under llama.cpp's server) runs it as::

    python tests/real_llm.py python benchmarks/llm.py examples/posts --url {url} \
        --model {model} --limit 5

**Self-test** (no ``--url``, or ``--self-test``): ``tests/llm_server.py`` runs in a process of
its own, answering each request with the lead of its article after ``--think`` seconds. For
each concurrency level, every post goes through :meth:`LLMCondenser.condense`, and the
benchmark prints redraft's own overhead per request two ways: CPU time of this process per
request (everything redraft does: prompt, JSON, HTTP client, cleaning; it excludes waiting,
and other processes on the machine disturb it least), and wall time per request minus the
server's think time (an upper bound: it also holds the test server's own HTTP handling and
the loopback, and on a small machine the wait for a core the server is using), beside the
test server's own CPU time per request. Then the whole pipeline (extract, condense, verify,
store) runs at each level too, for its CPU time per item. The target is under 5 ms of
redraft's own work (its process's CPU time) per request at concurrency 8.
Exits 0, saying why, when ``DIR`` is absent.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx

from redraft.condense.extractive import ExtractiveCondenser
from redraft.condense.llm import LLMCondenser
from redraft.config import HttpOptions, LLMOptions
from redraft.errors import RedraftError, Rejected
from redraft.extract import extract
from redraft.http import Retrier
from redraft.pipeline import Engines, RunOptions, run
from redraft.records import Article, Budget, Entry, Publication, Verdict
from redraft.sources.files import FileSource
from redraft.store import Store

ROOT = Path(__file__).resolve().parent.parent
SERVER = ROOT / "tests" / "llm_server.py"
TARGET_MS = 5.0  # the bound on redraft's own time per request at concurrency 8
TARGET_CONCURRENCY = 8
WARM_UP = 4  # requests before timing: connections opened, caches filled


def load(directory: Path, limit: int) -> tuple[list[Entry], list[Article]]:
    """Up to ``limit`` entries and their articles, the usable ones cycled to fill ``limit``."""
    pairs: list[tuple[Entry, Article]] = []
    for item in FileSource([directory]).entries():
        if not isinstance(item, Entry):
            continue
        try:
            pairs.append((item, extract(item)))
        except Rejected:
            continue
        if len(pairs) >= limit:
            break
    entries: list[Entry] = []
    articles: list[Article] = []
    for n in range(limit if pairs else 0):
        entry, article = pairs[n % len(pairs)]
        copy = dataclasses.replace(entry, key=f"{entry.key}#{n}")
        entries.append(copy)
        articles.append(dataclasses.replace(article, entry=copy))
    return entries, articles


def parse_budget(text: str) -> Budget:
    """``ratio=0.35``, ``words=120`` or ``sentences=3``."""
    kind, _, value = text.partition("=")
    return Budget(kind, float(value))  # type: ignore[arg-type]


def engine(url: str, model: str, concurrency: int, api_key: str = "",
           hooks: dict[str, list[Any]] | None = None) -> tuple[LLMCondenser, httpx.Client]:
    http = HttpOptions(concurrency=concurrency, retries=2, backoff=0.05)
    client = httpx.Client(timeout=httpx.Timeout(60.0, pool=None), event_hooks=hooks,
                          limits=httpx.Limits(max_connections=max(10, concurrency * 2)))
    options = LLMOptions(url=url, model=model, api_key=api_key)
    return LLMCondenser(Retrier(client, http), options), client


class Answers:
    """Counts how each chat answer ended (``finish_reason``), from the client's response hook."""

    def __init__(self) -> None:
        self.finish: Counter[str] = Counter()

    def __call__(self, response: httpx.Response) -> None:
        if not response.request.url.path.endswith("/chat/completions"):
            return
        response.read()
        try:
            choice = response.json()["choices"][0]
        except (ValueError, KeyError, IndexError, TypeError):
            self.finish["(no answer)"] += 1
            return
        self.finish[str(choice.get("finish_reason"))] += 1


class Collect:
    """A sink that keeps every verdict and every skipped item."""

    name = "collect"

    def __init__(self) -> None:
        self.verdicts: list[Verdict] = []
        self.skipped: list[RedraftError] = []

    def write(self, verdict: Verdict) -> Publication:
        self.verdicts.append(verdict)
        return Publication(verdict, self.name, "")

    def skip(self, key: str, source: str, error: RedraftError) -> None:
        self.skipped.append(error)

    def close(self) -> None:
        pass


def outcome(verdict: Verdict) -> str:
    draft = verdict.draft
    if "fallback" in draft.engine:
        return "fell back"
    if not verdict.passed:
        return "kept failed"
    return "first time" if draft.attempts == 1 else "after repair"


def run_pipeline(condenser: LLMCondenser, entries: Sequence[Entry], budget: Budget,
                 concurrency: int) -> tuple[Collect, float, float, Any]:
    """The whole pipeline over ``entries`` with a throw-away store: (sink, wall, cpu, report)."""
    sink = Collect()
    with tempfile.TemporaryDirectory() as tmp, Store.open(Path(tmp) / "bench.db") as store:
        wall, cpu = time.perf_counter(), time.process_time()
        report = run(entries, engines=Engines(condenser, ExtractiveCondenser()), store=store,
                     sinks=[sink], options=RunOptions(budget=budget, concurrency=concurrency))
        return sink, time.perf_counter() - wall, time.process_time() - cpu, report


def real_server(args: argparse.Namespace, entries: Sequence[Entry], budget: Budget) -> None:
    concurrency = args.concurrency[0]
    answers = Answers()
    condenser, client = engine(args.url, args.model, concurrency,
                               os.environ.get("REDRAFT_LLM_API_KEY", ""),
                               hooks={"response": [answers]})
    with client:
        condenser.check()
        sink, wall, cpu, report = run_pipeline(condenser, entries, budget, concurrency)
    shares = Counter(outcome(v) for v in sink.verdicts)
    shares["failed"] = len(sink.skipped)
    drafts = len(sink.verdicts)
    print(f"{args.url} model {args.model}: {len(entries)} posts at concurrency {concurrency}, "
          f"budget {budget.describe()}")
    print(f"  {drafts / wall:.2f} drafts/s ({wall:.1f} s wall, {cpu:.1f} s CPU in redraft)")
    usage = report.usage
    print(f"  tokens: {usage.prompt_tokens} prompt + {usage.completion_tokens} completion "
          f"({usage.total_tokens / max(1, drafts):.0f} per draft)")
    ended = ", ".join(f"{reason} {n}" for reason, n in answers.finish.most_common())
    print(f"  answers: {answers.finish.total()} ({ended or 'none'}; length = cut off at max_tokens)")
    for name in ("first time", "after repair", "fell back", "kept failed", "failed"):
        print(f"  {name:>12}: {shares[name]:4d}  {shares[name] / max(1, len(entries)):6.1%}")
    reasons = Counter(v.draft.engine.partition("(fallback: ")[2].rstrip(")") for v in sink.verdicts
                      if outcome(v) == "fell back")
    for reason, n in reasons.most_common():
        print(f"      {n:4d} fell back: {reason}")


def start_server(think: float) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen([sys.executable, str(SERVER), "--think", str(think)],
                               stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    url = process.stdout.readline().strip()
    if not url.startswith("http://"):
        process.kill()
        raise SystemExit(f"the test server did not start (it said {url!r})")
    return process, url


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) a process has used so far, from /proc; 0 where there is none."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def chats(url: str) -> int:
    stats = httpx.get(url.removesuffix("/v1") + "/_stats").json()
    return int(stats["chats"])


def self_test(args: argparse.Namespace, entries: Sequence[Entry], articles: Sequence[Article],
              budget: Budget) -> None:
    process, url = start_server(args.think)
    try:
        print(f"self-test: {len(articles)} posts from {args.dir}, budget {budget.describe()}, "
              f"server think {args.think * 1000:.0f} ms (separate process); load average "
              f"{os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
        print("condenser only (LLMCondenser.condense):")
        print(f"{'conc':>5} {'drafts/s':>9} {'requests':>9} {'cpu ms/req':>11} "
              f"{'wall-think ms/req':>18} {'server cpu ms/req':>18} {'p50 ms':>7} {'p95 ms':>7}")
        results = {}
        for level in args.concurrency:
            results[level] = measure(url, level, articles, budget, think=args.think,
                                     server=process.pid)
        print("whole pipeline (extract, condense, verify, store; CPU per item includes all):")
        print(f"{'conc':>5} {'items/s':>9} {'cpu ms/item':>12} {'first':>6} {'repair':>7} "
              f"{'fallbk':>7}")
        for level in args.concurrency:
            condenser, client = engine(url, "test-model", level)
            with client:
                sink, wall, cpu, _ = run_pipeline(condenser, entries, budget, level)
            shares = Counter(outcome(v) for v in sink.verdicts)
            print(f"{level:5d} {len(entries) / wall:9.1f} {cpu * 1000 / len(entries):12.2f} "
                  f"{shares['first time']:6d} {shares['after repair']:7d} "
                  f"{shares['fell back']:7d}")
    finally:
        process.terminate()
        process.wait()
    if TARGET_CONCURRENCY in results:
        cpu, wall = results[TARGET_CONCURRENCY]
        verdict = "met" if cpu < TARGET_MS else "NOT met"
        print(f"target (< {TARGET_MS:g} ms of redraft's CPU per request at concurrency "
              f"{TARGET_CONCURRENCY}): {verdict}: {cpu:.2f} ms CPU; wall bound {wall:.2f} ms "
              "(test server and loopback included)")


def measure(url: str, level: int, articles: Sequence[Article], budget: Budget,
            *, think: float, server: int) -> tuple[float, float]:
    """Condense every article at ``level`` threads; print and return (cpu, wall) ms/request."""
    condenser, client = engine(url, "test-model", level)
    with client, ThreadPoolExecutor(max_workers=level) as pool:
        list(pool.map(lambda a: condenser.condense(a, budget), articles[:WARM_UP]))
        before = chats(url)

        def timed(article: Article) -> float:
            start = time.perf_counter()
            condenser.condense(article, budget)
            return time.perf_counter() - start

        wall, cpu, served = time.perf_counter(), time.process_time(), cpu_seconds(server)
        latencies = list(pool.map(timed, articles))
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        served = cpu_seconds(server) - served
        requests = chats(url) - before
    cpu_ms = cpu * 1000 / requests
    wall_ms = (sum(latencies) - requests * think) * 1000 / requests
    cuts = statistics.quantiles([x * 1000 for x in latencies], n=20)
    print(f"{level:5d} {len(articles) / wall:9.1f} {requests:9d} {cpu_ms:11.2f} "
          f"{wall_ms:18.2f} {served * 1000 / requests:18.2f} {cuts[9]:7.1f} {cuts[18]:7.1f}")
    return cpu_ms, wall_ms


def levels(text: str) -> list[int]:
    return [int(part) for part in text.split(",") if part.strip()]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dir", type=Path, help="a directory of WordPress REST JSON posts")
    parser.add_argument("--url", help="an OpenAI-compatible base URL, e.g. http://127.0.0.1:8000/v1")
    parser.add_argument("--model", help="the model name the server knows")
    parser.add_argument("--self-test", action="store_true",
                        help="measure redraft's overhead against tests/llm_server.py")
    parser.add_argument("--limit", type=int, default=200, help="posts to run (default 200)")
    parser.add_argument("--concurrency", type=levels, default=None,
                        help="levels, comma-separated (default 1,4,8,16; 8 for a real server)")
    parser.add_argument("--think", type=float, default=0.05,
                        help="the test server's seconds per answer (default 0.05)")
    parser.add_argument("--budget", type=parse_budget, default=None,
                        help="ratio=R, words=N or sentences=N (default ratio=0.35 for a real "
                             "server, sentences=3 for the self-test: the test server answers "
                             "with 3 sentences)")
    args = parser.parse_args(argv)
    if not args.dir.is_dir():
        print(f"{args.dir}: no such directory; nothing to measure")
        return 0
    real = bool(args.url) and not args.self_test
    if real and not args.model:
        parser.error("--url needs --model")
    args.concurrency = args.concurrency or ([8] if real else [1, 4, 8, 16])
    budget = args.budget or (Budget("ratio", 0.35) if real else Budget("sentences", 3))
    entries, articles = load(args.dir, args.limit)
    if not articles:
        print(f"{args.dir}: no usable posts; nothing to measure")
        return 0
    if real:
        real_server(args, entries, budget)
    else:
        self_test(args, entries, articles, budget)
    return 0


if __name__ == "__main__":
    sys.exit(main())
