"""Documented response headers (issue 13 part B): which count, their evidence, the checks,
the files, the diff and the OpenAPI export; and request headers in the diff."""

from __future__ import annotations

from typing import Any

import pytest

from postman_contracts.checking._checks import Checker, Expectation
from postman_contracts.checking._exchange import HttpResponse
from postman_contracts.collection import load_collection
from postman_contracts.contracts import build_contracts, diff_contracts, to_openapi
from postman_contracts.contracts._model import ContractSet
from postman_contracts.contracts._read import load_contracts
from postman_contracts.contracts._response_headers import is_contract_header
from tests.contracts.exchange_builders import collection, plain_request, response
from tests.contracts.test_exchange_parts import _differences


def _contracts(doc: dict[str, Any]) -> ContractSet:
    return build_contracts(load_collection(doc))


def _with_headers(example: dict[str, Any], headers: list[tuple[str, str]]) -> dict[str, Any]:
    example["header"] = [*example["header"], *({"key": k, "value": v} for k, v in headers)]
    return example


def _created_api(shown: list[list[tuple[str, str]]], status: int = 201) -> ContractSet:
    """POST /things whose examples of ``status`` show these response headers each."""
    req = plain_request("POST", "/things", json_body={"name": "a"})
    examples = [
        _with_headers(response(f"Created {i}", status, {"id": i}, req), headers)
        for i, headers in enumerate(shown)
    ]
    return _contracts(collection(("things", req, examples)))


def _violations(
    contracts: ContractSet, headers: list[tuple[str, str]], *, strict: bool = False
) -> list[str]:
    op = contracts.operations[0]
    answer = HttpResponse(201, (("Content-Type", "application/json"), *headers), b'{"id": 9}')
    checker = Checker(contracts, strict=strict)
    found = checker.check(op, answer, Expectation("example", op.responses[0]))
    found += checker.check(op, answer, Expectation("documented"))
    return sorted({v.title for v in found})


@pytest.mark.parametrize(
    "name",
    ["Location", "Retry-After", "ETag", "X-RateLimit-Remaining", "RateLimit-Limit", "Link"],
)
def test_headers_an_api_documents_are_kept(name: str) -> None:
    assert is_contract_header(name)


@pytest.mark.parametrize(
    "name",
    [
        "Date",
        "Server",
        "Connection",
        "Content-Length",
        "Transfer-Encoding",
        "Set-Cookie",
        "Vary",
        "X-Request-Id",
        "X-Correlation-ID",
        "traceparent",
        "Access-Control-Allow-Origin",
        "Cache-Control",
        "Strict-Transport-Security",
        "Content-Type",
        "X-Powered-By",
        "CF-Ray",
    ],
)
def test_per_message_transport_and_deployment_headers_are_never_the_apis(name: str) -> None:
    assert not is_contract_header(name)


LOCATED = [("Location", "https://api.example.test/things/1"), ("Date", "Mon, 1 Jan 2024")]
LOCATED_2 = [("Location", "https://api.example.test/things/2"), ("Date", "Tue, 2 Jan 2024")]


def test_a_header_in_every_example_of_its_status_is_recorded_required_with_its_kind() -> None:
    contracts = _created_api([LOCATED, LOCATED_2])
    (location,) = contracts.operations[0].responses[0].headers
    assert (location.name, location.required) == ("Location", True)
    assert location.schema["type"] == "string"
    assert location.schema["format"] == "uri"  # two distinct URLs
    assert location.schema["x-evidence"]["seen"] == 2
    # the mock serves it, the transport's Date it does not
    served = dict(contracts.operations[0].examples[0].response_headers)
    assert "Location" in served and "Date" not in served


def test_a_missing_documented_header_fails_only_with_enough_examples() -> None:
    twice = _created_api([LOCATED, LOCATED_2])
    assert _violations(twice, [("Location", "https://api.example.test/things/9")]) == []
    assert _violations(twice, []) == ["The response misses the documented header Location"]
    once = _created_api([LOCATED])
    assert _violations(once, []) == []  # one example is no evidence
    assert _violations(once, [], strict=True) == [
        "The response misses the documented header Location"
    ]
    # shown by one example of two: never demanded, not even strict
    some = _created_api([LOCATED, [("Date", "x")]])
    assert _violations(some, [], strict=True) == []


def test_a_header_value_is_read_as_its_documented_type() -> None:
    limits = [[("X-RateLimit-Remaining", str(n))] for n in (10, 9, 8)]
    contracts = _created_api(limits)
    assert _violations(contracts, [("X-RateLimit-Remaining", "7")]) == []
    assert _violations(contracts, [("X-RateLimit-Remaining", "soon")]) == [
        "The response header X-RateLimit-Remaining does not match the documented schema (type)"
    ]


def test_retry_after_is_a_date_or_seconds_whatever_the_examples_show() -> None:
    contracts = _created_api([[("Retry-After", "120")], [("Retry-After", "60")]], status=429)
    (retry,) = contracts.operations[0].responses[0].headers
    assert "type" not in retry.schema
    op = contracts.operations[0]
    answer = HttpResponse(429, (("Retry-After", "Wed, 21 Oct 2015 07:28:00 GMT"),), b'{"id": 1}')
    assert Checker(contracts, strict=True).header_violations(answer, op.responses[0]) == []


def test_response_headers_survive_the_files(tmp_path: Any) -> None:
    from postman_contracts.contracts import write_contracts

    contracts = _created_api([LOCATED, LOCATED_2])
    write_contracts(contracts, tmp_path / "c")
    again = load_contracts(tmp_path / "c")
    assert [r.headers for r in again.operations[0].responses] == [
        r.headers for r in contracts.operations[0].responses
    ]
    assert _violations(again, []) == ["The response misses the documented header Location"]


def test_two_collections_differing_in_one_response_header_differ_only_there() -> None:
    a = _created_api([LOCATED, LOCATED_2])
    b = _created_api(
        [[*LOCATED, ("ETag", '"a"')], [*LOCATED_2, ("ETag", '"b"')]],
    )
    diff = _differences(a, b)
    assert diff["index.json"] == [
        "$.operations[0].responses[0].headers",
        "$.operations[0].responses[1].headers",
    ]
    assert set(diff) == {"index.json", "things/examples.json"}


def test_the_openapi_export_carries_response_headers_as_the_checks_assert_them() -> None:
    doc = to_openapi(_created_api([LOCATED, LOCATED_2]))
    headers = doc["paths"]["/things"]["post"]["responses"]["201"]["headers"]
    assert headers["Location"]["required"] is True
    assert headers["Location"]["schema"]["format"] == "uri"
    once = to_openapi(_created_api([LOCATED]))
    location = once["paths"]["/things"]["post"]["responses"]["201"]["headers"]["Location"]
    assert location["required"] is False
    assert location["example"] == "https://api.example.test/things/1"


def _changes(old: ContractSet, new: ContractSet) -> list[tuple[str, str, list[str]]]:
    return [(c.kind, str(c.location), sorted(c.breaks)) for c in diff_contracts(old, new) if c.api]


def test_a_response_header_newly_asserted_breaks_servers_and_one_removed_breaks_clients() -> None:
    without = _created_api([[("Date", "x")], [("Date", "y")]])
    located = _created_api([LOCATED, LOCATED_2])
    assert _changes(without, located) == [
        ("response-header-added", "response 201 header Location", ["servers"])
    ]
    assert _changes(located, without) == [
        ("response-header-removed", "response 201 header Location", ["clients"])
    ]
    # shown by one example: no promise either way, nothing to report
    assert _changes(without, _created_api([LOCATED])) == []
    # example values edited, a transport header added: no change
    edited = _created_api([[*LOCATED_2, ("X-Request-Id", "1")], LOCATED])
    assert _changes(located, edited) == []


def _header_api(headers: list[Any], *, examples: int = 2) -> ContractSet:
    """``examples`` different requests (an optional ``cursor`` from the second on) sending
    ``headers``: the same request saved twice would be one example of it."""
    req = plain_request("GET", "/things", headers=headers)
    shown = [
        response(
            f"OK {i}",
            200,
            {"id": i},
            plain_request(
                "GET", "/things", headers=headers, query=[("cursor", str(i))] if i else []
            ),
        )
        for i in range(examples)
    ]
    return _contracts(collection(("things", req, shown)))


def test_request_headers_are_diffed_for_whom_they_break() -> None:
    base = _header_api([("Accept", "application/json")])
    tenant = _header_api([("Accept", "application/json"), ("X-Tenant", "t1")])
    optional = _header_api([("Accept", "application/json"), ("X-Tenant", "t1", True)])
    assert _changes(base, tenant) == [
        ("header-added", "request header X-Tenant", ["clients", "servers"])
    ]
    assert _changes(base, optional) == [("header-added", "request header X-Tenant", ["servers"])]
    # a client that still sends a header the server no longer documents is served alike
    (removed,) = diff_contracts(tenant, base)
    assert (removed.kind, removed.breaks) == ("header-removed", frozenset())
    assert _changes(optional, tenant) == [
        ("required-added", "request header X-Tenant", ["clients"])
    ]
    assert _changes(tenant, optional) == [
        ("required-removed", "request header X-Tenant", ["servers"])
    ]
    # a value edited, a header's case changed: no change
    edited = _header_api([("accept", "application/json"), ("x-tenant", "t2")])
    assert _changes(tenant, edited) == []
    # headers that choose a representation or describe the client are no API
    assert _changes(_header_api([]), base) == []
    assert _changes(base, _header_api([("User-Agent", "x"), ("Accept-Language", "fr")])) == []


def test_a_vendor_header_in_every_example_is_demanded_only_when_strict() -> None:
    # captured from a real server, a header of the vendor's own may be its deployment's
    contracts = _created_api([[("X-Build", "1")], [("X-Build", "2")]])
    assert _violations(contracts, []) == []
    assert _violations(contracts, [("X-Build", "beta")]) == []
    assert _violations(contracts, [], strict=True) == [
        "The response misses the documented header X-Build"
    ]
    assert _changes(_created_api([[], []]), contracts) == []
