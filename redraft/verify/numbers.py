"""Numbers as a sentence writes them: digits, number words, scales, roman numerals, precision."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from redraft.verify.rules import (
    APPROXIMATORS,
    DECIMAL_COMMA,
    NUMBER_WORDS,
    SCALES,
)
from redraft.verify.words import _DIGITS, _ROMAN, _ROMAN_VALUES, _rules, _Token

# --- numbers -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Number:
    value: float  # scaled: "106 billion" is 1.06e11
    bare: float  # as written: 106
    text: str
    unit: float  # the precision it is written to: it matches within half a unit


def _value(digits: str, language: str) -> float:
    dec, group = (",", ".") if _rules(DECIMAL_COMMA, language) else (".", ",")
    if re.fullmatch(rf"\d{{1,3}}(?:\{group}\d{{3}})+(?:\{dec}\d+)?", digits):
        digits = digits.replace(group, "")
    try:
        return float(digits.replace(dec, "."))
    except ValueError:
        return float(re.sub(r"\D", "", digits))


def _numbers(tokens: Sequence[_Token], language: str) -> tuple[list[_Number], set[int]]:
    """The numbers of a token sequence ("106 billion", "80th", "dozen", "II") and their tokens."""
    words: dict[str, float] = _rules(NUMBER_WORDS, language)
    scales: dict[str, float] = _rules(SCALES, language)
    found: list[_Number] = []
    at: set[int] = set()
    for i, token in enumerate(tokens):
        match = _DIGITS.match(token.text)
        if i in at or not (match or token.lower in words or _ROMAN.match(token.text)):
            continue
        at.add(i)
        digits = match.group(1) if match else "1"
        value = _value(digits, language) if match else words.get(token.lower) or _roman(token.text)
        scale, text = scales.get(match.group(2).lower() if match else "", 1.0), token.text
        if scale == 1.0 and i + 1 < len(tokens) and tokens[i + 1].lower in scales:
            scale, text = scales[tokens[i + 1].lower], f"{text} {tokens[i + 1].text}"
            at.add(i + 1)
        approximate = i > 0 and tokens[i - 1].lower in _rules(APPROXIMATORS, language)
        found.append(_Number(value * scale, value, text, _unit(digits, approximate) * scale))
    return found, at


def _unit(digits: str, approximate: bool) -> float:
    """The precision a number is written to: 0.1 for "3.5"; 100 for "about 300"."""
    if re.search(r"[.,]\d{1,2}$", digits):
        return 10.0 ** -len(re.split(r"[.,]", digits)[-1])
    plain = re.sub(r"\D", "", digits)
    return 10.0 ** (len(plain) - len(plain.rstrip("0"))) if approximate and plain.strip("0") else 1.0


def _roman(text: str) -> float:
    values = [_ROMAN_VALUES[ch] for ch in text]
    return float(sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values)))
