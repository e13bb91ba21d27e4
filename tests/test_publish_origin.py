"""Credentials go only to the origin the user named (issue 15, item 2): `redraft publish` against
a site on 127.0.0.1 that redirects to, or names its API on, a second server on 127.0.0.2 that
records every request it receives."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from redraft.cli.publish import publish
from redraft.sinks.wordpress import PASSWORD_VARIABLE, USER_VARIABLE
from redraft.store import Store
from tests.hostile import HostileSite

SECRET = "abcd efgh ijkl mnop"


def run_publish(target: str, db: Path, *args: str) -> Result:
    Store.open(db).close()  # publish needs a database (here with nothing to publish)
    env = {USER_VARIABLE: "editor", PASSWORD_VARIABLE: SECRET}
    return CliRunner().invoke(publish, ["--to", target, "--db", str(db), *args], env=env)


def test_a_redirect_to_another_host_gets_no_credentials(tmp_path: Path) -> None:
    with HostileSite(host="127.0.0.2") as other, HostileSite(role="moved") as site:
        site.moved_to = other.base_url
        result = run_publish(site.base_url, tmp_path / "state.db")
        assert result.exit_code == 2, result.output
        assert site.base_url in result.output and other.base_url in result.output
        assert "--allow-origin" in result.output and SECRET not in result.output
        assert all("authorization" not in r.headers for r in other.requests)
        assert all("authorization" not in r.headers for r in site.requests)


@pytest.mark.parametrize("allowed", [False, True])
def test_an_api_root_on_another_host_needs_that_origin_allowed(tmp_path: Path, allowed: bool) -> None:
    with HostileSite(host="127.0.0.2") as other, HostileSite() as site:
        site.api_root = other.base_url + "/wp-json/"
        args = ["--allow-origin", other.base_url] if allowed else []
        result = run_publish(site.base_url, tmp_path / "state.db", *args)
        sent = [r for r in other.requests if "authorization" in r.headers]
    if allowed:
        assert result.exit_code == 0, result.output
        assert sent and all("/wp/v2/" in r.path for r in sent)
    else:
        assert result.exit_code == 2 and not sent and not other.requests
        assert f"names its REST API on another origin, {other.base_url}" in result.output
