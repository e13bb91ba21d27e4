"""detect_language answers plainly English, Spanish, French, Japanese, Russian text (and text in
a script only one language writes) without the model, and only where the model would give the
same answer."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest

from redraft.text import lang
from redraft.vocab import MARKERS, STOPWORDS

FIXTURE = Path(__file__).parent / "fixtures" / "lang" / "neighbours.json"
_FIXTURE = json.loads(FIXTURE.read_text(encoding="utf-8"))
TEXTS: dict[str, str] = _FIXTURE["texts"]
MIXED: dict[str, str] = _FIXTURE["mixed"]
TRICKY: dict[str, str] = json.loads((FIXTURE.parent / "mixed_and_neighbours.json").read_text(
    encoding="utf-8"))["texts"]
ORDINARY: dict[str, str] = json.loads((FIXTURE.parent / "ordinary.json").read_text(
    encoding="utf-8"))["texts"]


def _model(text: str) -> str:
    """What detect_language answers from the model alone."""
    code, probability = lang.identify(text)
    if probability < lang.CONFIDENCE or len(code) != 2 or code == "zxx":
        return lang.UNDETERMINED
    return code


@pytest.fixture
def no_model(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(text: str) -> tuple[str, float]:
        raise AssertionError(f"the model was asked about {text[:40]!r}")

    monkeypatch.setattr(lang, "identify", refuse)


@pytest.mark.parametrize("language", ["en", "es", "fr", "ja", "ru", "ko", "th"])
def test_plain_languages_are_told_without_the_model(
        language: str, no_model: None) -> None:
    assert lang.detect_language(TEXTS[language]) == language


@pytest.mark.parametrize("text", [*TEXTS.values(), *MIXED.values()],
                         ids=[*TEXTS, *MIXED])
def test_the_fast_answer_is_the_models_or_none(text: str) -> None:
    assert lang._plain_language(text) in (None, _model(text))
    assert lang.detect_language(text) == _model(text)


@pytest.mark.parametrize("text", TRICKY.values(), ids=TRICKY)
def test_texts_written_to_trip_the_fast_path_get_the_models_answer(text: str) -> None:
    assert lang._plain_language(text) in (None, _model(text))


@pytest.mark.parametrize("text", ORDINARY.values(), ids=ORDINARY)
def test_ordinary_news_gets_the_models_answer(text: str) -> None:
    assert lang._plain_language(text) in (None, _model(text))


def test_most_ordinary_english_spanish_french_and_russian_news_skips_the_model() -> None:
    plain = [lang._plain_language(text) for name, text in ORDINARY.items()
             if name.startswith(("en_", "es_", "fr_", "ru_"))]
    assert sum(answer is not None for answer in plain) >= 0.9 * len(plain)


@pytest.mark.parametrize("name", ["eo2", "gl_a", "val_a", "oc_short"])
def test_esperanto_and_short_neighbours_of_spanish_go_to_the_model(name: str) -> None:
    # a third or more Spanish stop words ("la", "de", "en", "el"), none of its own markers
    assert lang._plain_language(TRICKY[name]) is None


@pytest.mark.parametrize("name", ["bg_a", "bg_ru_quote", "bg_film", "cv1", "os1"])
def test_bulgarian_quoting_russian_and_chuvash_or_ossetian_go_to_the_model(name: str) -> None:
    assert lang._plain_language(TRICKY[name]) is None


@pytest.mark.parametrize("name", ["ky_forum", "kk_nospecial2", "mn_nospecial", "uz_nospecial"])
def test_languages_typed_with_russian_letters_alone_go_to_the_model(name: str) -> None:
    # no letter of their own alphabets, but none of Russian's small words either
    assert lang._plain_language(TRICKY[name]) is None


@pytest.mark.parametrize("name", ["en_caps_kg", "fr_caps_h", "es_caps_km", "ru_caps_km"])
def test_capitals_but_for_a_unit_go_to_the_model(name: str) -> None:
    assert lang._plain_language(TRICKY[name]) is None
    assert lang._plain_language(TRICKY[name].lower()) is not None  # the words alone would do


@pytest.mark.parametrize("name", ["pcm2", "jam", "ga_en", "gn_es"])
def test_creoles_and_a_celtic_or_guarani_opening_go_to_the_model(name: str) -> None:
    assert lang._plain_language(TRICKY[name]) is None


@pytest.mark.parametrize("name", ["tl_en3", "taglish", "ms_en", "zu_en", "qu_es2"])
def test_a_lead_in_another_language_goes_to_the_model(name: str) -> None:
    assert lang._plain_language(TRICKY[name]) is None


@pytest.mark.parametrize("space", ["\u00a0", "\u3000", "\u2002"])
def test_words_apart_by_other_spaces_go_to_the_model(space: str) -> None:
    assert lang._plain_language(TEXTS["en"]) == "en"
    assert lang._plain_language(TEXTS["en"].replace(" ", space)) is None


def test_decomposed_accents_go_to_the_model() -> None:
    assert lang._plain_language(TEXTS["es"]) == "es"
    assert lang._plain_language(unicodedata.normalize("NFD", TEXTS["es"])) is None
    assert lang._plain_language(TRICKY["vi_en_nfd"]) is None


@pytest.mark.parametrize("name", ["ta_si_short", "kn_te", "ml_ta", "pa_gu"])
def test_indic_text_in_two_scripts_goes_to_the_model(name: str) -> None:
    assert lang._plain_language(TRICKY[name]) is None


@pytest.mark.parametrize("name", ["en_sha256_forum", "en_sha256_mirrors2", "en_release_notes"])
def test_a_post_of_checksums_goes_to_the_model(name: str) -> None:
    # a hash's letters between its digits ("a", "be") are English stop words to a word count
    assert lang._plain_language(TRICKY[name]) is None


@pytest.mark.parametrize("name", ["hi_ta_railway", "ar_hy_beirut", "he_ka", "ru_he_shop",
                                  "el_ru_cyprus2", "hi_ja_lesson"])
def test_a_notice_with_a_line_in_another_script_goes_to_the_model(name: str) -> None:
    # the notice's own script (Devanagari, Arabic, Hebrew, Greek) has no rule here, but counts
    assert lang._plain_language(TRICKY[name]) is None


def test_chinese_with_japanese_readings_goes_to_the_model() -> None:
    assert lang._plain_language(TRICKY["zh_anime"]) is None


def test_a_post_in_english_then_spanish_goes_to_the_model() -> None:
    lead = TEXTS["en"].split(". ")[0] + ". "  # a sentence of English, then the Spanish article
    assert lang._plain_language(TEXTS["es"]) == "es"
    assert lang._plain_language(lead + TEXTS["es"]) is None
    assert lang._plain_language(lead + lead + TEXTS["es"]) is None


@pytest.mark.parametrize("language", ["uk", "bg", "be", "kk", "mn", "sr", "tt", "zh"])
def test_other_cyrillic_languages_and_chinese_go_to_the_model(language: str) -> None:
    # Belarusian, Kazakh, Mongolian and Tatar write the ы and э of Russian, and letters it lacks
    assert lang._plain_language(TEXTS[language]) is None
    assert lang.detect_language(TEXTS[language]) == language


def test_a_russian_text_quoting_ukrainian_goes_to_the_model() -> None:
    assert lang._plain_language(TEXTS["ru"]) == "ru"
    assert lang._plain_language(MIXED["ru+uk"]) is None


def test_an_english_text_quoting_japanese_is_not_told_japanese_by_its_kana() -> None:
    assert lang._plain_language(MIXED["en+ja"]) in (None, "en")


@pytest.mark.parametrize("language", ["pt", "gl", "ca", "oc", "it"])
def test_close_neighbours_of_spanish_and_french_go_to_the_model(language: str) -> None:
    # Galician and Occitan reach Spanish's share of stop words: their own words stop the guess
    assert lang._plain_language(TEXTS[language]) is None
    assert lang.detect_language(TEXTS[language]) == language


def test_a_spanish_text_with_many_neighbour_words_goes_to_the_model() -> None:
    spanish = TEXTS["es"]
    assert lang._plain_language(spanish) == "es"
    words = len(lang._letter_runs(spanish.lower()))
    mixed = " ".join(["não"] * (int(lang.PLAIN_MIXED_SHARE * words) + 2)) + " " + spanish
    assert lang._plain_language(mixed) is None


def test_spanish_and_french_share_stop_words_but_not_their_own() -> None:
    # a Spanish paragraph is a third French stop words ("de", "la", "que", "en", "se")
    spanish = TEXTS["es"].lower()
    tokens = lang._letter_runs(spanish)
    french_share = sum(map(STOPWORDS["fr"].__contains__, tokens)) / len(tokens)
    assert french_share > 0.2
    assert lang._plain_language(TEXTS["es"]) == "es"
    assert lang._plain_language(TEXTS["fr"]) == "fr"


def test_too_few_words_go_to_the_model() -> None:
    short = " ".join(TEXTS["es"].split()[: 10])
    assert lang._plain_language(short) is None


def test_no_marker_word_marks_two_languages() -> None:
    words = [word for listed in MARKERS.values() for word in listed]
    assert len(words) == len(set(words))
