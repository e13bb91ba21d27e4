"""--merge-story: one draft from all of a story's sources, on invented articles
(tests/fixtures/stories/merge.json): the multi-document selection, verification against each
sentence's own source, a contradicted number flagged, the LLM's multi-document request through
a real local server, and the CLI end to end on a real SQLite file."""

from __future__ import annotations

import dataclasses
import json
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner

from redraft.cli import main
from redraft.condense.llm import LLMCondenser
from redraft.condense.merge import MergeSelector, numbers_of
from redraft.condense.merge_prompt import NAME
from redraft.config import HttpOptions, LLMOptions
from redraft.http import Retrier
from redraft.pipeline import Engines
from redraft.pipeline.merging import merge_story, verify_merged
from redraft.records import Article, Block, Budget, Entry
from redraft.store import Store
from redraft.text import content_terms
from tests.llm_server import LLMServer, completion

FIXTURE = json.loads((Path(__file__).parent / "fixtures" / "stories" / "merge.json")
                     .read_text("utf-8"))
STORY: list[dict[str, Any]] = FIXTURE["story"]


def article(item: dict[str, Any]) -> Article:
    entry = Entry(source=item["source"], key=item["key"], url=item["url"], title=item["title"],
                  html="", published=datetime.fromisoformat(item["published"]))
    return Article(entry=entry, blocks=tuple(Block("p", p) for p in item["text"].split("\n\n")))


def articles(conflicting: bool = False) -> list[Article]:
    items = [dict(item) for item in STORY]
    if conflicting:
        change = FIXTURE["conflicting_number"]
        for item in items:
            if item["key"] == change["key"]:
                assert change["from"] in item["text"]
                item["text"] = item["text"].replace(change["from"], change["to"])
    return [article(item) for item in items]


def test_the_selection_takes_corroborated_facts_from_several_sources_once() -> None:
    sources = articles()
    merged = MergeSelector().select(sources, Budget.asked("words", 90))
    texts = [p.text for p in merged.sentences]
    assert len({p.source for p in merged.sentences}) >= 2
    assert sum(len(t.split()) for t in texts) <= 90
    first = merged.sentences[0]
    assert first.corroborated == 2  # the grounding with its 212 passengers: all three say it
    for picked in merged.sentences:  # each sentence is its own source's, word for word
        assert picked.text in sources[picked.source].entry.title + " ".join(
            sources[picked.source].paragraphs)
    stems = [set(content_terms(t)) for t in texts]
    for i, a in enumerate(stems):
        for b in stems[i + 1:]:
            assert len(a & b) / min(len(a), len(b)) < 0.6  # no fact said twice
    assert merged.conflicts == ()


def test_a_sentence_contradicting_another_outlets_number_is_flagged() -> None:
    verdict = merge_story(articles(conflicting=True), Engines.with_fallback(), Budget())
    flagged = [p for p in verdict.problems if p.kind == "number"]
    assert flagged and not verdict.passed
    assert "coastledger.example" in flagged[0].detail or "baycourier" in flagged[0].detail
    assert numbers_of(flagged[0].sentence) and numbers_of(flagged[0].evidence)
    assert not numbers_of(flagged[0].sentence) & numbers_of(flagged[0].evidence)
    clean = merge_story(articles(), Engines.with_fallback(), Budget())
    assert clean.passed and clean.problems == ()


def test_each_sentence_is_verified_against_the_source_it_came_from() -> None:
    sources = articles()
    merged = MergeSelector().select(sources, Budget())
    assert verify_merged(sources, merged, "extractive", Budget()).passed
    # Credit one outlet's sentence to another outlet: that outlet does not say it.
    moved = dataclasses.replace(merged, sentences=tuple(
        dataclasses.replace(p, source=(p.source + 1) % len(sources)) for p in merged.sentences))
    wrong = verify_merged(sources, moved, "extractive", Budget())
    assert not wrong.passed and any(p.kind in {"unsupported", "number", "name"}
                                    for p in wrong.problems)


def test_the_merged_draft_credits_every_outlet() -> None:
    verdict = merge_story(articles(), Engines.with_fallback(), Budget())
    assert verdict.draft.credit.startswith("Sources: baycourier.example")
    for host in ("islandvoice.example", "coastledger.example"):
        assert host in verdict.draft.credit
    assert verdict.draft.article.entry.key == STORY[0]["key"]


def test_the_llm_gets_one_multi_document_request_and_is_verified_per_sentence() -> None:
    supported = "Lifeboats brought 212 passengers ashore after the ferry Silver Tern struck a sandbank."
    invented = "The captain was arrested on Friday night."
    with LLMServer([completion(f"{supported} {invented}")]) as server, \
            httpx.Client() as client:
        engine = LLMCondenser(Retrier(client, HttpOptions()),
                              LLMOptions(url=server.url, model="test-model"))
        verdict = merge_story(articles(), Engines.with_fallback(engine), Budget())
        [request] = server.chats
    user = request.user
    for n, item in enumerate(STORY, start=1):
        assert f"Report {n} (" in user and item["title"] in user
    assert verdict.draft.prompt is not None and verdict.draft.prompt.startswith(NAME)
    assert not verdict.passed
    assert [p.sentence for p in verdict.problems] == [invented]
    assert "coastledger.example" in verdict.draft.credit


def _post(item: dict[str, Any]) -> dict[str, Any]:
    site = "/".join(item["url"].split("/", 3)[:3])
    return {"id": item["id"], "link": item["url"], "date": item["published"],
            "date_gmt": item["published"], "type": "post",
            "guid": {"rendered": f"{site}/?p={item['id']}"},
            "title": {"rendered": item["title"]},
            "content": {"rendered": "".join(f"<p>{p}</p>" for p in item["text"].split("\n\n"))}}


@pytest.mark.parametrize("merge", [True, False], ids=["merged", "anchor-only"])
def test_rewrite_merge_story_end_to_end(tmp_path: Path, merge: bool) -> None:
    posts = tmp_path / "posts.jsonl"
    posts.write_text("\n".join(json.dumps(_post(item)) for item in STORY), encoding="utf-8")
    db = tmp_path / "s.db"
    args = ["rewrite", str(posts), "--db", str(db), "--format", "json"]
    result = CliRunner().invoke(main, args + (["--merge-story"] if merge else []))
    assert result.exit_code == 0, result.output
    with Store.open(db) as store:
        [story] = store.stories()
        assert story.draft_key == story.entries[0].key and len(story.entries) == 3
        assert story.entries[0].url == STORY[0]["url"]
        stored = store.current_draft(story.draft_key)
    assert stored is not None and stored.verdict.passed
    text = stored.verdict.draft.text
    own = " ".join(article(STORY[0]).paragraphs)
    from_others = [s for s in stored.verdict.draft.paragraphs if s not in own]
    assert bool(from_others) is merge, text
    assert "coastledger.example" in stored.verdict.draft.credit
    written = [json.loads(line) for line in result.output.splitlines() if line.startswith("{")]
    assert any(line.get("key") == story.draft_key for line in written)
