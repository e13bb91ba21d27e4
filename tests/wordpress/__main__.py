"""``python -m tests.wordpress [--posts N] [--plain] [--protected N] [--locked CODE]``: start a
fixture site, print its URLs and credentials as KEY=VALUE lines, and keep it running until
interrupted (Ctrl-C or SIGTERM), then stop it. For trying things by hand and for benchmarks."""

from __future__ import annotations

import argparse
import contextlib
import signal
import sys
import threading

from tests.wordpress.fixture import SiteOptions, start_wordpress


def main(argv: list[str] | None = None) -> int:
    """Start a site, print how to reach it, wait for a signal, stop it."""
    parser = argparse.ArgumentParser(prog="python -m tests.wordpress", description=__doc__)
    parser.add_argument("--posts", type=int, default=250)
    parser.add_argument("--plain", action="store_true", help="plain permalinks (?rest_route=)")
    parser.add_argument("--protected", type=int, default=0, help="extra protected posts")
    parser.add_argument("--locked", choices=["rest_not_logged_in", "rest_cannot_access"])
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args(argv)
    options = SiteOptions(posts=args.posts, permalinks="plain" if args.plain else "pretty",
                          protected=args.protected, locked=args.locked, seed=args.seed)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with start_wordpress(options) as site:
        for key, value in (("WP_BASE_URL", site.base_url), ("WP_REST_URL", site.rest_url),
                           ("WP_ADMIN_USER", site.admin_user),
                           ("WP_APP_PASSWORD", site.app_password),
                           ("WP_POST_IDS", f"{site.post_ids[0]}-{site.post_ids[-1]}"),
                           ("WP_STATE", str(site.state)),
                           ("WP_START_SECONDS", f"{site.timings['total']:.2f}")):
            print(f"{key}={value}", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            stop.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
