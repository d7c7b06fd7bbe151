"""JSON is decoded and copied as the standard library does it, only faster.

``decode_json`` and ``copy_json`` hand the work to orjson and fall back to ``json`` wherever
orjson would differ; what they return must be what the standard library returns for any
text a collection or a contracts directory may hold, and for any value parsed from one.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from postman_contracts.collection import Placeholder, TypeSlot
from postman_contracts.contracts._fastjson import copy_json, decode_json, same_json

_LEAVES = st.none() | st.booleans() | st.integers() | st.floats() | st.text()
_VALUES = st.recursive(
    _LEAVES,
    lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner),
    max_leaves=30,
)
_SLOTS = st.builds(Placeholder, st.text(), st.booleans()) | st.builds(
    TypeSlot, st.sampled_from(["<long>", "<string>", "<dateTime>"])
)
_PARSED = st.recursive(
    _LEAVES | _SLOTS,
    lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner),
    max_leaves=30,
)


def _same(a: Any, b: Any) -> bool:
    # NaN is not equal to itself; its text is. Types are compared too: True == 1 == 1.0.
    return json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True) and _types(a) == _types(b)


def _types(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _types(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_types(v) for v in value]
    return type(value).__name__


@given(_VALUES, st.booleans())
@example([float("nan"), float("inf"), 10**40, -(2**64), 1e-05, -0.0], True)
@example([2**64 - 1, -(2**63), 2**63], False)
@example({"a": 1, "a\u0000": "\ud7ff\ue000"}, False)
@example({"id": "12345678901234567890123", "n": 12345678901234567890123}, False)
@example([[-(10**30)], {"x": 10**25}, 2**64], True)
def test_decode_is_json_loads(value: Any, indent: bool) -> None:
    text = json.dumps(value, indent=2 if indent else None, ensure_ascii=not indent)
    assert _same(decode_json(text.encode("utf-8")), json.loads(text))


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
        assert _same(decode_json(data), expected)


def _standard_copy(value: Any) -> tuple[Any, str]:
    text = json.dumps(value, default=str, ensure_ascii=False)
    return json.loads(text), text


@given(_PARSED)
@example([float("nan"), {"n": float("-inf")}, None])
@example({"big": 2**64, "small": -(2**63) - 1, "slot": Placeholder("id", quoted=False)})
@example(["\ud800", TypeSlot("<long>", ("integer",))])
@example({1: "a non-string key", "x": [True, 1, 1.0]})
def test_copy_is_the_standard_round_trip(value: Any) -> None:
    try:
        expected, text = _standard_copy(value)
    except (ValueError, TypeError) as err:
        with pytest.raises(type(err)):
            copy_json(value)
        return
    copy, written = copy_json(value)
    assert _same(copy, expected)
    # What callers look for in the text (a `<type>` slot's bracket) is there exactly when the
    # standard library's text has it.
    assert (b"<" in written) == ("<" in text)
    assert _same(json.loads(written.decode("utf-8", "surrogatepass")), expected)


def test_copy_is_a_new_value() -> None:
    value = {"a": [1, {"b": "c"}]}
    copy, _ = copy_json(value)
    copy["a"][1]["b"] = "changed"
    assert value == {"a": [1, {"b": "c"}]}


_NUMBER_OF_19 = re.compile(rb"(?:^|[\[,:\- \t\n\r])[0-9]{19}")


_PIECES = [b"1", b"0", b"123456789", b"1234567890", b'"', b":", b" ", b"-", b"a", b"\n", b"."]


@given(st.lists(st.sampled_from(_PIECES)))
@example([b"1"] * 19)
@example([b'"', *[b"1"] * 20, b":", *[b"2"] * 19])
@example([b'"', *[b"1"] * 18, b" ", *[b"2"] * 18])
def test_the_long_number_screen_finds_every_number_of_19_digits(pieces: list[bytes]) -> None:
    """Only a number token (after a separator, whitespace or a sign) of 19 digits or more
    sends text to the standard library; a run of digits inside a string does not."""
    from postman_contracts.contracts._fastjson import _long_number

    data = b"".join(pieces)
    assert _long_number(data) == (_NUMBER_OF_19.search(data) is not None)


def _twin(value: Any, data: st.DataObject) -> Any:
    """A value equal to ``value`` (==) whose numbers may be of another type: 1, 1.0, True."""
    if isinstance(value, dict):
        return {k: _twin(v, data) for k, v in value.items()}
    if isinstance(value, list):
        return [_twin(v, data) for v in value]
    if type(value) in (int, bool) and value in (0, 1):
        return data.draw(st.sampled_from([int(value), float(value), bool(value)]))
    if type(value) is int and abs(value) < 2**53:
        return data.draw(st.sampled_from([value, float(value)]))
    if type(value) is float and value.is_integer() and abs(value) < 2**53:
        return data.draw(st.sampled_from([value, int(value)]))
    return value


@given(_PARSED, st.data())
def test_same_json_is_equal_and_written_alike(value: Any, data: st.DataObject) -> None:
    other = _twin(value, data)
    nan = float("nan")
    for a, b in ((value, other), ([value, nan], [other, nan]), ({1: value}, {1: other})):
        expected = a == b and json.dumps(a, sort_keys=True, default=repr) == json.dumps(
            b, sort_keys=True, default=repr
        )
        assert same_json(a, b) == expected


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ({"a": [1, 2.0, True]}, {"a": [1, 2.0, True]}, True),
        ({"a": [1, 2.0, True]}, {"a": [1.0, 2.0, True]}, False),
        ({"a": [1, 2.0, True]}, {"a": [True, 2.0, True]}, False),
        ({"a": 1, "b": 2}, {"b": 2, "a": 1}, True),
        ([0.0], [-0.0], False),
        ([2**70], [2**70], True),
        ({1: "x"}, {1: "x"}, True),
        ([Placeholder("id")], [Placeholder("id")], True),
        ([Placeholder("id")], [Placeholder("id", quoted=False)], False),
        ([None], [float("nan")], False),
    ],
)
def test_same_json_on_edges(a: Any, b: Any, same: bool) -> None:
    assert same_json(a, b) is same
