"""A request is judged against the route it names, not a less specific template beside it."""

from __future__ import annotations

from postman_contracts.checking import Checker, HttpRequest, judge_request
from postman_contracts.collection import load_collection
from postman_contracts.contracts import build_contracts
from tests.contracts.exchange_builders import collection, plain_request, response


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
