"""Two collections that differ only in one form field, query parameter, header or media type
give contracts that differ exactly there (issue 13).

Each pair is built here, both are generated as contract directories, and the directories are
compared file by file and JSON pointer by JSON pointer: the only differences are the expected
ones (the part in the request or response contract, and the saved example that shows it), and
each expected one is there.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from postman_contracts.collection import load_collection
from postman_contracts.collection._pointer import escape_token
from postman_contracts.contracts import build_contracts, write_contracts
from tests.contracts.exchange_builders import collection, form_request, plain_request, response

Builder = Any


def _generate(tmp_path: Path, name: str, doc: dict[str, Any]) -> dict[str, Any]:
    source = tmp_path / f"{name}.postman_collection.json"
    source.write_text(json.dumps(doc), encoding="utf-8")
    out = tmp_path / name
    write_contracts(build_contracts(load_collection(source)), out)
    return {
        p.relative_to(out).as_posix(): json.loads(p.read_text(encoding="utf-8"))
        for p in sorted(out.rglob("*.json"))
    }


def _differences(a: Any, b: Any, pointer: str = "") -> list[str]:
    """The JSON pointers where ``a`` and ``b`` differ (a member or element on one side only
    is one difference, at its own pointer)."""
    if isinstance(a, dict) and isinstance(b, dict):
        out: list[str] = []
        for key in sorted(set(a) | set(b)):
            where = f"{pointer}/{escape_token(key)}"
            out += [where] if key not in a or key not in b else _differences(a[key], b[key], where)
        return out
    if isinstance(a, list) and isinstance(b, list):
        out = []
        for i in range(max(len(a), len(b))):
            where = f"{pointer}/{i}"
            out += [where] if i >= len(a) or i >= len(b) else _differences(a[i], b[i], where)
        return out
    return [] if a == b else [pointer]


def _form(extra: bool) -> dict[str, Any]:
    fields = [("amount", "10"), ("currency", "USD"), *([("memo", "rent")] if extra else [])]
    req = form_request(fields)
    return collection(("pay", req, [response("OK", 200, {"id": 1}, req)]))


def _query(extra: bool) -> dict[str, Any]:
    req = plain_request("GET", "/things", query=[("limit", "10"), *([("page", "2")] * extra)])
    return collection(("list", req, [response("OK", 200, [{"id": 1}], req)]))


def _header(extra: bool) -> dict[str, Any]:
    req = plain_request("GET", "/things", headers=[("X-Tenant", "acme")] if extra else [])
    return collection(("list", req, [response("OK", 200, [{"id": 1}], req)]))


def _response_media_type(hal: bool) -> dict[str, Any]:
    req = plain_request("GET", "/things")
    media_type = "application/hal+json" if hal else "application/json"
    return collection(
        ("list", req, [response("OK", 200, [{"id": 1}], req, content_type=media_type)])
    )


def _request_media_type(patch: bool) -> dict[str, Any]:
    req = plain_request("PATCH", "/things", json_body={"name": "x"})
    req["header"][-1]["value"] = "application/merge-patch+json" if patch else "application/json"
    return collection(("edit", req, [response("OK", 200, {"id": 1}, req)]))


#: (pair, the (file, pointer pattern) expected to differ, each at least once and nothing else)
PAIRS: dict[str, tuple[Builder, set[tuple[str, str]]]] = {
    "form field": (
        _form,
        {
            ("pay/request.schema.json", r"/properties/memo"),
            ("pay/request.schema.json", r"/required/2"),
            ("pay/request.schema.json", r"/examples/0/memo"),
            ("pay/examples.json", r"/0/request/body/memo"),
        },
    ),
    "query parameter": (
        _query,
        {
            ("index.json", r"/operations/0/parameters/1"),
            ("list/examples.json", r"/0/request/query/1"),
        },
    ),
    "header": (
        _header,
        {
            ("index.json", r"/operations/0/request_headers"),
            ("list/examples.json", r"/0/request/headers/0"),
        },
    ),
    "response media type": (
        _response_media_type,
        {
            ("index.json", r"/operations/0/responses/0/content_type"),
            ("list/examples.json", r"/0/response/headers/0/1"),
        },
    ),
    "request media type": (
        _request_media_type,
        {
            ("index.json", r"/operations/0/headers/Content-Type"),
            ("index.json", r"/operations/0/request/content_type"),
            ("edit/examples.json", r"/0/request/headers/0/1"),
        },
    ),
}


@pytest.mark.parametrize("pair", sorted(PAIRS))
def test_contracts_differ_exactly_where_the_collections_do(tmp_path: Path, pair: str) -> None:
    build, expected = PAIRS[pair]
    before = _generate(tmp_path, "before", build(False))
    after = _generate(tmp_path, "after", build(True))
    assert set(before) == set(after), "the same files"
    found = {
        (rel, pointer)
        for rel in sorted(before)
        for pointer in _differences(before[rel], after[rel])
    }

    def matches(rel: str, pointer: str, file: str, pattern: str) -> bool:
        return rel == file and re.fullmatch(pattern, pointer) is not None

    unexpected = {d for d in found if not any(matches(*d, *e) for e in expected)}
    assert unexpected == set()
    missing = {e for e in expected if not any(matches(*d, *e) for d in found)}
    assert missing == set()


def test_the_pairs_compare_something(tmp_path: Path) -> None:
    """The comparison can fail: the same collection twice gives no difference at all, and a
    renamed form field differs at both names."""
    same = _generate(tmp_path, "a", _form(True)), _generate(tmp_path, "b", _form(True))
    assert all(_differences(same[0][rel], same[1][rel]) == [] for rel in same[0])
    assert _differences({"properties": {"a": 1}}, {"properties": {"b": 1}}) == [
        "/properties/a",
        "/properties/b",
    ]
