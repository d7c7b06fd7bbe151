"""The parts of an exchange beyond a JSON body (issue 13): form bodies and query parameters
in the contract and in the one request policy, and media types compared.

Each part: what ``generate`` infers (typed from values and slots, required when enabled in
every example), what the checks accept (text read as the documented type) and refuse (a
missing required field or parameter), and two collections that differ only in that part
giving contracts that differ exactly there.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

import pytest

from postman_contracts.checking._checks import Checker
from postman_contracts.checking._exchange import HttpRequest, RequestSpec
from postman_contracts.checking._requests import judge_request, parse_multipart
from postman_contracts.collection import load_collection
from postman_contracts.collection._media import media_kind, parse_media_type, same_media_type
from postman_contracts.contracts import EvidencePolicy, asserted_schema, build_contracts
from postman_contracts.contracts._files import render
from postman_contracts.contracts._model import ContractSet
from postman_contracts.contracts._text import read_as_schema, text_sample
from tests.contracts.exchange_builders import (
    collection,
    form_request,
    plain_request,
    response,
)

URLENCODED = "application/x-www-form-urlencoded"


def _contracts(doc: dict[str, Any]) -> ContractSet:
    return build_contracts(load_collection(doc))


def _form_api(fields: list[Any], *, mode: str = "urlencoded", examples: int = 2) -> ContractSet:
    req = form_request(fields, mode=mode)
    shown = [response(f"OK {i}", 200, {"id": i}, req) for i in range(examples)]
    return _contracts(collection(("things", req, shown)))


def _judge(contracts: ContractSet, request: HttpRequest, *, strict: bool = False) -> list[str]:
    verdict = judge_request(contracts, Checker(contracts, strict=strict), request)
    return [f"{i.kind}: {i.message}" for i in verdict.issues]


def _form_post(body: dict[str, str] | list[tuple[str, str]], path: str = "/things") -> HttpRequest:
    return HttpRequest(
        "POST",
        "http://api.example.test" + path,
        (("Content-Type", URLENCODED),),
        urlencode(body).encode(),
    )


# -- media types ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        ("application/json", "json"),
        ("Application/JSON; charset=utf-8", "json"),
        ("application/problem+json", "json"),
        ("application/vnd.api+json", "json"),
        ("text/xml", "xml"),
        ("application/soap+xml; charset=utf-8", "xml"),
        ("application/x-www-form-urlencoded", "form"),
        ("multipart/form-data; boundary=x", "multipart"),
        ("text/html", "text"),
        ("image/png", "binary"),
        ("", ""),
        ("nonsense", ""),
    ],
)
def test_media_kinds(value: str, kind: str) -> None:
    assert media_kind(value) == kind


def test_media_types_compare_type_and_subtype_only() -> None:
    assert same_media_type("application/json", "APPLICATION/JSON; charset=utf-8")
    assert not same_media_type("application/json", "application/problem+json")
    assert not same_media_type("", "")
    assert parse_media_type('multipart/form-data; boundary="a b"').params == {"boundary": "a b"}


# -- text values -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [("10", 10), ("-3", -3), ("1.5", 1.5), ("true", True), ("007", "007"), ("abc", "abc")],
)
def test_documented_text_is_read_as_the_value_it_spells(text: str, value: Any) -> None:
    assert text_sample(text) == value
    assert type(text_sample(text)) is type(value)


def test_received_text_is_read_as_the_documented_type() -> None:
    assert read_as_schema("10", {"type": "integer"}) == 10
    assert read_as_schema("10", {"type": "string"}) == "10"
    assert read_as_schema("1e3", {"type": "number"}) == 1000.0
    assert read_as_schema("ten", {"type": "integer"}) == "ten"  # and fails the schema
    assert read_as_schema(["1", "2"], {"type": "array", "items": {"type": "integer"}}) == [1, 2]
    assert read_as_schema("1", {"type": "array", "items": {"type": "integer"}}) == [1]


# -- form bodies -----------------------------------------------------------------------------


def test_a_form_body_gets_a_schema_of_its_fields() -> None:
    contracts = _form_api(
        [
            ("amount", "<integer>"),
            ("currency", "USD"),
            ("note", "hi", True),
            ("tag", "a"),
            ("tag", "b"),
        ]
    )
    req = contracts.operations[0].request
    assert req.content_type == URLENCODED
    assert req.body_mode == "urlencoded"
    schema = req.schema
    assert schema is not None
    props = schema["properties"]
    assert props["amount"]["type"] == "integer"
    assert props["currency"]["type"] == "string"
    assert props["tag"]["type"] == "array" and props["tag"]["minItems"] == 1
    assert "note" in props  # documented, disabled: optional
    assert sorted(schema["required"]) == ["amount", "currency", "tag"]


def test_a_field_absent_or_disabled_in_some_examples_is_optional() -> None:
    item_req = form_request([("a", "1"), ("b", "x")])
    other = form_request([("a", "2"), ("b", "y", True)])
    doc = collection(("things", item_req, [response("OK", 200, {}, other)]))
    schema = _contracts(doc).operations[0].request.schema
    assert schema is not None
    assert schema["required"] == ["a"]


def test_a_file_part_is_binary_and_a_flattened_object_untyped() -> None:
    file_part = {"key": "upload", "type": "file", "src": "/home/me/a.png"}
    contracts = _form_api(
        [file_part, ("meta", "[object Object]"), ("n", "<long>")], mode="formdata"
    )
    req = contracts.operations[0].request
    assert req.content_type == "multipart/form-data"
    props = req.schema["properties"] if req.schema else {}
    assert props["upload"]["contentMediaType"] == "application/octet-stream"
    assert "type" not in props["meta"]
    assert props["n"]["type"] == "integer"


def test_a_type_read_from_one_literal_text_is_not_asserted_alone() -> None:
    one = _form_api([("year", "2024")], examples=0)
    two = _form_api([("year", "2024")], examples=2)
    policy = EvidencePolicy()
    weak = asserted_schema(one.operations[0].request.schema or {}, policy)
    strong = asserted_schema(two.operations[0].request.schema or {}, policy)
    assert "string" in weak["properties"]["year"]["type"]
    assert strong["properties"]["year"]["type"] == "integer"


def test_the_request_policy_reads_form_fields_as_their_types() -> None:
    contracts = _form_api([("amount", "<integer>"), ("currency", "USD")])
    assert _judge(contracts, _form_post({"amount": "10", "currency": "EUR"})) == []
    problems = _judge(contracts, _form_post({"amount": "ten", "currency": "EUR"}))
    assert problems and problems[0].startswith("type_changed: $.amount")
    assert _judge(contracts, _form_post({"currency": "EUR"})) == [
        "missing_required: missing required form field 'amount'"
    ]
    as_json = HttpRequest(
        "POST",
        "http://api.example.test/things",
        (("Content-Type", "application/json"),),
        json.dumps({"amount": 1, "currency": "EUR"}).encode(),
    )
    assert any(p.startswith("malformed") for p in _judge(contracts, as_json))


def test_multipart_forms_are_sent_and_read_back() -> None:
    spec = RequestSpec(
        "POST", "/things", body={"a": "x y", "n": 3, "f": b"\x00bin", "t": ["1", "2"]},
        form="multipart",
    )  # fmt: skip
    content_type = spec.content_type()
    assert content_type is not None
    boundary = parse_media_type(content_type).params["boundary"]
    fields = parse_multipart(spec.encoded_body(), boundary)
    assert fields == [("a", "x y"), ("n", "3"), ("f", "<file>"), ("t", "1"), ("t", "2")]
    assert spec.encoded_body() == spec.encoded_body()  # the same body, the same bytes


def test_replayed_form_examples_send_their_fields() -> None:
    from postman_contracts.server._cases import example_request

    contracts = _form_api([("amount", "<integer>"), ("currency", "USD")])
    op = contracts.operations[0]
    spec = example_request(op, op.examples[0], {})
    assert spec.form == "urlencoded"
    assert spec.encoded_body() == b"amount=1&currency=USD"


# -- query parameters ------------------------------------------------------------------------


def _varied(query: list[Any], i: int, **kwargs: Any) -> dict[str, Any]:
    """The request of example ``i``: each example's a different request (an optional
    ``cursor`` from the second on), as hand-written collections save them; the same request
    saved under several responses is one example of it (the OpenAPI importer's copies)."""
    return plain_request(
        "GET", "/things", query=[*query, *([("cursor", str(i))] if i else [])], **kwargs
    )


def _query_api(query: list[Any], *, examples: int = 2) -> ContractSet:
    req = plain_request("GET", "/things", query=query)
    shown = [response(f"OK {i}", 200, {"id": i}, _varied(query, i)) for i in range(examples)]
    return _contracts(collection(("things", req, shown)))


def test_query_parameters_are_typed_required_and_repeated() -> None:
    contracts = _query_api([("limit", "<integer>"), ("ids", "1"), ("ids", "2"), ("q", "x", True)])
    req = contracts.operations[0].request
    params = {p.name: p for p in req.parameters if p.location == "query"}
    assert params["limit"].schema["type"] == "integer" and params["limit"].required
    assert params["ids"].schema["type"] == "array"
    assert [p.name for p in req.disabled_query] == ["q"]


def test_the_request_policy_reads_query_values_as_their_types() -> None:
    contracts = _query_api([("limit", "<integer>"), ("q", "x", True)])

    def get(query: str) -> list[str]:
        return _judge(contracts, HttpRequest("GET", "http://api.example.test/things?" + query))

    assert get("limit=10") == []
    assert get("limit=10&q=anything") == []  # documented disabled: optional, not unknown
    assert get("limit=ten")[0].startswith("type_changed: query parameter 'limit'")
    assert get("q=x") == ["missing_required: missing required query parameter 'limit'"]


# -- two collections differing in one part ---------------------------------------------------


def _differences(a: ContractSet, b: ContractSet) -> dict[str, list[str]]:
    """Per rendered file that differs, the JSON paths where it differs."""
    fa, fb = render(a), render(b)
    out: dict[str, list[str]] = {}
    for name in sorted(set(fa) | set(fb)):
        if fa.get(name) != fb.get(name):
            left = json.loads(fa[name]) if name in fa else None
            right = json.loads(fb[name]) if name in fb else None
            out[name] = _paths(left, right, "$")
    return out


def _paths(a: Any, b: Any, where: str) -> list[str]:
    if isinstance(a, dict) and isinstance(b, dict):
        return [
            p for k in sorted(set(a) | set(b)) for p in _paths(a.get(k), b.get(k), f"{where}.{k}")
        ]
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        return [
            p
            for i, (x, y) in enumerate(zip(a, b, strict=True))
            for p in _paths(x, y, f"{where}[{i}]")
        ]
    return [] if a == b else [where]


def test_two_collections_differing_in_one_form_field_differ_only_there() -> None:
    a = _form_api([("amount", "<integer>"), ("currency", "USD")])
    b = _form_api([("amount", "<integer>"), ("currency", "USD"), ("note", "<string>")])
    diff = _differences(a, b)
    assert set(diff) == {"things/request.schema.json", "things/examples.json"}
    schema_paths = diff["things/request.schema.json"]
    assert all(
        p.startswith(("$.properties.note", "$.required", "$.examples")) for p in schema_paths
    ), schema_paths


def test_two_collections_differing_in_one_query_parameter_differ_only_there() -> None:
    a = _query_api([("limit", "<integer>")])
    b = _query_api([("limit", "<integer>"), ("page", "<integer>")])
    diff = _differences(a, b)
    assert set(diff) == {"index.json", "things/examples.json"}
    assert diff["index.json"] == ["$.operations[0].parameters"]


# -- response media types --------------------------------------------------------------------


def _media_api(content_type: str | None, body: Any = None) -> ContractSet:
    req = plain_request("GET", "/things")
    shown = response("OK", 200, {"id": 1} if body is None else body, req, content_type=content_type)
    return _contracts(collection(("things", req, [shown])))


def _replay_violations(
    contracts: ContractSet, response_: Any, *, strict: bool = False
) -> list[str]:
    from postman_contracts.checking._checks import Expectation

    op = contracts.operations[0]
    checker = Checker(contracts, strict=strict)
    expect = Expectation("example", op.response("OK"))
    found = checker.check(op, response_, expect)
    found += checker.check(op, response_, Expectation("documented"))
    return sorted({v.title for v in found})


def _answer(content_type: str | None, body: bytes) -> Any:
    from postman_contracts.checking._exchange import HttpResponse

    headers = (("Content-Type", content_type),) if content_type else ()
    return HttpResponse(200, headers, body)


def test_an_html_answer_where_json_is_documented_fails_with_a_clear_title() -> None:
    contracts = _media_api("application/json")
    ok = _answer("application/json; charset=UTF-8", b'{"id": 2}')
    assert _replay_violations(contracts, ok) == []
    html = _answer("text/html", b"<html>oops</html>")
    assert _replay_violations(contracts, html) == [
        "The response is text/html, not the documented application/json"
    ]


def test_another_json_media_type_fails_only_when_strict() -> None:
    contracts = _media_api("application/json")
    problem = _answer("application/problem+json", b'{"id": 2}')
    assert _replay_violations(contracts, problem) == []
    assert _replay_violations(contracts, problem, strict=True) == [
        "The response is application/problem+json, not the documented application/json"
    ]


def test_no_documented_or_no_sent_media_type_is_not_checked() -> None:
    assert _replay_violations(_media_api(None), _answer("text/html", b'{"id": 2}')) == []
    assert _replay_violations(_media_api("application/json"), _answer(None, b'{"id": 2}')) == []


def test_xml_bodies_are_well_formed_with_the_documented_root() -> None:
    contracts = _media_api("application/xml", '<?xml version="1.0"?><order id="1"/>')
    assert _replay_violations(contracts, _answer("application/xml", b"<order id='2'/>")) == []
    assert _replay_violations(contracts, _answer("application/xml", b"<order>")) == [
        "The response body is not well-formed XML"
    ]
    assert _replay_violations(contracts, _answer("text/xml", b"<order/>")) == [
        "The response is text/xml, not the documented application/xml"
    ]
    assert _replay_violations(contracts, _answer("application/xml", b"<error/>")) == [
        "The XML root element is error, not the documented order"
    ]


def test_two_collections_differing_in_one_response_media_type_differ_only_there() -> None:
    a = _media_api("application/json")
    b = _media_api("application/vnd.api+json")
    diff = _differences(a, b)
    assert diff == {
        "index.json": ["$.operations[0].responses[0].content_type"],
        "things/examples.json": ["$[0].response.headers[0][1]"],
    }


# -- request headers -------------------------------------------------------------------------


def _header_api(headers: list[Any], *, examples: int = 2, auth: bool = False) -> ContractSet:
    req = plain_request("GET", "/things", headers=headers)
    if auth:
        req["auth"] = {"type": "apikey", "apikey": [{"key": "key", "value": "X-Key"}]}
    shown = [
        response(
            f"OK {i}", 200, {"id": i}, {**_varied([], i, headers=headers), "auth": req.get("auth")}
        )
        for i in range(examples)
    ]
    return _contracts(collection(("things", req, shown)))


def test_documented_headers_keep_credentials_and_transport_apart() -> None:
    contracts = _header_api(
        [
            ("X-Tenant", "{{tenant}}"),
            ("X-Trace", "abc", True),
            ("Accept", "application/json"),
            ("Authorization", "Bearer {{token}}"),
            ("X-Key", "{{key}}"),
            ("Postman-Token", "123"),
            ("Content-Length", "0"),
        ],
        auth=True,
    )
    params = {p.name: p.required for p in contracts.operations[0].request.header_params}
    assert params == {"X-Tenant": True, "X-Trace": False, "Accept": False}


def test_a_described_header_without_the_required_mark_is_optional() -> None:
    described = {"key": "X-Retry-Key", "value": "<uuid>", "description": "Retry key."}
    marked = {"key": "X-App", "value": "1", "description": "(Required) The app."}
    req = plain_request("GET", "/things")
    req["header"] = [described, marked]
    doc = collection(("things", req, [response("OK", 200, {}, req), response("OK2", 200, {}, req)]))
    params = {p.name: p.required for p in _contracts(doc).operations[0].request.header_params}
    assert params == {"X-Retry-Key": False, "X-App": True}


def test_a_missing_required_header_is_a_problem_of_the_request() -> None:
    contracts = _header_api([("X-Tenant", "{{tenant}}"), ("Accept", "application/json")])

    def get(*headers: tuple[str, str]) -> list[str]:
        return _judge(contracts, HttpRequest("GET", "http://api.example.test/things", headers))

    assert get(("x-tenant", "t1")) == []
    assert get(("Accept", "application/json")) == [
        "missing_required: missing required header 'X-Tenant'"
    ]
    # Shown in one example only: not evidence enough by default (as a required key).
    once = _header_api([("X-Tenant", "{{tenant}}")], examples=0)
    assert _judge(once, HttpRequest("GET", "http://api.example.test/things")) == []


def test_two_collections_differing_in_one_header_differ_only_there() -> None:
    a = _header_api([("X-Tenant", "t1")])
    b = _header_api([("X-Tenant", "t1"), ("X-Region", "eu")])
    diff = _differences(a, b)
    assert set(diff) == {"index.json", "things/examples.json"}
    assert diff["index.json"] == ["$.operations[0].request_headers"]


# -- the OpenAPI export ----------------------------------------------------------------------


def test_the_openapi_export_carries_forms_query_and_headers() -> None:
    from postman_contracts.contracts import to_openapi

    req = form_request(
        [("amount", "<integer>")],
        query=[("limit", "<integer>"), ("q", "x", True)],
        headers=[("X-Tenant", "t1")],
    )
    shown = [response("OK", 200, {"id": 1}, req), response("OK2", 200, {"id": 2}, req)]
    doc = to_openapi(_contracts(collection(("things", req, shown))))
    op = doc["paths"]["/things"]["post"]
    params = {(p["in"], p["name"]): p["required"] for p in op["parameters"]}
    assert params == {("query", "limit"): True, ("query", "q"): False, ("header", "X-Tenant"): True}
    content = op["requestBody"]["content"]
    assert list(content) == [URLENCODED]
    assert content[URLENCODED]["schema"]["properties"]["amount"]["type"] == "integer"


# -- the diff --------------------------------------------------------------------------------


def test_the_diff_reports_a_form_field_and_a_typed_query_parameter() -> None:
    from postman_contracts.contracts import diff_contracts

    a = _form_api([("amount", "<integer>"), ("currency", "USD")])
    b = _form_api([("amount", "<integer>")])
    (change,) = [c for c in diff_contracts(a, b) if c.api]
    assert (change.kind, change.location.place, change.location.path) == (
        "property-removed",
        "body",
        "$.currency",
    )
    old = _query_api([("limit", "<integer>")])
    new = _query_api([("limit", "<boolean>")])
    (change,) = [c for c in diff_contracts(old, new) if c.api]
    assert (change.location.place, change.location.path) == ("query", "limit")
    assert "integer" in str(change.before) and "boolean" in str(change.after)


# -- raw XML request bodies ------------------------------------------------------------------


def test_an_xml_request_body_is_well_formed_with_the_documented_root() -> None:
    req = plain_request("POST", "/soap", headers=[("Content-Type", "text/xml; charset=utf-8")])
    envelope = (
        '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body/></s:Envelope>'
    )
    req["body"] = {"mode": "raw", "raw": envelope, "options": {"raw": {"language": "xml"}}}
    contracts = _contracts(
        collection(("soap", req, [response("OK", 200, "<ok/>", req, content_type="text/xml")]))
    )

    def post(body: str, content_type: str = "text/xml") -> list[str]:
        request = HttpRequest(
            "POST", "http://api.example.test/soap", (("Content-Type", content_type),), body.encode()
        )
        return _judge(contracts, request)

    other_prefix = (
        '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">'
        "<soap:Body><x/></soap:Body></soap:Envelope>"
    )
    assert post(other_prefix) == []
    assert post("<s:Envelope") == ["malformed: body is not well-formed XML"]
    assert post("<Envelope/>") == [
        "malformed: XML root element Envelope is not the documented "
        "{http://schemas.xmlsoap.org/soap/envelope/}Envelope"
    ]
    assert post(envelope, "application/json") == [
        "malformed: Content-Type 'application/json' is not the documented text/xml"
    ]


def test_a_documented_media_range_admits_any_type_within_it() -> None:
    """A binary download documented as ``*/*`` (or ``image/*``) is not a fault when the server
    names the real type."""
    from postman_contracts.collection._media import parse_media_type

    assert parse_media_type("*/*").admits(parse_media_type("text/plain"))
    assert parse_media_type("image/*").admits(parse_media_type("image/png; q=1"))
    assert not parse_media_type("image/*").admits(parse_media_type("text/html"))
    assert not parse_media_type("application/json").admits(parse_media_type("text/html"))


def test_a_request_saved_under_every_response_is_one_example_of_it() -> None:
    """Postman's OpenAPI importer saves its one generated request, optional parameters
    enabled, under each response: those copies show what a request may send, not what it
    must. A parameter its description marks ``(Required)`` is documented required whatever
    the examples show; one described without the mark is optional."""
    query = [
        {"key": "perPage", "value": "<integer>"},
        {"key": "id", "value": "<string>", "description": "(Required) the thing"},
        {"key": "from", "value": "<dateTime>", "description": "Start date"},
    ]
    req = plain_request("GET", "/things", query=query)
    copies = [response(name, code, {"ok": code < 400}, req) for name, code in
              (("OK", 200), ("Again", 200), ("Bad", 400), ("Gone", 404))]  # fmt: skip
    contracts = _contracts(collection(("things", req, copies)))
    params = {p.name: p for p in contracts.operations[0].request.parameters}
    assert params["from"].required is False  # described, without the mark
    assert params["perPage"].required and params["id"].required  # as the examples show

    def get(query: str, *, strict: bool = False) -> list[str]:
        request = HttpRequest("GET", f"http://api.example.test/things?{query}")
        return _judge(contracts, request, strict=strict)

    assert get("id=1") == []  # perPage: four copies of one request are no evidence
    assert get("perPage=5") == ["missing_required: missing required query parameter 'id'"]
    assert get("id=1", strict=True) == [
        "missing_required: missing required query parameter 'perPage'"
    ]
