"""``redraft sync`` opens the store once: finding out what the address is (remembered from the
last sync) and the run share it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from redraft.cli import main
from redraft.store import Store
from tests.news_site import build
from tests.web_site import WebSite, serve


def test_a_feed_sync_opens_the_store_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[Path | str] = []
    real_open = Store.open.__func__  # type: ignore[attr-defined]

    def counted(cls: type[Store], path: Path | str) -> Store:
        opened.append(path)
        store: Store = real_open(cls, path)
        return store

    monkeypatch.setattr(Store, "open", classmethod(counted))
    db = tmp_path / "news.db"
    with serve(WebSite()) as site:
        build(site)
        results: list[Any] = []
        for _ in range(2):  # the second sync reads what the first one remembered
            results.append(CliRunner().invoke(main, ["sync", f"{site.base}/", "--db", str(db),
                                                     "--delay", "0", "--per-entry"]))
            assert results[-1].exit_code == 0, results[-1].output
    assert "(remembered)" in results[1].output
    assert opened == [db, db]
