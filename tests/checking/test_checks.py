"""The texts of response checks: each names what was expected and what came, in words that
differ when the two differ."""

from __future__ import annotations

from typing import Any

from postman_contracts.checking import Checker, Expectation, HttpResponse
from postman_contracts.collection import load_collection
from postman_contracts.contracts import ContractSet, build_contracts
from tests.plugin.builders import SCHEMA_V21, example, item, request

JSON = (("Content-Type", "application/json"),)


def _contracts(*items: dict[str, Any]) -> ContractSet:
    doc = {"info": {"name": "api", "schema": SCHEMA_V21}, "item": list(items)}
    return build_contracts(load_collection(doc))


def _things() -> ContractSet:
    good = {"name": "a", "size": 1}
    return _contracts(
        item(
            "things",
            request("POST", "/things", good),
            example("OK", 200, {"id": 1}, request("POST", "/things", good)),
            # an error body with no code: only a sentence
            example(
                "Missing name",
                400,
                {"message": "The name is required."},
                request("POST", "/things", {"size": 1}),
            ),
        )
    )


def test_an_error_without_a_code_is_named_by_its_example() -> None:
    contracts = _things()
    op = contracts.operation("things")
    (entry,) = op.errors
    assert entry.code is None
    response = HttpResponse(422, JSON, b'{"message": "The name is required."}')
    (violation,) = Checker(contracts).check(op, response, Expectation("error", error=entry))
    assert violation.title == "Wrong status for documented error Missing name"


def test_a_json_labelled_body_that_does_not_parse_says_so() -> None:
    contracts = _things()
    op = contracts.operation("things")
    response = HttpResponse(200, JSON, b"<html>oops</html>")
    expect = Expectation("example", op.response("OK"))
    (violation,) = Checker(contracts).check(op, response, expect)
    assert violation.title == "The response body is not JSON"
    assert violation.details()[-1] == (
        "expected a JSON body (application/json), "
        "got application/json that does not parse: b'<html>oops</html>'"
    )
    empty = Checker(contracts).check(op, HttpResponse(200, JSON, b""), expect)
    assert empty[0].details()[-1] == (
        "expected a JSON body (application/json), got an empty body (application/json)"
    )


def test_a_status_less_example_does_not_excuse_a_wrong_body_under_a_documented_status() -> None:
    """The importer's ``default`` response (no status) stands for the statuses no other example
    documents: a 200 whose body breaks the documented 200 still fails the replay."""
    from postman_contracts.server._cases import replay_expectation

    req = request("GET", "/balance")
    contracts = _contracts(
        item(
            "balance",
            req,
            example("OK", 200, {"status": True, "data": {}}, req),
            example("Server error", None, None, req),
        )
    )
    op = contracts.operation("balance")
    expect, note = replay_expectation(op, "OK", {})
    assert expect.kind == "any_example", note
    broken = HttpResponse(200, JSON, b'{"status": true, "data": "oops"}')
    assert Checker(contracts).check(op, broken, expect)
    good = HttpResponse(200, JSON, b'{"status": true, "data": {"balance": 1}}')
    assert Checker(contracts).check(op, good, expect) == []
    other = HttpResponse(500, JSON, b"{}")  # what the status-less example documents
    assert [v.check for v in Checker(contracts).check(op, other, expect)] == ["not_server_error"]
