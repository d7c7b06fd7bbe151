"""Routing keys: what tells apart operations that share a method and a path.

Why it exists: SOAP services document every action as ``POST`` on one URL, GraphQL serves
every operation on one URL, and RPC endpoints pick the procedure by a member of the body.
Method and path then name several operations, and the mocks, the generators and the OpenAPI
export need to know which one a request is. The documentation says it only by what *differs*
between those operations' documented requests, so a key is computed per route from the
collection, never assumed. The kinds, in the order tried:

1. ``soap-action``: the ``SOAPAction`` header (SOAP 1.1);
2. ``media-action``: the ``action`` parameter of the Content-Type (SOAP 1.2,
   ``application/soap+xml; action=...``);
3. ``soap-body``: the first child element of the ``Body`` of a SOAP envelope;
4. ``xml-root``: the root element of any other XML body (namespace included);
5. ``graphql``: the operation name (``operationName``, else the name the document gives its
   operation, ``query Foo``, else its first top-level field);
6. ``json``: a top-level member of a JSON body that names a procedure (``action``,
   ``method``, ``operation``, ``command``...: :data:`_PROCEDURE_MEMBERS`) holding one
   name-like text per operation. Only such members: items that differ in any other value
   (a currency, a payment method's ``type``, an account type) are most often variants of one
   operation, and routing by that value would leave every other value unroutable.

The first kind every operation of the route shows, and that splits them (any two operations
show the same values or none in common, and some two differ), is the key. When none does, the
operations are variants of one, and a request may be answered as any of them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any
from xml.etree import ElementTree

from postman_contracts.collection import Placeholder, escape_token, parse_media_type, unescape_token

__all__ = [
    "RouteKey",
    "Shown",
    "graphql_operation_name",
    "graphql_response_keys",
    "key_value",
    "request_key_value",
    "route_keys",
    "soap_body_element",
]

#: The key kinds, in the order they are tried.
KINDS = ("soap-action", "media-action", "soap-body", "xml-root", "graphql", "json")
_SOAP_ENVELOPES = frozenset(
    {"http://schemas.xmlsoap.org/soap/envelope/", "http://www.w3.org/2003/05/soap-envelope"}
)
#: Top-level members that name a procedure (JSON-RPC's ``method``, an ``action``), in the
#: order preferred where several would split the operations.
_PROCEDURE_MEMBERS = (
    "action",
    "method",
    "operation",
    "operationName",
    "op",
    "command",
    "cmd",
    "procedure",
    "function",
)
_NAME_LIKE = re.compile(r"^[A-Za-z_][A-Za-z0-9_.:/-]{0,79}$")


@dataclass(frozen=True)
class RouteKey:
    """How one operation is told apart from the others on its method and path.

    Attributes:
        kind: one of :data:`KINDS` (``soap-action``, ``graphql``...).
        name: the header (``SOAPAction``) or JSON pointer (``/action``) read, or ``""``.
        values: the values the operation is documented with (a request showing one of them
            is this operation's).
    """

    kind: str
    name: str
    values: tuple[Any, ...]

    def as_json(self) -> dict[str, Any]:
        """The key as written in ``index.json``."""
        return {"kind": self.kind, "name": self.name, "values": list(self.values)}

    @classmethod
    def from_json(cls, doc: Any) -> RouteKey | None:
        """The key read back from ``index.json`` (``None`` for none)."""
        if not isinstance(doc, dict):
            return None
        return cls(str(doc["kind"]), str(doc.get("name", "")), tuple(doc.get("values", ())))

    @property
    def label(self) -> str:
        """What the key reads, in words: ``SOAPAction``, ``body member /action``."""
        return {
            "soap-action": "SOAPAction",
            "media-action": "Content-Type action",
            "soap-body": "SOAP Body element",
            "xml-root": "XML root element",
            "graphql": "GraphQL operation",
        }.get(self.kind, f"body member {self.name}")

    def describe(self) -> str:
        """The key in words, for messages: ``SOAPAction 'urn:Create'``."""
        return f"{self.label} " + ", ".join(repr(v) for v in self.values)


def _xml_key(kind: str, body: Any) -> str | None:
    if isinstance(body, (dict, list)) or body is None:
        return None
    text = body if isinstance(body, (str, bytes)) else str(body)
    if not text.strip():
        return None
    try:
        root = ElementTree.fromstring(text)
    except (ElementTree.ParseError, ValueError):
        return None
    namespace, _, local = root.tag[1:].partition("}") if root.tag.startswith("{") else ("", "", "")
    if namespace in _SOAP_ENVELOPES and local == "Envelope":
        if kind != "soap-body":
            return None
        body_element = root.find(f"{{{namespace}}}Body")
        first = next(iter(body_element), None) if body_element is not None else None
        return None if first is None else str(first.tag)
    return str(root.tag) if kind == "xml-root" else None


def soap_body_element(body: str | bytes) -> str | None:
    """The first element of the ``Body`` of a SOAP envelope (``{namespace}local``), or
    ``None`` when ``body`` is no well-formed SOAP envelope with one: what names a SOAP
    message, whose root element is always the envelope."""
    return _xml_key("soap-body", body)


def key_value(kind: str, name: str, header: Callable[[str], str | None], body: Any) -> Any:
    """The value of a key of ``kind`` that a request shows, or ``None``.

    Args:
        kind: one of :data:`KINDS`.
        name: the key's header or JSON pointer.
        header: the request's header lookup (case-insensitive).
        body: the body: text or bytes (XML), or the parsed JSON value (GraphQL, JSON).
    """
    if kind == "soap-action":
        value = (header("SOAPAction") or "").strip().strip('"').strip()
        return value or None
    if kind == "media-action":
        return parse_media_type(header("Content-Type")).params.get("action") or None
    if kind in ("soap-body", "xml-root"):
        return _xml_key(kind, body)
    if kind == "graphql":
        if not isinstance(body, dict) or not isinstance(body.get("query"), str):
            return None
        given = body.get("operationName")
        return graphql_operation_name(body["query"], given if isinstance(given, str) else None)
    if kind == "json":
        value = _at(body, name)
        return value if isinstance(value, str) and _NAME_LIKE.match(value) else None
    return None


def _at(value: Any, pointer: str) -> Any:
    for raw in pointer.split("/")[1:]:
        key = unescape_token(raw)
        if not isinstance(value, dict) or key not in value:
            return None
        value = value[key]
    return value


# -- GraphQL ----------------------------------------------------------------------------------

_GQL_TOKEN = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""|"(?:[^"\\\n]|\\.)*"|#[^\n]*|[_A-Za-z][_0-9A-Za-z]*|\.\.\.|\S'
)


def _gql_tokens(document: str) -> list[str]:
    return [
        t for t in _GQL_TOKEN.findall(document) if not t.startswith("#") and not t.startswith('"')
    ]


def graphql_operation_name(document: str, operation_name: str | None = None) -> str | None:
    """The name a GraphQL request runs under: ``operation_name`` when given, else the name of
    the document's first operation (``query Foo``), else its first top-level field (an
    anonymous ``{ me { id } }`` is ``me``; an alias is read past to the field)."""
    if operation_name:
        return operation_name
    tokens = _gql_tokens(document)
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token == "fragment":  # fragment Name on Type { ... }: skip its selection set
            i = _skip_block(tokens, i)
            continue
        if token in ("query", "mutation", "subscription"):
            following = tokens[i + 1] if i + 1 < len(tokens) else ""
            if following[:1].isalpha() or following.startswith("_"):
                return following
            return _first_field(tokens, tokens.index("{", i) if "{" in tokens[i:] else len(tokens))
        if token == "{":
            return _first_field(tokens, i)
        i += 1
    return None


def _skip_block(tokens: Sequence[str], i: int) -> int:
    while i < len(tokens) and tokens[i] != "{":
        i += 1
    depth = 0
    while i < len(tokens):
        depth += {"{": 1, "}": -1}.get(tokens[i], 0)
        i += 1
        if depth == 0:
            break
    return i


def _first_field(tokens: Sequence[str], brace: int) -> str | None:
    i = brace + 1
    if i >= len(tokens) or not (tokens[i][0].isalpha() or tokens[i][0] == "_"):
        return None
    if i + 2 < len(tokens) and tokens[i + 1] == ":":  # alias: field
        return tokens[i + 2]
    return tokens[i]


def graphql_response_keys(document: str) -> frozenset[str] | None:
    """The keys a GraphQL response's ``data`` holds for ``document``'s first operation: its
    top-level fields' response keys (an alias, else the name; GraphQL spec, "Response
    Format"). ``None`` when that cannot be told from the text: no operation, a fragment at
    the top level (``...Fields``, ``... on Query``), or a directive (``@include``) that may
    leave a field out."""
    tokens = _gql_tokens(document)
    i, start = 0, None
    while i < len(tokens) and start is None:
        if tokens[i] == "fragment":
            i = _skip_block(tokens, i)
        elif tokens[i] in ("query", "mutation", "subscription") or tokens[i] == "{":
            start = _selection_start(tokens, i)
        else:
            i += 1
    if start is None:
        return None
    keys: set[str] = set()
    i = start + 1
    while i < len(tokens) and tokens[i] != "}":
        token = tokens[i]
        if token in ("...", "@") or not (token[0].isalpha() or token[0] == "_"):
            return None
        key, i = token, i + 1
        if i + 1 < len(tokens) and tokens[i] == ":":  # alias: field
            i += 2
        if i < len(tokens) and tokens[i] == "(":
            i = _skip_pair(tokens, i, "(", ")")
        if i < len(tokens) and tokens[i] == "@":
            return None
        if i < len(tokens) and tokens[i] == "{":
            i = _skip_pair(tokens, i, "{", "}")
        keys.add(key)
    return frozenset(keys) if keys else None


def _selection_start(tokens: Sequence[str], i: int) -> int | None:
    """The index of the ``{`` opening the selection set of the operation at ``i`` (past its
    variable definitions, whose default values may hold braces)."""
    while i < len(tokens):
        if tokens[i] == "(":
            i = _skip_pair(tokens, i, "(", ")")
        elif tokens[i] == "{":
            return i
        else:
            i += 1
    return None


def _skip_pair(tokens: Sequence[str], i: int, opening: str, closing: str) -> int:
    """The index past the ``closing`` token matching the ``opening`` one at ``i``."""
    depth = 0
    while i < len(tokens):
        depth += (tokens[i] == opening) - (tokens[i] == closing)
        i += 1
        if depth == 0:
            break
    return i


# -- computing the keys of a route -----------------------------------------------------------


@dataclass(frozen=True)
class Shown:
    """What one documented request of an operation shows, for :func:`route_keys`.

    Attributes:
        header: its header lookup.
        body: its body: raw text (XML, text), the parsed JSON value, or ``None``.
        content_type: its Content-Type.
    """

    header: Callable[[str], str | None]
    body: Any
    content_type: str | None


def _procedures(body: Any) -> dict[str, str]:
    """The procedure-naming members of a JSON body with a name-like text, by pointer."""
    if not isinstance(body, dict):
        return {}
    return {
        f"/{escape_token(key)}": value
        for key in _PROCEDURE_MEMBERS
        if isinstance(value := body.get(key), str)
        and not isinstance(value, Placeholder)
        and _NAME_LIKE.match(value)
    }


def _splits(values: Sequence[frozenset[Any]]) -> bool:
    """Whether per-operation value sets tell the operations apart: every operation shows one,
    any two show the same values or none in common, and some two differ."""
    if not all(values):
        return False
    if any(a != b and a & b for a in values for b in values):
        return False
    return len(set(values)) > 1


def _json_key(operations: Sequence[Sequence[Shown]]) -> tuple[str, list[frozenset[Any]]] | None:
    per_op: list[dict[str, frozenset[str]]] = []
    for shown in operations:
        found = [_procedures(s.body) for s in shown]
        common = set.intersection(*(set(f) for f in found)) if found else set()
        per_op.append({p: frozenset(f[p] for f in found) for p in common})
    for key in _PROCEDURE_MEMBERS:
        pointer = f"/{escape_token(key)}"
        if all(pointer in p for p in per_op):
            values = [p[pointer] for p in per_op]
            if _splits(values):
                return pointer, values
    return None


def route_keys(operations: Sequence[Sequence[Shown]]) -> list[RouteKey | None]:
    """The key of each operation of one route (each given as its documented requests), or
    ``None`` for all when nothing the collection shows tells them apart."""
    if len(operations) < 2 or not all(operations):
        return [None] * len(operations)
    for kind in KINDS:
        if kind == "json":
            found = _json_key(operations)
            if found is not None:
                pointer, values = found
                return [RouteKey("json", pointer, tuple(sorted(v))) for v in values]
            continue
        name = "SOAPAction" if kind == "soap-action" else ""
        shown = [
            frozenset(v for s in op if (v := key_value(kind, name, s.header, s.body)) is not None)
            for op in operations
        ]
        complete = all(
            all(key_value(kind, name, s.header, s.body) is not None for s in op)
            for op in operations
        )
        if complete and _splits(shown):
            return [RouteKey(kind, name, tuple(sorted(v))) for v in shown]
    return [None] * len(operations)


def request_key_value(key: RouteKey, header: Callable[[str], str | None], body: bytes) -> Any:
    """The value of ``key``'s kind that a request on the wire shows, or ``None`` (JSON and
    GraphQL bodies parsed here)."""
    if key.kind in ("graphql", "json"):
        try:
            parsed: Any = json.loads(body.decode("utf-8")) if body.strip() else None
        except (UnicodeDecodeError, ValueError, RecursionError):
            return None
        return key_value(key.kind, key.name, header, parsed)
    return key_value(key.kind, key.name, header, body)
