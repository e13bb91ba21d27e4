"""Language identification (py3langid, model inside its wheel) and script facts.

The answer is an ISO 639-1 code, or :data:`UNDETERMINED` (``"und"``) when the identifier is
unsure; callers then apply neutral rules (no stemming, no stop words, no language's word lists).
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache
from typing import Any

from redraft.vocab import STOPWORDS, VARIETIES

UNDETERMINED = "und"  # ISO 639-2 "undetermined": what BCP 47 and HTML lang use for unknown text

# Below even odds the top language is likelier wrong than right; langid's normalised
# probability is above 0.99 for a paragraph of one language, so only short or mixed text abstains.
CONFIDENCE = 0.5
SAMPLE_CHARS = 1500  # a few hundred words settle it; langid's cost grows with the sample
_MIN_LETTERS = 12  # fewer letters than this (a title, a caption) is no evidence at all

# Plainly English, without the model: English running text is 35-55% English stop words (CNN/DM,
# English blogs); text in Portuguese, Vietnamese, Italian, Spanish, Russian, CJK stays under 0.2.
# It spares English articles the identifier's cost (a few ms each) and memory (about 120 MiB).
ENGLISH_STOP_SHARE = 0.3
_FAST_CHARS = 1000  # the first few sentences
_FAST_MIN_WORDS = 20  # fewer words give too noisy a share

_LOCK = threading.Lock()
_ENGLISH_STOPS = STOPWORDS["en"]
_WORDS = re.compile(r"[^\W\d_]+")
_LETTER = re.compile(r"[^\W\d_]")


@lru_cache(maxsize=1)
def _identifier() -> Any:
    """The py3langid model, loaded once (about a second: it is decompressed from the wheel)."""
    from py3langid.langid import (  # type: ignore[import-untyped]  # noqa: PLC0415  (heavy)
        MODEL_FILE,
        LanguageIdentifier,
    )

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


@lru_cache(maxsize=1)
def known_languages() -> frozenset[str]:
    """The two-letter ISO 639-1 codes the identifier knows (``--language`` accepts these)."""
    return frozenset(code for code in _identifier().labels if len(code) == 2 and code != "zxx")


def identify(text: str) -> tuple[str, float]:
    """The most likely language of ``text`` and the identifier's confidence in it (0 to 1).

    The probabilities of a language's varieties (Wu and Cantonese for Chinese, ...) are added
    to its own: technical Chinese prose is often split between ``zh`` and ``wuu``.
    """
    sample = text[:SAMPLE_CHARS]
    if len(_LETTER.findall(sample)) < _MIN_LETTERS:
        return UNDETERMINED, 0.0
    with _LOCK:  # one caller at a time: the model's numpy buffers are shared
        ranked = _identifier().rank(sample)
    totals: dict[str, float] = {}
    for code, probability in ranked:
        language = VARIETIES.get(code, code)
        totals[language] = totals.get(language, 0.0) + float(probability)
    best = max(totals, key=totals.__getitem__)
    return best, totals[best]


def detect_language(text: str) -> str:
    """The ISO 639-1 code of ``text``'s language, or ``"und"`` when the evidence is too weak.

    Codes the identifier has that are no ISO 639-1 code (three-letter ones) also come back as
    ``"und"``: redraft's per-language data is keyed by ISO 639-1.
    """
    if _plainly_english(text):
        return "en"
    code, probability = identify(text)
    if probability < CONFIDENCE or len(code) != 2 or code == "zxx":
        return UNDETERMINED
    return code


def _plainly_english(text: str) -> bool:
    """Whether English stop words make up :data:`ENGLISH_STOP_SHARE` of the text's opening words."""
    tokens = _WORDS.findall(text[:_FAST_CHARS].lower())
    if len(tokens) < _FAST_MIN_WORDS:
        return False
    return sum(token in _ENGLISH_STOPS for token in tokens) >= ENGLISH_STOP_SHARE * len(tokens)
