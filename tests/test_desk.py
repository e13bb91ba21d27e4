"""The desk end to end through the CLI on a real SQLite file: `drafts` (list, filters, show,
export), `approve` and `reject`, with the store asserted on directly."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from redraft.cli import main
from redraft.store import Store

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "posts"


def cli(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False,
                              env={"REDRAFT_EDITOR": "ana"})


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "desk.db"
    result = cli("rewrite", str(EXAMPLES), "--db", str(path))
    assert result.exit_code == 0, result.output
    return path


def keys(db: Path) -> list[str]:
    with Store.open(db) as store:
        return [d.verdict.draft.article.entry.key for d in store.drafts(passed_only=False)]


def test_drafts_lists_newest_first_with_filters(db: Path) -> None:
    stored = keys(db)
    listed = cli("drafts", "--db", str(db)).output
    positions = [listed.index(key) for key in stored]
    assert positions == sorted(positions, reverse=True)  # newest first
    assert all(len(line) <= 80 for line in listed.splitlines())
    assert cli("drafts", "--db", str(db), "--limit", "2").output.count("\n") == 4
    assert cli("drafts", "--db", str(db), "--verdict", "failed").output.strip() == "no drafts match"
    assert cli("drafts", "--db", str(db), "--since", "2100-01-01").output.strip() == "no drafts match"


def test_approve_and_reject_are_recorded_and_filtered(db: Path) -> None:
    first, second, *_ = keys(db)
    assert cli("approve", first, "--db", str(db)).exit_code == 0
    assert cli("reject", second, "--note", "needs a local angle", "--db", str(db),
               "--who", "ed").exit_code == 0
    with sqlite3.connect(db) as connection:
        rows = connection.execute("SELECT key, decision, who, note FROM reviews ORDER BY id").fetchall()
    assert rows == [(first, "approved", "ana", ""), (second, "rejected", "ed", "needs a local angle")]
    approved = cli("drafts", "--db", str(db), "--state", "approved").output
    assert first in approved and second not in approved
    shown = cli("drafts", "show", second, "--db", str(db)).output
    assert "rejected by ed" in shown and "needs a local angle" in shown and "score 1.00" in shown
    assert cli("drafts", "--db", str(db), "--state", "new").output.count("\n") == 2 * (len(keys(db)) - 2)


def test_an_unknown_key_is_refused_and_nothing_is_recorded(db: Path) -> None:
    first = keys(db)[0]
    result = CliRunner().invoke(main, ["approve", first, "no-such-key", "--db", str(db)])
    assert result.exit_code == 2 and "no-such-key" in result.output
    with sqlite3.connect(db) as connection:
        assert connection.execute("SELECT count(*) FROM reviews").fetchone()[0] == 0
    assert CliRunner().invoke(main, ["drafts", "show", "nope", "--db", str(db)]).exit_code == 2


def test_export_writes_the_stored_drafts_again(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = cli("drafts", "export", "--format", "json", "--out", str(out), "--db", str(db))
    assert result.exit_code == 0 and "exported 5 drafts" in result.output
    lines = [json.loads(line) for line in (out / "drafts.jsonl").read_text().splitlines()]
    assert sorted(line["key"] for line in lines) == sorted(keys(db))
    md = cli("drafts", "export", "--format", "md", "--out", str(tmp_path / "md"), "--limit", "1",
             "--db", str(db))
    assert md.exit_code == 0 and len(list((tmp_path / "md").iterdir())) == 1
