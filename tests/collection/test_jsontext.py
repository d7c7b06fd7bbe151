"""Postman-flavoured JSON: the plain-JSON fast path gives what the general path gives, and
decoding in C (orjson) gives what ``json.loads`` gives."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from postman_contracts.collection._jsontext import (
    JsonTextError,
    _long_number,
    _parse_postman,
    decode_json,
    parse_json_text,
)

_TEXT = st.text() | st.sampled_from(["https://a.test//b", "/* no */", "x // y", "{{id}}", "{"])
_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | _TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_TEXT, inner, max_size=4),
    max_leaves=30,
)


def _fast(text: str, max_depth: int) -> Any:
    return parse_json_text(text, max_depth=max_depth)


def _outcome(parse: Callable[[str, int], Any], text: str, max_depth: int) -> Any:
    """What parsing gives, comparable: the value as JSON (placeholders by repr), or the error."""
    try:
        return json.dumps(parse(text, max_depth), default=repr)
    except JsonTextError as err:
        return ("error", err.reason)


@given(_VALUES, st.sampled_from([None, 1]), st.integers(1, 6) | st.just(200), st.booleans())
@example(["\ud800", "x"], None, 200, False)
@example(["\ud800", "x"], None, 200, True)
@example([float("nan"), float("inf"), 10**40, -(2**64), 1e-05, -0.0], None, 200, True)
@example({"id": "12345678901234567890123", "n": 12345678901234567890123}, 1, 200, False)
def test_the_fast_path_gives_what_the_general_path_gives(
    value: Any, indent: int | None, max_depth: int, ascii: bool
) -> None:
    """Plain JSON, read by orjson where it can be: the general path's value (``json.loads``'s)
    or its error (half a surrogate pair, escaped or not, raw characters, big numbers)."""
    text = json.dumps(value, indent=indent, ensure_ascii=ascii)
    assert _outcome(_fast, text, max_depth) == _outcome(_parse_postman, text, max_depth)


@pytest.mark.parametrize(
    "text",
    ['{"a": 1, // c\n "b": 2}', '{"n": {{count}}}', '["\\ud800"]', '{"a": [[[[1]]]]}', '{"a": 1'],
)
def test_texts_that_are_not_plain_json_take_the_general_path(text: str) -> None:
    assert _outcome(_fast, text, 3) == _outcome(_parse_postman, text, 3)


# Texts for the C decoder: any JSON the standard library writes, numbers and characters that
# orjson reads otherwise or refuses included.
_DECODED = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner),
    max_leaves=30,
)


def _same_json(a: Any, b: Any) -> bool:
    # NaN is not equal to itself; its text is. Types are compared too: json.dumps writes
    # True, 1 and 1.0 apart.
    return json.dumps(a) == json.dumps(b)


@given(_DECODED, st.booleans())
@example([float("nan"), float("inf"), 10**40, -(2**64), 1e-05, -0.0], True)
@example([2**64 - 1, -(2**63), 2**63], False)
@example({"a": 1, "a\u0000": "\ud7ff\ue000"}, False)
@example({"id": "12345678901234567890123", "n": 12345678901234567890123}, False)
@example([[-(10**30)], {"x": 10**25}, 2**64], True)
def test_decode_is_json_loads(value: Any, indent: bool) -> None:
    text = json.dumps(value, indent=2 if indent else None, ensure_ascii=not indent)
    assert _same_json(decode_json(text.encode("utf-8")), json.loads(text))


@pytest.mark.parametrize(
    "text",
    [
        '{"a": 1,}',
        "[1, 2",
        "",
        "\ufeff{}",
        '{"a": "\\ud800"}',
        '{"a": 1, "a": 2}',
        "[1e400, -1e400, 1E+2, 0.1e-1]",
        '{"id": 12345678901234567890123}',
        "12345678901234567890123",
        '{"id":12345678901234567890123,"s":"12345678901234567890123"}',
        "[1,\t-12345678901234567890123]",
        '{"id": "12345678901234567890123"}',
        "[NaN, Infinity, -Infinity]",
        "[1]x",
    ],
)
def test_decode_refuses_and_accepts_what_json_loads_does(text: str) -> None:
    data = text.encode("utf-8")
    try:
        expected = json.loads(text)
    except json.JSONDecodeError:
        with pytest.raises(json.JSONDecodeError):
            decode_json(data)
    else:
        assert _same_json(decode_json(data), expected)


_NUMBER_OF_19 = re.compile(rb"(?:^|[\[,:\- \t\n\r])[0-9]{19}")


_PIECES = [b"1", b"0", b"123456789", b"1234567890", b'"', b":", b" ", b"-", b"a", b"\n", b"."]


@given(st.lists(st.sampled_from(_PIECES)))
@example([b"1"] * 19)
@example([b'"', *[b"1"] * 20, b":", *[b"2"] * 19])
@example([b'"', *[b"1"] * 18, b" ", *[b"2"] * 18])
def test_the_long_number_screen_finds_every_number_of_19_digits(pieces: list[bytes]) -> None:
    """Only a number token (after a separator, whitespace or a sign) of 19 digits or more
    sends text to the standard library; a run of digits inside a string does not."""
    data = b"".join(pieces)
    assert _long_number(data) == (_NUMBER_OF_19.search(data) is not None)
