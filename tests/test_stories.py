"""stories/: the same post by another route, near-duplicate copies, one event from several
outlets; on invented articles (tests/fixtures/stories/articles.json)."""

from __future__ import annotations

import hashlib
import json
import random
import struct
import subprocess
import sys
from array import array
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from rensa import RMinHash  # type: ignore[import-untyped]

from redraft.records import Article, Block, Entry
from redraft.stories import (
    DocumentFrequencies,
    MemoryIndex,
    Placer,
    Profile,
    band_keys,
    canonical_url,
    post_identities,
    profile_of,
    signature,
    similarity,
)
from redraft.stories.credit import story_credit
from redraft.stories.placement import NEAR_DUPLICATE
from redraft.stories.profile import LEAD_WORDS, lead_text, names_in
from redraft.stories.scoring import WINDOW_HOURS, Comparison
from redraft.stories.signatures import BANDS, PERMUTATIONS, SEED, shingles_of
from redraft.text import content_stemmer, spaceless, split_sentences, words
from redraft.text.segment import MARK_CHARS
from redraft.text.tokens import spaced_words

FIXTURE = Path(__file__).parent / "fixtures" / "stories" / "articles.json"
ARTICLES: list[dict[str, Any]] = json.loads(FIXTURE.read_text("utf-8"))["articles"]


def article(item: dict[str, Any], **changes: Any) -> Article:
    entry = Entry(source=item["source"], key=item["key"], url=item["url"], title=item["title"],
                  html="", published=datetime.fromisoformat(item["published"]))
    entry = replace(entry, **changes)
    return Article(entry=entry, blocks=tuple(Block("p", p) for p in item["text"].split("\n\n")))


def groups(placed: dict[str, str]) -> set[frozenset[str]]:
    by_story: dict[str, set[str]] = defaultdict(set)
    for key, story in placed.items():
        by_story[story].add(key)
    return {frozenset(keys) for keys in by_story.values()}


EXPECTED = groups({item["key"]: item["story"] for item in ARTICLES})


@pytest.mark.parametrize("order", [1, -1], ids=["in-order", "reversed"])
def test_articles_group_into_their_stories(order: int) -> None:
    placer = Placer(MemoryIndex())
    placed = {item["key"]: placer.place(article(item)).story for item in ARTICLES[::order]}
    assert groups(placed) == EXPECTED


def test_a_story_is_named_after_its_first_entry_and_layers_are_reported() -> None:
    placer = Placer(MemoryIndex())
    placements = [placer.place(article(item)) for item in ARTICLES]
    first = placements[0]
    assert (first.layer, first.story, first.of) == ("new", first.key, None)
    second = placements[1]
    assert second.layer == "same-story" and second.story == first.key
    assert second.score >= placer.threshold and second.of is None


@pytest.mark.parametrize(("url", "expected"), [
    ("https://www.Example.org/2031/03/title/?utm_source=x&b=2&a=1#top", "example.org/2031/03/title?a=1&b=2"),
    ("http://example.org:80/?p=12&fbclid=abc", "example.org/?p=12"),
    ("https://example.org:8443/news/", "example.org:8443/news"),
    ("https://example.org/news/story/amp/", "example.org/news/story"),
    ("https://example.org//news///story", "example.org/news/story"),
    ("tag:example.org,2031:post-12", ""),
])
def test_canonical_url(url: str, expected: str) -> None:
    assert canonical_url(url) == expected


def _canonical_url_as_before(url: str) -> str:
    """canonical_url as it was before its short way for links without a query."""
    import re
    from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

    from redraft.stories.rules import ALTERNATE_SUFFIXES
    from redraft.stories.urls import _tracking

    ports = {"http": 80, "https": 443}
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in ports or not parts.hostname:
        return ""
    host = parts.hostname.lower().removeprefix("www.")
    if parts.port is not None and parts.port != ports[parts.scheme.lower()]:
        host = f"{host}:{parts.port}"
    path = re.sub(r"/{2,}", "/", parts.path or "/")
    for suffix in ALTERNATE_SUFFIXES:
        if path.rstrip("/").endswith(suffix):
            path = path.rstrip("/").removesuffix(suffix)
    path = path.rstrip("/") or "/"
    query = sorted((name, value) for name, value in parse_qsl(parts.query, keep_blank_values=True)
                   if not _tracking(name))
    return urlunsplit(("", host, path, urlencode(query), "")).removeprefix("//")


def test_canonical_url_is_what_the_general_rule_makes_of_any_link() -> None:
    """Links with and without a query, odd hosts (``www.`` alone, a port, IPv6, user names),
    paths (none, slashes only, repeated slashes, an AMP or feed suffix alone), Unicode, or
    not http at all: the same canonical form, or the same error, as before."""
    pieces = {
        "scheme": ["http://", "https://", "HTTPS://", "ftp://", "", "//", " http://", "tag:"],
        "host": ["example.org", "www.Example.ORG", "www.", "WWW.x.es", "[::1]", "user:pw@h.io",
                 "h.io:80", "h.io:443", "h.io:8080", "h.io:", "xn--mnchen-3ya.de", "münchen.de",
                 "", "例え.jp", "h.io:abc"],
        "path": ["", "/", "//", "/a", "/a/", "//a//b///", "/amp", "/amp/", "/a/feed//",
                 "/a/embed", "/index.php", "/ñoño/日本", "/a b", "a"],
        "query": ["", "?", "?p=1", "?utm_source=x", "?b=2&a=1&fbclid=z", "?a=&b", "?ref=x#f"],
        "fragment": ["", "#top", "#"],
    }
    rng = random.Random(7)
    links = [f"{s}{h}{p}{q}{f}" for s in pieces["scheme"] for h in pieces["host"]
             for p in pieces["path"] for q in pieces["query"][:2] for f in pieces["fragment"][:2]]
    links += ["".join(rng.choice(values) for values in pieces.values()) for _ in range(3000)]
    for link in links:
        try:
            expected: str | type[Exception] = _canonical_url_as_before(link)
        except ValueError:
            expected = ValueError
        if expected is ValueError:
            with pytest.raises(ValueError):
                canonical_url(link)
        else:
            assert canonical_url(link) == expected, link


@pytest.mark.parametrize(("first", "second"), [
    ("https://example.org/?p=1", "https://example.org/?p=2"),
    ("https://example.org/a/", "https://example.org/b/"),
    ("https://example.org/?page_id=3", "https://example.org/"),
    ("https://one.example/a", "https://two.example/a"),
])
def test_different_links_stay_different(first: str, second: str) -> None:
    assert canonical_url(first) != canonical_url(second)


def test_a_post_through_rest_and_through_its_feed_is_one_entry() -> None:
    item = ARTICLES[0]
    rest = article(item, key="wordpress:https://harbourgazette.example#41",
                   meta={"site": "https://harbourgazette.example", "id": 41, "via": "rest"})
    feed = article(item, key="http://harbourgazette.example/?p=41",
                   url=item["url"] + "?utm_source=rss&utm_medium=feed",
                   meta={"guid": "http://harbourgazette.example/?p=41", "via": "feed"})
    assert set(post_identities(rest.entry)) & set(post_identities(feed.entry))
    placer = Placer(MemoryIndex())
    placer.place(rest)
    again = placer.place(feed)
    assert (again.layer, again.of) == ("same-post", rest.entry.key)


def test_a_pretty_link_alone_meets_the_rest_object_by_its_link() -> None:
    item = ARTICLES[0]
    rest = article(item, meta={"site": "https://harbourgazette.example", "id": 41})
    page = article(item, key="web:1", url="http://www.harbourgazette.example" +
                   item["url"].split("harbourgazette.example", 1)[1].rstrip("/"))
    placer = Placer(MemoryIndex())
    placer.place(rest)
    assert placer.place(page).layer == "same-post"


def test_a_syndicated_copy_joins_the_original_story() -> None:
    item = ARTICLES[0]
    text = item["text"].replace("Tuesday morning", "Tuesday").replace("several hours", "hours")
    copy = article({**item, "text": text}, key="wire-copy", source="Coast Daily",
                   url="https://coastdaily.example/wire/footbridge-collapse")
    placer = Placer(MemoryIndex())
    original = placer.place(article(item))
    placed = placer.place(copy)
    assert (placed.layer, placed.of, placed.story) == ("near-duplicate", item["key"], original.story)
    assert placed.score >= NEAR_DUPLICATE


def test_the_same_text_long_after_the_windows_is_a_new_story() -> None:
    item = ARTICLES[0]
    later = datetime.fromisoformat(item["published"]) + timedelta(days=90)
    placer = Placer(MemoryIndex())
    placer.place(article(item))
    placed = placer.place(article(item, key="again", url="https://other.example/x", published=later))
    assert placed.layer == "new"


def test_another_outlet_outside_the_time_window_starts_a_new_story() -> None:
    first, second = ARTICLES[0], ARTICLES[1]
    later = datetime.fromisoformat(first["published"]) + timedelta(hours=WINDOW_HOURS + 1)
    placer = Placer(MemoryIndex())
    placer.place(article(first))
    assert placer.place(article(second, published=later)).layer == "new"


def test_signatures_are_bytes_that_compare_across_processes() -> None:
    text = ARTICLES[0]["text"]
    sig = signature(text)
    assert sig is not None and len(sig) == 4 * PERMUTATIONS
    code = ("import sys; from redraft.stories import signature; "
            "sys.stdout.write(signature(sys.stdin.read()).hex())")
    other = subprocess.run([sys.executable, "-c", code], input=text, capture_output=True,
                           text=True, check=True).stdout
    assert bytes.fromhex(other) == sig
    assert len(band_keys(sig)) == BANDS == len(set(band_keys(sig)))


def test_similarity_tells_copies_from_other_stories() -> None:
    base = signature(ARTICLES[0]["text"])
    edited = signature(ARTICLES[0]["text"].replace("two of them seriously", "two seriously"))
    other = signature(ARTICLES[1]["text"])
    assert base is not None and edited is not None and other is not None
    assert similarity(base, base) == 1.0
    assert similarity(base, edited) >= NEAR_DUPLICATE > 0.3 > similarity(base, other)
    assert set(band_keys(base)) & set(band_keys(edited))


def test_short_texts_have_no_signature() -> None:
    assert signature("Bridge closed.") is None


def test_text_without_spaces_is_shingled_by_characters() -> None:
    text = "マロウィック市の歩道橋が火曜日の朝に崩落し十四人が負傷したと消防当局が発表した市長は調査を命じた"
    grams = shingles_of(text)
    assert grams and all(len(gram) == 4 and " " not in gram for gram in grams)
    first, second = signature(text), signature(text.replace("火曜日", "月曜日"))
    assert first is not None and second is not None
    assert similarity(first, second) > 0.5


def test_names_skip_the_word_that_opens_a_sentence() -> None:
    names = names_in("Divers searched the Tessel. Witnesses saw Mayor Brandvold arrive.")
    assert {"tessel", "mayor", "brandvold"} <= names
    assert "divers" not in names and "witnesses" not in names


def test_profile_round_trips_through_json() -> None:
    profile = profile_of(article(ARTICLES[3]))
    assert {"31", "480"} <= profile.numbers and "reinholt" in profile.names
    restored = Profile.from_json(json.loads(json.dumps(profile.to_json())))
    assert restored == profile


def test_profile_terms_count_the_title_twice_and_skip_stop_words_and_digits() -> None:
    item = {**ARTICLES[0], "title": "Harbour 2024 closed",
            "text": "The harbour stays closed until 2025, the port said. Ferries wait at 12.5 knots."}
    profile = profile_of(article(item))
    terms = dict(profile.terms)
    assert list(terms)[:2] == [content_stemmer("en")("Harbour"), content_stemmer("en")("closed")]
    assert terms[content_stemmer("en")("Harbour")] == 3  # twice for the title, once in the lead
    assert all(term and not term.isdigit() for term in terms)
    assert profile.numbers == {"2024", "2025", "12.5"}


def test_profile_numbers_are_those_of_title_and_lead_read_together_in_any_script() -> None:
    item = {**ARTICLES[0], "title": "港口关闭 2024", "text": "ท่าเรือปิด 2025 วัน. The port said 480 ships wait."}
    profile = profile_of(article(item))
    assert profile.numbers == {"2024", "2025", "480"}


@pytest.mark.parametrize("text", [
    "Plain text. Two sentences!", "El “Gobierno” dijo… ¿Qué? —preguntó. Sí, 1,5 millones.",
    "Путин заявил: «Нет». Это всё.", "Η Αθήνα είπε ΟΧΙ. Τέλος.", "قال الوزير ١٢ شيئا. ثم غادر.",
    "नमस्ते दुनिया। यह दूसरा वाक्य है. अंत.", "Tokyo 東京 said. Then ประเทศไทย.", "東京で会議。次の文。",
    "", "…", "A\u00a0b. C\u202fd. e\u0301f. İSTANBUL.",
])
def test_the_sentences_of_a_text_with_spaces_have_its_spaced_words(text: str) -> None:
    """What lets a profile find the words of its lead's sentences as spaced words."""
    for language in ("en", "es", "ru", "ja", "th"):
        for sentence in split_sentences(text, language):
            if not spaceless(text):
                assert not spaceless(sentence)
                assert spaced_words(sentence) == words(sentence)


def test_band_keys_are_each_bands_number_and_rows_hashed() -> None:
    """The keys stored in the index: blake2b (8 bytes) of the band's number and its rows."""
    generator = random.Random(7)
    for _ in range(50):
        sig = bytes(generator.randrange(256) for _ in range(PERMUTATIONS * 4))
        rows = PERMUTATIONS // BANDS * 4
        expected = struct.unpack(f"<{BANDS}q", b"".join(
            hashlib.blake2b(bytes([band]) + sig[band * rows:(band + 1) * rows], digest_size=8).digest()
            for band in range(BANDS)))
        assert band_keys(sig) == expected


def test_rarer_terms_weigh_more() -> None:
    frequencies = DocumentFrequencies()
    for terms in (["council", "bridge"], ["council", "tram"], ["council"]):
        frequencies.add(terms)
    assert frequencies.idf("tram") > frequencies.idf("council")
    assert frequencies.idf("unseen") > frequencies.idf("tram")


def test_idfs_weigh_each_term_as_idf_does() -> None:
    """The weights worked out once a count are the floats :meth:`idf` gives each term, in the
    order asked (repeated, unseen and empty terms; lists, sets and generators)."""
    generator = random.Random(11)
    frequencies = DocumentFrequencies()
    vocabulary = [f"t{i}" for i in range(300)] + ["", "ñandú", "東京", "x" * 50]
    for _ in range(400):
        frequencies.add(generator.sample(vocabulary, generator.randrange(1, 40)))
    for size in (0, 1, 5, 60, 400):
        asked = [generator.choice([*vocabulary, "unseen", "other"]) for _ in range(size)]
        expected = {term: frequencies.idf(term) for term in asked}
        for terms in (asked, set(asked), (term for term in asked)):
            got = frequencies.idfs(terms)
            want = expected if not isinstance(terms, set) else {t: expected[t] for t in terms}
            assert list(got.items()) == list(want.items())


def test_a_placement_changed_is_what_dataclasses_replace_makes() -> None:
    from redraft.stories.placement import _with, facts

    base = Placer(MemoryIndex()).decide(facts(article(ARTICLES[0])))
    for changes in ({}, {"story": "s"}, {"layer": "same-post", "of": "k", "score": 1.0},
                    {"key_terms": ("a", "b"), "story": ""}):
        assert _with(base, **changes) == replace(base, **changes)
    assert base.in_story(base.story) is base
    assert base.in_story("other") == replace(base, story="other")
    with pytest.raises(TypeError):
        _with(base, stroy="s")


def test_the_memory_index_forgets_what_left_the_windows() -> None:
    index = MemoryIndex(sweep_every=5)
    placer = Placer(index)
    start = datetime.fromisoformat(ARTICLES[0]["published"])
    for week in range(12):
        when = start + timedelta(days=7 * week)
        placer.place(article(ARTICLES[5], key=f"festival-{week}", url=f"https://v.example/{week}",
                             published=when))
    assert len(index.stories) < 12
    assert len(index.signatures) <= 6
    # the post identities stay: the first post is still known by its link
    assert placer.place(article(ARTICLES[5], key="again", url="https://v.example/0",
                                published=start + timedelta(days=90))).layer == "same-post"


def test_a_story_credit_names_every_outlet_once_the_drafted_one_first() -> None:
    first, second, third = (article(item).entry for item in ARTICLES[:3])
    again = replace(second, key="nw-2", url="https://www.northernwire.example/news/update")
    credit = story_credit(first, [second, again, third])
    assert credit.startswith("Sources: harbourgazette.example (" + first.url)
    assert credit.count("northernwire.example (") == 1 and "update" not in credit
    assert credit.endswith(f"and civicpost.example ({third.url})")
    assert story_credit(first, []) == first.credit() == story_credit(first, [first])


def _frequencies() -> DocumentFrequencies:
    frequencies = DocumentFrequencies()
    for item in ARTICLES:
        profile = profile_of(article(item))
        frequencies.add([*profile.terms, *profile.names])
    return frequencies


@pytest.mark.parametrize("shift", [0, 20, 60], ids=lambda hours: f"{hours}h-apart")
def test_a_bound_is_never_below_the_mean_score(shift: int) -> None:
    frequencies = _frequencies()
    profiles = [profile_of(article(item)) for item in ARTICLES]
    for one in profiles:
        comparison = Comparison(one, frequencies)
        for count in range(1, len(profiles) + 1):
            members = [replace(m, published=m.published + timedelta(hours=shift))
                       for m in profiles[:count] if m.published is not None]
            mean = sum(comparison.score(member) for member in members) / len(members)
            assert comparison.bound(members) >= mean


class _CountingIndex(MemoryIndex):
    """A memory index that counts the frequency tables it is asked for."""

    def __init__(self) -> None:
        super().__init__()
        self.tables = 0

    def document_frequencies(self, terms: Sequence[str]) -> DocumentFrequencies:
        self.tables += 1
        return super().document_frequencies(terms)


def test_stories_out_of_reach_by_their_bound_are_not_weighed() -> None:
    index = _CountingIndex()
    placer = Placer(index)
    placer.place(article(ARTICLES[0]))
    index.tables = 0
    joined = placer.place(article(ARTICLES[1]))  # the same story: its members are weighed
    assert joined.layer == "same-story" and index.tables == 2
    index.tables = 0
    other = {**ARTICLES[1], "key": "other", "url": "https://other.example/1",
             "title": "Bridge choir sings", "text": "A choir sang on the bridge at the fair."}
    placed = placer.place(article(other))  # shares a key term, nowhere near the threshold
    assert placed.layer == "new" and index.tables == 1


@pytest.mark.parametrize("sizes", [[50, 50, 50], [120, 5], [60, 60, 10], [119], [3, 200]])
def test_the_lead_is_the_first_words_of_the_body_whatever_the_blocks(sizes: list[int]) -> None:
    blocks = [Block("h", "A heading")] + [
        Block("p", " ".join(f"w{n}x{i}" for i in range(size))) for n, size in enumerate(sizes)]
    item = Article(entry=article(ARTICLES[0]).entry, blocks=tuple(blocks))
    body = " ".join(block.text for block in blocks[1:])
    assert lead_text(item) == " ".join(body.split(" ")[:LEAD_WORDS])


LEADS = [
    "The U.S. agency said 3.5 million people (about 1,000 towns) were hit. “It’s grim,” he said!",
    "Le maire d’Arles a dit : « C’est fini. » L’équipe revient… Les Bleus gagnent 2-1.",
    "नगर परिषद ने कहा कि पुल बंद रहेगा। मंत्री राम ने जाँच का आदेश दिया।",
    "ท่าเรือปิด 2025 วัน. The port said 480 ships wait.",
    "港口关闭。市长说 2024 年会重建。Mayor Chen agreed.",
    "İstanbul'da köprü kapandı. Vali Yılmaz açıklama yaptı.",
]


@pytest.mark.parametrize("lead", LEADS)
def test_the_profile_counts_the_words_of_title_and_lead(lead: str) -> None:
    item = {**ARTICLES[0], "title": "Bridge closed", "text": lead}
    profile = profile_of(article(item))
    term = content_stemmer("en")
    expected = Counter(map(term, words("Bridge closed") * 2 + words(lead_text(article(item)))))
    assert profile.terms == {t: n for t, n in expected.items() if t and not t.isdigit()}


def test_repeated_shingles_change_no_signature() -> None:
    assert signature("one two three " * 20) is None  # 60 shingles, three of them distinct
    text = ARTICLES[0]["text"]
    twice = f"{text} {text}"  # each shingle of the text twice, two new ones where they meet
    assert len(shingles_of(twice)) < 2 * len(text.split()) - 2
    reference = RMinHash(num_perm=PERMUTATIONS, seed=SEED)
    reference.update(shingles_of(twice))
    assert signature(twice) == array("I", reference.digest()).tobytes()


def test_the_benchmark_prices_the_facts_and_placing_of_posts(tmp_path: Path) -> None:
    for number, item in enumerate(ARTICLES[:3], start=1):
        post = {"id": number, "link": item["url"], "date_gmt": item["published"][:19],
                "title": {"rendered": item["title"]},
                "content": {"rendered": "".join(f"<p>{p}</p>" for p in item["text"].split("\n\n"))}}
        (tmp_path / f"post-{number}.json").write_text(json.dumps(post), "utf-8")
    script = Path(__file__).parents[1] / "benchmarks" / "stories.py"
    printed = subprocess.run([sys.executable, str(script), "--posts", str(tmp_path), "--repeat", "1"],
                             capture_output=True, text=True, check=True).stdout
    assert "3 posts from" in printed and "us a post" in printed


def _kind(char: str) -> str:
    return "word" if char.isalnum() else "mark" if char in MARK_CHARS else "other"


def test_lower_casing_changes_no_characters_kind() -> None:
    """What lets a signature lower-case words already found instead of finding them again."""
    for code in [*range(0xD800), *range(0xE000, 0x110000)]:
        char = chr(code)
        lower = char.lower()
        if lower == char:
            continue
        kinds = [_kind(c) for c in lower]
        if _kind(char) == "word":
            assert kinds[0] == "word" and set(kinds[1:]) <= {"word", "mark"}, hex(code)
        else:
            assert set(kinds) == {_kind(char)}, hex(code)
        assert not set(lower) & set(".,0123456789_") and not spaceless(lower), hex(code)


@pytest.mark.parametrize("lead", [*LEADS, ARTICLES[0]["text"]])
def test_a_signature_from_words_already_found_is_the_same(lead: str) -> None:
    text = f"{lead} {ARTICLES[1]['text']}"
    found = words(lead)
    assert signature(text, head=(lead, found)) == signature(text)
    assert signature(text, head=(lead[:-3], words(lead[:-3]))) == signature(text)  # mid-word
    assert signature(text, head=("Another text", ["Another", "text"])) == signature(text)
    assert signature(f"İSTANBUL {text}", head=("İSTANBUL", ["İSTANBUL"])) == signature(
        f"İSTANBUL {text}")
