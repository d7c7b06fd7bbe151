"""The mock on synthetic collections, as a real HTTP server on loopback: what the bundled Zoho
collection does not show (API-key headers spelled with ``_``, envelopes without a code key).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from postman_contracts.collection import load_collection
from postman_contracts.contracts import ContractSet, build_contracts
from postman_contracts.mock import MockServer
from tests.reliability.builders import collection, request_item, write

KEY = "k3y-for-the-mock-1234"


def _contracts(tmp_path: Path, doc: dict[str, Any]) -> ContractSet:
    return build_contracts(load_collection(write(tmp_path / "c.postman_collection.json", doc)))


@pytest.fixture
def http() -> Iterator[requests.Session]:
    with requests.Session() as session:
        session.trust_env = False
        yield session


# -- API-key headers spelled with "_" -----------------------------------------------------------


def _apikey_item(name: str, header: str) -> dict[str, Any]:
    item = request_item(name, path=f"/{name}", response={"id": "1", "name": "x"})
    item["request"]["auth"] = {
        "type": "apikey",
        "apikey": [
            {"key": "key", "value": header},
            {"key": "value", "value": "{{key}}"},
            {"key": "in", "value": "header"},
        ],
    }
    return item


@pytest.mark.parametrize("header", ["X_API_KEY", "api_key", "X-Api_Key", "X-API-KEY"])
def test_an_api_key_header_is_found_however_it_is_spelled(
    tmp_path: Path, http: requests.Session, header: str
) -> None:
    doc = collection(
        [_apikey_item("things", header), _apikey_item("others", "Other-Key")],
        variable=[{"key": "base", "value": "https://api.example.com"}],
    )
    with MockServer(_contracts(tmp_path, doc), logger=lambda line: None) as mock:
        sent = http.post(mock.url + "/things", json={"name": "x"}, headers={header: KEY})
        missing = http.post(mock.url + "/things", json={"name": "x"})
        other = http.post(mock.url + "/others", json={"name": "x"}, headers={"Other_Key": KEY})
    assert sent.status_code == 200, sent.text
    assert sent.json() == {"id": "1", "name": "x"}
    assert missing.status_code == 401, missing.text
    assert other.status_code == 200, other.text  # "-" documented, "_" sent: WSGI cannot tell


# -- the mock's own errors, in an envelope without a code key -----------------------------------

PAYSTACK = {"status": False, "message": "Invalid Amount Sent"}
JSEND = {"status": "error", "message": "Amount is not allowed"}
STRIPE = {"error": {"type": "invalid_request_error", "message": "Amount must be at least 50"}}


def _enveloped(error: dict[str, Any]) -> dict[str, Any]:
    """Two operations; only the first documents an error (in ``error``'s envelope), so the
    second's wrong method, missing credentials and invalid body get the mock's own errors."""
    pay = request_item(
        "pay", path="/pay", body={"email": "a@example.com", "amount": 2000}, response={"ok": 1}
    )
    failed = copy.deepcopy(pay["response"][0])
    failed.update(name="Invalid amount", code=400, status="Bad Request", body=json.dumps(error))
    pay["response"].append(failed)
    customer = request_item(
        "customer", path="/customer", body={"email": "a@example.com", "name": "Ada"}
    )
    return collection(
        [pay, customer],
        auth={"type": "bearer", "bearer": [{"key": "token", "value": "{{secret_key}}"}]},
        variable=[{"key": "base", "value": "https://api.example.com"}],
    )


def _shape(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _shape(v) for k, v in value.items()}
    return type(value).__name__


@pytest.mark.parametrize("error", [PAYSTACK, JSEND, STRIPE], ids=["paystack", "jsend", "stripe"])
def test_the_mocks_own_errors_come_in_the_documented_envelope(
    tmp_path: Path, http: requests.Session, error: dict[str, Any]
) -> None:
    contracts = _contracts(tmp_path, _enveloped(error))
    assert contracts.envelope is not None and contracts.envelope.code_key is None
    auth = {"Authorization": f"Bearer {KEY}"}
    good = {"email": "a@example.com", "name": "Ada"}
    with MockServer(contracts, logger=lambda line: None) as mock:
        answers = {
            "method": http.delete(mock.url + "/customer", headers=auth),
            "auth": http.post(mock.url + "/customer", json=good),
            "invalid": http.post(mock.url + "/customer", json={**good, "name": 5}, headers=auth),
            "unknown path": http.get(mock.url + "/nowhere", headers=auth),
            "valid": http.post(mock.url + "/customer", json=good, headers=auth),
        }
    statuses = {why: r.status_code for why, r in answers.items()}
    assert statuses == {
        "method": 405,
        "auth": 401,
        "invalid": 400,
        "unknown path": 404,
        "valid": 200,
    }
    for why in ("method", "auth", "invalid", "unknown path"):
        body = answers[why].json()
        assert _shape(body) == _shape(error), (why, body)
        for key in ("status",):  # the documented failure, as documented
            if key in error:
                assert body[key] == error[key], (why, body)
        messages = [body.get("message"), body.get("error", {}).get("message")]
        assert any(isinstance(m, str) and m and m != error.get("message") for m in messages), body
