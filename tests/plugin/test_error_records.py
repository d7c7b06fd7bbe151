"""One notion of an error record: the catalog, the server checks and the client fuzz agree.

A record whose status says ``fail`` was an error to the server checks and a success to the
client fuzz; ``false``, ``errors``, ``invalid`` and ``rejected`` were errors to the catalog
only. Each value below goes through all three, which must give the same verdict.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from postman_contracts.checking._checks import Checker
from postman_contracts.client._fuzz import _Run
from postman_contracts.client._mock import ContractMock
from postman_contracts.collection import load_collection
from postman_contracts.contracts import ContractSet, build_contracts
from postman_contracts.contracts._catalog import reports_failure
from postman_contracts.generators import GeneratedResponse
from tests.reliability.builders import collection, request_item, write

SUCCESS = {"data": [{"code": "SUCCESS", "status": "success", "message": "updated"}]}
ERROR = {"data": [{"code": "INVALID_DATA", "status": "error", "message": "invalid data"}]}

FAILURES = ["error", "Errors", "failed", "FAILURE", "fail", " invalid ", "rejected", False]
NOT_FAILURES = ["success", "ok", "pending", True, None, 0, "failing soon"]


@pytest.fixture(scope="module")
def contracts(tmp_path_factory: pytest.TempPathFactory) -> ContractSet:
    item = request_item("items", path="/items", response=SUCCESS)
    error = copy.deepcopy(item["response"][0])
    error["name"] = "INVALID_DATA"
    error["body"] = json.dumps(ERROR)
    item["response"].append(error)
    doc = collection([item], variable=[{"key": "base", "value": "https://api.example.com"}])
    path = write(tmp_path_factory.mktemp("records") / "records.postman_collection.json", doc)
    built = build_contracts(load_collection(path))
    assert built.envelope is not None and built.envelope.status_key == "status"
    return built


def _verdicts(contracts: ContractSet, status: Any) -> dict[str, bool]:
    record = {"code": "INVALID_DATA", "status": status, "message": "m"}
    body = {"data": [record]}
    client = _Run(ContractMock(contracts), contracts.operation("items"), list, (), (), None)
    response = GeneratedResponse(200, "application/json", body, True, "generated", False)
    judged = client.judge(response, [], None)  # a client that returned no records
    return {
        "catalog": reports_failure(record, contracts.envelope),
        "server": Checker(contracts).error_code(body, 200) is not None,
        "client": any(v.check == "error_dropped" for v in judged),
    }


@pytest.mark.parametrize("status", FAILURES, ids=repr)
def test_a_failure_word_is_an_error_record_everywhere(contracts: ContractSet, status: Any) -> None:
    assert _verdicts(contracts, status) == {"catalog": True, "server": True, "client": True}


@pytest.mark.parametrize("status", NOT_FAILURES, ids=repr)
def test_anything_else_is_no_error_record_anywhere(contracts: ContractSet, status: Any) -> None:
    assert _verdicts(contracts, status) == {"catalog": False, "server": False, "client": False}


def test_without_a_shared_status_key_the_first_status_like_member_decides() -> None:
    assert reports_failure({"result": "failed"})
    assert reports_failure({"success": False})
    assert not reports_failure({"success": False, "status": "ok"})  # status is asked first
    assert not reports_failure(["error"])


def test_the_collection_found_its_error_by_the_same_rule(contracts: ContractSet) -> None:
    (entry,) = contracts.operation("items").errors
    assert (entry.code, entry.placement, entry.record_path) == ("INVALID_DATA", "record", "data")


def test_a_status_among_the_data_is_not_an_error_where_errors_carry_none() -> None:
    """A collection whose errors are ``{"message", "details"}`` documents no in-body failure:
    a ``"status": "failed"`` in a response is data (a job's state), not an error record."""
    from postman_contracts.contracts import Envelope

    envelope = Envelope(("details", "message"), None)
    assert not reports_failure({"status": "failed", "id": 3}, envelope)
    assert reports_failure({"status": "failed", "id": 3})  # while the catalog is being found
