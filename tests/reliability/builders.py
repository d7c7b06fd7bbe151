"""Small builders for synthetic collections, and the checks of portable file names.

The reliability tests make collections that no real API publishes (hostile names, huge bodies,
thousands of items); these helpers keep each test about what it breaks, not about Postman's
JSON layout.
"""

from __future__ import annotations

import json
import os
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import Any

SCHEMA_V21 = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"


def request_item(
    name: str,
    *,
    path: str = "/things",
    method: str = "POST",
    body: Any = None,
    response: Any = None,
    raw: str | None = None,
) -> dict[str, Any]:
    """An item with a JSON request body and one documented 200 JSON response."""
    raw_body = raw if raw is not None else json.dumps({"name": "x"} if body is None else body)
    reply = {"ok": True} if response is None else response
    return {
        "name": name,
        "request": {
            "method": method,
            "header": [{"key": "Content-Type", "value": "application/json"}],
            "body": {"mode": "raw", "raw": raw_body, "options": {"raw": {"language": "json"}}},
            "url": {"raw": "{{base}}" + path, "host": ["{{base}}"], "path": path.split("/")[1:]},
        },
        "response": [
            {
                "name": "OK",
                "code": 200,
                "status": "OK",
                "_postman_previewlanguage": "json",
                "header": [{"key": "Content-Type", "value": "application/json"}],
                "body": json.dumps(reply) if not isinstance(reply, str) else reply,
            }
        ],
    }


def folder(name: str, items: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """A folder of items."""
    return {"name": name, "item": list(items)}


def collection(
    items: Iterable[dict[str, Any]], name: str = "synthetic", **extra: Any
) -> dict[str, Any]:
    """A v2.1 collection of ``items``."""
    return {"info": {"name": name, "schema": SCHEMA_V21}, "item": list(items), **extra}


def write(path: Path, doc: Any) -> Path:
    """Write ``doc`` as JSON (non-ASCII kept) and return the path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def tree(root: Path) -> dict[str, bytes | None]:
    """Every path under ``root`` (hidden ones too): file bytes, or ``None`` for a directory."""
    out: dict[str, bytes | None] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for d in dirnames:
            out[os.path.relpath(os.path.join(dirpath, d), root)] = None
        for f in filenames:
            full = os.path.join(dirpath, f)
            out[os.path.relpath(full, root)] = Path(full).read_bytes()
    return out


# -- portable names ---------------------------------------------------------------------------

_WINDOWS_RESERVED = re.compile(
    r"^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$|clock\$)(\.|$)", re.IGNORECASE
)
_FORBIDDEN = frozenset('<>:"\\|?*') | {chr(i) for i in range(32)} | {"\x7f"}


def segment_problems(segment: str) -> list[str]:
    """Why a file or directory name is not valid on Linux, macOS and Windows alike."""
    problems = []
    if segment in ("", ".", ".."):
        problems.append("empty or a dot name")
    if _WINDOWS_RESERVED.match(segment):
        problems.append("reserved on Windows")
    if set(segment) & _FORBIDDEN:
        problems.append("a character Windows or macOS forbids")
    if segment.endswith((".", " ")):
        problems.append("a trailing dot or space (Windows drops it)")
    try:
        size = len(segment.encode("utf-8"))
    except UnicodeEncodeError:
        problems.append("not Unicode text")
    else:
        if size > 255:
            problems.append(f"{size} bytes, over 255")
    return problems


def folds(path: str) -> set[str]:
    """The forms under which a case-insensitive file system may take two paths for one."""
    return {unicodedata.normalize("NFD", f) for f in (path.casefold(), path.upper().casefold())}


def case_clashes(paths: Iterable[str]) -> list[tuple[str, str]]:
    """Pairs of distinct paths that Windows or macOS would take for the same path."""
    seen: dict[str, str] = {}
    clashes = []
    for path in paths:
        for key in folds(path):
            other = seen.setdefault(key, path)
            if other != path:
                clashes.append((other, path))
    return clashes
