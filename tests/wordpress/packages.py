"""The Debian packages the WordPress fixture runs on, and whether this machine can have them.

The fixture runs as any user once the packages are installed; as root it installs them itself
(apt-get, with services kept from starting). Where neither is possible, :func:`why_unavailable`
says why, and the test suite skips the WordPress tests with that reason (see tests/conftest.py).
"""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
from pathlib import Path

PACKAGES = ("wordpress", "wordpress-theme-twentytwentythree", "php-cli", "php-mysql",
            "php-mbstring", "php-xml", "mariadb-server")
APT_LOCK = Path("/tmp/redraft-wp-apt.lock")
APT_LOG = Path("/tmp/redraft-wp-apt.log")
POLICY_RC = Path("/usr/sbin/policy-rc.d")


class FixtureError(RuntimeError):
    """The WordPress fixture could not be installed, started or driven."""


def missing_packages() -> list[str]:
    """The Debian packages the fixture needs that are not installed (all of them off Debian)."""
    if shutil.which("dpkg-query") is None:
        return list(PACKAGES)
    out = subprocess.run(
        ["dpkg-query", "-W", "-f=${Package} ${Status}\n", *PACKAGES],
        capture_output=True, text=True, check=False,
    ).stdout
    installed = {line.split()[0] for line in out.splitlines() if line.endswith(" installed")}
    return [name for name in PACKAGES if name not in installed]


def unavailable_reason(missing: list[str], is_root: bool, has_apt: bool) -> str | None:
    """Why the fixture cannot run here, or None when it can: it runs as any user once its
    packages are installed, and installs them itself as root where apt-get exists."""
    if not missing:
        return None
    names = " ".join(missing)
    if not has_apt:
        return (f"the WordPress fixture needs the Debian packages {names}, and this machine has "
                "no apt-get to install them")
    if not is_root:
        return (f"the WordPress fixture needs the Debian packages {names}; run the tests as root "
                f"once to install them, or `sudo apt-get install {names}`")
    return None


def why_unavailable() -> str | None:
    """:func:`unavailable_reason` for this machine and user."""
    return unavailable_reason(missing_packages(), os.geteuid() == 0,
                              shutil.which("apt-get") is not None)


def ensure_packages() -> None:
    """Install the missing packages with apt-get, keeping their services from starting.

    Debian's maintainer scripts would start Apache (``wordpress`` depends on a web server)
    and the system MariaDB; a ``policy-rc.d`` answering 101 forbids that. Container images
    ship one; elsewhere one is added for the length of the apt run.
    """
    if not missing_packages():
        return
    with APT_LOCK.open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        missing = missing_packages()
        if not missing:
            return
        reason = why_unavailable()
        if reason:
            raise FixtureError(reason)
        added_policy = not POLICY_RC.exists()
        if added_policy:
            POLICY_RC.write_text("#!/bin/sh\nexit 101\n")
            POLICY_RC.chmod(0o755)
        try:
            _apt_install(missing)
        finally:
            if added_policy:
                POLICY_RC.unlink(missing_ok=True)


def _apt_install(names: list[str]) -> None:
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    install = ["apt-get", "install", "-y", "-q", "--no-install-recommends",
               "-o", "Dpkg::Options::=--force-confdef", "-o", "Dpkg::Options::=--force-confold",
               *names]
    with APT_LOG.open("w") as log:
        if subprocess.run(install, env=env, stdout=log, stderr=subprocess.STDOUT,
                          check=False).returncode == 0:
            return
        # A fresh machine has no package lists (or stale ones): update, then try again.
        subprocess.run(["apt-get", "update", "-q"], env=env, stdout=log,
                       stderr=subprocess.STDOUT, check=False)
        if subprocess.run(install, env=env, stdout=log, stderr=subprocess.STDOUT,
                          check=False).returncode == 0:
            return
    tail = "\n".join(APT_LOG.read_text(errors="replace").splitlines()[-20:])
    raise FixtureError(f"apt-get could not install {names}; see {APT_LOG}:\n{tail}")
