"""The coverage phase's cases: one per rule the contract asserts, the same on every run, each
valid or invalid exactly as the one request policy (the mock's ``judge_request``) judges it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlencode

import pytest

from postman_contracts.checking import Checker, HttpRequest, RequestSpec, judge_request
from postman_contracts.collection import load_collection
from postman_contracts.contracts import (
    ContractSet,
    build_contracts,
    open_contracts,
)
from postman_contracts.generators import (
    MAX_CASES,
    CoverageCase,
    InvalidArgument,
    coverage_cases,
)
from tests.contracts.exchange_builders import collection, plain_request, response
from tests.coverage_api import ORDERS, shop_contracts
from tests.paths import ALL_COLLECTIONS, BUNDLED, CONVERSIONS, ROOT


@pytest.fixture(scope="module")
def contracts(tmp_path_factory: pytest.TempPathFactory) -> ContractSet:
    return shop_contracts(tmp_path_factory.mktemp("shop"))


def _wire(spec: RequestSpec) -> HttpRequest:
    headers = spec.wire_headers()
    query = ("?" + urlencode(spec.query)) if spec.query else ""
    return HttpRequest(
        spec.method,
        "http://api.example.test" + spec.path + query,
        tuple(headers.items()),
        spec.encoded_body(),
    )


def _labels(cases: list[CoverageCase]) -> list[str]:
    return [c.label for c in cases]


def test_every_rule_kind_of_a_body_a_query_and_a_form_is_covered(contracts: ContractSet) -> None:
    orders = _labels(coverage_cases(contracts.operation("orders"), contracts))
    assert "missing required property 'quantity'" in orders  # documented: MISSING_QUANTITY
    for label in (
        "valid: optional fields omitted",
        "valid: all optional fields present",
        "missing required property 'name'",
        "missing required query parameter 'api_version'",
        "missing required header 'X-Tenant'",
        "'quantity' must be integer, got string",
        "'name' must be string, got object",
        "'tags' must be array, got string",
        "'note' must be string, got object",  # optional, shown by another success example
        "'quantity' must be integer, got null",
        "value not in enum at $.status",
        "query parameter 'api_version' must be integer, got text",
        "'quantity' past its minimum 1",
        "valid: 'quantity' at its minimum 1",
        "'quantity' past its maximum 100",
        "valid: 'quantity' at its maximum 100",
        "'name' past its minLength 1",
        "'name' past its maxLength 20",
        "valid: 'name' at its maxLength 20",
        "'tags' past its maxItems 3",
        "valid: 'tags' at its maxItems 3",
    ):
        assert label in orders
    contacts = _labels(coverage_cases(contracts.operation("contacts"), contracts))
    for label in (
        "missing required form field 'email'",
        "'age' must be integer, got text",
        "valid: optional fields omitted",
    ):
        assert label in contacts
    assert not any("got null" in label for label in contacts)  # a form cannot send null


def test_each_case_is_judged_by_the_request_policy_as_its_label_says(
    contracts: ContractSet,
) -> None:
    checker = Checker(contracts)
    for op in contracts.operations:
        cases = coverage_cases(op, contracts)
        assert cases
        for case in cases:
            request = _wire(case.spec)
            if not case.spec.credentials or case.kind == "method":
                continue  # not this collection's
            issues = judge_request(contracts, checker, request, prefer=[op.id]).issues
            if case.valid:
                assert issues == (), (case.label, issues)
            else:
                assert issues, case.label


def test_the_documented_trigger_is_expected_and_comes_first(contracts: ContractSet) -> None:
    cases = coverage_cases(contracts.operation("orders"), contracts)
    first = cases[0]
    assert first.label == "missing required property 'quantity'"
    assert first.expected.confidence == "documented"
    assert first.expected.error is not None and first.expected.error.code == "MISSING_QUANTITY"
    assert sum(c.label == first.label for c in cases) == 1  # not again as an asserted rule
    assert {c.expected.confidence for c in cases[1:]} == {"valid", "asserted"}


def test_valid_requests_are_built_from_the_documented_example(contracts: ContractSet) -> None:
    cases = {c.label: c for c in coverage_cases(contracts.operation("orders"), contracts)}
    fewest = cases["valid: optional fields omitted"].spec
    assert fewest.body == {"name": "Ada", "quantity": 3, "status": "new"}
    assert dict(fewest.query) == {"api_version": "2", "limit": "10"}
    fullest = cases["valid: all optional fields present"].spec
    assert fullest.body == {**ORDERS[0], "priority": 2}
    assert dict(fullest.query) == {"api_version": "2", "limit": "10", "dry_run": "true"}
    assert ("X-Tenant", "acme") in fewest.headers


def test_the_same_cases_on_every_call(contracts: ContractSet) -> None:
    for op in contracts.operations:
        assert coverage_cases(op, contracts) == coverage_cases(op, contracts)


_DUMP = """
import json, sys
from postman_contracts.contracts import open_contracts
from postman_contracts.generators import coverage_cases
out = []
for path in sys.argv[1:]:
    contracts = open_contracts(path)
    for op in contracts.operations:
        for c in coverage_cases(op, contracts):
            out.append([op.id, c.kind, c.label, c.pointer, c.expected.confidence,
                        c.spec.method, c.spec.path, list(c.spec.query), list(c.spec.headers),
                        c.spec.encoded_body().decode("utf-8", "replace")])
print(json.dumps(out))
"""


def test_the_same_cases_whatever_the_hash_seed(contracts: ContractSet, tmp_path: Path) -> None:
    shop_contracts(tmp_path)
    paths = [str(tmp_path / "contracts"), str(BUNDLED)]
    runs = []
    for seed in ("0", "1", "4242"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(
            [sys.executable, "-c", _DUMP, *paths],
            capture_output=True,
            text=True,
            env=env,
            cwd=ROOT,
            check=True,
        )
        runs.append(json.loads(done.stdout))
    assert runs[0] and runs[0] == runs[1] == runs[2]


def _one_example_api() -> ContractSet:
    req = plain_request(
        "POST", "/notes", query=[("q", "2024")], json_body={"text": "hi", "kind": "memo", "n": 1}
    )
    return build_contracts(load_collection(collection(("notes", req, [response("OK", 200, {})]))))


def test_no_rule_without_evidence() -> None:
    contracts = _one_example_api()
    cases = coverage_cases(contracts.operations[0], contracts)
    kinds = {c.kind for c in cases}
    # One example: no key is required, none is non-null, no enum; ``n`` may be any number,
    # ``q=2024`` any text. Types are asserted: the value shows them.
    assert kinds <= {"type", "valid"}, kinds
    labels = _labels(cases)
    assert "'text' must be null/string, got object" in labels
    assert "'n' must be null/number, got string" in labels
    assert not any("query parameter" in label for label in labels)


def test_strict_covers_everything_inferred() -> None:
    contracts = _one_example_api()
    labels = _labels(coverage_cases(contracts.operations[0], contracts, strict=True))
    assert "missing required property 'text'" in labels
    assert "'n' must be integer, got null" in labels
    assert "query parameter 'q' must be integer, got text" in labels


def test_an_untyped_value_gets_no_type_case() -> None:
    bodies = [{"a": "", "b": None}, {"a": "", "b": None}]
    shown = [
        response(f"OK {i}", 200, {}, plain_request("POST", "/x", json_body=b))
        for i, b in enumerate(bodies)
    ]
    req = plain_request("POST", "/x", json_body=bodies[0])
    contracts = build_contracts(load_collection(collection(("x", req, shown))))
    cases = coverage_cases(contracts.operations[0], contracts)
    assert [c for c in cases if c.kind in ("type", "null", "enum")] == []


def test_the_zoho_cases_keep_every_documented_trigger() -> None:
    zoho = open_contracts(BUNDLED)
    leads = zoho.operation("leads")
    cases = coverage_cases(leads, zoho)
    documented = [c for c in cases if c.expected.confidence == "documented"]
    assert {c.expected.error.code for c in documented if c.expected.error} >= {
        "MANDATORY_NOT_FOUND",
        "INVALID_DATA",
        "INVALID_REQUEST_METHOD",
        "AUTHENTICATION_FAILURE",
    }
    assert cases[: len(documented)] == documented


def test_the_cases_are_capped_in_their_order(contracts: ContractSet) -> None:
    orders = contracts.operation("orders")
    every = coverage_cases(orders, contracts)
    assert len(every) <= MAX_CASES
    assert coverage_cases(orders, contracts, limit=5) == every[:5]
    with pytest.raises(InvalidArgument):
        coverage_cases(orders, contracts, limit=-1)
    with pytest.raises(InvalidArgument):
        coverage_cases(orders, None)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "path", [*ALL_COLLECTIONS, *CONVERSIONS], ids=lambda p: p.parent.name + "/" + p.name
)
def test_every_real_case_is_judged_by_the_request_policy_as_its_label_says(path: Path) -> None:
    """On every real collection, a valid case meets the request policy both mocks apply and an
    asserted invalid one breaks it: no case expects a rejection the contract does not state."""
    contracts = open_contracts(path)
    checker = Checker(contracts)
    for op in contracts.operations:
        cases = coverage_cases(op, contracts)
        assert len(cases) <= MAX_CASES
        for case in cases:
            if not case.spec.credentials or case.expected.confidence == "documented":
                continue  # the catalog's, as the fuzz sends them
            verdict = judge_request(contracts, checker, _wire(case.spec), prefer=[op.id])
            issues = [i for i in verdict.issues if i.kind != "auth"]  # sent by the client
            assert bool(issues) != case.valid, (op.id, case.label, issues)
