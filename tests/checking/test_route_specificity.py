"""A request is judged against the route it names, not a less specific template beside it,
and among the operations of one route, against the one it breaks least."""

from __future__ import annotations

from functools import cache
from urllib.parse import urlencode

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from postman_contracts.checking import (
    Checker,
    HttpRequest,
    contract_issues,
    judge_request,
    match_route,
)
from postman_contracts.checking._requests import by_route_key
from postman_contracts.collection import load_collection
from postman_contracts.contracts import (
    ContractSet,
    OperationContract,
    build_contracts,
    open_contracts,
)
from postman_contracts.generators import invalid_requests, valid_requests
from tests.contracts.exchange_builders import collection, plain_request, response
from tests.paths import CORPUS


def test_a_literal_route_is_not_excused_by_a_template_that_also_matches() -> None:
    export = plain_request(
        "GET",
        "/transfer/export",
        query=[{"key": "status", "value": "success", "description": "(Required) the status"}],
    )
    fetch = plain_request("GET", "/transfer/:code")
    contracts = build_contracts(
        load_collection(
            collection(
                ("export", export, [response("OK", 200, {"path": "x"}, export)]),
                ("fetch", fetch, [response("OK", 200, {"id": 1}, fetch)]),
            )
        )
    )
    checker = Checker(contracts)
    verdict = judge_request(
        contracts, checker, HttpRequest("GET", "http://api.example.test/transfer/export")
    )
    assert verdict.operation is not None and verdict.operation.name == "export"
    assert [i.message for i in verdict.issues] == ["missing required query parameter 'status'"]
    # /transfer/abc is the template's, and needs no status
    other = judge_request(
        contracts, checker, HttpRequest("GET", "http://api.example.test/transfer/abc")
    )
    assert other.operation is not None and other.operation.name == "fetch" and not other.issues


# -- several operations on one route: the one a request breaks least ------------------------

_SHARED = CORPUS / "adyen-checkout-v72.postman_collection.json"  # dozens of items per route


@cache
def _shared() -> tuple[ContractSet, Checker, list[OperationContract]]:
    contracts = open_contracts(_SHARED)
    on_shared_routes = [
        op
        for op in contracts.operations
        if len(contracts.on_route(op.request.method, op.request.path)) > 1
    ]
    return contracts, Checker(contracts), on_shared_routes


def _least_broken(
    contracts: ContractSet, checker: Checker, request: HttpRequest
) -> tuple[str, list[str]]:
    """The rule of ``judge_request``'s docstring, by brute force: every candidate's issues."""
    route = match_route(contracts, request.method, request.path)
    candidates, _ = by_route_key(route.candidates, request)
    found = [(c, contract_issues(checker, c, request)) for c in candidates]
    chosen, issues = min(
        found, key=lambda p: (len(p[1]), not p[0].request.auth.required, p[0].success is None)
    )
    return chosen.id, [i.message for i in issues]


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.data())
def test_the_chosen_operation_is_the_one_the_request_breaks_least(data: st.DataObject) -> None:
    contracts, checker, shared = _shared()
    op = data.draw(st.sampled_from(shared))
    if data.draw(st.booleans()):
        spec = data.draw(valid_requests(op))
    else:
        spec = data.draw(invalid_requests(op, contracts=contracts)).spec
    url = "http://api.example.test" + spec.path
    if spec.query:
        url += "?" + urlencode(list(spec.query))
    request = HttpRequest(spec.method, url, tuple(spec.wire_headers().items()), spec.encoded_body())
    route = match_route(contracts, request.method, request.path)
    assume(route.method_allowed and by_route_key(route.candidates, request)[1] is None)
    verdict = judge_request(contracts, checker, request)
    assert verdict.operation is not None
    chosen = (verdict.operation.id, [i.message for i in verdict.issues])
    assert chosen == _least_broken(contracts, checker, request)


def test_a_malformed_body_is_counted_once_whatever_its_content_type() -> None:
    """A body that does not parse stands for the wrong Content-Type beside it: one issue, so
    the item requiring credentials wins the tie, as it does when each is counted in full."""
    open_item = plain_request("POST", "/things", json_body={"name": "a"})
    signed = plain_request("POST", "/things", json_body={"id": 1})
    signed["auth"] = {"type": "bearer", "bearer": [{"key": "token", "value": "{{token}}"}]}
    contracts = build_contracts(
        load_collection(
            collection(
                ("open", open_item, [response("OK", 200, {"ok": True}, open_item)]),
                ("signed", signed, [response("OK", 200, {"ok": True}, signed)]),
            )
        )
    )
    checker = Checker(contracts)
    request = HttpRequest(
        "POST",
        "http://api.example.test/things",
        (("Content-Type", "text/plain"), ("Authorization", "Bearer t")),
        b'{"broken',
    )
    verdict = judge_request(contracts, checker, request)
    assert verdict.operation is not None
    assert (verdict.operation.name, [i.kind for i in verdict.issues]) == ("signed", ["malformed"])
    assert (verdict.operation.id, [i.message for i in verdict.issues]) == _least_broken(
        contracts, checker, request
    )
