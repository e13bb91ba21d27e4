"""A site's sync: a run of its source, then what the source learned kept in the store.

Every kind of source (a WordPress site's API, a feed, a sitemap, a page) goes through
:func:`selected` on its way in, so the options a watch-list source carries (include and
exclude words, its category) and a request to stop apply to all of them alike.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from redraft.pipeline.policy import Engines, RunOptions, Verifier
from redraft.pipeline.report import Report
from redraft.pipeline.running import Progress, run
from redraft.records import Entry
from redraft.sinks import Sink
from redraft.sources import SiteSource, SourceItem
from redraft.store import Store
from redraft.verify import verify
from redraft.wp.posts import plain_text

if TYPE_CHECKING:
    from redraft.sources.site import SiteSource as WebSource


def _never() -> bool:
    return False


@dataclass(frozen=True, slots=True)
class Selection:
    """Which of a source's items a sync takes, and until when.

    Attributes:
        include: comma-separated words or phrases; when given, only entries that mention one
            of them (whole words, any case) in their title, categories, tags or summary.
        exclude: comma-separated words or phrases; entries that mention one are skipped.
        category: the source's category on the watch list (``News/Local``), recorded on each
            of its entries as ``meta["watch_category"]``.
        stop: asked after each item; True ends the sync there (the item in hand is finished
            and committed; the sync is then incomplete, so nothing is marked as read).
    """

    include: str = ""
    exclude: str = ""
    category: str = ""
    stop: Callable[[], bool] = _never


def selected(items: Iterable[SourceItem], selection: Selection) -> Iterator[SourceItem]:
    """The items ``selection`` takes: entries filtered and tagged, errors passed on, until
    ``selection.stop()``; the source's generator is closed when this one ends."""
    wanted, unwanted = _words(selection.include), _words(selection.exclude)
    iterator = iter(items)
    try:
        for item in iterator:
            taken = _take(item, wanted, unwanted, selection.category)
            if taken is not None:
                yield taken
            if selection.stop():  # after a left-out item too
                return
    finally:
        close = getattr(iterator, "close", None)
        if close is not None:
            close()


def _take(item: SourceItem, wanted: re.Pattern[str] | None, unwanted: re.Pattern[str] | None,
          category: str) -> SourceItem | None:
    """The item as the sync takes it (an entry tagged with its category), None to leave out."""
    if not isinstance(item, Entry):
        return item
    if wanted or unwanted:
        text = _subject(item)
        if (wanted and not wanted.search(text)) or (unwanted and unwanted.search(text)):
            return None
    if category:
        return dataclasses.replace(item, meta={**item.meta, "watch_category": category})
    return item


def left_out_early(selection: Selection, known: Mapping[str, Any]) -> bool:
    """Whether a feed item's own fields (``title``, ``categories``, ``excerpt``) already
    decide that :func:`selected` would leave its entry out, so that its page need not be
    fetched: an exclude word in them, or no include word when the item names its categories
    (the page's own categories count only when the feed gives none)."""
    wanted, unwanted = _words(selection.include), _words(selection.exclude)
    if not (wanted or unwanted):
        return False
    categories = [str(term) for term in known.get("categories") or ()]
    text = f"{known.get('title') or ''}\n{' '.join(categories)}\n{known.get('excerpt') or ''}"
    if unwanted and unwanted.search(text):
        return True
    return bool(wanted and categories and known.get("title") and not wanted.search(text))


def _words(value: str) -> re.Pattern[str] | None:
    words = [re.escape(w.strip()) for w in value.split(",") if w.strip()]
    return re.compile(rf"\b(?:{'|'.join(words)})\b", re.IGNORECASE) if words else None


def _subject(entry: Entry) -> str:
    """What an entry is about: title, categories and tags, summary. A fetched page's body is
    left out (its related links and menus are not its subject); a WordPress post's or a
    feed's body stands in for a missing summary."""
    meta = entry.meta
    body = meta.get("excerpt") or ("" if meta.get("text_from") == "page"
                                   else plain_text(entry.html))
    terms = [str(term) for name in ("category_names", "tag_names")
             for term in meta.get(name) or () if isinstance(term, str)]
    return f"{entry.title}\n{' '.join(terms)}\n{body}"


def sync(
    source: SiteSource,
    *,
    engines: Engines,
    store: Store,
    sinks: Sequence[Sink],
    options: RunOptions | None = None,
    verifier: Verifier = verify,
    progress: Progress | None = None,
    selection: Selection | None = None,
) -> Report:
    """Run a site source, then keep what it learned: its API root, and its high-water mark
    when the sync completed (so an interrupted sync is simply resumed next time).

    ``selection`` filters and tags its entries and can stop it early (a stopped sync is
    incomplete: the mark stays where it was)."""
    items = selected(source.entries(), selection or Selection())
    report = run(items, engines=engines, store=store, sinks=sinks, options=options,
                 verifier=verifier, progress=progress)
    checkpoint = source.checkpoint()
    with store.transaction():
        store.save_site(
            source.name,
            api_root=checkpoint.api_root,
            high_water=checkpoint.high_water if checkpoint.complete else None,
            synced=checkpoint.complete,
            state={"via_feed": checkpoint.via_feed, "complete": checkpoint.complete},
        )
    return report


def sync_web(
    source: WebSource,
    state: Mapping[str, Any] | None,
    *,
    engines: Engines,
    store: Store,
    sinks: Sequence[Sink],
    options: RunOptions | None = None,
    progress: Progress | None = None,
    selection: Selection | None = None,
) -> Report:
    """Run a feed, sitemap or page source, then keep what it remembers for the next sync
    (``state`` is what the last one kept): as :func:`sync` does for a WordPress site."""
    from redraft.sources.site_state import next_state  # noqa: PLC0415  (feedparser: syncs only)

    items = selected(source.entries(), selection or Selection())
    report = run(items, engines=engines, store=store, sinks=sinks, options=options,
                 progress=progress)
    with store.transaction():
        store.save_site(source.name, synced=source.checkpoint().complete,
                        state=next_state(source, state))
    return report
