"""Decode, copy and compare JSON values in C (orjson), wherever that gives what the standard
library gives.

Why it exists: every saved JSON body is copied into the contracts built from it, an error's
request is compared with the success's, and a committed contracts directory is decoded file by
file. orjson does each several times as fast as ``json`` does, but not always alike, so each
function here uses it only where the result is the standard library's, and otherwise does
exactly what the standard library does (raising what it raises). Property tests hold the two
together. (Parsing a loaded collection's bodies stays with ``json``: on small bodies, screening
them for orjson cost more than it saved.)
"""

from __future__ import annotations

import json
from typing import Any

import orjson

from postman_contracts.collection import Placeholder

__all__ = ["copy_json", "decode_json", "same_json"]

# orjson reads an integer beyond 64 bits as a float: one has 19 digits or more. A number
# starts the text or follows whitespace, ``[``, ``,``, ``:`` or its ``-`` sign; a run of
# digits after anything else (a quote: an id in a string) is no number, and is left to orjson.
_DIGIT_MARKS = bytes(0x31 if 0x30 <= byte <= 0x39 else 0x30 for byte in range(256))
_NINETEEN = b"1" * 19
_BEFORE_NUMBER = frozenset(b"[,:- \t\n\r")


def _long_number(data: bytes) -> bool:
    """Whether ``data`` may hold an integer of 19 digits or more: its runs of digits found by
    ``bytes.find`` over a map of them (a regex would cost more than orjson saves)."""
    marks = data.translate(_DIGIT_MARKS)
    start = marks.find(_NINETEEN)
    while start != -1:  # the first digit of a run: the leftmost match begins it
        if start == 0 or data[start - 1] in _BEFORE_NUMBER:
            return True
        end = marks.find(b"0", start)
        if end == -1:
            return False
        start = marks.find(_NINETEEN, end)
    return False


_PASS_THROUGH = (
    orjson.OPT_PASSTHROUGH_DATACLASS
    | orjson.OPT_PASSTHROUGH_DATETIME
    | orjson.OPT_PASSTHROUGH_SUBCLASS
)


def decode_json(data: bytes) -> Any:
    """``json.loads`` of UTF-8 ``data``, by orjson where it reads the same.

    orjson refuses NaN, the infinities, a lone surrogate escape and a byte order mark, and
    reports a syntax error its own way: the standard library then reads or refuses the text.
    Text with a number of 19 digits or more (perhaps an integer beyond 64 bits, which orjson
    would read as a float) goes to it as well.

    Raises:
        json.JSONDecodeError, RecursionError, ValueError, UnicodeDecodeError: as
            ``json.loads`` does.
    """
    if not _long_number(data):
        try:
            return orjson.loads(data)
        except orjson.JSONDecodeError:
            pass
    return json.loads(data.decode("utf-8"))


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
