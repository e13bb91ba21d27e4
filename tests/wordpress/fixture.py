"""A real WordPress on 127.0.0.1 for tests: Debian's ``wordpress`` package, a private MariaDB
and PHP's built-in server, all in a state folder of their own under /tmp.

```python
with start_wordpress(SiteOptions(posts=250, permalinks="plain")) as site:
    httpx.get(site.rest("/wp/v2/posts", per_page=100))
```

- The Debian packages are installed when missing (apt-get, as root, with services kept from
  starting: no Apache, no system MariaDB; see :mod:`tests.wordpress.packages`). Once they are
  installed, any user can start sites (MariaDB then runs as that user).
- WordPress runs from a folder of symlinks to ``/usr/share/wordpress`` with its own
  ``wp-config.php`` and ``wp-content``, so nothing outside the state folder is written and two
  sites run side by side.
- Every start is a fresh install, seeded from :mod:`tests.wordpress.content`: the same options
  give the same posts. Only the passwords change.
- :meth:`WordPressSite.stop` (or leaving the ``with``) stops every process and removes the
  folder, whatever happened; a start that fails cleans up after itself.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import struct
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
import zlib
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlencode

from tests.wordpress import content
from tests.wordpress.packages import FixtureError, ensure_packages

__all__ = ["FixtureError", "SiteOptions", "WordPressSite", "free_port", "start", "start_wordpress"]

PHP_DIR = Path(__file__).resolve().parent / "php"
WP_SOURCE = Path("/usr/share/wordpress")
MARIADBD = Path("/usr/sbin/mariadbd")
STATE_PREFIX = "redraft-wp-"
# One cache per user: a template made by root cannot be read by another user, and vice versa.
CACHE = Path("/tmp/redraft-wp-cache" + ("" if os.geteuid() == 0 else f"-{os.geteuid()}"))
READY_TIMEOUT = 30.0  # seconds for MariaDB or php -S to answer; they take < 1 s when healthy
STOP_TIMEOUT = 15.0  # seconds a daemon gets to exit on SIGTERM before SIGKILL
TIMEZONE = "Europe/Berlin"  # not UTC, so that local and GMT times differ on the site
IMAGES = 4

Permalinks = Literal["pretty", "plain"]
LockCode = Literal["rest_not_logged_in", "rest_cannot_access"]


@dataclass(frozen=True)
class SiteOptions:
    """What kind of site to start.

    Attributes:
        posts: published posts to seed.
        permalinks: ``"pretty"`` (``/wp-json/``) or ``"plain"`` (only ``?rest_route=``).
        protected: extra password-protected posts, added after the others.
        locked: lock the REST API to logged-in users from the start (see ``lock_rest``).
        seed: the content's random seed.
        workers: ``php -S`` worker processes (requests served at once).
    """

    posts: int = 250
    permalinks: Permalinks = "pretty"
    protected: int = 0
    locked: LockCode | None = None
    seed: int = 42
    workers: int = 4


@dataclass
class WordPressSite:
    """A running fixture: its URLs, credentials, posts, and the handles to stop it."""

    options: SiteOptions
    state: Path
    base_url: str
    admin_user: str
    admin_password: str
    app_password: str
    post_ids: list[int]
    protected_ids: list[int]
    timings: dict[str, float]
    _processes: list[subprocess.Popen[bytes]] = field(default_factory=list, repr=False)

    @property
    def rest_url(self) -> str:
        """The REST API root in the form the site serves."""
        if self.options.permalinks == "pretty":
            return f"{self.base_url}/wp-json/"
        return f"{self.base_url}/index.php?rest_route=/"

    def rest(self, route: str, **params: Any) -> str:
        """The URL of a REST route with query parameters, in the site's form."""
        query = urlencode(params)
        if self.options.permalinks == "pretty":
            return f"{self.base_url}/wp-json{route}" + (f"?{query}" if query else "")
        return f"{self.base_url}/index.php?rest_route={route}" + (f"&{query}" if query else "")

    def edit_posts(self, ids: list[int]) -> list[str]:
        """Edit posts as an editor would (their ``modified`` becomes now); their new
        ``modified_gmt`` values."""
        out = _php("edit.php", self.state, *map(str, ids))
        return out.split()

    def lock_rest(self, code: LockCode | None = "rest_not_logged_in") -> None:
        """Lock the REST API to logged-in users (the feed stays public); None unlocks it."""
        self._flag("rest-locked", code)

    def emulate_old_api(self, on: bool = True) -> None:
        """Make the site ignore ``modified_after``, as WordPress before 5.7 does."""
        self._flag("old-api", "1" if on else None)

    def _flag(self, name: str, value: str | None) -> None:
        """The fixture's mu-plugin reads these files in wp-content on every request."""
        path = self.state / "root" / "wp-content" / name
        if value is None:
            path.unlink(missing_ok=True)
        else:
            path.write_text(value)

    def requests(self) -> list[str]:
        """Every request the site has answered, in order, as ``"GET /path?query"``."""
        path = self.state / "access.log"
        return path.read_text(errors="replace").splitlines() if path.exists() else []

    def log(self, name: str = "php-server.log") -> str:
        """One of the fixture's logs (``php-server.log``, ``php-error.log``, ``mysql.err``)."""
        path = self.state / name
        return path.read_text(errors="replace") if path.exists() else ""

    def stop(self) -> None:
        """Stop php -S and MariaDB and remove the state folder (safe to call twice)."""
        _stop_processes(self._processes)
        self._processes.clear()
        shutil.rmtree(self.state, ignore_errors=True)


@contextmanager
def start_wordpress(options: SiteOptions | None = None) -> Iterator[WordPressSite]:
    """Start a fixture site and stop it when the block ends, even on failure."""
    site = start(options or SiteOptions())
    try:
        yield site
    finally:
        site.stop()


def start(options: SiteOptions) -> WordPressSite:
    """Install the packages if needed, then start and seed a fresh site.

    Raises:
        FixtureError: a step failed; whatever had started is stopped again.
    """
    timings: dict[str, float] = {}
    began = time.monotonic()
    ensure_packages()
    timings["packages"] = time.monotonic() - began
    _reap_abandoned()
    state = Path(tempfile.mkdtemp(prefix=STATE_PREFIX, dir="/tmp"))
    (state / "owner").write_text(str(os.getpid()))
    processes: list[subprocess.Popen[bytes]] = []
    try:
        return _start_in(state, options, processes, timings, began)
    except BaseException:
        _stop_processes(processes)
        shutil.rmtree(state, ignore_errors=True)
        raise


def _start_in(state: Path, options: SiteOptions, processes: list[subprocess.Popen[bytes]],
              timings: dict[str, float], began: float) -> WordPressSite:
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    admin_password = secrets.token_hex(10)
    mark = time.monotonic()
    socket_path = state / "mysql.sock"
    processes.append(_start_mariadb(state, socket_path))
    timings["mariadb"] = time.monotonic() - mark
    _make_root(state, socket_path, base_url)

    mark = time.monotonic()
    _write_seed_data(state, options, base_url, admin_password)
    result = json.loads(_php("setup.php", state))
    timings["install"] = result["timings"]["install"]
    timings["seed"] = result["timings"]["seed"]
    timings["setup"] = time.monotonic() - mark

    mark = time.monotonic()
    processes.append(_start_php(state, port, options.workers))
    (state / "php.pid").write_text(str(processes[-1].pid))
    _wait_http(f"{base_url}/wp-login.php", state)
    timings["http"] = time.monotonic() - mark
    timings["total"] = time.monotonic() - began
    ids: list[int] = result["post_ids"]
    site = WordPressSite(
        options=options, state=state, base_url=base_url, admin_user="admin",
        admin_password=admin_password, app_password=result["app_password"],
        post_ids=ids[: options.posts], protected_ids=ids[options.posts:], timings=timings,
        _processes=processes,
    )
    if options.locked:
        site.lock_rest(options.locked)
    return site


# --- processes -------------------------------------------------------------------------------

def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _mysql_template() -> Path:
    """An empty MariaDB data folder made once per MariaDB build, copied by every start
    (``mariadb-install-db`` takes most of a second; a copy takes a few milliseconds)."""
    template = CACHE / f"mysql-template-{int(MARIADBD.stat().st_mtime)}"
    if template.is_dir():
        return template
    CACHE.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="template-", dir=CACHE))
    _run(["mariadb-install-db", "--no-defaults", *_as_user(), f"--datadir={work / 'data'}",
          "--skip-test-db", *_root_auth(),
          "--innodb-log-file-size=8M"], work / "install.log")
    with suppress(OSError):  # another fixture made it first
        (work / "data").rename(template)
    shutil.rmtree(work, ignore_errors=True)
    return template


def _as_user() -> list[str]:
    """MariaDB refuses to run as root unless told to; any other user runs it as itself."""
    return ["--user=root"] if os.geteuid() == 0 else []


def _root_auth() -> list[str]:
    """MariaDB's root: the OS root through the socket; for another user, root without a password
    (the server listens on a private socket only)."""
    if os.geteuid() == 0:
        return ["--auth-root-authentication-method=socket"]
    return ["--auth-root-authentication-method=normal"]


def _start_mariadb(state: Path, socket_path: Path) -> subprocess.Popen[bytes]:
    data = state / "mysql-data"
    shutil.copytree(_mysql_template(), data, symlinks=True)
    common = ["--no-defaults", *_as_user(), f"--datadir={data}"]
    # Fast and unsafe on power loss (no flush at commit, no doublewrite): a throwaway database.
    # TCP is off: WordPress talks over the socket, so the site needs a single port.
    (state / "init.sql").write_text(
        "CREATE DATABASE IF NOT EXISTS wordpress CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;\n")
    server = subprocess.Popen(
        [str(MARIADBD), *common, f"--socket={socket_path}", "--skip-networking",
         f"--pid-file={state / 'mysql.pid'}", f"--log-error={state / 'mysql.err'}",
         f"--init-file={state / 'init.sql'}", f"--tmpdir={state}", "--skip-name-resolve",
         "--innodb-log-file-size=8M", "--innodb-buffer-pool-size=32M",
         "--innodb-flush-log-at-trx-commit=0", "--innodb-doublewrite=0",
         "--innodb-use-native-aio=0", "--performance-schema=OFF", "--skip-log-bin",
         "--character-set-server=utf8mb4", "--collation-server=utf8mb4_unicode_ci"],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + READY_TIMEOUT
    while time.monotonic() < deadline:
        if server.poll() is not None:
            break
        if socket_path.exists() and subprocess.run(
            ["mariadb", "--no-defaults", f"--socket={socket_path}", "-uroot", "-e",
             "USE wordpress"], capture_output=True, check=False,
        ).returncode == 0:
            return server
        time.sleep(0.05)
    _stop_processes([server])
    raise FixtureError(f"MariaDB did not start; its log:\n{_tail(state / 'mysql.err')}")


def _start_php(state: Path, port: int, workers: int) -> subprocess.Popen[bytes]:
    root = state / "root"
    env = dict(os.environ, REDRAFT_WP_ROOT=str(root), PHP_CLI_SERVER_WORKERS=str(workers),
               REDRAFT_WP_ACCESS_LOG=str(state / "access.log"))
    log = (state / "php-server.log").open("wb")
    try:
        return subprocess.Popen(
            ["php", "-d", "memory_limit=256M", "-d", "display_errors=0", "-d", "log_errors=1",
             "-d", f"error_log={state / 'php-error.log'}", "-d", "max_execution_time=60",
             "-S", f"127.0.0.1:{port}", "-t", str(root), str(PHP_DIR / "router.php")],
            env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    finally:
        log.close()


def _wait_http(url: str, state: Path) -> None:
    deadline = time.monotonic() + READY_TIMEOUT
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as answer:
                if answer.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            time.sleep(0.05)
    raise FixtureError(f"php -S did not answer {url}; its log:\n{_tail(state / 'php-server.log')}")


def _stop_processes(processes: list[subprocess.Popen[bytes]]) -> None:
    """SIGTERM each process group, newest first (php -S before MariaDB), then SIGKILL."""
    for process in reversed(processes):
        if process.poll() is not None:
            continue
        _signal_group(process.pid, signal.SIGTERM)
        try:
            process.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            _signal_group(process.pid, signal.SIGKILL)
            process.wait()
        _signal_group(process.pid, signal.SIGKILL)  # php -S workers left behind, if any


def _signal_group(pgid: int, sig: signal.Signals) -> None:
    with suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, sig)


def _reap_abandoned() -> None:
    """Stop the daemons of fixtures whose test process died without stopping them (kill -9)."""
    for state in Path("/tmp").glob(STATE_PREFIX + "*"):
        try:
            owner = int((state / "owner").read_text())
        except (OSError, ValueError):
            continue
        if _alive(owner):
            continue
        for name in ("php.pid", "mysql.pid"):
            try:
                pid = int((state / name).read_text())
            except (OSError, ValueError):
                continue
            if _alive(pid) and str(state) in Path(f"/proc/{pid}/cmdline").read_text(errors="replace"):
                _signal_group(pid, signal.SIGKILL)
        shutil.rmtree(state, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] not in ("Z", "X")


# --- files -----------------------------------------------------------------------------------

def _make_root(state: Path, socket_path: Path, base_url: str) -> None:
    """A WordPress root of symlinks to the package, with our own config and wp-content."""
    root = state / "root"
    (root / "wp-content" / "uploads").mkdir(parents=True)
    for item in WP_SOURCE.iterdir():
        if item.name not in ("wp-config.php", "wp-content", ".htaccess"):
            (root / item.name).symlink_to(item)
    for name in ("themes", "plugins"):
        (root / "wp-content" / name).symlink_to(WP_SOURCE / "wp-content" / name)
    shutil.copytree(PHP_DIR / "mu-plugins", root / "wp-content" / "mu-plugins")
    salts = "".join(f"define('{key}', '{secrets.token_hex(24)}');\n" for key in (
        "AUTH_KEY", "SECURE_AUTH_KEY", "LOGGED_IN_KEY", "NONCE_KEY", "AUTH_SALT",
        "SECURE_AUTH_SALT", "LOGGED_IN_SALT", "NONCE_SALT"))
    (root / "wp-config.php").write_text(f"""<?php
/* Written by tests/wordpress/fixture.py for one test site; thrown away when it stops. */
define('DB_NAME', 'wordpress');
define('DB_USER', 'root');
define('DB_PASSWORD', '');
define('DB_HOST', 'localhost:{socket_path}');
define('DB_CHARSET', 'utf8mb4');
define('DB_COLLATE', '');
{salts}define('WP_HOME', '{base_url}');
define('WP_SITEURL', '{base_url}');
define('WP_CONTENT_URL', '{base_url}/wp-content');
/* Application passwords need HTTPS unless the environment type is local. */
define('WP_ENVIRONMENT_TYPE', 'local');
/* No network: never call wordpress.org, never run cron over HTTP. */
define('WP_HTTP_BLOCK_EXTERNAL', true);
define('DISABLE_WP_CRON', true);
define('AUTOMATIC_UPDATER_DISABLED', true);
define('WP_DEBUG', false);
$table_prefix = 'wp_';
require_once ABSPATH . 'wp-settings.php';
""")


def _write_seed_data(state: Path, options: SiteOptions, base_url: str, password: str) -> None:
    (state / "site.json").write_text(json.dumps({
        "root": str(state / "root"), "base_url": base_url, "admin_password": password,
        "pretty": options.permalinks == "pretty", "timezone": TIMEZONE,
    }))
    posts = content.posts(options.posts + options.protected, options.seed, IMAGES)
    for post in posts[options.posts:]:
        post["password"] = "letmein"
    images = []
    for k in range(IMAGES):
        name = f"gazette-photo-{k + 1}.png"
        (state / name).write_bytes(_png(64, 36, k))
        images.append({"file": name, "title": f"Gazette photo {k + 1}", "width": 64,
                       "height": 36, "caption": f"Library photo number {k + 1}",
                       "alt": f"A plain coloured placeholder, number {k + 1}"})
    (state / "posts.json").write_text(json.dumps({
        "posts": posts, "images": images, "authors": content.AUTHORS,
        "categories": content.CATEGORIES, "tags": content.TAGS,
    }))


def _png(width: int, height: int, shade: int) -> bytes:
    """A small solid-colour PNG, made here so that no image file is needed."""
    colour = bytes(((40 + 50 * shade) % 256, (90 + 30 * shade) % 256, (160 - 25 * shade) % 256))
    rows = b"".join(b"\x00" + colour * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows))
            + chunk(b"IEND", b""))


def _php(script: str, state: Path, *args: str) -> str:
    done = subprocess.run(["php", str(PHP_DIR / script), str(state), *args],
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise FixtureError(f"php {script} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return done.stdout


def _run(command: list[str], log: Path) -> None:
    with log.open("w") as out:
        if subprocess.run(command, stdout=out, stderr=subprocess.STDOUT, check=False).returncode:
            raise FixtureError(f"{command[0]} failed; its log:\n{_tail(log)}")


def _tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"
