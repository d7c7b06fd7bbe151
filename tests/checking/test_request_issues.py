"""``request_issues`` (and the layers over it) for each trigger kind.

One tiny collection documents six operations: ``things`` (a JSON body under Bearer auth, a
required typed query parameter, a required header, two documented errors), ``payments`` (a
form), ``report`` (an XML body), ``search`` (an API key in the query string, a typed
query parameter), and ``create`` and ``remove`` (one route, told apart by an ``action``).
Each row is one request and the issue kinds it must provoke, in order:
exactly one kind for the row that provokes a kind, none for a valid request. Each row names the
entry point that owns the rule: :func:`request_issues` (credentials and the body),
:func:`contract_issues` (adds the Content-Type, XML, the query and the headers) or
:func:`judge_request` (adds routing: the method).

The kinds come from ``_requests.py`` itself (the answer order and every ``Issue(...)`` it
builds), so a kind added there without a row here fails
:func:`test_every_kind_the_module_defines_has_a_row`.
"""

from __future__ import annotations

import ast
import inspect
import json
from functools import cache
from typing import Any, NamedTuple

import pytest

from postman_contracts.checking import (
    Checker,
    HttpRequest,
    RequestSpec,
    _requests,
    accepts_request,
    contract_issues,
    judge_request,
    request_issues,
)
from postman_contracts.collection import load_collection
from postman_contracts.contracts import ContractSet, build_contracts
from tests.contracts.exchange_builders import collection, form_request, plain_request, response

BASE = "http://api.example.test"
GOOD = {"name": "a", "size": 1, "owner": {"id": 1}}
QUERY: list[Any] = [("dry_run", "<boolean>")]
HEADERS: list[Any] = [("X-Tenant", "acme")]
BEARER = {"type": "bearer", "bearer": [{"key": "token", "value": "{{token}}", "type": "string"}]}
API_KEY = {
    "type": "apikey",
    "apikey": [
        {"key": "key", "value": "api_key"},
        {"key": "value", "value": "{{key}}"},
        {"key": "in", "value": "query"},
    ],
}
REPORT = "<report><total>1</total></report>"


def _things(body: Any) -> dict[str, Any]:
    req = plain_request("POST", "/things", json_body=body, query=QUERY, headers=HEADERS)
    req["auth"] = BEARER
    return req


def _report(body: str) -> dict[str, Any]:
    req = plain_request("PUT", "/report", headers=[("Content-Type", "application/xml")])
    req["body"] = {"mode": "raw", "raw": body, "options": {"raw": {"language": "xml"}}}
    return req


def _search() -> dict[str, Any]:
    req = plain_request("GET", "/search", query=[("limit", "<integer>")])
    req["auth"] = API_KEY
    return req


def _payments() -> dict[str, Any]:
    return form_request([("amount", "<integer>"), ("currency", "USD")], path="/payments")


@cache
def _contracts() -> ContractSet:
    doc = collection(
        (
            "things",
            _things(GOOD),
            [
                response("Created", 201, {"id": 1}, _things(GOOD)),
                response("Again", 201, {"id": 2}, _things({**GOOD, "name": "b", "size": 2})),
                response(
                    "Negative size",
                    400,
                    {"code": "INVALID_SIZE", "message": "size must not be negative"},
                    _things({**GOOD, "size": -1}),
                ),
                response(
                    "Missing name",
                    400,
                    {"code": "MISSING_NAME", "message": "name is required"},
                    _things({"size": 1, "owner": {"id": 1}}),
                ),
            ],
        ),
        ("payments", _payments(), [response("Paid", 200, {"ok": True}, _payments())]),
        (
            "report",
            _report(REPORT),
            [response("Stored", 204, "", _report(REPORT), content_type=None)],
        ),
        ("search", _search(), [response("Found", 200, {"items": []}, _search())]),
        *(
            (name, _rpc(name), [response("Done", 200, {"ok": True}, _rpc(name))])
            for name in ("create", "remove")
        ),
    )
    return build_contracts(load_collection(doc))


def _rpc(action: str) -> dict[str, Any]:
    """``POST /rpc`` naming its procedure in ``action``: two operations on one route."""
    return plain_request("POST", "/rpc", json_body={"action": action, "id": 1})


# -- requests ----------------------------------------------------------------------------------

JSON_HEADERS = (("Authorization", "Bearer t0ken"), ("X-Tenant", "acme"))
JSON_TYPE = (("Content-Type", "application/json"),)


def things(
    body: Any = GOOD,
    *,
    query: str = "dry_run=true",
    headers: tuple[tuple[str, str], ...] = JSON_HEADERS + JSON_TYPE,
    method: str = "POST",
) -> HttpRequest:
    """A request to ``things``, valid unless an argument breaks it (``bytes`` sent as is)."""
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    url = f"{BASE}/things" + (f"?{query}" if query else "")
    return HttpRequest(method, url, headers, raw)


def without(headers: tuple[tuple[str, str], ...], name: str) -> tuple[tuple[str, str], ...]:
    return tuple((k, v) for k, v in headers if k != name)


def replaced(headers: tuple[tuple[str, str], ...], name: str, value: str) -> Any:
    return (*without(headers, name), (name, value))


def payments(body: bytes, content_type: str = "application/x-www-form-urlencoded") -> HttpRequest:
    return HttpRequest("POST", f"{BASE}/payments", (("Content-Type", content_type),), body)


def multipart(fields: dict[str, Any]) -> HttpRequest:
    spec = RequestSpec("POST", "/payments", body=fields, form="multipart")
    return payments(spec.encoded_body(), spec.content_type() or "")


def report(body: bytes, content_type: str = "application/xml") -> HttpRequest:
    return HttpRequest("PUT", f"{BASE}/report", (("Content-Type", content_type),), body)


def search(query: str) -> HttpRequest:
    return HttpRequest("GET", f"{BASE}/search?{query}")


def rpc(action: str) -> HttpRequest:
    body = json.dumps({"action": action, "id": 1}).encode()
    return HttpRequest("POST", f"{BASE}/rpc", JSON_TYPE, body)


class Row(NamedTuple):
    description: str
    entry: str  # request_issues, contract_issues or judge_request
    operation: str
    request: HttpRequest
    kinds: list[str]
    max_bytes: int = 10 * 1024 * 1024


ROWS = [
    # -- valid requests: no issue, through every layer that judges them ---------------------------
    *(
        Row(f"valid: {what} ({entry})", entry, op, request, [])
        for entry in ("request_issues", "contract_issues", "judge_request")
        for what, op, request in [
            ("the documented JSON body", "things", things()),
            (
                "JSON under another JSON media type",
                "things",
                things(
                    headers=replaced(
                        JSON_HEADERS + JSON_TYPE, "Content-Type", "application/vnd.api+json"
                    )
                ),
            ),
            (
                "a charset on the Content-Type",
                "things",
                things(
                    headers=replaced(
                        JSON_HEADERS + JSON_TYPE, "Content-Type", "application/json; charset=utf-8"
                    )
                ),
            ),
            (
                "the auth scheme in another case",
                "things",
                things(headers=replaced(JSON_HEADERS + JSON_TYPE, "Authorization", "bearer t0ken")),
            ),
            (
                "an urlencoded form, fields read as their types",
                "payments",
                payments(b"amount=10&currency=EUR"),
            ),
            (
                "the same form as multipart",
                "payments",
                multipart({"amount": 10, "currency": "EUR"}),
            ),
            ("the documented XML root", "report", report(b"<report><total>2</total></report>")),
            ("the API key in the query", "search", search("api_key=k&limit=10")),
        ]
    ),
    # -- auth ------------------------------------------------------------------------------------
    Row(
        "auth: no Authorization header",
        "request_issues",
        "things",
        things(headers=without(JSON_HEADERS + JSON_TYPE, "Authorization")),
        ["auth"],
    ),
    Row(
        "auth: another scheme",
        "request_issues",
        "things",
        things(headers=replaced(JSON_HEADERS + JSON_TYPE, "Authorization", "Basic dTpw")),
        ["auth"],
    ),
    Row(
        "auth: the scheme without a token",
        "request_issues",
        "things",
        things(headers=replaced(JSON_HEADERS + JSON_TYPE, "Authorization", "Bearer ")),
        ["auth"],
    ),
    Row("auth: no API key in the query", "request_issues", "search", search("limit=10"), ["auth"]),
    Row(
        "auth: an empty API key", "request_issues", "search", search("api_key=&limit=10"), ["auth"]
    ),
    # -- malformed -------------------------------------------------------------------------------
    Row(
        "malformed: a body that is not JSON",
        "request_issues",
        "things",
        things(b"{'name': 'a'"),
        ["malformed"],
    ),
    Row(
        "malformed: a body that is not UTF-8",
        "request_issues",
        "things",
        things(b'{"name": "\xff"}'),
        ["malformed"],
    ),
    Row(
        "malformed: a Content-Type that is not JSON",
        "request_issues",
        "things",
        things(headers=replaced(JSON_HEADERS + JSON_TYPE, "Content-Type", "text/plain")),
        ["malformed"],
    ),
    Row(
        "malformed: a body over the size limit",
        "request_issues",
        "things",
        things(),
        ["malformed"],
        16,
    ),
    Row(
        "malformed: a body without a Content-Type",
        "contract_issues",
        "things",
        things(headers=JSON_HEADERS),
        ["malformed"],
    ),
    Row(
        "malformed: a form sent as JSON",
        "request_issues",
        "payments",
        payments(b'{"amount": 1}', "application/json"),
        ["malformed"],
    ),
    Row(
        "malformed: a multipart body that does not parse",
        "request_issues",
        "payments",
        payments(b"amount=1", "multipart/form-data; boundary=zz"),
        ["malformed"],
    ),
    Row(
        "malformed: XML that is not well-formed",
        "contract_issues",
        "report",
        report(b"<report><total>"),
        ["malformed"],
    ),
    Row(
        "malformed: XML with another root element",
        "contract_issues",
        "report",
        report(b"<summary/>"),
        ["malformed"],
    ),
    Row(
        "malformed: JSON where XML is documented",
        "contract_issues",
        "report",
        report(b"{}", "application/json"),
        ["malformed"],
    ),
    # -- missing_required ------------------------------------------------------------------------
    Row(
        "missing_required: a required property",
        "request_issues",
        "things",
        things({"size": 1, "owner": {"id": 1}}),
        ["missing_required"],
    ),
    Row(
        "missing_required: a nested key renamed",
        "request_issues",
        "things",
        things({**GOOD, "owner": {"ref": 1}}),
        ["unknown_field", "missing_required"],
    ),
    Row(
        "missing_required: no body at all",
        "request_issues",
        "things",
        things(b""),
        ["missing_required"],
    ),
    Row(
        "missing_required: a required form field",
        "request_issues",
        "payments",
        payments(b"currency=EUR"),
        ["missing_required"],
    ),
    Row(
        "missing_required: a required query parameter",
        "contract_issues",
        "things",
        things(query=""),
        ["missing_required"],
    ),
    Row(
        "missing_required: a required header",
        "contract_issues",
        "things",
        things(headers=without(JSON_HEADERS + JSON_TYPE, "X-Tenant")),
        ["missing_required"],
    ),
    # -- empty_object ----------------------------------------------------------------------------
    Row(
        "empty_object: an object emptied",
        "request_issues",
        "things",
        things({**GOOD, "owner": {}}),
        ["empty_object"],
    ),
    # -- unknown_field ---------------------------------------------------------------------------
    Row(
        "unknown_field: a property no example shows",
        "request_issues",
        "things",
        things({**GOOD, "colour": "red"}),
        ["unknown_field"],
    ),
    Row(
        "unknown_field: a form field no example shows",
        "request_issues",
        "payments",
        payments(b"amount=1&currency=EUR&tip=2"),
        ["unknown_field"],
    ),
    Row(
        "unknown_field: an undocumented query parameter",
        "contract_issues",
        "things",
        things(query="dry_run=true&verbose=1"),
        ["unknown_field"],
    ),
    # -- type_changed ----------------------------------------------------------------------------
    Row(
        "type_changed: a property of another type",
        "request_issues",
        "things",
        things({**GOOD, "size": "big"}),
        ["type_changed"],
    ),
    Row(
        "type_changed: a form field that does not read as its type",
        "request_issues",
        "payments",
        payments(b"amount=ten&currency=EUR"),
        ["type_changed"],
    ),
    Row(
        "type_changed: a query value that does not read as its type",
        "contract_issues",
        "search",
        search("api_key=k&limit=ten"),
        ["type_changed"],
    ),
    # -- value_changed ---------------------------------------------------------------------------
    Row(
        "value_changed: the value a documented error was saved with",
        "request_issues",
        "things",
        things({**GOOD, "size": -1}),
        ["value_changed"],
    ),
    # -- method ----------------------------------------------------------------------------------
    Row(
        "method: a method the path does not document",
        "judge_request",
        "things",
        things(method="PATCH"),
        ["method"],
    ),
    # -- unroutable: operations sharing a route, told apart by their routing key --------------
    Row("valid: routed by its action", "judge_request", "remove", rpc("remove"), []),
    Row(
        "unroutable: another operation's action",
        "request_issues",
        "create",
        rpc("remove"),
        ["unroutable"],
    ),
    Row(
        "unroutable: an action no operation of the route documents",
        "judge_request",
        "create",
        rpc("rename"),
        ["unroutable"],
    ),
]


def _issues(row: Row) -> tuple[str, list[Any]]:
    contracts = _contracts()
    checker = Checker(contracts)
    op = contracts.operation(row.operation)
    if row.entry == "request_issues":
        return op.id, request_issues(checker, op, row.request, max_bytes=row.max_bytes)
    if row.entry == "contract_issues":
        return op.id, contract_issues(checker, op, row.request, max_bytes=row.max_bytes)
    verdict = judge_request(contracts, checker, row.request, max_bytes=row.max_bytes)
    assert verdict.operation is not None, verdict.route.closest
    return verdict.operation.id, list(verdict.issues)


@pytest.mark.parametrize("row", ROWS, ids=[r.description for r in ROWS])
def test_request_issues(row: Row) -> None:
    routed, issues = _issues(row)
    assert routed == row.operation
    assert [i.kind for i in issues] == row.kinds, [f"{i.kind} {i.message}" for i in issues]
    assert all(i.message for i in issues)


@pytest.mark.parametrize(
    "row",
    [r for r in ROWS if r.entry == "request_issues"],
    ids=[r.description for r in ROWS if r.entry == "request_issues"],
)
def test_a_request_is_accepted_exactly_when_it_has_no_issue(row: Row) -> None:
    """The question asked of every other item on a route, which stops at the first issue."""
    contracts = _contracts()
    op = contracts.operation(row.operation)
    accepted = accepts_request(Checker(contracts), op, row.request, max_bytes=row.max_bytes)
    assert accepted is (not row.kinds)


def _defined_kinds() -> set[str]:
    """Every kind ``_requests.py`` can label an issue with: the answer order, and the string
    literals of each ``Issue(...)`` it builds (a kind chosen by a conditional included)."""
    tree = ast.parse(inspect.getsource(_requests))
    kinds = set(_requests._ANSWER_ORDER)
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Issue" and node.args:
            kinds |= {
                c.value
                for c in ast.walk(node.args[0])
                if isinstance(c, ast.Constant) and isinstance(c.value, str)
            }
    return kinds


def test_every_kind_the_module_defines_has_a_row() -> None:
    """Each kind has a row provoking it alone; the rows name no kind the module lacks."""
    defined = _defined_kinds()
    alone = {r.kinds[0] for r in ROWS if len(r.kinds) == 1}
    assert alone == defined
    assert {k for r in ROWS for k in r.kinds} <= defined


def test_the_answered_issue_is_the_first_a_server_sees() -> None:
    """A request breaking several rules is answered for the first a server checks: the
    method, then credentials, then the body."""
    contracts = _contracts()
    bad = things(
        {**GOOD, "size": "big"},
        headers=without(JSON_HEADERS + JSON_TYPE, "Authorization"),
        method="PATCH",
    )
    verdict = judge_request(contracts, Checker(contracts), bad)
    assert [i.kind for i in verdict.issues] == ["method", "auth", "type_changed"]
    assert verdict.answered is not None and verdict.answered.kind == "method"
    no_method = judge_request(
        contracts,
        Checker(contracts),
        things({**GOOD, "size": "big"}, headers=without(JSON_HEADERS + JSON_TYPE, "Authorization")),
    )
    assert no_method.answered is not None and no_method.answered.kind == "auth"
