"""One request policy: the WSGI mock and the ``responses`` client mock judge a request alike.

Each row is sent twice, unchanged: to the WSGI mock as a real HTTP server on loopback, and
through the client mock. The verdicts must agree: both accept it (the mock serves the success
example; the client mock records the call), or both reject it for the same problem (the
problem the mock answers, as its log line names it, is the one the client mock fails with).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from postman_contracts.checking._violations import Violations
from postman_contracts.client._mock import ContractMock
from postman_contracts.collection import load_collection
from postman_contracts.contracts import ContractSet, build_contracts, open_contracts
from postman_contracts.mock import MockServer
from tests.paths import BUNDLED
from tests.reliability.builders import collection, request_item, write

LEADS = "/crm/v2/Leads/actions/mass_update"
GOOD = b'{"data": [{"No_of_Employees": 10}], "over_write": true, "ids": ["738964000002131001"]}'
JSON = {"Content-Type": "application/json"}
AUTH = {"Authorization": "Bearer 1000.policy-token-0123456789"}
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def _synthetic(tmp_path: Path) -> ContractSet:
    """``GET /search?q=`` (``q`` required) and ``POST /upload`` with a form body."""
    search = request_item("search", path="/search", method="GET", response={"results": []})
    del search["request"]["body"]
    search["request"]["header"] = []
    search["request"]["url"]["query"] = [
        {"key": "q", "value": "shoes"},
        {"key": "page", "value": "1"},
    ]
    upload = request_item("upload", path="/upload", response={"id": "u1"})
    upload["request"]["header"] = [{"key": "Content-Type", "value": FORM["Content-Type"]}]
    upload["request"]["body"] = {
        "mode": "urlencoded",
        "urlencoded": [{"key": "name", "value": "x"}],
    }
    doc = collection(
        [search, upload], variable=[{"key": "base", "value": "https://api.example.com"}]
    )
    built = build_contracts(load_collection(write(tmp_path / "s.postman_collection.json", doc)))
    # Whether one example makes a query parameter required is inference's policy, not this
    # test's: say it, as a hand-written override does (no x-evidence: held as written).
    op = built.operation("search")
    params = tuple(
        dataclasses.replace(
            p,
            required=p.name == "q",
            schema={k: v for k, v in p.schema.items() if k != "x-evidence"},
        )
        for p in op.request.parameters
    )
    op = dataclasses.replace(op, request=dataclasses.replace(op.request, parameters=params))
    return dataclasses.replace(built, operations=(op, built.operation("upload")))


AJ = {**AUTH, **JSON}
TEXT = {**AUTH, "Content-Type": "text/plain"}
NO_IDS = b'{"data": [{"No_of_Employees": 10}], "over_write": true}'
EXTRA = GOOD[:-1] + b', "extra": 1}'
YES = GOOD.replace(b"true", b'"yes"')
Q = "/search?q=shoes"

# (id, contract set, method, path and query, headers, body, expected problem or None)
ROWS: list[tuple[str, str, str, str, dict[str, str], bytes, str | None]] = [
    ("valid", "zoho", "POST", LEADS, AJ, GOOD, None),
    ("no credentials", "zoho", "POST", LEADS, JSON, GOOD, "auth"),
    ("json without content-type", "zoho", "POST", LEADS, AUTH, GOOD, "malformed"),
    ("json as text/plain", "zoho", "POST", LEADS, TEXT, GOOD, "malformed"),
    ("undocumented method", "zoho", "PUT", LEADS, AJ, GOOD, "method"),
    ("missing ids", "zoho", "POST", LEADS, AJ, NO_IDS, "missing_required"),
    ("unknown field", "zoho", "POST", LEADS, AJ, EXTRA, "unknown_field"),
    ("wrong type", "zoho", "POST", LEADS, AJ, YES, "type_changed"),
    ("unknown path", "zoho", "POST", LEADS + "/nope", AJ, GOOD, "unmatched"),
    ("query valid", "synthetic", "GET", Q + "&page=2", {}, b"", None),
    ("required query missing", "synthetic", "GET", "/search?page=2", {}, b"", "missing_required"),
    ("undocumented query", "synthetic", "GET", Q + "&colour=red", {}, b"", "unknown_field"),
    ("form valid", "synthetic", "POST", "/upload", FORM, b"name=y", None),
    ("form sent as json", "synthetic", "POST", "/upload", JSON, b'{"name": "y"}', "malformed"),
    ("form without content-type", "synthetic", "POST", "/upload", {}, b"name=y", "malformed"),
]


@pytest.fixture(scope="module")
def sets(tmp_path_factory: pytest.TempPathFactory) -> dict[str, ContractSet]:
    return {
        "zoho": open_contracts(str(BUNDLED)),
        "synthetic": _synthetic(tmp_path_factory.mktemp("policy")),
    }


@pytest.fixture
def http() -> Iterator[requests.Session]:
    with requests.Session() as session:
        session.trust_env = False
        yield session


def _send(
    http: requests.Session,
    base: str,
    method: str,
    target: str,
    headers: dict[str, str],
    body: bytes,
) -> requests.Response:
    request = requests.Request(method, base + target, headers=headers, data=body or None)
    prepared = http.prepare_request(request)
    for name in [k for k in prepared.headers if k.lower() == "content-type"]:
        if not any(k.lower() == "content-type" for k in headers):
            del prepared.headers[name]  # exactly what the row says, nothing requests adds
    return http.send(prepared, timeout=10)


def _wsgi_verdict(
    contracts: ContractSet, http: requests.Session, row: tuple[Any, ...]
) -> tuple[bool, str]:
    """(accepted, the mock's log line) from the WSGI mock on loopback."""
    _, _, method, target, headers, body, _ = row
    lines: list[str] = []
    with MockServer(contracts, logger=lines.append) as server:
        response = _send(http, server.url, method, target, headers, body)
    (line,) = lines
    assert response.status_code < 500, response.text
    return line.endswith("(success)"), line


def _client_verdict(
    contracts: ContractSet, http: requests.Session, row: tuple[Any, ...]
) -> tuple[bool, list[tuple[str, str]]]:
    """(accepted, the (check, first message line) of each failure) from the client mock."""
    _, _, method, target, headers, body, _ = row
    with ContractMock(contracts) as mock:
        mock.assert_all_requests_are_fired = False
        try:
            _send(http, "https://api.example.com", method, target, headers, body)
        except Violations as failure:
            mock.raised.clear()  # reported here, not at teardown
            return False, [(v.check, v.message.splitlines()[0]) for v in failure.violations]
    return True, []


@pytest.mark.parametrize("row", ROWS, ids=[r[0] for r in ROWS])
def test_both_mocks_give_the_same_verdict(
    sets: dict[str, ContractSet], http: requests.Session, row: tuple[Any, ...]
) -> None:
    contracts, expected = sets[row[1]], row[-1]
    served, line = _wsgi_verdict(contracts, http, row)
    accepted, failures = _client_verdict(contracts, http, row)

    assert (served, accepted) == (expected is None, expected is None), (line, failures)
    if expected == "unmatched":
        assert " -> 404 NOT_FOUND" in line
        assert [check for check, _ in failures] == ["request_unmatched"]
    elif expected is not None:
        messages = [message for check, message in failures if check == f"request_{expected}"]
        assert messages, failures
        assert any(m in line for m in messages), (line, failures)  # the problem it answered
