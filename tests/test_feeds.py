"""The feed source with httpx.MockTransport: RSS and Atom bodies, WordPress's paging, the
end of a feed, protected and empty items, and answers that are not feeds. (The real
WordPress feed is read in test_wordpress_source.py, where a locked API falls back to it.)"""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from redraft.config import HttpOptions
from redraft.errors import FetchError, Malformed, Protected
from redraft.http import Retrier
from redraft.records import Entry
from redraft.sources import SourceItem
from redraft.sources.feeds import FeedOptions, FeedSource

FEED = "https://paper.example/feed/"


def rss(*items: str) -> str:
    return ('<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>Paper</title>'
            '<link>https://paper.example</link>' + "".join(items) + "</channel></rss>")


def item(post_id: int, *, title: str = "", body: str = "", summary: str = "Short.") -> str:
    body = body or f"<p>The harbour board met on day {post_id}.</p>"
    return (f"<item><title>{title or f'Board meeting {post_id}'}</title>"
            f"<link>https://paper.example/board-{post_id}/</link>"
            f"<dc:creator><![CDATA[Ada Reporter]]></dc:creator>"
            f"<pubDate>Mon, 0{post_id % 9 + 1} Jun 2025 08:00:00 +0000</pubDate>"
            f"<category><![CDATA[Harbour]]></category>"
            f'<guid isPermaLink="false">https://paper.example/?p={post_id}</guid>'
            f"<description><![CDATA[{summary}]]></description>"
            f"<content:encoded><![CDATA[{body}]]></content:encoded></item>")


ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Lab notes</title>
<entry><title type="html">Tides &amp;amp; sensors</title><id>urn:lab:1</id>
<link rel="alternate" href="https://lab.example/1"/>
<published>2025-05-01T08:00:00Z</published><updated>2025-05-03T09:30:00Z</updated>
<content type="html">&lt;p&gt;The sensors were moved to the pier.&lt;/p&gt;</content></entry>
</feed>"""


def source(pages: Callable[[int], httpx.Response], options: FeedOptions | None = None,
           url: str = FEED) -> tuple[FeedSource, list[str]]:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return pages(int(request.url.params.get("paged", "1")))

    client = httpx.Client(transport=httpx.MockTransport(handler))
    retrier = Retrier(client, HttpOptions(retries=1, backoff=0.0), sleep=lambda _: None)
    return FeedSource(retrier, url, options=options), seen


def xml(text: str) -> httpx.Response:
    return httpx.Response(200, headers={"Content-Type": "application/rss+xml"}, text=text)


def entries(items: list[SourceItem]) -> list[Entry]:
    return [i for i in items if isinstance(i, Entry)]


def test_wordpress_pages_are_read_until_the_404() -> None:
    pages = {1: xml(rss(item(5), item(4))), 2: xml(rss(item(3))), 3: httpx.Response(404)}
    feed, seen = source(pages.__getitem__, FeedOptions(max_pages=None))
    got = entries(list(feed.entries()))
    assert [e.key for e in got] == [f"https://paper.example/?p={n}" for n in (5, 4, 3)]
    assert seen[1] == FEED + "?paged=2" and feed.complete
    first = got[0]
    assert first.html == "<p>The harbour board met on day 5.</p>"
    assert first.meta["via"] == "feed" and first.meta["tag_names"] == ["Harbour"]
    assert first.meta["author_name"] == "Ada Reporter" and first.meta["excerpt"] == "Short."
    assert first.published is not None and first.modified is None


def test_a_feed_that_ignores_paging_stops_when_nothing_is_new() -> None:
    feed, seen = source(lambda page: xml(rss(item(5), item(4))), FeedOptions(max_pages=None))
    assert len(entries(list(feed.entries()))) == 2 and len(seen) == 2 and feed.complete


def test_atom_titles_are_decoded_once_and_updated_is_the_modified_time() -> None:
    feed, _ = source(lambda page: xml(ATOM))
    (entry,) = entries(list(feed.entries()))
    assert entry.title == "Tides & sensors"  # HTML "Tides &amp; sensors", decoded once
    assert entry.modified is not None and entry.modified.day == 3
    assert entry.key == "urn:lab:1" and entry.url == "https://lab.example/1"


def test_a_plain_text_atom_content_is_the_body_with_its_brackets_as_text() -> None:
    text_entry = ATOM.replace('<content type="html">&lt;p&gt;The sensors were moved to the '
                              "pier.&lt;/p&gt;</content>",
                              '<summary>Sensors moved.</summary><content type="text">Tide &lt; 2 m '
                              "&amp; falling.\n\nThe sensors were moved.</content>")
    feed, _ = source(lambda page: xml(text_entry))
    (entry,) = entries(list(feed.entries()))
    assert entry.html == "<p>Tide &lt; 2 m &amp; falling.</p><p>The sensors were moved.</p>"
    assert entry.meta["excerpt"] == "Sensors moved."


@pytest.mark.parametrize(("body", "rejection"), [
    ('<form class="post-password-form" method="post"><p>This content is protected.</p></form>',
     Protected),
    (" ", Malformed),
])
def test_protected_and_empty_items_are_rejected(body: str, rejection: type) -> None:
    feed, _ = source(lambda page: xml(rss(item(5, body=body, summary=" "), item(4))))
    items = list(feed.entries())
    assert isinstance(items[0], rejection) and isinstance(items[1], Entry)


@pytest.mark.parametrize("answer", [
    httpx.Response(200, html="<!DOCTYPE html><html><body>Not a feed</body></html>"),
    httpx.Response(500),
])
def test_an_answer_that_is_not_a_feed_is_a_fetch_error(answer: httpx.Response) -> None:
    feed, _ = source(lambda page: answer)
    items = list(feed.entries())
    assert len(items) == 1 and isinstance(items[0], FetchError) and FEED in str(items[0])
    assert not feed.complete


def test_a_limit_stops_early_and_leaves_the_read_incomplete() -> None:
    feed, seen = source(lambda page: xml(rss(item(5), item(4), item(3))),
                        FeedOptions(max_pages=None, limit=2))
    assert len(entries(list(feed.entries()))) == 2 and len(seen) == 1 and not feed.complete
