"""Strategies for whole requests: valid ones, and labelled invalid ones.

Why it exists: the plugin's fuzz tests and users' own property tests need complete requests
(path and query parameters, headers, a body), not just bodies. Valid requests use only the
properties the documentation shows and fill ``{{placeholders}}`` with values of their inferred
type. Each invalid request says which rule it breaks and what the response must then be, with
a confidence: ``documented`` when the error catalog has a trigger for exactly that change (the
response must be that error), ``inferred`` otherwise (an inferred schema can be stricter than
the real server, so the response need only be a documented one, and a rejection only under
strict checking). That keeps negative testing free of false positives.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from hypothesis import find
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from postman_contracts._errors import InvalidArgument
from postman_contracts.checking import RequestSpec, is_form, unsafe_url
from postman_contracts.collection import (
    TypeSlot,
    fill_slots,
    media_kind,
    slot_sample,
    unescape_token,
)
from postman_contracts.contracts import (
    FORMAT_CHECKER,
    ContractSet,
    ErrorEntry,
    OperationContract,
    Parameter,
    as_text,
    generic_pointer,
    read_as_schema,
)
from postman_contracts.generators._from_schema import from_schema
from postman_contracts.generators._mutations import Mutation, mutation_sites, wrong_method

__all__ = [
    "Expected",
    "InvalidRequest",
    "documented_invalid_requests",
    "invalid_requests",
    "requests",
]

KINDS = frozenset(
    {
        "missing_required",
        "type",
        "unknown_field",
        "empty_object",
        "enum",
        "format",
        "pattern",
        "value",
        "method",
        "auth",
    }
)
_TRIGGER_OF = {
    "missing_required": "missing_required",
    "type": "type_changed",
    "unknown_field": "unknown_field",
    "empty_object": "empty_object",
    "enum": "value_changed",
    "format": "value_changed",
    "pattern": "value_changed",
    "value": "value_changed",
    "method": "method",
    "auth": "auth",
    # the coverage phase's kinds (``_coverage.py``): null is a wrong type, a bound a value
    "null": "type_changed",
    "bounds": "value_changed",
}


@dataclass(frozen=True)
class Expected:
    """What the response to an invalid request must be.

    Attributes:
        confidence: ``documented`` (the error catalog documents this exact change) or
            ``inferred`` (only our inferred schema says it is invalid); in the coverage phase
            also ``asserted`` (what the evidence asserts refuses it: a rejection is due) and
            ``valid`` (a request that breaks no rule).
        error: the documented error the response must be, when ``documented``.
    """

    confidence: str
    error: ErrorEntry | None = None


@dataclass(frozen=True)
class InvalidRequest:
    """A request that breaks the contract in one stated way.

    Attributes:
        spec: the request.
        kind: which rule it breaks (``missing_required``, ``type``, ``unknown_field``,
            ``empty_object``, ``enum``, ``format``, ``pattern``, ``value``, ``method``, ``auth``).
        label: the rule in words: ``missing required property 'ids'``.
        pointer: where in the body (a JSON pointer), or ``""``.
        expected: what the response must be.
    """

    spec: RequestSpec
    kind: str
    label: str
    pointer: str
    expected: Expected


def _example_for(schema: Mapping[str, Any] | None, *, fill: Mapping[str, str] | None = None) -> Any:
    """The schema's first documented example that is valid under it (to shrink toward).

    With ``fill``, ``{{variables}}`` left in an example (a template body) are filled first, from
    ``fill`` and Postman's dynamic variables (``{{$guid}}``).
    """
    if not schema:
        return None
    validator = Draft202012Validator(schema, format_checker=FORMAT_CHECKER)
    for example in schema.get("examples") or []:
        candidate = fill_slots(example, fill) if fill is not None else example
        if validator.is_valid(candidate):
            return candidate
    return None


# A public https URL by construction: a DNS name (never an IP literal), no userinfo.
_SAFE_URL = (
    r"^https://[a-z][a-z0-9-]{0,15}(\.[a-z][a-z0-9-]{0,15}){1,3}(/[A-Za-z0-9._~-]{0,15}){0,3}$"
)


def _subschema(schema: dict[str, Any], pointer: str) -> dict[str, Any] | None:
    """The subschema that validates the body value at ``pointer`` (indices go to ``items``)."""
    node: Any = schema
    for raw in pointer.split("/")[1:]:
        key = unescape_token(raw)
        if not isinstance(node, dict):
            return None
        node = (
            node.get("items")
            if key.isdigit() and "items" in node
            else (node.get("properties") or {}).get(key)
        )
    return node if isinstance(node, dict) else None


def valid_schema(op: OperationContract) -> dict[str, Any] | None:
    """The request schema, narrowed away from values the error catalog documents as failing.

    Zoho documents that an ``http`` callback URL gets INVALID_CALLBACK_URL, so a *valid*
    request must not send one, even though ``format: uri`` allows it.
    """
    if op.request.schema is None:
        return None
    schema = copy.deepcopy(op.request.schema)
    _pin_route(op, schema)
    for entry in op.errors:
        t = entry.trigger
        good, bad = t.detail.get("from"), t.detail.get("to")
        if t.kind != "value_changed" or not isinstance(good, str) or not isinstance(bad, str):
            continue
        if unsafe_url(bad) and not unsafe_url(good):
            node = _subschema(schema, t.pointer)
            if node is not None:
                node.pop("format", None)
                node["pattern"] = _SAFE_URL
    return schema


def _pin_route(op: OperationContract, schema: dict[str, Any]) -> None:
    """Narrow ``schema`` (in place) to bodies that are ``op``'s and no other operation's on
    its route: a GraphQL body sends the documented document (and no ``operationName`` or
    ``extensions`` of its own: a server runs the operation the document names), a JSON body
    its routing member with a documented value."""
    props = schema.get("properties")
    if not isinstance(props, dict):
        return
    if op.request.graphql is not None:
        props["query"] = {"const": op.request.graphql}
        props.pop("operationName", None)
        props.pop("extensions", None)
    key = op.request.route_key
    if key is not None and key.kind == "json" and key.values:
        node: Any = schema
        parts = key.name.split("/")[1:]
        for raw in parts[:-1]:
            node = (node.get("properties") or {}).get(unescape_token(raw))
            if not isinstance(node, dict):
                return
        member = unescape_token(parts[-1])
        node.setdefault("properties", {})[member] = {"enum": list(key.values)}
        node["required"] = sorted({*node.get("required", []), member})


#: Postman's text bodies are sent with their documented text: nothing infers what else an
#: XML or text API would take. Binary bodies are a few bytes of the documented media type.
_BINARY = st.binary(min_size=1, max_size=64)


def _raw_body(
    op: OperationContract, draw: st.DrawFn | None
) -> tuple[bytes, tuple[tuple[str, str], ...]] | None:
    """The body of a request that is neither JSON nor a form, as bytes, with the headers it
    needs (a multipart boundary), or ``None`` when the operation has no such body."""
    req = op.request
    kind = media_kind(req.content_type)
    if req.schema is not None or not req.content_type:
        return None
    if kind in ("xml", "text"):
        text = req.text_body or next(
            (x.body for x in op.examples if isinstance(x.body, str) and x.body.strip()), None
        )
        if text is None:
            return None
        return str(fill_slots(text, {}, json=False)).encode("utf-8"), ()
    if kind != "binary":
        return None
    data = draw(_BINARY) if draw is not None else b"\x89binary\x00"
    if req.content_type.lower().startswith("multipart/"):
        boundary = "postman-contracts-part"
        part = (
            f"--{boundary}\r\nContent-Type: application/octet-stream\r\n\r\n".encode()
            + data
            + f"\r\n--{boundary}--\r\n".encode()
        )
        return part, (("Content-Type", f"{req.content_type}; boundary={boundary}"),)
    return data, ()


def _route_headers(op: OperationContract, headers: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """``headers`` with what routes a request to ``op`` among those sharing its route: its
    ``SOAPAction``, or the ``action`` parameter of its Content-Type (SOAP 1.2)."""
    key = op.request.route_key
    if key is None or not key.values:
        return headers
    value = str(key.values[0])
    if key.kind == "soap-action":
        if not any(k.lower() == "soapaction" for k, _ in headers):
            headers.append(("SOAPAction", f'"{value}"'))
        else:  # the documented header, unless it shows another of the route's values
            headers = [
                (k, v if _unquoted(v) in key.values else f'"{value}"')
                if k.lower() == "soapaction"
                else (k, v)
                for k, v in headers
            ]
    elif key.kind == "media-action":
        headers = [(k, v) for k, v in headers if k.lower() != "content-type"]
        headers.append(("Content-Type", f'{op.request.content_type}; action="{value}"'))
    return headers


def _unquoted(value: str) -> str:
    """A ``SOAPAction`` header's value without its quotes."""
    return value.strip().strip('"').strip()


def _body_strategy(schema: Mapping[str, Any]) -> st.SearchStrategy[Any]:
    example = _example_for(schema)
    return from_schema(schema) if example is None else from_schema(schema, example=example)


def _fill(text: str, variables: Mapping[str, str]) -> str:
    """A path template's ``{{variables}}`` filled by the one slot-filling policy."""
    return str(fill_slots(text, variables, json=False))


# A path segment needs text, and text that survives the trip: unreserved characters only.
_SEGMENT = {"type": "string", "pattern": "^[A-Za-z0-9._~-]{1,24}$"}
# Segments an HTTP client removes or collapses (RFC 3986 dot segments, and the empty one that
# makes ``//``): a path parameter never takes them, whatever its schema allows.
_NOT_SEGMENTS = frozenset({"", ".", ".."})


def _segment_value(value: Any) -> bool:
    return str(value) not in _NOT_SEGMENTS


#: What a parameter documented only by its type (``<long>``, ``<boolean>``) is drawn from: small,
#: positive values, which a server that bounds them (a page size, an offset) most likely takes.
_SCALARS: dict[str, dict[str, Any]] = {
    "integer": {"type": "integer", "minimum": 1, "maximum": 100},
    "number": {"type": "number", "minimum": 0, "maximum": 100},
    "boolean": {"type": "boolean"},
}


def _parameter_schema(schema: Mapping[str, Any] | None) -> dict[str, Any]:
    """The schema to draw a parameter from: its own when it constrains text, a small value of
    its type when it is a number or a boolean, else a safe token."""
    schema = dict(schema or {})
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), None)
    if kind in _SCALARS:
        return dict(_SCALARS[kind])
    if kind not in ("string", None) or not ({"pattern", "format", "enum", "const"} & set(schema)):
        return dict(_SEGMENT)
    return schema


def _parameter_values(schema: Mapping[str, Any] | None, draw: st.DrawFn) -> list[str]:
    """A query parameter's values as text: one, or for an array (a repeated key) one to three,
    each drawn as the parameter's items."""
    schema = dict(schema or {})
    if schema.get("type") == "array":
        items = schema.get("items") if isinstance(schema.get("items"), dict) else {}
        values = draw(st.lists(from_schema(_parameter_schema(items)), min_size=1, max_size=3))
        return [_param_text(v) for v in values]
    return [_param_text(draw(from_schema(_parameter_schema(schema))))]


#: A parameter's value in the documented request when the documentation shows none.
_PLAIN_VALUES = {"integer": "1", "number": "1", "boolean": "true"}


def _param_text(value: Any) -> str:
    """A drawn parameter value as it is written in a URL (``true``, not ``True``)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _valid(schema: Mapping[str, Any], value: Any) -> bool:
    return bool(Draft202012Validator(schema, format_checker=FORMAT_CHECKER).is_valid(value))


@st.composite
def _request(
    draw: st.DrawFn,
    op: OperationContract,
    variables: Mapping[str, str],
    body: st.SearchStrategy[Any] | None,
) -> RequestSpec:
    req = op.request
    path = _fill(req.path, variables)
    query: list[tuple[str, str]] = []
    for p in req.parameters:
        schema = _parameter_schema(p.schema)
        if p.location == "path":
            example = p.example if p.example and _valid(schema, p.example) else None
            example = example if _segment_value(example or "") else None
            strategy = (
                from_schema(schema) if example is None else from_schema(schema, example=example)
            )
            value = draw(strategy.filter(_segment_value))
            path = path.replace("{" + p.name + "}", quote(_param_text(value), safe=""))
        elif p.required or draw(st.booleans()):
            for value in _parameter_values(p.schema, draw):
                query.append((p.name, value))
    headers = [*req.headers.items(), *_required_headers(op, variables, draw)]
    payload = draw(body) if body is not None else None
    return _spec(op, path, query, headers, payload, draw)


def _spec(
    op: OperationContract,
    path: str,
    query: list[tuple[str, str]],
    headers: list[tuple[str, str]],
    payload: Any,
    draw: st.DrawFn | None,
) -> RequestSpec:
    """The request to send: a JSON or form ``payload``, or the operation's text or binary
    body, with the headers that route it to ``op``."""
    headers = _route_headers(op, headers)
    raw = _raw_body(op, draw)
    if raw is not None:
        data, more = raw
        names = {k.lower() for k, _ in more}
        headers = [(k, v) for k, v in headers if k.lower() not in names] + list(more)
        return RequestSpec(op.request.method, path, tuple(query), tuple(headers), raw_body=data)
    method = op.request.method
    return RequestSpec(method, path, tuple(query), tuple(headers), *_form_body(op, payload))


def _required_headers(
    op: OperationContract, variables: Mapping[str, str], draw: st.DrawFn | None
) -> list[tuple[str, str]]:
    """The required documented headers with their documented value (variables and ``<type>``
    slots filled), else (``draw`` given) a value drawn as the parameter, else a token."""
    out: list[tuple[str, str]] = []
    for p in op.request.header_params:
        if not p.required:
            continue
        value = str(fill_slots(p.example, variables, json=False)) if p.example else ""
        if not value or "{{" in value:
            schema = _parameter_schema(p.schema)
            drawn = draw(from_schema(schema)) if draw is not None else None
            value = _param_text(drawn) if drawn is not None else "example"
        out.append((p.name, value))
    return out


def _form_body(op: OperationContract, body: Any) -> tuple[Any, None, bool, str]:
    """``body`` (with ``RequestSpec``'s next fields) as a form when ``op`` takes one: a file
    field's value as bytes (sent as a file part)."""
    form = form_encoding(op)
    if not form or not isinstance(body, dict):
        return body, None, True, form
    props = (op.request.schema or {}).get("properties") or {}
    files = {k for k, s in props.items() if isinstance(s, dict) and "contentMediaType" in s}
    untyped = {k for k, s in props.items() if isinstance(s, dict) and "type" not in s}
    out = {
        k: (
            as_text(v).encode("utf-8")
            if k in files and form == "multipart"
            else _field(v, untyped=k in untyped)
        )
        for k, v in body.items()
    }
    return out, None, True, form


def _field(value: Any, *, untyped: bool) -> Any:
    """A drawn form value as a form can carry it: a field of no documented type may be drawn
    as ``null``, an object or a list (which would send no field at all when empty), which a
    form has no way to send but as text."""
    if value is None:
        return ""
    if isinstance(value, dict) or (
        isinstance(value, list) and (untyped or any(isinstance(v, (dict, list)) for v in value))
    ):
        return json.dumps(value, sort_keys=True)
    return value


def form_encoding(op: OperationContract) -> str:
    """``urlencoded`` or ``multipart`` when ``op``'s body is a form, else ``""``."""
    kind = media_kind(op.request.content_type)
    return {"form": "urlencoded", "multipart": "multipart"}.get(kind, "") if is_form(op) else ""


def requests(
    operation: OperationContract, *, variables: Mapping[str, str] | None = None
) -> st.SearchStrategy[RequestSpec]:
    """Complete valid requests for ``operation``.

    Path and query parameters get values of their inferred types, the required headers are set,
    and the body is valid under the request schema, using only documented properties. Values
    shrink toward the documented success example. Credentials are attached by the sender.

    Args:
        operation: the operation's contract.
        variables: values for ``{{variables}}`` in the path (``--contracts-var``).
    """
    if not isinstance(operation, OperationContract):
        raise InvalidArgument(f"operation must be an OperationContract, not {operation!r}")
    variables = dict(variables or {})
    schema = valid_schema(operation)
    body = _body_strategy(schema) if schema is not None else None
    return _request(operation, variables, body)


def documented_error(
    contracts: ContractSet | None, op: OperationContract, kind: str, *, strict: bool = False
) -> ErrorEntry | None:
    """The error an ``auth`` or ``method`` change of ``op`` is documented to get: ``op``'s own,
    else one the collection shows shared (:meth:`ContractSet.shared_error`); under
    ``strict``, else any operation's (:meth:`ContractSet.collection_error`)."""
    entry = op.error(kind)
    if entry is not None or contracts is None:
        return entry
    auth_type = op.request.auth.type if kind == "auth" else None
    entry = contracts.shared_error(kind, auth_type)
    if entry is None and auth_type is not None:
        entry = contracts.shared_error(kind)
    if entry is None and strict:
        entry = contracts.collection_error(kind, auth_type) or contracts.collection_error(kind)
    return entry


def documented_method(entry: ErrorEntry | None) -> str:
    """The wrong method a documented method error shows (``COPY``), or ``""``."""
    return str(entry.trigger.detail.get("method") or "").upper() if entry is not None else ""


def _documented(contracts: ContractSet | None, op: OperationContract, m: Mutation) -> Expected:
    trigger_kind = _TRIGGER_OF[m.kind]
    if m.kind in ("method", "auth"):
        entry = documented_error(contracts, op, trigger_kind)
        if m.kind == "method" and documented_method(entry) != m.label.rsplit(" ", 1)[-1]:
            entry = None  # documented for another method: this one may get another answer
        return Expected("documented", entry) if entry is not None else Expected("inferred")
    if m.query or m.header:  # the catalog's triggers are changes to the body
        return Expected("inferred")
    generic = generic_pointer(m.pointer)
    for entry in op.errors:
        if entry.trigger.kind != trigger_kind:
            continue
        target = generic_pointer(entry.trigger.pointer)
        if m.kind == "unknown_field":
            target = target.rsplit("/", 1)[0]  # the object the unknown field was added to
        if target == generic and (m.kind != "value" or m.documented_by == entry.example):
            return Expected("documented", entry)
    return Expected("inferred")


@st.composite
def _invalid(
    draw: st.DrawFn,
    op: OperationContract,
    contracts: ContractSet | None,
    kinds: frozenset[str],
    valid: st.SearchStrategy[RequestSpec],
) -> InvalidRequest:
    spec = draw(valid)
    bad_method = ""
    if "method" in kinds:
        documented = documented_method(documented_error(contracts, op, "method"))
        bad_method = wrong_method(op, spec.path, contracts, documented) or ""
    sites = [m for m in mutation_sites(op, spec.body, bad_method=bad_method) if m.kind in kinds]
    if not sites:
        raise InvalidArgument(f"no invalid request of kinds {sorted(kinds)} exists for {op.id}")
    m = draw(st.sampled_from(sites))
    return InvalidRequest(
        m.apply(spec, draw), m.kind, m.label, m.pointer, _documented(contracts, op, m)
    )


def invalid_requests(
    operation: OperationContract,
    *,
    contracts: ContractSet | None = None,
    kinds: frozenset[str] | set[str] | None = None,
    variables: Mapping[str, str] | None = None,
) -> st.SearchStrategy[InvalidRequest]:
    """Requests that break ``operation``'s contract, each labelled with the rule it breaks.

    Args:
        operation: the operation's contract.
        contracts: the whole contract set: the wrong method is one no operation serves on the
            request's path, and authentication and method errors the collection shows shared
            by its operations (documented alike on two or more) are expected of this one.
        kinds: which rules to break (default: all that apply); see :data:`KINDS`.
        variables: values for ``{{variables}}`` in the path.
    """
    if not isinstance(operation, OperationContract):
        raise InvalidArgument(f"operation must be an OperationContract, not {operation!r}")
    chosen = frozenset(kinds) if kinds is not None else KINDS
    if not chosen <= KINDS:
        raise InvalidArgument(f"unknown kinds {sorted(chosen - KINDS)}; known: {sorted(KINDS)}")
    if not operation.request.auth.required:
        chosen -= {"auth"}
    if not chosen:
        raise InvalidArgument(f"none of the kinds {sorted(kinds or ())} applies to {operation.id}")
    return _invalid(operation, contracts, chosen, requests(operation, variables=variables))


def documented_invalid_requests(
    operation: OperationContract,
    *,
    contracts: ContractSet | None = None,
    variables: Mapping[str, str] | None = None,
) -> list[InvalidRequest]:
    """One invalid request for each change the error catalog documents, made from the smallest
    valid request (the documented example), in a fixed order.

    Random generation finds a documented error only when it happens to make that change; a
    fuzz run sends these first, so a small budget still checks every documented error.
    """
    documented_anywhere = operation.errors or any(
        documented_error(contracts, operation, k) for k in ("method", "auth")
    )
    if not documented_anywhere:
        return []
    valid = _documented_request(operation, dict(variables or {}))
    out: list[InvalidRequest] = []
    seen: set[tuple[str, str, str]] = set()
    documented = documented_method(documented_error(contracts, operation, "method"))
    bad_method = wrong_method(operation, valid.path, contracts, documented) or ""
    for m in mutation_sites(operation, valid.body, bad_method=bad_method):
        expected = _documented(contracts, operation, m)
        key = (m.kind, generic_pointer(m.pointer), expected.error.example if expected.error else "")
        if expected.confidence == "documented" and key not in seen:
            seen.add(key)
            out.append(InvalidRequest(m.apply(valid, None), m.kind, m.label, m.pointer, expected))
    return out


def documented_value(p: Parameter) -> str:
    """A path or query parameter's value in the documented request: its documented one when
    that is valid as the parameter, else a plain value of its type (of its format: a
    ``<dateTime>`` slot documents a date-time, not the text ``example``)."""
    one = p.schema.get("items") if p.schema.get("type") == "array" else p.schema
    schema = _parameter_schema(one if isinstance(one, dict) else {})
    if (
        p.example
        and _segment_value(p.example)
        and _valid(schema, read_as_schema(p.example, schema))
    ):
        return p.example
    fmt = schema.get("format")
    if schema.get("type") == "string" and isinstance(fmt, str):
        sample = slot_sample(TypeSlot(f"<{fmt}>", True, ("string",), fmt))
        if isinstance(sample, str) and _valid(schema, sample):
            return sample
    return _PLAIN_VALUES.get(str(schema.get("type")), "example")


def _documented_request(op: OperationContract, variables: Mapping[str, str]) -> RequestSpec:
    """The valid request the documentation shows, without drawing (the examples it holds)."""
    schema = valid_schema(op)
    body = _example_for(schema, fill=variables) if schema is not None else None
    if schema is not None and body is None:  # no valid documented body: the simplest one
        return find(requests(op, variables=variables), lambda spec: True)
    path = _fill(op.request.path, variables)
    query: list[tuple[str, str]] = []
    for p in op.request.parameters:
        value = documented_value(p)
        if p.location == "path":
            path = path.replace("{" + p.name + "}", quote(value, safe=""))
        elif p.required:
            query.append((p.name, value))
    headers = [*op.request.headers.items(), *_required_headers(op, variables, None)]
    return _spec(op, path, query, headers, body, None)
