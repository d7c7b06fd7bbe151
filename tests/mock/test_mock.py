"""The mock, as a real HTTP server on loopback, answers the way the Zoho collection documents.

A valid request gets the success example; a request that matches a documented trigger gets
that error example; anything else invalid gets the documented envelope with the closest
documented code. Never a 5xx, never a success for an invalid request, and every answer is a
documented example body or carries the envelope's keys. Each request is logged on one line,
with known secrets redacted.
"""

from __future__ import annotations

import copy
import io
import json
import socket
import string
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
import requests
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from postman_contracts.contracts import ContractSet, open_contracts
from postman_contracts.mock import MockApp, MockServer
from tests.paths import BUNDLED

CANARY = "canary-5f1c9e2b7d"
LEADS = "/crm/v2/Leads/actions/mass_update"
BULK = "/crm/bulk/v2/write"
AUTH = {"Authorization": f"Bearer {CANARY}"}
ENVELOPE = {"code", "details", "message", "status"}


@pytest.fixture(scope="module")
def contracts() -> ContractSet:
    """The bundled contracts, with the canary as the (known, hence secret) access token."""
    return open_contracts(BUNDLED, variables={"access-token": CANARY})


@pytest.fixture(scope="module")
def mock(contracts: ContractSet) -> Iterator[MockServer]:
    with MockServer(contracts, logger=lambda line: None, max_body=4096) as server:
        yield server


@pytest.fixture(scope="module")
def app(contracts: ContractSet) -> MockApp:
    return MockApp(contracts, logger=lambda line: None, max_body=512)


@pytest.fixture(scope="module")
def http() -> Iterator[requests.Session]:
    with requests.Session() as session:
        session.trust_env = False
        yield session


def _example(contracts: ContractSet, op_id: str, name: str) -> Any:
    """The response body documented by example ``name``."""
    return next(x for x in contracts.operation(op_id).examples if x.name == name).response_body


def _request_body(contracts: ContractSet, op_id: str, example: str = "SUCCESS RESPONSE") -> Any:
    x = next(x for x in contracts.operation(op_id).examples if x.name == example)
    return copy.deepcopy(x.body)


def _documented_bodies(contracts: ContractSet) -> list[Any]:
    return [x.response_body for op in contracts.operations for x in op.examples]


def _assert_documented(contracts: ContractSet, response: requests.Response) -> Any:
    """The body, asserting it is a documented example body or carries the envelope keys."""
    assert response.status_code < 500, response.text
    body = response.json()
    assert body in _documented_bodies(contracts) or (
        isinstance(body, dict) and set(body) >= ENVELOPE
    ), body
    return body


def _assert_rejected(contracts: ContractSet, response: requests.Response) -> Any:
    """Documented, and an error: a 4xx, or a 200 whose records carry ``status: error``."""
    body = _assert_documented(contracts, response)
    if response.status_code == 200:
        assert [r["status"] for r in body["data"]] == ["error"] * len(body["data"]), body
    else:
        assert 400 <= response.status_code < 500, response.status_code
        assert body["status"] == "error"
    return body


# -- documented behaviour ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "op_id", "status"),
    [(LEADS, "leads", 200), (BULK, "bulk-write/create-bulk-write-job", 201)],
)
def test_a_valid_request_gets_the_success_example(
    mock: MockServer,
    http: requests.Session,
    contracts: ContractSet,
    path: str,
    op_id: str,
    status: int,
) -> None:
    r = http.post(mock.url + path, json=_request_body(contracts, op_id), headers=AUTH)
    assert r.status_code == status
    assert r.json() == _example(contracts, op_id, "SUCCESS RESPONSE")
    assert r.headers["Content-Type"].startswith("application/json")


def test_missing_ids_gets_mandatory_not_found_in_the_records(
    mock: MockServer, http: requests.Session, contracts: ContractSet
) -> None:
    body = _request_body(contracts, "leads")
    del body["ids"]
    r = http.post(mock.url + LEADS, json=body, headers=AUTH)
    assert r.status_code == 200  # Zoho reports per-record errors under 200
    assert r.json() == {
        "data": [
            {
                "code": "MANDATORY_NOT_FOUND",
                "details": {},
                "message": "required field not found",
                "status": "error",
            }
        ]
    }


@pytest.mark.parametrize("method", ["COPY", "GET", "PUT", "PATCH", "DELETE"])
@pytest.mark.parametrize("path", [LEADS, BULK])
def test_an_undocumented_method_gets_invalid_request_method(
    mock: MockServer, http: requests.Session, contracts: ContractSet, method: str, path: str
) -> None:
    r = http.request(method, mock.url + path, json={}, headers=AUTH)
    assert r.status_code == 400
    assert r.json() == _example(contracts, "leads", "INVALID_REQUEST_METHOD")


@pytest.mark.parametrize(
    "authorization", [None, "", "Bearer", "Bearer   ", f"Basic {CANARY}", CANARY]
)
@pytest.mark.parametrize(
    ("path", "op_id"), [(LEADS, "leads"), (BULK, "bulk-write/create-bulk-write-job")]
)
def test_no_credentials_get_authentication_failure(
    mock: MockServer,
    http: requests.Session,
    contracts: ContractSet,
    authorization: str | None,
    path: str,
    op_id: str,
) -> None:
    headers = {} if authorization is None else {"Authorization": authorization}
    r = http.post(mock.url + path, json=_request_body(contracts, op_id), headers=headers)
    assert r.status_code == 401
    assert r.json() == _example(contracts, "leads", "AUTHENTICATION_FAILURE")


@pytest.mark.parametrize(
    "url",
    [
        "http://requestbin.fullcontact.com",  # the documented example: not https
        "http://www.zoho.com/in/crm/",
        "ftp://example.com/file",
        "https://127.0.0.1/callback",  # loopback
        "https://localhost:8443/",
        "https://localhost./",
        "https://[::1]/",
        "https://10.0.0.1/",  # private
        "https://192.168.1.20/hook",
        "https://169.254.169.254/latest/meta-data/",  # link-local: cloud metadata
        "https://good.example@127.0.0.1/",  # userinfo: reads as good.example, goes to loopback
        "https://user:pass@www.zoho.com/",
        "https://0.0.0.0/",
        # numeric forms that resolvers read as 127.0.0.1
        "https://2130706433/",
        "https://0x7f000001/",
        "https://127.1/",
        "https://0177.0.0.1/",
        "https://[::ffff:127.0.0.1]/",
        "not a url",
    ],
)
def test_an_unsafe_callback_url_gets_invalid_callback_url(
    mock: MockServer, http: requests.Session, contracts: ContractSet, url: str
) -> None:
    body = _request_body(contracts, "bulk-write/create-bulk-write-job")
    body["callback"]["url"] = url
    r = http.post(mock.url + BULK, json=body, headers=AUTH)
    assert r.status_code == 400
    assert r.json()["code"] == "INVALID_CALLBACK_URL"
    assert r.json()["details"] == {"reason": "possible ssrf attempt"}


@pytest.mark.parametrize(
    "url",
    ["https://www.zoho.com/in/crm/", "https://hooks.example.com/zoho?x=1", "https://8.8.8.8/"],
)
def test_a_public_https_callback_url_is_accepted(
    mock: MockServer, http: requests.Session, contracts: ContractSet, url: str
) -> None:
    body = _request_body(contracts, "bulk-write/create-bulk-write-job")
    body["callback"]["url"] = url
    r = http.post(mock.url + BULK, json=body, headers=AUTH)
    assert r.status_code == 201, r.text


# -- malformed input -----------------------------------------------------------------------------

MALFORMED = {
    "not JSON": (b'{"data": [', "application/json"),
    "JSON with a trailing comma": (b'{"data": [{"No_of_Employees": 1}],}', "application/json"),
    "wrong Content-Type": (b"<data><No_of_Employees>1</No_of_Employees></data>", "application/xml"),
    "form-encoded": (b"data=1&ids=2", "application/x-www-form-urlencoded"),
    "not UTF-8": (b'{"data": [{"No_of_Employees": 1}], "x": "\xff\xfe"}', "application/json"),
    "UTF-16": ('{"data": []}'.encode("utf-16"), "application/json"),
    "empty": (b"", "application/json"),
    "a JSON array": (b"[1, 2, 3]", "application/json"),
    "a JSON string": (b'"ids"', "application/json"),
    "null": (b"null", "application/json"),
    "deeply nested": (b"[" * 2000 + b"]" * 2000, "application/json"),  # within the limit
    "oversized": (b'{"data": [' + b'{"No_of_Employees": 1}, ' * 400 + b"{}]}", "application/json"),
}


@pytest.mark.parametrize("case", list(MALFORMED))
@pytest.mark.parametrize("path", [LEADS, BULK])
def test_malformed_input_gets_a_documented_error_never_a_5xx_or_success(
    mock: MockServer, http: requests.Session, contracts: ContractSet, case: str, path: str
) -> None:
    data, content_type = MALFORMED[case]
    r = http.post(mock.url + path, data=data, headers={**AUTH, "Content-Type": content_type})
    _assert_rejected(contracts, r)


def test_the_body_limit_is_configurable(contracts: ContractSet, http: requests.Session) -> None:
    body = _request_body(contracts, "leads")
    size = len(json.dumps(body))
    with MockServer(contracts, max_body=size - 1, logger=lambda line: None) as small:
        _assert_rejected(contracts, http.post(small.url + LEADS, json=body, headers=AUTH))
    with MockServer(contracts, max_body=size, logger=lambda line: None) as exact:
        assert http.post(exact.url + LEADS, json=body, headers=AUTH).status_code == 200


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/"),
        ("POST", "/crm/v2/Leads"),
        ("POST", "/crm/v2/Contacts/actions/mass_update"),
        ("POST", "/crm/bulk/v3/write"),
        ("POST", LEADS + "/extra"),
    ],
)
def test_an_unknown_path_gets_404_naming_the_closest_operations(
    mock: MockServer, http: requests.Session, contracts: ContractSet, method: str, path: str
) -> None:
    r = http.request(method, mock.url + path, headers=AUTH)
    assert r.status_code == 404
    body = _assert_documented(contracts, r)
    assert body["code"] == "NOT_FOUND"
    assert body["status"] == "error"
    assert f"{method} {path}" in body["message"]
    closest = body["details"]["closest"]
    assert {c["operation"] for c in closest} == {"leads", "bulk-write/create-bulk-write-job"}
    assert all(c["why"] for c in closest)


def test_the_404_says_why_each_operation_did_not_match(
    mock: MockServer, http: requests.Session
) -> None:
    r = http.post(mock.url + "/crm/v2/Contacts/actions/mass_update", headers=AUTH)
    why = {c["operation"]: c["why"] for c in r.json()["details"]["closest"]}
    # the closest first: same length, one segment differs
    assert next(iter(why)) == "leads"
    assert why["leads"] == "segment 'Contacts' is not 'Leads' in /crm/v2/Leads/actions/mass_update"
    assert (
        why["bulk-write/create-bulk-write-job"] == "path has 5 segments, /crm/bulk/v2/write has 4"
    )


# -- the log -------------------------------------------------------------------------------------


def test_one_redacted_log_line_per_request(contracts: ContractSet, http: requests.Session) -> None:
    lines: list[str] = []
    body = _request_body(contracts, "leads")
    with MockServer(contracts, logger=lines.append) as server:
        http.post(server.url + LEADS, json=body, headers=AUTH)
        http.post(server.url + LEADS + "/" + CANARY, json=body, headers=AUTH)  # token in a path
        http.post(server.url + LEADS, json={**body, CANARY: 1}, headers=AUTH)  # as a field name
        http.request("COPY", server.url + BULK, headers=AUTH)
    assert len(lines) == 4
    assert lines[0] == f"POST {LEADS} -> 200 leads::SUCCESS RESPONSE (success)"
    assert lines[1] == f"POST {LEADS}/[REDACTED] -> 404 NOT_FOUND"
    assert lines[2].startswith(f"POST {LEADS} -> 200 leads::INVALID_DATA (field)")
    assert "unknown property '[REDACTED]'" in lines[2]
    assert lines[3].startswith(f"COPY {BULK} -> 400 leads::INVALID_REQUEST_METHOD")
    assert not any(CANARY in line for line in lines)


@pytest.mark.parametrize(
    "raw",
    [
        b"GET [ HTTP/1.0\r\n\r\n",  # a request target that is not a path
        b"GET / HTTP/1.0\r\nHost: [\r\n\r\n",  # a Host header that is not a host
        b"POST " + BULK.encode() + b" HTTP/1.0\r\nHost: a]b[\r\nContent-Length: 2\r\n\r\n{}",
        b"GET http://x[/ HTTP/1.0\r\n\r\n",
    ],
    ids=["target", "host", "host-with-body", "absolute-target"],
)
def test_a_malformed_request_line_or_host_gets_no_5xx(mock: MockServer, raw: bytes) -> None:
    host, port = mock.server.server_address[:2]
    with socket.create_connection((str(host), int(port)), timeout=10) as s:
        s.sendall(raw)
        answer = b"".join(iter(lambda: s.recv(65536), b""))
    status_line, _, rest = answer.partition(b"\r\n")
    assert 400 <= int(status_line.split()[1]) < 500, answer
    assert set(json.loads(rest.partition(b"\r\n\r\n")[2])) >= ENVELOPE


# -- nothing makes it fail -----------------------------------------------------------------------

_TOKEN = st.text(string.ascii_letters + string.digits + "-!#$%&'*+.^_`|~", min_size=1, max_size=12)
_HEADER_VALUE = st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E), max_size=40)
_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=12,
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    method=st.sampled_from(["POST", "GET", "COPY", "OPTIONS", "HEAD"]) | _TOKEN.map(str.upper),
    path=st.sampled_from([LEADS, BULK, "/"]) | st.text(max_size=30).map(lambda p: "/" + quote(p)),
    headers=st.dictionaries(
        st.sampled_from(["Authorization", "Content-Type", "Accept", "X-Api-Key"]) | _TOKEN,
        _HEADER_VALUE,
        max_size=4,
    ),
    body=st.binary(max_size=600) | _JSON.map(lambda v: json.dumps(v).encode("utf-8")),
)
def test_no_request_gets_a_5xx(
    mock: MockServer,
    http: requests.Session,
    method: str,
    path: str,
    headers: dict[str, str],
    body: bytes,
) -> None:
    r = http.request(method, mock.url + path, headers=headers, data=body)
    assert r.status_code < 500, (r.status_code, r.text)
    if method != "HEAD":
        assert set(r.json()) >= ENVELOPE or "data" in r.json()


def _call(app: MockApp, environ: dict[str, Any]) -> tuple[str, list[tuple[str, str]], bytes]:
    seen: list[Any] = []
    body = b"".join(app(environ, lambda status, headers, *_: seen.extend([status, headers])))
    return seen[0], seen[1], body


@settings(max_examples=200, deadline=None)
@example(method="GET", path="[", query="", content_length=None, extra={}, body=b"")
@example(
    method="POST", path=BULK, query="", content_length="5", extra={"HTTP_HOST": "a]b["}, body=b"{}"
)
@given(
    method=st.text(max_size=10),
    path=st.text(max_size=40),
    query=st.text(max_size=20),
    content_length=st.one_of(st.none(), st.text(max_size=6), st.integers(-10, 10_000).map(str)),
    extra=st.dictionaries(
        st.text(string.ascii_uppercase + "_", min_size=1).map("HTTP_".__add__),
        st.text(max_size=20),
        max_size=4,
    ),
    body=st.binary(max_size=600),
)
def test_no_environ_makes_the_wsgi_app_fail(
    app: MockApp,
    method: str,
    path: str,
    query: str,
    content_length: str | None,
    extra: dict[str, str],
    body: bytes,
) -> None:
    environ: dict[str, Any] = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "wsgi.input": io.BytesIO(body),
        **extra,
    }
    if content_length is not None:
        environ["CONTENT_LENGTH"] = content_length
    status, headers, out = _call(app, environ)
    assert int(status.split()[0]) < 500, status
    assert dict(headers)["Content-Length"] == str(len(out))
    assert set(json.loads(out)) >= ENVELOPE or "data" in json.loads(out)
