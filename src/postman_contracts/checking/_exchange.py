"""One HTTP exchange (request sent, response received) as plain data.

Why it exists: the server-side plugin (over HTTP with ``requests``), the client-side fixture
(through ``responses``) and the mock (WSGI) all check the same thing, so checks take this one
library-neutral shape rather than any client library's objects.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode, urlsplit

from postman_contracts.collection import MULTIPART, URLENCODED, parse_media_type
from postman_contracts.contracts import as_text

__all__ = ["Exchange", "HttpRequest", "HttpResponse", "RequestSpec", "form_pairs"]


def _header(headers: tuple[tuple[str, str], ...], name: str) -> str | None:
    lowered = name.lower()
    return next((v for k, v in headers if k.lower() == lowered), None)


@dataclass(frozen=True)
class HttpRequest:
    """A request as sent: method, full URL, headers and body bytes."""

    method: str
    url: str
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""

    def header(self, name: str) -> str | None:
        """The first header called ``name`` (case-insensitive), or ``None``."""
        return _header(self.headers, name)

    @property
    def path(self) -> str:
        """The URL's path."""
        return urlsplit(self.url).path or "/"

    @property
    def query(self) -> str:
        """The URL's query string."""
        return urlsplit(self.url).query


@dataclass(frozen=True)
class HttpResponse:
    """A response as received: status, headers and body bytes."""

    status: int
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""
    _json: list[Any] = field(default_factory=list, compare=False, repr=False)

    def header(self, name: str) -> str | None:
        """The first header called ``name`` (case-insensitive), or ``None``."""
        return _header(self.headers, name)

    @property
    def content_type(self) -> str:
        """The media type without parameters, lower-case (``application/json``)."""
        return parse_media_type(self.header("Content-Type")).essence

    def json(self) -> Any:
        """The body parsed as JSON (cached); raises ``ValueError`` when it is not JSON."""
        if not self._json:
            self._json.append(json.loads(self.body.decode("utf-8")))
        return self._json[0]


@dataclass(frozen=True)
class Exchange:
    """A request and the response it got, with the operation it was meant for."""

    request: HttpRequest
    response: HttpResponse | None
    operation: str = ""
    item_path: str = ""
    note: str = ""


@dataclass(frozen=True)
class RequestSpec:
    """A request to send, relative to a base URL: what replay and generators produce.

    Attributes:
        method: the HTTP method.
        path: the path, parameters filled (``/crm/v2/Leads/actions/mass_update``).
        query: query parameters.
        headers: headers to send (credentials are added by the sender unless ``credentials``
            is false).
        body: the JSON body, or ``None``; for a form, an object of field names to values
            (a list for a repeated field, ``bytes`` for a file part).
        raw_body: bytes to send instead of ``body`` (malformed-input tests), or ``None``.
        credentials: whether to attach the configured credentials.
        form: ``""`` for a JSON body, ``urlencoded`` or ``multipart`` for a form ``body``
            (its values written as text: ``true``, ``10``).
    """

    method: str
    path: str
    query: tuple[tuple[str, str], ...] = ()
    headers: tuple[tuple[str, str], ...] = ()
    body: Any = None
    raw_body: bytes | None = None
    credentials: bool = True
    form: str = ""

    def encoded_body(self) -> bytes:
        """The body bytes as they go on the wire."""
        if self.raw_body is not None:
            return self.raw_body
        if self.body is None:
            return b""
        if self.form and isinstance(self.body, dict):
            pairs = form_pairs(self.body)
            if self.form == "multipart":
                return _multipart(pairs, _boundary(pairs))
            return urlencode([(k, _text(v)) for k, v in pairs]).encode("utf-8")
        return json.dumps(self.body, ensure_ascii=False).encode("utf-8")

    def content_type(self) -> str | None:
        """The Content-Type a form body must be sent with (a multipart one names its
        boundary), or ``None`` for any other body: its headers say."""
        if self.raw_body is not None or not self.form or not isinstance(self.body, dict):
            return None
        if self.form == "multipart":
            return f"{MULTIPART}; boundary={_boundary(form_pairs(self.body))}"
        return URLENCODED

    def wire_headers(self) -> dict[str, str]:
        """The headers as they go on the wire, credentials aside: a form's own Content-Type
        (:meth:`content_type`) in place of any documented one."""
        headers = dict(self.headers)
        form_type = self.content_type()
        if form_type is not None:
            headers = {k: v for k, v in headers.items() if k.lower() != "content-type"}
            headers["Content-Type"] = form_type
        return headers


def form_pairs(body: dict[str, Any]) -> list[tuple[str, Any]]:
    """A form body's fields in order, a repeated field (a list) as one pair per value."""
    out: list[tuple[str, Any]] = []
    for key, value in body.items():
        for one in value if isinstance(value, list) else [value]:
            out.append((str(key), one))
    return out


def _text(value: Any) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return as_text(value)


def _boundary(pairs: list[tuple[str, Any]]) -> str:
    """A boundary no part contains, derived from the content (the same body, the same bytes)."""
    seed = repr(pairs).encode("utf-8", "replace")
    contents = [v if isinstance(v, bytes) else _text(v).encode("utf-8") for _, v in pairs]
    contents += [k.encode("utf-8") for k, _ in pairs]
    n = 0
    while True:
        digest = hashlib.sha256(seed + b"#" * n).hexdigest()[:24]
        boundary = f"postman-contracts-{digest}"
        if not any(boundary.encode() in c for c in contents):
            return boundary
        n += 1


def _multipart(pairs: list[tuple[str, Any]], boundary: str) -> bytes:
    """RFC 7578 ``multipart/form-data``: ``bytes`` values as file parts, others as text."""
    out: list[bytes] = []
    for key, value in pairs:
        name = key.replace("\r", " ").replace("\n", " ").replace("\\", "\\\\").replace('"', '\\"')
        out.append(f"--{boundary}\r\n".encode())
        if isinstance(value, bytes):
            out.append(
                f'Content-Disposition: form-data; name="{name}"; filename="{name}"\r\n'
                "Content-Type: application/octet-stream\r\n\r\n".encode()
            )
            out.append(value)
        else:
            out.append(f'Content-Disposition: form-data; name="{name}"\r\n\r\n'.encode())
            out.append(_text(value).encode("utf-8"))
        out.append(b"\r\n")
    out.append(f"--{boundary}--\r\n".encode())
    return b"".join(out)
