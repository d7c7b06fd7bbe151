"""Both mocks on operations sharing one method and path (issue 13): the WSGI mock on loopback
and the ``responses`` client mock answer each SOAP action and GraphQL operation with its own
documented response, chosen by its routing key, and a request of none of them with a 4xx
(the mock) or a failure at the call (the client mock), never one of them at random.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from postman_contracts.checking import Violations
from postman_contracts.client import ContractMock
from postman_contracts.collection import load_collection
from postman_contracts.contracts import ContractSet, build_contracts
from postman_contracts.mock import MockServer
from tests.contracts.routing_builders import (
    element,
    envelope,
    graphql_collection,
    soap_collection,
)


def _contracts(tmp_path: Path, doc: dict[str, Any]) -> ContractSet:
    path = tmp_path / "api.postman_collection.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    return build_contracts(load_collection(path))


@pytest.fixture
def soap(tmp_path: Path) -> Iterator[str]:
    with MockServer(_contracts(tmp_path, soap_collection()), logger=lambda line: None) as server:
        yield server.url


def _soap(url: str, action: str, request_element: str) -> requests.Response:
    body = envelope(element(request_element, "<u:id>1</u:id>"))
    headers = {"Content-Type": "text/xml; charset=utf-8", "SOAPAction": f'"{action}"'}
    return requests.post(url + "/soap", data=body.encode(), headers=headers, timeout=5)


@pytest.mark.parametrize(
    ("action", "request_element", "answer"),
    [
        ("urn:CreateUser", "CreateUser", "CreateUserResponse"),
        ("urn:DeleteUser", "DeleteUser", "DeleteUserResponse"),
    ],
)
def test_the_mock_answers_each_soap_action_its_own_response(
    soap: str, action: str, request_element: str, answer: str
) -> None:
    for _ in range(3):  # the same every time, whichever was documented first
        r = _soap(soap, action, request_element)
        assert r.status_code == 200
        assert f"<u:{answer} " in r.text


def test_the_mock_answers_an_undocumented_action_with_a_client_error(soap: str) -> None:
    r = _soap(soap, "urn:RenameUser", "RenameUser")
    assert 400 <= r.status_code < 500
    assert "urn:RenameUser" in r.text and "Response" not in r.text


def _graphql(url: str, document: str, **more: Any) -> requests.Response:
    body = {"query": document, "variables": {"id": "1"}, **more}
    return requests.post(url + "/graphql", json=body, timeout=5)


def test_the_mock_answers_each_graphql_operation_its_own_data(tmp_path: Path) -> None:
    contracts = _contracts(tmp_path, graphql_collection())
    with MockServer(contracts, logger=lambda line: None) as server:
        get = _graphql(server.url, "query GetUser($id: ID!) { user(id: $id) { id } }")
        delete = _graphql(server.url, "mutation DeleteUser { deleteUser(id: 1) { ok } }")
        named = _graphql(
            server.url,
            "query GetUser { user { id } } mutation DeleteUser { deleteUser { ok } }",
            operationName="DeleteUser",
        )
        other = _graphql(server.url, "query Other { x }")
    assert (get.status_code, list(get.json()["data"])) == (200, ["user"])
    assert (delete.status_code, list(delete.json()["data"])) == (200, ["deleteUser"])
    assert list(named.json()["data"]) == ["deleteUser"]
    assert 400 <= other.status_code < 500 and "data" not in other.json()


def test_the_client_mock_routes_by_the_key_and_fails_an_unknown_operation(
    tmp_path: Path,
) -> None:
    mock = ContractMock(_contracts(tmp_path, graphql_collection()))
    mock.start()
    try:
        r = _graphql("https://api.example.test", "mutation DeleteUser { deleteUser(id: 1) { ok } }")
        assert list(r.json()["data"]) == ["deleteUser"]
        assert [c.operation for c in mock.calls] == ["delete-user"]
        with pytest.raises(Violations, match="GraphQL operation 'Other'"):
            _graphql("https://api.example.test", "query Other { x }")
    finally:
        mock.stop()
