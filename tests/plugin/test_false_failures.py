"""No false failures from what the collection does not document (issue 12).

Each test builds the smallest collection showing one way the checks used to fail a server that
follows its documentation, serves a plain server that behaves as such a server may, and runs
the plugin on both through pytester. Where the collection does document the behaviour, a
server that breaks it still fails.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from typing import Any

import pytest

from tests.plugin.builders import Server, bearer, example, item, problem, request, write
from tests.plugin.conftest import WsgiApp, failure_section, outcomes, run_plugin

Answer = tuple[int, str, Any]


def _run(pytester: pytest.Pytester, name: str, url: str, *args: str) -> pytest.RunResult:
    return run_plugin(pytester, name, url, "-rs", "--contracts-max-examples", "10", *args)


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
    assert outcomes(result) == {"things::test_example[OK]": "PASSED"}
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
        "things::test_example[OK]": "PASSED",
        "things::test_auth": "PASSED",
    }
    without = [h for m, p, h, b in server.seen if h.get("x-api-key") != "k-123456789"]
    assert without == [{k: v for k, v in without[0].items() if k != "x-api-key"}]


# -- undocumented cases: any 4xx -----------------------------------------------------------------

ERROR = {"code": "INVALID_NAME", "message": "The name is not valid."}


def _framework(documented: Callable[[str, str, bytes], Answer]) -> Callable[..., Answer]:
    """A server whose framework answers what the API documents nothing about in its own words:
    405 and 422 as problem documents, 401 as plain text."""

    def answer(method: str, path: str, headers: dict[str, str], body: bytes) -> Answer:
        if "authorization" not in headers:
            return 401, "text/plain", b"Unauthorized"
        if method not in ("POST", "GET"):
            return problem(405, "Method Not Allowed")
        return documented(method, path, body)

    return answer


def _things(body: bytes) -> Answer:
    try:
        sent = json.loads(body)
    except ValueError:
        return problem(422, "Unprocessable Entity")
    if not isinstance(sent, dict) or set(sent) != {"name"} or not isinstance(sent["name"], str):
        return problem(422, "Unprocessable Entity")
    if sent["name"] == "":
        return 400, "application/json", ERROR
    return 201, "application/json", {"id": 1, "name": sent["name"]}


def test_undocumented_method_auth_and_invalid_cases_accept_any_client_error(
    pytester: pytest.Pytester, serve: Callable[[WsgiApp], str]
) -> None:
    good = {"name": "a"}
    req = request("POST", "/things", good)
    name = write(
        pytester.path,
        item(
            "things",
            req,
            example("Created", 201, {"id": 1, "name": "a"}, req),
            example("Bad name", 400, ERROR, request("POST", "/things", {"name": ""})),
        ),
        auth=bearer(),
    )
    url = serve(Server(_framework(lambda method, path, body: _things(body))))
    result = _run(pytester, name, url, "--contracts-checks", "examples,method,auth,invalid")
    assert outcomes(result) == {
        "things::test_example[Created]": "PASSED",
        "things::test_example[Bad name]": "PASSED",
        "things::test_coverage": "PASSED",
        "things::test_fuzz_invalid": "PASSED",
        "things::test_method": "PASSED",
        "things::test_auth": "PASSED",
    }


def _auth_failed(documented_on: int) -> list[dict[str, Any]]:
    """Three operations; the first ``documented_on`` document a 401 AUTH_FAILED."""
    denied = {"code": "AUTH_FAILED", "message": "Who are you?"}
    items = []
    for i in range(3):
        req = request("GET", f"/things{i}")
        examples = [example("OK", 200, {"id": 1}, req)]
        if i < documented_on:
            examples.append(example("Denied", 401, denied, req))
        items.append(item(f"things{i}", req, *examples))
    return items


@pytest.mark.parametrize("documented_on", [1, 2])
def test_an_authentication_error_is_collection_wide_only_where_the_collection_shows_it(
    pytester: pytest.Pytester, serve: Callable[[WsgiApp], str], documented_on: int
) -> None:
    # The server answers the documented error where it is documented, and its framework's
    # plain 401 elsewhere.
    def answer(method: str, path: str, headers: dict[str, str], body: bytes) -> Answer:
        if "authorization" not in headers:
            if int(path[-1]) < documented_on:
                return 401, "application/json", {"code": "AUTH_FAILED", "message": "Who?"}
            return 401, "text/plain", b"Unauthorized"
        return 200, "application/json", {"id": 1}

    name = write(pytester.path, *_auth_failed(documented_on), auth=bearer())
    result = _run(pytester, name, serve(Server(answer)), "--contracts-checks", "auth")
    # documented on one operation: evidence for that one only; on two alike: shared, so the
    # third must answer it too
    assert outcomes(result) == {
        "things0::test_auth": "PASSED",
        "things1::test_auth": "PASSED",
        "things2::test_auth": "PASSED" if documented_on == 1 else "FAILED",
    }
    if documented_on == 2:
        failure_section(result, "things2::test_auth").fnmatch_lines(
            [
                "  a request without credentials must get the authentication error",
                "- Expected documented error AUTH_FAILED",
            ]
        )
    else:
        result.stdout.fnmatch_lines(["*::things2::test_auth PASSED*"])


# -- the method test on overlapping path templates -----------------------------------------------


def test_the_method_test_sends_no_method_an_overlapping_template_serves(
    pytester: pytest.Pytester, serve: Callable[[WsgiApp], str]
) -> None:
    export = request("GET", "/orders/export")
    one = request("GET", "/orders/:orderId")
    one["url"]["variable"] = [{"key": "orderId", "value": "42"}]
    gone = request("DELETE", "/orders/:orderId")
    gone["url"]["variable"] = [{"key": "orderId", "value": "42"}]
    name = write(
        pytester.path,
        item("export", export, example("OK", 200, {"orders": []}, export)),
        item("order", one, example("OK", 200, {"id": 42}, one)),
        item("delete", gone, example("Deleted", 200, {"deleted": True}, gone)),
    )

    def answer(method: str, path: str, headers: dict[str, str], body: bytes) -> Answer:
        if method == "GET" and path == "/orders/export":
            return 200, "application/json", {"orders": []}
        if method in ("GET", "DELETE") and path.startswith("/orders/"):
            return 200, "application/json", {"id": 42} if method == "GET" else {"deleted": True}
        return problem(405, "Method Not Allowed")

    server = Server(answer)
    result = _run(
        pytester,
        name,
        serve(server),
        "--contracts-checks",
        "method",
        "--contracts-select",
        "export",
    )
    assert outcomes(result) == {"export::test_method": "PASSED"}
    assert [(m, p) for m, p, _, _ in server.seen] == [("PATCH", "/orders/export")]


def test_the_method_test_is_skipped_when_every_method_is_documented_there(
    pytester: pytest.Pytester, serve: Callable[[WsgiApp], str]
) -> None:
    items = []
    for method in ("GET", "POST", "PUT", "PATCH", "DELETE"):
        req = request(method, "/things")
        items.append(item(method.lower(), req, example("OK", 200, {"ok": True}, req)))
    name = write(pytester.path, *items)
    server = Server(lambda *_: (200, "application/json", {"ok": True}))
    result = _run(pytester, name, serve(server), "--contracts-checks", "method")
    result.assert_outcomes(skipped=5)
    result.stdout.fnmatch_lines(
        ["SKIPPED * every standard method is documented on a path template matching /things"]
    )
    assert server.seen == []


# -- replays that cannot be reproduced -----------------------------------------------------------


def test_an_example_without_a_status_is_skipped_and_accepted_by_its_twin(
    pytester: pytest.Pytester, serve: Callable[[WsgiApp], str]
) -> None:
    # What Postman's converter makes of an OpenAPI 'default' response: no code, same request.
    req = request("POST", "/things", {"name": "a"})
    name = write(
        pytester.path,
        item(
            "things",
            req,
            example("Created", 201, {"id": 1, "name": "a"}, req),
            example("Unexpected error", None, {"code": 7, "message": "boom"}, req),
        ),
    )
    server = Server(lambda *_: (201, "application/json", {"id": 1, "name": "a"}))
    result = _run(pytester, name, serve(server), "--contracts-checks", "examples")
    assert outcomes(result) == {
        "things::test_example[Created]": "PASSED",
        "things::test_example[Unexpected error]": "SKIPPED",
    }
    result.stdout.fnmatch_lines(
        ["SKIPPED * Unexpected error documents no status (an OpenAPI 'default' response*"]
    )


def _orders() -> list[dict[str, Any]]:
    good = request("POST", "/orders", {"sku": "a", "qty": 1})
    bad = request("POST", "/orders", {"qty": 1})
    return [
        item(
            "orders",
            good,
            example("Created", 201, {"id": 1}, good),
            # one request, two documented errors: which one depends on the server's state
            example("Out of stock", 400, {"code": "OUT_OF_STOCK", "message": "x"}, bad),
            example("Duplicate", 409, {"code": "DUPLICATE", "message": "x"}, bad),
        ),
        item(
            "put thing",
            request("PUT", "/things/1", {"name": "a"}),
            example("Updated", 200, {"id": 1}, request("PUT", "/things/1", {"name": "a"})),
            example("Created", 201, {"id": 1}, request("PUT", "/things/1", {"name": "a"})),
        ),
    ]


def _orders_server(duplicate: int, put: int) -> Server:
    def answer(method: str, path: str, headers: dict[str, str], body: bytes) -> Answer:
        if path == "/things/1":
            return put, "application/json", {"id": 1}
        if "sku" in json.loads(body):
            return 201, "application/json", {"id": 1}
        return duplicate, "application/json", {"code": "DUPLICATE", "message": "x"}

    return Server(answer)


def test_examples_of_one_request_accept_any_response_documented_for_it(
    pytester: pytest.Pytester, serve: Callable[[WsgiApp], str]
) -> None:
    name = write(pytester.path, *_orders())
    url = serve(_orders_server(409, 200))
    result = _run(pytester, name, url, "--contracts-checks", "examples")
    assert set(outcomes(result).values()) == {"PASSED"}, result.outlines
    assert len(outcomes(result)) == 5


def test_examples_of_one_request_still_fail_a_response_documented_for_none(
    pytester: pytest.Pytester, serve: Callable[[WsgiApp], str]
) -> None:
    name = write(pytester.path, *_orders())
    url = serve(_orders_server(404, 202))
    result = _run(pytester, name, url, "--contracts-checks", "examples")
    assert outcomes(result) == {
        "orders::test_example[Created]": "PASSED",
        "orders::test_example[Out of stock]": "FAILED",
        "orders::test_example[Duplicate]": "FAILED",
        "put-thing::test_example[Updated]": "FAILED",
        "put-thing::test_example[Created]": "FAILED",
    }
    failure_section(result, "put-thing::test_example[Created]").fnmatch_lines(
        [
            "PUT http://127.0.0.1:*/things/1 (put thing)",
            "  replaying documented example 'Created' (documented with 2 responses for this "
            "request, with 'Updated': accepts either)",
            "- Wrong status code",
            "    examples 'Updated' (200), 'Created' (201) document this request",
            "    expected one of 200, 201, got 202",
        ]
    )


# -- triggers learned from coincidence -----------------------------------------------------------


def test_a_value_saved_differently_by_chance_is_not_demanded_of_the_server(
    pytester: pytest.Pytester, serve: Callable[[WsgiApp], str]
) -> None:
    ok = request("POST", "/payments", {"amount": "12.50", "note": "x"})
    refused = request("POST", "/payments", {"amount": "80", "note": "x"})
    name = write(
        pytester.path,
        item(
            "pay",
            ok,
            example("OK", 201, {"id": 1}, ok),
            example("Refused", 400, {"code": "INSUFFICIENT_FUNDS", "message": "Refused."}, refused),
        ),
    )

    def answer(method: str, path: str, headers: dict[str, str], body: bytes) -> Answer:
        sent = json.loads(body) if body else None
        if method != "POST":
            return problem(405, "Method Not Allowed")
        if isinstance(sent, dict) and all(isinstance(sent.get(k), str) for k in ("amount", "note")):
            return 201, "application/json", {"id": 1}  # a rich account: every payment goes
        return problem(422, "Unprocessable Entity")

    args = ("--contracts-checks", "examples,fuzz,invalid", "--contracts-max-examples", "30")
    result = _run(pytester, name, serve(Server(answer)), *args)
    assert outcomes(result) == {
        "pay::test_example[OK]": "PASSED",
        "pay::test_example[Refused]": "SKIPPED",
        "pay::test_coverage": "PASSED",
        "pay::test_fuzz_valid": "PASSED",
        "pay::test_fuzz_invalid": "PASSED",
    }
    result.stdout.fnmatch_lines(
        [
            "SKIPPED * INSUFFICIENT_FUNDS its request differs from the success's only in the "
            "value at amount ('12.50' → '80'), which nothing shows invalid: taken as caused by "
            "server state*"
        ]
    )


def test_a_path_variable_holding_a_slash_stays_one_segment(pytester: pytest.Pytester) -> None:
    """Postman's importer may fill ``:id`` with ``application/json``: replayed, it is one
    segment (``application%2Fjson``), not two, or the route is never found."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    from tests.plugin.builders import SCHEMA_V21

    seen: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            seen.append(self.path)  # as sent, not decoded
            found = self.path == "/things/application%2Fjson"
            self.send_response(200 if found else 404)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(b'{"ok": true}' if found else b'{"error": "no route"}')

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet."""

    url = {
        "raw": "{{baseUrl}}/things/:id",
        "host": ["{{baseUrl}}"],
        "path": ["things", ":id"],
        "variable": [{"key": "id", "value": "application/json"}],
    }
    ok = {
        "name": "OK",
        "code": 200,
        "header": [{"key": "Content-Type", "value": "application/json"}],
        "body": '{"ok": true}',
        "originalRequest": {"method": "GET", "url": url},
    }
    doc = {
        "info": {"name": "api", "schema": SCHEMA_V21},
        "item": [{"name": "thing", "request": {"method": "GET", "url": url}, "response": [ok]}],
    }
    (pytester.path / "api.postman_collection.json").write_text(json.dumps(doc))
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}"
        result = pytester.runpytest(
            "-p", "no:cacheprovider", "--contracts", "api.postman_collection.json",
            "--contracts-base-url", base, "--contracts-checks", "examples",
        )  # fmt: skip
    finally:
        server.shutdown()
        server.server_close()
    result.assert_outcomes(passed=1)
    assert seen == ["/things/application%2Fjson"]
