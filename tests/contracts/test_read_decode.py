"""A contracts directory's files are decoded as ``json.loads`` decodes them, faster.

``_read._decode`` hands the bytes to orjson and falls back to the standard library where
orjson refuses; what it returns must be what ``json.loads`` returns for any file we or a
reviewer could have written.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from postman_contracts.contracts._read import _decode

_LEAVES = st.none() | st.booleans() | st.integers() | st.floats() | st.text()
_VALUES = st.recursive(
    _LEAVES,
    lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner),
    max_leaves=30,
)


def _same(a: Any, b: Any) -> bool:
    # NaN is not equal to itself; its text is.
    return json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)


@given(_VALUES, st.booleans())
@example([float("nan"), float("inf"), 10**40, -(2**64), 1e-05, -0.0], True)
@example({"a": 1, "a\u0000": "\ud7ff\ue000"}, False)
def test_decode_is_json_loads(value: Any, indent: bool) -> None:
    text = json.dumps(value, indent=2 if indent else None, ensure_ascii=not indent)
    assert _same(_decode(text.encode("utf-8")), json.loads(text))


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
    ],
)
def test_decode_refuses_and_accepts_what_json_loads_does(text: str) -> None:
    try:
        expected = json.loads(text)
    except json.JSONDecodeError:
        with pytest.raises(json.JSONDecodeError):
            _decode(text.encode("utf-8"))
    else:
        assert _same(_decode(text.encode("utf-8")), expected)
