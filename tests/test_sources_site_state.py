"""What a feed, sitemap or page sync keeps between runs (redraft.sources.site_state)."""

from __future__ import annotations

import httpx

from redraft.http import Retrier
from redraft.sources.discover import Found
from redraft.sources.robots import Robots
from redraft.sources.site import SiteOptions, SiteSource
from redraft.sources.site_state import next_state, remembered, validators

HOME = "https://news.example/"
FEED = Found("feed", "https://news.example/feed.xml", HOME, "the feed the home page names")
OLD = {"validators": {FEED.url: {"etag": '"old"'}},
       "addresses": {"https://news.example/sitemap.xml": {
           "kind": "sitemap", "url": "https://news.example/sitemap.xml", "how": "a sitemap"}}}


def site_source(client: httpx.Client, found: Found = FEED) -> SiteSource:
    retrier = Retrier(client)  # nothing is sent: the source is never read here
    return SiteSource(retrier, found, robots=Robots(retrier),
                      options=SiteOptions(validators=validators(OLD)))


def test_an_address_is_remembered_as_what_it_turned_out_to_be() -> None:
    with httpx.Client() as client:
        state = next_state(site_source(client), OLD)
    found = remembered(HOME, api_root=None, state=state)
    assert found == Found("feed", FEED.url, HOME, "the feed the home page names (remembered)")
    # Remembered again, it keeps one "(remembered)", and the other address stays.
    with httpx.Client() as client:
        again = next_state(site_source(client, found), state)
    assert again["addresses"][HOME]["how"] == "the feed the home page names"
    assert set(again["addresses"]) == {HOME, "https://news.example/sitemap.xml"}


def test_a_wordpress_site_wins_and_unknown_addresses_are_not_remembered() -> None:
    assert remembered(HOME, api_root="https://news.example/wp-json/", state=OLD) == Found(
        "wordpress", "https://news.example", HOME, "a WordPress site (remembered)")
    assert remembered(HOME, api_root=None, state=OLD) is None
    assert remembered(HOME, api_root=None, state=None) is None


def test_an_incomplete_sync_keeps_the_old_validators() -> None:
    with httpx.Client() as client:
        source = site_source(client)
        source.validators[FEED.url] = {"etag": '"new"'}
        assert not source.checkpoint().complete  # never read to the end
        state = next_state(source, OLD)
    assert state["validators"] == OLD["validators"]
    assert state["kind"] == "feed" and state["url"] == FEED.url
