"""The plugin on form bodies, typed query parameters and response media types, over loopback.

A server that reads forms and typed query parameters as the documentation says passes every
test (replays, valid and invalid fuzz); one that breaks on a missing required form field or
query parameter, or answers another media type than the documented one, fails the test that
shows it, with a title that says so.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.contracts.exchange_builders import collection, form_request, plain_request, response
from tests.plugin.builders import Server, write_doc
from tests.plugin.conftest import WsgiApp, failed, failure_section, outcomes, run_plugin

Answer = tuple[int, str, Any]


def _run(pytester: pytest.Pytester, name: str, url: str, *args: str) -> pytest.RunResult:
    return run_plugin(pytester, name, url, "--contracts-max-examples", "15", *args)


def _form_collection() -> dict[str, Any]:
    req = form_request([("amount", "<integer>"), ("currency", "USD"), ("note", "x", True)])
    bad = form_request([("currency", "USD")])
    return collection(
        (
            "pay",
            req,
            [
                response("OK", 200, {"id": 1}, req),
                response("OK again", 200, {"id": 2}, req),
                response("No amount", 400, {"error": "amount is required"}, bad),
            ],
        )
    )


def _form_server(*, crash_without_amount: bool = False) -> Callable[..., Answer]:
    def answer(method: str, path: str, headers: dict[str, str], body: bytes) -> Answer:
        if not path.startswith("/things") or method != "POST":
            return 405, "application/json", {"error": "method"}
        if "form" not in headers.get("content-type", "") and "content-type" in headers:
            return 415, "application/json", {"error": "not a form"}
        fields = parse_qs(body.decode(), keep_blank_values=True)
        amount = fields.get("amount", [""])[0]
        if not amount:
            if crash_without_amount:
                return 500, "text/plain", b"KeyError: 'amount'"
            return 400, "application/json", {"error": "amount is required"}
        if not amount.lstrip("-").isdigit():
            return 400, "application/json", {"error": "amount is not an integer"}
        return 200, "application/json", {"id": 1}

    return answer


def test_a_server_reading_forms_as_documented_passes_every_test(
    pytester: pytest.Pytester, serve: Callable[[WsgiApp], str]
) -> None:
    server = Server(_form_server())
    name = write_doc(pytester.path, _form_collection())
    result = _run(pytester, name, serve(server))
    found = outcomes(result)
    assert "pay::test_fuzz_valid" in found and "pay::test_fuzz_invalid" in found
    assert failed(result) == set(), result.stdout.str()
    sent = [body for method, _, headers, body in server.seen if method == "POST" and body]
    assert any(b"amount=" in body for body in sent)
    assert all(b"{" not in body[:1] for body in sent)  # forms, never JSON


def test_a_missing_required_form_field_is_sent_labelled(
    pytester: pytest.Pytester, serve: Callable[[WsgiApp], str]
) -> None:
    name = write_doc(pytester.path, _form_collection())
    result = _run(pytester, name, serve(Server(_form_server(crash_without_amount=True))))
    assert "pay::test_fuzz_invalid" in failed(result)
    section = failure_section(result, "pay::test_fuzz_invalid")
    section.fnmatch_lines(["*Server error 500*"])
    section.fnmatch_lines(["*missing required form field 'amount'*"])


def _query_collection() -> dict[str, Any]:
    req = plain_request("GET", "/things", query=[("limit", "<integer>"), ("q", "x", True)])
    return collection(
        ("list", req, [response("OK", 200, [{"id": 1}], req), response("OK 2", 200, [], req)])
    )


def _query_server(*, crash_without_limit: bool = False) -> Callable[..., Answer]:
    def answer(method: str, path: str, headers: dict[str, str], body: bytes) -> Answer:
        if method != "GET":
            return 405, "application/json", {"error": "method"}
        query = parse_qs(urlsplit(path).query, keep_blank_values=True)
        limit = query.get("limit", [""])[0]
        if not limit:
            if crash_without_limit:
                return 500, "text/plain", b"TypeError"
            return 400, "application/json", {"error": "limit is required"}
        if not limit.isdigit():
            return 400, "application/json", {"error": "limit must be an integer"}
        return 200, "application/json", [{"id": 1}]

    return answer


def test_typed_query_parameters_are_sent_as_their_type(
    pytester: pytest.Pytester, serve: Callable[[WsgiApp], str]
) -> None:
    server = Server(_query_server())
    name = write_doc(pytester.path, _query_collection())
    result = _run(pytester, name, serve(server), "--contracts-checks", "examples,fuzz,invalid")
    assert failed(result) == set(), result.stdout.str()
    limits = [parse_qs(urlsplit(p).query).get("limit") for _, p, _, _ in server.seen]
    assert all(v is None or v[0].isdigit() for v in limits)


def test_a_missing_required_query_parameter_is_a_labelled_invalid_request(
    pytester: pytest.Pytester, serve: Callable[[WsgiApp], str]
) -> None:
    name = write_doc(pytester.path, _query_collection())
    result = _run(
        pytester,
        name,
        serve(Server(_query_server(crash_without_limit=True))),
        "--contracts-checks",
        "invalid",
    )
    assert failed(result) == {"list::test_fuzz_invalid"}
    failure_section(result, "list::test_fuzz_invalid").fnmatch_lines(
        ["*missing required query parameter 'limit'*"]
    )


@pytest.mark.parametrize(
    ("content_type", "body", "fails"),
    [
        ("application/json; charset=utf-8", b'{"id": 1}', False),
        ("text/html", b"<html><body>Service unavailable</body></html>", True),
    ],
)
def test_a_response_of_another_media_type_fails_its_replay(
    pytester: pytest.Pytester,
    serve: Callable[[WsgiApp], str],
    content_type: str,
    body: bytes,
    fails: bool,
) -> None:
    req = plain_request("GET", "/things")
    name = write_doc(
        pytester.path, collection(("things", req, [response("OK", 200, {"id": 1}, req)]))
    )
    server = Server(lambda method, path, headers, data: (200, content_type, body))
    result = _run(pytester, name, serve(server), "--contracts-checks", "examples")
    assert outcomes(result) == {"things::test_example[OK]": "FAILED" if fails else "PASSED"}
    if fails:
        failure_section(result, "things::test_example[OK]").fnmatch_lines(
            ["*The response is text/html, not the documented application/json*"]
        )
