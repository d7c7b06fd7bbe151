"""Small collections written in the tests, as dicts, for the diff's tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from postman_contracts.contracts import Change, diff_contracts, open_contracts

SCHEMA = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"
JSON = [{"key": "Content-Type", "value": "application/json"}]


def request(
    method: str,
    url: str,
    body: Any = None,
    *,
    raw: str | None = None,
    query: list[dict[str, Any]] | None = None,
    content_type: str = "application/json",
) -> dict[str, Any]:
    """A request; ``raw`` is a body text as written (unquoted ``{{n}}`` and all)."""
    out: dict[str, Any] = {"method": method, "url": {"raw": url}, "header": []}
    if query is not None:
        out["url"]["query"] = query
    if body is not None or raw is not None:
        out["header"] = [{"key": "Content-Type", "value": content_type}]
        out["body"] = {"mode": "raw", "raw": raw if raw is not None else json.dumps(body)}
    return out


def example(
    name: str,
    status: int | None,
    body: Any,
    req: dict[str, Any] | None = None,
    *,
    content_type: str = "application/json",
) -> dict[str, Any]:
    """A saved example; ``status=None`` saves it without a code."""
    out: dict[str, Any] = {
        "name": name,
        "header": [{"key": "Content-Type", "value": content_type}],
        "body": body if isinstance(body, str) else json.dumps(body),
    }
    if status is not None:
        out["code"] = status
    if req is not None:
        out["originalRequest"] = req
    return out


def item(name: str, req: dict[str, Any], *examples: dict[str, Any]) -> dict[str, Any]:
    """An item with its request and saved examples."""
    return {"name": name, "request": req, "response": list(examples)}


def folder(name: str, *items: dict[str, Any]) -> dict[str, Any]:
    """A folder of items."""
    return {"name": name, "item": list(items)}


def collection(*items: dict[str, Any], auth: dict[str, Any] | None = None) -> dict[str, Any]:
    """A v2.1 collection."""
    doc: dict[str, Any] = {"info": {"name": "t", "schema": SCHEMA}, "item": list(items)}
    if auth is not None:
        doc["auth"] = auth
    return doc


def write(tmp_path: Path, name: str, doc: dict[str, Any]) -> Path:
    """``doc`` as a collection file in ``tmp_path``."""
    path = tmp_path / f"{name}.postman_collection.json"
    path.write_text(json.dumps(doc))
    return path


def diff(tmp_path: Path, old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    """The changes from ``old`` to ``new``, both inferred from collection files."""
    return diff_contracts(
        open_contracts(write(tmp_path, "old", old)), open_contracts(write(tmp_path, "new", new))
    )


def api(changes: list[Change]) -> list[tuple[str, str, list[str]]]:
    """The API changes only: (kind, where, who it breaks)."""
    return [(c.kind, c.where, sorted(c.breaks)) for c in changes if c.api]
