"""`redraft sync` against hostile servers at full size: time and peak memory of each role.

Usage::

    python benchmarks/hostile.py [--roles endless,huge,...] [--size-mb 500]

For each role of tests/hostile.py (a server on 127.0.0.1 in this process), runs the real CLI,
``python -m redraft sync <site> --db <fresh file>``, in a child process with the default caps
(redraft/http.py), and prints: the role, the child's wall time, its peak RSS (VmHWM from
/proc, so the server's own memory is not counted), its exit code, and the first line of what
it said about the failure. Each role must end by itself, well within a minute (the trickle
within the request deadline), under 300 MB.

Roles: endless (a body that never ends), huge (a valid JSON page of --size-mb), gzip_bomb
(--size-mb of JSON gzipped), trickle (a byte every 0.2 s), redirect_loop, redirect_js, deep
(JSON nested 100,000 deep), empty_pages (a billion claimed), same_posts (every page the same),
locked_feed (a locked API and a feed with new items on every page).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.hostile import HostileSite  # noqa: E402 - after the path is set

ROLES = ("endless", "huge", "gzip_bomb", "trickle", "redirect_loop", "redirect_js", "deep",
         "empty_pages", "same_posts", "locked_feed")
_GIVE_UP = 300.0  # seconds: a role still running then is a failure of this benchmark
_WORDS = ("cap", "deadline", "redirect", "nested", "gzip", "stopped", "locked", "error")


def child(argv: list[str], report: str) -> None:
    """Run the CLI in this process, then write this process's peak RSS to ``report``."""
    from redraft.cli import main

    try:
        main.main(argv, prog_name="redraft", standalone_mode=True)
    finally:
        status = Path("/proc/self/status").read_text(encoding="ascii")
        peak = next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM"))
        Path(report).write_text(peak, encoding="ascii")


def run_role(role: str, size: int) -> str:
    depth_or_size = 100_000 if role == "deep" else size
    with HostileSite(role=role, interval=0.2, count=5, size=depth_or_size) as site, \
            tempfile.TemporaryDirectory() as scratch:
        report = str(Path(scratch) / "peak")
        if role == "gzip_bomb":
            site.bomb()  # made before the clock starts: the server's work, not redraft's
        command = [sys.executable, __file__, "--child", report, "sync", site.base_url,
                   "--db", str(Path(scratch) / "state.db")]
        started = time.perf_counter()
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=_GIVE_UP,
                                  env={**os.environ, "COLUMNS": "200"}, check=False)
        except subprocess.TimeoutExpired:
            return f"{role:<14} did not end within {_GIVE_UP:.0f} s"
        elapsed = time.perf_counter() - started
        peak_mb = int(Path(report).read_text(encoding="ascii")) / 1024
        said = _first_message(done.stderr)
        requests = len(site.requests)
    return (f"{role:<14} {elapsed:6.1f} s  peak {peak_mb:6.1f} MB  exit {done.returncode}  "
            f"requests {requests:4d}  {said}")


def _first_message(stderr: str) -> str:
    lines = [" ".join(line.split()) for line in stderr.splitlines() if line.strip()]
    for line in lines:
        if line.startswith(("•", "WARNING", "error")):
            return line if len(line) <= 160 else "…" + line[-150:]
    for line in lines:
        if any(word in line.lower() for word in _WORDS):
            return line[:160]
    return lines[0][:160] if lines else "(nothing said)"


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["--child"]:
        child(args[2:], args[1])
        return 0
    parser = argparse.ArgumentParser(prog="benchmarks/hostile.py", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--roles", default=",".join(ROLES), help="comma-separated roles")
    parser.add_argument("--size-mb", type=int, default=500, help="size of huge and gzip_bomb")
    options = parser.parse_args(args)
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs; sizes {options.size_mb} MB")
    for role in options.roles.split(","):
        print(run_role(role.strip(), options.size_mb * 1024 * 1024), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
