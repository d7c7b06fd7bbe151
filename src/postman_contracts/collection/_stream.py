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

    The text is a string, or an iterator of pieces of it (a file read a few megabytes at a
    time): then only a window of it is held, from the current position (or the last
    :meth:`mark`) on, and a value cut by the window's end is decoded again once the window
    reaches further. A 500 MB collection is never in memory beside the model made from it.
    """

    __slots__ = ("_decoder", "_end", "_mark", "_pieces", "base", "i", "text")

    def __init__(self, text: str | Iterator[str]) -> None:
        self._pieces: Iterator[str] = iter(()) if isinstance(text, str) else text
        self.text = text if isinstance(text, str) else ""
        self._end = isinstance(text, str)
        self.base = 0  # where in the whole text the window ``text`` starts
        self.i = 0  # the position, in the window
        self._mark: int | None = None  # a position to come back to, kept in the window
        self._decoder = json.JSONDecoder()  # as json.loads decodes: C scanner, strict strings

    @property
    def pos(self) -> int:
        """The position in the whole text."""
        return self.base + self.i

    def mark(self) -> int:
        """Keep the current position in the window, to :meth:`rewind` to it later."""
        self._mark = self.pos
        return self._mark

    def rewind(self, mark: int) -> None:
        """Go back to the position :meth:`mark` returned."""
        assert self._mark == mark  # the window has kept it
        self.i = mark - self.base

    def release(self) -> None:
        """Let the window move past the mark."""
        self._mark = None

    def _more(self, want: int = 1) -> bool:
        """Read pieces until ``want`` characters from the position are in the window; false
        when the text ends first. What is behind the position (or the mark) is dropped."""
        keep = self.i if self._mark is None else min(self.i, self._mark - self.base)
        pieces = [self.text[keep:]]
        size = len(pieces[0]) - (self.i - keep)
        while size < want and not self._end:
            try:
                piece = next(self._pieces, None)
            except ValueError as err:  # not UTF-8, say: reading it whole says where
                raise Unstreamable from err
            if piece is None:
                self._end = True
            else:
                pieces.append(piece)
                size += len(piece)
        if len(pieces) == 1:
            return False
        self.text = "".join(pieces)
        self.base += keep
        self.i -= keep
        return True

    def peek(self) -> str:
        """The next character after whitespace (``""`` at the end), without consuming it."""
        while True:
            match = _WHITESPACE.match(self.text, self.i)
            assert match is not None  # the pattern matches the empty string
            self.i = match.end()
            if self.i < len(self.text) or not self._more():
                return self.text[self.i : self.i + 1]

    def value(self) -> Any:
        """Decode the value at the current position whole, and move past it."""
        self.peek()
        while True:
            start, text = self.i, self.text
            try:
                value, end = self._decoder.raw_decode(text, start)
            except (ValueError, RecursionError) as err:  # JSONDecodeError, or too many digits
                # Perhaps only cut by the window's end: read on (twice as far each time, so a
                # large value is decoded a few times at most), else it is not JSON.
                if self._more(2 * (len(text) - start) + 1):
                    continue
                raise Unstreamable from err
            if end == len(text) and self._more(2 * (end - start) + 1):
                continue  # a number or a literal may go on past the window
            break
        if lone_surrogate(value, text, start, end) is not None:
            raise Unstreamable
        self.i = end
        return value

    def members(self) -> Iterator[str]:
        """The keys of the object at the current position, each yielded at its value."""
        self._consume("{")
        if self.peek() == "}":
            self.i += 1
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
            self.i += 1
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
        self.i += 1

    def _closed_by(self, close: str) -> bool:
        """After a member or element: true at the container's end, false after a comma."""
        char = self.peek()
        self.i += 1
        if char == close:
            return True
        if char != ",":
            raise Unstreamable
        return False
