"""Walk a JSON text one object member or array element at a time, decoding the rest whole.

Why it exists: a collection can be hundreds of megabytes, and ``json.loads`` turns it into a
tree of Python objects several times that size, alive together with the model built from it.
:class:`JsonReader` lets the loader walk only the containers that hold many items (the
collection, its folders and their ``item`` arrays) key by key and element by element, while
every other value is decoded whole by the standard library's C scanner, so that each item's
JSON can be dropped as soon as it is converted. It accepts exactly what ``json.loads`` accepts,
and decodes every value the same way. On anything else (bad syntax, a lone surrogate, a number
of too many digits, nesting too deep) it raises :class:`Unstreamable`: the caller then reads
the document whole, which reports the problem exactly as it always has.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from postman_contracts.collection._source import lone_surrogate

__all__ = ["JsonReader", "Unstreamable"]

_WHITESPACE = re.compile(r"[ \t\n\r]*")  # JSON's, as json.loads skips it


class Unstreamable(Exception):
    """The text cannot be walked this way (it may not even be JSON): read it whole instead."""


class JsonReader:
    """A position in a JSON text, and ways to read on from it.

    :meth:`members` and :meth:`elements` walk an object or an array; the caller reads each
    member's or element's value (with :meth:`value`, or by walking it in turn) before asking
    for the next one.
    """

    __slots__ = ("_decoder", "pos", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self._decoder = json.JSONDecoder()  # as json.loads decodes: C scanner, strict strings

    def peek(self) -> str:
        """The next character after whitespace (``""`` at the end), without consuming it."""
        match = _WHITESPACE.match(self.text, self.pos)
        assert match is not None  # the pattern matches the empty string
        self.pos = match.end()
        return self.text[self.pos : self.pos + 1]

    def value(self) -> Any:
        """Decode the value at the current position whole, and move past it."""
        self.peek()
        start = self.pos
        try:
            value, end = self._decoder.raw_decode(self.text, start)
        except (ValueError, RecursionError) as err:  # JSONDecodeError, or too many digits
            raise Unstreamable from err
        if lone_surrogate(value, self.text, start, end) is not None:
            raise Unstreamable
        self.pos = end
        return value

    def members(self) -> Iterator[str]:
        """The keys of the object at the current position, each yielded at its value."""
        self._consume("{")
        if self.peek() == "}":
            self.pos += 1
            return
        while True:
            if self.peek() != '"':
                raise Unstreamable
            key: str = self.value()
            self._consume(":")
            self.peek()
            yield key
            if self._closed_by("}"):
                return

    def elements(self) -> Iterator[int]:
        """The indices of the array at the current position, each yielded at its element."""
        self._consume("[")
        if self.peek() == "]":
            self.pos += 1
            return
        index = 0
        while True:
            self.peek()
            yield index
            if self._closed_by("]"):
                return
            index += 1

    def end(self) -> None:
        """Check that nothing but whitespace follows."""
        if self.peek():
            raise Unstreamable

    def _consume(self, char: str) -> None:
        if self.peek() != char:
            raise Unstreamable
        self.pos += 1

    def _closed_by(self, close: str) -> bool:
        """After a member or element: true at the container's end, false after a comma."""
        char = self.peek()
        self.pos += 1
        if char == close:
            return True
        if char != ",":
            raise Unstreamable
        return False
