"""The mock serves each example's documented response headers (issue 13 part B), secrets
redacted, and the headers of a status with its own answers of that status."""

from __future__ import annotations

import json
from typing import Any

import requests

from postman_contracts.collection import load_collection
from postman_contracts.contracts import build_contracts
from postman_contracts.mock import MockServer

SCHEMA = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"
SECRET = "s3cr3t-value-abcdef"


def _collection() -> dict[str, Any]:
    req = {
        "method": "POST",
        "url": {"raw": "{{base}}/things", "host": ["{{base}}"], "path": ["things"]},
        "header": [{"key": "Content-Type", "value": "application/json"}],
        "body": {"mode": "raw", "raw": json.dumps({"name": "a"})},
    }

    def shown(name: str, code: int, body: Any, headers: list[tuple[str, str]]) -> dict[str, Any]:
        return {
            "name": name,
            "code": code,
            "status": "S",
            "originalRequest": req,
            "header": [
                {"key": "Content-Type", "value": "application/json"},
                *({"key": k, "value": v} for k, v in headers),
            ],
            "body": json.dumps(body),
        }

    created = [
        ("Location", "http://api.example.test/things/1"),
        ("X-Echo-Key", SECRET),
        ("Date", "Mon, 1 Jan 2024 00:00:00 GMT"),
        ("Set-Cookie", "session=abc"),
    ]
    return {
        "info": {"name": "api", "schema": SCHEMA},
        "item": [
            {
                "name": "create",
                "request": req,
                "response": [
                    shown("Created", 201, {"id": 1}, created),
                    shown("Bad", 400, {"error": "bad"}, [("X-RateLimit-Remaining", "9")]),
                ],
            }
        ],
        "variable": [
            {"key": "base", "value": "http://api.example.test"},
            {"key": "api-key", "value": SECRET},
        ],
    }


def test_the_mock_serves_documented_headers_redacted_and_never_transport_ones() -> None:
    contracts = build_contracts(load_collection(_collection()))
    with MockServer(contracts, logger=lambda line: None) as mock:
        ok = requests.post(mock.url + "/things", json={"name": "b"}, timeout=10)
        bad = requests.post(mock.url + "/things", data=b"{not json", timeout=10,
                            headers={"Content-Type": "application/json"})  # fmt: skip
    assert ok.status_code == 201
    assert ok.headers["Location"] == "http://api.example.test/things/1"
    assert ok.headers["X-Echo-Key"] == "[REDACTED]"
    assert "Set-Cookie" not in ok.headers
    assert ok.headers["Date"] != "Mon, 1 Jan 2024 00:00:00 GMT"  # the server's own
    # the mock's own 400 carries what the documented 400 shows
    assert bad.status_code == 400
    assert bad.headers["X-RateLimit-Remaining"] == "9"
