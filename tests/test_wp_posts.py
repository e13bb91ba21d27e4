"""wp/posts.py: the WordPress REST post -> Entry mapping, keyed by the site's canonical name,
and hostile shapes (lone surrogates, wrong types, huge ids, deep nesting) as per-item
rejections instead of crashes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from redraft.errors import Malformed, Rejected
from redraft.records import Entry
from redraft.sources.files import FileSource
from redraft.store import Store
from redraft.wp.api import site_url
from redraft.wp.posts import wp_entry

BODY = "<p>The ferry company confirmed on Monday that the night crossing resumes in May.</p>"


def post(post_id: Any = 12, **changes: Any) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": post_id,
        "date": "2025-05-02T08:00:00",
        "date_gmt": "2025-05-02T06:00:00",
        "type": "post",
        "slug": "night-ferry",
        "link": f"https://news.example.org/night-ferry-{post_id}/",
        "title": {"rendered": "Night ferry returns"},
        "content": {"rendered": BODY, "protected": False},
        "excerpt": {"rendered": "<p>Crossing resumes.</p>"},
        "author": 2,
        "categories": [4, 5],
        "_links": {"self": [{"href": f"https://news.example.org/wp-json/wp/v2/posts/{post_id}"}]},
        "_embedded": {
            "author": [{"name": "Desk Editor"}],
            "wp:term": [[{"taxonomy": "category", "name": "Transport"}]],
            "wp:featuredmedia": [{"source_url": "https://news.example.org/ferry.jpg"}],
        },
    }
    item.update(changes)
    return item


def read_text(tmp_path: Path, text: str, name: str = "posts.json") -> list[Entry | Rejected]:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    items = list(FileSource([path]).entries())
    assert all(isinstance(i, Entry | Rejected) for i in items)
    return items  # type: ignore[return-value]


# --- one site identity for files and syncs --------------------------------------------------

@pytest.mark.parametrize(
    "changes",
    [
        {"_links": {"self": [{"href": "https://News.Example.org:443/wp-json/wp/v2/posts/12"}]}},
        {"_links": {"self": [{"href": "HTTPS://NEWS.example.org/index.php?rest_route=/wp/v2/posts/12"}]}},
        {"_links": {}, "link": "https://News.Example.ORG:443/?p=12"},
    ],
)
def test_an_export_keys_a_post_as_a_sync_of_the_site_does(changes: dict[str, Any]) -> None:
    entry = wp_entry(post(12, **changes), label="export.json", where="")
    assert isinstance(entry, Entry)
    sync_site = site_url("https://news.example.org/")  # what `redraft sync` keys the site by
    assert entry.key == f"{sync_site}#12"
    assert entry.meta["site"] == sync_site


def test_a_site_in_a_folder_keeps_its_path_and_port() -> None:
    href = "http://Example.COM:8080/news/wp-json/wp/v2/posts/3"
    entry = wp_entry(post(3, _links={"self": [{"href": href}]}), label="x", where="")
    assert isinstance(entry, Entry) and entry.key == "http://example.com:8080/news#3"


def test_posts_of_a_site_nobody_can_name_are_keyed_by_their_file() -> None:
    relative = {"_links": {"self": [{"href": "/wp-json/wp/v2/posts/12"}]}, "link": "/ferry/",
                "guid": {"rendered": "/?p=12"}}
    first = wp_entry(post(12, **relative), label="a/export.json", where="item 0")
    second = wp_entry(post(12, **relative), label="b/export.json", where="item 0")
    assert isinstance(first, Entry) and isinstance(second, Entry)
    assert (first.key, second.key) == ("file:a/export.json#12", "file:b/export.json#12")
    assert "site" not in first.meta


# --- lone surrogates --------------------------------------------------------------------------

LONE = "\\ud800"  # the JSON escape of a lone UTF-16 surrogate
MARK = "@@lone@@"  # where the fixture puts one


@pytest.mark.parametrize(
    "changes",
    [
        {"title": {"rendered": f"Ferry {MARK} returns"}},
        {"content": {"rendered": f"<p>Ferry {MARK} crossing resumes in May after repairs.</p>"}},
        {"link": f"https://news.example.org/{MARK}"},
        {"slug": f"ferry-{MARK}"},
        {"excerpt": {"rendered": MARK}},
        {f"_{MARK}": 1},
        {"_embedded": {"author": [{"name": f"Desk {MARK}"}],
                       "wp:term": [[{"taxonomy": "post_tag", "name": MARK}]]}},
        {"_links": {"self": [{"href": f"https://news.example.org{MARK}/wp-json/wp/v2/posts/12"}]}},
        {"date": f"2025-{MARK}"},
        {"type": f"page{MARK}"},
    ],
)
def test_a_lone_surrogate_in_any_field_is_cleaned_or_rejected_and_stores(
    tmp_path: Path, changes: dict[str, Any]
) -> None:
    text = json.dumps(post(12, **changes)).replace(MARK, LONE)
    assert "\ud800" in json.dumps(json.loads(text), ensure_ascii=False)  # it really holds one
    (item,) = read_text(tmp_path, text)
    for value in (item.key, str(item), json.dumps(dict(item.meta)) if isinstance(item, Entry) else ""):
        value.encode("utf-8")  # a lone surrogate would raise UnicodeEncodeError here
    with Store.open(tmp_path / "state.db") as store:
        if isinstance(item, Rejected):
            assert "type" in item.detail
            store.save_rejection(item)
            return
        for value in (item.url, item.title, item.html, item.raw):
            value.encode("utf-8")
        store.save_entry(item)
        stored = store.entry(item.key)
    assert stored is not None and stored.title == item.title


def test_a_lone_surrogate_in_an_array_item_of_a_sync_page() -> None:
    page = json.loads(f'[{json.dumps(post(1))[:-1]}, "slug": "a{LONE}b"}}]')
    entry = wp_entry(page[0], label="https://news.example.org", where="post 1",
                     raw=json.dumps(page[0], ensure_ascii=False))
    assert isinstance(entry, Entry)
    assert entry.meta["slug"] == "a\ufffdb"
    entry.raw.encode("utf-8")


# --- malformed shapes -------------------------------------------------------------------------

@pytest.mark.parametrize(
    "embedded",
    [
        {"author": {"0": {"name": "x"}}},
        {"wp:featuredmedia": {"source_url": "https://x.example/a.jpg"}},
        {"wp:term": 7},
        {"wp:term": [7, [3], [{"taxonomy": ["category"], "name": {"x": 1}}]]},
        {"author": [{"name": ["not", "a", "name"]}], "wp:featuredmedia": [{"source_url": 5}]},
        7,
    ],
)
def test_optional_embedded_fields_of_the_wrong_shape_are_ignored(embedded: Any) -> None:
    entry = wp_entry(post(12, _embedded=embedded), label="f.json", where="item 0")
    assert isinstance(entry, Entry)
    assert not {"author_name", "featured_image", "category_names", "tag_names"} & set(entry.meta)


@pytest.mark.parametrize(
    "links",
    [{"self": 7}, 7, {"self": [7, {"href": 7}, {"href": ["x"]}]}, {"self": [{"href": "https://[::1/wp-json/"}]},
     {"self": [{"href": "https://news.example.org:99999/wp-json/wp/v2/posts/12"}]}],
)
def test_a_self_link_of_the_wrong_shape_falls_back_to_the_post_link(links: Any) -> None:
    entry = wp_entry(post(12, _links=links), label="f.json", where="item 0")
    assert isinstance(entry, Entry) and entry.key == "https://news.example.org#12"


@pytest.mark.parametrize(
    ("changes", "why"),
    [
        ({"id": -4}, "id"), ({"id": True}, "id"), ({"id": "12"}, "id"), ({"id": 2**70}, "id"),
        ({"id": [12]}, "id"), ({"type": {"name": "post"}}, "type"), ({"type": "Post Type!"}, "type"),
        ({"content": {"rendered": ["<p>x</p>"]}}, "content.rendered"),
    ],
)
def test_required_fields_of_the_wrong_shape_reject_the_item(changes: dict[str, Any], why: str) -> None:
    item = wp_entry(post(12, **changes), label="f.json", where="item 3")
    assert isinstance(item, Malformed)
    assert "item 3" in item.detail and why in item.detail and item.source == "f.json"


@pytest.mark.parametrize(
    "changes",
    [{"title": ["x"]}, {"date": 20250502, "date_gmt": {"x": 1}}, {"link": 7, "guid": 9},
     {"categories": [[[1]]], "tags": "nope", "author": {"id": 2}, "featured_media": "x"},
     {"excerpt": 5, "slug": ["x"]}],
)
def test_optional_fields_of_the_wrong_shape_are_tolerated(changes: dict[str, Any]) -> None:
    entry = wp_entry(post(12, **changes), label="f.json", where="item 0")
    assert isinstance(entry, Entry)
    assert entry.html == BODY
    json.dumps(dict(entry.meta))
    for name in ("categories", "tags", "author", "featured_media", "slug"):
        assert name not in entry.meta or name not in changes


def test_a_5000_digit_id_rejects_that_item_only(tmp_path: Path) -> None:
    huge = "9" * 5000
    text = "[" + ", ".join([json.dumps(post(1)), json.dumps(post(2)).replace('"id": 2', f'"id": {huge}', 1),
                            json.dumps(post(3))]) + "]"
    items = read_text(tmp_path, text)
    assert [type(i).__name__ for i in items] == ["Entry", "Malformed", "Entry"]
    assert "item 1" in str(items[1]) and "5000 digits" in str(items[1])
    assert len(str(items[1])) < 400  # the number itself is not repeated


def test_json_nested_100000_deep_is_one_rejection_naming_the_file(tmp_path: Path) -> None:
    (item,) = read_text(tmp_path, "[" * 100_000 + "]" * 100_000, name="deep.json")
    assert isinstance(item, Malformed)
    assert "deep.json" in str(item) and "nested" in item.detail


def test_a_deep_json_line_rejects_that_line_only(tmp_path: Path) -> None:
    deep = '{"id": 5, "x": ' + "[" * 100_000 + "]" * 100_000 + "}"
    lines = [json.dumps(post(4)), deep, json.dumps(post(6))]
    items = read_text(tmp_path, "\n".join(lines), name="posts.jsonl")
    assert [type(i).__name__ for i in items] == ["Entry", "Malformed", "Entry"]
    assert "line 2" in str(items[1]) and "nested" in str(items[1])


def test_an_item_nested_just_under_the_parser_limit_does_not_crash() -> None:
    item = post(12, extra=json.loads("[" * 900 + "]" * 900))
    result = wp_entry(item, label="f.json", where="item 0")
    assert isinstance(result, Entry | Malformed)
