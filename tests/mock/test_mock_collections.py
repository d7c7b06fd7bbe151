"""The mock on synthetic collections, as a real HTTP server on loopback: what the bundled Zoho
collection does not show (API-key headers spelled with ``_``, envelopes without a code key).
"""

from __future__ import annotations

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
