"""Copy and compare JSON values in C (orjson), wherever that gives what the standard library
gives.

Why it exists: every saved JSON body is copied into the contracts built from it, and an
error's request is compared with the success's. orjson does each several times as fast as
``json`` does, but not always alike, so each function here uses it only where the result is
the standard library's, and otherwise does exactly what the standard library does (raising
what it raises). Property tests hold the two together. (Decoding, the same way, is
``collection.decode_json``.)
"""

from __future__ import annotations

import json
from typing import Any

import orjson

from postman_contracts.collection import Placeholder

__all__ = ["copy_json", "same_json"]

_PASS_THROUGH = (
    orjson.OPT_PASSTHROUGH_DATACLASS
    | orjson.OPT_PASSTHROUGH_DATETIME
    | orjson.OPT_PASSTHROUGH_SUBCLASS
)


def _placeholder_text(value: Any) -> str:
    if isinstance(value, Placeholder):
        return str(value)
    raise TypeError  # anything else: let the standard library write it


def copy_json(value: Any) -> tuple[Any, bytes]:
    """``json.loads(json.dumps(value, default=str, ensure_ascii=False))``, and that text.

    The copy holds each placeholder as its ``{{name}}`` (or ``<type>``) text. The text is
    UTF-8. orjson writes NaN and the infinities as ``null``, so output with any ``null`` is
    made again by the standard library, as is anything orjson refuses (an integer beyond 64
    bits, a key that is not a string, a lone surrogate, deep nesting) and any object other
    than a placeholder. (orjson writes a plain ``Enum`` member, which no JSON value holds, as
    its value, where ``default=str`` gives its name.)

    Raises:
        ValueError, TypeError, RecursionError: as the standard library does.
    """
    try:
        text = orjson.dumps(value, default=_placeholder_text, option=_PASS_THROUGH)
    except orjson.JSONEncodeError:
        pass
    else:
        if b"null" not in text:
            return orjson.loads(text), text
    written = json.dumps(value, default=str, ensure_ascii=False)
    return json.loads(written), written.encode("utf-8", "surrogatepass")


_SORTED = _PASS_THROUGH | orjson.OPT_SORT_KEYS


def same_json(a: Any, b: Any) -> bool:
    """Whether ``a == b`` and both write the same JSON (keys sorted, other objects as their
    ``repr``): ``True == 1 == 1.0`` in Python, not in JSON.

    Given ``a == b``, orjson's texts differ exactly where the standard library's do: both tell
    booleans, integers and floats apart, and a NaN can only stand beside itself. Anything
    orjson refuses (a key that is not a string, an integer beyond 64 bits) is compared by the
    standard library; an object orjson passes to ``default`` (a subclass of str) may compare
    unequal where the standard library's would not, which costs a caller a closer look only.
    """
    if a != b:
        return False
    try:
        return orjson.dumps(a, default=repr, option=_SORTED) == orjson.dumps(
            b, default=repr, option=_SORTED
        )
    except orjson.JSONEncodeError:
        return json.dumps(a, sort_keys=True, default=repr) == json.dumps(
            b, sort_keys=True, default=repr
        )
