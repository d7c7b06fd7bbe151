"""``dump_json`` writes exactly the bytes of ``json.dumps(indent=2, sort_keys=True)``.

It has its own encoder for speed (see ``contracts/_files.py``); committed contracts must not
change by a byte because of that, so it is held to the standard library on any JSON value.
"""

from __future__ import annotations

import dataclasses
import datetime
import enum
import json
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from postman_contracts.contracts import dump_json


@dataclasses.dataclass
class _Point:
    x: int
    y: int


class _Colour(enum.Enum):
    RED = "red"


_LEAVES = st.none() | st.booleans() | st.integers() | st.floats() | st.text()
_VALUES = st.recursive(
    _LEAVES,
    lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner) | st.tuples(inner, inner),
    max_leaves=30,
)


def _reference(value: Any) -> bytes:
    return (json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()


@given(_VALUES)
@example({"b": [], "a": {}, "c": [[{}]]})
@example([float("nan"), float("inf"), -float("inf"), -0.0, 1e300])
@example({'é\n\u2028"': "\\", "ids": ["738964000002131001"]})
@example({2: "a", 1: {"b": None}})  # keys that are not strings take the standard library's path
@example(10**40)
@example({"tiny": [1e-05, -3.661767735733915e-08, 9.999999999999999e-05, 0.0001, 0.0]})
@example({"wide": [2**63, -(2**63), 2**64, -(2**63) - 1], "big": [1e16, 1.5e300]})
def test_dump_json_is_json_dumps_indent_2_sorted(value: Any) -> None:
    assert dump_json(value) == _reference(value)


class _Text(str):
    pass


@pytest.mark.parametrize(
    "value",
    [[_Text("a")], {_Text("k"): 1}, {"a": True, 1: False}],
    ids=["str subclass", "str subclass key", "mixed keys"],
)
def test_dump_json_writes_subclasses_and_odd_keys_as_the_standard_library(value: Any) -> None:
    """orjson takes only plain values; the rest still comes out as json.dumps writes it."""
    try:
        expected = _reference(value)
    except TypeError:  # keys of two types cannot be sorted
        with pytest.raises(TypeError):
            dump_json(value)
    else:
        assert dump_json(value) == expected


@pytest.mark.parametrize("value", [_Point(1, 2), datetime.date(2026, 1, 1), _Colour.RED])
def test_dump_json_refuses_what_json_dumps_refuses(value: Any) -> None:
    """orjson writes dataclasses, dates and enums; the standard library, and so we, do not."""
    with pytest.raises(TypeError):
        dump_json({"value": value})
