"""Drafts for the review app's tests: three posts written for these tests (one with a hostile
title and link), drafted by the real pipeline into a real SQLite file, and the app served by a
real HTTP server on 127.0.0.1 in a thread."""

from __future__ import annotations

import html
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from flask import Flask
from werkzeug.serving import make_server

from redraft.cli import main
from tests.servers import running

HOSTILE_TITLE = '<script>window.pwned = 1</script><img src=x onerror="window.pwned = 2"> Ferry'
HOSTILE_LINK = "javascript:window.pwned=3"

POSTS: list[dict[str, Any]] = [
    {
        "id": 101, "date": "2025-03-02T09:00:00", "link": "https://harbourgazette.example/ferry",
        "title": HOSTILE_TITLE,
        "paragraphs": [
            "The harbour ferry between Ostry and Kellin Point returned to service on Monday after "
            "a repair that took eleven weeks and cost the port authority 340,000 pounds.",
            "Engineers replaced both engines and the steering gear, which had failed during a storm "
            "in December and left forty passengers waiting on the water for two hours.",
            "The port authority said the ferry would run every thirty minutes from seven in the "
            "morning, with the last crossing leaving Kellin Point at half past ten at night.",
            "Local shopkeepers on the Ostry quay said trade had fallen by a third while the ferry "
            "was out of service, because visitors stopped coming across from the point.",
        ],
    },
    {
        "id": 102, "date": "2025-03-03T10:00:00",
        "link": "https://harbourgazette.example/library",
        "title": "Kellin library opens a reading room for the blind",
        "paragraphs": [
            "Kellin's public library opened a reading room for blind and partially sighted readers "
            "on Tuesday, with 1,200 audio books and four braille displays bought with a grant.",
            "The room was designed with the Kellin Sight Society, whose members tested the layout, "
            "the lighting and the software during a trial that lasted six months.",
            "Librarian Marta Quill said the room would stay open until eight in the evening on "
            "weekdays so that readers who work during the day could use it as well.",
            "The grant of 85,000 pounds came from the regional arts council, which has funded "
            "similar rooms in three other towns along the coast since last spring.",
        ],
    },
    {
        "id": 103, "date": "2025-03-04T11:00:00",
        "link": "https://harbourgazette.example/orchard",
        "title": "Volunteers plant an orchard on the old rail yard",
        "paragraphs": [
            "More than ninety volunteers planted an orchard of 250 apple and pear trees on the old "
            "rail yard at Ostry on Saturday, ending a campaign that began four years ago.",
            "The land had stood empty since the freight line closed in 2009, and the town council "
            "agreed last year to lease it to the orchard trust for a peppercorn rent.",
            "Trust chair Idris Penhale said the first fruit would be picked in about three years "
            "and would be shared among the volunteers, the primary school and the food bank.",
            "The council will add benches and a footpath through the orchard in the summer, paid "
            "for from the budget it keeps for parks and open spaces.",
        ],
    },
]


# The library story as two other outlets told it: a syndicated copy with a changed sentence,
# and a copy whose title and link are hostile (the draft page lists both: escaped, no script).
STORY_TITLE = '<img src=x onerror="window.pwned = 4">Reading room opens <b>at last</b>'
STORY_LINK = "javascript:window.pwned=5"
STORY_POSTS: list[dict[str, Any]] = [
    {**POSTS[1], "id": 201, "date": "2025-03-03T13:00:00",
     "link": "https://northernwire.example/news/library",
     "guid": "https://northernwire.example/?p=201",
     "paragraphs": [*POSTS[1]["paragraphs"][:2],
                    "Librarian Marta Quill said the new room would stay open until eight on "
                    "weekday evenings so that readers who work in the day could use it too.",
                    POSTS[1]["paragraphs"][3]]},
    {**POSTS[1], "id": 301, "date": "2025-03-03T15:00:00", "link": STORY_LINK,
     "guid": "https://civicpost.example/?p=301", "title": STORY_TITLE},
]
STORY_OUTLETS = 3  # harbourgazette, northernwire and civicpost


def write_posts(folder: Path, posts: list[dict[str, Any]] = POSTS) -> Path:
    """The posts as WordPress REST JSON files; the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    for post in posts:
        body = "".join(f"<p>{paragraph}</p>" for paragraph in post["paragraphs"])
        data = {"id": post["id"], "date": post["date"], "date_gmt": post["date"],
                "modified": post["date"], "link": post["link"],
                "guid": {"rendered": post.get("guid",
                                              f"https://harbourgazette.example/?p={post['id']}")},
                "title": {"rendered": html.escape(str(post["title"]))}, "content": {"rendered": body},
                "excerpt": {"rendered": ""}, "categories": [], "tags": []}
        (folder / f"post-{post['id']}.json").write_text(json.dumps(data), encoding="utf-8")
    return folder


def drafted_db(folder: Path, *, hostile: bool = True, story: bool = False) -> Path:
    """A database holding a draft of each post (the hostile one's link made ``javascript:``);
    with ``story``, the library story also came from two more outlets (one draft for the
    three, crediting each)."""
    posts = write_posts(folder / "posts", POSTS + STORY_POSTS if story else POSTS)
    if hostile:
        path = posts / "post-101.json"
        data = json.loads(path.read_text(encoding="utf-8"))
        data["link"] = HOSTILE_LINK
        path.write_text(json.dumps(data), encoding="utf-8")
    db = folder / "review.db"
    result = CliRunner().invoke(main, ["rewrite", str(posts), "--db", str(db), "--out",
                                       str(folder / "out")], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return db


@contextmanager
def serving(app: Flask) -> Iterator[str]:
    """Serve ``app`` on 127.0.0.1 (a free port) in a thread; its base URL. Stopped on exit."""
    with running(make_server("127.0.0.1", 0, app, threaded=True)) as base:
        yield base
