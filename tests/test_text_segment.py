"""Words and sentences in scripts without spaces between words (Thai, Khmer, Myanmar) and in
scripts with combining marks (Devanagari); Latin text keeps redraft's own rules.

The Thai, Khmer, Myanmar and Hindi sentences are written for these tests.
"""

from __future__ import annotations

import logging
import random
import re
import sys

import pytest

from redraft.text import segment, spaceless, split_sentences, word_count, words
from redraft.vocab import SEGMENTED_CHARS, UNSPACED_CHARS

pytest.importorskip("icu4py")  # the "icu" extra, part of the dev install

# "Today the weather is very good", "I went to the market with my mother", "We bought many kinds
# of fruit", "The government did not announce new measures", "Mr Somchai" (a title and a name).
THAI = ["วันนี้อากาศดีมาก", "ฉันไปตลาดกับแม่", "เราซื้อผลไม้หลายอย่าง",
        "รัฐบาลไม่ได้ประกาศมาตรการใหม่ นาย สมชาย"]


def test_thai_words_are_dictionary_words_not_spaces() -> None:
    text = THAI[3]
    assert words(text)[:4] == ["รัฐบาล", "ไม่", "ได้", "ประกาศ"]
    assert word_count(text) == len(words(text)) > len(text.split())


def test_thai_sentences_end_at_spaces_after_a_sentence_worth_of_words() -> None:
    assert split_sentences(" ".join(THAI), "th") == THAI  # "นาย สมชาย" stays with its sentence


def test_khmer_and_myanmar_sentences_end_at_their_full_stops() -> None:
    # "I go to the market. He does not go." in Khmer, then in Myanmar.
    assert split_sentences("ខ្ញុំទៅផ្សារ។ គាត់មិនទៅទេ។", "km") == ["ខ្ញុំទៅផ្សារ។", "គាត់មិនទៅទេ។"]
    assert split_sentences("ကျွန်တော် စျေးသွားတယ်။ သူမသွားဘူး။", "my") == [
        "ကျွန်တော် စျေးသွားတယ်။", "သူမသွားဘူး။"]


def test_latin_text_keeps_the_abbreviation_rules() -> None:
    text = "Mr. Smith flew to the U.S. on Monday. He came back."
    assert split_sentences(text, "en") == ["Mr. Smith flew to the U.S. on Monday.", "He came back."]


def test_latin_words_inside_thai_text_keep_the_abbreviation_rules() -> None:
    # "The government did not announce new measures, as Mr. Smith expected."
    text = "รัฐบาลไม่ได้ประกาศมาตรการใหม่ตามที่ Mr. Smith คาดไว้"
    assert split_sentences(text, "th") == [text]


def test_words_keep_their_combining_marks() -> None:
    # "The minister did not sign": the vowel signs are part of each word.
    assert words("मंत्री ने हस्ताक्षर नहीं किए") == ["मंत्री", "ने", "हस्ताक्षर", "नहीं", "किए"]


def test_without_icu_thai_falls_back_to_spaces_and_says_so(
        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setitem(sys.modules, "icu4py", None)  # the extra is not installed
    segment._breakers.cache_clear()
    segment.word_spans.cache_clear()
    try:
        with caplog.at_level(logging.WARNING, logger="redraft.text.segment"):
            text = " ".join(THAI)
            assert word_count(text) == len(text.split())
            assert segment.split_segmented(text, "th") == [text]
        assert "install redraft[icu]" in caplog.text
    finally:
        monkeypatch.undo()
        segment._breakers.cache_clear()
        segment.word_spans.cache_clear()
    assert word_count(THAI[3]) > len(THAI[3].split())  # ICU is back


def test_repeats_in_scripts_without_spaces_are_judged_on_dictionary_words() -> None:
    from redraft.text import near_duplicate

    # "The minister signed the new trade agreement in Beijing on Tuesday", then with one word
    # changed and with a particle dropped: one changed word in nine is a repeat.
    long = "部长周二在北京签署了新的贸易协议。"
    assert near_duplicate(long, "部长周二在北京签署新的贸易协议。")
    # Five words ("signed on Tuesday" / "on Wednesday"): a short sentence repeats only exactly.
    assert not near_duplicate("部长周二签署了协议。", "部长周三签署了协议。")
    assert near_duplicate("รัฐบาลไม่ได้ประกาศมาตรการใหม่", "รัฐบาลไม่ได้ประกาศมาตรการใหม่ ")


def test_latin1_text_holds_no_script_beyond_it() -> None:
    assert segment.latin1("año, façade, ÿ") and not segment.latin1("ĀB")
    assert not segment.latin1("ภาษาไทย")
    assert not spaceless("El niño comió.") and spaceless("El niño 中文") and spaceless("é ภาษา")
    assert not segment.has_segmented_script("Ça va, señor")
    assert segment.has_segmented_script("é ภาษาไทย")


def test_fast_script_answers_match_the_general_rule_on_random_text() -> None:
    """spaceless and has_segmented_script answer Latin-1 text with curly quotes and dashes
    without a search, and has_segmented_script answers the text spaceless last found spaced
    at once: both as the patterns' search of the whole text says, in any order of asking; the
    Latin-1 checks they and the word splitters share answer as the blanked text's encoding."""
    any_spaceless = re.compile(f"[{UNSPACED_CHARS}{SEGMENTED_CHARS}]")
    any_segmented = re.compile(f"[{SEGMENTED_CHARS}]")
    pieces = ["a", "Z", " ", "é", "ñ", "ÿ", "\u00a0", "«", "»", "\u00ad", "ā", "€", "•", "Ж",
              "д", "中", "あ", "。", "ภ", "ไ", "ក", "။", "ສ", "\u0301", "😀", ".", "\n",
              *segment.WIDE_PUNCTUATION]
    chooser = random.Random(43)
    texts = ["", " ", *segment.WIDE_PUNCTUATION]
    for _ in range(3000):
        weights = [30 if p.isascii() else 1 for p in pieces]
        texts.append("".join(chooser.choices(pieces, weights, k=chooser.randint(1, 30))))
    for text in texts:
        if chooser.random() < 0.5:
            assert spaceless(text) == (any_spaceless.search(text) is not None), text
        assert segment.has_segmented_script(text) == (any_segmented.search(text) is not None), text
        blanked = "".join(" " if c in segment.WIDE_PUNCTUATION else c for c in text)
        assert segment.latin1_but_punctuation(text) == segment.latin1(blanked), text
        assert segment.latin1_bytes(text) == (
            blanked.encode("latin-1") if segment.latin1(blanked) else None), text
        # the blanked text keeps every position: its middle is the text's, a mark blanked
        assert segment.foreign_middle(text) == (text != "" and blanked[len(text) // 2] > "\xff")
    for mark in segment.WIDE_PUNCTUATION:
        assert not any_spaceless.search(mark)


def test_spaceless_answers_every_code_point_as_the_general_rule() -> None:
    """spaceless searches the two kinds' classes only from the first character that may be of
    either: every code point of the Basic Multilingual Plane (surrogates too) and some beyond,
    alone, in Cyrillic text and after a dash, is answered as one search of both classes says."""
    any_spaceless = re.compile(f"[{UNSPACED_CHARS}{SEGMENTED_CHARS}]")
    for code in [*range(0x10000), 0x10000, 0x1F600, 0x20000, 0x2A6DF, 0x10FFFF]:
        char = chr(code)
        for text in (char, f"Жд {char}", f"{char} д—", f"№ д{char}", f"Жé—{char}…"):
            assert spaceless(text) == (any_spaceless.search(text) is not None), hex(code)
