"""``dump_json`` writes exactly the bytes of ``json.dumps(indent=2, sort_keys=True)``.

It has its own encoder for speed (see ``contracts/_files.py``); committed contracts must not
change by a byte because of that, so it is held to the standard library on any JSON value.
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import example, given
from hypothesis import strategies as st

from postman_contracts.contracts import dump_json

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
def test_dump_json_is_json_dumps_indent_2_sorted(value: Any) -> None:
    assert dump_json(value) == _reference(value)
