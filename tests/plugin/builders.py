"""Small synthetic collections for the server-check policies, and plain servers to check.

Why it exists: the false failures of issue 12 come from collections shaped as Postman's
OpenAPI converter and hand-written collections shape them (an example without a status, two
examples of one request, errors documented on one operation only). Each test here builds the
smallest such collection and a plain WSGI server that behaves as a correct server of that API
may, and runs the plugin on them through pytester.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

SCHEMA_V21 = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"

StartResponse = Callable[..., Any]


def url(path: str, query: Iterable[tuple[str, str]] = ()) -> dict[str, Any]:
    """A Postman URL on ``{{base}}``."""
    q = list(query)
    raw = "{{base}}" + path + ("?" + "&".join(f"{k}={v}" for k, v in q) if q else "")
    out: dict[str, Any] = {"raw": raw, "host": ["{{base}}"], "path": path.split("/")[1:]}
    if q:
        out["query"] = [{"key": k, "value": v} for k, v in q]
    return out


def request(
    method: str = "POST",
    path: str = "/things",
    body: Any = None,
    *,
    headers: Iterable[tuple[str, str]] = (),
    query: Iterable[tuple[str, str]] = (),
    auth: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A Postman request; a JSON ``body`` is sent raw with its Content-Type."""
    out: dict[str, Any] = {
        "method": method,
        "header": [{"key": k, "value": v} for k, v in headers],
        "url": url(path, query),
    }
    if body is not None:
        out["header"].append({"key": "Content-Type", "value": "application/json"})
        out["body"] = {
            "mode": "raw",
            "raw": json.dumps(body),
            "options": {"raw": {"language": "json"}},
        }
    if auth is not None:
        out["auth"] = auth
    return out


def example(
    name: str, code: int | None, body: Any, original: dict[str, Any] | None = None
) -> dict[str, Any]:
    """A saved example; ``code=None`` is what the converter makes of a ``default`` response."""
    out: dict[str, Any] = {
        "name": name,
        "_postman_previewlanguage": "json",
        "header": [{"key": "Content-Type", "value": "application/json"}],
        "body": json.dumps(body),
    }
    if code is not None:
        out["code"] = code
        out["status"] = "Status"
    if original is not None:
        out["originalRequest"] = original
    return out


def item(name: str, req: dict[str, Any], *examples: dict[str, Any]) -> dict[str, Any]:
    """An item with its request and saved examples."""
    return {"name": name, "request": req, "response": list(examples)}


def write(directory: Path, *items: dict[str, Any], auth: dict[str, Any] | None = None) -> str:
    """The collection as ``api.postman_collection.json`` in ``directory``; its file name."""
    doc: dict[str, Any] = {
        "info": {"name": "api", "schema": SCHEMA_V21},
        "item": list(items),
        "variable": [{"key": "base", "value": "http://api.example.test"}],
    }
    if auth is not None:
        doc["auth"] = auth
    return write_doc(directory, doc)


def write_doc(directory: Path, doc: dict[str, Any]) -> str:
    """A whole collection document as ``api.postman_collection.json`` in ``directory``; its
    file name."""
    name = "api.postman_collection.json"
    (directory / name).write_text(json.dumps(doc), encoding="utf-8")
    return name


def bearer(token: str = "{{token}}") -> dict[str, Any]:
    """Postman's bearer auth block."""
    return {"type": "bearer", "bearer": [{"key": "token", "value": token, "type": "string"}]}


class Server:
    """A WSGI server answering ``(method, path) -> (status, content type, body)``.

    ``answer(method, path, headers, body)`` decides; every request is kept in ``seen``.
    """

    def __init__(
        self, answer: Callable[[str, str, dict[str, str], bytes], tuple[int, str, Any]]
    ) -> None:
        self.answer = answer
        self.seen: list[tuple[str, str, dict[str, str], bytes]] = []

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> list[bytes]:
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length > 0 else b""
        headers = {
            k[5:].replace("_", "-").lower(): v for k, v in environ.items() if k[:5] == "HTTP_"
        }
        path = environ.get("PATH_INFO", "/")
        if environ.get("QUERY_STRING"):
            path += "?" + environ["QUERY_STRING"]
        self.seen.append((environ["REQUEST_METHOD"], path, headers, body))
        status, content_type, payload = self.answer(environ["REQUEST_METHOD"], path, headers, body)
        data = payload if isinstance(payload, bytes) else json.dumps(payload).encode("utf-8")
        start_response(
            f"{status} X", [("Content-Type", content_type), ("Content-Length", str(len(data)))]
        )
        return [data]


def problem(status: int, title: str) -> tuple[int, str, Any]:
    """An RFC 9457 problem document, as frameworks and spec-driven mocks answer."""
    return status, "application/problem+json", {"type": "about:blank", "title": title}
