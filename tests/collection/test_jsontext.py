"""Postman-flavoured JSON: the plain-JSON fast path gives what the general path gives."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from postman_contracts.collection._jsontext import (
    JsonTextError,
    _parse_postman,
    parse_json_text,
)

_TEXT = st.text() | st.sampled_from(["https://a.test//b", "/* no */", "x // y", "{{id}}", "{"])
_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | _TEXT,
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


@given(_VALUES, st.sampled_from([None, 1]), st.integers(1, 6))
def test_the_fast_path_gives_what_the_general_path_gives(
    value: Any, indent: int | None, max_depth: int
) -> None:
    text = json.dumps(value, indent=indent)
    assert _outcome(_fast, text, max_depth) == _outcome(_parse_postman, text, max_depth)


@pytest.mark.parametrize(
    "text",
    ['{"a": 1, // c\n "b": 2}', '{"n": {{count}}}', '["\\ud800"]', '{"a": [[[[1]]]]}', '{"a": 1'],
)
def test_texts_that_are_not_plain_json_take_the_general_path(text: str) -> None:
    assert _outcome(_fast, text, 3) == _outcome(_parse_postman, text, 3)
