"""Tiny Postman collections for the parts of an exchange (issue 13): form bodies, query
parameters, request headers, response media types.

Each builder takes plain Python values and returns the Postman JSON, so a test can make two
collections that differ in exactly one field, parameter, header or media type.
"""

from __future__ import annotations

import json
from typing import Any

SCHEMA_V21 = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"

Field = tuple[str, str] | tuple[str, str, bool] | dict[str, Any]


def _part(field: Field) -> dict[str, Any]:
    if isinstance(field, dict):
        return field
    key, value, *rest = field
    out: dict[str, Any] = {"key": key, "value": value, "type": "text"}
    if rest and rest[0]:
        out["disabled"] = True
    return out


def form_request(
    fields: list[Field],
    *,
    mode: str = "urlencoded",
    method: str = "POST",
    path: str = "/things",
    query: list[Field] = (),  # type: ignore[assignment]
    headers: list[tuple[str, str] | tuple[str, str, bool]] = (),  # type: ignore[assignment]
) -> dict[str, Any]:
    """A request with a form body (``urlencoded`` or ``formdata``); ``(key, value, True)``
    is a disabled field."""
    req = plain_request(method, path, query=query, headers=headers)
    req["body"] = {"mode": mode, mode: [_part(f) for f in fields]}
    return req


def plain_request(
    method: str = "GET",
    path: str = "/things",
    *,
    query: list[Field] = (),  # type: ignore[assignment]
    headers: list[tuple[str, str] | tuple[str, str, bool]] = (),  # type: ignore[assignment]
    json_body: Any = None,
) -> dict[str, Any]:
    """A request on ``{{base}}``; query entries and headers as ``(key, value[, disabled])``."""
    q = [_part(f) for f in query]
    for entry in q:
        entry.pop("type", None)
    raw = "{{base}}" + path
    if q:
        raw += "?" + "&".join(f"{e['key']}={e['value']}" for e in q if not e.get("disabled"))
    url: dict[str, Any] = {"raw": raw, "host": ["{{base}}"], "path": path.split("/")[1:]}
    if q:
        url["query"] = q
    header = []
    for h in headers:
        key, value, *rest = h
        header.append(
            {"key": key, "value": value, **({"disabled": True} if rest and rest[0] else {})}
        )
    req: dict[str, Any] = {"method": method, "header": header, "url": url}
    if json_body is not None:
        header.append({"key": "Content-Type", "value": "application/json"})
        req["body"] = {"mode": "raw", "raw": json.dumps(json_body)}
    return req


def response(
    name: str,
    code: int,
    body: str | Any,
    original: dict[str, Any] | None = None,
    *,
    content_type: str | None = "application/json",
) -> dict[str, Any]:
    """A saved example; a ``str`` body is saved as written, anything else as JSON."""
    out: dict[str, Any] = {
        "name": name,
        "code": code,
        "status": "Status",
        "header": [{"key": "Content-Type", "value": content_type}] if content_type else [],
        "body": body if isinstance(body, str) else json.dumps(body),
    }
    if original is not None:
        out["originalRequest"] = original
    return out


def collection(*items: tuple[str, dict[str, Any], list[dict[str, Any]]]) -> dict[str, Any]:
    """A collection of ``(name, request, examples)`` items."""
    return {
        "info": {"name": "api", "schema": SCHEMA_V21},
        "item": [{"name": n, "request": r, "response": list(x)} for n, r, x in items],
        "variable": [{"key": "base", "value": "http://api.example.test"}],
    }
