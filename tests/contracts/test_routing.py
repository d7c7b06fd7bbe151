"""Routing keys (issue 13): operations sharing a method and path are told apart by what the
collection shows differs between them, and by nothing else; the key is written, read back,
and routes requests in ``judge_request`` (the one policy of both mocks).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from postman_contracts.checking import Checker, HttpRequest, judge_request
from postman_contracts.collection import load_collection
from postman_contracts.contracts import (
    ContractSet,
    build_contracts,
    diff_contracts,
    load_contracts,
    render,
    write_contracts,
)
from postman_contracts.contracts._routing import graphql_operation_name
from tests.contracts.exchange_builders import collection, plain_request, response
from tests.contracts.routing_builders import (
    element,
    envelope,
    graphql_collection,
    soap_collection,
)


def _build(tmp_path: Path, doc: dict[str, Any]) -> ContractSet:
    path = tmp_path / "api.postman_collection.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    return build_contracts(load_collection(path))


def _keys(contracts: ContractSet) -> dict[str, Any]:
    return {
        op.id: None if (k := op.request.route_key) is None else (k.kind, k.name, k.values)
        for op in contracts.operations
    }


def test_soap_actions_are_keyed_by_their_soapaction(tmp_path: Path) -> None:
    assert _keys(_build(tmp_path, soap_collection())) == {
        "create-user": ("soap-action", "SOAPAction", ("urn:CreateUser",)),
        "delete-user": ("soap-action", "SOAPAction", ("urn:DeleteUser",)),
    }


def test_without_a_soapaction_the_body_element_keys_them(tmp_path: Path) -> None:
    assert _keys(_build(tmp_path, soap_collection(with_action=False))) == {
        "create-user": ("soap-body", "", ("{urn:example:users}CreateUser",)),
        "delete-user": ("soap-body", "", ("{urn:example:users}DeleteUser",)),
    }


def test_graphql_operations_are_keyed_by_name_and_hold_their_document(tmp_path: Path) -> None:
    contracts = _build(tmp_path, graphql_collection())
    assert _keys(contracts) == {
        "get-user": ("graphql", "", ("GetUser",)),
        "delete-user": ("graphql", "", ("DeleteUser",)),
    }
    op = contracts.operation("get-user")
    assert op.request.graphql is not None and op.request.graphql.startswith("query GetUser")
    assert op.request.content_type == "application/json"
    schema = op.request.schema
    assert schema is not None
    assert schema["properties"]["variables"]["properties"]["id"]["type"] == "string"


def _rpc(action: str, extra: dict[str, Any]) -> dict[str, Any]:
    return plain_request("POST", "/rpc", json_body={"action": action, **extra})


def test_a_member_naming_a_procedure_keys_json_operations(tmp_path: Path) -> None:
    create, remove = _rpc("create", {"name": "Ann"}), _rpc("remove", {"id": 7})
    doc = collection(
        ("Create", create, [response("OK", 200, {"id": 7}, create)]),
        ("Remove", remove, [response("OK", 200, {"ok": True}, remove)]),
    )
    assert _keys(_build(tmp_path, doc)) == {
        "create": ("json", "/action", ("create",)),
        "remove": ("json", "/action", ("remove",)),
    }


def test_items_differing_only_in_values_are_variants_without_a_key(tmp_path: Path) -> None:
    """Two examples of one operation (two customers) are not two operations, whatever a
    member happens to hold: a key there would make every other name unroutable."""
    ann = plain_request("POST", "/customers", json_body={"name": "Ann", "tier": "gold"})
    bob = plain_request("POST", "/customers", json_body={"name": "Bob", "tier": "basic"})
    doc = collection(
        ("Create Ann", ann, [response("OK", 201, {"id": 1}, ann)]),
        ("Create Bob", bob, [response("OK", 201, {"id": 2}, bob)]),
    )
    assert _keys(_build(tmp_path, doc)) == {"create-ann": None, "create-bob": None}


def test_other_members_never_key_even_where_shapes_differ(tmp_path: Path) -> None:
    """A capture in EUR and a split capture in USD, a card and a wallet payment: variants of
    one operation, whose other currencies and types a server takes all the same."""
    eur = plain_request("POST", "/captures", json_body={"amount": {"currency": "EUR"}})
    usd = plain_request(
        "POST", "/captures", json_body={"amount": {"currency": "USD"}, "splits": [{"id": 1}]}
    )
    card = plain_request("POST", "/payments", json_body={"type": "scheme", "number": "4111"})
    wallet = plain_request("POST", "/payments", json_body={"type": "applepay", "token": "t"})
    doc = collection(("EUR", eur, []), ("USD", usd, []), ("Card", card, []), ("Wallet", wallet, []))
    assert set(_keys(_build(tmp_path, doc)).values()) == {None}


def test_operations_alone_on_their_route_have_no_key(tmp_path: Path) -> None:
    one = plain_request("POST", "/a", json_body={"action": "x"})
    two = plain_request("POST", "/b", json_body={"action": "y"})
    doc = collection(("A", one, []), ("B", two, []))
    assert _keys(_build(tmp_path, doc)) == {"a": None, "b": None}


@pytest.mark.parametrize(
    ("document", "name", "expected"),
    [
        ("query GetUser($id: ID!) { user(id: $id) { id } }", None, "GetUser"),
        ("mutation { deleteUser(id: 1) { ok } }", None, "deleteUser"),
        ("{ me { id } }", None, "me"),
        ("{ current: me { id } }", None, "me"),
        ("# a comment with query Fake\nquery Real { a }", None, "Real"),
        ("fragment F on User { id }\nquery Q { me { ...F } }", None, "Q"),
        ("query A { a } query B { b }", "B", "B"),
    ],
)
def test_the_graphql_operation_name(document: str, name: str | None, expected: str) -> None:
    assert graphql_operation_name(document, name) == expected


def test_the_key_is_written_and_read_back_byte_stable(tmp_path: Path) -> None:
    contracts = _build(tmp_path, graphql_collection())
    out = tmp_path / "contracts"
    write_contracts(contracts, out)
    again = load_contracts(out)
    assert _keys(again) == _keys(contracts)
    assert [op.request.graphql for op in again.operations] == [
        op.request.graphql for op in contracts.operations
    ]
    assert render(again) == render(contracts)
    index = json.loads((out / "index.json").read_text(encoding="utf-8"))
    assert index["operations"][0]["route_key"] == {
        "kind": "graphql",
        "name": "",
        "values": ["GetUser"],
    }


def _judge(contracts: ContractSet, request: HttpRequest) -> tuple[str | None, list[str]]:
    verdict = judge_request(contracts, Checker(contracts), request)
    op = verdict.operation
    return (op.id if op else None), [i.kind for i in verdict.issues]


def _soap(action: str | None, inner: str) -> HttpRequest:
    headers = [("Content-Type", "text/xml; charset=utf-8")]
    if action is not None:
        headers.append(("SOAPAction", f'"{action}"'))
    return HttpRequest("POST", "http://h/soap", tuple(headers), envelope(inner).encode())


def test_requests_are_routed_by_their_key(tmp_path: Path) -> None:
    contracts = _build(tmp_path, soap_collection())
    body = element("DeleteUser", "<u:id>1</u:id>")
    assert _judge(contracts, _soap("urn:DeleteUser", body)) == ("delete-user", [])
    assert _judge(contracts, _soap("urn:CreateUser", body)) == ("create-user", [])


def test_a_request_of_no_keyed_operation_is_unroutable_not_a_guess(tmp_path: Path) -> None:
    contracts = _build(tmp_path, soap_collection())
    body = element("RenameUser", "")
    verdict = judge_request(contracts, Checker(contracts), _soap("urn:RenameUser", body))
    assert [i.kind for i in verdict.issues] == ["unroutable"]
    assert "SOAPAction 'urn:RenameUser'" in verdict.issues[0].message
    assert "urn:CreateUser" in verdict.issues[0].message
    assert _judge(contracts, _soap(None, body))[1] == ["unroutable"]


def test_graphql_requests_are_routed_by_operation_name(tmp_path: Path) -> None:
    contracts = _build(tmp_path, graphql_collection())

    def send(doc: dict[str, Any]) -> tuple[str | None, list[str]]:
        body = json.dumps(doc).encode()
        headers = (("Content-Type", "application/json"),)
        return _judge(contracts, HttpRequest("POST", "http://h/graphql", headers, body))

    delete = "mutation DeleteUser($id: ID!) { deleteUser(id: $id) { ok } }"
    assert send({"query": delete, "variables": {"id": "1"}}) == ("delete-user", [])
    assert send({"query": delete, "variables": {"id": 1}}) == ("delete-user", ["type_changed"])
    both = "query GetUser { user(id: 1) { id } } " + delete
    assert send({"query": both, "operationName": "GetUser", "variables": {"id": "1"}}) == (
        "get-user",
        [],
    )
    assert send({"query": "query Other { x }", "variables": {}})[1] == ["unroutable"]


def test_path_variables_are_typed_and_never_empty(tmp_path: Path) -> None:
    req = plain_request("GET", "/users/:id/orders")
    req["url"]["variable"] = [{"key": "id", "value": "<long>"}]
    doc = collection(("Orders", req, [response("OK", 200, [], req)]))
    contracts = _build(tmp_path, doc)
    (param,) = contracts.operation("orders").request.parameters
    assert (param.schema["type"], param.schema["minLength"]) == ("integer", 1)

    def get(path: str) -> tuple[str | None, list[str]]:
        return _judge(contracts, HttpRequest("GET", f"http://h{path}"))

    assert get("/users/42/orders") == ("orders", [])
    assert get("/users/abc/orders") == ("orders", ["type_changed"])
    assert get("/users//orders")[0] is None  # no variable stands for an empty segment


def test_a_binary_body_has_a_media_type_and_no_schema(tmp_path: Path) -> None:
    png = plain_request("PUT", "/avatar", headers=[("Content-Type", "image/png")])
    png["body"] = {"mode": "raw", "raw": '{"looks": "like json"}'}
    upload = plain_request("PUT", "/files")
    upload["body"] = {"mode": "file", "file": {"src": "/tmp/x.bin"}}
    doc = collection(("Avatar", png, []), ("Upload", upload, []))
    contracts = _build(tmp_path, doc)
    avatar, files = (contracts.operation(i).request for i in ("avatar", "upload"))
    assert (avatar.content_type, avatar.schema) == ("image/png", None)
    assert (files.content_type, files.schema) == ("application/octet-stream", None)


def test_the_diff_tells_keyed_operations_apart(tmp_path: Path) -> None:
    """A SOAP action removed is an operation removed (breaking clients), not a variant; the
    action left alone, no longer keyed, is the same operation as before."""
    both = _build(tmp_path, soap_collection())
    one = soap_collection()
    one["item"] = one["item"][:1]
    alone = _build(tmp_path, one)
    removed = diff_contracts(both, alone)
    assert [(c.kind, sorted(c.breaks), c.operation) for c in removed] == [
        ("operation-removed", ["clients"], "POST {{base}}/soap (SOAPAction 'urn:DeleteUser')")
    ]
    added = diff_contracts(alone, both)
    assert [(c.kind, sorted(c.breaks)) for c in added] == [("operation-added", ["servers"])]
    assert diff_contracts(both, _build(tmp_path, soap_collection())) == []


def _soap12(doc: dict[str, Any]) -> dict[str, Any]:
    """``doc``'s SOAP 1.1 actions as SOAP 1.2 ones: no ``SOAPAction`` header, the action a
    parameter of ``application/soap+xml`` (RFC 3902), the 1.2 envelope namespace."""
    text = json.dumps(doc).replace(
        "http://schemas.xmlsoap.org/soap/envelope/", "http://www.w3.org/2003/05/soap-envelope"
    )
    out = json.loads(text)
    for item in out["item"]:
        for req in (item["request"], *(x["originalRequest"] for x in item["response"])):
            action = next(h["value"] for h in req["header"] if h["key"] == "SOAPAction")
            req["header"] = [
                {
                    "key": "Content-Type",
                    "value": f"application/soap+xml; charset=utf-8; action={action}",
                }
            ]
    return out


def test_soap_1_2_actions_are_keyed_and_routed_by_the_content_type_action(tmp_path: Path) -> None:
    contracts = _build(tmp_path, _soap12(soap_collection()))
    keys = _keys(contracts)
    assert {k[0] for k in keys.values() if k} == {"media-action"}
    assert {op: k[2] for op, k in keys.items() if k} == {
        "create-user": ("urn:CreateUser",),
        "delete-user": ("urn:DeleteUser",),
    }
    body = envelope(element("DeleteUser", "<u:id>1</u:id>")).replace(
        "http://schemas.xmlsoap.org/soap/envelope/", "http://www.w3.org/2003/05/soap-envelope"
    )

    def sent(action: str) -> HttpRequest:
        content_type = f'application/soap+xml; charset=utf-8; action="{action}"'
        return HttpRequest(
            "POST", "http://h/soap", (("Content-Type", content_type),), body.encode()
        )

    assert _judge(contracts, sent("urn:DeleteUser")) == ("delete-user", [])
    assert _judge(contracts, sent("urn:CreateUser"))[0] == "create-user"
    assert _judge(contracts, sent("urn:RenameUser"))[1] == ["unroutable"]
