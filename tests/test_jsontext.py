"""redraft.jsontext.dumps: orjson's speed, json.dumps's values (what orjson refuses falls back)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest

from redraft.jsontext import dumps, utf8


@pytest.mark.parametrize("value", [
    {"key": "a", "paragraphs": ["Él dijo «sí».", "日本語の文。"], "score": 0.8125, "n": 3},
    [1, -2, 2**63 - 1, -(2**63), 1.5e-05, 1e22, True, None, ""],
    {"nested": [[["deep"]]], "tuple": (1, 2), 3: "int key", None: "null key"},
    {"lone surrogate": "a\ud800b", "big": 10**30, "negative big": -(10**25)},
])
def test_the_values_read_back_as_json_dumps_wrote_them(value: Any) -> None:
    written = dumps(value)
    assert json.loads(written) == json.loads(json.dumps(value, ensure_ascii=False))


def test_the_text_is_compact_and_not_ascii_escaped() -> None:
    assert dumps({"a": [1, "é"], "b": None}) == '{"a":[1,"é"],"b":null}'


def test_what_orjson_refuses_is_written_by_the_standard_library() -> None:
    assert dumps(["x\udc80"]) == '["x\udc80"]'  # a lone surrogate: as json.dumps writes it
    assert dumps([2**64]) == "[18446744073709551616]"  # beyond 64 bits: digits, not a float
    deep: Any = "leaf"
    for _ in range(300):  # deeper than orjson's 254 levels
        deep = [deep]
    assert json.loads(dumps(deep)) == deep


def test_dates_and_dataclasses_go_to_default_as_before() -> None:
    @dataclass
    class Point:
        x: int

    when = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    value = {"when": when, "point": Point(1)}
    assert json.loads(dumps(value, default=str)) == json.loads(json.dumps(value, default=str))
    with pytest.raises(TypeError):
        dumps({"when": when})  # no default: refused, as json.dumps refuses it


def test_sorted_keys() -> None:
    assert dumps({"b": 1, "a": 2}, sort_keys=True) == '{"a":2,"b":1}'
    assert dumps({"b": 1, "a": 2}) == '{"b":1,"a":2}'


def test_a_value_that_holds_itself_is_refused() -> None:
    loop: list[Any] = []
    loop.append(loop)
    with pytest.raises((ValueError, TypeError)):
        dumps(loop)


def test_utf8_is_dumps_text_as_bytes_or_none_where_orjson_refuses() -> None:
    values: list[Any] = [{"a": [1, 2.5, None, True]}, ["é", "中文", "\u2028"],
                         {"n": {"deep": [[[]]]}}, "plain", 0, {}]
    for value in values:
        assert utf8(value) == dumps(value).encode("utf-8")
    assert utf8("\ud800") is None  # a lone surrogate: dumps writes it with the standard library
    assert utf8(2**70) is None
