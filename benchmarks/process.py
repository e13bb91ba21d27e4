"""Whole processes, as a user runs them: ``redraft rewrite`` beside the peer job, and
``--workers 2`` beside ``--workers 1``.

Usage::

    python benchmarks/process.py DIR [--peer PEER_JOB] [--repeat 5] [--copies N]
    python benchmarks/process.py DIR --workers 1,2 [--copies 6] [--repeat 3]

``DIR`` holds WordPress REST API posts, one object per ``*.json`` file (for example
``../shared/data/wp-posts``); ``--copies N`` writes N copies of them to a temporary folder,
each post with its own id, so that every copy is new work (N=6 makes about 3,000 posts from
wp-posts). The first form runs, alternately and ``--repeat`` times each, both under
``taskset -c 0`` (one core)::

    redraft rewrite DIR --format json --out OUT --db DB      (fresh OUT and DB each run)
    python PEER_JOB DIR/*.json                                (../shared/bench/peer_job.py)

and prints for each the median and range of wall time, of CPU time (user + sys of the process
and its children, which other load on the machine disturbs less) and of peak memory, then the
ratios of the medians (``benchmarks/throughput.py`` prints this ratio too, beside its in-process
one and the peak memory at 100 and 10,000 posts). The second form runs
``rewrite --workers N`` for each N, alternately, on all cores, and compares wall and CPU time.
Exits 0, saying why, when ``DIR`` or the peer job is absent.
"""

from __future__ import annotations

import argparse
import compileall
import functools
import importlib.util
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PEER = ROOT.parent / "shared" / "bench" / "peer_job.py"
# Each copy's post ids are shifted by this much, beyond any real site's ids in the data.
_ID_STRIDE = 10_000_000


@dataclass(frozen=True)
class Measure:
    """One process: wall seconds, CPU seconds (user + sys, with children), peak MiB."""

    wall: float
    cpu: float
    peak: float


def measure(command: Sequence[str], *, cwd: Path) -> Measure:
    """Run ``command`` to its end; its wall time, CPU time and peak memory."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode not in (0, 1):  # 1: some posts rejected, which is normal here
        raise SystemExit(f"{' '.join(command[:4])}... exited {process.returncode}")
    # ru_maxrss is in KiB on Linux; wait4 gives the process's own (children are few and small).
    return Measure(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


def copies(directory: Path, count: int, into: Path, *, total: int | None = None) -> Path:
    """``count`` copies of the posts of ``directory`` in ``into``, each post its own id (or,
    with ``total``, as many copies as make ``total`` posts, the last one cut short)."""
    into.mkdir(parents=True, exist_ok=True)
    files = sorted(directory.glob("*.json"))
    if total is not None:
        count = -(-total // max(1, len(files)))
    written = 0
    for number in range(count):
        for path in files:
            if total is not None and written >= total:
                return into
            try:
                post = json.loads(path.read_text(encoding="utf-8"))
            except ValueError:
                continue
            if isinstance(post, dict) and isinstance(post.get("id"), int):
                post["id"] += number * _ID_STRIDE
            (into / f"{number}-{path.name}").write_text(json.dumps(post), encoding="utf-8")
            written += 1
    return into


def pin_one_core() -> str:
    """Pin this process (and the children it starts) to one CPU core; say which."""
    if not hasattr(os, "sched_setaffinity"):
        return "not pinned (no sched_setaffinity on this system)"
    core = min(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {core})
    return f"pinned to CPU core {core}"


def pinned() -> list[str]:
    """The prefix that runs a command on one core (``taskset -c 0``), where taskset exists."""
    return ["taskset", "-c", "0"] if shutil.which("taskset") else []


@functools.cache
def compiled_once() -> None:
    """Compile redraft's modules to bytecode, as pip does at install: a checkout whose modules
    changed since ``make setup`` would otherwise compile them again in every measured run
    where bytecode is not written (``PYTHONDONTWRITEBYTECODE``, a read-only tree)."""
    spec = importlib.util.find_spec("redraft")
    if spec is not None and spec.origin is not None:
        compileall.compile_dir(Path(spec.origin).parent, quiet=1)


def redraft_command(directory: Path, scratch: Path, workers: int | None = None) -> list[str]:
    """``redraft rewrite`` as installed next to this Python, into a fresh folder and database."""
    compiled_once()
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    script = Path(sys.executable).with_name("redraft")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "redraft"]
    command += ["rewrite", str(directory.resolve()), "--format", "json", "--out", str(scratch / "out"),
                "--db", str(scratch / "redraft.db")]
    return command + (["--workers", str(workers)] if workers else [])


def summary(name: str, runs: Sequence[Measure]) -> str:
    """Median and range of each measure."""
    def spread(values: list[float], unit: str) -> str:
        return (f"{statistics.median(values):7.2f}{unit} "
                f"[{min(values):.2f}-{max(values):.2f}]")
    return (f"{name:<22} wall {spread([r.wall for r in runs], 's')}   "
            f"cpu {spread([r.cpu for r in runs], 's')}   "
            f"peak {spread([r.peak for r in runs], ' MiB')}")


def compare_peer(directory: Path, peer: Path, repeat: int, scratch: Path) -> tuple[float, float]:
    """redraft and the peer job, alternately, on core 0; the ratios (peer / redraft) of the
    median CPU and wall times."""
    pin = pinned()
    directory = directory.resolve()
    files = [str(path) for path in sorted(directory.glob("*.json"))]
    ours: list[Measure] = []
    theirs: list[Measure] = []
    for round_ in range(repeat):
        order = ("redraft", "peer") if round_ % 2 == 0 else ("peer", "redraft")
        for system in order:
            if system == "redraft":
                ours.append(measure(pin + redraft_command(directory, scratch / "r"), cwd=scratch))
            else:
                theirs.append(measure([*pin, sys.executable, str(peer), *files], cwd=scratch))
        print(f"  round {round_ + 1}: redraft cpu {ours[-1].cpu:.2f}s wall {ours[-1].wall:.2f}s;"
              f" peer cpu {theirs[-1].cpu:.2f}s wall {theirs[-1].wall:.2f}s", flush=True)
    print(summary("redraft rewrite", ours))
    print(summary("peer job", theirs))
    cpu = statistics.median(r.cpu for r in theirs) / statistics.median(r.cpu for r in ours)
    wall = statistics.median(r.wall for r in theirs) / statistics.median(r.wall for r in ours)
    per_round = sorted(t.cpu / o.cpu for o, t in zip(ours, theirs, strict=True))
    print(f"whole-process speed ratio (peer / redraft, medians): CPU {cpu:.1f}x, wall {wall:.1f}x;"
          f" per-round CPU ratios {', '.join(f'{r:.1f}' for r in per_round)}")
    return cpu, wall


def peak_by_size(directory: Path, sizes: Sequence[int], scratch: Path) -> list[Measure]:
    """One ``redraft rewrite`` on core 0 over the first N posts (copies, new ids) of
    ``directory`` for each N: whether its peak memory grows with the number of posts."""
    results = []
    for size in sizes:
        posts = copies(directory, 0, scratch / f"n{size}", total=size)
        run = measure(pinned() + redraft_command(posts, scratch / f"m{size}"), cwd=scratch)
        shutil.rmtree(posts, ignore_errors=True)
        print(f"  {size:>6} posts: peak {run.peak:.1f} MiB, cpu {run.cpu:.2f}s "
              f"({run.cpu / size * 1000:.2f} ms a post), wall {run.wall:.2f}s", flush=True)
        results.append(run)
    return results


def compare_workers(directory: Path, counts: Sequence[int], repeat: int, scratch: Path) -> None:
    """``rewrite --workers N`` for each N, alternately, on every core."""
    runs: dict[int, list[Measure]] = {n: [] for n in counts}
    for round_ in range(repeat):
        order = list(counts) if round_ % 2 == 0 else list(reversed(counts))
        for n in order:
            runs[n].append(measure(redraft_command(directory, scratch / f"w{n}", n), cwd=scratch))
        print(f"  round {round_ + 1}: " + "; ".join(
            f"--workers {n} wall {runs[n][-1].wall:.2f}s cpu {runs[n][-1].cpu:.2f}s"
            for n in counts), flush=True)
        outputs = [(scratch / f"w{n}" / "out" / "drafts.jsonl").read_text(encoding="utf-8")
                   .splitlines() for n in counts]
        differ = [n for n, lines in zip(counts, outputs, strict=True) if lines != outputs[0]]
        print("  same output for every --workers" if not differ
              else f"  OUTPUTS DIFFER between --workers values: {first_difference(outputs)}",
              flush=True)
    for n in counts:
        print(summary(f"--workers {n}", runs[n]))
    base = statistics.median(r.wall for r in runs[counts[0]])
    for n in counts[1:]:
        print(f"--workers {n}: {base / statistics.median(r.wall for r in runs[n]):.2f}x faster "
              f"than --workers {counts[0]} (median wall)")
    print(f"load average at the end: {', '.join(f'{x:.1f}' for x in os.getloadavg())}")


def first_difference(outputs: Sequence[list[str]]) -> str:
    """Where the first output of several first differs from another: line and key."""
    first = outputs[0]
    for other in outputs[1:]:
        for number, (a, b) in enumerate(zip(first, other, strict=False), start=1):
            if a != b:
                return f"line {number} ({json.loads(a).get('key')} / {json.loads(b).get('key')})"
        if len(first) != len(other):
            return f"{len(first)} lines against {len(other)}"
    return "none"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("directory", type=Path, help="a directory of WP REST JSON posts")
    parser.add_argument("--peer", type=Path, default=DEFAULT_PEER, help="the peer job script")
    parser.add_argument("--repeat", type=int, default=5, help="runs of each (alternating)")
    parser.add_argument("--copies", type=int, default=0, help="N copies of the posts, new ids")
    parser.add_argument("--workers", help="compare rewrite --workers values, e.g. 1,2")
    args = parser.parse_args(argv)
    if not args.directory.is_dir() or not any(args.directory.glob("*.json")):
        print(f"skipped: no *.json posts in {args.directory}")
        return 0
    with tempfile.TemporaryDirectory(prefix="redraft-process-") as temporary:
        scratch = Path(temporary)
        directory = args.directory
        if args.copies:
            directory = copies(args.directory, args.copies, scratch / "posts")
        posts = len(list(directory.glob("*.json")))
        print(f"{posts} post files from {args.directory}"
              + (f" ({args.copies} copies)" if args.copies else "")
              + f"; {os.cpu_count()} cores; load {os.getloadavg()[0]:.1f}", flush=True)
        if args.workers:
            compare_workers(directory, [int(n) for n in args.workers.split(",")], args.repeat,
                            scratch)
            return 0
        if not args.peer.is_file():
            print(f"skipped: no peer job at {args.peer}")
            return 0
        compare_peer(directory, args.peer, args.repeat, scratch)
        largest = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"largest peak of any child, all runs: {largest:.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
