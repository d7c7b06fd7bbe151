"""JSON is decoded and copied as the standard library does it, only faster.

``decode_json`` and ``copy_json`` hand the work to orjson and fall back to ``json`` wherever
orjson would differ; what they return must be what the standard library returns for any
text a collection or a contracts directory may hold, and for any value parsed from one.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from postman_contracts.collection import Placeholder, TypeSlot, copy_json, decode_json

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
