"""A table of :class:`Checker` results on hand-made responses.

One tiny collection documents three operations: ``things`` (a JSON create, two success
examples with the same keys and two documented errors in one envelope), ``thing`` (one
example only: thin evidence) and ``report`` (an XML body). Each row sends one response against
one :class:`Expectation` and names the checks that must fail (``[]``: none). The rows hold both
directions of the policy: what a server that follows its documentation may answer passes, and
each way of breaking it fails with the check that names it.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any, NamedTuple

import pytest

from postman_contracts.checking import Checker, Expectation, HttpResponse
from postman_contracts.collection import load_collection
from postman_contracts.contracts import ContractSet, OperationContract, build_contracts
from tests.contracts.exchange_builders import collection, plain_request, response

JSON = "application/json"
GOOD = {"name": "a", "size": 1}
CREATED = {"id": 1, "name": "a", "tags": ["new"]}
MISSING_NAME = {"code": "MISSING_NAME", "status": "error", "message": "name is required"}
INVALID_SIZE = {"code": "INVALID_SIZE", "status": "error", "message": "size must be a number"}
REPORT = "<report><total>1</total></report>"


def _post(body: Any) -> dict[str, Any]:
    return plain_request("POST", "/things", json_body=body)


@cache
def _contracts() -> ContractSet:
    get_one = plain_request("GET", "/things/1")
    get_report = plain_request("GET", "/report")
    doc = collection(
        (
            "things",
            _post(GOOD),
            [
                response("Created", 201, CREATED, _post(GOOD)),
                response("Created again", 201, {"id": 2, "name": "b", "tags": []}, _post(GOOD)),
                response("Missing name", 400, MISSING_NAME, _post({"size": 1})),
                response("Size not a number", 400, INVALID_SIZE, _post({"name": "a", "size": "x"})),
            ],
        ),
        ("thing", get_one, [response("One", 200, {"id": 1, "name": "a"}, get_one)]),
        (
            "report",
            get_report,
            [response("Report", 200, REPORT, get_report, content_type="application/xml")],
        ),
    )
    return build_contracts(load_collection(doc))


def _expectation(op: OperationContract, spec: tuple[str, ...]) -> Expectation:
    """``("example", name)``, ``("error", name)``, ``("any_example", name, ...)`` or a bare
    kind, resolved against ``op`` as the plugin resolves them (an example's own error entry)."""
    kind, *names = spec

    def entry(name: str) -> Any:
        return next((e for e in op.errors if e.example == name), None)

    if kind == "example":
        return Expectation("example", op.response(names[0]), entry(names[0]))
    if kind == "error":
        return Expectation("error", error=entry(names[0]))
    if kind == "any_example":
        return Expectation(
            "any_example", alternatives=tuple((op.response(n), entry(n)) for n in names)
        )
    return Expectation(kind)


def _json(status: int, body: Any, content_type: str = JSON) -> HttpResponse:
    return HttpResponse(status, (("Content-Type", content_type),), json.dumps(body).encode())


def _raw(status: int, body: bytes, content_type: str | None = JSON) -> HttpResponse:
    headers = (("Content-Type", content_type),) if content_type else ()
    return HttpResponse(status, headers, body)


class Row(NamedTuple):
    description: str
    operation: str
    response: HttpResponse
    expect: tuple[str, ...]
    checks: list[str]
    strict: bool = False


ROWS = [
    # -- the documented examples, and what a documented server may vary -----------------------
    Row(
        "the documented success example", "things", _json(201, CREATED), ("example", "Created"), []
    ),
    Row(
        "the documented error example",
        "things",
        _json(400, MISSING_NAME),
        ("example", "Missing name"),
        [],
    ),
    Row(
        "the XML example",
        "report",
        _raw(200, REPORT.encode(), "application/xml"),
        ("example", "Report"),
        [],
    ),
    Row(
        "other values of the documented types",
        "things",
        _json(201, {"id": 7, "name": "z", "tags": []}),
        ("example", "Created"),
        [],
    ),
    Row(
        "a charset parameter on the documented media type",
        "things",
        _json(201, CREATED, "application/json; charset=utf-8"),
        ("example", "Created"),
        [],
    ),
    Row(
        "no Content-Type: the body checks alone judge",
        "things",
        _raw(201, json.dumps(CREATED).encode(), None),
        ("example", "Created"),
        [],
    ),
    Row(
        "a JSON body under another +json type, by default",
        "things",
        _json(201, CREATED, "application/vnd.api+json"),
        ("example", "Created"),
        [],
    ),
    # -- status ----------------------------------------------------------------------------
    Row(
        "a wrong status for the example",
        "things",
        _json(200, CREATED),
        ("example", "Created"),
        ["status_code"],
    ),
    Row(
        "an undocumented success status",
        "things",
        _json(200, CREATED),
        ("documented",),
        ["status_code"],
    ),
    Row(
        "an undocumented 4xx is a rejection the documentation is silent on",
        "things",
        _json(409, {"x": 1}),
        ("documented",),
        [],
    ),
    Row(
        "a 5xx, whatever was expected",
        "things",
        _json(503, {}),
        ("documented",),
        ["not_server_error"],
    ),
    Row(
        "a 5xx where an error is expected",
        "things",
        _json(500, MISSING_NAME),
        ("error", "Missing name"),
        ["not_server_error"],
    ),
    # -- the body against the schema ----------------------------------------------------------
    Row(
        "a property of the wrong type",
        "things",
        _json(201, {**CREATED, "id": "1"}),
        ("example", "Created"),
        ["response_schema"],
    ),
    Row(
        "a required key both examples show, missing",
        "things",
        _json(201, {"id": 1, "tags": []}),
        ("example", "Created"),
        ["response_schema"],
    ),
    Row(
        "an array item of the wrong type",
        "things",
        _json(201, {**CREATED, "tags": [1]}),
        ("documented",),
        ["response_schema"],
    ),
    Row(
        "an integer where only one example shows it: any number, by default",
        "thing",
        _json(200, {"id": 1.5, "name": "a"}),
        ("example", "One"),
        [],
    ),
    Row(
        "an integer where only one example shows it, when strict",
        "thing",
        _json(200, {"id": 1.5, "name": "a"}),
        ("example", "One"),
        ["response_schema"],
        True,
    ),
    Row(
        "a key only one example shows, missing: not asserted by default",
        "thing",
        _json(200, {"id": 1}),
        ("example", "One"),
        [],
    ),
    Row(
        "a key only one example shows, missing, when strict",
        "thing",
        _json(200, {"id": 1}),
        ("example", "One"),
        ["response_schema"],
        True,
    ),
    Row(
        "null where one example shows a value, by default",
        "thing",
        _json(200, {"id": 1, "name": None}),
        ("example", "One"),
        [],
    ),
    Row(
        "null where one example shows a value, when strict",
        "thing",
        _json(200, {"id": 1, "name": None}),
        ("example", "One"),
        ["response_schema"],
        True,
    ),
    Row(
        "an error code two examples do not make an enum",
        "things",
        _json(400, {**MISSING_NAME, "code": "RATE_LIMITED"}),
        ("documented",),
        [],
    ),
    Row(
        "an error code outside the examples' codes, when strict",
        "things",
        _json(400, {**MISSING_NAME, "code": "RATE_LIMITED"}),
        ("documented",),
        ["response_schema"],
        True,
    ),
    # -- documented errors ---------------------------------------------------------------------
    Row(
        "the documented error with its code",
        "things",
        _json(400, MISSING_NAME),
        ("error", "Missing name"),
        [],
    ),
    Row(
        "another documented error's code",
        "things",
        _json(400, INVALID_SIZE),
        ("error", "Missing name"),
        ["error_code"],
    ),
    Row(
        "the right code under the wrong status",
        "things",
        _json(422, MISSING_NAME),
        ("error", "Missing name"),
        ["status_code"],
    ),
    Row(
        "the right code without the envelope's other keys",
        "things",
        _json(400, {"code": "MISSING_NAME"}),
        ("error", "Missing name"),
        ["error_envelope"],
    ),
    Row(
        "an error example answered with another code",
        "things",
        _json(400, INVALID_SIZE),
        ("example", "Missing name"),
        ["error_code"],
    ),
    # -- media types and unreadable bodies ------------------------------------------------------
    Row(
        "XML where JSON is documented",
        "things",
        _raw(201, b"<thing><id>1</id></thing>", "application/xml"),
        ("example", "Created"),
        ["media_type"],
    ),
    Row(
        "an HTML page where JSON is documented",
        "things",
        _raw(201, b"<html>oops</html>", "text/html"),
        ("documented",),
        ["media_type"],
    ),
    Row(
        "a JSON body under another +json type, when strict",
        "things",
        _json(201, CREATED, "application/problem+json"),
        ("example", "Created"),
        ["media_type"],
        True,
    ),
    Row(
        "a JSON-labelled body that does not parse",
        "things",
        _raw(201, b"{'id': 1"),
        ("example", "Created"),
        ["json"],
    ),
    Row(
        "an empty body where one is documented",
        "things",
        _raw(201, b""),
        ("example", "Created"),
        ["json"],
    ),
    Row(
        "JSON where XML is documented",
        "report",
        _json(200, {"total": 1}),
        ("example", "Report"),
        ["media_type"],
    ),
    Row(
        "XML that is not well-formed",
        "report",
        _raw(200, b"<report><total>", "application/xml"),
        ("example", "Report"),
        ["xml"],
    ),
    Row(
        "XML with another root element",
        "report",
        _raw(200, b"<summary/>", "application/xml"),
        ("example", "Report"),
        ["xml"],
    ),
    # -- the other expectation kinds -----------------------------------------------------------
    Row(
        "documented: any documented response",
        "things",
        _json(400, INVALID_SIZE),
        ("documented",),
        [],
    ),
    Row("success: the success response", "things", _json(201, CREATED), ("success",), []),
    Row(
        "success: a documented error is not success",
        "things",
        _json(400, MISSING_NAME),
        ("success",),
        ["success"],
    ),
    Row(
        "success: a success status with a broken body",
        "things",
        _json(201, {"id": "x", "name": "a", "tags": []}),
        ("success",),
        ["response_schema"],
    ),
    Row("rejection: a documented error", "things", _json(400, INVALID_SIZE), ("rejection",), []),
    Row(
        "rejection: an undocumented 4xx",
        "things",
        _json(415, {"error": "unsupported"}),
        ("rejection",),
        [],
    ),
    Row(
        "rejection: a success is an accepted invalid request",
        "things",
        _json(201, CREATED),
        ("rejection",),
        ["rejection"],
    ),
    Row(
        "client_error: any 4xx, in any body",
        "things",
        _raw(405, b"<h1>no</h1>", "text/html"),
        ("client_error",),
        [],
    ),
    Row(
        "client_error: a success", "things", _json(201, CREATED), ("client_error",), ["status_code"]
    ),
    Row("client_error: a redirect", "things", _raw(302, b""), ("client_error",), ["status_code"]),
    Row(
        "any_example: one of the alternatives",
        "things",
        _json(400, MISSING_NAME),
        ("any_example", "Created", "Missing name"),
        [],
    ),
    Row(
        "any_example: the other alternative",
        "things",
        _json(201, CREATED),
        ("any_example", "Created", "Missing name"),
        [],
    ),
    Row(
        "any_example: a status no alternative documents",
        "things",
        _json(404, {}),
        ("any_example", "Created", "Missing name"),
        ["status_code"],
    ),
    Row(
        "any_example: an alternative's status with a broken body",
        "things",
        _json(201, {"id": 1, "name": "a"}),
        ("any_example", "Created", "Missing name"),
        ["response_schema"],
    ),
]


@pytest.mark.parametrize("row", ROWS, ids=[r.description for r in ROWS])
def test_checker_table(row: Row) -> None:
    contracts = _contracts()
    op = contracts.operation(row.operation)
    violations = Checker(contracts, strict=row.strict).check(
        op, row.response, _expectation(op, row.expect)
    )
    assert [v.check for v in violations] == row.checks, [str(v) for v in violations]


def test_every_expectation_kind_has_a_passing_and_a_failing_row() -> None:
    """The kinds ``Expectation`` documents; a kind added there needs rows here."""
    kinds = {
        "example",
        "error",
        "documented",
        "success",
        "rejection",
        "client_error",
        "any_example",
    }
    for kind in kinds:
        rows = [r for r in ROWS if r.expect[0] == kind]
        assert any(not r.checks for r in rows), f"no passing row for {kind}"
        assert any(r.checks for r in rows), f"no failing row for {kind}"
    documented = Expectation.__doc__ or ""
    assert {k for k in kinds if f"``{k}``" in documented} == kinds


def test_every_documented_example_passes_as_its_own_response() -> None:
    """A server answering with exactly what the collection saved passes its replay, by
    default and when strict: the examples are the evidence every constraint comes from."""
    contracts = _contracts()
    for op in contracts.operations:
        for example in op.examples:
            body = example.response_body
            payload = json.dumps(body) if example.response_is_json else str(body or "")
            answer = HttpResponse(example.status or 200, example.response_headers, payload.encode())
            for strict in (False, True):
                found = Checker(contracts, strict=strict).check(
                    op, answer, _expectation(op, ("example", example.name))
                )
                assert found == [], (op.id, example.name, strict, [str(v) for v in found])
