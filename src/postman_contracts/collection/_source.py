"""Read a JSON document from disk (or take a mapping) with located, friendly errors.

Why it exists: a user who points the tool at the wrong file, a truncated download, a UTF-16
export or a 2 GB log must get one line naming the file and the place, not a traceback. This
module owns that boundary for collections, environments and contracts files alike.
"""

from __future__ import annotations

import codecs
import contextlib
import json
import os
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from postman_contracts._errors import CollectionError
from postman_contracts.collection._pointer import escape_token

__all__ = [
    "Limits",
    "lone_surrogate",
    "parse_document",
    "read_json_document",
    "read_json_pieces",
    "read_json_text",
]

_MiB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """Bounds on what the loader accepts; each is refused with a clear error, not exhausted.

    Attributes:
        max_file_bytes: largest file read (default 200 MiB).
        max_depth: deepest nesting of folders, and of JSON inside a body.
        max_items: most items (requests and folders) in one collection.
        max_body_bytes: largest single body, in UTF-8 bytes (a request's raw text or an
            example's body, JSON or not).
    """

    max_file_bytes: int = 200 * _MiB
    max_depth: int = 200
    max_items: int = 200_000
    max_body_bytes: int = 64 * _MiB


def _position(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def _decode(data: bytes, file: str) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise CollectionError("the file is UTF-16; save it as UTF-8", file=file)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        prefix = data[: err.start].decode("utf-8", "replace")
        line, column = _position(prefix, len(prefix))
        raise CollectionError(
            f"not valid UTF-8 (byte 0x{data[err.start]:02x} at offset {err.start})",
            file=file,
            line=line,
            column=column,
        ) from err


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def lone_surrogate(value: Any, text: str, start: int = 0, end: int | None = None) -> str | None:
    """The JSON pointer of a string of ``value`` holding half a surrogate pair, if any.

    JSON may spell ``"\\ud800"``, which is no Unicode text: nothing could write it as UTF-8
    later. Only a value whose ``text`` (or ``text[start:end]``, where it was decoded from) has
    such an escape is searched.
    """
    if not _SURROGATE_ESCAPE.search(text, start, len(text) if end is None else end):
        return None
    stack: list[tuple[Any, str]] = [(value, "#")]
    while stack:
        node, pointer = stack.pop()
        if isinstance(node, str):
            if not _is_unicode(node):
                return pointer
        elif isinstance(node, dict):
            for key, child in node.items():
                if not _is_unicode(key):
                    return pointer  # the key itself cannot be shown
                stack.append((child, f"{pointer}/{escape_token(key)}"))
        elif isinstance(node, list):
            stack.extend((child, f"{pointer}/{i}") for i, child in enumerate(node))
    return None


def _is_unicode(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _max_digits() -> str:
    limit = getattr(sys, "get_int_max_str_digits", lambda: 4300)()
    return f"{limit:,}"


def parse_document(text: str, file: str) -> Any:
    """Parse JSON text, turning every failure into a located :class:`CollectionError`."""
    if not text.strip():
        raise CollectionError("the file is empty; expected a Postman collection (JSON)", file=file)
    try:
        value = json.loads(text)
    except json.JSONDecodeError as err:
        raise CollectionError(
            f"not JSON: {err.msg}", file=file, line=err.lineno, column=err.colno
        ) from err
    except RecursionError as err:
        raise CollectionError(
            "JSON nested too deeply to read (over about 900 levels)", file=file
        ) from err
    except ValueError as err:  # json.loads refuses integers of more digits than Python reads
        raise CollectionError(
            f"not JSON this tool can read: a number has over {_max_digits()} digits", file=file
        ) from err
    pointer = lone_surrogate(value, text)
    if pointer is not None:
        raise CollectionError(
            "not valid Unicode: a string holds half a surrogate pair (such as \\ud800)",
            file=file,
            pointer=pointer,
        )
    return value


def read_json_document(
    source: str | os.PathLike[str], *, limits: Limits, what: str = "collection"
) -> tuple[Any, str]:
    """Read and parse a JSON file; return the value and the file name used in messages."""
    text, file = read_json_text(source, limits=limits, what=what)
    return parse_document(text, file), file


def read_json_text(
    source: str | os.PathLike[str], *, limits: Limits, what: str = "collection"
) -> tuple[str, str]:
    """Read a JSON file's text (size bounded, UTF-8); return it and the file name for messages.

    The bytes are dropped once decoded: a large file's text is all that stays alive.
    """
    path, file = _checked(source, limits, what)
    with _reading(file, what):
        data = path.read_bytes()
    return _decode(data, file), file


_PIECE_BYTES = _MiB


def read_json_pieces(
    source: str | os.PathLike[str], *, limits: Limits, what: str = "collection"
) -> tuple[TextPieces, str]:
    """A JSON file's text in pieces of a megabyte, and the file name for messages.

    The same checks as :func:`read_json_text` come first (the file exists, is not too
    large). A piece that is not UTF-8 (or a UTF-16 file) ends the pieces with
    :class:`ValueError`: :func:`read_json_text` then says exactly what is wrong, and where.
    """
    path, file = _checked(source, limits, what)
    with _reading(file, what):
        return TextPieces(path.open("rb")), file


class TextPieces:
    """An open file's UTF-8 text, a megabyte per ``next``; :meth:`close` when done."""

    def __init__(self, handle: BinaryIO) -> None:
        self._handle = handle
        self._decoder = codecs.getincrementaldecoder("utf-8")()
        self._started = self._ended = False

    def __iter__(self) -> TextPieces:
        return self

    def __next__(self) -> str:
        if self._ended:
            raise StopIteration
        data = self._handle.read(_PIECE_BYTES)
        if not self._started:
            self._started = True
            if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
                raise ValueError("the file is UTF-16")
            if data.startswith(b"\xef\xbb\xbf"):
                data = data[3:]
        if not data:
            self._ended = True
        return self._decoder.decode(data, final=self._ended)

    def close(self) -> None:
        """Close the file."""
        self._handle.close()


def _checked(source: str | os.PathLike[str], limits: Limits, what: str) -> tuple[Path, str]:
    path = Path(source)
    file = str(source)
    with _reading(file, what):
        size = path.stat().st_size
    if size > limits.max_file_bytes:
        raise CollectionError(
            f"the file is {size:,} bytes, over the limit of {limits.max_file_bytes:,}", file=file
        )
    return path, file


@contextlib.contextmanager
def _reading(file: str, what: str) -> Iterator[None]:
    try:
        yield
    except FileNotFoundError as err:
        raise CollectionError(f"no such {what} file", file=file) from err
    except IsADirectoryError as err:
        raise CollectionError(f"is a directory, not a {what} file", file=file) from err
    except OSError as err:
        raise CollectionError(f"cannot read the {what} file: {err.strerror}", file=file) from err
