"""The contract tests for one operation, independent of pytest.

Why it exists: the plugin turns each case into a test item and ``verify`` runs the plugin; the
logic of *what to send and what to expect* lives here, in one place: replay each documented
example; fuzz valid and invalid requests; try an undocumented method and a request without
credentials.

What is demanded is what the documentation shows: an operation's own errors; authentication
and method errors documented alike on several operations (shared collection-wide) for those
that document none of their own; elsewhere any client error (4xx), in whatever body the
server's framework gives it (``application/problem+json``...). One operation's error is not
evidence about another (``--contracts-strict`` takes it as such).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import quote

from postman_contracts.checking import Expectation, RequestSpec
from postman_contracts.collection import fill_slots
from postman_contracts.contracts import (
    FILE_VALUE,
    ContractSet,
    ErrorEntry,
    ExampleExchange,
    OperationContract,
    pointer_to_path,
)
from postman_contracts.generators import (
    documented_error,
    documented_method,
    form_encoding,
    wrong_method,
)
from postman_contracts.server._http import credential_headers
from postman_contracts.server._settings import PHASES

__all__ = [
    "Case",
    "Probe",
    "auth_probe",
    "base_request",
    "cases_for",
    "example_request",
    "method_probe",
    "open_routes",
    "replay_expectation",
    "replay_request",
    "same_request",
]


#: What a path segment may hold unencoded (RFC 3986 ``pchar``, without ``%``).
_PCHAR = "!$&'()*+,;=:@-._~"


@dataclass(frozen=True)
class Case:
    """One contract test.

    Attributes:
        kind: ``example``, ``coverage``, ``fuzz_valid``, ``fuzz_invalid``, ``method`` or
            ``auth``.
        operation: the operation under test.
        name: the test id suffix (``leads::INVALID_DATA (field)``).
        example: the example replayed, for ``example`` cases.
        skip: a reason to skip (a ``state`` error nothing arranges), or ``""``.
    """

    kind: str
    operation: OperationContract
    name: str
    example: str = ""
    skip: str = ""


def _fill(value: Any, variables: Mapping[str, str], *, json: bool = False) -> Any:
    """Fill ``{{variables}}`` and ``<type>`` slots: the one slot-filling policy."""
    return fill_slots(value, variables, json=json)


def _schema_example(schema: Mapping[str, Any]) -> str:
    """A value for an undocumented path parameter: the schema's example, else a plain token."""
    examples = schema.get("examples") or []
    if examples and isinstance(examples[0], (str, int)):
        return str(examples[0])
    return "1" if schema.get("type") == "integer" else "example"


def example_request(
    op: OperationContract,
    x: ExampleExchange,
    variables: Mapping[str, str],
    *,
    credentials: bool = True,
) -> RequestSpec:
    """The request a documented example shows, with variables filled in, and without the
    credentials it was saved with (the sender adds the configured ones, or none)."""
    auth = op.request.auth
    secret = credential_headers(auth)
    headers = [(k, _fill(v, variables)) for k, v in x.headers if k.lower() not in secret]
    if (
        x.body is not None
        and x.body_is_json
        and not any(k.lower() == "content-type" for k, _ in headers)
    ):
        headers.append(("Content-Type", op.request.content_type or "application/json"))
    # A saved form (fields as text) is sent as the operation's form, else as urlencoded.
    saved_form = isinstance(x.body, dict) and not x.body_is_json
    form = (form_encoding(op) or "urlencoded") if saved_form else ""
    raw = (
        None
        if x.body_is_json or x.body is None or form
        else str(_fill(x.body, variables)).encode("utf-8")
    )
    path = _fill(x.path, variables)
    for p in op.request.parameters:
        if p.location == "path":
            value = variables.get(p.name) or p.example or _schema_example(p.schema)
            # One path variable is one segment: a "/" in its value is data, sent as %2F (and
            # quote() leaves no backslash for re.sub to read as a group reference).
            segment = quote(value, safe=_PCHAR)
            path = re.sub(rf"(?<=/):{re.escape(p.name)}(?=/|$)", segment, path)
    return RequestSpec(
        method=x.method,
        path=path,
        query=tuple(
            (k, _fill(v or "", variables))
            for k, v in x.query
            if not (auth.location == "query" and k == auth.name)
        ),
        headers=tuple(headers),
        body=_fill(x.body, variables, json=True)
        if x.body_is_json
        else (_form_values(x.body, variables) if form else None),
        raw_body=raw,
        credentials=credentials,
        form=form,
    )


def _form_values(fields: dict[str, Any], variables: Mapping[str, str]) -> dict[str, Any]:
    """A saved form's fields with their slots filled; a file part as a few bytes (the
    collection names a file on its author's disk, never its content)."""
    return {k: b"file" if v == FILE_VALUE else _fill(v, variables) for k, v in fields.items()}


def replay_request(
    op: OperationContract, x: ExampleExchange, variables: Mapping[str, str]
) -> RequestSpec:
    """The request a replay of ``x`` sends: without credentials for an authentication error."""
    error = next((e for e in op.errors if e.example == x.name), None)
    credentials = not (error is not None and error.trigger.kind == "auth")
    return example_request(op, x, variables, credentials=credentials)


# Headers that choose a representation or describe the client, never the outcome: requests
# that differ only in them are the same request (the converter saves a different Accept on
# each example, after the response's media type).
_IRRELEVANT_HEADERS = frozenset(
    {
        "accept",
        "accept-charset",
        "accept-encoding",
        "accept-language",
        "cache-control",
        "connection",
        "content-length",
        "host",
        "postman-token",
        "user-agent",
    }
)


def _request_key(op: OperationContract, spec: RequestSpec) -> tuple[Any, ...]:
    """What makes two replayed requests the same request: method, path, query, body, the
    headers apart from credentials (whose values examples save differently) and from
    :data:`_IRRELEVANT_HEADERS`, and whether credentials are sent at all."""
    ignored = credential_headers(op.request.auth) | _IRRELEVANT_HEADERS
    headers = sorted((k.lower(), v) for k, v in spec.headers if k.lower() not in ignored)
    body = (
        json.dumps(spec.body, sort_keys=True, default=repr)
        if spec.body is not None
        else spec.raw_body
    )
    return (
        spec.method.upper(),
        spec.path,
        tuple(sorted(spec.query)),
        tuple(headers),
        body,
        spec.credentials,
    )


def same_request(
    op: OperationContract, example: str, variables: Mapping[str, str]
) -> tuple[str, ...]:
    """The examples (``example`` included, in collection order) whose replays send the very
    request ``example``'s replay sends. One request documented with several responses (a
    state-dependent error, 200 and 201, a converter's ``default``) cannot have any one of
    them demanded."""
    keys = {x.name: _request_key(op, replay_request(op, x, variables)) for x in op.examples}
    return tuple(name for name, key in keys.items() if key == keys[example])


def replay_expectation(
    op: OperationContract, example: str, variables: Mapping[str, str]
) -> tuple[Expectation, str]:
    """What a replay of ``example`` must get, and the line saying so: its own response when
    its request is distinct, else any response documented for that request."""

    def entry(name: str) -> ErrorEntry | None:
        return next((e for e in op.errors if e.example == name), None)

    group = same_request(op, example, variables)
    note = f"replaying documented example {example!r}"
    if len(group) < 2:
        return Expectation("example", op.response(example), entry(example)), note
    alternatives = tuple((op.response(n), entry(n)) for n in group)
    which = "either" if len(group) == 2 else "any of them"
    others = ", ".join(repr(n) for n in group if n != example)
    return Expectation("any_example", alternatives=alternatives), (
        f"{note} (documented with {len(group)} responses for this request, with {others}: "
        f"accepts {which})"
    )


def base_request(op: OperationContract, variables: Mapping[str, str]) -> RequestSpec:
    """The success example's request (else the first example's), to vary for method and auth."""
    name = op.shown_example
    x = next((x for x in op.examples if x.name == name), None)
    if x is not None:
        return example_request(op, x, variables)
    path = _fill(op.request.path, variables)
    return RequestSpec(op.request.method, path, headers=tuple(op.request.headers.items()))


@dataclass(frozen=True)
class Probe:
    """What a method or auth test sends and expects; ``spec`` is ``None`` to skip (``note``)."""

    spec: RequestSpec | None
    expect: Expectation
    note: str


def expectation_for_error(entry: ErrorEntry | None) -> Expectation:
    """Exactly the documented error, or (where none is documented) any client error (4xx)."""
    return Expectation("error", error=entry) if entry is not None else Expectation("client_error")


def method_probe(
    contracts: ContractSet, op: OperationContract, variables: Mapping[str, str], *, strict: bool
) -> Probe:
    """The success request with a method no documented operation serves on its path.

    The method error is expected where this operation documents one, or the collection shows
    one shared (and only for the very method it documents); elsewhere any 4xx will do.
    """
    spec = base_request(op, variables)
    entry = documented_error(contracts, op, "method", strict=strict)
    documented = documented_method(entry)
    method = wrong_method(op, spec.path, contracts, documented)
    if method is None:
        return Probe(
            None,
            Expectation("client_error"),
            f"every standard method is documented on a path template matching {spec.path}",
        )
    spec = replace(spec, method=method)
    if entry is not None and method == documented:
        return Probe(
            spec,
            Expectation("error", error=entry),
            f"an undocumented method ({method}) must get the documented method error",
        )
    return Probe(
        spec,
        Expectation("client_error"),
        f"an undocumented method ({method}) must get a client error (4xx): "
        "no method error is documented for it",
    )


def auth_probe(
    contracts: ContractSet, op: OperationContract, variables: Mapping[str, str], *, strict: bool
) -> Probe:
    """The success request without credentials: the documented authentication error where
    this operation documents one or the collection shows one shared, else any 4xx."""
    spec = replace(base_request(op, variables), credentials=False)
    entry = documented_error(contracts, op, "auth", strict=strict)
    if entry is not None:
        return Probe(
            spec,
            Expectation("error", error=entry),
            "a request without credentials must get the authentication error",
        )
    return Probe(
        spec,
        Expectation("client_error"),
        "a request without credentials must get a client error (4xx): "
        "no authentication error is documented for it",
    )


def open_routes(contracts: ContractSet) -> dict[tuple[str, str], OperationContract]:
    """Per ``(method, path)``, the first operation that documents it without credentials."""
    routes: dict[tuple[str, str], OperationContract] = {}
    for o in contracts.operations:
        if not o.request.auth.required:
            routes.setdefault((o.request.method, o.request.path), o)
    return routes


def cases_for(
    contracts: ContractSet,
    op: OperationContract,
    checks: frozenset[str],
    *,
    routes: Mapping[tuple[str, str], OperationContract] | None = None,
    phases: frozenset[str] = frozenset(PHASES),
) -> list[Case]:
    """Every case of ``op`` among the selected ``checks`` and ``phases``.

    ``routes`` is :func:`open_routes` of ``contracts``; pass it when calling this for every
    operation, so that the collection is scanned once rather than once per operation. The
    ``coverage`` case comes before the fuzz cases: the same requests on every run first.
    """
    out: list[Case] = []
    if "examples" in checks:
        for r in op.responses:
            error = next((e for e in op.errors if e.example == r.example), None)
            skip = ""
            if r.status is None:
                skip = (
                    f"{r.example} documents no status (an OpenAPI 'default' response, as "
                    "Postman's converter saves it): no status can be demanded of its request; "
                    "the replays of examples documenting the same request accept its response"
                )
            elif error is not None and error.trigger.kind == "state":
                t = error.trigger
                why = (
                    f"its request differs from the success's only in the value at "
                    f"{pointer_to_path(str(t.detail.get('at', '')))} "
                    f"({t.detail.get('from')!r} → {t.detail.get('to')!r}), which nothing "
                    "shows invalid: taken as"
                    if t.detail.get("unexplained")
                    else "is"
                )
                skip = (
                    f"{error.code or r.example} {why} caused by server state, not by the "
                    "request; implement pytest_contracts_arrange_state to arrange it"
                )
            elif (
                error is not None and error.trigger.kind == "auth" and not op.request.auth.required
            ):
                skip = (
                    f"{error.code or r.example} is an authentication error, but the operation "
                    "documents no "
                    "credentials this tool can withhold (they are in the body or not shown)"
                )
            out.append(Case("example", op, f"{op.id}::{r.example}", r.example, skip))
    # Fuzzed: a body (JSON or form), or query parameters to draw (and, for invalid requests,
    # a required one to leave out).
    auth = op.request.auth
    query = [
        p
        for p in op.request.parameters
        if p.location == "query" and not (auth.location == "query" and p.name == auth.name)
    ]
    # The coverage phase breaks rules (its valid requests come with them, under "fuzz").
    rules = op.request.schema is not None or query or op.request.header_params
    if "coverage" in phases and "invalid" in checks and rules:
        out.append(Case("coverage", op, op.id))
    fuzz = "fuzz" in phases
    if fuzz and "fuzz" in checks and (op.request.schema is not None or query):
        out.append(Case("fuzz_valid", op, op.id))
    required = any(p.required for p in (*query, *op.request.header_params))
    if fuzz and "invalid" in checks and (op.request.schema is not None or required):
        out.append(Case("fuzz_invalid", op, op.id))
    if "method" in checks:
        out.append(Case("method", op, op.id))
    if "auth" in checks and op.request.auth.required:
        # op itself requires credentials, so it is never its own twin.
        routes = open_routes(contracts) if routes is None else routes
        twin = routes.get((op.request.method, op.request.path))
        skip = f"{twin.item_path} documents the same request without credentials" if twin else ""
        out.append(Case("auth", op, op.id, skip=skip))
    return out
