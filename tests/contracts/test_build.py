"""Contracts inferred from real collections are right: every example fits its own schema,
and documented shapes are enforced."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from postman_contracts.collection import Placeholder, Redactor, load_collection
from postman_contracts.contracts import (
    FORMAT_CHECKER,
    EvidencePolicy,
    InferenceOptions,
    asserted_schema,
    build_contracts,
)
from postman_contracts.contracts._build import _redact_walk, redact_json
from postman_contracts.contracts._evidence import without_evidence
from tests.contracts.helpers import schema_errors
from tests.paths import ALL_COLLECTIONS, BUNDLED, CONVERSIONS

# Known exceptions to self-consistency, by collection and example; each with its reason.
KNOWN_EXCEPTIONS: dict[str, str] = {}


@pytest.mark.parametrize(
    "path",
    [*ALL_COLLECTIONS, *CONVERSIONS],
    ids=lambda p: p.name if p.parent.parent.name != "openapi" else f"{p.parent.name}-{p.name}",
)
def test_every_json_example_validates_against_its_own_schema(path: Path) -> None:
    collection = load_collection(path)
    contracts = build_contracts(collection)
    checked, failures = 0, []
    for op, contract in zip(collection.operations, contracts.operations, strict=True):
        for example in op.examples:
            response = contract.response(example.name)
            if example.is_json:
                assert response.schema is not None, f"{op.id}::{example.name} has no schema"
                checked += 1
                failures += [
                    f"{op.id}::{example.name} response: {e}"
                    for e in schema_errors(response.schema, example.json)
                ]
            request = example.original_request
            if response.success and request and request.body and request.body.is_json:
                assert contract.request.schema is not None
                checked += 1
                failures += [
                    f"{op.id}::{example.name} request: {e}"
                    for e in schema_errors(contract.request.schema, request.body.json)
                ]
        body = op.request.body
        if body is not None and body.is_json and contract.request.schema is not None:
            checked += 1
            failures += [
                f"{op.id} item request: {e}"
                for e in schema_errors(contract.request.schema, body.json)
            ]
    failures = [f for f in failures if f.split(":")[0] not in KNOWN_EXCEPTIONS]
    assert failures == []
    assert checked > 0 or path.name.startswith("wise")


def test_date_time_is_really_checked() -> None:
    schema = {"type": "string", "format": "date-time"}
    validator = Draft202012Validator(schema, format_checker=FORMAT_CHECKER)
    assert validator.is_valid("2021-05-12T07:26:48+00:00")
    assert not validator.is_valid("12/05/2021 07:26")
    assert not Draft202012Validator({"format": "uri"}, format_checker=FORMAT_CHECKER).is_valid(
        "not a uri"
    )


def test_leads_request_schema() -> None:
    schema = build_contracts(load_collection(BUNDLED)).operation("leads").request.schema
    assert schema is not None
    assert schema["required"] == ["data", "ids", "over_write"]
    assert without_evidence(schema["properties"]["ids"]) == {
        "type": "array",
        "items": {"type": "string", "pattern": "^[0-9]{18}$"},
    }
    # the item's request and the success example's: two examples, two distinct real ids
    # among three {{record_id}} slots
    assert schema["properties"]["ids"]["items"]["x-evidence"] == {
        "seen": 2,
        "values": 5,
        "slots": 3,
        "variables": 3,
        "distinct": 2,
    }
    assert without_evidence(schema["properties"]["over_write"]) == {"type": "boolean"}
    # asserted by default: the keys both examples show, digits but not how many
    asserted = asserted_schema(schema, EvidencePolicy())
    assert asserted["required"] == ["data", "ids", "over_write"]
    assert asserted["properties"]["ids"]["items"]["pattern"] == "^[0-9]+$"
    assert schema["title"] == "Zoho CRM / Leads: request body"
    assert schema["description"] == "To schedule mass update for Lead records"
    assert schema["examples"][0]["ids"] == ["738964000002131001", "738964000002130131"]


def test_error_requests_do_not_widen_the_request_schema() -> None:
    contract = build_contracts(load_collection(BUNDLED)).operation("leads")
    assert contract.request.schema is not None
    items = contract.request.schema["properties"]["data"]["items"]
    # INVALID_DATA (field) sent No_of_Employees1: evidence of what is invalid, not valid.
    assert set(items["properties"]) == {"No_of_Employees"}
    bulk = build_contracts(load_collection(BUNDLED)).operation("bulk-write/create-bulk-write-job")
    assert bulk.request.schema is not None
    callback = bulk.request.schema["properties"]["callback"]["properties"]["url"]
    assert without_evidence(callback) == {"type": "string", "format": "uri"}


def test_responses_with_same_status_and_envelope_share_one_schema_and_keep_names() -> None:
    leads = build_contracts(load_collection(BUNDLED)).operation("leads")
    ok = [r for r in leads.responses if r.status == 200]
    assert [r.example for r in ok] == [
        "SUCCESS RESPONSE",
        "INVALID_DATA (no field)",
        "INVALID_DATA (field)",
        "MANDATORY_NOT_FOUND",
        "NOT_APPROVED",
        "RECORD_LOCKED",
    ]
    assert all(r.schema is ok[0].schema for r in ok)
    assert ok[0].schema is not None
    record = ok[0].schema["properties"]["data"]["items"]
    assert record["properties"]["code"]["enum"] == [
        "INVALID_DATA",
        "MANDATORY_NOT_FOUND",
        "NOT_APPROVED",
        "RECORD_LOCKED",
        "SUCCESS",
    ]
    assert record["properties"]["status"]["enum"] == ["error", "success"]
    assert "enum" not in record["properties"]["message"]
    assert record["properties"]["details"]["properties"]["Modified_Time"]["format"] == "date-time"


def test_request_contract_parts() -> None:
    bulk = build_contracts(load_collection(BUNDLED)).operation("bulk-write/create-bulk-write-job")
    req = bulk.request
    assert (req.method, req.host, req.path, req.content_type) == (
        "POST",
        "{{api-domain}}",
        "/crm/bulk/v2/write",
        "application/json",
    )
    assert (
        req.auth.type,
        req.auth.location,
        req.auth.name,
        req.auth.scheme,
        req.auth.token_variable,
    ) == ("bearer", "header", "Authorization", "Bearer", "access-token")


def _zoho_success_body() -> Any:
    op = load_collection(BUNDLED).operation("leads")
    return copy.deepcopy(op.examples[0].json)


def test_a_server_breaking_the_documented_shape_fails() -> None:
    schema = build_contracts(load_collection(BUNDLED)).operation("leads").responses[0].schema
    assert schema is not None
    body = _zoho_success_body()
    assert schema_errors(schema, body) == []
    del body["data"][0]["code"]
    assert schema_errors(schema, body) == ["data/0: 'code' is a required property"]
    body = _zoho_success_body()
    body["data"][0]["details"]["Modified_Time"] = "12 May 2021"
    assert schema_errors(schema, body) == [
        "data/0/details/Modified_Time: '12 May 2021' is not a 'date-time'"
    ]
    body = _zoho_success_body()
    body["data"][0]["status"] = "ok"
    assert len(schema_errors(schema, body)) == 1


@pytest.mark.parametrize(
    ("policy", "required"), [("observed", ["code", "details", "message", "status"]), ("none", None)]
)
def test_required_policy_reaches_the_schemas(policy: str, required: list[str] | None) -> None:
    options = InferenceOptions(required=policy)  # type: ignore[arg-type]
    schema = (
        build_contracts(load_collection(BUNDLED), options).operation("leads").responses[0].schema
    )
    assert schema is not None
    assert schema["properties"]["data"]["items"].get("required") == required


def test_strict_closes_objects() -> None:
    options = InferenceOptions(strictness="strict")
    schema = build_contracts(load_collection(BUNDLED), options).operation("leads").request.schema
    assert schema is not None and schema["additionalProperties"] is False
    lenient = build_contracts(load_collection(BUNDLED)).operation("leads").request.schema
    assert lenient is not None and "additionalProperties" not in lenient


_JSON_WITH_SLOTS = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text()
    | st.builds(Placeholder, st.text(min_size=1), st.booleans()),
    lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner),
    max_leaves=25,
)


@given(_JSON_WITH_SLOTS)
def test_copying_a_body_without_secrets_is_the_redacting_walk(value: Any) -> None:
    # With no secret to redact, redact_json copies through the C JSON codec; it must give
    # the very values the general walk gives (1, 1.0 and True apart, placeholders as text).
    nothing = Redactor(frozenset())
    fast, walked = redact_json(value, nothing), _redact_walk(value, nothing)
    assert json.dumps(fast) == json.dumps(walked)
    assert fast is not value or not isinstance(value, (dict, list))
