"""sinks/markup.py: which URLs become links, and text made inert for Markdown, YAML and
WordPress (the sinks' own tests render whole drafts)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from redraft.sinks.markup import (
    front_matter,
    link_refusal,
    md_link,
    neutralise_shortcodes,
    plain_text,
    safe_link,
    wp_text,
)

HOSTILE = json.loads((Path(__file__).parent / "fixtures" / "sinks" / "hostile.json").read_text())


@pytest.mark.parametrize("url", HOSTILE["links"])
def test_anything_but_an_absolute_http_url_is_refused_with_a_reason(url: str) -> None:
    assert safe_link(url) is None
    reason = link_refusal(url)
    assert reason.endswith("shown as text") and "\n" not in reason and "\u2028" not in reason
    assert "](" not in md_link("t", url)


@pytest.mark.parametrize("url", HOSTILE["safe_links"])
def test_http_urls_are_links(url: str) -> None:
    assert safe_link(url) == url and link_refusal(url) == ""
    assert md_link("t", url).startswith("[t](")


@pytest.mark.parametrize(("markup", "text"), [
    ("<script>alert(1)</script>", ""),
    ("<style>p{}</style><noscript>x</noscript>", ""),
    ("<b>News</b> &amp; <i>Views</i>", "News & Views"),
    ("<img src=x alt=\"<\" onerror=alert(1)>Caption", "Caption"),
    ("Tom &lt;3 Jerry\n\tand\u2028more", "Tom <3 Jerry and more"),
    ("A < B > C", "A < B > C"),
])
def test_plain_text_keeps_only_what_a_reader_sees(markup: str, text: str) -> None:
    assert plain_text(markup) == text


def test_wordpress_text_is_escaped_and_has_no_square_bracket() -> None:
    assert wp_text('<b>[gallery ids="1"]</b> & more') == \
        '&lt;b&gt;&#91;gallery ids="1"&#93;&lt;/b&gt; &amp; more'
    assert neutralise_shortcodes("[[audio]]") == "&#91;&#91;audio&#93;&#93;"


@pytest.mark.parametrize("title", HOSTILE["titles"])
def test_front_matter_is_one_yaml_block_whatever_the_values(title: str) -> None:
    block = front_matter({"title": title, "passed": True, "score": 0.5, "published": None})
    assert block.startswith("---\n") and block.endswith("---\n") and block.count("\n---\n") == 1
    assert yaml.safe_load(block[4:-4]) == {"title": " ".join(title.split()), "passed": True,
                                           "score": 0.5, "published": None}
