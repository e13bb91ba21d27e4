"""http.py: the retry and back-off logic around a server (MockTransport: no server needed
for the logic itself), then caps, deadline, redirects and credentials against real hostile
servers on 127.0.0.1 and 127.0.0.2 (tests/hostile.py)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime

import httpx
import pytest

from redraft.config import HttpOptions
from redraft.errors import FetchError
from redraft.http import (
    FETCH_DEADLINE,
    MAX_REDIRECTS,
    POSTS_PAGE_BYTES,
    Cap,
    Caps,
    HostLimiter,
    Retrier,
    retry_after_seconds,
)
from tests.hostile import HostileSite

URL = "https://wp.example/wp-json/wp/v2/posts"


def retrier(responses: list[httpx.Response | Exception], sleeps: list[float],
            retries: int = 3) -> tuple[Retrier, list[httpx.Request]]:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        answer = responses.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    client = httpx.Client(transport=httpx.MockTransport(handler))
    options = HttpOptions(retries=retries, backoff=1.0, max_backoff=30.0)
    return Retrier(client, options, sleep=sleeps.append, jitter=lambda: 0.5), seen


def test_5xx_then_success_backs_off_exponentially() -> None:
    sleeps: list[float] = []
    client, seen = retrier([httpx.Response(500), httpx.Response(503), httpx.Response(200, json=[])],
                           sleeps)
    assert client.get(URL).status_code == 200
    assert len(seen) == 3
    assert sleeps == [0.5, 1.0]  # full jitter of 1 s, then 2 s


def test_retry_after_is_honoured_and_capped() -> None:
    sleeps: list[float] = []
    client, _ = retrier([httpx.Response(429, headers={"Retry-After": "7"}),
                         httpx.Response(429, headers={"Retry-After": "3600"}),
                         httpx.Response(200)], sleeps)
    assert client.get(URL).status_code == 200
    assert sleeps == [7.0, 30.0]


def test_connection_errors_are_retried_then_reported_with_the_url() -> None:
    sleeps: list[float] = []
    error = httpx.ConnectError("refused")
    client, seen = retrier([error, error, error], sleeps, retries=2)
    with pytest.raises(FetchError, match=r"GET https://wp\.example/.* 3 attempts.*ConnectError"):
        client.get(URL)
    assert len(seen) == 3


def test_persistent_5xx_becomes_a_fetch_error_with_status() -> None:
    client, _ = retrier([httpx.Response(502)] * 3, [], retries=2)
    with pytest.raises(FetchError) as caught:
        client.get(URL)
    assert caught.value.status == 502 and caught.value.url == URL


@pytest.mark.parametrize("status", [400, 401, 403, 404])
def test_client_errors_are_returned_not_retried(status: int) -> None:
    client, seen = retrier([httpx.Response(status)], [])
    assert client.get(URL).status_code == status
    assert len(seen) == 1


def test_retry_after_http_date() -> None:
    now = datetime(2025, 1, 1, 12, 0, 0, tzinfo=UTC)
    assert retry_after_seconds("Wed, 01 Jan 2025 12:00:09 GMT", now=now) == 9.0
    assert retry_after_seconds("soon", now=now) is None
    assert retry_after_seconds(None) is None


def test_host_limiter_caps_requests_in_flight_per_host() -> None:
    limiter = HostLimiter(2)
    in_flight, peak, lock = [0], [0], threading.Lock()

    def hold(url: str) -> Callable[[], None]:
        def work() -> None:
            with limiter.slot(url):
                with lock:
                    in_flight[0] += 1
                    peak[0] = max(peak[0], in_flight[0])
                time.sleep(0.02)
                with lock:
                    in_flight[0] -= 1
        return work

    threads = [threading.Thread(target=hold("https://one.example/x")) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert peak[0] == 2


# --- against real servers: caps, deadline, redirects, credentials ------------------------------

SMALL = Caps(posts=Cap("a page of posts", 256 * 1024, FETCH_DEADLINE),
             page=Cap("a web page", 256 * 1024, FETCH_DEADLINE))


def real(caps: Caps = SMALL) -> Retrier:
    client = httpx.Client(timeout=httpx.Timeout(30.0), follow_redirects=True)
    return Retrier(client, HttpOptions(retries=2, backoff=0.0), sleep=lambda _: None, caps=caps)


def posts_url(site: HostileSite) -> str:
    return site.base_url + "/wp-json/wp/v2/posts"


@pytest.mark.parametrize(("role", "message"), [
    ("endless", "sent more than 262,144 bytes, the cap for a page of posts"),
    ("huge", "declared 1,048,576 bytes, over the 262,144-byte cap for a page of posts"),
    ("gzip_bomb", "sent more than 262,144 bytes once decompressed"),
    ("bad_gzip", "gzip body that cannot be decompressed"),
    ("redirect_loop", "more than 5 redirects"),
    ("redirect_js", "only http(s) redirects are followed"),
])
def test_a_hostile_answer_is_one_clear_fetch_error_not_retried(role: str, message: str) -> None:
    with HostileSite(role=role) as site:
        with pytest.raises(FetchError) as caught:
            real().get(posts_url(site), kind="posts")
        requests = len(site.requests)
    assert message in str(caught.value) and posts_url(site) in str(caught.value)
    assert requests <= MAX_REDIRECTS + 1  # one attempt: a breach is not retried


def test_a_trickle_is_cut_off_by_the_deadline_not_per_read() -> None:
    caps = Caps(posts=Cap("a page of posts", POSTS_PAGE_BYTES, 1.0))
    with HostileSite(role="trickle", interval=0.02) as site, \
            pytest.raises(FetchError, match=r"still sending after 1 s \(the cap for a page of posts"):
        real(caps).get(posts_url(site), kind="posts")


def test_an_answer_within_the_caps_is_read_whole() -> None:
    with HostileSite(role="gzip_bomb", size=200 * 1024) as site:
        response = real().get(posts_url(site), kind="posts")
    assert response.json() == [] and len(response.content) == 200 * 1024


def test_credentials_never_follow_a_redirect_to_another_origin() -> None:
    with HostileSite(host="127.0.0.2") as other, \
            HostileSite(role="moved", host="127.0.0.1") as site:
        site.moved_to = other.base_url
        auth = httpx.BasicAuth("editor", "secret")
        with pytest.raises(FetchError) as caught:
            real().get(site.base_url + "/", auth=auth)
        assert not other.requests
        assert site.base_url in str(caught.value) and other.base_url in str(caught.value)
        assert real().get(site.base_url + "/").status_code == 200  # no credentials: followed
        assert other.requests and "authorization" not in other.requests[-1].headers
        trusted = real().get(site.base_url + "/", auth=auth, trust=[other.base_url])
        assert trusted.status_code == 200 and "authorization" in other.requests[-1].headers
        seen = len(other.requests)
        with pytest.raises(FetchError, match="credentials go only to"):
            real().get(site.base_url + "/", headers={"Authorization": "Bearer k"})
        assert len(other.requests) == seen


def test_one_attempt_keeps_the_rules_and_shows_any_status() -> None:
    with HostileSite(host="127.0.0.2") as other, HostileSite(role="moved") as site:
        site.moved_to = other.base_url
        with pytest.raises(FetchError, match="credentials go only to"):
            real().attempt("GET", site.base_url + "/", auth=httpx.BasicAuth("editor", "secret"))
        assert not other.requests
        site.role = "endless"
        with pytest.raises(FetchError, match="the cap for a page of posts"):
            real().attempt("GET", posts_url(site), kind="posts")
        missing = real().attempt("GET", site.base_url + "/nowhere")
    assert missing.status_code == 404 and missing.json() == {"code": "rest_no_route"}
