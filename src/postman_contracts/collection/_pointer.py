"""JSON pointers (RFC 6901): the one escaping of reference tokens for every layer.

Why it exists: pointers locate bad input in a collection, name the changed field of an error
trigger, walk schemas and bodies. Six modules escaped ``~`` and ``/`` by hand, each a chance
to get the order wrong (``~1`` must be decoded before ``~0``). This is the lowest layer that
needs them, so every layer above imports them from here.
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["escape_token", "to_pointer", "unescape_token"]


def escape_token(key: str | int) -> str:
    """One reference token: ``~`` → ``~0``, ``/`` → ``~1`` (in that order)."""
    return str(key).replace("~", "~0").replace("/", "~1")


def unescape_token(token: str) -> str:
    """A reference token back to its key: ``~1`` → ``/``, then ``~0`` → ``~``."""
    return token.replace("~1", "/").replace("~0", "~")


def to_pointer(parts: Iterable[str | int]) -> str:
    """``["resource", 0, "file_id"]`` → ``/resource/0/file_id``."""
    return "".join("/" + escape_token(p) for p in parts)
