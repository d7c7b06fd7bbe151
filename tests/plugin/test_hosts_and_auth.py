"""Hosts, unresolved variables, auth schemes and response headers through the plugin
(issue 13 part B), run as users run it: pytester, real loopback servers."""

from __future__ import annotations

import hashlib
import io
import json
import re
import shutil
from collections.abc import Callable
from typing import Any

import pytest

from postman_contracts.cli import main
from postman_contracts.contracts import open_contracts
from postman_contracts.mock import MockApp
from tests.paths import SHARED
from tests.plugin.builders import Server, example, item, request, write
from tests.plugin.conftest import WsgiApp, outcomes

Serve = Callable[[WsgiApp], str]
SMALL = ("-v", "-p", "no:cacheprovider", "--contracts-max-examples", "3", "--contracts-seed", "1")


def _ok(method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, str, Any]:
    return 200, "application/json", {"id": 1}


def _on_host(name: str, host: str, path: str) -> dict[str, Any]:
    req = request("GET", path)
    req["url"] = {"raw": f"{host}{path}", "host": [host], "path": path.split("/")[1:]}
    return item(name, req, example("OK", 200, {"id": 1}, req))


# -- hosts -----------------------------------------------------------------------------------


def test_each_host_is_sent_to_its_own_base_url(pytester: pytest.Pytester, serve: Serve) -> None:
    main_server, files_server = Server(_ok), Server(_ok)
    main_url, files_url = serve(main_server), serve(files_server)
    name = write(
        pytester.path,
        _on_host("a", "{{base}}", "/a"),
        _on_host("b", "{{base}}", "/b"),
        _on_host("upload", "{{files}}", "/upload"),
    )
    common = (
        "--contracts",
        name,
        "--contracts-base-url",
        main_url,
        "--contracts-checks",
        "examples",
    )
    result = pytester.runpytest(*SMALL, *common, "--contracts-host", f"files={files_url}")
    result.assert_outcomes(passed=3)
    assert {p for _, p, _, _ in main_server.seen} == {"/a", "/b"}
    assert {p for _, p, _, _ in files_server.seen} == {"/upload"}
    # the same from the ini file
    pytester.makeini(f"[pytest]\ncontracts_host =\n    files={files_url}\n")
    pytester.runpytest(*SMALL, *common).assert_outcomes(passed=3)
    assert len(files_server.seen) == 2


def test_a_host_nothing_resolves_is_a_usage_error_before_any_request(
    pytester: pytest.Pytester, serve: Serve
) -> None:
    server = Server(_ok)
    url = serve(server)
    name = write(pytester.path, _on_host("a", "{{base}}", "/a"), _on_host("up", "{{files}}", "/u"))
    result = pytester.runpytest(*SMALL, "--contracts", name, "--contracts-base-url", url)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*item 'up': variable {{files}} in the host has no value*"])
    assert server.seen == []


def test_line_operations_on_api_data_reach_the_data_host(
    pytester: pytest.Pytester, serve: Serve
) -> None:
    """LINE documents five operations on https://api-data.line.me: they used to be sent to
    the base URL."""
    path = SHARED / "openapi" / "line-messaging" / "collection.example.json"
    shutil.copy(path, pytester.path / "line.postman_collection.json")
    contracts = open_contracts(path)
    on_data = [op for op in contracts.operations if op.request.host == "api-data.line.me"]
    seen: dict[str, list[str]] = {"main": [], "data": []}

    def recording(where: str) -> WsgiApp:
        app = MockApp(contracts, logger=lambda line: None)

        def handle(environ: dict[str, Any], start_response: Any) -> Any:
            seen[where].append(environ["PATH_INFO"])
            return app(environ, start_response)

        return handle

    main_url, data_url = serve(recording("main")), serve(recording("data"))
    result = pytester.runpytest(
        *SMALL,
        "--contracts", "line.postman_collection.json",
        "--contracts-base-url", main_url,
        "--contracts-host", f"api-data.line.me={data_url}",
        "--contracts-checks", "examples",
        "--contracts-select", ",".join(op.id for op in on_data[:3]),
    )  # fmt: skip
    assert result.ret == 0, result.stdout.str()
    assert seen["data"] and not seen["main"]
    assert all(p.startswith("/v2/bot/") for p in seen["data"])


# -- unresolved variables --------------------------------------------------------------------


def _search(directory: Any) -> str:
    req = request("GET", "/search", query=[("q", "{{term}}")])
    return write(directory, item("search", req, example("OK", 200, {"hits": []}, req)))


def test_an_unresolved_variable_is_named_before_the_first_request(
    pytester: pytest.Pytester, serve: Serve
) -> None:
    server = Server(lambda *_: (200, "application/json", {"hits": []}))
    url = serve(server)
    name = _search(pytester.path)
    common = ("--contracts", name, "--contracts-base-url", url, "--contracts-checks", "examples")
    result = pytester.runpytest(*SMALL, *common)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        [
            "*api.postman_collection.json, item 'search': variable {{term}} in query parameter"
            " 'q' of example 'OK' has no value*"
        ]
    )
    assert server.seen == []
    given = pytester.runpytest(*SMALL, *common, "--contracts-var", "term=shoes")
    assert given.ret == 0, given.stdout.str()
    assert server.seen and all("{{" not in p for _, p, _, _ in server.seen)
    assert any(p == "/search?q=shoes" for _, p, _, _ in server.seen)


def test_verify_reports_an_unresolved_variable_as_bad_input(tmp_path: Any) -> None:
    name = _search(tmp_path)
    out, err = io.StringIO(), io.StringIO()
    code = main(["verify", str(tmp_path / name), "--max-examples", "2"], stdout=out, stderr=err)
    assert code == 2
    assert err.getvalue().startswith("error: ") and err.getvalue().count("\n") == 1
    assert "variable {{term}}" in err.getvalue() and "item 'search'" in err.getvalue()
    assert "Traceback" not in out.getvalue() + err.getvalue()
    ok = main(
        ["verify", str(tmp_path / name), "--max-examples", "2", "--var", "term=x"],
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    assert ok == 0


# -- auth schemes ----------------------------------------------------------------------------


class DigestServer:
    """A server that checks RFC 7616 Digest credentials (MD5, qop=auth) for real."""

    def __init__(self, user: str, password: str) -> None:
        self.user, self.password = user, password
        self.accepted = 0

    def __call__(self, environ: dict[str, Any], start_response: Any) -> list[bytes]:
        given = environ.get("HTTP_AUTHORIZATION", "")
        if given.startswith("Digest ") and self._valid(environ["REQUEST_METHOD"], given[7:]):
            self.accepted += 1
            body = json.dumps({"id": 1}).encode()
            start_response("200 OK", [("Content-Type", "application/json")])
            return [body]
        challenge = 'Digest realm="api", qop="auth", nonce="n0nce", algorithm=MD5'
        start_response(
            "401 Unauthorized",
            [("Content-Type", "application/json"), ("WWW-Authenticate", challenge)],
        )
        return [b'{"error": "unauthorized"}']

    def _valid(self, method: str, text: str) -> bool:
        f = dict(re.findall(r'(\w+)="?([^",]*)"?', text))

        def md5(s: str) -> str:
            return hashlib.md5(s.encode()).hexdigest()

        ha1 = md5(f"{self.user}:api:{self.password}")
        ha2 = md5(f"{method}:{f.get('uri', '')}")
        expected = md5(f"{ha1}:{f.get('nonce')}:{f.get('nc')}:{f.get('cnonce')}:auth:{ha2}")
        return f.get("username") == self.user and f.get("response") == expected


def test_digest_credentials_are_signed(pytester: pytest.Pytester, serve: Serve) -> None:
    server = DigestServer("alice", "s3cret-pass")
    url = serve(server)
    digest = {
        "type": "digest",
        "digest": [
            {"key": "username", "value": "{{user}}"},
            {"key": "password", "value": "{{pass}}"},
        ],
    }
    req = request("GET", "/me", auth=digest)
    name = write(pytester.path, item("me", req, example("OK", 200, {"id": 1}, req)))
    result = pytester.runpytest(
        *SMALL,
        "--contracts", name, "--contracts-base-url", url,
        "--contracts-var", "user=alice", "--contracts-var", "pass=s3cret-pass",
    )  # fmt: skip
    found = outcomes(result)
    assert found["me::test_example[OK]"] == "PASSED", result.stdout.str()
    assert found["me::test_auth"] == "PASSED"  # no credentials: the 401 challenge
    assert server.accepted >= 1
    assert "s3cret-pass" not in result.stdout.str()


def test_oauth1_requests_are_reported_not_checked(pytester: pytest.Pytester, serve: Serve) -> None:
    server = Server(lambda *_: (401, "application/json", {"error": "bad signature"}))
    url = serve(server)
    oauth1 = {"type": "oauth1", "oauth1": [{"key": "consumerKey", "value": "{{key}}"}]}
    req = request("GET", "/me", auth=oauth1)
    name = write(pytester.path, item("me", req, example("OK", 200, {"id": 1}, req)))
    result = pytester.runpytest(*SMALL, "-rs", "--contracts", name, "--contracts-base-url", url)
    found = outcomes(result)
    assert found["me::test_example[OK]"] == "SKIPPED"
    assert found["me::test_auth"] == "PASSED"  # sent without credentials: checkable
    result.stdout.fnmatch_lines(["*not checked: OAuth 1.0 signatures need oauthlib*"])
    assert result.ret == 0


def test_the_session_fixture_sends_a_query_api_key(
    pytester: pytest.Pytester, serve: Serve, monkeypatch: pytest.MonkeyPatch
) -> None:
    def keyed(method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, str, Any]:
        if "api_key=k3y-value-1234" in path:
            return 200, "application/json", {"id": 1}
        return 401, "application/json", {"error": "no key"}

    server = Server(keyed)
    url = serve(server)
    apikey = {
        "type": "apikey",
        "apikey": [
            {"key": "key", "value": "api_key"},
            {"key": "value", "value": "{{key}}"},
            {"key": "in", "value": "query"},
        ],
    }
    req = request("GET", "/things", auth=apikey)
    name = write(pytester.path, item("things", req, example("OK", 200, {"id": 1}, req)))
    pytester.makepyfile(
        test_mine="""
def test_get(contract_session, check_response):
    check_response(contract_session.get("/things"), "things")
"""
    )
    monkeypatch.setenv("API_KEY_FOR_TEST", "k3y-value-1234")
    result = pytester.runpytest(
        *SMALL, "test_mine.py", "--contracts", name, "--contracts-base-url", url,
        "--contracts-auth-env", "API_KEY_FOR_TEST", "--contracts-checks", "auth",
    )  # fmt: skip
    assert result.ret == 0, result.stdout.str()
    assert ("GET", "/things?api_key=k3y-value-1234") in [(m, p) for m, p, _, _ in server.seen]


def test_the_client_mock_passes_the_oauth2_token_endpoint_through(
    pytester: pytest.Pytester, serve: Serve
) -> None:
    tokens = Server(lambda *_: (200, "application/json", {"access_token": "t0k3n-abcdef"}))
    token_url = serve(tokens) + "/oauth/token"
    oauth2 = {
        "type": "oauth2",
        "oauth2": [
            {"key": "accessTokenUrl", "value": token_url},
            {"key": "accessToken", "value": "{{token}}"},
            {"key": "addTokenTo", "value": "header"},
        ],
    }
    req = request("GET", "/me", auth=oauth2)
    name = write(pytester.path, item("me", req, example("OK", 200, {"id": 1}, req)))
    pytester.makepyfile(
        test_client=f"""
import requests

def test_login_then_call(contract_mock):
    token = requests.post({token_url!r}, data={{"grant_type": "client_credentials"}}).json()
    answer = requests.get(
        "http://api.example.test/me",
        headers={{"Authorization": "Bearer " + token["access_token"]}},
    )
    assert answer.json() == {{"id": 1}}
"""
    )
    result = pytester.runpytest("-p", "no:cacheprovider", "test_client.py", "--contracts", name)
    result.assert_outcomes(passed=1)
    assert [(m, p) for m, p, _, _ in tokens.seen] == [("POST", "/oauth/token")]


# -- response headers ------------------------------------------------------------------------


def test_a_server_without_the_documented_location_fails_and_the_mock_passes(
    pytester: pytest.Pytester, serve: Serve
) -> None:
    req = request("POST", "/things", {"name": "a"})
    created = []
    for i in (1, 2):
        shown = example(f"Created {i}", 201, {"id": i}, req)
        shown["header"].append({"key": "Location", "value": f"http://api.example.test/things/{i}"})
        shown["header"].append({"key": "Date", "value": "Mon, 1 Jan 2024 00:00:00 GMT"})
        created.append(shown)
    name = write(pytester.path, item("create", req, *created))
    contracts = open_contracts(pytester.path / name)
    no_location = serve(
        lambda environ, start: Server(lambda *_: (201, "application/json", {"id": 3}))(
            environ, start
        )
    )
    args = (*SMALL, "--contracts", name, "--contracts-checks", "examples")
    result = pytester.runpytest(*args, "--contracts-base-url", no_location)
    found = outcomes(result)
    assert set(found.values()) == {"FAILED"}, result.stdout.str()
    result.stdout.fnmatch_lines(["*- The response misses the documented header Location*"])
    mock = serve(MockApp(contracts, logger=lambda line: None))
    pytester.runpytest(*args, "--contracts-base-url", mock).assert_outcomes(passed=2)
