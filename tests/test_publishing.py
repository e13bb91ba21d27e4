"""pipeline/publishing.py: the rules of safe updates, with a target held in memory (the real
WordPress runs in test_publish.py): create, update in place, unchanged, kept when edited, live,
trashed or gone, --overwrite-edited, dry runs, held back drafts, approval, a killed run's post."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest

from redraft.errors import PublishAuthError, PublishError
from redraft.pipeline import PublishOptions, publish
from redraft.pipeline.publishing import select
from redraft.records import Article, Block, Draft, Verdict
from redraft.sinks.wordpress import RemotePost, Written
from redraft.sinks.wp_content import Payload, build_payload
from redraft.store import Store
from tests.test_store import entry


class Target:
    """A site that keeps posts in a dict; ``modified`` ticks on every save, as WordPress's does."""

    name = "wordpress:https://mine.example"

    def __init__(self, *, refuse: bool = False, broken: str = "") -> None:
        self.refuse, self.broken = refuse, broken
        self.posts: dict[str, dict[str, Any]] = {}
        self.orphans: dict[str, str] = {}
        self.writes: list[tuple[str, str]] = []
        self.clock = 0

    def check(self) -> None:
        if self.refuse:
            raise PublishAuthError("wrong application password")

    def payload(self, verdict: Verdict) -> Payload:
        return build_payload(verdict.draft, status="draft")

    def read(self, remote_id: str) -> RemotePost | None:
        post = self.posts.get(remote_id)
        if post is None:
            return None
        return RemotePost(remote_id, post["status"], post["modified"], "l", self.edit_link(remote_id),
                          post["title"], post.get("featured_media", 0))

    def find(self, key: str) -> str | None:
        return self.orphans.get(key)

    def edit_link(self, remote_id: str) -> str:
        return f"https://mine.example/wp-admin/post.php?post={remote_id}&action=edit"

    def editor(self, remote_id: str, **changes: Any) -> None:
        self.clock += 1
        self.posts[remote_id].update(changes, modified=f"t{self.clock}")

    def _save(self, remote_id: str, verdict: Verdict) -> Written:
        if verdict.draft.article.entry.key == self.broken:
            raise PublishError("WordPress answered 500 db_insert_error", status=500,
                               code="db_insert_error")
        self.clock += 1
        self.posts[remote_id] = {"title": verdict.draft.article.entry.title, "status": "draft",
                                 "modified": f"t{self.clock}", "body": verdict.draft.text}
        post = self.read(remote_id)
        assert post is not None
        return Written(post, self.payload(verdict).digest)

    def create(self, verdict: Verdict) -> Written:
        self.writes.append(("create", verdict.draft.article.entry.key))
        return self._save(str(len(self.posts) + 100), verdict)

    def update(self, remote_id: str, verdict: Verdict, *, set_image: bool = False,
               keep_status: bool = False) -> Written:
        self.writes.append(("update", remote_id))
        status = self.posts[remote_id]["status"]
        written = self._save(remote_id, verdict)
        if keep_status:
            self.posts[remote_id]["status"] = status
        return written


def draft(store: Store, n: int, text: str = "First version.", passed: bool = True) -> None:
    item = entry(key=f"k{n}", title=f"Story {n}", published=entry().published)
    verdict = Verdict(Draft(Article(item, (Block("p", text),)), (text,), "extractive"),
                      1.0 if passed else 0.3, passed)
    with store.transaction():
        store.save_entry(item)
        store.save_draft(verdict, recipe="r")


@pytest.fixture
def store(tmp_path: Path) -> Store:
    opened = Store.open(tmp_path / "s.db")
    for n in (1, 2, 3):
        draft(opened, n)
    return opened


def remote_id(store: Store, n: int) -> str:
    record = store.post_record(f"k{n}", Target.name)
    assert record is not None and record.remote_id is not None
    return record.remote_id


def actions(report: Any) -> dict[str, tuple[str, str]]:
    return {o.key: (o.action, o.reason) for o in report.outcomes}


def test_first_run_creates_the_second_changes_nothing(store: Store) -> None:
    target = Target()
    assert publish(store, target).created == 3
    report = publish(store, target)
    assert report.unchanged == 3 and len(target.writes) == 3


def test_edited_live_trashed_and_deleted_posts_are_kept_the_rest_updated(store: Store) -> None:
    target = Target()
    publish(store, target)
    ids = {remote_id(store, n): n for n in (1, 2, 3)}
    first, second, third = sorted(ids)
    target.editor(first, body="The editor's words.")
    target.editor(second, status="publish")
    for n in (1, 2, 3):
        draft(store, n, "Second version.")
    before = {k: dict(v) for k, v in target.posts.items()}
    report = publish(store, target)
    assert actions(report) == {f"k{ids[first]}": ("keep", "edited on the site"),
                               f"k{ids[second]}": ("keep", "live"),
                               f"k{ids[third]}": ("update", "draft changed")}
    assert target.posts[first] == before[first] and target.posts[second] == before[second]
    assert report.outcomes[0].link.endswith(f"post={first}&action=edit")
    target.editor(third, status="trash")
    del target.posts[second]
    draft(store, ids[third], "Third version.")
    draft(store, ids[second], "Third version.")
    kept = actions(publish(store, target))
    assert kept[f"k{ids[third]}"] == ("keep", "trashed on the site")
    assert kept[f"k{ids[second]}"] == ("keep", "deleted on the site")


def test_overwrite_edited_writes_over_edits_but_never_over_a_live_post(store: Store) -> None:
    target = Target()
    publish(store, target)
    target.editor("100", body="The editor's words.")
    target.editor("101", status="publish")
    for n in (1, 2, 3):
        draft(store, n, "Second version.")
    report = publish(store, target, options=PublishOptions(overwrite_edited=True))
    reasons = {o.link.split("post=")[1].split("&")[0]: (o.action, o.reason) for o in report.outcomes}
    assert reasons["100"][0] == "update" and "overwriting edits made on the site" in reasons["100"][1]
    assert reasons["101"] == ("keep", "live")
    assert target.posts["100"]["body"] == "Second version."


def test_a_dry_run_reads_and_reports_but_writes_nothing(store: Store) -> None:
    target = Target()
    report = publish(store, target, options=PublishOptions(dry_run=True))
    assert report.dry_run and report.created == 3 and target.writes == []
    assert store.post_record("k1", target.name) is None
    publish(store, target)
    draft(store, 1, "Second version.")
    planned = publish(store, target, options=PublishOptions(dry_run=True))
    assert (planned.updated, planned.unchanged) == (1, 2) and len(target.writes) == 3


def test_failed_and_unapproved_drafts_are_held_back(store: Store) -> None:
    draft(store, 4, passed=False)
    with store.transaction():
        store.save_review("k1", decision="approved", who="ana")
        store.save_review("k2", decision="rejected", who="ed", note="no")
    target = Target()
    report = publish(store, target, options=PublishOptions(approved_only=True))
    assert actions(report) == {"k1": ("create", "new"), "k2": ("hold", "rejected by ed"),
                               "k3": ("hold", "not approved"),
                               "k4": ("hold", "failed verification (score 0.30)")}


def test_a_post_a_killed_run_made_is_found_and_updated_not_duplicated(store: Store) -> None:
    target = Target()
    stored = next(store.drafts())
    made = target.create(stored.verdict)  # the run died before recording it
    target.orphans["k1"] = made.post.remote_id
    report = publish(store, target)
    assert actions(report)["k1"] == ("update", "found the post a stopped run made")
    assert len(target.posts) == 3


def test_one_failure_does_not_stop_the_run_and_credentials_are_checked_first(store: Store) -> None:
    report = publish(store, Target(broken="k2"))
    assert (report.created, len(report.failed)) == (2, 1) and "db_insert_error" in report.failed[0]
    refusing = Target(refuse=True)
    with pytest.raises(PublishAuthError):
        publish(store, refusing)
    assert refusing.writes == []


def test_select_keeps_the_newest_drafts_published_since_a_date(store: Store) -> None:
    drafts = list(store.drafts())
    assert [d.verdict.draft.article.entry.key for d in select(drafts, limit=2)] == ["k2", "k3"]
    assert select(drafts, limit=0) == []
    published = drafts[0].verdict.draft.article.entry.published
    assert published is not None
    assert select(drafts, since=published.replace(year=published.year + 1)) == []
    assert len(select(drafts, since=published)) == 3


def test_a_post_redraft_made_live_is_updated_but_never_taken_down(store: Store) -> None:
    target = Target()
    publish(store, target)
    for record in (store.post_record(f"k{n}", target.name) for n in (1, 2, 3)):
        assert record is not None
        with store.transaction():  # as if published with --status publish
            store.save_post_record(dataclasses.replace(record, status="publish"))
        target.posts[str(record.remote_id)]["status"] = "publish"
    draft(store, 1, "Second version.")
    report = publish(store, target)
    assert actions(report)["k1"] == ("update", "draft changed (stays publish)")
    assert target.posts[remote_id(store, 1)]["status"] == "publish"
    assert target.posts[remote_id(store, 1)]["body"] == "Second version."
