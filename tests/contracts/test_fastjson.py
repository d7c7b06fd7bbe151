"""JSON is copied and compared as the standard library does it, only faster.

``copy_json`` and ``same_json`` hand the work to orjson and fall back to ``json`` wherever
orjson would differ; what they return must be what the standard library returns for any
value parsed from a collection. (Decoding: ``tests/collection/test_jsontext.py``.)
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from postman_contracts.collection import Placeholder, TypeSlot
from postman_contracts.contracts._fastjson import copy_json, same_json

_LEAVES = st.none() | st.booleans() | st.integers() | st.floats() | st.text()
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
