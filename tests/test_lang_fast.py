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
    assert lang._plain_language(text) in (None, lang.model_language(text))
    assert lang.detect_language(text) == lang.model_language(text)


@pytest.mark.parametrize("text", TRICKY.values(), ids=TRICKY)
def test_texts_written_to_trip_the_fast_path_get_the_models_answer(text: str) -> None:
    assert lang._plain_language(text) in (None, lang.model_language(text))


@pytest.mark.parametrize("text", ORDINARY.values(), ids=ORDINARY)
def test_ordinary_news_gets_the_models_answer(text: str) -> None:
    assert lang._plain_language(text) in (None, lang.model_language(text))


def test_most_ordinary_english_spanish_french_and_russian_news_skips_the_model() -> None:
    plain = [lang._plain_language(text) for name, text in ORDINARY.items()
             if name.startswith(("en_", "es_", "fr_", "ru_"))]
    assert sum(answer is not None for answer in plain) >= 0.9 * len(plain)


# Texts an earlier version of the shortcut told otherwise than the model, and what they are
TO_THE_MODEL = {
    "eo2": "Esperanto or a short neighbour of Spanish: Spanish stop words, none of its markers",
    "gl_a": "Esperanto or a short neighbour of Spanish: Spanish stop words, none of its markers",
    "val_a": "Esperanto or a short neighbour of Spanish: Spanish stop words, none of its markers",
    "oc_short": "Esperanto or a short neighbour of Spanish: Spanish stop words, none of its markers",
    "bg_a": "Bulgarian quoting Russian, or Chuvash or Ossetian",
    "bg_ru_quote": "Bulgarian quoting Russian, or Chuvash or Ossetian",
    "bg_film": "Bulgarian quoting Russian, or Chuvash or Ossetian",
    "cv1": "Bulgarian quoting Russian, or Chuvash or Ossetian",
    "os1": "Bulgarian quoting Russian, or Chuvash or Ossetian",
    "ky_forum": "typed with Russian letters alone, none of Russian's small words",
    "kk_nospecial2": "typed with Russian letters alone, none of Russian's small words",
    "mn_nospecial": "typed with Russian letters alone, none of Russian's small words",
    "uz_nospecial": "typed with Russian letters alone, none of Russian's small words",
    "pcm2": "a creole, or a Celtic or Guarani opening",
    "jam": "a creole, or a Celtic or Guarani opening",
    "ga_en": "a creole, or a Celtic or Guarani opening",
    "gn_es": "a creole, or a Celtic or Guarani opening",
    "tl_en3": "a lead in another language",
    "taglish": "a lead in another language",
    "ms_en": "a lead in another language",
    "zu_en": "a lead in another language",
    "qu_es2": "a lead in another language",
    "ta_si_short": "Indic text in two scripts",
    "kn_te": "Indic text in two scripts",
    "ml_ta": "Indic text in two scripts",
    "pa_gu": "Indic text in two scripts",
    "en_sha256_forum": "checksums: the model reads their digits",
    "en_sha256_mirrors2": "checksums: the model reads their digits",
    "en_release_notes": "checksums: the model reads their digits",
    "hi_ta_railway": "a notice in a script with no rule here, with a line in another",
    "ar_hy_beirut": "a notice in a script with no rule here, with a line in another",
    "he_ka": "a notice in a script with no rule here, with a line in another",
    "ru_he_shop": "a notice in a script with no rule here, with a line in another",
    "el_ru_cyprus2": "a notice in a script with no rule here, with a line in another",
    "hi_ja_lesson": "a notice in a script with no rule here, with a line in another",
}


@pytest.mark.parametrize("name", TO_THE_MODEL)
def test_texts_an_earlier_shortcut_misread_go_to_the_model(name: str) -> None:
    assert lang._plain_language(TRICKY[name]) is None, TO_THE_MODEL[name]


@pytest.mark.parametrize("name", ["en_caps_kg", "fr_caps_h", "es_caps_km", "ru_caps_km"])
def test_capitals_but_for_a_unit_go_to_the_model(name: str) -> None:
    assert lang._plain_language(TRICKY[name]) is None
    assert lang._plain_language(TRICKY[name].lower()) is not None  # the words alone would do


@pytest.mark.parametrize("space", ["\u00a0", "\u3000", "\u2002"])
def test_words_apart_by_other_spaces_go_to_the_model(space: str) -> None:
    assert lang._plain_language(TEXTS["en"]) == "en"
    assert lang._plain_language(TEXTS["en"].replace(" ", space)) is None


def test_decomposed_accents_go_to_the_model() -> None:
    assert lang._plain_language(TEXTS["es"]) == "es"
    assert lang._plain_language(unicodedata.normalize("NFD", TEXTS["es"])) is None
    assert lang._plain_language(TRICKY["vi_en_nfd"]) is None


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
