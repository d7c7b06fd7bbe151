"""JSON pointer tokens: one escaping for every layer (``collection/_pointer.py``)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from postman_contracts.collection._pointer import escape_token, to_pointer, unescape_token


@given(st.text())
def test_a_token_round_trips(key: str) -> None:
    assert unescape_token(escape_token(key)) == key
    assert "/" not in escape_token(key)


def test_the_order_of_escapes() -> None:
    assert escape_token("~1") == "~01"  # not "/" when read back
    assert unescape_token("~01") == "~1"
    assert to_pointer(["a/b", 0, "~"]) == "/a~1b/0/~0"
