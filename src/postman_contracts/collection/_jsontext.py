"""Parse the JSON that Postman accepts, which is not quite JSON.

Why it exists: Postman's raw JSON bodies may hold ``//`` and ``/* */`` comments and *unquoted*
``{{placeholders}}`` (``"count": {{n}}``), which are filled in before sending. ``json.loads``
rejects both. This module removes comments and turns each unquoted slot into a marked string,
parses, then turns every value that is exactly one slot into a :class:`Placeholder`, quoted
(``"{{id}}"``) or not. Nesting is bounded so hostile input cannot exhaust the stack.

Most bodies are plain JSON, and they are parsed twice (checked at load, read on first use):
plain text is decoded by orjson wherever it reads what ``json.loads`` reads
(:func:`decode_json`, also how a contracts directory is read).
"""

from __future__ import annotations

import json
import re
from typing import Any

import orjson

from postman_contracts.collection._placeholders import Placeholder, type_slot, whole_placeholder
from postman_contracts.collection._source import lone_surrogate

__all__ = ["JsonTextError", "decode_json", "parse_json_text"]

# One alternation, scanned left to right, so that comment markers and braces inside
# string literals are never mistaken for comments or placeholders.
_TOKEN_RE = re.compile(
    r'"(?:[^"\\\n]|\\.)*"'  # a string literal
    r"|//[^\n]*"  # a line comment
    r"|/\*.*?\*/"  # a block comment
    r"|\{\{([^{}\"]+?)\}\}",  # an unquoted placeholder
    re.DOTALL,
)
_UNQUOTED = "\x00postman-contracts:unquoted:"

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
    value = _by_orjson(data)
    return json.loads(data.decode("utf-8")) if value is _UNREAD else value


_UNREAD: Any = object()


def _by_orjson(data: bytes) -> Any:
    """orjson's reading of ``data`` where it is ``json.loads``'s, else ``_UNREAD``."""
    if not _long_number(data):
        try:
            return orjson.loads(data)
        except orjson.JSONDecodeError:
            pass
    return _UNREAD


class JsonTextError(ValueError):
    """Text that is not JSON even with Postman's allowances; has ``line`` and ``column``."""

    def __init__(self, reason: str, line: int, column: int) -> None:
        super().__init__(f"{reason} (line {line}, column {column})")
        self.reason = reason
        self.line = line
        self.column = column


def _prepare(text: str) -> str:
    """Blank out comments (keeping newlines, so positions stay right) and quote bare slots."""
    if "/" not in text and "{{" not in text:
        return text

    def replace(match: re.Match[str]) -> str:
        token = match.group(0)
        if token[0] == '"':
            return token
        if token[0] == "/":
            return "".join(c if c == "\n" else " " for c in token)
        return json.dumps(_UNQUOTED + match.group(1))

    return _TOKEN_RE.sub(replace, text)


def parse_json_text(text: str, *, max_depth: int = 200) -> Any:
    """Parse Postman-flavoured JSON into plain values with :class:`Placeholder` slots.

    Raises:
        JsonTextError: the text does not parse, or nests deeper than ``max_depth``.
    """
    # Most bodies are plain JSON: no slot anywhere (quoted or not), no comment (JSON has
    # none, so a text json.loads takes has none), and fewer brackets than ``max_depth``
    # (so it cannot nest deeper). They need neither the preparing nor the walk.
    if "{{" not in text and '"<' not in text and text.count("{") + text.count("[") <= max_depth:
        # orjson refuses half a surrogate pair, escaped or not: what it reads needs no check.
        value = _by_orjson(text.encode("utf-8", "surrogatepass"))
        if value is not _UNREAD:
            return value
        try:
            value = json.loads(text)
        except (ValueError, RecursionError):
            pass  # the general path says what is wrong
        else:
            return _unicode(value, text)
    return _parse_postman(text, max_depth)


def _parse_postman(text: str, max_depth: int) -> Any:
    """The general path: comments blanked, bare slots quoted, parsed, slots converted."""
    prepared = _prepare(text)
    try:
        value = json.loads(prepared)
    except json.JSONDecodeError as err:
        raise JsonTextError(err.msg, err.lineno, err.colno) from err
    except RecursionError as err:
        raise JsonTextError(f"nested deeper than {max_depth} levels", 1, 1) from err
    except ValueError as err:  # an integer of more digits than Python reads
        raise JsonTextError("a number has too many digits to read", 1, 1) from err
    return _convert(_unicode(value, prepared), max_depth)


def _unicode(value: Any, text: str) -> Any:
    if lone_surrogate(value, text) is not None:
        raise JsonTextError("a string holds half a surrogate pair (such as \\ud800)", 1, 1)
    return value


def _slot(text: str) -> Placeholder | None:
    if text.startswith(_UNQUOTED):
        return Placeholder(text[len(_UNQUOTED) :], quoted=False)
    if text[:1] == "<":
        return type_slot(text)
    name = whole_placeholder(text)
    return None if name is None else Placeholder(name, quoted=True)


def _convert(root: Any, max_depth: int) -> Any:
    """Replace slot strings by placeholders, iteratively, enforcing ``max_depth``."""
    if isinstance(root, str):
        return _slot(root) or root
    if not isinstance(root, (dict, list)):
        return root
    stack: list[tuple[Any, int]] = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > max_depth:
            raise JsonTextError(f"nested deeper than {max_depth} levels", 1, 1)
        keys = node.keys() if isinstance(node, dict) else range(len(node))
        for key in keys:
            child = node[key]
            if isinstance(child, str):
                if "{{" in child or child[:1] == "<" or child.startswith(_UNQUOTED):
                    slot = _slot(child)
                    if slot is not None:
                        node[key] = slot
            elif isinstance(child, (dict, list)):
                stack.append((child, depth + 1))
    return root
