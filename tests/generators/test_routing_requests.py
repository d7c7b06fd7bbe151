"""Generated requests for operations sharing a route, GraphQL, binary and path variables
(issue 13): every valid request is routed to its own operation and meets its contract
(judged by ``judge_request``, the one request policy of both mocks); a GraphQL request whose
variables break their schema is a labelled invalid request.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from postman_contracts.checking import Checker, HttpRequest, RequestSpec, judge_request
from postman_contracts.collection import load_collection
from postman_contracts.contracts import ContractSet, build_contracts
from postman_contracts.generators import invalid_requests, valid_requests
from tests.contracts.exchange_builders import collection, plain_request, response
from tests.contracts.routing_builders import graphql_collection, soap_collection


def _build(tmp_path: Path, doc: dict[str, Any]) -> ContractSet:
    path = tmp_path / "api.postman_collection.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    return build_contracts(load_collection(path))


def _wire(spec: RequestSpec) -> HttpRequest:
    headers = list(spec.wire_headers().items())
    query = "&".join(f"{k}={v}" for k, v in spec.query)
    url = "http://h" + spec.path + (f"?{query}" if query else "")
    return HttpRequest(spec.method, url, tuple(headers), spec.encoded_body())


def _binary_collection() -> dict[str, Any]:
    png = plain_request("PUT", "/avatar", headers=[("Content-Type", "image/png")])
    png["body"] = {"mode": "raw", "raw": "PNG"}
    related = plain_request("POST", "/upload", headers=[("Content-Type", "multipart/related")])
    related["body"] = {"mode": "file", "file": {"src": "/tmp/x.bin"}}
    orders = plain_request("GET", "/users/:id/orders")
    orders["url"]["variable"] = [{"key": "id", "value": "<long>"}]
    return collection(
        ("Avatar", png, [response("OK", 204, "", png, content_type=None)]),
        ("Upload", related, [response("OK", 201, {"id": 1}, related)]),
        ("Orders", orders, [response("OK", 200, [], orders)]),
    )


def _rpc_collection() -> dict[str, Any]:
    create = plain_request("POST", "/rpc", json_body={"action": "create", "name": "Ann"})
    remove = plain_request("POST", "/rpc", json_body={"action": "remove", "id": 7})
    return collection(
        ("Create", create, [response("OK", 200, {"id": 7}, create)]),
        ("Remove", remove, [response("OK", 200, {"ok": True}, remove)]),
    )


@pytest.mark.parametrize(
    "doc",
    [
        pytest.param(_rpc_collection(), id="json-action"),
        pytest.param(soap_collection(), id="soap-action"),
        pytest.param(soap_collection(with_action=False), id="soap-body-element"),
        pytest.param(graphql_collection(), id="graphql"),
        pytest.param(_binary_collection(), id="binary-and-path"),
    ],
)
def test_every_valid_request_is_routed_to_its_operation_and_meets_it(
    tmp_path: Path, doc: dict[str, Any]
) -> None:
    contracts = _build(tmp_path, doc)
    checker = Checker(contracts)

    @settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(data=st.data())
    def check(data: st.DataObject) -> None:
        op = data.draw(st.sampled_from(contracts.operations))
        spec = data.draw(valid_requests(op))
        verdict = judge_request(contracts, checker, _wire(spec))
        assert verdict.operation is op
        assert verdict.issues == ()

    check()


def test_graphql_requests_send_the_documented_document(tmp_path: Path) -> None:
    contracts = _build(tmp_path, graphql_collection())
    op = contracts.operation("delete-user")

    @settings(max_examples=20, deadline=None)
    @given(valid_requests(op))
    def check(spec: RequestSpec) -> None:
        assert spec.body["query"] == op.request.graphql
        assert set(spec.body) <= {"query", "variables"}

    check()


def test_graphql_variables_breaking_their_schema_are_a_labelled_invalid_request(
    tmp_path: Path,
) -> None:
    contracts = _build(tmp_path, graphql_collection())
    op = contracts.operation("get-user")
    checker = Checker(contracts)

    pointers: set[str] = set()

    @settings(max_examples=40, deadline=None, derandomize=True, database=None)
    @given(invalid_requests(op, kinds={"type", "missing_required"}))
    def check(bad: Any) -> None:
        verdict = judge_request(contracts, checker, _wire(bad.spec))
        assert verdict.issues, bad.label
        if not bad.pointer.startswith("/query"):  # without its document, it is no one's
            assert verdict.operation is op
        pointers.add(bad.pointer)

    check()
    assert "/variables/id" in pointers


def test_binary_bodies_are_bytes_of_their_media_type(tmp_path: Path) -> None:
    contracts = _build(tmp_path, _binary_collection())
    avatar, upload = contracts.operation("avatar"), contracts.operation("upload")

    @settings(max_examples=20, deadline=None)
    @given(valid_requests(avatar), valid_requests(upload))
    def check(png: RequestSpec, related: RequestSpec) -> None:
        assert png.raw_body and dict(png.headers)["Content-Type"] == "image/png"
        content_type = dict(related.headers)["Content-Type"]
        assert content_type.startswith("multipart/related; boundary=")
        assert related.raw_body is not None
        assert related.raw_body.endswith(f"--{content_type.split('=')[1]}--\r\n".encode())

    check()


def test_path_variables_are_drawn_non_empty_and_of_their_type(tmp_path: Path) -> None:
    op = _build(tmp_path, _binary_collection()).operation("orders")

    @settings(max_examples=30, deadline=None)
    @given(valid_requests(op))
    def check(spec: RequestSpec) -> None:
        segment = spec.path.split("/")[2]
        assert segment.isdigit(), spec.path

    check()
