"""sources/files.py: every input form, detected from content, and every bad item named."""

from __future__ import annotations

import codecs
import io
import json
import os
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from redraft.errors import InputError, Malformed, Protected, Rejected
from redraft.records import Entry, encoded
from redraft.sources import charsets, files
from redraft.sources.files import FileSource, plain_text, sniff

BODY = "<p>The harbour council voted on Tuesday to rebuild the old pier.</p>"


def post(post_id: int = 7, **changes: Any) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": post_id,
        "date": "2025-03-04T09:30:00",
        "date_gmt": "2025-03-04T08:30:00",
        "modified": "2025-03-05T10:00:00",
        "modified_gmt": "2025-03-05T09:00:00",
        "type": "post",
        "link": f"https://news.example.org/?p={post_id}",
        "title": {"rendered": "Pier &#8220;rebuilt&#8221; &#038; <code>reopened</code>"},
        "content": {"rendered": BODY, "protected": False},
        "excerpt": {"rendered": "<p>Council votes&#8230;</p>"},
        "categories": [3],
        "tags": [],
        "_links": {"self": [{"href": f"https://news.example.org/index.php?rest_route=/wp/v2/posts/{post_id}"}]},
    }
    item.update(changes)
    return item


def read(tmp_path: Path, name: str, data: bytes, **kwargs: Any) -> list[Entry | Rejected]:
    path = tmp_path / name
    path.write_bytes(data)
    items = list(FileSource([path], **kwargs).entries())
    assert all(isinstance(i, Entry | Rejected) for i in items)
    return items  # type: ignore[return-value]


def test_one_rest_object_even_in_a_txt_file(tmp_path: Path) -> None:
    (entry,) = read(tmp_path, "post.txt", json.dumps(post()).encode())
    assert isinstance(entry, Entry)
    assert entry.key == "https://news.example.org#7"
    assert entry.title == "Pier “rebuilt” & reopened"
    assert entry.html == BODY
    assert entry.url == "https://news.example.org/?p=7"
    assert entry.published is not None and entry.published.utcoffset() == timedelta(hours=1)
    assert entry.published.date().isoformat() == "2025-03-04"
    assert entry.meta["excerpt"] == "Council votes…"
    assert json.loads(entry.raw)["id"] == 7
    assert entry.credit() == (
        "Source: Pier “rebuilt” & reopened https://news.example.org/?p=7 (2025-03-04)"
    )


def test_an_array_names_each_bad_item_by_index(tmp_path: Path) -> None:
    data = [post(1), {"id": 2, "title": "no content"}, "a string", post(4)]
    items = read(tmp_path, "posts.json", json.dumps(data).encode())
    assert [type(i).__name__ for i in items] == ["Entry", "Malformed", "Malformed", "Entry"]
    assert "item 1" in str(items[1]) and "content.rendered" in str(items[1])
    assert "item 2" in str(items[2])


def test_json_lines_names_the_bad_line_and_goes_on(tmp_path: Path) -> None:
    lines = [json.dumps(post(1)), "{not json", json.dumps(post(3))]
    items = read(tmp_path, "posts.jsonl", "\n".join(lines).encode())
    assert [type(i).__name__ for i in items] == ["Entry", "Malformed", "Entry"]
    assert "line 2" in str(items[1]) and "posts.jsonl" in str(items[1])


def test_truncated_json_is_one_clear_rejection(tmp_path: Path) -> None:
    (item,) = read(tmp_path, "cut.json", json.dumps(post())[:40].encode())
    assert isinstance(item, Malformed)
    assert "invalid JSON" in item.detail and "line 1" in item.detail


def test_protected_post_is_rejected_with_its_key(tmp_path: Path) -> None:
    item = post(9, content={"rendered": "", "protected": True})
    (rejected,) = read(tmp_path, "p.json", json.dumps(item).encode())
    assert isinstance(rejected, Protected)
    assert rejected.key == "https://news.example.org#9"
    assert rejected.reason == "protected"


def test_pages_and_custom_types_do_not_collide_with_posts(tmp_path: Path) -> None:
    items = read(tmp_path, "mixed.json", json.dumps([post(5), post(5, type="page")]).encode())
    assert [i.key for i in items] == ["https://news.example.org#5", "https://news.example.org#page/5"]


def test_pretty_permalink_self_link_gives_the_site_root(tmp_path: Path) -> None:
    item = post(3, _links={"self": [{"href": "https://blog.example.com/news/wp-json/wp/v2/posts/3"}]})
    (entry,) = read(tmp_path, "p.json", json.dumps(item).encode())
    assert entry.key == "https://blog.example.com/news#3"


def test_html_file_takes_title_and_canonical_url(tmp_path: Path) -> None:
    page = (
        "<html><head><title>Ferry strike ends</title>"
        "<link rel='canonical' href='https://paper.example/ferry'></head>"
        "<body><p>Ferries ran again on Monday.</p></body></html>"
    )
    (entry,) = read(tmp_path, "page.html", page.encode())
    assert isinstance(entry, Entry)
    assert (entry.title, entry.url) == ("Ferry strike ends", "https://paper.example/ferry")
    assert entry.key == f"file:{tmp_path / 'page.html'}"


@pytest.mark.parametrize(("stamp", "utc"), [
    ("2025-05-01T10:00:00", "2025-05-01T10:00:00+00:00"),  # no zone: taken as UTC
    ("2025-05-01T12:00:00+02:00", "2025-05-01T10:00:00+00:00"),
    ("2025-05-01T10:00:00Z", "2025-05-01T10:00:00+00:00"),
])
def test_an_html_files_time_is_utc_as_every_sources_is(tmp_path: Path, stamp: str,
                                                        utc: str) -> None:
    page = (f"<html><head><title>T</title><meta property='article:published_time' "
            f"content='{stamp}'></head><body><p>Ferries ran again on Monday.</p></body></html>")
    (entry,) = read(tmp_path, "page.html", page.encode())
    assert isinstance(entry, Entry) and entry.published is not None
    assert entry.published.isoformat() == utc  # aware: comparable with every other time


def test_plain_text_paragraphs_and_title(tmp_path: Path) -> None:
    text = (
        "Storm closes coast road\n\nThe coast road shut at noon.\nIt may reopen tomorrow.\n\n"
        "Crews are on site."
    )
    (entry,) = read(tmp_path, "story.txt", text.encode())
    assert isinstance(entry, Entry)
    assert entry.title == "Storm closes coast road"
    assert entry.html.count("<p>") == 2


@pytest.mark.parametrize(
    ("encoding", "text"),
    [("latin-1", "Le café a ouvert à Noël, déjà plein."), ("cp1252", "“Quoted” – dash and €5.")],
)
def test_legacy_encodings_are_decoded(tmp_path: Path, encoding: str, text: str) -> None:
    (entry,) = read(tmp_path, "old.txt", (text + "\n\n" + text).encode(encoding))
    assert isinstance(entry, Entry)
    assert text.split(maxsplit=1)[0] in entry.html and "\ufffd" not in entry.html


def test_directory_is_read_recursively_in_order_skipping_hidden(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "2.json").write_text(json.dumps(post(2)))
    (tmp_path / "1.json").write_text(json.dumps(post(1)))
    (tmp_path / ".hidden.json").write_text(json.dumps(post(3)))
    (tmp_path / "notes.bin").write_bytes(b"\x00")
    items = list(FileSource([tmp_path]).entries())
    assert [i.key for i in items if isinstance(i, Entry)] == ["https://news.example.org#1", "https://news.example.org#2"]


def test_folders_are_listed_in_path_order_and_counted(tmp_path: Path) -> None:
    for name in ("a/x.json", "a-b/y.json", "a.json", "B/z.html", "c.txt", "a/.hidden.json",
                 "a/skip.bin"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text("x")
    source = FileSource([tmp_path, "-", tmp_path / "c.txt"])
    files = list(source.files())
    listed = [path for path in files[:5] if path is not None]
    assert listed == sorted(listed)  # pathlib's order: folder by folder, "a/x" before "a-b/y"
    assert [str(p.relative_to(tmp_path)) for p in listed] == [
        "B/z.html", "a/x.json", "a-b/y.json", "a.json", "c.txt"]
    assert files[5:] == [None, tmp_path / "c.txt"]
    assert source.count() == len(files) == 7
    with pytest.raises(InputError, match="no such file"):
        FileSource([tmp_path, tmp_path / "nope"]).count()


@pytest.mark.parametrize("raw", [".", "./", "posts", "posts/", "./posts", "posts//", "posts/./",
                                 "posts/../posts", "posts/a", "ABS", "ABS/"])
def test_a_folders_files_are_named_as_pathlib_joins_them(
        raw: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each file's label (its entries' source and key) is ``str(Path(folder) / relative)``,
    whatever way the folder is written."""
    for name in ("posts/a/1.json", "posts/a/b/2.json", "posts/3.json", "posts/a-b/4.json"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(json.dumps(post(int(name[-6]))))
    monkeypatch.chdir(tmp_path / "posts" if raw in (".", "./") else tmp_path)
    raw = raw.replace("ABS", str(tmp_path / "posts"))
    folder = Path(raw).resolve()
    relatives = sorted(str(path.relative_to(folder)) for path in folder.rglob("*.json"))
    relatives.sort(key=lambda relative: Path(relative).parts)
    want = [str(Path(raw) / relative) for relative in relatives]
    source = FileSource([raw])
    assert list(source.files()) == [Path(label) for label in want]
    items = list(source.entries())
    assert all(isinstance(item, Entry) for item in items)
    assert [item.source for item in items if isinstance(item, Entry)] == want


def test_stdin_is_read_and_keyed_by_content() -> None:
    data = json.dumps(post(11)).encode()
    (entry,) = FileSource(["-"], stdin=io.BytesIO(data)).entries()
    assert isinstance(entry, Entry)
    assert entry.key == "https://news.example.org#11"
    (text_entry,) = FileSource(["-"], stdin=io.BytesIO(b"One line.\n\nTwo lines.")).entries()
    assert isinstance(text_entry, Entry)
    assert text_entry.key.startswith("stdin:")


def test_missing_path_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        list(FileSource([tmp_path / "nope.json"]).entries())


def test_forced_format_overrides_detection(tmp_path: Path) -> None:
    (entry,) = read(tmp_path, "x.json", b'{"a": 1}', input_format="text")
    assert isinstance(entry, Entry) and "{" in entry.html


@pytest.mark.parametrize(
    ("text", "expected"),
    [("[{}]", "wp-json"), ('{"a":1}', "wp-json"), ('{"a":1}\n{"b":2}', "jsonl"),
     ("  <p>x</p>", "html"), ("Plain words.", "text"), ("", "text"), (" \n\t", "text"),
     ('\n  {"a":1}  \r\n\n {"b":2}\n', "jsonl"), ('{"a":1}\n \n\u2003', "wp-json"),
     ('\u2003{"a":1}\u2003\n{"b":2}', "wp-json"), ('{\n"a": 1\n}\n', "wp-json"),
     ('{"a":1} x}\n{"b":2}', "wp-json"), ('\n\n[{"a":1}]', "wp-json")],
)
def test_sniff(text: str, expected: str) -> None:
    assert sniff(text) == expected


@pytest.mark.parametrize(
    ("fragment", "expected"),
    [("Q&#038;A", "Q&A"), ("&amp;lt;b&amp;gt;", "&lt;b&gt;"), ("<em>Big</em> &#8212; news", "Big — news"),
     ("Caf&eacute; &lt;3", "Café <3")],
)
def test_titles_are_decoded_exactly_once(fragment: str, expected: str) -> None:
    assert plain_text(fragment) == expected


# --- every file is its own unit ---------------------------------------------------------------

def test_a_file_that_used_to_crash_does_not_stop_the_directory(tmp_path: Path) -> None:
    (tmp_path / "1.json").write_text(json.dumps(post(1)))
    (tmp_path / "2.json").write_text("[" * 100_000 + "]" * 100_000)
    (tmp_path / "3.json").write_text(json.dumps(post(3, _embedded={"author": {"name": "x"}})))
    (tmp_path / "4.json").write_text(json.dumps(post(4)).replace('"id": 4', '"id": ' + "4" * 5000))
    (tmp_path / "5.json").write_text(json.dumps(post(5, _links={"self": 5})))
    items = list(FileSource([tmp_path]).entries())
    assert [type(i).__name__ for i in items] == ["Entry", "Malformed", "Entry", "Malformed", "Entry"]
    assert "2.json" in str(items[1]) and "4.json" in str(items[3])


def test_an_unforeseen_failure_in_one_file_is_that_files_rejection(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = files.read_items

    def read_items(data: bytes, *, label: str, input_format: Any = "auto") -> Any:
        if label.endswith("bad.json"):
            raise LookupError("a bug nobody foresaw")
        return real(data, label=label, input_format=input_format)

    monkeypatch.setattr(files, "read_items", read_items)
    for name, number in (("a.json", 1), ("bad.json", 2), ("c.json", 3)):
        (tmp_path / name).write_text(json.dumps(post(number)))
    items = list(FileSource([tmp_path]).entries())
    assert [type(i).__name__ for i in items] == ["Entry", "Malformed", "Entry"]
    assert "bad.json" in str(items[1]) and "LookupError" in str(items[1]) and "-vv" in str(items[1])


# --- the size limit, for files and standard input alike ----------------------------------------

SMALL_LIMIT = 4000  # bytes: a few posts, so the tests need no 64 MiB of data


@pytest.fixture
def small_limit(monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setattr(files, "MAX_FILE_BYTES", SMALL_LIMIT)
    return SMALL_LIMIT


def jsonl(count: int) -> bytes:
    return "\n".join(json.dumps(post(n)) for n in range(1, count + 1)).encode() + b"\n"


def test_json_lines_on_stdin_past_the_limit_are_all_read(small_limit: int) -> None:
    data = jsonl(40)
    assert len(data) > 5 * small_limit
    items = list(FileSource(["-"], stdin=io.BytesIO(data)).entries())
    assert [i.key if isinstance(i, Entry) else i for i in items] == [
        f"https://news.example.org#{n}" for n in range(1, 41)]


def test_json_on_stdin_past_the_limit_is_refused_by_name(small_limit: int) -> None:
    data = json.dumps([post(n) for n in range(1, 41)]).encode()
    (item,) = FileSource(["-"], stdin=io.BytesIO(data)).entries()
    assert isinstance(item, Malformed)
    assert item.source == "stdin" and "standard input" in item.detail
    assert "4000 bytes" in item.detail and "JSON Lines" in item.detail


def test_a_large_json_lines_file_is_streamed_and_an_oversized_line_rejected(
    tmp_path: Path, small_limit: int
) -> None:
    lines = jsonl(12).splitlines()
    huge = json.dumps(post(99, content={"rendered": "<p>" + "word " * small_limit + "</p>"}))
    data = b"\n".join([*lines[:5], huge.encode(), *lines[5:]])
    items = read(tmp_path, "big.jsonl", data)
    assert [type(i).__name__ for i in items].count("Entry") == 12
    (rejected,) = [i for i in items if isinstance(i, Malformed)]
    assert "line 6" in rejected.detail and "longer than" in rejected.detail


def test_a_large_json_file_is_refused_whole(tmp_path: Path, small_limit: int) -> None:
    (item,) = read(tmp_path, "big.json", json.dumps([post(n) for n in range(1, 20)]).encode())
    assert isinstance(item, Malformed) and "larger than 4000 bytes" in item.detail


# --- encodings ----------------------------------------------------------------------------------

SPANISH = "El Gobierno de España aprobó la reforma. «No es el fin», dijo; don´t panic, añadió."


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1"])
def test_western_text_with_an_acute_accent_keeps_its_letters(tmp_path: Path, encoding: str) -> None:
    (entry,) = read(tmp_path, "es.txt", (SPANISH + "\n\n" + SPANISH).encode(encoding))
    assert isinstance(entry, Entry)
    assert "España" in entry.html and "don´t" in entry.html and "añadió" in entry.html


@pytest.mark.parametrize("encoding", ["utf-32-le", "utf-32-be", "utf-16-le", "utf-16-be"])
def test_a_byte_order_mark_names_the_encoding(tmp_path: Path, encoding: str) -> None:
    bom = {"utf-32-le": b"\xff\xfe\x00\x00", "utf-32-be": b"\x00\x00\xfe\xff",
           "utf-16-le": b"\xff\xfe", "utf-16-be": b"\xfe\xff"}[encoding]
    (entry,) = read(tmp_path, "post.json", bom + json.dumps(post(7), ensure_ascii=False).encode(encoding))
    assert isinstance(entry, Entry) and entry.key == "https://news.example.org#7"


def test_an_xml_declaration_names_the_encoding_of_an_xhtml_page(tmp_path: Path) -> None:
    page = ('<?xml version="1.0" encoding="ISO-8859-7"?>\n<html><head><title>Λιμάνι ανοίγει</title>'
            "</head><body><p>Το λιμάνι άνοιξε ξανά τη Δευτέρα.</p></body></html>")
    (entry,) = read(tmp_path, "page.html", page.encode("iso-8859-7"))
    assert isinstance(entry, Entry), entry
    assert entry.title == "Λιμάνι ανοίγει" and "Δευτέρα" in entry.html


def test_a_declared_seven_bit_encoding_is_not_read_as_ascii(tmp_path: Path) -> None:
    page = ('<html><head><meta charset="iso-2022-jp"><title>港が再開</title></head>'
            "<body><p>港は月曜日に再開した。</p></body></html>")
    (entry,) = read(tmp_path, "jp.html", page.encode("iso-2022-jp"))
    assert isinstance(entry, Entry) and entry.title == "港が再開"


@pytest.mark.parametrize(
    ("data", "why"),
    [
        ("Rząd przyjął wczoraj ustawę o żegludze. Głosowanie odbędzie się w czwartek.".encode("cp1250"),
         "doubtful"),
        ("A ferry story in UTF-16 without its mark.".encode("utf-16-le"), "NUL"),
        (b"\xff\xfe\x00\xd8", "byte-order mark"),
    ],
    ids=["polish-cp1250-undeclared", "utf-16-without-mark", "broken-utf-16"],
)
def test_doubtful_encodings_are_rejected_not_guessed(tmp_path: Path, data: bytes, why: str) -> None:
    (item,) = read(tmp_path, "odd.txt", data)
    assert isinstance(item, Malformed), item
    assert why in item.detail and "re-save it as UTF-8" in item.detail


# --- feeds and XHTML ------------------------------------------------------------------------------

RSS = ('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"{ns}><channel><title>Desk</title>'
       "<item><title>Pier</title><link>https://news.example.org/pier</link>"
       "<description>The pier reopened.</description></item></channel></rss>")


@pytest.mark.parametrize(
    ("text", "says"),
    [
        (RSS.format(ns=""), "RSS or Atom feed"),
        ('<!-- saved --><feed xmlns="http://www.w3.org/2005/Atom"><title>Desk</title></feed>',
         "RSS or Atom feed"),
        (RSS.format(ns=' xmlns:wp="http://wordpress.org/export/1.2/"'), "WordPress export (WXR)"),
    ],
)
def test_a_feed_file_gets_a_clear_rejection(tmp_path: Path, text: str, says: str) -> None:
    (item,) = read(tmp_path, "feed.xml", text.encode())
    assert isinstance(item, Malformed) and says in item.detail and "feed.xml" in str(item)


def test_an_xhtml_page_with_an_xml_declaration_is_read(tmp_path: Path) -> None:
    page = ('<?xml version="1.0" encoding="utf-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml">'
            "<head><title>Pier reopens</title></head><body><p>The pier reopened on Monday.</p>"
            "</body></html>")
    (entry,) = read(tmp_path, "page.xhtml", page.encode())
    assert isinstance(entry, Entry) and entry.title == "Pier reopens"
    assert not entry.html.lstrip().startswith("<?xml")


def test_directory_listing_skips_hidden_folders_and_links_to_folders(tmp_path: Path) -> None:
    posts = tmp_path / "posts"
    (posts / ".cache").mkdir(parents=True)
    (posts / ".cache" / "3.json").write_text(json.dumps(post(3)))
    (posts / "1.JSON").write_text(json.dumps(post(1)))
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "4.json").write_text(json.dumps(post(4)))
    (posts / "linked").symlink_to(elsewhere, target_is_directory=True)  # not followed
    (posts / "2.json").symlink_to(elsewhere / "4.json")  # a link to a file is read
    (posts / "broken.json").symlink_to(tmp_path / "gone.json")
    files = list(FileSource([posts]).files())
    assert files == [posts / "1.JSON", posts / "2.json"]


@pytest.mark.parametrize("escape", ["\\ud800", "\\uDC00", "\\uD83D"])
@pytest.mark.parametrize("other", ["", "caf\\u00e9 ", "\\u201c "])
def test_a_lone_surrogate_escape_is_replaced_whatever_else_the_text_escapes(
        escape: str, other: str) -> None:
    """The escape is found whether or not the text escapes other characters."""
    text = ('{"id": 7, "type": "post", "title": {"rendered": "“Año” ' + other + escape + '"},'
            ' "content": {"rendered": "<p>Texto ' + other + '</p>"}}')
    [entry] = files.read_items(text.encode("utf-8"), label="post.json")
    assert isinstance(entry, Entry)
    assert entry.title.endswith("\ufffd")
    assert "\\ud" not in entry.raw.lower()
    assert "\ufffd" in entry.raw


def test_a_post_with_escapes_but_no_surrogate_keeps_its_text() -> None:
    text = '{"id": 7, "type": "post", "title": {"rendered": "caf\\u00e9 \\u201cs\\u201d"}, ' \
           '"content": {"rendered": "<p>x</p>"}}'
    [entry] = files.read_items(text.encode("utf-8"), label="post.json")
    assert isinstance(entry, Entry)
    assert entry.title == "café “s”"
    assert entry.raw == text


_LONG = "Caf\u00e9 \u201cquoted\u201d \u2014 \u6771\u4eac \u0e44\u0e17\u0e22 \U0001f600 " * 60


@pytest.mark.parametrize("data", [
    b"", b"plain ascii", _LONG.encode(), codecs.BOM_UTF8 + _LONG.encode(),
    codecs.BOM_UTF16_LE + _LONG.encode("utf-16-le"), "Le caf\u00e9 \u20ac5".encode("cp1252"),
    b'<?xml version="1.0" encoding="utf-7"?><p>+AOk-</p>', b"nul \x00 byte", b"\xed\xa0\x80 x",
])
def test_decoded_says_when_the_bytes_are_the_texts_utf8(data: bytes) -> None:
    """When :func:`decoded` says it read the bytes as UTF-8, they are what an encode of its
    text writes (what the store and the valid-text check are given in its place)."""
    text, utf8 = charsets.decoded(data, label="x")
    plain = charsets.decode(data, label="x")
    assert (type(text), str(text)) == (type(plain), str(plain))
    if utf8:
        assert isinstance(text, str) and text.encode("utf-8") == data


@pytest.mark.parametrize(("data", "name"), [
    (json.dumps(post(content={"rendered": f"<p>{_LONG}</p>"}), ensure_ascii=False).encode(),
     "post.json"),
    (codecs.BOM_UTF8 + json.dumps(post(content={"rendered": f"<p>{_LONG}</p>"}),
                                  ensure_ascii=False).encode(), "bom.json"),
    (json.dumps(post(content={"rendered": f"<p>{_LONG}</p>"})).encode(), "escaped.json"),
    (json.dumps([post(content={"rendered": f"<p>{_LONG}</p>"})], ensure_ascii=False).encode(),
     "list.json"),
    (json.dumps(post(title={"rendered": "\ud800" + _LONG})).encode(), "surrogate.json"),
])
def test_an_entrys_raw_form_is_encoded_as_its_text(tmp_path: Path, data: bytes, name: str) -> None:
    """The raw form's UTF-8 the file's bytes stand for is the text's own encode."""
    (entry,) = read(tmp_path, name, data)
    assert isinstance(entry, Entry)
    assert encoded(entry.raw) == entry.raw.encode("utf-8")
    assert encoded(entry.html) == entry.html.encode("utf-8")


def test_a_count_lists_the_folders_the_next_reading_reads(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """count() keeps each folder's listing for the next files() (the run reads what it counted,
    with one scandir a folder); a later reading lists the folders again."""
    for name in ("a/x.json", "a-b/y.json", "a.json", "B/z.html", "c.txt", "a/.hidden.json"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text("x")
    paths: list[str | Path] = [tmp_path, tmp_path / "c.txt", tmp_path / "a", tmp_path]
    want = list(FileSource(paths).files())
    scanned: list[str] = []
    scandir = os.scandir

    def counting(path: str) -> Any:
        scanned.append(path)
        return scandir(path)

    monkeypatch.setattr(os, "scandir", counting)
    source = FileSource(paths)
    assert source.count() == len(want) == 12
    listings = len(scanned)
    assert list(source.files()) == want
    assert len(scanned) == listings  # read from what count() listed
    (tmp_path / "d.json").write_text("x")  # a later reading lists the folder again
    assert len(list(source.files())) == 14 and len(scanned) == 2 * listings
