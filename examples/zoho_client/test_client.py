"""The reference client's tests: written only with ``contract_mock`` and client fuzzing.

No JSON is written by hand here: every response comes from the collection's saved examples or
from their schemas, and every request the client sends is checked against its contract.

    pytest --contracts collection/zoho-crm.postman_collection.json examples/zoho_client
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from postman_contracts.generators import documented_responses
from zoho_client import ZohoClient, ZohoError
from zoho_client.client import RecordResult

BASE_URL = "https://www.zohoapis.com"
IDS = ["738964000002131001", "738964000002130131"]
LEADS = "leads"
BULK_WRITE = "bulk-write/create-bulk-write-job"


@pytest.fixture
def client() -> ZohoClient:
    return ZohoClient(BASE_URL, token="1000.example-access-token")


def mass_update(client: ZohoClient) -> list[RecordResult]:
    return client.mass_update_leads(IDS, {"No_of_Employees": 1000})


def create_job(client: ZohoClient) -> str:
    return client.create_bulk_write_job(
        "4150868000005379001",
        module="Leads",
        field_mappings=[{"api_name": "Last_Name", "index": 0}, {"api_name": "Owner", "index": 1}],
        callback_url="https://www.example.com/zoho-callback",
    )


# -- what the client sends, and what it makes of documented examples ----------------------------


def test_mass_update_returns_one_result_per_record(client, contract_mock) -> None:
    results = mass_update(client)
    assert [r.id for r in results] == IDS
    assert all(r.ok for r in results)
    assert [c.operation for c in contract_mock.calls] == [LEADS]


def test_a_locked_record_is_reported_not_raised(client, contract_mock) -> None:
    contract_mock.respond(LEADS, example="RECORD_LOCKED")
    (result,) = mass_update(client)
    assert not result.ok
    assert result.code == "RECORD_LOCKED"


def test_an_authentication_failure_raises(client, contract_mock) -> None:
    contract_mock.respond(LEADS, status=401)
    with pytest.raises(ZohoError) as raised:
        mass_update(client)
    assert raised.value.code == "AUTHENTICATION_FAILURE"


def test_create_bulk_write_job_returns_the_job_id(client, contract_mock) -> None:
    assert create_job(client) == "4150868000005392002"


def test_a_rejected_callback_url_raises(client, contract_mock) -> None:
    contract_mock.respond(BULK_WRITE, example="INVALID_CALLBACK_URL")
    with pytest.raises(ZohoError, match="INVALID_CALLBACK_URL"):
        create_job(client)


# -- client fuzzing: every documented example, then generated responses -------------------------


@pytest.mark.contract_client(LEADS)
def test_mass_update_copes_with_every_documented_response(client, contract_responses) -> None:
    contract_responses.check(
        lambda: mass_update(client), raises=ZohoError, fields=["data[].details.id"]
    )


@pytest.mark.contract_client(BULK_WRITE)
def test_bulk_write_copes_with_every_documented_response(client, contract_responses) -> None:
    contract_responses.check(lambda: create_job(client), raises=ZohoError, fields=["details.id"])


# The same, by hand with @given: one fresh response per call, drawn (and shrunk) by Hypothesis.
@settings(
    max_examples=20, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_a_record_is_ok_exactly_when_zoho_says_success(client, contract_mock, data) -> None:
    leads = contract_mock.operation(LEADS)
    contract_mock.respond_with(LEADS, documented_responses(leads, status=200), data)
    for result in mass_update(client):
        assert result.ok == (result.status == "success")
