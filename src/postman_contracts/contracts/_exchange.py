"""One HTTP exchange (request sent, response received) as plain data.

Why it exists: the server-side plugin (over HTTP with ``requests``), the client-side fixture
(through ``responses``) and the mock (WSGI) all check the same thing, so checks take this one
library-neutral shape rather than any client library's objects.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

__all__ = ["Exchange", "HttpRequest", "HttpResponse", "RequestSpec"]


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
        return (self.header("Content-Type") or "").split(";")[0].strip().lower()

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
        body: the JSON body, or ``None``.
        raw_body: bytes to send instead of ``body`` (malformed-input tests), or ``None``.
        credentials: whether to attach the configured credentials.
    """

    method: str
    path: str
    query: tuple[tuple[str, str], ...] = ()
    headers: tuple[tuple[str, str], ...] = ()
    body: Any = None
    raw_body: bytes | None = None
    credentials: bool = True

    def encoded_body(self) -> bytes:
        """The body bytes as they go on the wire."""
        if self.raw_body is not None:
            return self.raw_body
        if self.body is None:
            return b""
        return json.dumps(self.body, ensure_ascii=False).encode("utf-8")
