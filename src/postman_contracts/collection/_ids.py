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
# File systems limit a name to 255 bytes; a segment also gets "-N" and ".json" appended
# (overrides/<id>.json), and 64 characters of a 4-byte script would be 256 bytes.
_MAX_SEGMENT_BYTES = 200
# contracts/_files.py keeps hand edits in <dir>/overrides/; no operation's files may land there.
_RESERVED_TOP = frozenset({"overrides"})
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
    if len(base) > _MAX_SEGMENT or len(base.encode("utf-8")) > _MAX_SEGMENT_BYTES:
        cut = base[: _MAX_SEGMENT - 9]
        while len(cut.encode("utf-8")) > _MAX_SEGMENT_BYTES - 9:
            cut = cut[:-1]
        base = cut.rstrip("-") + "-" + _digest(name)
    if base in _RESERVED:
        base += "-item"
    return base


def _folds(path: str) -> set[str]:
    """The forms under which case-insensitive file systems may see ``path`` as one name.

    Ids are lower case already, but ``ς`` and ``σ`` (or ``ı`` and ``i``) are distinct lower-case
    text that Windows (simple upper-casing) or macOS (case folding, normalisation) confuse.
    """
    return {
        unicodedata.normalize("NFD", form) for form in (path.casefold(), path.upper().casefold())
    }


class IdAllocator:
    """Hands out ids in file order, adding ``-2``, ``-3``... when a slug repeats.

    Two ids are never equal as text, nor when compared case-insensitively the way Windows and
    macOS compare file names, so their contract files cannot overwrite each other there.
    """

    def __init__(self) -> None:
        self._taken: set[str] = set()
        # The last suffix tried per candidate: 200,000 items all named "New Request" must not
        # take 200,000² steps.
        self._last: dict[str, int] = {}

    def allocate(self, folders: Iterable[str], name: str) -> str:
        """Return the id for an item ``name`` under the folder path ``folders``."""
        segments = [*(slug(f) for f in folders), slug(name)]
        if segments[0] in _RESERVED_TOP:
            segments[0] += "-item"
        candidate = "/".join(segments)
        n = self._last.get(candidate, 1)
        unique = candidate if n == 1 else f"{candidate}-{n}"
        while not self._taken.isdisjoint(_folds(unique)):
            n += 1
            unique = f"{candidate}-{n}"
        self._last[candidate] = n
        self._taken |= _folds(unique)
        return unique
