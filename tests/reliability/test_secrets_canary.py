"""A canary secret in every place a collection can hold one never reaches anything we write.

Each place gets its own value (``pcanary-<place>-...``), so a place the redaction rule misses
cannot hide behind another place that holds the same value. Every command runs (``inspect``
as table and JSON, ``generate``, ``openapi``, ``diff``, the mock's log, ``verify`` against a
server that echoes the credentials back, and a failing plugin run with ``--junitxml``), and all
that it writes (stdout, stderr, every file) is searched for the canary prefix. Placeholders
such as ``{{access-token}}`` are not secrets and stay.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pytest

# Imported here, not first inside pytester's in-process run (see test_misbehaving_servers).
import postman_contracts.pytest_plugin  # noqa: F401
from postman_contracts.checking._exchange import HttpRequest
from postman_contracts.cli import main
from postman_contracts.contracts import open_contracts
from postman_contracts.mock import MockApp
from tests.reliability.builders import collection, folder, request_item, tree, write

PREFIX = "pcanary"


def canary(place: str) -> str:
    """The secret value for one place."""
    return f"{PREFIX}-{place}-7f3a9c2e"


def _auth(kind: str, **params: str) -> dict[str, Any]:
    return {
        "type": kind,
        kind: [{"key": k, "value": v, "type": "string"} for k, v in params.items()],
    }


def _secret_collection() -> dict[str, Any]:
    bearer = request_item("bearer", path="/bearer", response={"token": canary("bearer")})
    bearer["request"]["auth"] = _auth("bearer", token=canary("bearer"))
    placeholder = request_item(
        "placeholder",
        path="/placeholder",
        body={"id": "{{record_id}}", "token": "{{access-token}}"},
    )
    placeholder["request"]["auth"] = _auth("bearer", token="{{access-token}}")
    apikey = request_item("apikey", path="/apikey")
    apikey["request"]["auth"] = _auth(
        "apikey", key="X-API-KEY", value=canary("apikey"), **{"in": "header"}
    )
    oauth2 = request_item("oauth2", path="/oauth2")
    oauth2["request"]["auth"] = _auth(
        "oauth2", accessToken=canary("oauth2-access"), clientSecret=canary("oauth2-client")
    )
    oauth1 = request_item("oauth1", path="/oauth1")
    oauth1["request"]["auth"] = _auth(
        "oauth1", consumerKey="ck", consumerSecret=canary("oauth1-consumer")
    )
    header = request_item("header", path="/header", response={"echo": f"Bearer {canary('header')}"})
    header["request"]["auth"] = {"type": "noauth"}
    header["request"]["header"].append(
        {"key": "Authorization", "value": f"Bearer {canary('header')}"}
    )
    header["response"][0]["originalRequest"] = {
        "method": "POST",
        "url": "{{base}}/header",
        "header": [{"key": "Authorization", "value": f"Bearer {canary('header')}"}],
    }
    query = request_item("query", path="/query", method="GET")
    query["request"]["auth"] = {"type": "noauth"}
    query["request"]["url"] = {
        "raw": f"{{{{base}}}}/query?access_token={canary('query')}&page=1",
        "host": ["{{base}}"],
        "path": ["query"],
        "query": [
            {"key": "access_token", "value": canary("query")},
            {"key": "page", "value": "1"},
        ],
    }
    basic_folder = folder("Basic", [request_item("in basic folder", path="/basic")])
    basic_folder["auth"] = _auth("basic", username="user", password=canary("basic"))
    return collection(
        [bearer, placeholder, apikey, oauth2, oauth1, header, query, basic_folder],
        name="Secrets",
        auth=_auth("bearer", token="{{access-token}}"),
        variable=[
            {"key": "base", "value": "https://api.example.com"},
            {"key": "api_key", "value": canary("variable-api-key")},
            {"key": "shh", "value": canary("variable-secret-type"), "type": "secret"},
            {"key": "access-token", "value": canary("variable-access-token")},
        ],
    )


def _environment() -> dict[str, Any]:
    return {
        "name": "dev",
        "values": [
            {"key": "access-token", "value": canary("environment-token"), "enabled": True},
            {"key": "quiet", "value": canary("environment-secret"), "type": "secret"},
        ],
    }


class Written:
    """Everything the commands wrote, to be searched at the end."""

    def __init__(self) -> None:
        self.texts: dict[str, str] = {}

    def add(self, where: str, text: str) -> None:
        self.texts[where] = self.texts.get(where, "") + text

    def add_tree(self, root: Path) -> None:
        for rel, data in tree(root).items():
            if data is not None:
                self.add(f"{root.name}/{rel}", data.decode("utf-8", "replace"))

    def leaks(self) -> dict[str, list[str]]:
        found = {}
        for where, text in self.texts.items():
            lines = [line.strip()[:160] for line in text.splitlines() if PREFIX in line.lower()]
            if lines:
                found[where] = lines
        return found

    def joined(self) -> str:
        return "\n".join(self.texts.values())


def _cli(written: Written, name: str, *argv: str) -> int:
    stdout, stderr = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=stdout, stderr=stderr)
    written.add(f"{name} (stdout)", stdout.getvalue())
    written.add(f"{name} (stderr)", stderr.getvalue())
    return code


def _echo_app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    """A broken server: answers everything with the credentials it was sent."""
    length = int(environ.get("CONTENT_LENGTH") or 0)
    sent = {
        "authorization": environ.get("HTTP_AUTHORIZATION", ""),
        "api_key": environ.get("HTTP_X_API_KEY", ""),
        "query": environ.get("QUERY_STRING", ""),
        "body": environ["wsgi.input"].read(length).decode("utf-8", "replace") if length else "",
    }
    body = json.dumps({"echo": sent}).encode()
    start_response(
        "200 OK",
        [
            ("Content-Type", "application/json"),
            ("X-Echo-Authorization", sent["authorization"]),
            ("Content-Length", str(len(body))),
        ],
    )
    return [body]


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    """The collection and the environment, on disk."""
    return (
        write(tmp_path / "secrets.postman_collection.json", _secret_collection()),
        write(tmp_path / "dev.postman_environment.json", _environment()),
    )


def test_no_command_writes_a_secret(tmp_path: Path, files: tuple[Path, Path]) -> None:
    source, env = files
    written = Written()
    for args in ([], ["--env", str(env)]):
        assert _cli(written, "inspect", "inspect", str(source), *args) == 0
        assert _cli(written, "inspect json", "inspect", str(source), "--format", "json", *args) == 0
    assert _cli(written, "generate", "generate", str(source), "-o", str(tmp_path / "old")) == 0
    args = ["--env", str(env), "--var", f"shh={canary('override')}"]
    assert (
        _cli(written, "generate", "generate", str(source), "-o", str(tmp_path / "new"), *args) == 0
    )
    out = tmp_path / "api.openapi.json"
    assert _cli(written, "openapi", "openapi", str(source), "-o", str(out), "--env", str(env)) == 0
    _cli(written, "diff", "diff", str(tmp_path / "old"), str(tmp_path / "new"))
    _cli(
        written,
        "diff json",
        "diff",
        str(tmp_path / "old"),
        str(tmp_path / "new"),
        "--format",
        "json",
    )
    for root in (tmp_path / "old", tmp_path / "new"):
        written.add_tree(root)
    written.add("openapi file", out.read_text(encoding="utf-8"))

    assert written.leaks() == {}
    everything = written.joined()
    assert "{{access-token}}" in everything, "placeholders are not secrets"
    assert "[REDACTED]" in everything


def test_the_mock_never_logs_or_answers_a_secret(files: tuple[Path, Path]) -> None:
    source, env = files
    contracts = open_contracts(source, environment=env)
    lines: list[str] = []
    app = MockApp(contracts, logger=lines.append)
    written = Written()
    requests = [
        ("POST", "/bearer", [("Authorization", f"Bearer {canary('bearer')}")], b'{"name": "x"}'),
        ("POST", "/header", [("Authorization", f"Bearer {canary('header')}")], b"{}"),
        ("GET", f"/query?access_token={canary('query')}&page=1", [], b""),
        ("POST", "/apikey", [("X-Api-Key", canary("apikey"))], b'{"name": "x"}'),
        ("POST", f"/nowhere/{canary('environment-token')}", [], b""),
    ]
    for method, target, headers, body in requests:
        reply = app.answer(HttpRequest(method, f"http://mock{target}", tuple(headers), body))
        written.add(f"mock reply {target}", reply.body.decode("utf-8", "replace"))
        environ = {
            "REQUEST_METHOD": method,
            "PATH_INFO": target.partition("?")[0],
            "QUERY_STRING": target.partition("?")[2],
            "CONTENT_LENGTH": str(len(body)),
            "CONTENT_TYPE": "application/json",
            "wsgi.input": io.BytesIO(body),
            **{f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers},
        }
        b"".join(app(environ, lambda status, headers: None))
    written.add("mock log", "\n".join(lines))

    assert len(lines) == len(requests)
    assert written.leaks() == {}


def test_verify_against_an_echoing_server_writes_no_secret(
    tmp_path: Path, files: tuple[Path, Path], serve: Callable[[Any], str]
) -> None:
    source, env = files
    written = Written()
    report = tmp_path / "verify.xml"
    code = _cli(
        written,
        "verify",
        "verify",
        str(source),
        "--base-url",
        serve(_echo_app),
        "--env",
        str(env),
        "--var",
        f"access-token={canary('cli-token')}",
        "--max-examples",
        "3",
        "--seed",
        "1",
        "--junitxml",
        str(report),
    )
    written.add("verify junit", report.read_text(encoding="utf-8"))

    assert code == 1, written.texts["verify (stdout)"][-2000:]
    assert '{"echo": {"authorization": "Bearer [REDACTED]"' in written.joined()
    assert written.leaks() == {}


def test_a_failing_plugin_run_writes_no_secret(
    pytester: pytest.Pytester,
    files: tuple[Path, Path],
    serve: Callable[[Any], str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    source, env = files
    monkeypatch.setenv("PCANARY_TOKEN", canary("auth-env"))
    report = pytester.path / "report.xml"
    result = pytester.runpytest(
        "--contracts",
        str(source),
        "--contracts-base-url",
        serve(_echo_app),
        "--contracts-env",
        str(env),
        "--contracts-auth-env",
        "PCANARY_TOKEN",
        "--contracts-checks",
        "examples,auth,invalid",
        "--contracts-max-examples",
        "3",
        "--contracts-seed",
        "1",
        f"--junitxml={report}",
        "-p",
        "no:cacheprovider",
        "-v",
    )
    written = Written()
    written.add("stdout", result.stdout.str())
    written.add("stderr", result.stderr.str())
    written.add("junit", report.read_text(encoding="utf-8"))

    assert result.ret == pytest.ExitCode.TESTS_FAILED
    assert "Reproduce with:" in written.texts["stdout"]
    assert '{"echo": {"authorization": "Bearer [REDACTED]"' in written.texts["stdout"]
    assert written.leaks() == {}
