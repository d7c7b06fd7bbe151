"""Stable, unique operation ids.

Why it exists: contracts are files named after operations and users select operations by id
(``--contracts-select 'bulk-write/*'``), so an id must be the same on every run and machine,
unique within a collection, readable, and safe as a path segment on Linux, macOS and Windows
whatever the item is called (``../../etc/passwd``, ``CON``, ``a/b``, 300 emoji).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable

__all__ = ["IdAllocator", "slug"]

_MAX_SEGMENT = 64
_NON_WORD = re.compile(r"[^\w]+|_+")
# Names Windows reserves whatever the extension.
_RESERVED = frozenset(
    {"con", "prn", "aux", "nul"} | {f"com{i}" for i in range(10)} | {f"lpt{i}" for i in range(10)}
)


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:8]


def slug(name: str) -> str:
    """Turn a folder or item name into one lower-case path segment.

    Letters and digits of any script are kept (NFKC-normalised, lower-cased); every other run
    of characters becomes ``-``. A name with no letters or digits (``🚀``, ``...``) becomes
    ``item-<hash>``; a long one is cut and given a hash suffix so distinct names stay distinct.
    """
    text = unicodedata.normalize("NFKC", name).lower()
    base = _NON_WORD.sub("-", text).strip("-")
    if not base:
        return f"item-{_digest(name)}"
    if len(base) > _MAX_SEGMENT:
        base = base[: _MAX_SEGMENT - 9].rstrip("-") + "-" + _digest(name)
    if base in _RESERVED:
        base += "-item"
    return base


class IdAllocator:
    """Hands out ids in file order, adding ``-2``, ``-3``... when a slug repeats."""

    def __init__(self) -> None:
        self._taken: set[str] = set()

    def allocate(self, folders: Iterable[str], name: str) -> str:
        """Return the id for an item ``name`` under the folder path ``folders``."""
        candidate = "/".join([*(slug(f) for f in folders), slug(name)])
        unique, n = candidate, 1
        while unique in self._taken:
            n += 1
            unique = f"{candidate}-{n}"
        self._taken.add(unique)
        return unique
