"""Where a valid request can be broken, and how: the sites of invalid requests.

Why it exists: an invalid request is most useful when it is *one* change away from a valid
one, so that the server's answer can be judged against one rule (and, where the catalog has a
trigger for exactly that change, against one documented error). We walk the schema and a drawn
valid body together and list every single-change mutation: a required key removed, an unknown
key added, an object emptied, a value of the wrong type, a value outside an enum, format or
pattern, a documented bad value, a wrong method, no credentials.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from hypothesis import strategies as st

from postman_contracts.checking import RequestSpec, is_form, json_path, match_route, unsafe_url
from postman_contracts.collection import unescape_token
from postman_contracts.contracts import ContractSet, OperationContract, Trigger, to_pointer

__all__ = ["Mutation", "mutation_sites", "served", "wrong_method"]

_WRONG = {
    "string": 12345,
    "integer": "12345",
    "number": "1.5",
    "boolean": "true",
    "object": ["not", "an", "object"],
    "array": {"not": "an array"},
    "null": "null",
}
_JSON_TYPE = {
    str: "string",
    int: "integer",
    float: "number",
    bool: "boolean",
    list: "array",
    dict: "object",
}
_NOT_FORMAT = {
    "date-time": "12/05/2021 07:26",
    "date": "12/05/2021",
    "time": "7 o'clock",
    "email": "not an email",
    "uri": "not a uri",
    "uuid": "not-a-uuid",
    "ipv4": "999.1.1.1",
    "ipv6": "not:an:ipv6:address::x",
    "hostname": "not a hostname!",
}
_UNSAFE_URLS = (
    "http://example.com/callback",
    "https://127.0.0.1/callback",
    "https://169.254.169.254/latest/meta-data",
    "https://10.0.0.1/",
    "https://good.example@127.0.0.1/",
    "ftp://example.com/file",
    "https://localhost/",
    "https://[::1]/",
)
# Methods every server knows (RFC 9110). An unknown one (COPY) may rightly get 501, a 5xx, so
# it is sent only where the collection documents it; OPTIONS and HEAD are answered for any
# resource that exists (CORS, GET), so they say nothing about the method being wrong.
_STANDARD_METHODS = ("DELETE", "PATCH", "PUT", "POST", "GET")

Draw = Callable[[st.SearchStrategy[Any]], Any]


def _const(value: Any) -> Callable[[Draw | None], Any]:
    """A change that always puts ``value`` (a copy) in place."""

    def change(draw: Draw | None) -> Any:
        return copy.deepcopy(value)

    return change


def _one_of(values: tuple[Any, ...]) -> Callable[[Draw | None], Any]:
    """A change that draws one of ``values`` (shrinking toward the first); without a ``draw``,
    the first."""

    def change(draw: Draw | None) -> Any:
        return values[0] if draw is None else draw(st.sampled_from(values))

    return change


@dataclass(frozen=True)
class Mutation:
    """One way to break a valid request."""

    kind: str
    label: str
    parts: tuple[Any, ...] = ()
    change: Callable[[Draw | None], Any] | None = field(default=None, compare=False)
    documented_by: str = ""
    query: str = ""  # the query parameter it removes, for a missing one
    header: str = ""  # the header it removes, for a missing one

    @property
    def pointer(self) -> str:
        """A JSON pointer to the changed place in the body."""
        return to_pointer(self.parts)

    def apply(self, spec: RequestSpec, draw: Draw | None) -> RequestSpec:
        """The mutated request; with ``draw`` ``None``, the simplest such request."""
        assert self.change is not None
        if self.kind == "method":
            return replace(spec, method=self.change(draw))
        if self.kind == "auth":
            return replace(spec, credentials=False)
        if self.query:
            return replace(spec, query=tuple((k, v) for k, v in spec.query if k != self.query))
        if self.header:
            name = self.header.lower()
            return replace(
                spec, headers=tuple((k, v) for k, v in spec.headers if k.lower() != name)
            )
        body = copy.deepcopy(spec.body)
        parent = body
        for key in self.parts[:-1]:
            parent = parent[key]
        if self.kind == "missing_required":
            del parent[self.parts[-1]]
        elif self.kind == "unknown_field":
            target = parent[self.parts[-1]] if self.parts else body
            target[self.change(draw)] = 1000
        elif not self.parts:
            body = self.change(draw)
        else:
            parent[self.parts[-1]] = self.change(draw)
        return replace(spec, body=body)


def _types(schema: dict[str, Any]) -> list[str]:
    t = schema.get("type")
    return [t] if isinstance(t, str) else list(t or [])


#: A form field's wrong value is text that spells no value of its type (any text is a string).
_WRONG_TEXT = {"integer": "not-a-number", "number": "not-a-number", "boolean": "not-a-boolean"}


def _form_type_site(
    types: list[str], name: str, parts: tuple[Any, ...], out: list[Mutation]
) -> None:
    if "string" in types or not types:
        return
    wrong = next((w for t, w in _WRONG_TEXT.items() if t in types), None)
    if wrong is not None:
        label = f"{name} must be {'/'.join(types)}, got text"
        out.append(Mutation("type", label, parts, _const(wrong)))


def _leaf_sites(
    schema: dict[str, Any],
    value: Any,
    parts: tuple[Any, ...],
    out: list[Mutation],
    *,
    form: bool = False,
) -> None:
    where = json_path(parts)
    name = repr(parts[-1]) if parts and isinstance(parts[-1], str) else where
    types = _types(schema)
    if form:
        _form_type_site(types, name, parts, out)
    elif types:
        wrong = next(
            (
                w
                for t, w in _WRONG.items()
                if _JSON_TYPE.get(type(w)) not in types
                and not (isinstance(w, int) and "number" in types)
                and t in types
            ),
            None,
        )
        if wrong is not None:
            got = _JSON_TYPE.get(type(wrong), "string")
            out.append(
                Mutation(
                    "type",
                    f"{name} must be {'/'.join(types)}, got {got}",
                    parts,
                    _const(wrong),
                )
            )
    if isinstance(value, str) or "string" in types:
        if "enum" in schema:
            out.append(
                Mutation(
                    "enum",
                    f"value not in enum at {where}",
                    parts,
                    _const(
                        next(
                            c
                            for c in ("NOT_DOCUMENTED", "not-documented-2")
                            if c not in schema["enum"]
                        )
                    ),
                )
            )
        fmt = schema.get("format")
        if fmt in _NOT_FORMAT:
            out.append(
                Mutation("format", f"format {fmt} at {where}", parts, _const(_NOT_FORMAT[fmt]))
            )
        pattern = schema.get("pattern")
        if isinstance(pattern, str):
            bad = next(
                (c for c in ("", "x", "-", "0" * 300, "\u00e9") if not re.search(pattern, c)), None
            )
            if bad is not None:
                out.append(Mutation("pattern", f"pattern {pattern} at {where}", parts, _const(bad)))


def _body_sites(schema: Any, body: Any, out: list[Mutation], *, form: bool = False) -> None:
    """The sites of a JSON body; of a form (``form``): its fields, whose values are text."""
    what = "form field" if form else "property"
    stack: list[tuple[Any, Any, tuple[Any, ...]]] = [(schema, body, ())]
    while stack:
        s, v, parts = stack.pop()
        if not isinstance(s, dict):
            continue
        if isinstance(v, dict):
            props = s.get("properties") or {}
            where = json_path(parts)
            for key in s.get("required") or []:
                if key in v:
                    label = f"missing required {what} {key!r}" + (f" at {where}" if parts else "")
                    out.append(Mutation("missing_required", label, (*parts, key), _const(None)))
            if props:
                names = [f"{p}1" for p in sorted(props) if f"{p}1" not in props] or [
                    "unknown_field"
                ]
                out.append(
                    Mutation(
                        "unknown_field",
                        f"unknown property at {where}",
                        parts,
                        _one_of(tuple(names)),
                    )
                )
            if s.get("required") and v:
                out.append(Mutation("empty_object", f"empty object at {where}", parts, _const({})))
            stack.extend((props[k], v[k], (*parts, k)) for k in sorted(v) if k in props)
        elif isinstance(v, list):
            if isinstance(s.get("items"), dict) and v:
                stack.append((s["items"], v[0], (*parts, 0)))
        elif parts:
            _leaf_sites(s, v, parts, out, form=form)


def _resolve(body: Any, pointer: str) -> tuple[bool, tuple[Any, ...]]:
    parts: list[Any] = []
    value = body
    for raw in pointer.split("/")[1:]:
        key = unescape_token(raw)
        if isinstance(value, dict) and key in value:
            parts.append(key)
            value = value[key]
        elif isinstance(value, list) and key.isdigit() and int(key) < len(value):
            parts.append(int(key))
            value = value[int(key)]
        else:
            return False, ()
    return True, tuple(parts)


def _value_sites(op: OperationContract, body: Any, out: list[Mutation]) -> None:
    for entry in op.errors:
        t: Trigger = entry.trigger
        if t.kind != "value_changed" or not t.pointer:
            continue
        found, parts = _resolve(body, t.pointer)
        if not found:
            continue
        good, bad = t.detail.get("from"), t.detail.get("to")
        if (
            isinstance(good, str)
            and isinstance(bad, str)
            and unsafe_url(bad)
            and not unsafe_url(good)
        ):
            change = _one_of(_UNSAFE_URLS)
            label = f"unsafe URL at {json_path(parts)} ({entry.code})"
        else:
            change = _const(bad)
            label = f"documented bad value at {json_path(parts)} ({entry.code})"
        out.append(Mutation("value", label, parts, change, documented_by=entry.example))


def served(contracts: ContractSet | None, op: OperationContract, method: str, path: str) -> bool:
    """Whether a documented operation serves ``method`` on ``path`` (a concrete path): any
    whose path template matches it (``/orders/export`` matches ``/orders/{orderId}`` too)."""
    if method.upper() == op.request.method.upper():
        return True
    return contracts is not None and match_route(contracts, method.upper(), path).method_allowed


def wrong_method(
    op: OperationContract, path: str, contracts: ContractSet | None, documented: str = ""
) -> str | None:
    """A method no documented operation serves on ``path``: ``documented`` (the method an
    error example shows) when it qualifies, else a standard one; ``None`` when none is left."""
    for method in (documented, *_STANDARD_METHODS) if documented else _STANDARD_METHODS:
        if not served(contracts, op, method, path):
            return method.upper()
    return None


def mutation_sites(
    op: OperationContract, body: Any, *, bad_method: str | None = None
) -> list[Mutation]:
    """Every single-change way to make a request with ``body`` invalid for ``op``.

    ``bad_method`` is the wrong method to send (see :func:`wrong_method`); ``""`` when no
    method is left that nothing documented serves, and then there is no method mutation.
    """
    out: list[Mutation] = []
    if bad_method is None:
        documented = op.error("method")
        method = str(documented.trigger.detail.get("method") or "") if documented else ""
        bad_method = wrong_method(op, op.request.path, None, method) or ""
    if bad_method:
        out.append(Mutation("method", f"wrong method {bad_method}", (), _const(bad_method)))
    if op.request.auth.required:
        out.append(Mutation("auth", "no credentials", (), _const(None)))
    auth = op.request.auth
    for p in op.request.parameters:
        if (
            p.location == "query"
            and p.required
            and not (auth.location == "query" and p.name == auth.name)
        ):
            label = f"missing required query parameter {p.name!r}"
            out.append(Mutation("missing_required", label, (), _const(None), query=p.name))
    for p in op.request.header_params:
        if p.required:
            label = f"missing required header {p.name!r}"
            out.append(Mutation("missing_required", label, (), _const(None), header=p.name))
    if op.request.schema is not None and body is not None:
        _body_sites(op.request.schema, body, out, form=is_form(op))
        _value_sites(op, body, out)
    return out
