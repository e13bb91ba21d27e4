"""Faults injected between the WordPress source and a real WordPress (a proxy on 127.0.0.1):
each run ends in a complete sync, or in a clear failure for the page that kept failing, and
never in a crash."""

from __future__ import annotations

import pytest

from redraft.config import HttpOptions
from redraft.errors import FetchError, NotJSONError
from redraft.records import Entry
from redraft.sources.wordpress import WordPressSource
from tests.wordpress import WordPressSite
from tests.wordpress.proxy import Fault, FaultKind, fault_proxy
from tests.wordpress.recording import recording_retrier

pytestmark = pytest.mark.wordpress

# The usual timeout (a real PHP server renders pages of 100 posts, slowly on a loaded machine),
# short back-off; two retries per request.
OPTIONS = HttpOptions(retries=2, backoff=0.05, max_backoff=2.0)
# The hung connection alone needs a short read timeout: it is the fault under test. Every other
# answer in that case comes from the proxy's memory, not from PHP (see test_a_hung_...).
HANG_OPTIONS = HttpOptions(timeout=2.0, retries=2, backoff=0.05, max_backoff=2.0)
HANG = 120.0  # seconds the proxy holds the hung request; released early when the proxy stops


@pytest.fixture
def site(wordpress_site: WordPressSite) -> WordPressSite:
    return wordpress_site


@pytest.mark.parametrize(("kind", "page", "times"), [
    ("429", 2, 2),
    ("500", 1, 2),
    ("truncate", 2, 2),
])
def test_transient_faults_end_in_a_complete_sync(
    site: WordPressSite, kind: FaultKind, page: int, times: int,
) -> None:
    fault = Fault(kind, match=f"&page={page}", times=times)
    with fault_proxy(site.base_url, [fault]) as proxy:
        retrier, _ = recording_retrier(OPTIONS)
        source = WordPressSource(retrier, proxy.url)
        items = list(source.entries())
    assert [what for _, what in proxy.served].count(kind) == times
    assert all(isinstance(item, Entry) for item in items)
    assert len({item.key for item in items if isinstance(item, Entry)}) == 250
    assert source.checkpoint().complete


def test_a_hung_connection_is_given_up_on_retried_and_the_sync_completes(site: WordPressSite) -> None:
    # A first sync with the usual timeout fills the proxy's cache and passes page 3 (after=1);
    # the second, with the short timeout, meets the hang on page 3 and only the proxy otherwise.
    fault = Fault("hang", match="&page=3", after=1, times=1, hang=HANG)
    with fault_proxy(site.base_url, [fault], cache=True) as proxy:
        warm, _ = recording_retrier(OPTIONS)
        assert len(list(WordPressSource(warm, proxy.url).entries())) == 250
        retrier, recorder = recording_retrier(HANG_OPTIONS)
        source = WordPressSource(retrier, proxy.url)
        items = list(source.entries())
    assert [what for _, what in proxy.served].count("hang") == 1
    assert len(recorder.matching("&page=3")) == 2  # given up on once, then answered
    assert all(isinstance(item, Entry) for item in items)
    assert len({item.key for item in items if isinstance(item, Entry)}) == 250
    assert source.checkpoint().complete


@pytest.mark.parametrize(("kind", "error"), [
    ("500", FetchError),
    ("bad-json", NotJSONError),
    ("html", NotJSONError),
])
def test_a_page_that_keeps_failing_is_recorded_and_the_rest_is_synced(
    site: WordPressSite, kind: FaultKind, error: type[FetchError],
) -> None:
    fault = Fault(kind, match="&page=2", times=100)
    with fault_proxy(site.base_url, [fault]) as proxy:
        retrier, _ = recording_retrier(OPTIONS)
        source = WordPressSource(retrier, proxy.url)
        items = list(source.entries())
    failures = [item for item in items if isinstance(item, FetchError)]
    assert len(failures) == 1 and isinstance(failures[0], error)
    assert "page=2" in failures[0].url and proxy.url in str(failures[0])
    assert sum(isinstance(item, Entry) for item in items) == 150
    checkpoint = source.checkpoint()
    assert not checkpoint.complete and checkpoint.high_water is None
