"""Boilerplate rules: the plugin table is well formed, and its matchers say what the cases say."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from redraft import boilerplate as bp

CASES = json.loads((Path(__file__).parent / "fixtures" / "extract" / "boilerplate_cases.json")
                   .read_text(encoding="utf-8"))
PLUGIN_NAMES = [plugin.name for plugin in bp.PLUGINS]


@pytest.mark.parametrize(("names", "plugin"), CASES["classes"], ids=[c[0] for c in CASES["classes"]])
def test_class_and_id_names(names: str, plugin: str | None) -> None:
    assert (bp.name_rule(names) or bp.word_rule(names)) == plugin


@pytest.mark.parametrize(("text", "plugin"), CASES["texts"], ids=[c[0][:40] for c in CASES["texts"]])
def test_whole_block_texts(text: str, plugin: str | None) -> None:
    assert bp.text_rule(text) == plugin


@pytest.mark.parametrize(("text", "cleaned"), CASES["shortcodes"],
                         ids=[c[0][:40] for c in CASES["shortcodes"]])
def test_shortcodes_go_and_editorial_brackets_stay(text: str, cleaned: str) -> None:
    assert " ".join(bp.SHORTCODE.sub(" ", text).split()) == cleaned


def test_caption_shortcode_keeps_its_text() -> None:
    raw = '[caption id="attachment_5" width="300"]<img src="a.jpg" /> Crew on the pier[/caption]'
    match = bp.CAPTION_SHORTCODE.search(raw)
    assert match is not None
    assert match.group(1).endswith("Crew on the pier")


@pytest.mark.parametrize("text", ["<iframe src='x'></iframe> map", "<!-- note --> map", "</div> map"])
def test_leftover_tags_are_stripped_by_the_parser(text: str) -> None:
    from redraft.extract import _clean_text

    assert _clean_text(text, ascii_quotes=False) == "map"


def test_every_plugin_entry_is_named_once_and_leaves_traces() -> None:
    assert len(PLUGIN_NAMES) == len(set(PLUGIN_NAMES))
    for plugin in bp.PLUGINS:
        assert re.fullmatch(r"[a-z][a-z-]+", plugin.name)
        assert plugin.names or plugin.words or plugin.texts, plugin.name
        assert plugin.max_words > 0


def test_every_plugin_entry_is_exercised_by_a_case() -> None:
    covered = {plugin for _, plugin in CASES["classes"] + CASES["texts"] if plugin}
    assert set(PLUGIN_NAMES) <= covered


def test_hidden_and_caption_names_do_not_overlap() -> None:
    assert not bp.HIDDEN_NAMES & bp.CAPTION_NAMES
    assert "p" not in bp.DROP_TAGS and "blockquote" not in bp.DROP_TAGS
