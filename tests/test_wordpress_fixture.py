"""When the WordPress tests run, and when they skip (with a reason) instead of erroring: the
decision functions of tests/wordpress/packages.py and tests/conftest.py, and one real pytest run."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests import conftest
from tests.wordpress import packages

MISSING = ["wordpress", "mariadb-server"]


@pytest.mark.parametrize(("missing", "root", "apt", "expected"), [
    ([], False, False, None),  # installed: any user runs the fixture, apt or not
    (MISSING, True, True, None),  # root with apt-get installs them
    (MISSING, False, True, "run the tests as root"),
    (MISSING, True, False, "no apt-get"),
    (MISSING, False, False, "no apt-get"),
])
def test_the_fixture_is_unavailable_only_when_it_cannot_get_its_packages(
    missing: list[str], root: bool, apt: bool, expected: str | None,
) -> None:
    reason = packages.unavailable_reason(missing, root, apt)
    if expected is None:
        assert reason is None
    else:
        assert reason is not None and expected in reason
        assert all(name in reason for name in missing)


def test_without_root_on_a_machine_missing_the_packages_the_tests_skip(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(packages, "missing_packages", lambda: ["php-cli"])
    monkeypatch.setattr(os, "geteuid", lambda: 1000)
    reason = conftest.wordpress_skip_reason("auto", packages.why_unavailable)
    assert reason is not None and "php-cli" in reason and "root" in reason
    # CI asks for them: no skip, so the fixture's own error fails the tests.
    assert conftest.wordpress_skip_reason("require", packages.why_unavailable) is None


def test_where_the_fixture_can_run_nothing_skips_unless_asked() -> None:
    assert conftest.wordpress_skip_reason("auto", lambda: None) is None
    assert conftest.wordpress_skip_reason("require", lambda: None) is None
    assert conftest.wordpress_skip_reason("skip", lambda: None) == "REDRAFT_WORDPRESS=skip"
    with pytest.raises(pytest.UsageError, match="REDRAFT_WORDPRESS"):
        conftest.wordpress_skip_reason("sometimes", lambda: None)


def test_a_skipped_run_names_its_reason_and_starts_no_site() -> None:
    env = dict(os.environ, REDRAFT_WORDPRESS="skip")
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider",
         str(conftest.ROOT / "tests" / "test_wordpress_faults.py")],
        cwd=conftest.ROOT, env=env, capture_output=True, text=True, timeout=300, check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "passed" not in done.stdout and " skipped" in done.stdout
    assert "REDRAFT_WORDPRESS=skip" in done.stdout
