"""No false failures from what the collection does not document (issue 12).

Each test builds the smallest collection showing one way the checks used to fail a server that
follows its documentation, serves a plain server that behaves as such a server may, and runs
the plugin on both through pytester. Where the collection does document the behaviour, a
server that breaks it still fails.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any

import pytest

from tests.plugin.builders import Server, example, item, request, write
from tests.plugin.conftest import WsgiApp, outcomes

Answer = tuple[int, str, Any]


def _run(pytester: pytest.Pytester, name: str, url: str, *args: str) -> pytest.RunResult:
    return pytester.runpytest(
        "-v",
        "-rs",
        "-p",
        "no:cacheprovider",
        "--contracts",
        name,
        "--contracts-base-url",
        url,
        "--contracts-max-examples",
        "10",
        "--contracts-seed",
        "1",
        *args,
    )


# -- credentials ---------------------------------------------------------------------------------


def test_basic_auth_sends_base64_of_user_and_password(
    pytester: pytest.Pytester, serve: Callable[[WsgiApp], str]
) -> None:
    expected = "Basic " + base64.b64encode(b"alice:s3cret-pass").decode()

    def answer(method: str, path: str, headers: dict[str, str], body: bytes) -> Answer:
        if headers.get("authorization") != expected:
            return 401, "application/json", {"error": "unauthorized"}
        return 200, "application/json", {"id": 1}

    auth = {
        "type": "basic",
        "basic": [
            {"key": "password", "value": "{{password}}", "type": "string"},
            {"key": "username", "value": "{{username}}", "type": "string"},
        ],
    }
    req = request("GET", "/things", auth=auth)
    name = write(pytester.path, item("things", req, example("OK", 200, {"id": 1}, req)))
    server = Server(answer)
    result = _run(
        pytester,
        name,
        serve(server),
        "--contracts-checks",
        "examples",
        "--contracts-var",
        "username=alice",
        "--contracts-var",
        "password=s3cret-pass",
    )
    assert outcomes(result) == {"test_example[things::OK]": "PASSED"}
    assert server.seen[0][2]["authorization"] == expected


def test_the_no_credentials_test_sends_no_api_key_copied_from_the_example(
    pytester: pytest.Pytester, serve: Callable[[WsgiApp], str]
) -> None:
    def answer(method: str, path: str, headers: dict[str, str], body: bytes) -> Answer:
        if headers.get("x-api-key") != "k-123456789":
            return 401, "application/json", {"error": "no key"}
        return 200, "application/json", {"id": 1}

    auth = {
        "type": "apikey",
        "apikey": [
            {"key": "key", "value": "X-API-Key"},
            {"key": "value", "value": "{{apiKey}}"},
            {"key": "in", "value": "header"},
        ],
    }
    # the saved example carries the key in a header of its own, as Postman saves it
    req = request("GET", "/things", headers=[("x-api-key", "{{apiKey}}")], auth=auth)
    name = write(pytester.path, item("things", req, example("OK", 200, {"id": 1}, req)))
    server = Server(answer)
    result = _run(
        pytester,
        name,
        serve(server),
        "--contracts-checks",
        "examples,auth",
        "--contracts-var",
        "apiKey=k-123456789",
    )
    assert outcomes(result) == {
        "test_example[things::OK]": "PASSED",
        "test_auth[things]": "PASSED",
    }
    without = [h for m, p, h, b in server.seen if h.get("x-api-key") != "k-123456789"]
    assert without == [{k: v for k, v in without[0].items() if k != "x-api-key"}]
