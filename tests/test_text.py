"""text.py: sentences, safe deletions, tokens, stems and language, from cases in a JSON fixture."""

from __future__ import annotations

import functools
import json
import os
import random
import subprocess
import sys
import threading
import unicodedata
from pathlib import Path
from typing import Any

import pytest

from redraft import text
from redraft.text import duplicates, lang, segment, tokens
from redraft.vocab import LANGUAGES

CASES: dict[str, list[dict[str, Any]]] = json.loads(
    (Path(__file__).parent / "fixtures" / "condense" / "text_cases.json").read_text("utf-8")
)


def cases(name: str) -> list[Any]:
    return [pytest.param(case, id=f"{name}-{i}") for i, case in enumerate(CASES[name])]


@pytest.mark.parametrize("case", cases("split_sentences"))
def test_split_sentences(case: dict[str, Any]) -> None:
    sentences = text.split_sentences(case["text"], case["language"])
    assert sentences == case["sentences"]
    assert " ".join(sentences) == case["text"], "a sentence's text must stay as written"


@pytest.mark.parametrize("case", cases("strip_asides"))
def test_strip_asides(case: dict[str, Any]) -> None:
    shortened = text.strip_asides(
        case["text"], dateline=case["dateline"], language=case.get("language", "en")
    )
    assert shortened == case["expected"]
    # A safe deletion: what is left is the original with spans removed, in order.
    remaining = iter(case["text"])
    assert all(char in remaining for char in shortened)


@pytest.mark.parametrize("case", cases("words"))
def test_words(case: dict[str, Any]) -> None:
    assert text.words(case["text"]) == case["words"]


# Pieces whose mix tests the split at separators: numbers with a point or comma inside, marks,
# underscores, apostrophes, brackets, dashes, symbols no separator list holds, odd spaces.
_WORD_PIECES = ["word", "Über", "3", "3.5", "1,000", ".", ",", "5.", ",7", "l'", "’", "«", "»", "(",
                ")", "—", "-", "_", "a_b", "$", "€", "#", "न", "\u093e", "e\u0301", "İ", "ß", " ",
                "\u00a0", "\n", "…", "¿", "?", "!", ":", ";", "%", "&", "/", "x2", "٣", "😀"]


def test_words_split_at_separators_read_as_the_word_pattern_does() -> None:
    chooser = random.Random(13)
    for _ in range(20_000):
        sample = "".join(chooser.choice(_WORD_PIECES) for _ in range(chooser.randint(0, 12)))
        pattern = tokens._WORD if sample.isascii() else tokens._MARKED_WORD
        assert text.words(sample) == pattern.findall(sample), sample


def test_folded_spaced_words_are_the_case_folded_texts_words() -> None:
    """The one-pass fold of a Latin-1 text (with curly quotes and dashes) finds the words of
    its case fold, and so does its fallback on every other text written with spaces."""
    pieces = [*_WORD_PIECES, "ÀÉÎÕÜ", "Ÿ", "ÿ", "µ", "ª", "º", "²", "½", "×", "Æ", "Þ", "\x85",
              "\xad", "\t", "\x1c", "ẞ", "ǅ", "Σ", "ς", "Ж", "\u2028", *segment.WIDE_PUNCTUATION,
              "'", '"', "«", "»", "[", "]", "¡", "+", "=", "*", "@", "~", "§", "°", "·", "÷", "©",
              "\x80", "\x9f", "¬", "¹", "¼", "$3.5", "a.b", "x,", ".$", "1,2.", "_a", "\x00"]
    assert not any(chr(code) in segment.MARK_CHARS for code in range(256))  # _WORD's matches
    chooser = random.Random(29)
    for _ in range(20_000):
        sample = "".join(chooser.choice(pieces) for _ in range(chooser.randint(0, 14)))
        if tokens.spaceless(sample):
            continue
        assert tokens.folded_spaced_words(sample) == tokens.spaced_words(sample.casefold()), (
            ascii(sample))


def test_spaced_words_of_ascii_text_are_the_word_patterns_matches() -> None:
    """The one-pass blanking of an ASCII text finds what the word pattern finds."""
    pieces = [*map(chr, range(128)), "word", "3.5", "1,000", ". ", ", ", "x.", "a_b", "  "]
    chooser = random.Random(31)
    for _ in range(20_000):
        sample = "".join(chooser.choice(pieces) for _ in range(chooser.randint(0, 14)))
        assert tokens.spaced_words(sample) == tokens._WORD.findall(sample), ascii(sample)


@pytest.mark.parametrize("case", cases("content_terms"))
def test_content_terms(case: dict[str, Any]) -> None:
    assert text.content_terms(case["text"], case["language"]) == case["terms"]


@pytest.mark.parametrize("case", cases("detect_language"))
def test_detect_language(case: dict[str, Any]) -> None:
    assert text.detect_language(case["text"]) == case["language"]


@pytest.mark.parametrize("case", cases("normalise"))
def test_normalise(case: dict[str, Any]) -> None:
    assert text.normalise(case["text"], ascii_quotes=case["ascii"]) == case["expected"]


@pytest.mark.parametrize("raw", [
    "plain words here", " lead", "trail ", "two  spaces", "tab\there", "no\u00a0break", "soft\u00adhyphen",
    "zero\u200bwidth", "cafe\u0301", "line\u2028sep", "ideographic\u3000space", "\x1f unit", "", "é ü",
    "no\u00a0 break", "\u00a0both ends\u00a0", "three   spaces  and   more ", "\u00a0\u0301mark", "\u00a0",
    "   ", "cafe\u0301\u00a0au\u00a0lait",
])
def test_normalise_is_nfc_without_invisibles_and_single_spaced(raw: str) -> None:
    """Its fast path for printable NFC text gives what the whole rule gives."""
    whole = " ".join(unicodedata.normalize("NFC", text._INVISIBLE.sub("", raw)).split())
    assert text.normalise(raw) == whole
    assert text.normalise(raw, ascii_quotes=True) == whole.translate(text._ASCII_MAP)


def test_latin1_and_wide_punctuation_text_is_always_nfc() -> None:
    """normalise takes text Latin-1 but for the common wide punctuation as NFC unasked: every
    such character is its own NFC, none is a combining mark (so only neighbours could
    compose) and no two of them compose, so every string of them is NFC."""
    chars = [chr(code) for code in range(256)] + list(segment.WIDE_PUNCTUATION)
    for char in chars:
        assert unicodedata.combining(char) == 0 and unicodedata.is_normalized("NFC", char)
    for first in chars:
        for second in chars:
            assert unicodedata.is_normalized("NFC", first + second), (first, second)
    chooser = random.Random(47)
    for _ in range(500):
        sample = "".join(chooser.choices(chars, k=chooser.randint(0, 40)))
        assert segment.latin1_but_punctuation(sample)
        assert unicodedata.is_normalized("NFC", sample)


def test_normalise_matches_the_whole_rule_on_random_text() -> None:
    """Its fast paths (ASCII, Latin-1 with curly quotes and dashes, other printable NFC text)
    give what the whole rule gives, on text mixing all of them with what needs the rule."""
    pieces = ["a", "Z", " ", "  ", ".", "é", "e\u0301", "\u0301", "ñ", "ÿ", "\u00a0", "\u00ad",
              "\u200b", "\t", "\n", "\x1f", "\x85", "«", "ā", "Ж", "й", "и\u0306", "中", "ภ",
              "\u0e31", "\u3000", "\u2028", "😀", "A\u030a", "\u212b", "\uac00\u11a8",
              *segment.WIDE_PUNCTUATION]
    chooser = random.Random(53)
    for _ in range(3000):
        weights = [20 if p.isascii() and p.isprintable() else 1 for p in pieces]
        raw = "".join(chooser.choices(pieces, weights, k=chooser.randint(0, 25)))
        whole = " ".join(unicodedata.normalize(
            "NFC", text._INVISIBLE.sub("", raw.replace("\u00a0", " "))).split())
        assert text.normalise(raw) == whole, ascii(raw)
        assert text.normalise(raw, ascii_quotes=True) == whole.translate(text._ASCII_MAP)


@pytest.mark.parametrize("case", cases("tidy_spacing"))
def test_tidy_spacing(case: dict[str, Any]) -> None:
    assert text.tidy_spacing(case["text"]) == case["expected"]


@pytest.mark.parametrize("case", cases("paragraphs_of"))
def test_paragraphs_of(case: dict[str, Any]) -> None:
    assert list(text.paragraphs_of(case["text"])) == case["paragraphs"]


@pytest.mark.parametrize(
    ("language", "stop", "back"), [("en", "The", "She"), ("es", "los", "Ella"), ("fr", "Les", "Elle")]
)
def test_every_language_has_its_word_lists(language: str, stop: str, back: str) -> None:
    assert language in LANGUAGES
    assert text.content_stem(stop, language) == ""
    assert stop.lower() in text.stopwords(language)
    assert back.lower() in text.back_references(language)


def test_unknown_languages_get_neutral_rules_never_english_ones() -> None:
    assert text.stopwords("xx") == frozenset()
    assert text.back_references("xx") == frozenset()
    assert text.content_stem("Stations", "xx") == "stations"  # no stemmer: the word, lower-cased
    assert text.content_stem("Stations", "und") == "stations"
    assert "the" not in text.stopwords("de") and "der" in text.stopwords("de")  # stopwords-iso


def test_snowball_stems_every_language_it_has_and_none_it_lacks() -> None:
    assert text.stem("berjalan", "id") == "jalan"
    assert text.stem("политики", "ru") != "политики"
    assert text.stem("parlamentari", "it") != "parlamentari"
    assert text.stem("東京都", "ja") == "東京都"  # Snowball has no Japanese: no stemming
    assert text.stem("tiếng", "vi") == "tiếng"


def test_word_count_shingles_and_numbers() -> None:
    assert text.word_count(" one  two\nthree ") == 3
    assert text.shingles(["a", "b", "c"], 2) == {("a", "b"), ("b", "c")}
    assert text.stem("2020", "en") == "2020"


def test_stemming_is_safe_across_threads() -> None:
    vocabulary = [f"walking{i}" if i % 2 else f"jumping{'s' * (i % 5)}" for i in range(400)]
    expected = {w: text.stem(w.rstrip("0123456789"), "en") for w in vocabulary}
    text.stem.cache_clear()
    text.content_stemmer.cache_clear()
    results: dict[str, str] = {}
    terms: dict[str, str] = {}

    def work(words: list[str]) -> None:
        for word in words:
            results[word] = text.stem(word.rstrip("0123456789"), "en")
            terms[word] = text.content_stem(word.rstrip("0123456789"), "en")

    threads = [threading.Thread(target=work, args=(vocabulary[i::4],)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == expected
    assert terms == expected


@pytest.mark.parametrize("case", cases("near_duplicate"))
def test_near_duplicate(case: dict[str, Any]) -> None:
    assert text.near_duplicate(case["first"], case["second"]) is case["same"]
    assert text.near_duplicate(case["second"], case["first"]) is case["same"]
    seen = text.NearDuplicates()
    seen.add(case["first"])
    assert (seen.find(case["second"]) == 0) is case["same"]


def test_near_duplicates_finds_the_repeated_text_among_many() -> None:
    seen = text.NearDuplicates()
    filler = [f"Report number {i} says the river rose by {i} centimetres near bridge {i}."
              for i in range(300)]
    for sentence in filler:
        assert seen.repeats(sentence) is None
    assert seen.repeats("Report number 17 says the river rose by 17 centimetres, near bridge 17") == 17
    assert seen.repeats("Report number 17 says the lake fell by 30 metres near the old dam.") is None


def test_near_duplicates_compare_a_bounded_number_of_texts() -> None:
    seen = text.NearDuplicates()
    shared = "one of the most important things in the world is"
    for i in range(2000):
        seen.repeats(f"{shared} item {i} of many distinct endings number {i * 7}")
    assert seen.comparisons <= text.NEAR_DUPLICATE_BUCKET * 2000


@pytest.mark.parametrize("size", range(12))
def test_near_duplicates_index_every_third_trigram(size: int) -> None:
    key = tuple(f"w{i}" for i in range(size))
    every = list(zip(key, key[1:], key[2:], strict=False))
    assert list(duplicates._trigrams(key)) == every
    assert list(duplicates._indexed(key)) == every[::duplicates._INDEX_STEP]
    seen = text.NearDuplicates()
    seen.add_key(key)
    expected = every[::duplicates._INDEX_STEP] if size >= text.NEAR_DUPLICATE_WORDS_PER_EDIT else []
    assert list(seen.where) == expected


@pytest.mark.parametrize("sample", [
    "Hello, world. It's 3.5 km away!", "¿Dónde está? —preguntó; «nadie» sabe…", "x² y½ a_b c1d",
    "नहीं, यह सही है।", "tab\tand\u00a0nbsp ٣٤ abc", "",
])
def test_letter_runs_are_the_word_pattern_matches(sample: str) -> None:
    assert lang._letter_runs(sample) == lang._WORDS.findall(sample)


_SEEDED_RUN = """
import json, sys
from redraft.extract import extract
from redraft.records import Entry
from redraft.text import NearDuplicates
html = sys.stdin.read()
article = extract(Entry(source="t", key="1", url="https://example.org/1", title="T", html=html))
seen = NearDuplicates()
texts = ("a b c d e f g h i j k", "a b c d e f g h i j x", "a b c d e f g")
kept = [s for s in texts if seen.repeats(s) is None]
print(json.dumps([[b.text for b in article.blocks], kept]))
"""


def test_near_duplicates_do_not_depend_on_the_hash_seed() -> None:
    lead = ("The flood barrier on the east bank held through the night, engineers said, "
            "although water reached within a metre of its top at high tide.")
    paragraphs = [lead, "Residents were told to stay away from the river path until Friday."]
    for i in range(12):
        paragraphs.append(f"Volunteer group {i} filled sandbags at the depot on Quay Street, "
                          f"where {i + 3} lorries waited to carry them to the low streets.")
        paragraphs.append(lead.replace("engineers", "the engineers").replace("night", f"night {i}"))
    html = "".join(f"<p>{p}</p>" for p in paragraphs)
    outputs = set()
    for seed in range(6):
        env = {**os.environ, "PYTHONHASHSEED": str(seed)}
        done = subprocess.run([sys.executable, "-c", _SEEDED_RUN], input=html, env=env,
                              capture_output=True, text=True, check=True)
        outputs.add(done.stdout)
    assert len(outputs) == 1
    blocks, kept = json.loads(outputs.pop())
    assert sum(lead.split(",", maxsplit=1)[0] in block for block in blocks) == 1
    assert kept == ["a b c d e f g h i j k", "a b c d e f g"]


@pytest.mark.parametrize("case", cases("points_back"))
def test_points_back(case: dict[str, Any]) -> None:
    assert text.points_back(case["text"], case["language"]) == case["opening"]


@pytest.mark.parametrize("case", cases("signpost"))
def test_signpost(case: dict[str, Any]) -> None:
    assert text.signpost(case["text"], case["language"]) is case["signpost"]


@pytest.mark.parametrize("case", cases("quote_flow"))
def test_quote_flow(case: dict[str, Any]) -> None:
    assert list(text.quote_flow(case["text"], case["inside"])) == case["flow"]


@pytest.mark.parametrize("case", cases("unattributed_quote"))
def test_unattributed_quote(case: dict[str, Any]) -> None:
    assert text.unattributed_quote(case["text"], case["language"]) is case["bare"]


@pytest.mark.parametrize("case", cases("junk"))
def test_junk(case: dict[str, Any]) -> None:
    assert text.junk(case["text"]) == case["junk"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_language_has_its_discourse_lists(language: str) -> None:
    from redraft import vocab

    for table in (vocab.BACK_PHRASES, vocab.ATTRIBUTION, vocab.SIGNPOST_ENDINGS,
                  vocab.DEICTIC_NOUNS, vocab.DEMONSTRATIVES, vocab.NOT_BACK_PHRASES):
        assert table[language], language


def test_chinese_and_japanese_are_counted_and_split_by_character_and_stop() -> None:
    japanese = "東京で会議が開かれた。「参加者は3万人だ」と述べた。次は大阪です！"
    assert text.split_sentences(japanese, "ja") == [
        "東京で会議が開かれた。", "「参加者は3万人だ」と述べた。", "次は大阪です！"]
    assert text.word_count("会議が開かれた。") == 7  # seven characters; "。" is no word
    assert text.word_count("東京 2020 ok") == 4
    assert text.words("東京で3.5万") == ["東", "京", "で", "3.5", "万"]
    assert text.word_count("one two three") == 3  # spaced scripts: unchanged


def test_language_codes_are_those_the_identifier_knows() -> None:
    from redraft.text.lang import known_languages
    from redraft.vocab import LANGUAGE_CODES

    assert known_languages() == LANGUAGE_CODES


@pytest.mark.parametrize(("language", "sample"), [
    ("vi", "Ông An, chủ tịch UBND TP. Hồ Chí Minh, cho biết dự án sẽ khởi công. Vốn là 10 tỉ đồng."),
    ("pt", "Segundo o Sr. Silva, a obra começa amanhã. O custo é alto."),
    ("de", "Laut Dr. Müller beginnt der Bau morgen. Die Kosten sind hoch."),
    ("it", "Secondo il prof. Rossi il cantiere apre domani. I costi sono alti."),
])
def test_short_forms_of_other_languages_do_not_end_a_sentence(language: str, sample: str) -> None:
    assert len(text.split_sentences(sample, language)) == 2


@pytest.mark.parametrize("sample", [
    "Hello, world. It's 3.5 km (about 2 miles) away!",
    "¿Dónde está? —preguntó el Sr. Pérez; «nadie» sabe…",
    "नहीं, यह सही है। राम ने कहा।",  # vowel signs stay inside their words
    "a , b ; c ... d_e __ f-g 1,000 x",
    "x. y! z? . , ! word. word,word",
    "El 50% de 20€ & más: ‘uno’ “dos” — tres–cuatro/cinco [6] (7)",  # common marks, one pass
    "tab\tand\u00a0nbsp, café naïve 😉 #tag @user ·x· §3 a_b",  # rarer ones, token by token
    "",
])
def test_duplicate_key_is_every_letter_or_digit_run(sample: str) -> None:
    blanks = "".join(ch if ch.isalnum() or unicodedata.category(ch)[0] == "M" else " "
                     for ch in sample.casefold())
    assert text.duplicate_key(sample) == tuple(blanks.split())


_ASIDE_PIECES = ["word", "Sr.", "3.5", " ", " ", " ", ",", ".", "(", ")", "((", "(WHO)", "(not)",
                 "(left)", "\"", "“", "”", "«", "»", "-", " - ", " – ", "—", "--", "\n", "\u00a0",
                 "!", "?", "…", "。", "中文", "ภาษา", "é", "नहीं", "। ", ";", ":"]


def test_brackets_are_dropped_as_the_pattern_substitution_drops_them() -> None:
    """The scan tried only before each "(" finds what the substitution's scan finds."""
    chooser = random.Random(29)
    for _ in range(20_000):
        sample = "".join(chooser.choice(_ASIDE_PIECES) for _ in range(chooser.randint(0, 16)))
        for language in ("en", "fr", "th"):
            expected = text._BRACKET.sub(functools.partial(text._drop_bracket, language=language),
                                         sample)
            assert text._drop_brackets(sample, language) == expected, sample


def test_dash_asides_are_dropped_as_the_pattern_substitution_drops_them() -> None:
    """The scan tried only before each dash finds what the substitution's scan finds."""
    chooser = random.Random(41)
    pieces = [*_ASIDE_PIECES, " – ", " — ", " -", "- ", "2010 - 2012", " no ", " not ", "5 - x"]
    dropped = 0
    for _ in range(20_000):
        sample = "".join(chooser.choice(pieces) for _ in range(chooser.randint(0, 16)))
        for language in ("en", "es", "th"):
            expected = text._DASH_ASIDE.sub(
                functools.partial(text._drop_dash_aside, language=language), sample)
            assert text._drop_dash_asides(sample, language) == expected, sample
            dropped += expected != sample
    assert dropped > 1000


def test_a_dash_aside_takes_two_dashes() -> None:
    """strip_asides searches for a dash aside only where there are two dashes or hyphens."""
    chooser = random.Random(31)
    for _ in range(20_000):
        sample = "".join(chooser.choice(_ASIDE_PIECES) for _ in range(chooser.randint(0, 16)))
        if sample.count("-") + sample.count("–") + sample.count("—") < 2:
            assert text._DASH_ASIDE.search(sample) is None, sample


def test_the_full_stop_pattern_finds_the_boundaries_of_a_text_without_other_terminals() -> None:
    chooser = random.Random(37)
    others = set(text._TERMINALS) - {"."}
    tried = 0
    for _ in range(20_000):
        sample = "".join(chooser.choice([*_ASIDE_PIECES, "A", "the", "'", "]"])
                         for _ in range(chooser.randint(0, 16)))
        if others & set(sample):
            continue
        tried += 1
        assert ([(*m.groups(), m.span()) for m in text._FULL_STOP_BOUNDARY.finditer(sample)]
                == [(*m.groups(), m.span()) for m in text._BOUNDARY.finditer(sample)]), sample
    assert tried > 1000
