"""Site identity, sitemaps, robots.txt and feed formats, against a real local server."""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx
import pytest

from redraft.errors import Malformed
from redraft.http import Retrier
from redraft.records import Entry
from redraft.sources.discover import identify
from redraft.sources.robots import Robots
from redraft.sources.site import SiteOptions, SiteSource
from redraft.sources.sitemaps import parse_sitemap
from redraft.wp.api import article_key, web_site_key
from tests.news_site import ARTICLES, build
from tests.web_site import WebSite, serve


@pytest.fixture
def news() -> Iterator[WebSite]:
    with serve(WebSite()) as site:
        yield build(site)


@pytest.mark.parametrize("url", [
    "https://www.eastwick.example/news/a.html",
    "http://eastwick.example/news/a.html/",
    "https://EASTWICK.example:443/news/a.html?utm_source=x&utm_medium=y#top",
    "eastwick.example/news/a.html?fbclid=abc",
])
def test_one_article_key_whatever_the_spelling(url: str) -> None:
    assert article_key(url) == "site:eastwick.example#/news/a.html"
    assert web_site_key(url) == "site:eastwick.example"


def test_real_query_parameters_stay() -> None:
    assert article_key("https://x.example/story?id=12&utm_campaign=a") == "site:x.example#/story?id=12"
    assert article_key("https://x.example/story?id=12") != article_key("https://x.example/story?id=13")


def test_sitemap_index_and_news_sitemap() -> None:
    index = parse_sitemap(b'<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/'
                          b'schemas/sitemap/0.9"><sitemap><loc>https://x.example/s1.xml</loc>'
                          b"</sitemap></sitemapindex>")
    assert index is not None and index.index and index.urls[0].loc == "https://x.example/s1.xml"
    news = parse_sitemap(
        b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.'
        b'google.com/schemas/sitemap-news/0.9"><url><loc>https://x.example/a</loc><news:news>'
        b"<news:title>Tram vote</news:title><news:publication_date>2026-11-26T12:00:00Z"
        b"</news:publication_date></news:news></url></urlset>")
    assert news is not None and not news.index
    assert news.urls[0].title == "Tram vote" and news.urls[0].published is not None
    assert parse_sitemap(b"<html><body>no</body></html>") is None


def _source(site: WebSite, path: str, client: httpx.Client) -> SiteSource:
    retrier = Retrier(client)
    robots = Robots(retrier)
    return SiteSource(retrier, identify(retrier, site.base + path, robots), robots=robots,
                      options=SiteOptions(delay=0))


def test_atom_and_json_feeds_with_full_text_keep_the_feed_body(news: WebSite) -> None:
    article = ARTICLES[1]
    link = f"{news.base}/news/{article['slug']}.html"
    body = "".join(f"<p>{p}</p>" for p in article["paragraphs"] * 2)  # long enough to be whole
    news.files["/atom.xml"] = ("application/atom+xml", (
        '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>E</title>'
        f'<entry><title>{article["title"]}</title><link href="{link}"/><id>{link}</id>'
        f'<updated>2026-11-22T09:30:00Z</updated><content type="html"><![CDATA[{body}]]>'
        "</content></entry></feed>").encode())
    news.files["/feed.json"] = ("application/feed+json", json.dumps({
        "version": "https://jsonfeed.org/version/1.1", "title": "E",
        "items": [{"id": link, "url": link, "title": article["title"], "content_html": body,
                   "date_published": "2026-11-22T09:30:00Z", "tags": ["Education"]}]}).encode())
    with httpx.Client() as client:
        for path in ("/atom.xml", "/feed.json"):
            source = _source(news, path, client)
            assert source.found.kind == "feed"
            items = list(source.entries())
            assert len(items) == 1 and isinstance(items[0], Entry), items
            assert items[0].meta["text_from"] == "feed"
            assert items[0].key == article_key(link) and items[0].title == article["title"]
    assert not [h for h in news.log if h.path.startswith("/news/")]


def test_robots_wildcards_and_allow(news: WebSite) -> None:
    news.files["/robots.txt"] = ("text/plain", b"User-agent: *\nDisallow: /news/\n"
                                 b"Allow: /news/*-reopens.html$\n")
    with httpx.Client() as client:
        robots = Robots(Retrier(client))
        assert robots.allowed(f"{news.base}/news/bridge-reopens.html")
        assert not robots.allowed(f"{news.base}/news/library-hours.html")
        assert not robots.allowed(f"{news.base}/news/bridge-reopens.html?print=1")


def test_page_keeps_the_feed_items_fields_and_says_how(news: WebSite) -> None:
    with httpx.Client() as client:
        items = list(_source(news, "/feed.xml", client).entries())
    entries = [item for item in items if isinstance(item, Entry)]
    assert len(entries) == len(ARTICLES)
    first = entries[0]
    assert first.meta["text_from"] == "page"
    assert first.meta["category_names"] == [ARTICLES[0]["section"]]
    assert first.meta["featured_image"].endswith(f"/img/{ARTICLES[0]['slug']}.jpg")
    assert first.published is not None and first.published.date().isoformat() == "2026-11-20"
    assert first.meta["excerpt"].startswith(ARTICLES[0]["paragraphs"][0][:40])


def test_a_wordpress_feed_is_its_site(news: WebSite) -> None:
    news.files["/blog/feed/"] = ("application/rss+xml", (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>B</title>'
        b"<generator>https://wordpress.org/?v=6.7</generator></channel></rss>"))
    with httpx.Client() as client:
        retrier = Retrier(client)
        found = identify(retrier, f"{news.base}/blog/feed/", Robots(retrier))
    assert (found.kind, found.url) == ("wordpress", f"{news.base}/blog")


def test_a_sitemap_mixing_dates_and_zoned_times_is_read_whole(news: WebSite) -> None:
    # Date-only <lastmod> values are common; mixed with zoned times they once failed to sort.
    urls = "".join(
        f"<url><loc>{news.base}/news/{a['slug']}.html</loc><lastmod>"
        f"{'2026-11-2' + str(n % 9) if n % 2 else '2026-11-2' + str(n % 9) + 'T10:00:00+02:00'}"
        "</lastmod></url>" for n, a in enumerate(ARTICLES))
    news.files["/sitemap.xml"] = ("application/xml", (
        '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        + urls + "</urlset>").encode())
    with httpx.Client() as client:
        items = list(_source(news, "/sitemap.xml", client).entries())
    assert len(items) == len(ARTICLES)
    assert all(isinstance(item, Entry) for item in items)


def test_a_json_feed_plain_text_item_keeps_its_angle_brackets_as_text() -> None:
    from redraft.sources.jsonfeed import read_json_feed
    from redraft.wp.posts import plain_text

    body = json.dumps({"version": "https://jsonfeed.org/version/1.1", "title": "T", "items": [{
        "id": "1", "url": "https://x.example/1", "title": "Fares",
        "content_text": "Fares rise if a < b & c.\n\nA second <b>paragraph</b>."}]}).encode()
    [item] = read_json_feed(body, url="https://x.example/feed.json")
    [content] = item["content"]
    assert content["type"] == "text/html"
    assert content["value"].count("<p>") == 2
    assert plain_text(content["value"]) == "Fares rise if a < b & c.A second <b>paragraph</b>."


def test_a_page_that_cannot_be_decoded_is_filed_under_its_own_key(news: WebSite) -> None:
    from redraft.sources.web import fetch_page, page_key

    news.files["/news/binary.html"] = ("text/html", b"<p>ab\x00\x00cd</p>" * 10)
    url = f"{news.base}/news/binary.html"
    with httpx.Client() as client:
        result = fetch_page(Retrier(client), url, source="site:news")
    assert isinstance(result, Malformed)
    assert (result.key, result.source) == (page_key(url), "site:news")
    assert "NUL bytes" in str(result) and "re-save" not in str(result)


def test_a_feed_items_text_title_and_text_content_are_decoded_once(news: WebSite) -> None:
    # type="text": "&amp;amp;" is the title "AT&amp;T" (feedparser has decoded it once), and the
    # content's "<" and "&" are text, not markup.
    article = ARTICLES[2]
    link = f"{news.base}/news/{article['slug']}.html"
    words = " ".join(article["paragraphs"] * 4)
    news.files["/atom.xml"] = ("application/atom+xml", (
        '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>E</title>'
        f'<entry><title type="text">AT&amp;amp;T &lt;3 fares</title><link href="{link}"/>'
        f'<id>{link}</id><updated>2026-11-22T09:30:00Z</updated><content type="text">'
        f"Fares rise if a &lt; b &amp; c.\n\n{words}</content></entry></feed>").encode())
    with httpx.Client() as client:
        [item] = list(_source(news, "/atom.xml", client).entries())
    assert isinstance(item, Entry), item
    assert item.title == "AT&amp;T <3 fares"
    assert item.meta["text_from"] == "feed"
    assert item.html.startswith("<p>Fares rise if a &lt; b &amp; c.</p><p>")


def test_a_home_page_with_a_malformed_unrelated_link_still_names_its_feed(news: WebSite) -> None:
    news.files["/index.html"] = ("text/html", (
        b'<html><head><link rel="preconnect" href="https://[fonts.example/">'
        b'<link rel="alternate" type="application/rss+xml" href="/feed.xml"></head>'
        b"<body><p>Welcome</p></body></html>"))
    with httpx.Client() as client:
        retrier = Retrier(client)
        found = identify(retrier, f"{news.base}/index.html", Robots(retrier))
    assert (found.kind, found.url) == ("feed", f"{news.base}/feed.xml")
