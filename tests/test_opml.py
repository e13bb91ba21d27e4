"""``sources import`` / ``sources export`` with OPML shaped as real feed readers write it
(tests/fixtures/opml: Feedly, Inoreader, NetNewsWire, Thunderbird, Miniflux, FreshRSS, a
Latin-1 file), and bad files refused with a clear message."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from redraft.cli import main
from redraft.sources.opml import read_opml

FIXTURES = Path(__file__).parent / "fixtures" / "opml"
EXPORTS = sorted(FIXTURES.glob("*.opml"))


def invoke(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def cli(*args: str) -> str:
    result = invoke(*args)
    assert result.exit_code == 0, result.output
    return result.output


def listed(db: Path) -> list[dict[str, str]]:
    lines = cli("sources", "list", "--json", "--db", str(db)).splitlines()
    return sorted((json.loads(line) for line in lines), key=lambda s: s["url"])


@pytest.mark.parametrize("opml", EXPORTS, ids=[path.stem for path in EXPORTS])
def test_import_export_import_is_lossless(opml: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "first.db", tmp_path / "second.db"
    cli("sources", "import", str(opml), "--db", str(first))
    original = read_opml(opml.read_bytes(), label=opml.name).subscriptions
    kept = listed(first)
    assert [(s["url"], s["name"], s["category"]) for s in kept] == sorted(
        (s.url, s.title, s.category) for s in original)
    exported = tmp_path / "export.opml"
    exported.write_text(cli("sources", "export", "--db", str(first)), encoding="utf-8")
    cli("sources", "import", str(exported), "--db", str(second))
    assert listed(second) == kept
    # and once more: an export of the re-import is the same file
    assert cli("sources", "export", "--db", str(second)) == exported.read_text(encoding="utf-8")


def subscriptions(name: str) -> dict[str, tuple[str, str]]:
    found = read_opml((FIXTURES / name).read_bytes(), label=name)
    return {s.url: (s.title, s.category) for s in found.subscriptions}


def test_what_real_exports_carry_is_read() -> None:
    feedly = subscriptions("feedly.opml")  # OPML 1.0, entities in names and addresses
    assert feedly["https://ferries.example/feed/?lang=en&format=rss2"] == (
        "Kestrel Bay Ferries", "Harbour & Coast")
    assert subscriptions("netnewswire.opml")[  # OPML 1.1, character references
        "https://library.example/feed.json"] == ("Library \u201cReads\u201d", "Culture")
    assert subscriptions("netnewswire.opml")["https://weather.vennmark.example/feed.rss"][1] == ""
    # Thunderbird: its own namespace's attributes ignored, folders nested two deep.
    assert subscriptions("thunderbird.opml")["https://coop.example/prices.rss"] == (
        "Harbour Cooperative \u2014 Prices", "Business/Markets")
    # Miniflux: a UTF-8 byte-order mark; a feed whose only name is its address has none.
    assert (FIXTURES / "miniflux.opml").read_bytes().startswith(b"\xef\xbb\xbf")
    assert subscriptions("miniflux.opml")["https://calloway.example/feed/"] == ("", "All")
    # FreshRSS: text without title; OPML 2.0's category attribute files an unfoldered feed
    # (its first slash path; a bare word is a tag).
    fresh = subscriptions("freshrss.opml")
    assert fresh["https://schools.millbrook.example/news.atom"] == (
        "Millbrook Schools", "Schools & Housing")
    assert fresh["https://elections.aldersfield.example/feed.xml"][1] == "Politics/Local"
    assert fresh["https://opinion.example/feed/"][1] == ""
    # A file declared ISO-8859-1 is decoded as such.
    assert subscriptions("latin1.opml")["https://economie.example/rss?cat=c\u00f4te"] == (
        "\u00c9conomie c\u00f4ti\u00e8re", "R\u00e9gion")


def test_import_says_what_it_left_out(tmp_path: Path) -> None:
    db = str(tmp_path / "s.db")
    feedly = invoke("sources", "import", str(FIXTURES / "feedly.opml"), "--db", db)
    assert feedly.exit_code == 0, feedly.output
    assert "3 sources imported" in feedly.output
    assert "The Tide Table (Local)" in feedly.output  # listed twice: kept in its first folder
    assert [s["category"] for s in listed(tmp_path / "s.db")
            if s["url"] == "https://tides.example/rss.xml"] == ["Harbour & Coast"]
    links = invoke("sources", "import", str(FIXTURES / "latin1.opml"), "--db", db)
    assert links.exit_code == 0, links.output
    assert "S\u00f8ren's notebook <https://soren.example/>" in links.output
    assert "https://soren.example/" not in {s["url"] for s in listed(tmp_path / "s.db")}


def test_redraft_options_survive_export_and_plain_imports(tmp_path: Path) -> None:
    first, second = tmp_path / "first.db", tmp_path / "second.db"
    cli("sources", "add", "https://eastwick.example/feed.xml", "--name", "Eastwick <Post> & co",
        "--category", "News/Local", "--language", "en", "--include", "tram, ferry",
        "--exclude", "sponsored", "--budget", "words=80", "--db", str(first))
    cli("sources", "add", "https://seagrass.example/atom.xml", "--budget", "ratio=0.3",
        "--db", str(first))
    exported = tmp_path / "export.opml"
    exported.write_text(cli("sources", "export", "--db", str(first)), encoding="utf-8")
    cli("sources", "import", str(exported), "--db", str(second))
    assert listed(second) == listed(first)
    # A reader's own export (names and folders only) renames and refiles, and keeps options.
    cli("sources", "import", str(FIXTURES / "reader-export.opml"), "--db", str(second))
    (eastwick,) = [s for s in listed(second) if s["url"] == "https://eastwick.example/feed.xml"]
    assert eastwick == {"url": "https://eastwick.example/feed.xml", "name": "Eastwick Post",
                        "category": "News/Local", "language": "en", "include": "tram, ferry",
                        "exclude": "sponsored", "budget": "words=80"}


BAD = {
    "truncated": (b'<?xml version="1.0"?><opml version="2.0"><body><outline text="a" '
                  b'xmlUrl="https://a.example/feed"', "not well-formed XML"),
    "html-entity": (b'<opml version="1.0"><body><outline text="a&nbsp;b" '
                    b'xmlUrl="https://a.example/feed"/></body></opml>', "(&#160;)"),
    "feed": (b'<?xml version="1.0"?><rss version="2.0"><channel><title>x</title></channel>'
             b"</rss>", "is a feed, not an OPML"),
    "web-page": (b"<html><head><title>Feeds</title></head><body><p>hi</p></body></html>",
                 "is a web page, not OPML"),
    "no-body": (b'<opml version="2.0"><head><title>x</title></head></opml>', "has no <body>"),
    "no-feeds": (b'<opml version="2.0"><body><outline text="Empty folder"/></body></opml>',
                 "lists no feed"),
    "empty": (b"", "not well-formed XML"),
    "encoding": (b'<?xml version="1.0" encoding="x-no-such-charset"?><opml version="1.0">'
                 b"<body/></opml>", "save it as UTF-8"),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_opml_is_refused_naming_the_file_and_the_fix(name: str, tmp_path: Path) -> None:
    data, said = BAD[name]
    opml = tmp_path / f"{name}.opml"
    opml.write_bytes(data)
    db = tmp_path / "s.db"
    cli("sources", "add", "https://kept.example/feed", "--db", str(db))
    result = invoke("sources", "import", str(opml), "--db", str(db))
    assert result.exit_code == 2, result.output
    assert str(opml) in result.output and said in result.output, result.output
    assert any(fix in result.output for fix in ("export", "redraft sources add", "save it")), \
        result.output
    assert "Traceback" not in result.output
    with sqlite3.connect(db) as connection:  # nothing imported, nothing lost
        assert connection.execute("SELECT url FROM watch_list").fetchall() == [
            ("https://kept.example/feed",)]
