"""The fault proxy itself: each fault changes a response the way it says, and nothing else.

Part of the default run (no Prism: a tiny fake upstream on loopback, well under a second).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
import requests

from tests.conformance.faults import Fault, FaultProxy, apply, fault_proxy, plan
from tests.conformance.openapi import Spec, nullable, path_regex

THING = {
    "type": "object",
    "required": ["id", "status", "owner"],
    "properties": {
        "id": {"type": "integer"},
        "status": {"type": "string", "enum": ["active", "closed"]},
        "note": {"type": "string", "nullable": True},
        "owner": {"$ref": "#/components/schemas/Owner"},
        "tags": {"type": "array", "items": {"type": "string"}},
    },
}
SPEC = {
    "openapi": "3.0.1",
    "paths": {
        "/things/{thingId}": {
            "get": {
                "responses": {
                    "200": {"content": {"application/json": {"schema": THING}}},
                    "404": {"description": "missing"},
                }
            },
            "delete": {"responses": {"204": {"description": "gone"}, "default": {}}},
        },
        "/things": {"get": {"responses": {"200": {"description": "no body"}}}},
    },
    "components": {
        "schemas": {
            "Owner": {
                "allOf": [
                    {"type": "object", "required": ["name"]},
                    {"properties": {"name": {"type": "string"}, "age": {"type": "integer"}}},
                ]
            }
        }
    },
}
BODY = {"id": 7, "status": "active", "note": None, "owner": {"name": "Ada"}, "tags": ["x"]}


class _Upstream(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def _send(self, status: int, body: Any) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("X-Upstream", "yes")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        if self.path.split("?")[0] == "/things/7":
            self._send(200, BODY)
        else:
            self._send(404, {"message": "missing"})

    def do_POST(self) -> None:
        length = int(self.headers["Content-Length"])
        self._send(200, {"echo": json.loads(self.rfile.read(length)), "path": self.path})

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def upstream() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Upstream)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def spec() -> Spec:
    return Spec(SPEC)


def _fault(spec: Spec, kind: str) -> Fault:
    op = next(o for o in spec.operations() if o.name == "GET /things/{thingId}")
    fault = plan(spec, op, kind)
    assert fault is not None
    return fault


def test_each_kind_is_planned_on_a_property_the_spec_constrains(spec: Spec) -> None:
    assert _fault(spec, "type").target == ("id",)  # required, shallow, first by name
    assert _fault(spec, "type").value == "not the documented type"
    assert _fault(spec, "required").target == ("id",)
    assert _fault(spec, "enum").target == ("status",)
    assert _fault(spec, "enum").value == "not-in-the-enum"
    assert _fault(spec, "null").target == ("id",)  # note is nullable, so never chosen
    assert _fault(spec, "status").status == 203  # neither 200 nor 404 is 203


def test_nothing_is_planned_where_the_spec_gives_nothing_to_break(spec: Spec) -> None:
    ops = {o.name: o for o in spec.operations()}
    # no body schema; and a `default` response documents every status
    assert all(plan(spec, ops["GET /things"], k) is None for k in ("type", "required", "null"))
    assert plan(spec, ops["DELETE /things/{thingId}"], "status") is None


def test_allof_refs_are_merged_when_choosing_nested_properties(spec: Spec) -> None:
    props = {path: always for path, _, always in spec.properties(THING)}
    assert props[("owner", "name")] is True  # required by one allOf part, declared by another
    assert props[("owner", "age")] is False
    assert nullable({"type": ["string", "null"]}) and not nullable({"type": "string"})


def test_path_templates_match_one_segment_per_variable() -> None:
    regex = path_regex("/things/{thingId}")
    assert regex.fullmatch("/things/7") and not regex.fullmatch("/things/7/parts")


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("type", {**BODY, "id": "not the documented type"}),
        ("required", {k: v for k, v in BODY.items() if k != "id"}),
        ("enum", {**BODY, "status": "not-in-the-enum"}),
        ("null", {**BODY, "id": None}),
    ],
)
def test_each_body_fault_changes_the_response_as_it_says(
    upstream: str, spec: Spec, kind: str, expected: dict[str, Any]
) -> None:
    fault = _fault(spec, kind)
    with fault_proxy(upstream, [fault]) as proxy:
        response = requests.get(proxy.url + "/things/7?x=1", timeout=5)
        assert (response.status_code, response.json()) == (200, expected)
        assert response.headers["X-Upstream"] == "yes"  # headers pass through
        assert proxy.applied[fault] == 1


def test_the_status_fault_moves_the_success_status_only(upstream: str, spec: Spec) -> None:
    fault = _fault(spec, "status")
    with fault_proxy(upstream, [fault]) as proxy:
        ok = requests.get(proxy.url + "/things/7", timeout=5)
        missing = requests.get(proxy.url + "/things/8", timeout=5)
        assert (ok.status_code, ok.json()) == (203, BODY)
        assert missing.status_code == 404  # not the success status: untouched
        assert proxy.applied[fault] == 1


def test_other_operations_and_bodies_pass_through_unchanged(upstream: str, spec: Spec) -> None:
    with fault_proxy(upstream, [_fault(spec, "required")]) as proxy:
        echoed = requests.post(proxy.url + "/things/7?q=1", json={"id": 1}, timeout=5)
        assert echoed.json() == {"echo": {"id": 1}, "path": "/things/7?q=1"}  # POST: not faulty
        proxy.set_faults([])
        assert requests.get(proxy.url + "/things/7", timeout=5).json() == BODY
        assert not proxy.applied


def test_a_fault_on_an_absent_property_changes_nothing() -> None:
    fault = Fault("null", "GET", "/things/{thingId}", 200, ("owner", "age"))
    body = json.dumps(BODY).encode()
    assert apply(fault, 200, body) == (200, body, False)
    nested = Fault("type", "GET", "/x", 200, ("data", "*", "id"), value="s")
    _, out, changed = apply(nested, 200, b'{"data": [{"id": 1}, {"id": 2}, {}]}')
    assert changed and json.loads(out) == {"data": [{"id": "s"}, {"id": "s"}, {}]}


def test_an_unknown_method_is_forwarded_too(upstream: str) -> None:
    proxy = FaultProxy(upstream).start()
    try:
        response = requests.request("COPY", proxy.url + "/things/7", timeout=5)
        assert response.status_code == 501  # the fake upstream's answer, not the proxy's
    finally:
        proxy.close()
