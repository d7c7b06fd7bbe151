"""A secret-named variable whose value is no credential (``string``, ``<string>``, ``true``)
mangles nothing: not the contracts, not the files, not what the mock serves, not what the
plugin sends. Redaction is by value, so such a value, hunted for everywhere, would turn every
``"string"`` of every body into ``[REDACTED]``; only real credentials are hunted for (see
``collection._secrets.is_credential_value``), and a real one still never reaches a file.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pytest
import requests

# Imported here, not first inside pytester's in-process run (see test_misbehaving_servers).
import postman_contracts.pytest_plugin  # noqa: F401
from postman_contracts.cli import main
from postman_contracts.collection import Redactor, load_collection
from postman_contracts.contracts import build_contracts
from postman_contracts.mock import MockServer
from tests.reliability.builders import collection, request_item, tree, write

REAL = "pcanary-generic-4b7d1e9a"
GENERIC = ["string", "<string>", "true", "false", "null", "12345", "********", "password"]
BODY = {"name": "string", "flag": "true", "hint": "type: <string>", "owner": REAL}
REPLY = {"id": "string", "enabled": "true", "hint": "a <string> here", "kind": "null"}


def _collection() -> dict[str, Any]:
    item = request_item("things", path="/things", body=BODY, response=REPLY)
    item["request"]["header"].append({"key": "X-Api-Key", "value": "{{api_key}}"})
    return collection(
        [item],
        name="Generic",
        auth={"type": "bearer", "bearer": [{"key": "token", "value": "{{token}}"}]},
        variable=[
            {"key": "base", "value": "https://api.example.com"},
            {"key": "api_key", "value": "string"},
            {"key": "token", "value": "<string>"},
            {"key": "flag", "value": "true", "type": "secret"},
            {"key": "client_secret", "value": REAL},
        ],
    )


@pytest.fixture
def source(tmp_path: Path) -> Path:
    return write(tmp_path / "generic.postman_collection.json", _collection())


def test_only_credential_like_values_are_redacted_by_value() -> None:
    stand_ins = ["<long>", "<A note for the reviewer.>", "Bearer <token>", "Basic password"]
    redact = Redactor([*GENERIC, *stand_ins, "", "   ", REAL, f"Bearer {REAL}"])
    assert redact.secrets == frozenset({REAL, f"Bearer {REAL}"})
    assert redact('{"name": "string", "ok": true, "t": "<string>"}') == (
        '{"name": "string", "ok": true, "t": "<string>"}'
    )
    assert redact(f"key={REAL}") == "key=[REDACTED]"
    assert not Redactor(GENERIC), "nothing to redact: the redactor is a no-op"


def test_the_collection_keeps_only_the_real_credential_as_a_secret(source: Path) -> None:
    assert load_collection(source).secrets == frozenset({REAL})


def test_contracts_and_files_keep_generic_values_and_drop_the_real_one(
    source: Path, tmp_path: Path
) -> None:
    contracts = build_contracts(load_collection(source))
    op = contracts.operation("things")
    (x,) = op.examples
    assert x.body == {**BODY, "owner": "[REDACTED]"}
    assert x.response_body == REPLY
    assert op.request.schema is not None
    assert op.request.schema["examples"] == [{**BODY, "owner": "[REDACTED]"}]
    assert dict(x.headers)["X-Api-Key"] == "{{api_key}}"

    out = tmp_path / "contracts"
    stdout, stderr = io.StringIO(), io.StringIO()
    assert main(["generate", str(source), "-o", str(out)], stdout=stdout, stderr=stderr) == 0
    files = "\n".join(d.decode() for d in tree(out).values() if d is not None)
    assert REAL not in files
    assert files.count("[REDACTED]") >= 1  # the real one, and only where it was
    assert '"name": "string"' in files and '"enabled": "true"' in files
    assert '"hint": "a <string> here"' in files


def test_the_mock_serves_the_documented_body_unmangled(source: Path) -> None:
    contracts = build_contracts(load_collection(source))
    with MockServer(contracts, logger=lambda line: None) as server, requests.Session() as http:
        http.trust_env = False
        r = http.post(
            server.url + "/things",
            json={**BODY, "owner": "someone"},
            headers={"Authorization": "Bearer <string>", "X-Api-Key": "string"},
            timeout=10,
        )
    assert r.status_code == 200, r.text
    assert r.json() == REPLY


class _Recorder:
    """A server that records what it receives and answers the documented success."""

    def __init__(self) -> None:
        self.received: list[dict[str, Any]] = []

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        self.received.append(
            {
                "path": environ.get("PATH_INFO"),
                "authorization": environ.get("HTTP_AUTHORIZATION"),
                "api_key": environ.get("HTTP_X_API_KEY"),
                "body": json.loads(body) if body else None,
            }
        )
        reply = json.dumps(REPLY).encode()
        start_response("200 OK", [("Content-Type", "application/json")])
        return [reply]


def test_the_plugin_sends_the_documented_request_unmangled(
    pytester: pytest.Pytester, source: Path, serve: Callable[[Any], str]
) -> None:
    server = _Recorder()
    result = pytester.runpytest(
        "--contracts",
        str(source),
        "--contracts-base-url",
        serve(server),
        "--contracts-checks",
        "examples",
        "-p",
        "no:cacheprovider",
    )
    result.assert_outcomes(passed=1)
    (sent,) = server.received
    assert sent["path"] == "/things"
    assert sent["body"]["name"] == "string"
    assert sent["body"]["flag"] == "true"
    assert sent["body"]["hint"] == "type: <string>"
