"""Media types: the one parser and comparison of ``Content-Type`` values.

Why it exists: the request policy, the response checks, the generators and the sender all ask
what a ``Content-Type`` says (``application/json; charset=utf-8``), whether two of them are the
same media type, and whether a body is JSON, XML, a form or text. Each used to split on ``;``
and look for ``"json"`` in its own way. The rules, from RFC 9110 section 8.3.1 and RFC 6839:

* type and subtype are case-insensitive; parameters (``charset``, ``boundary``) do not change
  the media type;
* a ``+json`` or ``+xml`` structured-syntax suffix is JSON or XML
  (``application/problem+json`` is JSON), yet a *different* media type from
  ``application/json``: :func:`same_media_type` compares type and subtype;
* ``text/xml`` and ``application/xml`` are XML; ``application/x-www-form-urlencoded`` and
  ``multipart/form-data`` are forms; any other ``text/*`` is text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final

__all__ = ["MediaType", "media_kind", "parse_media_type", "same_media_type"]

URLENCODED: Final = "application/x-www-form-urlencoded"
MULTIPART: Final = "multipart/form-data"


@dataclass(frozen=True)
class MediaType:
    """A parsed media type.

    Attributes:
        type: the top-level type, lower-case (``application``), or ``""`` when unparseable.
        subtype: the subtype, lower-case (``problem+json``).
        params: the parameters, names lower-case, values unquoted.
    """

    type: str
    subtype: str
    params: dict[str, str] = field(default_factory=dict, compare=False, hash=False)

    @property
    def essence(self) -> str:
        """``type/subtype`` without parameters, or ``""`` when unparseable."""
        return f"{self.type}/{self.subtype}" if self.type and self.subtype else ""

    def admits(self, other: MediaType) -> bool:
        """Whether ``other`` is within this media type or range (``*/*``, ``image/*``), as an
        HTTP media range admits it (RFC 9110, 12.5.1)."""
        if self.type == "*":
            return bool(other.essence)
        if self.subtype == "*":
            return other.type == self.type
        return bool(self.essence) and self.essence == other.essence

    @property
    def kind(self) -> str:
        """``json``, ``xml``, ``form``, ``multipart``, ``text``, ``binary`` or ``""`` (none)."""
        essence = self.essence
        if not essence:
            return ""
        subtype = self.subtype
        if subtype == "json" or subtype.endswith(("+json", "-json")):
            return "json"
        if subtype == "xml" or subtype.endswith("+xml"):
            return "xml"
        if essence == URLENCODED:
            return "form"
        if essence == MULTIPART:
            return "multipart"
        if self.type == "text" or subtype in ("javascript", "graphql"):
            return "text"
        return "binary"


def parse_media_type(value: str | None) -> MediaType:
    """``value`` (a Content-Type header) parsed; ``MediaType("", "")`` for none or nonsense."""
    if not value:
        return MediaType("", "")
    head, *rest = value.split(";")
    kind, slash, sub = head.strip().lower().partition("/")
    if not slash or not kind or not sub or " " in kind or " " in sub:
        return MediaType("", "")
    params: dict[str, str] = {}
    for raw in rest:
        name, eq, val = raw.strip().partition("=")
        if eq and name.strip():
            params[name.strip().lower()] = val.strip().strip('"')
    return MediaType(kind, sub, params)


def media_kind(value: str | None) -> str:
    """:attr:`MediaType.kind` of ``value``."""
    return parse_media_type(value).kind


def same_media_type(a: str | None, b: str | None) -> bool:
    """Whether two Content-Type values name the same media type (type and subtype, ignoring
    case and parameters). Two unparseable values are not the same."""
    left, right = parse_media_type(a).essence, parse_media_type(b).essence
    return bool(left) and left == right
