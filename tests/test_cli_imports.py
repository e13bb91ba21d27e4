"""Start-up: a command imports what it needs, not what other commands need (#13).

Each probe runs in a fresh interpreter (this process has imported everything already) and prints
the modules it ended with.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from redraft.cli import BLAS_THREAD_VARIABLES
from tests.conftest import EXAMPLES

# What `redraft rewrite` of local files never needs: the feed reader, the page extractor of the
# comparison benchmark, the browser, the review app, Ray, and redraft's network sources and sinks;
# nor, for UTF-8 JSON posts written as text, the charset guesser and the YAML parser; nor the HTTP
# client, nor multiprocessing (one worker runs in the command's own process), nor, off a terminal,
# rich's live display (the progress bar is shown only on one), nor the HTML parser of WordPress
# term names, nor the pieces of a Markdown credit line, nor, for a summary that fits the console,
# rich's table (with fractions).
HEAVY = ("feedparser", "trafilatura", "selenium", "flask", "werkzeug", "ray", "pyarrow",
         "charset_normalizer", "yaml", "httpx", "multiprocessing", "rich.progress", "rich.live",
         "redraft.web", "redraft.sources.site", "redraft.sources.feeds",
         "redraft.sources.discover", "redraft.sources.web", "redraft.sinks.wordpress",
         "redraft.cli.syncing", "redraft.pipeline.merging", "html.parser", "redraft.sinks.credit",
         "rich.table", "fractions")


def loaded_after(code: str, cwd: Path) -> set[str]:
    """The heavy modules in ``sys.modules`` after ``code`` ran in a new interpreter (off a
    terminal, its console 80 columns wide)."""
    probe = (f"import sys, json\n{code}\n"
             f"print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))")
    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          cwd=cwd, check=False, stdin=subprocess.DEVNULL, env=env)
    assert done.returncode == 0, done.stderr
    return set(json.loads(done.stdout.strip().splitlines()[-1]))


def test_the_probe_sees_what_a_network_command_imports(tmp_path: Path) -> None:
    assert {"feedparser", "redraft.sources.site"} <= loaded_after(
        "import redraft.cli.syncing", tmp_path)


def test_importing_the_rewrite_command_imports_nothing_heavy(tmp_path: Path) -> None:
    assert loaded_after("from redraft.cli import main\nmain.get_command(None, 'rewrite')",
                        tmp_path) == set()


def test_a_rewrite_of_local_files_imports_nothing_heavy(tmp_path: Path) -> None:
    run = ("from redraft.cli import main\n"
           "try:\n"
           f"    main(['rewrite', {str(EXAMPLES)!r}, '--db', 'r.db', '--out', 'out',"
           " '--workers', '1'])\n"
           "except SystemExit as exc:\n"
           "    assert exc.code == 0, exc.code")
    assert loaded_after(run, tmp_path) == set()
    assert len(list((tmp_path / "out").iterdir())) == len(list(EXAMPLES.glob("*.json")))


def test_extract_of_a_local_file_builds_no_http_client(tmp_path: Path) -> None:
    post = sorted(EXAMPLES.glob("*.json"))[0]
    run = ("from redraft.cli import main\n"
           "try:\n"
           f"    main(['extract', {str(post)!r}])\n"
           "except SystemExit as exc:\n"
           "    assert exc.code == 0, exc.code")
    assert loaded_after(run, tmp_path) == set()


def collector_after(call: str, cwd: Path) -> tuple[bool, bool, int]:
    """Whether the young generation's threshold changed, whether objects were frozen, and how
    many objects the collector still tracks, after ``call`` ran ``redraft rewrite`` of one post
    in a new interpreter."""
    post = sorted(EXAMPLES.glob("*.json"))[0]
    probe = ("import gc, sys\n"
             "before = gc.get_threshold()\n"
             "from redraft.cli import main\n"
             f"sys.argv = ['redraft', 'rewrite', {str(post)!r}, '--db', 'r.db', '--out', 'out',"
             " '--workers', '1']\n"
             "try:\n"
             f"    {call}\n"
             "except SystemExit as exc:\n"
             "    assert exc.code == 0, exc.code\n"
             "print(gc.get_threshold() != before, gc.get_freeze_count() > 0, len(gc.get_objects()))")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          cwd=cwd, check=False)
    assert done.returncode == 0, done.stderr
    changed, frozen, tracked = done.stdout.split()
    return changed == "True", frozen == "True", int(tracked)


def test_the_command_line_sets_the_garbage_collector_for_its_run(tmp_path: Path) -> None:
    changed, frozen, tracked = collector_after("main()", tmp_path)
    assert changed and frozen
    # Frozen at the end too: the interpreter's last collection has (almost) nothing to scan.
    assert tracked < 1_000


def test_a_caller_passing_arguments_keeps_its_garbage_collector(tmp_path: Path) -> None:
    changed, frozen, tracked = collector_after("main(sys.argv[1:])", tmp_path)
    assert not changed and not frozen
    assert tracked > 10_000  # what it loaded stays the collector's


ITALIAN = "".join(f"<p>{text}</p>" for text in (  # a language the model must tell
    "Il comune ha annunciato lunedì che il porto resterà aperto di notte per tutta l'estate.",
    "I pescatori chiedevano da mesi un orario più ampio per scaricare il pescato.",
    "La sindaca ha spiegato che la misura costerà circa duecentomila euro all'anno.",
    "Secondo la cooperativa, l'apertura permetterà di vendere il pesce fresco nei mercati del "
    "mattino.",
))


def blas_threads_after(cwd: Path, preset: str | None) -> tuple[bool, str, bool]:
    """Whether numpy was loaded before the command ran, the OpenBLAS thread variable after
    ``redraft rewrite`` of one post ran in a new interpreter (``preset`` in its environment),
    and whether the run loaded numpy (its language scorer, which plainly English, Spanish or
    French text does not need)."""
    post = cwd / "post.json"
    post.write_text(json.dumps({"id": 7, "link": "https://example.org/?p=7",
                                "title": {"rendered": "Il porto apre di notte"},
                                "content": {"rendered": ITALIAN}}), encoding="utf-8")
    probe = ("import os, sys\n"
             "from redraft.cli import main\n"
             "early = 'numpy' in sys.modules\n"
             f"sys.argv = ['redraft', 'rewrite', {str(post)!r}, '--db', 'r.db', '--out', 'out',"
             " '--workers', '1']\n"
             "try:\n"
             "    main()\n"
             "except SystemExit as exc:\n"
             "    assert exc.code == 0, exc.code\n"
             "print(early, os.environ.get('OPENBLAS_NUM_THREADS'), 'numpy' in sys.modules)")
    env = {k: v for k, v in os.environ.items() if k not in BLAS_THREAD_VARIABLES}
    if preset is not None:
        env["OPENBLAS_NUM_THREADS"] = preset
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          cwd=cwd, check=False, env=env)
    assert done.returncode == 0, done.stderr
    early, threads, loaded = done.stdout.split()
    return early == "True", threads, loaded == "True"


def test_the_command_line_gives_blas_one_thread_before_numpy_loads(tmp_path: Path) -> None:
    assert blas_threads_after(tmp_path, None) == (False, "1", True)


def test_a_blas_thread_count_the_user_set_is_kept(tmp_path: Path) -> None:
    assert blas_threads_after(tmp_path, "3") == (False, "3", True)
