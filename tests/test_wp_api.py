"""redraft/wp/api.py: one identity per site, route URLs in both forms, origins."""

from __future__ import annotations

import pytest

from redraft.wp.api import foreign_origin, origin, route_url, site_key, site_url

SPELLINGS = [
    "https://news.example.org",
    "https://News.Example.org:443",
    "news.example.org",
    "https://NEWS.example.org/",
    "https://news.example.org/wp-json/",
    "https://News.Example.org:443/wp-json/wp/v2/posts/12",  # a post's _links.self in an export
    "https://news.example.org/index.php?rest_route=/wp/v2/posts/12",
    "https://news.example.org/?rest_route=/",
    "https://news.example.org/feed/",
    "https://news.example.org/#top",
]


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_every_spelling_of_a_site_gives_one_identity(spelling: str) -> None:
    assert site_url(spelling) == "https://news.example.org"
    assert site_key(spelling) == "wordpress:https://news.example.org"


@pytest.mark.parametrize(("url", "site"), [
    ("http://news.example.org:80/wp-json/", "http://news.example.org"),
    ("http://127.0.0.1:8080/blog/wp-json/wp/v2/posts", "http://127.0.0.1:8080/blog"),
    ("https://news.example.org:8443/", "https://news.example.org:8443"),
    ("https://news.example.org:99999/", "https://news.example.org"),  # no such port: ignored
])
def test_what_stays_part_of_the_identity(url: str, site: str) -> None:
    assert site_url(url) == site


def test_route_urls_in_both_forms() -> None:
    assert route_url("https://s/wp-json/", "/wp/v2/posts", {"page": 2, "_embed": "a,b"}) == \
        "https://s/wp-json/wp/v2/posts?page=2&_embed=a,b"
    assert route_url("https://s/index.php?rest_route=/", "/wp/v2/posts", {"page": 2}) == \
        "https://s/index.php?rest_route=/wp/v2/posts&page=2"


def test_credentials_go_only_to_the_named_origin_its_https_upgrade_or_an_allowed_one() -> None:
    assert origin("HTTP://A.example:80/x") == "http://a.example"
    assert foreign_origin("http://a.example", "http://a.example/wp-json/") is None
    assert foreign_origin("http://a.example", "https://a.example/wp-json/") is None  # upgrade
    assert foreign_origin("https://a.example", "http://a.example/wp-json/") == "http://a.example"
    assert foreign_origin("http://a.example", "http://b.example/wp-json/") == "http://b.example"
    assert foreign_origin("http://a.example:8080", "http://a.example:8081/") == \
        "http://a.example:8081"
    assert foreign_origin("http://a.example", "http://b.example/wp-json/",
                          ["http://b.example"]) is None
